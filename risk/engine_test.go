package risk

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// policyHeader is the outcome structure shared by the engine tests.
const policyHeader = `
id: test
version: "7"
outcomes: [reject, review, challenge, approve]
bands:
  - {min_score: 80, outcome: reject}
  - {min_score: 50, outcome: review}
  - {min_score: 30, outcome: challenge}
lists:
  risky_countries: [NG, XX]
cidrs:
  hosting: [203.0.113.0/24, "2001:db8::/32"]
params:
  large: "500.00 USD"
  max_accounts: 3
`

func mustCompile(t testing.TB, src string) *Engine[Checkout] {
	t.Helper()
	e, err := Compile([]byte(src), CheckoutSchema())
	if err != nil {
		t.Fatalf("Compile: %v", err)
	}
	return e
}

func baseCheckout() Checkout {
	return Checkout{
		Customer: Customer{ID: "c1", Kind: Individual, Country: "US", CreatedAt: t0.Add(-400 * 24 * time.Hour)},
		Payment:  PaymentInstrument{Type: Card, Funding: Credit, IssuingCountry: "US", CVC: Pass, Address: Pass},
		Transaction: Transaction{ID: "t1", Amount: MustMoney("100.00 USD"), Kind: Renewal, IP: "198.51.100.7",
			IPCountry: "US", Time: t0, LineItems: []LineItem{{SKU: "vm-small", Category: CategoryCompute, Quantity: 1}}},
		Signals: Signals{AccountsPerIP1h: Known(1)},
	}
}

