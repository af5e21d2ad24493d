package risk

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// TestSharedSubexpressions checks that computing the sub-expressions rules
// share once per decision changes no rule's result: each rule of the
// example checkout policy, compiled alone, fires, misses inputs and fails
// exactly as it does inside the whole policy, on every example input and
// on the same inputs with their signals and line items removed.
func TestSharedSubexpressions(t *testing.T) {
	p, data := loadCheckouts(t)
	whole, err := CompilePolicy(p, CheckoutSchema())
	if err != nil {
		t.Fatal(err)
	}
	if got := len(newSharingOf(t, p).memo); got < 5 {
		t.Fatalf("the example policy shares %d sub-expressions, want at least 5", got)
	}
	alone := make([]*Engine[Checkout], len(p.Rules))
	for i, r := range p.Rules {
		q := *p
		q.Rules = []Rule{r}
		q.Rules[0].Mode = "" // active, so that its hits are counted alike
		if alone[i], err = CompilePolicy(&q, CheckoutSchema()); err != nil {
			t.Fatal(err)
		}
	}
	inputs := make([]Checkout, 0, 2*len(data))
	for _, l := range data {
		in := l.Input
		inputs = append(inputs, in)
		in.Signals = Signals{}
		in.Transaction.LineItems = nil
		inputs = append(inputs, in)
	}
	for n, in := range inputs {
		d := whole.Evaluate(&in)
		for i, r := range p.Rules {
			a := alone[i].Evaluate(&in)
			fired := d.Fired(r.ID) || slices.ContainsFunc(d.Shadow, func(h Hit) bool { return h.RuleID == r.ID })
			missing := slices.ContainsFunc(d.Missing, func(m MissingInputs) bool { return m.RuleID == r.ID })
			failed := slices.ContainsFunc(d.Errors, func(e RuleError) bool { return e.RuleID == r.ID })
			if fired != (len(a.Hits) == 1) || missing != (len(a.Missing) == 1) || failed != (len(a.Errors) == 1) {
				t.Fatalf("input %d, rule %s: in the policy fired=%v missing=%v failed=%v, alone %v", n, r.ID, fired, missing, failed, a.String())
			}
		}
	}
}

// newSharingOf counts the sharing of p's rules as CompilePolicy does and
// plans them, returning the sub-expressions given a memo bit.
func newSharingOf(t *testing.T, p *Policy) *sharing {
	t.Helper()
	c := newCompiler(p, CheckoutSchema().desc, options{})
	c.variables()
	s := newSharing()
	var checked []*checkedExpr
	for i := range p.Rules {
		ch := c.check(p.Rules[i].When, p.Rules[i].pos, p.Rules[i].ID, nil)
		if ch == nil {
			t.Fatalf("rule %s does not check", p.Rules[i].ID)
		}
		s.count(ch.native)
		checked = append(checked, ch)
	}
	for _, ch := range checked {
		c.plan(ch, s)
	}
	t.Logf("%d shared sub-expressions", len(s.memo))
	return s
}

// TestExplainAgreesWithDecisions checks, on the example checkouts, that the
// value Explain traces for each whole condition is the result the decision
// reached for the rule.
func TestExplainAgreesWithDecisions(t *testing.T) {
	p, data := loadCheckouts(t)
	e, err := CompilePolicy(p, CheckoutSchema())
	if err != nil {
		t.Fatal(err)
	}
	for n, l := range data[:200] {
		traces, err := e.Explain(&l.Input)
		if err != nil {
			t.Fatal(err)
		}
		if len(traces) != len(e.rules) {
			t.Fatalf("%d traces for %d rules", len(traces), len(e.rules))
		}
		for _, tr := range traces {
			if len(tr.Steps) == 0 {
				t.Fatalf("input %d, rule %s: no steps", n, tr.RuleID)
			}
			whole := tr.Steps[len(tr.Steps)-1].Value
			want := map[RuleResult]string{RuleFired: "true", RuleQuiet: "false", RuleMissing: "missing: ", RuleFailed: "error: "}[tr.Result]
			if !strings.HasPrefix(whole, want) && !(tr.Result == RuleMissing && strings.HasPrefix(whole, "error: ")) {
				t.Fatalf("input %d, rule %s: %s, but its condition traced as %s", n, tr.RuleID, tr.Result, whole)
			}
		}
	}
	var zero Engine[Checkout]
	if _, err := zero.Explain(nil); err == nil {
		t.Error("a zero Engine explained")
	}
}

