package risk

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// The attacks below once held a decision for seconds or minutes, or a
// compilation for seconds and gigabytes. Each must now be refused when
// compiling or end within its budget with a rule error.

// hostileRegexPolicy is a policy of rules matching an expensive pattern,
// each its own or, with same, all one (which a decision computes once).
func hostileRegexPolicy(rules int, same bool) string {
	var b strings.Builder
	b.WriteString(policyHeader + "on_error: fail_closed\nerror_outcome: review\nrules:\n")
	for i := range rules {
		suffix := i
		if same {
			suffix = 0
		}
		fmt.Fprintf(&b, "  - id: re%d\n    when: customer.id.matches(\"^([a-z]+[0-9]*)+x%d$\")\n    score: 1\n    reason: R\n", i, suffix)
	}
	return b.String()
}

func TestBoundsRefusedWhenCompiling(t *testing.T) {
	huge := `customer.id.matches("` + strings.Repeat("[a-z]{0,1000}", 290) + `$")`
	for _, tt := range []struct {
		name, when, want string
	}{
		{"huge pattern", huge, "instructions or more, over the limit"},
		{"pattern from the input", `customer.id.matches(txn.id)`, "must be a string literal"},
		{"pattern from the input in regex.replace", `regex.replace(customer.id, txn.id, "") == ""`, "must be a string literal"},
		{"costly comprehension", `txn.line_items.exists(a, txn.line_items.exists(b, txn.line_items.exists(c, txn.line_items.exists(d, a.sku + b.sku + c.sku + d.sku == "")))) `, "comprehension over txn.line_items costs up to"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Compile([]byte(policyHeader+fmt.Sprintf("rules:\n  - id: r\n    when: '%s'\n    score: 1\n    reason: R\n", tt.when)), CheckoutSchema())
			var ce *DocumentError
			if !errors.As(err, &ce) || !strings.Contains(err.Error(), tt.want) || ce.Issues[0].Line == 0 {
				t.Errorf("err = %v, want a located compile error containing %q", err, tt.want)
			}
		})
	}

	big := []byte(strings.Repeat(" ", 5<<20))
	if _, err := Compile(big, CheckoutSchema()); err == nil || !strings.Contains(err.Error(), "over the limit") {
		t.Errorf("a 5 MiB policy: err = %v, want the size limit", err)
	}
	if _, err := Compile([]byte(hostileRegexPolicy(20, false)), CheckoutSchema(), WithLimits(Limits{MaxRules: 10})); err == nil || !strings.Contains(err.Error(), "over the limit of 10") {
		t.Errorf("20 rules over a limit of 10: err = %v", err)
	}
}

func TestBoundsHoldAtRunTime(t *testing.T) {
	t.Run("many regex rules share one decision budget", func(t *testing.T) {
		e := mustCompile(t, hostileRegexPolicy(200, false))
		in := baseCheckout()
		in.Customer.ID = strings.Repeat("a", 4096)
		d := e.Evaluate(&in)
		if len(d.Errors) == 0 || !strings.Contains(d.Errors[len(d.Errors)-1].Err, "budget") || d.Outcome != Review {
			t.Fatalf("want the budget to stop the rules and fail closed; got %v with %d errors", d.String(), len(d.Errors))
		}
	})
	t.Run("rules sharing one condition compute it once", func(t *testing.T) {
		e := mustCompile(t, hostileRegexPolicy(200, true))
		in := baseCheckout()
		in.Customer.ID = strings.Repeat("a", 4096)
		if d := e.Evaluate(&in); len(d.Errors) != 0 || d.Outcome != Approve {
			t.Fatalf("want one match for all 200 rules, within the budget; got %v with %d errors", d.String(), len(d.Errors))
		}
	})
	t.Run("a huge input is charged its real size", func(t *testing.T) {
		e := mustCompile(t, policyHeader+`rules:
  - id: grow
    when: '[customer.id].map(s, s + s + s).exists(s, size(s) == 1)'
    score: 1
    reason: R
  - id: concat
    when: customer.id + customer.id + customer.id == txn.id
    score: 1
    reason: R
`)
		in := baseCheckout()
		in.Customer.ID = strings.Repeat("a", 1<<20)
		d := e.Evaluate(&in)
		if len(d.Errors) != 2 || !strings.Contains(d.Errors[0].Err, "cost limit") || !strings.Contains(d.Errors[1].Err, "cost limit") {
			t.Errorf("errors %+v, want both rules stopped by the cost limit", d.Errors)
		}
	})
	t.Run("a large deny-list costs one lookup", func(t *testing.T) {
		var b strings.Builder
		b.WriteString("lists:\n  deny:\n")
		for i := range 100000 {
			fmt.Fprintf(&b, "    - id%d\n", i)
		}
		src := strings.Replace(policyHeader, "lists:\n", b.String(), 1) + `rules:
  - id: denied
    when: customer.id in lists.deny
    action: reject
    reason: DENIED
  - id: denied_in_macro
    when: '[customer.id, txn.id].exists(x, x in lists.deny)'
    action: reject
    reason: DENIED
`
		e := mustCompile(t, src)
		in := baseCheckout()
		in.Customer.ID = "id99999"
		if d := e.Evaluate(&in); !d.Fired("denied") || !d.Fired("denied_in_macro") || len(d.Errors) != 0 {
			t.Errorf("decision %v errors %v, want both rules to fire", d.String(), d.Errors)
		}
	})
}

func BenchmarkHostile(b *testing.B) {
	b.Run("regex-rules-200x4KB", func(b *testing.B) {
		e := mustCompile(b, hostileRegexPolicy(200, false))
		in := baseCheckout()
		in.Customer.ID = strings.Repeat("a", 4096)
		b.ReportAllocs()
		for b.Loop() {
			e.Evaluate(&in)
		}
	})
	b.Run("map-concat-1MB", func(b *testing.B) {
		e := mustCompile(b, policyHeader+`rules:
  - id: grow
    when: '[customer.id].map(s, s + s + s).exists(s, size(s) == 1)'
    score: 1
    reason: R
`)
		in := baseCheckout()
		in.Customer.ID = strings.Repeat("a", 1<<20)
		b.ReportAllocs()
		for b.Loop() {
			e.Evaluate(&in)
		}
	})
}
