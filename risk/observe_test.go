package risk_test

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/riskkit/riskkit/risk"
)

// counter counts outcomes and, per rule, results.
type counter struct {
	mu       sync.Mutex
	outcomes map[risk.Outcome]int
	missing  map[string]int
	rules    map[string]map[risk.RuleResult]int
	last     risk.DecisionEvent
}

func (c *counter) ObserveDecision(ev *risk.DecisionEvent) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.outcomes[ev.Outcome]++
	for _, id := range ev.Missing {
		c.missing[id]++
	}
	c.last = *ev
	c.last.Fired = slices.Clone(ev.Fired)
	c.last.Missing = slices.Clone(ev.Missing)
}

// ruleCounter is a counter that also wants every rule.
type ruleCounter struct{ counter }

func (c *ruleCounter) ObserveRule(ev *risk.RuleEvent) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.rules[ev.RuleID] == nil {
		c.rules[ev.RuleID] = map[risk.RuleResult]int{}
	}
	c.rules[ev.RuleID][ev.Result]++
}

func newCounter() *ruleCounter {
	return &ruleCounter{counter{outcomes: map[risk.Outcome]int{}, missing: map[string]int{},
		rules: map[string]map[risk.RuleResult]int{}}}
}

func ExampleWithObserver() {
	obs := newCounter()
	engine, err := risk.Compile([]byte(examplePolicy), risk.CheckoutSchema(), risk.WithObserver(&obs.counter))
	if err != nil {
		fmt.Println(err)
		return
	}
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	in := risk.Checkout{
		Customer:    risk.Customer{ID: "cus_1", CreatedAt: now.Add(-2 * time.Hour)},
		Payment:     risk.PaymentInstrument{Type: risk.Card, Funding: risk.Prepaid},
		Transaction: risk.Transaction{ID: "txn_1", Amount: risk.MustMoney("20.00 USD"), Time: now},
	}
	engine.Evaluate(&in)
	engine.Evaluate(&in)
	fmt.Println(obs.outcomes)
	fmt.Println("fired:", obs.last.Fired, "missing:", obs.last.Missing)
	// Output:
	// map[reject:2]
	// fired: [high_risk_funding] missing: [signup_velocity]
}

// TestObserver checks that the events say what the decisions say, that
// rule events come only to a RuleObserver, and that concurrent decisions
// are all reported.
func TestObserver(t *testing.T) {
	p, err := risk.ParsePolicy([]byte(examplePolicy))
	if err != nil {
		t.Fatal(err)
	}
	plain, err := risk.CompilePolicy(p, risk.CheckoutSchema())
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	ins := []risk.Checkout{
		{Payment: risk.PaymentInstrument{Funding: risk.Prepaid}},
		{Customer: risk.Customer{CreatedAt: now.Add(-time.Hour)}, Payment: risk.PaymentInstrument{IssuingCountry: "GB"},
			Transaction: risk.Transaction{Amount: risk.MustMoney("900.00 USD"), IPCountry: "US", Time: now},
			Signals:     risk.Signals{AccountsPerIP1h: risk.Known(9)}},
		{Transaction: risk.Transaction{Amount: risk.MustMoney("900.00 EUR"), Time: now}},
	}
	for _, withRules := range []bool{false, true} {
		obs := newCounter()
		var o risk.Observer = &obs.counter
		if withRules {
			o = obs
		}
		e, err := risk.CompilePolicy(p, risk.CheckoutSchema(), risk.WithObserver(o))
		if err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		for range 4 {
			wg.Go(func() {
				for i := range ins {
					e.Evaluate(&ins[i])
				}
			})
		}
		wg.Wait()
		want := map[risk.Outcome]int{}
		wantMissing := map[string]int{}
		wantRules := map[string]map[risk.RuleResult]int{}
		for i := range ins {
			d := plain.Evaluate(&ins[i])
			want[d.Outcome] += 4
			for _, m := range d.Missing {
				wantMissing[m.RuleID] += 4
			}
			result := func(id string) risk.RuleResult {
				switch {
				case d.Fired(id):
					return risk.RuleFired
				case slices.ContainsFunc(d.Missing, func(m risk.MissingInputs) bool { return m.RuleID == id }):
					return risk.RuleMissing
				case slices.ContainsFunc(d.Errors, func(x risk.RuleError) bool { return x.RuleID == id }):
					return risk.RuleFailed
				}
				return risk.RuleQuiet
			}
			for _, id := range plain.RuleIDs() {
				if wantRules[id] == nil {
					wantRules[id] = map[risk.RuleResult]int{}
				}
				wantRules[id][result(id)] += 4
			}
		}
		if fmt.Sprint(obs.outcomes) != fmt.Sprint(want) || fmt.Sprint(obs.missing) != fmt.Sprint(wantMissing) {
			t.Errorf("rules %v: observed outcomes %v missing %v, decisions say %v and %v", withRules, obs.outcomes, obs.missing, want, wantMissing)
		}
		if !withRules && len(obs.rules) != 0 {
			t.Errorf("a plain Observer received rule events: %v", obs.rules)
		}
		if withRules && fmt.Sprint(obs.rules) != fmt.Sprint(wantRules) {
			t.Errorf("rule events %v, decisions say %v", obs.rules, wantRules)
		}
	}
}

