package riskkit_test

import (
	"fmt"
	"time"

	"github.com/riskkit/riskkit/examples"
	"github.com/riskkit/riskkit/risk"
)

// Example scores one purchase with the example checkout policy.
func Example() {
	src, err := examples.Policy("checkout.yaml")
	if err != nil {
		fmt.Println(err)
		return
	}
	engine, err := risk.Compile(src, risk.CheckoutSchema())
	if err != nil {
		fmt.Println(err)
		return
	}
	now := time.Date(2026, 11, 25, 9, 30, 0, 0, time.UTC)
	d := engine.Evaluate(&risk.Checkout{
		Customer: risk.Customer{ID: "cus_1", Country: "US", CreatedAt: now.Add(-3 * time.Hour),
			Email: risk.Verified, Phone: risk.Verified},
		Payment: risk.PaymentInstrument{Type: risk.Card, Funding: risk.Prepaid, IssuingCountry: "US"},
		Transaction: risk.Transaction{ID: "txn_1", Amount: risk.MustMoney("49.00 USD"),
			Kind: risk.FirstPurchase, IP: "192.0.2.1", IPCountry: "US", Time: now},
	})
	fmt.Println(d.Outcome, d.Reasons())
	// Output:
	// reject [HIGH_RISK_INSTRUMENT]
}
