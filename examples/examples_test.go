package examples_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"iter"
	"strings"
	"testing"

	"github.com/riskkit/riskkit/examples"
	"github.com/riskkit/riskkit/risk"
	"github.com/riskkit/riskkit/risk/risktest"
)

// TestCheckoutPoliciesCompile compiles every checkout policy against the
// checkout schema. Policies for other inputs are compiled by the packages
// that own those inputs.
func TestCheckoutPoliciesCompile(t *testing.T) {
	n := 0
	for _, name := range examples.Policies() {
		if !strings.HasPrefix(name, "checkout") || strings.HasSuffix(name, "_tests.yaml") {
			continue
		}
		n++
		t.Run(name, func(t *testing.T) {
			src, err := examples.Policy(name)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := risk.Compile(src, risk.CheckoutSchema()); err != nil {
				t.Fatal(err)
			}
		})
	}
	if n == 0 {
		t.Fatal("no checkout policy is embedded")
	}
}

func TestCheckoutPolicyCases(t *testing.T) {
	risktest.Run(t, checkoutEngine(t), mustPolicy(t, "checkout_tests.yaml"))
}

// TestCheckoutCasesCoverEveryRule keeps the test cases honest: every enabled
// rule, active or shadow, fires in at least one case.
func TestCheckoutCasesCoverEveryRule(t *testing.T) {
	e := checkoutEngine(t)
	results, err := risktest.Check(e, mustPolicy(t, "checkout_tests.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	fired := map[string]bool{}
	for _, r := range results {
		for _, h := range append(r.Decision.Hits, r.Decision.Shadow...) {
			fired[h.RuleID] = true
		}
	}
	for _, id := range e.RuleIDs() {
		if !fired[id] {
			t.Errorf("rule %s fires in no test case", id)
		}
	}
}

func checkoutEngine(tb testing.TB) *risk.Engine[risk.Checkout] {
	tb.Helper()
	e, err := risk.Compile(mustPolicy(tb, "checkout.yaml"), risk.CheckoutSchema())
	if err != nil {
		tb.Fatal(err)
	}
	return e
}

func mustPolicy(tb testing.TB, name string) []byte {
	tb.Helper()
	src, err := examples.Policy(name)
	if err != nil {
		tb.Fatal(err)
	}
	return src
}

// TestCheckoutBacktest runs the policy over the labelled sample. The bounds
// are loose on purpose: they fail when the policy or the data degenerates
// (catching nothing, flagging everyone, or labels that merely restate the
// policy), not when a rule is tuned.
func TestCheckoutBacktest(t *testing.T) {
	e := checkoutEngine(t)
	records := transactions(t)
	r := e.Backtest(records)
	c := r.Confusion
	t.Logf("%d inputs, %d fraud; outcomes %v; precision %.3f recall %.3f false-positive rate %.3f",
		r.Inputs, r.Fraud, r.Outcomes, c.Precision(), c.Recall(), c.FalsePositiveRate())
	if c.Recall() < 0.6 {
		t.Errorf("recall %.3f: the policy misses most fraud", c.Recall())
	}
	if c.FalsePositiveRate() > 0.2 {
		t.Errorf("false-positive rate %.3f: the policy flags too many good customers", c.FalsePositiveRate())
	}
	if c.FalseNegatives == 0 || c.FalsePositives == 0 {
		t.Errorf("confusion %+v: the labels should not be a function of the policy", c)
	}
	for _, rs := range r.Rules {
		if rs.Errors > 0 {
			t.Errorf("rule %s errored on %d inputs of the sample", rs.RuleID, rs.Errors)
		}
	}
}

// BenchmarkCheckoutEvaluate measures one decision of the example policy on
// the inputs of the sample, in turn.
func BenchmarkCheckoutEvaluate(b *testing.B) {
	e := checkoutEngine(b)
	var inputs []risk.Checkout
	for l := range transactions(b) {
		inputs = append(inputs, l.Input)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		e.Evaluate(&inputs[i%len(inputs)])
	}
}

// transactions decodes the labelled sample.
func transactions(tb testing.TB) iter.Seq[risk.Labeled[risk.Checkout]] {
	tb.Helper()
	data, err := examples.Data("transactions.jsonl")
	if err != nil {
		tb.Fatal(err)
	}
	var out []risk.Labeled[risk.Checkout]
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var l risk.Labeled[risk.Checkout]
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			tb.Fatalf("transactions.jsonl line %d: %v", len(out)+1, err)
		}
		out = append(out, l)
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	return func(yield func(risk.Labeled[risk.Checkout]) bool) {
		for _, l := range out {
			if !yield(l) {
				return
			}
		}
	}
}
