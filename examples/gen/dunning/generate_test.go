package main

import (
	"slices"
	"testing"
	"time"

	"github.com/riskkit/riskkit/dunning"
	"github.com/riskkit/riskkit/examples"
	"github.com/riskkit/riskkit/risk"
)

// TestCommittedFilesAreCurrent regenerates the files in memory and compares
// them with the files the examples package embeds, so that a change to the
// generator cannot land without the data it produces.
func TestCommittedFilesAreCurrent(t *testing.T) { command.CheckCommitted(t) }

// dunner compiles the embedded schedule for customers in UTC.
func dunner(t *testing.T) *dunning.Dunner {
	t.Helper()
	src, err := examples.Policy("dunning.yaml")
	if err != nil {
		t.Fatal(err)
	}
	s, err := dunning.ParseSchedule(src)
	if err != nil {
		t.Fatal(err)
	}
	d, err := dunning.NewDunner(s, time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestDemoStory checks what the demo tells: evaluated at the instants each
// result names, Northwind goes through reminder, restrict and suspend, and
// is reinstated with a credit on 24 March.
func TestDemoStory(t *testing.T) {
	files, err := generate()
	if err != nil {
		t.Fatal(err)
	}
	l, err := dunning.ParseLedger(files[ledgerFile])
	if err != nil {
		t.Fatal(err)
	}
	d := dunner(t)
	var st dunning.State
	now := time.Date(2026, time.February, 1, 0, 0, 0, 0, time.UTC)
	var stages []string
	credit := false
	for !now.IsZero() {
		res, err := d.Evaluate(st, l, now)
		if err != nil {
			t.Fatal(err)
		}
		if res.State.Stage != st.Stage {
			stages = append(stages, now.Format("01-02")+" "+res.State.StageName())
		}
		for _, a := range res.Actions {
			credit = credit || a.Kind == dunning.CreditBlockedTime
		}
		st, now = res.State, res.Next
	}
	want := []string{"02-18 reminder", "03-01 restrict", "03-17 suspend", "03-24 current"}
	if !slices.Equal(stages, want) || !credit {
		t.Errorf("stages %v, credit %v; want %v and a credit", stages, credit, want)
	}
}

// TestPortfolio checks that every ledger parses and can be aged and
// evaluated, and that the portfolio has customers in several stages.
func TestPortfolio(t *testing.T) {
	files, err := generate()
	if err != nil {
		t.Fatal(err)
	}
	ls, err := dunning.ParseLedgers(files[portfolioFile])
	if err != nil {
		t.Fatal(err)
	}
	if len(ls) != customers {
		t.Fatalf("%d ledgers, want %d", len(ls), customers)
	}
	d := dunner(t)
	stages := map[string]int{}
	for _, l := range ls {
		res, err := d.Evaluate(dunning.State{}, l, time.Date(2026, time.June, 30, 12, 0, 0, 0, time.UTC))
		if err != nil {
			t.Fatalf("%s: %v", l.Customer.ID, err)
		}
		stages[res.State.StageName()]++
	}
	if len(stages) < 3 || stages[dunning.Current] == 0 {
		t.Errorf("stages at the end of June: %v; want current and at least two others", stages)
	}
	if _, err := dunning.Age(dunning.AgingConfig{}, mustDate(t, "2026-06-30"), time.UTC, ls...); err != nil {
		t.Error(err)
	}
}

func mustDate(t *testing.T, s string) risk.Date {
	d, err := risk.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestRun checks that the output flag writes what generate returns and
// that bad arguments are errors.
func TestRun(t *testing.T) { command.CheckRun(t) }
