package risk_test

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/riskkit/riskkit/risk"
)

const examplePolicy = `
id: checkout-example
version: "1"
outcomes: [reject, review, challenge, approve]
bands:
  - {min_score: 50, outcome: review}
  - {min_score: 30, outcome: challenge}
lists:
  high_risk_funding: [prepaid, stored_value]
params:
  large: "500.00 USD"
  max_accounts_per_ip: 3
rules:
  - id: high_risk_funding
    when: payment.funding in lists.high_risk_funding
    action: reject
    reason: HIGH_RISK_INSTRUMENT
  - id: cnp_country_mismatch
    when: "!txn.card_present && payment.issuing_country != txn.ip_country"
    score: 25
    reason: CNP_COUNTRY_MISMATCH
  - id: large_new_account
    when: txn.amount >= params.large && txn.time - customer.created_at < duration("72h")
    score: 30
    reason: LARGE_PURCHASE_NEW_ACCOUNT
  - id: signup_velocity
    when: signals.accounts_per_ip_1h > params.max_accounts_per_ip
    score: 40
    reason: SIGNUP_VELOCITY
`

func Example() {
	engine, err := risk.Compile([]byte(examplePolicy), risk.CheckoutSchema())
	if err != nil {
		fmt.Println(err)
		return
	}
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	in := risk.Checkout{
		Customer: risk.Customer{ID: "cus_1", Country: "US", CreatedAt: now.Add(-2 * time.Hour)},
		Payment:  risk.PaymentInstrument{Type: risk.Card, Funding: risk.Credit, IssuingCountry: "GB"},
		Transaction: risk.Transaction{ID: "txn_1", Amount: risk.MustMoney("740.00 USD"),
			Kind: risk.FirstPurchase, IP: "192.0.2.10", IPCountry: "US", Time: now},
	}
	d := engine.Evaluate(&in)
	fmt.Println(d.Outcome, d.Basis, d.Score)
	for _, h := range d.Hits {
		fmt.Printf("  %s %+d\n", h.Reason, h.Score)
	}
	for _, m := range d.Missing {
		fmt.Printf("  not decided: %s (missing %v)\n", m.RuleID, m.Inputs)
	}
	// Output:
	// review score 55
	//   CNP_COUNTRY_MISMATCH +25
	//   LARGE_PURCHASE_NEW_ACCOUNT +30
	//   not decided: signup_velocity (missing signals.accounts_per_ip_1h)
}

func ExampleCompile_problems() {
	_, err := risk.Compile([]byte(`
id: broken
outcomes: [reject, approve]
rules:
  - id: typo
    when: txn.amuont > 10
    action: reject
    reason: TYPO
  - id: not_bool
    when: txn.amount.minor + 1
    action: reject
    reason: NOT_BOOL
`), risk.CheckoutSchema())
	var ce *risk.DocumentError
	if errors.As(err, &ce) {
		for _, is := range ce.Issues {
			fmt.Println(is)
		}
	}
	// Output:
	// 6:14: rule typo: undefined field 'amuont'
	// 10:11: rule not_bool: condition must be bool, not int
}

func ExampleEngine_Backtest() {
	engine, _ := risk.Compile([]byte(examplePolicy), risk.CheckoutSchema())
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	labelled := []risk.Labeled[risk.Checkout]{
		{ID: "ok", Input: risk.Checkout{Payment: risk.PaymentInstrument{Funding: risk.Credit},
			Transaction: risk.Transaction{Amount: risk.MustMoney("20.00 USD"), CardPresent: true, Time: now}}},
		{ID: "prepaid", Fraud: true, Input: risk.Checkout{Payment: risk.PaymentInstrument{Funding: risk.Prepaid},
			Transaction: risk.Transaction{Amount: risk.MustMoney("20.00 USD"), Time: now}}},
		{ID: "missed", Fraud: true, Input: risk.Checkout{Payment: risk.PaymentInstrument{Funding: risk.Debit},
			Transaction: risk.Transaction{Amount: risk.MustMoney("90.00 USD"), CardPresent: true, Time: now}}},
	}
	r := engine.Backtest(slices.Values(labelled))
	fmt.Printf("precision %.2f recall %.2f\n", r.Confusion.Precision(), r.Confusion.Recall())
	for _, o := range r.Outcomes {
		fmt.Println(o.Outcome, o.Count)
	}
	// Output:
	// precision 1.00 recall 0.50
	// reject 1
	// review 0
	// challenge 0
	// approve 2
}

func ExampleNewObject() {
	// A host's own input type, described once with typed accessors.
	type Refund struct {
		Amount   risk.Money
		Reason   string
		Attempts risk.Signal
	}
	schema := risk.NewObject[Refund]("host.Refund").
		Money("amount", func(r *Refund) risk.Money { return r.Amount }).
		String("reason", func(r *Refund) string { return r.Reason }).
		Signal("attempts", func(r *Refund) risk.Signal { return r.Attempts })
	engine, err := risk.Compile([]byte(`
id: refunds
outcomes: [hold, pay]
params: {large: "100.00 EUR"}
rules:
  - id: large_unexplained
    when: amount > params.large && reason == ""
    action: hold
    reason: LARGE_UNEXPLAINED
  - id: repeated
    when: attempts >= 3
    action: hold
    reason: REPEATED
`), schema)
	if err != nil {
		fmt.Println(err)
		return
	}
	d := engine.Evaluate(&Refund{Amount: risk.MustMoney("250.00 EUR"), Attempts: risk.Known(1)})
	fmt.Println(d.Outcome, d.Reasons())
	// Output:
	// hold [LARGE_UNEXPLAINED]
}
