package risk

import (
	"testing"

	"encoding/json"
)

// FuzzCompile checks that no policy document, however malformed, panics the
// compiler or, once compiled, the evaluator; and that a policy that compiles
// still compiles after a round trip through its Go form.
func FuzzCompile(f *testing.F) {
	f.Add([]byte(policyHeader + `
rules:
  - id: r
    when: txn.amount >= params.large && signals.accounts_per_ip_1h > params.max_accounts
    score: 30
    reason: R
  - id: ip
    when: txn.ip in lists.hosting || txn.ip_country in lists.risky_countries
    action: review
    reason: IP
`))
	f.Add([]byte(`{"id":"j","outcomes":["deny","allow"],"rules":[{"id":"a","when":"txn.line_items.exists(i, i.category == 'gpu_compute')","action":"deny","reason":"GPU"}]}`))
	f.Add([]byte("id: x\noutcomes: [a]\nrules:\n  - id: r\n    when: |\n      customer.credit.band in ['D', 'E'] &&\n        txn.time - customer.created_at < duration(\"72h\")\n    action: a\n    reason: R\n"))
	f.Add([]byte("id: x\noutcomes: [a, b]\non_error: fail_closed\nerror_outcome: a\nrules:\n  - {id: r, when: 'int(txn.id) > 2', score: 5, reason: R}\n"))
	f.Add([]byte(policyHeader + `
variables:
  - {name: age, expression: txn.time - customer.created_at}
  - {name: big, expression: 'txn.amount >= {"USD": money("500.00 USD")}[?txn.amount.currency()].orValue(money("1.00 USD"))'}
rules:
  - {id: a, when: 'customer.id in ["vip"]', action: allow, reason: A}
  - {id: b, when: 'variables.big && variables.age < duration("72h")', score: 10, reason: B}
  - {id: c, when: '1 in [] || size([1 / 0]) == 1 || dyn("abc") % 2 == 0', score: 1, reason: C}
  - {id: d, when: '(["a"].filter(w, signals.accounts_per_device_1h in []) + ["b"]).size() > 0', score: 1, reason: D}
  - {id: e, when: 'customer.id.matches("^[a-z]+$") && int(duration("1h")) == 3600', score: 1, reason: E}
`))
	f.Add([]byte("id: x\noutcomes: [a, b]\ndecision_budget: 1\nparams: {m: {EUR: 3, USD: 4}}\nrules:\n  - {id: r, when: 'params.m[customer.country] > 3', score: 5, reason: R}\n"))
	f.Add([]byte("id: [\n"))
	f.Add([]byte(""))
	f.Fuzz(func(t *testing.T, src []byte) {
		e, err := Compile(src, CheckoutSchema())
		if err != nil {
			return
		}
		in := baseCheckout()
		_ = e.Evaluate(&in)
		var empty Checkout
		_ = e.Evaluate(&empty)
		_ = e.Evaluate(nil)

		p, err := ParsePolicy(src)
		if err != nil {
			t.Fatalf("compiled but does not parse: %v", err)
		}
		out, err := json.Marshal(p) // JSON is YAML, and its encoder is exact
		if err != nil {
			t.Fatalf("marshal: %v", err)
		}
		if _, err := Compile(out, CheckoutSchema()); err != nil {
			t.Fatalf("round trip does not compile: %v\n%s", err, out)
		}
	})
}
