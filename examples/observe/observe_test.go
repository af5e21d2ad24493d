package observe_test

import (
	"bytes"
	"encoding/json"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/riskkit/riskkit/examples"
	"github.com/riskkit/riskkit/examples/observe"
	"github.com/riskkit/riskkit/risk"
)

func engine(tb testing.TB) *risk.Engine[risk.Checkout] {
	tb.Helper()
	src, err := examples.Policy("checkout.yaml")
	if err != nil {
		tb.Fatal(err)
	}
	e, err := risk.Compile(src, risk.CheckoutSchema())
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

// recorder keeps every event.
type recorder struct {
	mu        sync.Mutex
	decisions []observe.Decision
	rules     []observe.Rule
}

func (r *recorder) ObserveDecision(d *observe.Decision) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.decisions = append(r.decisions, *d)
}

func (r *recorder) ObserveRule(ev *observe.Rule) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.rules = append(r.rules, *ev)
}

func TestEvaluate(t *testing.T) {
	e := engine(t)
	var rec recorder
	var want []observe.Decision
	for _, c := range checkouts(t, 300) {
		got := observe.Evaluate(&rec, "checkout", e, &c)
		d := e.Evaluate(&c)
		if diff := cmp.Diff(d, got); diff != "" {
			t.Fatalf("observing changed the decision (-want +got):\n%s", diff)
		}
		if nilObs := observe.Evaluate(nil, "checkout", e, &c); !cmp.Equal(d, nilObs) {
			t.Fatal("a nil observer changed the decision")
		}
		want = append(want, observe.FromDecision("checkout", &d, 0))
	}
	if diff := cmp.Diff(want, rec.decisions, cmpopts.IgnoreFields(observe.Decision{}, "Duration")); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
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

func TestFromDecision(t *testing.T) {
	d := risk.Decision{PolicyID: "p", PolicyVersion: "3", Outcome: "review", Score: 55,
		Hits:    []risk.Hit{{RuleID: "a"}, {RuleID: "b"}},
		Shadow:  []risk.Hit{{RuleID: "s"}},
		Errors:  []risk.RuleError{{RuleID: "e"}},
		Missing: []risk.MissingInputs{{RuleID: "m"}}}
	want := observe.Decision{Kind: "checkout", PolicyID: "p", PolicyVersion: "3", Outcome: "review", Score: 55,
		Fired: []string{"a", "b"}, Shadow: []string{"s"}, Errors: []string{"e"}, Missing: []string{"m"}, Duration: time.Microsecond}
	if diff := cmp.Diff(want, observe.FromDecision("checkout", &d, time.Microsecond)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestObservers(t *testing.T) {
	var a, b recorder
	plain := &onlyDecisions{}
	os := observe.Observers{&a, plain, &b}
	os.ObserveDecision(&observe.Decision{Outcome: "approve"})
	os.ObserveRule(&observe.Rule{RuleID: "r", Result: observe.RuleFired})
	if len(a.decisions) != 1 || len(b.decisions) != 1 || plain.n != 1 || len(a.rules) != 1 || len(b.rules) != 1 {
		t.Errorf("fan-out: %d %d %d decisions, %d %d rules", len(a.decisions), len(b.decisions), plain.n, len(a.rules), len(b.rules))
	}
}

type onlyDecisions struct{ n int }

func (o *onlyDecisions) ObserveDecision(*observe.Decision) { o.n++ }

// expected counts what the adapters should have counted for decisions.
type expected struct {
	outcomes map[string]int
	hits     map[string]int // rule id -> active hits
	missing  map[string]int
	total    int
}

func expect(e *risk.Engine[risk.Checkout], cs []risk.Checkout) expected {
	x := expected{outcomes: map[string]int{}, hits: map[string]int{}, missing: map[string]int{}}
	for _, c := range cs {
		d := e.Evaluate(&c)
		x.total++
		x.outcomes[string(d.Outcome)]++
		for _, h := range d.Hits {
			x.hits[h.RuleID]++
		}
		for _, m := range d.Missing {
			x.missing[m.RuleID]++
		}
	}
	return x
}