func TestEvaluateOutcomes(t *testing.T) {
	// Scores are chosen so that each case lands on or just off a band edge.
	e := mustCompile(t, policyHeader+`
rules:
  - id: s30
    when: txn.id == "s30" || txn.id == "s50" || txn.id == "s80"
    score: 30
    reason: S30
  - id: s20
    when: txn.id == "s50" || txn.id == "s80"
    score: 20
    reason: S20
  - id: s29
    when: txn.id == "s29"
    score: 29
    reason: S29
  - id: s80
    when: txn.id == "s80"
    score: 30
    reason: S80
  - id: country
    when: txn.ip_country in lists.risky_countries
    action: review
    reason: RISKY_COUNTRY
  - id: prepaid
    when: payment.funding == "prepaid"
    action: reject
    reason: PREPAID
  - id: trust
    when: customer.personal_contact
    score: -15
    reason: CONTACT
  - id: velocity
    when: signals.accounts_per_ip_1h > params.max_accounts
    score: 40
    reason: VELOCITY
  - id: watch
    when: txn.ip in lists.hosting
    score: 100
    action: reject
    reason: HOSTING
    mode: shadow
  - id: off
    when: "true"
    action: reject
    reason: OFF
    enabled: false
`)
	tests := []struct {
		name   string
		why    string
		edit   func(*Checkout)
		want   Outcome
		basis  Basis
		score  int64
		hits   []string
		shadow []string
		miss   []string
	}{
		{name: "clean", why: "nothing fires: the last outcome is the default",
			edit: func(*Checkout) {}, want: Approve, basis: ByDefault},
		{name: "below first band", why: "29 is one short of the challenge band",
			edit: func(c *Checkout) { c.Transaction.ID = "s29" }, want: Approve, basis: ByDefault, score: 29, hits: []string{"s29"}},
		{name: "exactly at band edge", why: "bands include their minimum",
			edit: func(c *Checkout) { c.Transaction.ID = "s30" }, want: Challenge, basis: ByScore, score: 30, hits: []string{"s30"}},
		{name: "review band edge", why: "30+20 = 50",
			edit: func(c *Checkout) { c.Transaction.ID = "s50" }, want: Review, basis: ByScore, score: 50, hits: []string{"s30", "s20"}},
		{name: "reject band edge", why: "30+20+30 = 80",
			edit: func(c *Checkout) { c.Transaction.ID = "s80" }, want: Reject, basis: ByScore, score: 80, hits: []string{"s30", "s20", "s80"}},
		{name: "negative score pulls below the edge", why: "trust signals subtract",
			edit: func(c *Checkout) { c.Transaction.ID = "s50"; c.Customer.PersonalContact = true },
			want: Challenge, basis: ByScore, score: 35, hits: []string{"s30", "s20", "trust"}},
		{name: "two actions", why: "the most severe action wins",
			edit: func(c *Checkout) { c.Transaction.IPCountry = "NG"; c.Payment.Funding = Prepaid },
			want: Reject, basis: ByRule, hits: []string{"country", "prepaid"}},
		{name: "action beats a milder band", why: "review action with a challenge-band score",
			edit: func(c *Checkout) { c.Transaction.ID = "s30"; c.Transaction.IPCountry = "NG" },
			want: Review, basis: ByRule, score: 30, hits: []string{"s30", "country"}},
		{name: "band beats a milder action", why: "reject band with a review action",
			edit: func(c *Checkout) { c.Transaction.ID = "s80"; c.Transaction.IPCountry = "NG" },
			want: Reject, basis: ByScore, score: 80, hits: []string{"s30", "s20", "s80", "country"}},
		{name: "missing signal", why: "an unsupplied signal never fires a rule and is reported",
			edit: func(c *Checkout) { c.Signals.AccountsPerIP1h = Signal{} },
			want: Approve, basis: ByDefault, miss: []string{"velocity"}},
		{name: "supplied zero is not missing", why: "Known(0) is a value",
			edit: func(c *Checkout) { c.Signals.AccountsPerIP1h = Known(0) }, want: Approve, basis: ByDefault},
		{name: "velocity over", why: "4 > 3",
			edit: func(c *Checkout) { c.Signals.AccountsPerIP1h = Known(4) }, want: Challenge, basis: ByScore, score: 40, hits: []string{"velocity"}},
		{name: "velocity at limit", why: "3 is not over 3",
			edit: func(c *Checkout) { c.Signals.AccountsPerIP1h = Known(3) }, want: Approve, basis: ByDefault},
		{name: "shadow rule", why: "shadow hits are reported but change nothing",
			edit: func(c *Checkout) { c.Transaction.IP = "203.0.113.9" }, want: Approve, basis: ByDefault, shadow: []string{"watch"}},
		{name: "shadow rule ipv6", why: "CIDR sets hold both families",
			edit: func(c *Checkout) { c.Transaction.IP = "2001:db8::1" }, want: Approve, basis: ByDefault, shadow: []string{"watch"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := baseCheckout()
			tt.edit(&in)
			d := e.Evaluate(&in)
			var hits, shadow, miss []string
			for _, h := range d.Hits {
				hits = append(hits, h.RuleID)
			}
			for _, h := range d.Shadow {
				shadow = append(shadow, h.RuleID)
			}
			for _, m := range d.Missing {
				miss = append(miss, m.RuleID)
			}
			type summary struct {
				Outcome            Outcome
				Basis              Basis
				Score              int64
				Hits, Shadow, Miss []string
				Errors             int
			}
			want := summary{tt.want, tt.basis, tt.score, tt.hits, tt.shadow, tt.miss, 0}
			got := summary{d.Outcome, d.Basis, d.Score, hits, shadow, miss, len(d.Errors)}
			if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("%s: decision mismatch (-want +got):\n%s", tt.why, diff)
			}
			if d.PolicyID != "test" || d.PolicyVersion != "7" {
				t.Errorf("policy id/version = %q/%q, want test/7", d.PolicyID, d.PolicyVersion)
			}
		})
	}
}

func TestEvaluateReportsMissingInputs(t *testing.T) {
	e := mustCompile(t, policyHeader+`
rules:
  - id: both
    when: signals.accounts_per_ip_1h > 1 && signals.distinct_cards_24h > 1
    score: 10
    reason: BOTH
  - id: decided
    when: signals.purchases_24h > 100 || txn.id == "t1"
    score: 10
    reason: DECIDED
  - id: not_needed
    when: txn.id == "nope" && signals.purchases_24h > 100
    score: 10
    reason: NOT_NEEDED
`)
	in := baseCheckout()
	in.Signals = Signals{}
	d := e.Evaluate(&in)
	want := []MissingInputs{{RuleID: "both", Inputs: NewInputSet("signals.accounts_per_ip_1h", "signals.distinct_cards_24h")}}
	if diff := cmp.Diff(want, d.Missing); diff != "" {
		t.Errorf("missing (-want +got):\n%s", diff)
	}
	// An || that is true on its other side fires; an && that is false on its
	// other side does not fire and is not missing anything.
	if !d.Fired("decided") || d.Fired("not_needed") {
		t.Errorf("hits = %v, want only decided", d.Hits)
	}
}

