package main

import (
	"flag"
	"strings"
	"testing"

	"github.com/riskkit/riskkit/abuse"
	"github.com/riskkit/riskkit/examples/internal/abusemeasure"
)

// TestCommittedFilesAreCurrent regenerates the files in memory and compares
// them with the files the examples package embeds, so that a change to the
// generator cannot land without the data it produces.
func TestCommittedFilesAreCurrent(t *testing.T) { command.CheckCommitted(t) }

func load(t *testing.T) abusemeasure.Set {
	t.Helper()
	s, err := abusemeasure.Generated(generate, names)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestSample checks what the data promises: every window decodes and is
// labelled, every label has windows, every subscription has a customer,
// windows come in time order, and every category is represented.
func TestSample(t *testing.T) {
	s := load(t)
	if len(s.Windows) < 200 || len(s.Windows) > 400 {
		t.Errorf("%d windows, want 200 to 400", len(s.Windows))
	}
	units := map[[2]string]bool{}
	for _, l := range s.Labels {
		units[[2]string{l.Subscription, l.Resource}] = true
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
	cats := map[abuse.Category]int{}
	for _, l := range s.Labels {
		if _, ok := s.Customers[l.Subscription]; !ok {
			t.Errorf("%s has no customer record", l.Subscription)
		}
		for _, c := range l.Categories {
			cats[c]++
		}
	}
	for _, c := range abuse.Categories() {
		if cats[c] == 0 {
			t.Errorf("no tenant commits %s", c)
		}
	}
}

// update rewrites the README's table with the measured one.
var update = flag.Bool("update", false, "rewrite the README's precision and recall block")

// TestPrecisionRecall runs the monitor over the sample from the host's
// state and measures, per category, how the subscriptions and resources it
// flags agree with the labels, and fails unless the README shows the same
// table and names the same false positives and negatives.
func TestPrecisionRecall(t *testing.T) {
	s := load(t)
	res, err := abusemeasure.Measure(abuse.Config{}, s.State, s.Windows, s.Labels, abusemeasure.Options{})
	if err != nil {
		t.Fatal(err)
	}
	got := strings.TrimSpace(res.Markdown())
	t.Logf("precision and recall over %d labelled subscriptions and resources:\n%s", len(s.Labels), got)
	if *update {
		if err := abusemeasure.UpdateREADMEBlock("abuse-tuning", got); err != nil {
			t.Fatal(err)
		}
	}
	want, err := abusemeasure.READMEBlock("abuse-tuning")
	if err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Errorf("the measured table differs from the one the README shows\ngot:\n%s\nwant:\n%s", got, want)
	}
}

// TestRun checks that the output flag writes what generate returns and
// that bad arguments are errors.
func TestRun(t *testing.T) { command.CheckRun(t) }
