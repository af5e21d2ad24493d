package main

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/riskkit/riskkit/dunning"
	"github.com/riskkit/riskkit/risk"
)

// seed1 and seed2 seed the PCG source of the portfolio. Every amount and
// date follows from them, so changing either rewrites the whole file.
const (
	seed1 = 0x64756e6e696e67 // "dunning"
	seed2 = 2026
)

// Output file names, as examples.Data knows them.
const (
	ledgerFile    = "dunning_ledger.json"
	portfolioFile = "dunning_portfolio.json"
)

// generate returns the contents of every file the command writes.
func generate() (map[string][]byte, error) {
	demo, err := encode(demoLedger())
	if err != nil {
		return nil, err
	}
	port, err := encode(portfolio())
	if err != nil {
		return nil, err
	}
	return map[string][]byte{ledgerFile: demo, portfolioFile: port}, nil
}

func encode(v any) ([]byte, error) {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

func date(y int, m time.Month, d int) risk.Date {
	v, err := risk.NewDate(y, m, d)
	if err != nil {
		panic(err) // the dates below are literals
	}
	return v
}

func instant(d risk.Date, hour, minute int) time.Time {
	return d.Start(time.UTC).Add(time.Duration(hour)*time.Hour + time.Duration(minute)*time.Minute)
}

func money(minor int64, code string) risk.Money {
	m, err := risk.NewMoney(minor, code)
	if err != nil {
		panic(err) // the codes below are known
	}
	return m
}

// demoLedger is Northwind Traders, the customer of the demo.
func demoLedger() *dunning.Ledger {
	usd := func(minor int64) risk.Money { return money(minor, "USD") }
	jan, feb, mar := date(2026, time.January, 1), date(2026, time.February, 1), date(2026, time.March, 1)
	l := &dunning.Ledger{
		Customer: risk.Customer{ID: "cus_northwind", Kind: risk.Business, Country: "US",
			CreatedAt: instant(date(2025, time.November, 3), 14, 12)},
		Invoices: []dunning.Invoice{
			{ID: "INV-2026-0101", Amount: usd(24000), IssueDate: jan, NetDays: 14},
			{ID: "INV-2026-0201", Amount: usd(24000), IssueDate: feb, NetDays: 14},
			{ID: "INV-2026-0301", Amount: usd(24000), IssueDate: mar, NetDays: 14},
		},
		Entries: []dunning.Entry{
			{ID: "pay-0115", Kind: dunning.Payment, At: instant(date(2026, time.January, 15), 6, 2), Amount: usd(24000), Invoice: "INV-2026-0101"},
			// The customer pays everything at once, by bank transfer.
			{ID: "pay-0324", Kind: dunning.Payment, At: instant(date(2026, time.March, 24), 15, 40), Amount: usd(48000)},
		},
		Subscriptions: []dunning.Subscription{{ID: "vm-pool", Price: usd(24000)}},
	}
	// The card on file is charged on the due date and on each retry day,
	// and declined for insufficient funds every time.
	for i, d := range []int{15, 16, 18, 20, 22} {
		l.Attempts = append(l.Attempts, dunning.Attempt{ID: fmt.Sprintf("att-02%02d", d), At: instant(date(2026, time.February, d), 6, i),
			Amount: usd(24000), Result: dunning.SoftDecline, Code: "insufficient_funds"})
	}
	l.Attempts = append(l.Attempts, dunning.Attempt{ID: "att-0315", At: instant(date(2026, time.March, 15), 6, 0),
		Amount: usd(48000), Result: dunning.SoftDecline, Code: "insufficient_funds"})
	return l
}

// profile is how a portfolio customer pays.
type profile string

const (
	prompt     profile = "prompt"     // within the terms
	late       profile = "late"       // weeks after the due date
	partial    profile = "partial"    // part of every invoice
	stops      profile = "stops"      // pays, then stops for good
	disputes   profile = "disputes"   // disputes one invoice, pays the rest
	chargeback profile = "chargeback" // pays, then a payment is charged back
)

// customers is the size of the portfolio.
const customers = 24

// portfolio is 24 customers with six monthly invoices each.
func portfolio() []*dunning.Ledger {
	r := rand.New(rand.NewPCG(seed1, seed2))
	profiles := []profile{prompt, prompt, prompt, prompt, late, late, late, partial, partial, stops, stops, stops, disputes, chargeback}
	out := make([]*dunning.Ledger, customers)
	for c := range customers {
		cur := "USD"
		switch k := r.IntN(20); {
		case k < 5:
			cur = "EUR"
		case k < 8:
			cur = "GBP"
		}
		p := profiles[r.IntN(len(profiles))]
		id := fmt.Sprintf("cus_%02d", c+1)
		l := &dunning.Ledger{Customer: risk.Customer{ID: id, Kind: risk.Business}}
		base := int64(5000 + r.IntN(150000)) // 50.00 to 1550.00 a month
		l.Subscriptions = []dunning.Subscription{{ID: id + "-plan", Price: money(base, cur)}}
		stopAfter := 1 + r.IntN(4)
		disputed := r.IntN(6)
		for m := range 6 {
			issue := date(2026, time.January+time.Month(m), 1)
			amount := base + int64(r.IntN(int(base/5)+1)) // usage on top of the plan
			inv := dunning.Invoice{ID: fmt.Sprintf("%s-2026%02d", id, m+1), Amount: money(amount, cur), IssueDate: issue, NetDays: 14}
			due := issue.AddDays(14)
			var paidOn risk.Date
			paid := amount
			switch p {
			case prompt:
				paidOn = issue.AddDays(3 + r.IntN(11))
			case late:
				paidOn = due.AddDays(10 + r.IntN(30))
			case partial:
				paidOn = due.AddDays(r.IntN(10))
				paid = amount * int64(50+r.IntN(31)) / 100
			case stops:
				if m < stopAfter {
					paidOn = issue.AddDays(5 + r.IntN(9))
				}
			case disputes:
				if m == disputed {
					inv.State = dunning.Disputed
				} else {
					paidOn = issue.AddDays(5 + r.IntN(9))
				}
			case chargeback:
				paidOn = issue.AddDays(5 + r.IntN(9))
			}
			l.Invoices = append(l.Invoices, inv)
			if !paidOn.IsZero() && paidOn.Before(date(2026, time.July, 1)) {
				e := dunning.Entry{ID: fmt.Sprintf("%s-pay%02d", id, m+1), Kind: dunning.Payment, At: instant(paidOn, 8+r.IntN(10), r.IntN(60)),
					Amount: money(paid, cur), Invoice: inv.ID}
				l.Entries = append(l.Entries, e)
				if p == chargeback && m == 2 {
					l.Entries = append(l.Entries, dunning.Entry{ID: fmt.Sprintf("%s-cb%02d", id, m+1), Kind: dunning.Chargeback,
						At: e.At.Add(time.Duration(20+r.IntN(20)) * 24 * time.Hour), Amount: e.Amount, Ref: e.ID})
				}
			}
			if p == stops && m >= stopAfter {
				l.Attempts = append(l.Attempts, dunning.Attempt{ID: fmt.Sprintf("%s-att%02d", id, m+1), At: instant(due, 6, 0),
					Amount: money(amount, cur), Result: dunning.SoftDecline, Code: "insufficient_funds"})
			}
		}
		sortEntries(l.Entries)
		out[c] = l
	}
	return out
}

// sortEntries puts entries in the order they happened, as a host appends
// them.
func sortEntries(es []dunning.Entry) {
	for i := 1; i < len(es); i++ {
		for j := i; j > 0 && es[j].At.Before(es[j-1].At); j-- {
			es[j], es[j-1] = es[j-1], es[j]
		}
	}
}