func TestRuleErrors(t *testing.T) {
	rules := `
rules:
  - id: amount
    when: txn.amount >= params.large
    score: 10
    reason: LARGE
  - id: ok
    when: txn.id == "t1"
    score: 5
    reason: OK
`
	in := baseCheckout()
	in.Transaction.Amount = MustMoney("900.00 EUR") // EUR against a USD parameter
	for _, tt := range []struct {
		name, header string
		want         Outcome
		basis        Basis
	}{
		{"fail open", policyHeader, Approve, ByDefault},
		{"fail closed", policyHeader + "on_error: fail_closed\nerror_outcome: review\n", Review, ByError},
	} {
		t.Run(tt.name, func(t *testing.T) {
			d := mustCompile(t, tt.header+rules).Evaluate(&in)
			if d.Outcome != tt.want || d.Basis != tt.basis {
				t.Errorf("outcome = %s by %s, want %s by %s", d.Outcome, d.Basis, tt.want, tt.basis)
			}
			if len(d.Errors) != 1 || d.Errors[0].RuleID != "amount" || !strings.Contains(d.Errors[0].Err, "currency mismatch") {
				t.Errorf("errors = %+v, want one currency mismatch on rule amount", d.Errors)
			}
			if !d.Fired("ok") || d.Score != 5 {
				t.Errorf("other rules must still run: hits %v score %d", d.Hits, d.Score)
			}
		})
	}
}

func TestRuntimeErrors(t *testing.T) {
	tests := []struct{ name, when, want string }{
		{"overflow", "txn.amount.minor * 9223372036854775807 > 0", "integer overflow"},
		{"division by zero", "txn.amount.minor / (size(txn.id) - 2) > 0", "division by zero"},
		{"bad ip", `"not-an-ip" in lists.hosting`, "not an IP address"},
		{"bad int conversion", `int(txn.id) > 0`, "type conversion error from 'string' to 'int'"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := mustCompile(t, policyHeader+fmt.Sprintf("rules:\n  - id: r\n    when: '%s'\n    score: 1\n    reason: R\n", tt.when))
			in := baseCheckout()
			d := e.Evaluate(&in)
			if len(d.Errors) != 1 || !strings.Contains(d.Errors[0].Err, tt.want) {
				t.Errorf("errors = %+v, want one containing %q", d.Errors, tt.want)
			}
		})
	}
}

func TestCompileProblems(t *testing.T) {
	src := `id: bad
outcomes: [reject, approve]
rules:
  - id: not_bool
    when: txn.amount.minor + 1
    score: 1
    reason: A
  - id: unknown_field
    when: txn.nope > 3
    score: 1
    reason: B
  - id: unknown_list
    when: |
      txn.ip_country in
        lists.nowhere
    score: 1
    reason: C
  - id: not_bool
    when: "true"
    score: 1
    reason: D
  - id: no_effect
    when: "true"
    reason: E
  - id: bad_action
    when: "true"
    action: explode
    reason: F
  - id: bad_duration
    when: txn.time - customer.created_at < duration("3 days")
    score: 1
    reason: G
  - id: bad_regex
    when: txn.id.matches("(")
    score: 1
    reason: H
`
	_, err := Compile([]byte(src), CheckoutSchema())
	var ce *DocumentError
	if !errors.As(err, &ce) {
		t.Fatalf("err = %v, want *DocumentError", err)
	}
	want := []Issue{
		{RuleID: "not_bool", Line: 18, Column: 5, Msg: "duplicate rule id"},
		{RuleID: "no_effect", Line: 22, Column: 5, Msg: "rule has neither a score nor an action"},
		{RuleID: "bad_action", Line: 25, Column: 5, Msg: `action "explode" is not an outcome of the policy (want one of [reject approve])`},
		{RuleID: "not_bool", Line: 5, Column: 11, Msg: "condition must be bool, not int"},
		{RuleID: "unknown_field", Line: 9, Column: 14, Msg: "undefined field 'nope'"},
		{RuleID: "unknown_list", Line: 15, Column: 9, Msg: "undeclared reference to 'lists' (variables are the schema's fields, lists.NAME, params.NAME and variables.NAME)"},
		{RuleID: "bad_duration", Line: 30, Column: 53, Msg: `invalid duration argument (write a number and a unit, such as duration("72h"), duration("30m") or duration("1h30m"))`},
		{RuleID: "bad_regex", Line: 34, Column: 26, Msg: "invalid regular expression \"(\": error parsing regexp: missing closing ): `(`"},
	}
	if diff := cmp.Diff(want, ce.Issues, cmpopts.IgnoreFields(Issue{}, "Err")); diff != "" {
		t.Errorf("issues (-want +got):\n%s\nerror text:\n%v", diff, err)
	}
	if !errors.Is(err, ErrInvalidPolicy) {
		t.Errorf("errors.Is(err, ErrInvalidPolicy) is false for %v", err)
	}
}

