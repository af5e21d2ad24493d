package observe_test

import (
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/riskkit/riskkit/examples/observe"
	"github.com/riskkit/riskkit/risk"
)

func TestPrometheus(t *testing.T) {
	reg := prometheus.NewPedanticRegistry()
	p, err := observe.NewPrometheus(reg, "riskkit")
	if err != nil {
		t.Fatal(err)
	}
	e := engine(t, risk.WithObserver(observe.ForRules("checkout", p)))
	cs := checkouts(t, 300)
	for _, c := range cs {
		e.Evaluate(&c)
	}
	want := expect(engine(t), cs)

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
	for r, n := range want.fired {
		if g := got["riskkit_rule_evaluations_total"]["fired,"+r]; g != float64(n) {
			t.Errorf("rule evaluations of %s fired %v, want %d", r, g, n)
		}
	}
	for _, r := range e.RuleIDs() {
		if g := got["riskkit_rule_duration_seconds"][r]; g != float64(want.total) {
			t.Errorf("rule %s duration samples %v, want %d", r, g, want.total)
		}
	}
	if n, err := testutil.GatherAndCount(reg, "riskkit_decisions_total"); err != nil || n != len(want.outcomes) {
		t.Errorf("%d decision series (%v), want %d", n, err, len(want.outcomes))
	}

	// Registering twice on one registry is the caller's mistake, reported.
	if _, err := observe.NewPrometheus(reg, "riskkit"); err == nil {
		t.Error("registering the same metrics twice succeeded")
	}
}
