package examples_test

import (
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