// nop observes without doing anything, to time the engine's side.
type nop struct{}

func (nop) ObserveDecision(*risk.DecisionEvent) {}
func (nop) ObserveRule(*risk.RuleEvent)         {}

// BenchmarkObserver compares evaluation without an observer, with one and
// with a rule observer, in the same run.
func BenchmarkObserver(b *testing.B) {
	p, err := risk.ParsePolicy([]byte(examplePolicy))
	if err != nil {
		b.Fatal(err)
	}
	in := risk.Checkout{Payment: risk.PaymentInstrument{Funding: risk.Prepaid}}
	for _, bc := range []struct {
		name string
		o    risk.Observer
	}{{"none", nil}, {"decisions", struct{ risk.Observer }{nop{}}}, {"rules", nop{}}} {
		var opts []risk.Option
		if bc.o != nil {
			opts = append(opts, risk.WithObserver(bc.o))
		}
		e, err := risk.CompilePolicy(p, risk.CheckoutSchema(), opts...)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				e.Evaluate(&in)
			}
		})
	}
}

func ExampleEngine_Explain() {
	engine, err := risk.Compile([]byte(examplePolicy), risk.CheckoutSchema())
	if err != nil {
		fmt.Println(err)
		return
	}
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	in := risk.Checkout{
		Customer: risk.Customer{ID: "cus_1", CreatedAt: now.Add(-2 * time.Hour)},
		Payment:  risk.PaymentInstrument{Type: risk.Card, Funding: risk.Credit, IssuingCountry: "GB"},
		Transaction: risk.Transaction{ID: "txn_1", Amount: risk.MustMoney("740.00 USD"),
			IPCountry: "US", Time: now},
	}
	traces, err := engine.Explain(&in)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, t := range traces[2:] {
		fmt.Println(t.RuleID, t.Result, t.Missing)
		for _, s := range t.Steps {
			fmt.Printf("  %d:%d %s = %s\n", s.Line, s.Column, s.Expr, s.Value)
		}
	}
	// Output:
	// large_new_account fired []
	//   23:14 txn.amount = money("740.00 USD")
	//   23:31 params.large = money("500.00 USD")
	//   23:22 txn.amount >= params.large = true
	//   23:44 txn.time = timestamp("2026-11-25T10:00:00Z")
	//   23:60 customer.created_at = timestamp("2026-11-25T08:00:00Z")
	//   23:50 txn.time - customer.created_at = duration("7200s")
	//   23:82 duration("72h") = duration("259200s")
	//   23:72 txn.time - customer.created_at < duration("72h") = true
	//   23:38 txn.amount >= params.large && txn.time - customer.created_at < duration("72h") = true
	// signup_velocity missing [signals.accounts_per_ip_1h]
	//   27:18 signals.accounts_per_ip_1h = missing: signals.accounts_per_ip_1h
	//   27:46 params.max_accounts_per_ip = 3
	//   27:38 signals.accounts_per_ip_1h > params.max_accounts_per_ip = missing: signals.accounts_per_ip_1h
}
