package dunning_test

import (
	"fmt"
	"time"

	"github.com/riskkit/riskkit/dunning"
	"github.com/riskkit/riskkit/risk"
)

const schedule = `
id: standard
name: Standard collections
credit_blocked_time: true
stages:
  - id: suspend
    name: Suspended
    after_days: 30
    actions: [suspend_subscriptions, {reminder: suspended}]
  - id: remind
    name: Reminder
    after_days: 3
    actions: [{reminder: overdue}]
`

func date(s string) risk.Date {
	d, err := risk.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// describe writes an action with what it is about.
func describe(a dunning.Action) string {
	s := string(a.Kind)
	if a.Template != "" {
		s += " " + a.Template
	}
	if !a.Amount.IsZero() {
		s += " " + a.Amount.String()
	}
	return s
}

// A customer slides into suspension and is reinstated when they pay, with
// a credit for the days their subscription was suspended. The schedule is
// read once and compiled once for the customers' location; each
// evaluation then takes the previous state, the ledger and the time.
func Example() {
	s, err := dunning.ParseSchedule([]byte(schedule))
	if err != nil {
		panic(err)
	}
	d, err := dunning.NewDunner(s, time.UTC)
	if err != nil {
		panic(err)
	}
	l := &dunning.Ledger{
		Customer:      risk.Customer{ID: "acme"},
		Invoices:      []dunning.Invoice{{ID: "INV-1", Amount: risk.MustMoney("300.00 USD"), IssueDate: date("2026-03-01"), NetDays: 14}},
		Subscriptions: []dunning.Subscription{{ID: "vm", Price: risk.MustMoney("300.00 USD")}},
	}
	var state dunning.State
	now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	for range 3 {
		res, err := d.Evaluate(state, l, now)
		if err != nil {
			panic(err)
		}
		next := "only new facts"
		if !res.Next.IsZero() {
			next = res.Next.Format("Jan 2")
		}
		fmt.Println(now.Format("Jan 2"), res.State.StageName(), "- next:", next)
		for _, a := range res.Actions {
			fmt.Println("   ", describe(a))
		}
		state, now = res.State, res.Next
	}
	// The customer pays on April 20.
	l.Entries = append(l.Entries, dunning.Entry{ID: "pay-1", Kind: dunning.Payment,
		At: time.Date(2026, 4, 20, 16, 0, 0, 0, time.UTC), Amount: risk.MustMoney("300.00 USD"), Invoice: "INV-1"})
	res, err := d.Evaluate(state, l, time.Date(2026, 4, 20, 16, 5, 0, 0, time.UTC))
	if err != nil {
		panic(err)
	}
	fmt.Println("Apr 20", res.State.StageName())
	for _, a := range res.Actions {
		fmt.Println("   ", describe(a))
	}
	// Output:
	// Mar 1 current - next: Mar 18
	// Mar 18 remind - next: Apr 14
	//     reminder overdue
	// Apr 14 suspend - next: only new facts
	//     suspend_subscriptions
	//     reminder suspended
	// Apr 20 current
	//     resume_subscriptions
	//     reinstate
	//     credit_blocked_time 60.00 USD
}

func ExampleSchedule_Describe() {
	s, err := dunning.ParseSchedule([]byte(schedule))
	if err != nil {
		panic(err)
	}
	fmt.Print(s.Describe())
	// Output:
	// Collections policy: Standard collections
	//
	// If an invoice is not paid, these steps follow. Days are calendar days in your time zone, counted from the due date of your oldest unpaid invoice.
	//
	// - 3 days after the due date: Reminder. We send you a reminder. Your access is not affected.
	// - 30 days after the due date: Suspended. We send you a reminder. Your subscriptions are suspended.
	//
	// Getting back to current: as soon as you pay what is unpaid, we lift every restriction and restore your access. We credit you the price of your subscriptions, pro rata, for the days they were suspended or your access was disabled. An invoice you dispute does not count while the dispute is open, and we can pause these steps while you arrange payment.
}

func ExampleAge() {
	l := &dunning.Ledger{
		Customer: risk.Customer{ID: "acme"},
		Invoices: []dunning.Invoice{
			{ID: "A", Amount: risk.MustMoney("100.00 USD"), IssueDate: date("2026-01-01"), NetDays: 30},
			{ID: "B", Amount: risk.MustMoney("40.00 USD"), IssueDate: date("2026-03-01"), NetDays: 30},
		},
		Entries: []dunning.Entry{{ID: "p", Kind: dunning.Payment, At: time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC), Amount: risk.MustMoney("25.00 USD")}},
	}
	r, err := dunning.Age(dunning.AgingConfig{}, date("2026-03-31"), time.UTC, l)
	if err != nil {
		panic(err)
	}
	fmt.Println(r.Buckets)
	for _, row := range r.Totals {
		fmt.Println(row.Currency, row.Buckets, "total", row.Total)
	}
	// Output:
	// [current 1-30 31-60 61-90 90+]
	// USD [40.00 USD 0.00 USD 75.00 USD 0.00 USD 0.00 USD] total 115.00 USD
}

