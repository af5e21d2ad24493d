package risk_test

import (
	"fmt"
	"slices"
	"time"

	"github.com/riskkit/riskkit/risk"
)

// Reports of two shards, scored anywhere, merge into the report of the
// whole, thresholds included.
func ExampleReport_Merge() {
	engine, _ := risk.Compile([]byte(examplePolicy), risk.CheckoutSchema())
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	checkout := func(issuer, ipCountry string) risk.Checkout {
		return risk.Checkout{Payment: risk.PaymentInstrument{Funding: risk.Credit, IssuingCountry: issuer},
			Transaction: risk.Transaction{Amount: risk.MustMoney("20.00 USD"), IPCountry: ipCountry, Time: now}}
	}
	shard1 := []risk.Labeled[risk.Checkout]{
		{ID: "a", Input: checkout("DE", "DE")},
		{ID: "b", Fraud: true, Input: checkout("DE", "NG")},
	}
	shard2 := []risk.Labeled[risk.Checkout]{
		{ID: "c", Input: checkout("FR", "BE")},
		{ID: "d", Input: checkout("FR", "FR")},
	}
	r := engine.Backtest(slices.Values(shard1))
	if err := r.Merge(engine.Backtest(slices.Values(shard2))); err != nil {
		fmt.Println(err)
	}
	fmt.Printf("%d inputs, precision %.2f, recall %.2f\n", r.Inputs, r.Confusion.Precision(), r.Confusion.Recall())
	for _, t := range r.Thresholds() {
		fmt.Printf("score >= %d: precision %.2f recall %.2f\n", t.MinScore, t.Confusion.Precision(), t.Confusion.Recall())
	}
	// Output:
	// 4 inputs, precision 0.00, recall 0.00
	// score >= 0: precision 0.25 recall 1.00
	// score >= 25: precision 0.50 recall 1.00
	// score >= 26: precision 0.00 recall 0.00
}
