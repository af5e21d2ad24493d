package risk

import (
	"context"
	"errors"
	"math"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestAllowRule(t *testing.T) {
	src := policyHeader + `
on_error: fail_closed
error_outcome: review
rules:
  - id: known_customer
    when: customer.id == "c1"
    action: allow
    reason: KNOWN_CUSTOMER
  - id: block_country
    when: customer.country == "US"
    action: reject
    reason: COUNTRY
  - id: big_score
    when: "true"
    score: 90
    reason: SCORE
  - id: broken
    when: 1 / (size(txn.id) - 2) > 0
    score: 1
    reason: BROKEN
`
	e := mustCompile(t, src)
	in := baseCheckout()
	d := e.Evaluate(&in)
	if d.Outcome != Approve || d.Basis != ByAllow {
		t.Errorf("outcome %s by %s, want approve by allow: %v", d.Outcome, d.Basis, d.String())
	}
	if got := d.Reasons(); !cmp.Equal(got, []string{"KNOWN_CUSTOMER", "COUNTRY", "SCORE"}) {
		t.Errorf("every rule is still evaluated and reported; hits %v", got)
	}
	if len(d.Errors) != 1 || d.Score != 90 {
		t.Errorf("errors %v score %d, want the broken rule reported and score 90", d.Errors, d.Score)
	}
	in.Customer.ID = "c2"
	if d := e.Evaluate(&in); d.Outcome != Reject || d.Basis != ByRule {
		t.Errorf("without the allow rule: %s by %s, want reject by rule", d.Outcome, d.Basis)
	}
	if _, err := Compile([]byte(strings.Replace(src, "action: allow\n", "action: allow\n    score: 5\n", 1)), CheckoutSchema()); err == nil {
		t.Error("an allow rule with a score compiled")
	}
}

func TestVariables(t *testing.T) {
	src := policyHeader + `
variables:
  - name: age
    expression: txn.time - customer.created_at
  - name: new_account
    expression: variables.age < duration("72h")
  - name: skus
    expression: txn.line_items.map(i, i.sku)
rules:
  - id: new
    when: variables.new_account
    score: 10
    reason: NEW
  - id: gpu
    when: '"gpu" in variables.skus && variables.age < duration("720h")'
    score: 20
    reason: GPU
`
	e := mustCompile(t, src)
	in := baseCheckout()
	in.Customer.CreatedAt = in.Transaction.Time.Add(-time.Hour)
	in.Transaction.LineItems = []LineItem{{SKU: "gpu", Quantity: 1}}
	d := e.Evaluate(&in)
	if !cmp.Equal(d.Reasons(), []string{"NEW", "GPU"}) {
		t.Errorf("hits %v, want NEW and GPU", d.Reasons())
	}
	in.Customer.CreatedAt = time.Time{}
	d = e.Evaluate(&in)
	want := []MissingInputs{{RuleID: "new", Inputs: NewInputSet("customer.created_at")}, {RuleID: "gpu", Inputs: NewInputSet("customer.created_at")}}
	if diff := cmp.Diff(want, d.Missing); diff != "" {
		t.Errorf("missing (-want +got):\n%s", diff)
	}

	_, err := Compile([]byte(policyHeader+`
variables:
  - name: x
    expression: txn.nope + 1
rules:
  - id: r
    when: variables.x > 1
    score: 1
    reason: R
`), CheckoutSchema())
	var ce *DocumentError
	if !errors.As(err, &ce) || len(ce.Issues) != 1 || ce.Issues[0].Path != "variables.x" || ce.Issues[0].Line != 19 || ce.Issues[0].Column != 20 {
		t.Errorf("err = %v, want one issue, at 19:20 on variables.x", err)
	}
}

func TestScoreSumIndependentOfOrder(t *testing.T) {
	for _, scores := range [][]int64{
		{math.MaxInt64, math.MaxInt64, math.MinInt64},
		{math.MinInt64, math.MaxInt64, math.MaxInt64},
		{math.MaxInt64, math.MinInt64, math.MaxInt64},
	} {
		var s scoreSum
		for _, n := range scores {
			s.add(n)
		}
		// The exact sum is MaxInt64 - 1; adding in order and saturating at
		// each step would give -1 or MaxInt64 depending on the order.
		if got := s.total(); got != math.MaxInt64-1 {
			t.Errorf("%v: total %d, want MaxInt64-1", scores, got)
		}
	}
	var s scoreSum
	for _, n := range []int64{math.MinInt64, math.MinInt64, 5} {
		s.add(n)
	}
	if got := s.total(); got != math.MinInt64 {
		t.Errorf("total %d, want MinInt64", got)
	}
}

func TestDecisionBudget(t *testing.T) {
	var b strings.Builder
	b.WriteString(policyHeader + "decision_budget: 2000\non_error: fail_closed\nerror_outcome: review\nrules:\n")
	for i := range 50 {
		b.WriteString("  - id: r" + string(rune('a'+i%26)) + string(rune('a'+i/26)) + "\n")
		b.WriteString("    when: customer.id.matches(\"^[a-z]{1,3}[0-9]+$\") && false\n    score: 1\n    reason: R\n")
	}
	e := mustCompile(t, b.String())
	in := baseCheckout()
	in.Customer.ID = strings.Repeat("a", 200)
	d := e.Evaluate(&in)
	if len(d.Errors) == 0 || !strings.Contains(d.Errors[len(d.Errors)-1].Err, "decision budget") || d.Outcome != Review {
		t.Fatalf("a spent budget must stop the rules with errors and fail closed: %v %v", d.String(), d.Errors)
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	d = e.EvaluateContext(ctx, &in)
	if len(d.Errors) != 50 || !strings.Contains(d.Errors[0].Err, "context canceled") {
		t.Errorf("a cancelled context must stop every rule: %d errors, first %v", len(d.Errors), d.Errors[0])
	}
}

func TestMoneyInRules(t *testing.T) {
	src := policyHeader + `
params:
  large: "500.00 USD"
  max_accounts: 3
  large_purchase: {USD: "500.00 USD", EUR: "460.00 EUR"}
rules:
  - id: large
    when: txn.amount >= params.large_purchase[txn.amount.currency()]
    score: 10
    reason: LARGE
  - id: literal
    when: txn.amount * 2 > money("150.00 USD") && string(txn.amount) == "100.00 USD" && txn.amount.amount() == "100.00" && txn.amount.minor() == 10000
    score: 20
    reason: LITERAL
  - id: mismatch
    when: txn.amount + money("1.00 EUR") > money("1.00 EUR")
    score: 1
    reason: MISMATCH
`
	src = strings.Replace(src, "params:\n  large: \"500.00 USD\"\n  max_accounts: 3\n", "", 1)
	e := mustCompile(t, src)
	in := baseCheckout()
	in.Transaction.Amount = MustMoney("460.00 EUR")
	d := e.Evaluate(&in)
	if !d.Fired("large") || d.Fired("literal") || !d.Fired("mismatch") || len(d.Errors) != 0 {
		t.Errorf("EUR 460: %v errors %v", d.String(), d.Errors)
	}
	in.Transaction.Amount = MustMoney("100.00 USD")
	d = e.Evaluate(&in)
	if d.Fired("large") || !d.Fired("literal") || len(d.Errors) != 1 || !strings.Contains(d.Errors[0].Err, "currency mismatch") {
		t.Errorf("USD 100: %v errors %v", d.String(), d.Errors)
	}
	if _, err := Compile([]byte(strings.Replace(src, `money("150.00 USD")`, `money("150 dollars")`, 1)), CheckoutSchema()); err == nil {
		t.Error("a malformed money literal compiled")
	}
}

// TestReadmePolicy compiles the policy of the README's policy section and
// evaluates it, so that the example stays true.
func TestReadmePolicy(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Skip(err)
	}
	_, rest, _ := strings.Cut(string(readme), "## Policies\n")
	_, rest, _ = strings.Cut(rest, "```yaml\n")
	src, _, _ := strings.Cut(rest, "```")
	e := mustCompile(t, src)
	in := baseCheckout()
	in.Customer.Country = "NG"
	in.Transaction.LineItems = []LineItem{{SKU: "gpu.a100", Category: CategoryGPUCompute, Quantity: 1}}
	in.Transaction.Amount = MustMoney("400.00 USD")
	d := e.Evaluate(&in)
	if len(d.Errors) != 0 || len(d.Shadow) != 1 || d.Shadow[0].RuleID != "risky_category_spend" {
		t.Errorf("decision %v: errors %v, shadow %v; want the shadow rule to fire", d.String(), d.Errors, d.Shadow)
	}
}