func TestCompileLimits(t *testing.T) {
	long := "txn.id == \"" + strings.Repeat("a", 5000) + "\""
	nested := strings.Repeat("(", 80) + "true" + strings.Repeat(")", 80)
	costly := `txn.line_items.all(a, txn.line_items.all(b, txn.line_items.all(c, a.sku + b.sku + c.sku != "x")))`
	for _, tt := range []struct{ name, when, want string }{
		{"size", long, "expression code point size exceeds limit"},
		{"nesting", nested, "recursion limit exceeded"},
		{"cost", costly, "estimated cost"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			src := policyHeader + fmt.Sprintf("rules:\n  - id: r\n    when: '%s'\n    score: 1\n    reason: R\n", tt.when)
			_, err := Compile([]byte(src), CheckoutSchema())
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "rule r") {
				t.Errorf("err = %v, want one naming rule r and containing %q", err, tt.want)
			}
		})
	}
}

func TestCompileStructure(t *testing.T) {
	for _, tt := range []struct{ name, src, want string }{
		{"empty", "", "document is empty"},
		{"unknown key", "id: x\noutcomes: [a]\nrulez: []\n", `unknown key "rulez"`},
		{"no outcomes", "id: x\nrules: []\n", "outcomes are required"},
		{"bad band", "id: x\noutcomes: [a]\nbands: [{min_score: 1, outcome: b}]\n", `unknown outcome "b"`},
		{"fail closed without outcome", "id: x\noutcomes: [a]\non_error: fail_closed\n", "needs error_outcome"},
		{"bad mode", "id: x\noutcomes: [a]\nrules: [{id: r, when: 'true', action: a, reason: R, mode: loud}]\n", `mode "loud"`},
		{"bad cidr", "id: x\noutcomes: [a]\ncidrs: {h: [300.1.1.1/8]}\n", "not a CIDR range"},
		{"bad money param", "id: x\noutcomes: [a]\nparams: {p: 1.234 USD}\n", "parameter p: risk: parse money"},
		{"not yaml", "id: [x\n", "policy"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Compile([]byte(tt.src), CheckoutSchema())
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestEvaluateConcurrent(t *testing.T) {
	e := mustCompile(t, policyHeader+`
rules:
  - id: velocity
    when: signals.accounts_per_ip_1h > params.max_accounts && txn.line_items.exists(i, i.category == "compute")
    score: 40
    reason: VELOCITY
`)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 200 {
				in := baseCheckout()
				in.Signals.AccountsPerIP1h = Known(int64((g + i) % 6))
				d := e.Evaluate(&in)
				if want := (g+i)%6 > 3; d.Fired("velocity") != want {
					t.Errorf("fired = %v, want %v", d.Fired("velocity"), want)
					return
				}
			}
		}()
	}
	wg.Wait()
}

func TestLineItemLimit(t *testing.T) {
	e := mustCompile(t, policyHeader+`
rules:
  - id: gpu
    when: txn.line_items.exists(i, i.category == "gpu_compute")
    score: 40
    reason: GPU
`)
	in := baseCheckout()
	in.Transaction.LineItems = make([]LineItem, maxLineItems+1)
	in.Transaction.LineItems[maxLineItems].Category = CategoryGPUCompute
	d := e.Evaluate(&in)
	if len(d.Errors) != 1 || !strings.Contains(d.Errors[0].Err, "limit") {
		t.Errorf("errors = %+v, want the list length limit reported", d.Errors)
	}
}

func TestMoneyArithmetic(t *testing.T) {
	e := mustCompile(t, policyHeader+`
rules:
  - id: beyond_cover
    when: signals.unbilled_usage > customer.prepaid_balance + customer.credit_limit
    score: 35
    reason: BEYOND_COVER
  - id: headroom
    when: customer.credit_limit - customer.outstanding_balance < params.large
    score: 5
    reason: HEADROOM
`)
	for _, tt := range []struct {
		name                                  string
		unbilled, prepaid, limit, outstanding string
		hits                                  []string
		errs                                  []string
	}{
		{"under cover", "100.00 USD", "50.00 USD", "60.00 USD", "0.00 USD", []string{"headroom"}, nil},
		{"exactly at cover", "110.00 USD", "50.00 USD", "60.00 USD", "0.00 USD", []string{"headroom"}, nil},
		{"one cent beyond", "110.01 USD", "50.00 USD", "60.00 USD", "0.00 USD", []string{"beyond_cover", "headroom"}, nil},
		{"large headroom", "1.00 USD", "50.00 USD", "900.00 USD", "100.00 USD", nil, nil},
		{"mixed currencies", "1.00 USD", "50.00 EUR", "900.00 USD", "100.00 USD", nil, []string{"beyond_cover"}},
		{"overflow", "1.00 USD", "92233720368547758.07 USD", "0.01 USD", "0.00 USD", []string{"headroom"}, []string{"beyond_cover"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			in := baseCheckout()
			in.Signals.UnbilledUsage = MustMoney(tt.unbilled)
			in.Customer.PrepaidBalance = MustMoney(tt.prepaid)
			in.Customer.CreditLimit = MustMoney(tt.limit)
			in.Customer.OutstandingBalance = MustMoney(tt.outstanding)
			d := e.Evaluate(&in)
			var errs []string
			for _, x := range d.Errors {
				errs = append(errs, x.RuleID)
			}
			if diff := cmp.Diff(tt.hits, ids(d.Hits), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("hits (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.errs, errs, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("errors (-want +got):\n%s (%+v)", diff, d.Errors)
			}
		})
	}
}

func TestBacktestAndCompare(t *testing.T) {
	strict := mustCompile(t, policyHeader+`
rules:
  - id: prepaid
    when: payment.funding == "prepaid"
    action: reject
    reason: PREPAID
  - id: velocity
    when: signals.accounts_per_ip_1h > params.max_accounts
    score: 50
    reason: VELOCITY
  - id: watch
    when: txn.ip_country in lists.risky_countries
    score: 90
    reason: WATCH
    mode: shadow
`)
	lenient := mustCompile(t, policyHeader+`
rules:
  - id: prepaid
    when: payment.funding == "prepaid"
    action: review
    reason: PREPAID
`)
	mk := func(id string, fraud bool, edit func(*Checkout)) Labeled[Checkout] {
		in := baseCheckout()
		edit(&in)
		return Labeled[Checkout]{ID: id, Fraud: fraud, Input: in}
	}
	data := []Labeled[Checkout]{
		mk("clean", false, func(*Checkout) {}),
		mk("prepaid-fraud", true, func(c *Checkout) { c.Payment.Funding = Prepaid }),
		mk("velocity-legit", false, func(c *Checkout) { c.Signals.AccountsPerIP1h = Known(9) }),
		mk("missed-fraud", true, func(c *Checkout) { c.Transaction.IPCountry = "NG" }),
		mk("no-signal", false, func(c *Checkout) { c.Signals = Signals{} }),
	}
	r := strict.Backtest(slices.Values(data))
	want := &Report{PolicyID: "test", PolicyVersion: "7", Inputs: 5, Fraud: 2,
		Outcomes: []OutcomeCount{{Reject, 1}, {Review, 1}, {Challenge, 0}, {Approve, 3}},
		Rules: []RuleStats{{RuleID: "prepaid", Hits: 1, FraudHits: 1}, {RuleID: "velocity", Hits: 1, Missing: 1},
			{RuleID: "watch", Shadow: true, Hits: 1, FraudHits: 1}},
		Flagged:   []Outcome{Reject, Review, Challenge},
		Confusion: Confusion{TruePositives: 1, FalsePositives: 1, TrueNegatives: 2, FalseNegatives: 1},
		Bands:     []Band{{80, Reject}, {50, Review}, {30, Challenge}},
		Scores:    []ScoreCount{{Score: 0, Fraud: 2, Legitimate: 2}, {Score: 50, Legitimate: 1}}}
	if diff := cmp.Diff(want, r); diff != "" {
		t.Errorf("report (-want +got):\n%s", diff)
	}
	if p, rc, fpr := r.Confusion.Precision(), r.Confusion.Recall(), r.Confusion.FalsePositiveRate(); p != 0.5 || rc != 0.5 || fpr != 1.0/3 {
		t.Errorf("precision, recall, fpr = %v, %v, %v; want 0.5, 0.5, 1/3", p, rc, fpr)
	}
	if only := strict.Backtest(slices.Values(data), Reject); only.Confusion != (Confusion{TruePositives: 1, TrueNegatives: 3, FalseNegatives: 1}) {
		t.Errorf("flagging only reject: confusion = %+v", only.Confusion)
	}
	changes := Compare(strict, lenient, slices.Values(data))
	wantChanges := []Change{{ID: "prepaid-fraud", Fraud: true, Before: Reject, After: Review},
		{ID: "velocity-legit", Before: Review, After: Approve}}
	if diff := cmp.Diff(wantChanges, changes); diff != "" {
		t.Errorf("changes (-want +got):\n%s", diff)
	}
}

// TestMissingInputsAreExact checks that only the inputs that left a rule
// undecided are reported, whether the rule is planned or runs on cel-go.
func TestMissingInputsAreExact(t *testing.T) {
	src := policyHeader + `
rules:
  - id: r
    when: (signals.accounts_per_ip_1h > 1 && txn.id == "other") || signals.distinct_cards_24h > 1
    score: 10
    reason: R
`
	for _, cond := range []string{
		`(signals.accounts_per_ip_1h > 1 && txn.id == "other") || signals.distinct_cards_24h > 1`,
		`(signals.accounts_per_ip_1h > 1 && txn.id == "other") || [signals.distinct_cards_24h].exists(n, n > 1)`,
	} {
		e, err := Compile([]byte(strings.Replace(src, "(signals.accounts_per_ip_1h > 1 && txn.id == \"other\") || signals.distinct_cards_24h > 1", cond, 1)), CheckoutSchema())
		if err != nil {
			t.Fatal(err)
		}
		in := baseCheckout()
		in.Signals = Signals{}
		d := e.Evaluate(&in)
		want := []MissingInputs{{RuleID: "r", Inputs: NewInputSet("signals.distinct_cards_24h")}}
		if diff := cmp.Diff(want, d.Missing); diff != "" {
			t.Errorf("%s: missing (-want +got):\n%s", cond, diff)
		}
	}
}

func TestIssueString(t *testing.T) {
	for _, tt := range []struct {
		is   Issue
		want string
	}{
		{Issue{Line: 3, Column: 7, RuleID: "r", Msg: "bad"}, "3:7: rule r: bad"},
		{Issue{Line: 3, Path: "budgets[0].amount", Msg: "must be positive"}, "3: budgets[0].amount: must be positive"},
		{Issue{Path: "flows[2].remote", Msg: "not an address"}, "flows[2].remote: not an address"},
		{Issue{RuleID: "r", Path: "when", Line: 1, Column: 1, Msg: "m"}, "1:1: rule r: when: m"},
		{Issue{Msg: "policy id is required"}, "policy id is required"},
	} {
		if got := tt.is.String(); got != tt.want {
			t.Errorf("%+v.String() = %q, want %q", tt.is, got, tt.want)
		}
	}
}
