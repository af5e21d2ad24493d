package observe_test

import (
	"bytes"
	"encoding/json"
	"slices"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/riskkit/riskkit/examples"
	"github.com/riskkit/riskkit/examples/observe"
	"github.com/riskkit/riskkit/risk"
)

func engine(tb testing.TB, opts ...risk.Option) *risk.Engine[risk.Checkout] {
	tb.Helper()
	src, err := examples.Policy("checkout.yaml")
	if err != nil {
		tb.Fatal(err)
	}
	e, err := risk.Compile(src, risk.CheckoutSchema(), opts...)
	if err != nil {
		tb.Fatal(err)
	}
	return e
}

func checkouts(tb testing.TB, n int) []risk.Checkout {
	tb.Helper()
	data, err := examples.Data("transactions.jsonl")
	if err != nil {
		tb.Fatal(err)
	}
	var out []risk.Checkout
	for l := range bytes.Lines(data) {
		var rec struct {
			Input risk.Checkout `json:"input"`
		}
		if err := json.Unmarshal(l, &rec); err != nil {
			tb.Fatal(err)
		}
		out = append(out, rec.Input)
		if len(out) == n {
			break
		}
	}
	return out
}

// recorder keeps every event, with its slices copied.
type recorder struct {
	mu        sync.Mutex
	kinds     map[string]int
	decisions []risk.DecisionEvent
	rules     []risk.RuleEvent
}

func (r *recorder) ObserveDecision(kind string, ev *risk.DecisionEvent) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.kinds == nil {
		r.kinds = map[string]int{}
	}
	r.kinds[kind]++
	c := *ev
	c.Fired, c.Shadow, c.Missing, c.Errors = slices.Clone(ev.Fired), slices.Clone(ev.Shadow), slices.Clone(ev.Missing), slices.Clone(ev.Errors)
	r.decisions = append(r.decisions, c)
}

func (r *recorder) ObserveRule(kind string, ev *risk.RuleEvent) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.rules = append(r.rules, *ev)
}

// event is what an observer should learn of d.
func event(d *risk.Decision) risk.DecisionEvent {
	ev := risk.DecisionEvent{PolicyID: d.PolicyID, PolicyVersion: d.PolicyVersion, Outcome: d.Outcome, Basis: d.Basis, Score: d.Score}
	for _, h := range d.Hits {
		ev.Fired = append(ev.Fired, h.RuleID)
	}
	for _, h := range d.Shadow {
		ev.Shadow = append(ev.Shadow, h.RuleID)
	}
	for _, m := range d.Missing {
		ev.Missing = append(ev.Missing, m.RuleID)
	}
	for _, x := range d.Errors {
		ev.Errors = append(ev.Errors, x.RuleID)
	}
	return ev
}

// TestFor checks that an engine observed through For reports every
// decision as it is, under its kind, without rule events, and that
// ForRules adds one event per rule.
func TestFor(t *testing.T) {
	plain := engine(t)
	var rec, withRules recorder
	e := engine(t, risk.WithObserver(observe.For("checkout", &rec)))
	er := engine(t, risk.WithObserver(observe.ForRules("checkout", &withRules)))
	cs := checkouts(t, 300)
	var want []risk.DecisionEvent
	for _, c := range cs {
		d := plain.Evaluate(&c)
		if got := e.Evaluate(&c); !cmp.Equal(d, got) {
			t.Fatal("observing changed the decision")
		}
		er.Evaluate(&c)
		want = append(want, event(&d))
	}
	opts := []cmp.Option{cmpopts.IgnoreFields(risk.DecisionEvent{}, "Duration"), cmpopts.EquateEmpty()}
	if diff := cmp.Diff(want, rec.decisions, opts...); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
	if rec.kinds["checkout"] != len(cs) || len(rec.rules) != 0 {
		t.Errorf("kinds %v, %d rule events from For", rec.kinds, len(rec.rules))
	}
	if got, n := len(withRules.rules), len(cs)*len(plain.RuleIDs()); got != n {
		t.Errorf("ForRules: %d rule events, want %d", got, n)
	}
	var fired, missing int
	for _, ev := range rec.decisions {
		if ev.Duration <= 0 {
			t.Fatalf("decision %+v has no duration", ev)
		}
		fired += len(ev.Fired)
		missing += len(ev.Missing)
	}
	if fired == 0 || missing == 0 {
		t.Errorf("the sample fired %d rules and missed %d; the test needs both", fired, missing)
	}
}

func TestSinks(t *testing.T) {
	var a, b recorder
	ss := observe.Sinks{&a, &b}
	ss.ObserveDecision("checkout", &risk.DecisionEvent{Outcome: "approve"})
	ss.ObserveRule("checkout", &risk.RuleEvent{RuleID: "r", Result: risk.RuleFired})
	if len(a.decisions) != 1 || len(b.decisions) != 1 || len(a.rules) != 1 || len(b.rules) != 1 {
		t.Errorf("fan-out: %d %d decisions, %d %d rules", len(a.decisions), len(b.decisions), len(a.rules), len(b.rules))
	}
}

// expected counts what the adapters should have counted for decisions.
type expected struct {
	outcomes map[string]int
	hits     map[string]int // rule id -> active hits
	fired    map[string]int // rule id -> active and shadow hits
	missing  map[string]int
	total    int
}

func expect(e *risk.Engine[risk.Checkout], cs []risk.Checkout) expected {
	x := expected{outcomes: map[string]int{}, hits: map[string]int{}, fired: map[string]int{}, missing: map[string]int{}}
	for _, c := range cs {
		d := e.Evaluate(&c)
		x.total++
		x.outcomes[string(d.Outcome)]++
		for _, h := range d.Hits {
			x.hits[h.RuleID]++
			x.fired[h.RuleID]++
		}
		for _, h := range d.Shadow {
			x.fired[h.RuleID]++
		}
		for _, m := range d.Missing {
			x.missing[m.RuleID]++
		}
	}
	return x
}
