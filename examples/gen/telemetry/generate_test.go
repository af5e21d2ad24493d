package main

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/riskkit/riskkit/abuse"
)

// TestCommittedFilesAreCurrent regenerates the files in memory and compares
// them with the files the examples package embeds, so that a change to the
// generator cannot land without the data it produces.
func TestCommittedFilesAreCurrent(t *testing.T) { command.CheckCommitted(t) }

// sample is the generated data, decoded.
type sample struct {
	windows   []abuse.Telemetry
	labels    []Label
	customers map[string]abuse.Customer
	state     abuse.State
}

func load(t *testing.T) sample {
	t.Helper()
	files, err := generate()
	if err != nil {
		t.Fatal(err)
	}
	var s sample
	for _, f := range files {
		switch f.name {
		case "telemetry.jsonl":
			s.windows, err = abuse.DecodeTelemetry(f.data)
		case "telemetry_labels.json":
			err = json.Unmarshal(f.data, &s.labels)
		case "telemetry_customers.json":
			err = json.Unmarshal(f.data, &s.customers)
		case "telemetry_state.json":
			err = json.Unmarshal(f.data, &s.state)
		}
		if err != nil {
			t.Fatalf("%s: %v", f.name, err)
		}
	}
	return s
}

// TestSample checks what the data promises: every window decodes and is
// labelled, every label has windows, every subscription has a customer,
// windows come in time order, and every category is represented.
func TestSample(t *testing.T) {
	s := load(t)
	if len(s.windows) < 200 || len(s.windows) > 400 {
		t.Errorf("%d windows, want 200 to 400", len(s.windows))
	}
	units := map[[2]string]bool{}
	for _, l := range s.labels {
		units[[2]string{l.Subscription, l.Resource}] = true
	}
	seen := map[[2]string]bool{}
	for i, w := range s.windows {
		k := [2]string{w.Subscription, w.Resource}
		if !units[k] {
			t.Errorf("window %d (%s/%s) has no label", i, k[0], k[1])
		}
		seen[k] = true
		if i > 0 && w.Window.Start.Before(s.windows[i-1].Window.Start) {
			t.Errorf("window %d starts before the one before it", i)
		}
	}
	for k := range units {
		if !seen[k] {
			t.Errorf("label %s/%s has no windows", k[0], k[1])
		}
	}
	cats := map[abuse.Category]int{}
	for _, l := range s.labels {
		if _, ok := s.customers[l.Subscription]; !ok {
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

// TestPrecisionRecall runs the monitor over the sample from the host's
// state and measures, per category, how the subscriptions and resources it
// flags agree with the labels. The table is the one the README shows; a
// change to a detector or to the data that moves it must update both.
func TestPrecisionRecall(t *testing.T) {
	s := load(t)
	got := measure(t, s)
	want := strings.TrimSpace(`
| category | labelled | flagged | true positives | precision | recall |
| --- | ---: | ---: | ---: | ---: | ---: |
| spam | 2 | 3 | 2 | 0.67 | 1.00 |
| hacking | 4 | 5 | 4 | 0.80 | 1.00 |
| denial_of_service | 4 | 3 | 3 | 1.00 | 0.75 |
| crypto_mining | 5 | 4 | 4 | 1.00 | 0.80 |
| malware | 3 | 3 | 3 | 1.00 | 1.00 |
| subscription_resale | 2 | 3 | 2 | 0.67 | 1.00 |
| theft_of_service | 5 | 5 | 4 | 0.80 | 0.80 |`)
	t.Logf("precision and recall over %d labelled subscriptions and resources:\n%s", len(s.labels), got)
	if got != want {
		t.Errorf("the measured table differs from the one the README shows\ngot:\n%s\nwant:\n%s", got, want)
	}
}

// measure runs the monitor and formats the per-category table.
func measure(t *testing.T, s sample) string {
	t.Helper()
	m, err := abuse.New(abuse.Config{})
	if err != nil {
		t.Fatal(err)
	}
	flagged := map[[2]string]map[abuse.Category]bool{}
	st := s.state
	for i := range s.windows {
		w := &s.windows[i]
		var rep abuse.Report
		st, rep, err = m.Detect(st, w, w.Window.End)
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Failures) > 0 {
			t.Fatalf("detector failures: %+v", rep.Failures)
		}
		for _, f := range rep.Findings {
			k := [2]string{f.Subscription, f.Resource}
			if flagged[k] == nil {
				flagged[k] = map[abuse.Category]bool{}
			}
			flagged[k][f.Category] = true
		}
	}
	var b strings.Builder
	b.WriteString("| category | labelled | flagged | true positives | precision | recall |\n| --- | ---: | ---: | ---: | ---: | ---: |")
	for _, c := range abuse.Categories() {
		var labelled, hits, tp int
		for _, l := range s.labels {
			truth := slices.Contains(l.Categories, c)
			pred := flagged[[2]string{l.Subscription, l.Resource}][c]
			if truth {
				labelled++
			}
			if pred {
				hits++
			}
			if truth && pred {
				tp++
			}
			if truth != pred {
				t.Logf("%-20s %s/%s (%s): labelled %v, flagged %v", c, l.Subscription, l.Resource, l.Scenario, truth, pred)
			}
		}
		fmt.Fprintf(&b, "\n| %s | %d | %d | %d | %s | %s |", c, labelled, hits, tp, ratio(tp, hits), ratio(tp, labelled))
	}
	return b.String()
}

func ratio(n, d int) string {
	if d == 0 {
		return "n/a"
	}
	return fmt.Sprintf("%.2f", float64(n)/float64(d))
}

// TestRun checks that the output flag writes what generate returns and
// that bad arguments are errors.
func TestRun(t *testing.T) { command.CheckRun(t) }
