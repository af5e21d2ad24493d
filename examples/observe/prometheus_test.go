package observe_test

import (
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/riskkit/riskkit/examples/observe"
)

func TestPrometheus(t *testing.T) {
	reg := prometheus.NewPedanticRegistry()
	p, err := observe.NewPrometheus(reg, "riskkit")
	if err != nil {
		t.Fatal(err)
	}
	e := engine(t)
	cs := checkouts(t, 300)
	for _, c := range cs {
		observe.Evaluate(p, "checkout", e, &c)
	}
	p.ObserveRule(&observe.Rule{Kind: "checkout", PolicyID: "checkout", RuleID: "prepaid", Result: observe.RuleFired, Duration: 200 * time.Nanosecond})
	p.ObserveRule(&observe.Rule{Kind: "checkout", PolicyID: "checkout", RuleID: "prepaid", Result: observe.RuleQuiet, Duration: 100 * time.Nanosecond})
	want := expect(e, cs)

	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]map[string]float64{} // family -> label values joined -> value
	for _, f := range families {
		m := map[string]float64{}
		for _, s := range f.GetMetric() {
			// Labels come sorted by name: mode before rule, result before rule.
			var labels []string
			for _, l := range s.GetLabel() {
				if l.GetName() != "kind" && l.GetName() != "policy" {
					labels = append(labels, l.GetValue())
				}
			}
			key := strings.Join(labels, ",")
			switch {
			case s.Counter != nil:
				m[key] = s.GetCounter().GetValue()
			case s.Histogram != nil:
				m[key] = float64(s.GetHistogram().GetSampleCount())
			}
		}
		got[f.GetName()] = m
	}
	for o, n := range want.outcomes {
		if g := got["riskkit_decisions_total"][o]; g != float64(n) {
			t.Errorf("decisions %s: %v, want %d", o, g, n)
		}
	}
	for r, n := range want.hits {
		if g := got["riskkit_rule_hits_total"]["active,"+r]; g != float64(n) {
			t.Errorf("hits of %s: %v, want %d", r, g, n)
		}
	}
	for r, n := range want.missing {
		if g := got["riskkit_rule_missing_total"][r]; g != float64(n) {
			t.Errorf("missing %s: %v, want %d", r, g, n)
		}
	}
	if g := got["riskkit_decision_duration_seconds"][""]; g != float64(want.total) {
		t.Errorf("duration samples %v, want %d", g, want.total)
	}
	if g := got["riskkit_rule_evaluations_total"]["fired,prepaid"]; g != 1 {
		t.Errorf("rule evaluations fired %v, want 1", g)
	}
	if g := got["riskkit_rule_duration_seconds"]["prepaid"]; g != 2 {
		t.Errorf("rule duration samples %v, want 2", g)
	}
	if n, err := testutil.GatherAndCount(reg, "riskkit_decisions_total"); err != nil || n != len(want.outcomes) {
		t.Errorf("%d decision series (%v), want %d", n, err, len(want.outcomes))
	}

	// Registering twice on one registry is the caller's mistake, reported.
	if _, err := observe.NewPrometheus(reg, "riskkit"); err == nil {
		t.Error("registering the same metrics twice succeeded")
	}
}