// TestVariableInsideLoop checks that a variable with a loop of its own,
// first computed inside a rule's loop, leaves the rule's loop variable as
// it was: the rule reads i after the variable has run its own loop.
func TestVariableInsideLoop(t *testing.T) {
	e := mustCompile(t, policyHeader+`
variables:
  - name: any_gpu
    expression: txn.line_items.exists(j, j.category == "gpu_compute")
rules:
  - id: inside
    when: txn.line_items.exists(i, variables.any_gpu && i.quantity > 5)
    score: 1
    reason: R
  - id: inlined
    when: txn.line_items.exists(i, txn.line_items.exists(j, j.category == "gpu_compute") && i.quantity > 5)
    score: 1
    reason: R
`)
	in := baseCheckout()
	for _, items := range [][]LineItem{
		{{SKU: "gpu", Category: CategoryGPUCompute, Quantity: 1}, {SKU: "vm", Category: CategoryCompute, Quantity: 9}},
		{{SKU: "vm", Category: CategoryCompute, Quantity: 9}, {SKU: "gpu", Category: CategoryGPUCompute, Quantity: 1}},
		{{SKU: "gpu", Category: CategoryGPUCompute, Quantity: 9}},
		{{SKU: "vm", Category: CategoryCompute, Quantity: 9}},
	} {
		in.Transaction.LineItems = items
		d := e.Evaluate(&in)
		if d.Fired("inside") != d.Fired("inlined") {
			t.Errorf("items %v: with the variable %v, inlined %v", items, d.Fired("inside"), d.Fired("inlined"))
		}
	}
}

// TestOverloadHints checks that a rule applying an operator to operands it
// does not take is told what to write instead.
func TestOverloadHints(t *testing.T) {
	for _, tt := range []struct{ when, hint string }{
		{`txn.amount > 100`, `money("100.00 USD")`},
		{`txn.amount == "10.00 USD"`, `money("100.00 USD")`},
		{`customer.created_at > "2020-01-01"`, `timestamp("2026-01-31T09:00:00Z")`},
		{`txn.time - customer.created_at > "1h"`, `duration("72h")`},
		{`txn.time - customer.created_at > 3600`, `which counts nanoseconds`},
		{`signals.accounts_per_ip_1h + 1.5 > 2.0`, `arithmetic needs one numeric type`},
		{`customer.id > 3`, `convert the string with int()`},
		{`customer.mfa > 3`, `compare like with like`},
	} {
		_, err := Compile([]byte(policyHeader+"rules:\n  - id: r\n    when: '"+tt.when+"'\n    score: 1\n    reason: R\n"), CheckoutSchema())
		if err == nil || !strings.Contains(err.Error(), tt.hint) {
			t.Errorf("%s: want a hint with %q, got %v", tt.when, tt.hint, err)
		}
	}
}

// TestZeroEngine checks that an Engine no compiler made answers every call
// without panicking, and that a Decision prints as its summary.
func TestZeroEngine(t *testing.T) {
	var e Engine[Checkout]
	d := e.Evaluate(nil)
	if len(d.Errors) != 1 || d.Basis != ByError {
		t.Errorf("zero engine decided %+v", d)
	}
	if r := e.Backtest(func(func(Labeled[Checkout]) bool) {}); r == nil || r.Inputs != 0 {
		t.Errorf("zero engine backtest: %+v", r)
	}
	if e.PolicyID() != "" || len(e.RuleIDs()) != 0 || len(e.Outcomes()) != 0 {
		t.Error("zero engine has a policy")
	}
	p, _ := loadCheckouts(t)
	real, err := CompilePolicy(p, CheckoutSchema())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := real.Explain(nil); err != nil {
		t.Fatal(err)
	}
	if d := real.Evaluate(nil); fmt.Sprint(d) != d.String() || !strings.HasPrefix(fmt.Sprint(d), string(d.Outcome)+" score=") {
		t.Errorf("fmt prints %v, String says %s", d, d.String())
	}
}

func TestObjectTypeName(t *testing.T) {
	if got := CheckoutSchema().TypeName(); got != "riskkit.Checkout" {
		t.Errorf("CheckoutSchema().TypeName() = %q", got)
	}
}
