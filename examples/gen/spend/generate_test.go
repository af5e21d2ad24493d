package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/riskkit/riskkit/budget"
	"github.com/riskkit/riskkit/examples"
	"github.com/riskkit/riskkit/risk"
)

// TestCommittedFileIsCurrent regenerates the spend in memory and compares
// it with the file the examples package embeds, so that a change to the
// generator cannot land without the data it produces.
func TestCommittedFileIsCurrent(t *testing.T) { command.CheckCommitted(t) }

// TestSpend decodes every record strictly and evaluates the example budgets
// on it, checking what the data promises: each customer's records are in
// its budget's currency, the feed holds a resend, a correction and late
// records, and Contoso crosses 50%, 80% and 100% of its budget in March.
func TestSpend(t *testing.T) {
	data, n, err := generate()
	if err != nil {
		t.Fatal(err)
	}
	src, err := examples.Policy("budgets.yaml")
	if err != nil {
		t.Fatal(err)
	}
	budgets, err := budget.ParseBudgets(src)
	if err != nil {
		t.Fatal(err)
	}
	byCustomer := map[string][]budget.Record{}
	seen := map[string]int{}
	var resent, corrected, late int
	sc := bufio.NewScanner(bytes.NewReader(data))
	lines := 0
	for sc.Scan() {
		lines++
		dec := json.NewDecoder(bytes.NewReader(sc.Bytes()))
		dec.DisallowUnknownFields()
		var l line
		if err := dec.Decode(&l); err != nil {
			t.Fatalf("line %d: %v", lines, err)
		}
		byCustomer[l.CustomerID] = append(byCustomer[l.CustomerID], l.Record)
		switch seen[l.ID]++; {
		case l.Revision > 0:
			corrected++
		case seen[l.ID] > 1:
			resent++
		}
		if !l.Received.IsZero() && l.Revision == 0 {
			late++
		}
	}
	if lines != n {
		t.Errorf("%d lines, generate reported %d", lines, n)
	}
	if resent == 0 || corrected == 0 || late < 2 {
		t.Errorf("resent %d, corrected %d, late %d: want at least 1, 1 and 2", resent, corrected, late)
	}
	for _, b := range budgets {
		recs := byCustomer[b.CustomerID]
		if len(recs) == 0 {
			t.Errorf("no spend for %s's customer %s", b.ID, b.CustomerID)
			continue
		}
		for _, r := range recs {
			if r.Amount.Currency() != b.Amount.Currency() {
				t.Fatalf("%s: record %s in %s, budget in %s", b.ID, r.ID, r.Amount.Currency(), b.Amount.Currency())
			}
		}
		loc, err := time.LoadLocation(b.TimeZone)
		if err != nil {
			t.Fatal(err)
		}
		end := date(2026, time.April, 1).Start(loc).Add(-time.Second)
		tr, err := budget.NewTracker(b, loc)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tr.Evaluate(budget.State{}, recs, end); err != nil {
			t.Errorf("%s: %v", b.ID, err)
		}
	}

	// The demo's story: each actual threshold of Contoso's budget fires on
	// a different day of March, in order.
	var contoso budget.Budget
	for _, b := range budgets {
		if b.ID == "contoso-monthly" {
			contoso = b
		}
	}
	loc, _ := time.LoadLocation(contoso.TimeZone)
	tr, err := budget.NewTracker(contoso, loc)
	if err != nil {
		t.Fatal(err)
	}
	var state budget.State
	fired := map[risk.Percent]risk.Date{}
	for d := date(2026, time.March, 1); d.Before(date(2026, time.April, 1)); d = d.AddDays(1) {
		r, err := tr.Evaluate(state, byCustomer[contoso.CustomerID], d.AddDays(1).Start(loc).Add(-time.Second))
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range r.Status.Alerts {
			if a.Threshold.Basis == budget.Actual {
				fired[a.Threshold.Percent] = d
			}
		}
		state = r.State
	}
	d50, d80, d100 := fired[5000], fired[8000], fired[10000]
	if d50.IsZero() || d80.IsZero() || d100.IsZero() || !d50.Before(d80) || !d80.Before(d100) || d100.After(date(2026, time.March, 30)) {
		t.Errorf("Contoso crosses 50%% on %v, 80%% on %v, 100%% on %v; want three days in order in March", d50, d80, d100)
	}
}

// TestRun checks that the output flag writes what generate returns and
// that bad arguments are errors.
func TestRun(t *testing.T) { command.CheckRun(t) }
