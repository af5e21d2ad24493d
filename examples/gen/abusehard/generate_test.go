package main

import (
	"flag"
	"slices"
	"strings"
	"testing"

	"github.com/riskkit/riskkit/abuse"
	"github.com/riskkit/riskkit/examples/internal/abusemeasure"
)

// TestCommittedFilesAreCurrent regenerates the files in memory and compares
// them with the files the examples package embeds.
func TestCommittedFilesAreCurrent(t *testing.T) { command.CheckCommitted(t) }

// TestRun checks the output flag and bad arguments.
func TestRun(t *testing.T) { command.CheckRun(t) }

func load(t *testing.T) abusemeasure.Set {
	t.Helper()
	s, err := abusemeasure.Generated(generate, names)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestSample checks what the set promises: every window labelled, every
// label with windows, a customer for every subscription, time order, every
// category committed by someone, and clean tenants at least as many as
// abusive ones.
func TestSample(t *testing.T) {
	s := load(t)
	units := map[[2]string]bool{}
	clean, abusive := 0, 0
	cats := map[abuse.Category]int{}
	for _, l := range s.Labels {
		units[[2]string{l.Subscription, l.Resource}] = true
		if _, ok := s.Customers[l.Subscription]; !ok {
			t.Errorf("%s has no customer", l.Subscription)
		}
		if len(l.Categories) == 0 {
			clean++
		} else {
			abusive++
		}
		for _, c := range l.Categories {
			cats[c]++
		}
	}
	seen := map[[2]string]bool{}
	for i, w := range s.Windows {
		k := [2]string{w.Subscription, w.Resource}
		if !units[k] {
			t.Errorf("window %d (%s/%s) has no label", i, k[0], k[1])
		}
		seen[k] = true
		if i > 0 && w.Window.Start.Before(s.Windows[i-1].Window.Start) {
			t.Errorf("window %d starts before the one before it", i)
		}
	}
	for k := range units {
		if !seen[k] {
			t.Errorf("label %s/%s has no windows", k[0], k[1])
		}
	}
	for _, c := range abuse.Categories() {
		if cats[c] == 0 {
			t.Errorf("no tenant commits %s", c)
		}
	}
	if clean < abusive {
		t.Errorf("%d clean units and %d abusive: the hard cases are the legitimate ones", clean, abusive)
	}
}

// update rewrites the README's table with the measured one.
var update = flag.Bool("update", false, "rewrite the README's precision and recall block")

// TestPrecisionRecall measures the detectors on the hard cases and fails
// unless the README shows the same table and names the same false
// positives and negatives. Findings about attacks on the customer are
// notices to a victim and do not count as flags.
func TestPrecisionRecall(t *testing.T) {
	s := load(t)
	res, err := abusemeasure.Measure(abuse.Config{}, s.State, s.Windows, s.Labels, abusemeasure.Options{IgnoreInbound: true})
	if err != nil {
		t.Fatal(err)
	}
	got := strings.TrimSpace(res.Markdown())
	t.Logf("%d labelled units, %d findings stood down by allowances:\n%s", len(s.Labels), res.StoodDown, got)
	if *update {
		if err := abusemeasure.UpdateREADMEBlock("abuse-hard", got); err != nil {
			t.Fatal(err)
		}
	}
	want, err := abusemeasure.READMEBlock("abuse-hard")
	if err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Errorf("the measured table differs from the one the README shows\ngot:\n%s\nwant:\n%s", got, want)
	}
	if res.StoodDown == 0 {
		t.Error("no finding stood down, but the authorised scanner holds an allowance")
	}
	if !slices.Contains(res.Misses, "hacking: hc-41/scanner (scanner-expired)") && !slices.ContainsFunc(res.Rows, func(r abusemeasure.Row) bool {
		return r.Category == abuse.Hacking && r.Right > 0
	}) {
		t.Error("the scans after an allowance expired are neither flagged nor counted as missed")
	}
}
