package dunning

import (
	"fmt"
	"testing"
	"time"

	"github.com/riskkit/riskkit/risk"
)

// customer24 is one customer with 24 monthly invoices, the first 20 paid in
// full and the 21st in part, two failed attempts and a subscription.
func customer24() *Ledger {
	l := ledger()
	l.Subscriptions = []Subscription{{ID: "vm", Price: usd("49.00")}}
	start := day("2024-05-01")
	for i := range 24 {
		d := start.AddDays(i * 30)
		id := fmt.Sprintf("INV-%03d", i+1)
		l.Invoices = append(l.Invoices, Invoice{ID: id, Amount: usd("49.00"), IssueDate: d, NetDays: 14})
		switch {
		case i < 20:
			l.Entries = append(l.Entries, Entry{ID: "p" + id, Kind: Payment, At: d.AddDays(10).Start(time.UTC), Amount: usd("49.00"), Invoice: id})
		case i == 20:
			l.Entries = append(l.Entries, Entry{ID: "p" + id, Kind: Payment, At: d.AddDays(10).Start(time.UTC), Amount: usd("20.00")})
		}
	}
	l.Attempts = []Attempt{
		{ID: "a1", At: at("2026-02-10T10:00:00Z"), Amount: risk.MustMoney("49.00 USD"), Result: SoftDecline},
		{ID: "a2", At: at("2026-02-11T10:00:00Z"), Amount: risk.MustMoney("49.00 USD"), Result: SoftDecline},
	}
	return l
}

// BenchmarkEvaluate24 evaluates one customer with 24 invoices, the work a
// host does per customer per evaluation, including finding the next
// evaluation time.
func BenchmarkEvaluate24(b *testing.B) {
	s := mustSchedule(b, propertySchedule)
	l := customer24()
	now := at("2026-03-20T09:00:00Z")
	d := dunner(b, s, time.UTC)
	prev, err := d.Evaluate(State{}, l, now.Add(-24*time.Hour))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := d.Evaluate(prev.State, l, now); err != nil {
			b.Fatal(err)
		}
	}
}