func ExampleLedger_Balances() {
	l := &dunning.Ledger{
		Customer: risk.Customer{ID: "acme"},
		Invoices: []dunning.Invoice{{ID: "A", Amount: risk.MustMoney("100.00 USD"), IssueDate: date("2026-03-01")}},
		Entries: []dunning.Entry{
			{ID: "p1", Kind: dunning.Payment, At: time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC), Amount: risk.MustMoney("100.00 USD"), Invoice: "A"},
			{ID: "cb1", Kind: dunning.Chargeback, At: time.Date(2026, 3, 9, 0, 0, 0, 0, time.UTC), Amount: risk.MustMoney("30.00 USD"), Ref: "p1"},
		},
	}
	b, err := l.Balances(date("2026-03-10"), time.UTC)
	if err != nil {
		panic(err)
	}
	for _, inv := range b.Invoices {
		fmt.Println(inv.ID, "applied", inv.Applied, "balance", inv.Balance, "unpaid", inv.Unpaid)
	}
	// Output:
	// A applied 70.00 USD balance 30.00 USD unpaid true
}

func ExampleDaysSalesOutstanding() {
	l := &dunning.Ledger{
		Customer: risk.Customer{ID: "acme"},
		Invoices: []dunning.Invoice{
			{ID: "A", Amount: risk.MustMoney("300.00 USD"), IssueDate: date("2026-01-10")},
			{ID: "B", Amount: risk.MustMoney("600.00 USD"), IssueDate: date("2026-02-10")},
		},
	}
	dso, err := dunning.DaysSalesOutstanding(date("2026-01-01"), date("2026-03-31"), time.UTC, l)
	if err != nil {
		panic(err)
	}
	fmt.Println(dso[0].Currency, dso[0].String(), "days")
	// Output:
	// USD 90.00 days
}

// A collection campaign asks only for overdue money: an invoice on net-2
// terms issued on the 4th falls due on the 6th and is first asked for on
// the 7th, while a newer invoice not yet due is left out of the amount.
func ExampleCampaign() {
	s, err := dunning.ParseSchedule([]byte(`
id: calls
stages:
  - {id: remind, after_days: 30, actions: [{reminder: overdue}]}
campaigns:
  - {id: calls, thresholds: ["10.00 USD"], max_attempts: 3, min_interval: 7d}
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	d, err := dunning.NewDunner(s, time.UTC)
	if err != nil {
		fmt.Println(err)
		return
	}
	l := &dunning.Ledger{Invoices: []dunning.Invoice{
		{ID: "N2", Amount: risk.MustMoney("50.00 USD"), IssueDate: date("2026-03-04"), NetDays: 2},
		{ID: "N30", Amount: risk.MustMoney("80.00 USD"), IssueDate: date("2026-03-05"), NetDays: 30},
	}}
	l.Customer.ID = "c-7"
	var state dunning.State
	for _, day := range []string{"2026-03-05", "2026-03-06", "2026-03-07"} {
		res, err := d.Evaluate(state, l, date(day).Start(time.UTC))
		if err != nil {
			fmt.Println(err)
			return
		}
		c := res.Currencies[0]
		fmt.Printf("%s: %v unpaid, %v overdue", day, c.Unpaid, c.Overdue)
		for _, a := range res.Actions {
			fmt.Printf("; %s %s", a.Kind, a.Amount)
		}
		fmt.Println()
		state = res.State
	}
	// Output:
	// 2026-03-05: 130.00 USD unpaid, 0.00 USD overdue
	// 2026-03-06: 130.00 USD unpaid, 0.00 USD overdue
	// 2026-03-07: 130.00 USD unpaid, 50.00 USD overdue; campaign_attempt 50.00 USD
}
