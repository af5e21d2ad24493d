package dunning

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/riskkit/riskkit/risk"
)

func TestAgingLabels(t *testing.T) {
	tests := []struct {
		name, reason string
		cfg          AgingConfig
		want         []string
	}{
		{"default", "the zero config is the common report", AgingConfig{}, []string{"current", "1-30", "31-60", "61-90", "90+"}},
		{"weekly", "custom bounds", AgingConfig{Bounds: []int{0, 7, 14}}, []string{"current", "1-7", "8-14", "14+"}},
		{"from issue", "a first bound above zero has no 'current'", AgingConfig{From: FromIssueDate, Bounds: []int{30, 60}}, []string{"up to 30", "31-60", "60+"}},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, tt.cfg.Labels()); diff != "" {
			t.Errorf("%s: %s (-want +got):\n%s", tt.name, tt.reason, diff)
		}
	}
}

func TestAging(t *testing.T) {
	// Every invoice is due on its issue date plus 30 days.
	a := &Ledger{
		Invoices: []Invoice{
			inv("a1", "10.00 USD", "2026-06-01", 30), // due 07-01: 0 days past due on 07-01 -> current
			inv("a2", "20.00 USD", "2026-05-01", 30), // due 05-31: 31 days -> 31-60
			inv("a3", "40.00 USD", "2026-05-02", 30), // due 06-01: 30 days -> 1-30
			inv("a4", "80.00 USD", "2026-01-01", 30), // due 01-31: 151 days -> 90+
			inv("a5", "1000 JPY", "2026-03-01", 30),  // due 03-31: 92 days -> 90+
			inv("a6", "5.00 USD", "2026-07-02", 0),   // issued after the as-of day
			inv("a7", "15.00 USD", "2026-04-01", 30), // due 05-01: 61 days -> 61-90, half paid
			{ID: "a8", Amount: usd("7.00"), IssueDate: day("2026-04-01"), State: Disputed},
		},
		Entries: []Entry{
			pay("p1", "2026-06-10T12:00:00Z", "7.50 USD", "a7"),
			pay("p2", "2026-07-02T00:00:00Z", "20.00 USD", "a2"), // the day after: not counted
			pay("p3", "2026-06-10T12:00:00Z", "200 JPY", "a5"),
		},
	}
	a.Customer.ID = "acme"
	b := &Ledger{
		Invoices: []Invoice{inv("b1", "100.00 USD", "2026-06-20", 0)},
		Entries:  []Entry{pay("q1", "2026-06-21T00:00:00Z", "130.00 USD", "")},
	}
	b.Customer.ID = "bolt"
	asOf := day("2026-07-01")

	got, err := Age(AgingConfig{}, asOf, time.UTC, a, b)
	if err != nil {
		t.Fatal(err)
	}
	m := func(s ...string) []risk.Money {
		out := make([]risk.Money, len(s))
		for i, x := range s {
			out[i] = risk.MustMoney(x)
		}
		return out
	}
	want := &AgingReport{
		AsOf: asOf, From: FromDueDate, Buckets: []string{"current", "1-30", "31-60", "61-90", "90+"},
		Rows: []AgingRow{
			{CustomerID: "acme", Currency: "JPY", Buckets: m("0 JPY", "0 JPY", "0 JPY", "0 JPY", "800 JPY"), Total: risk.MustMoney("800 JPY"), Invoices: 1,
				Disputed: risk.MustMoney("0 JPY"), Credit: risk.MustMoney("0 JPY")},
			{CustomerID: "acme", Currency: "USD", Buckets: m("10.00 USD", "40.00 USD", "20.00 USD", "7.50 USD", "80.00 USD"), Total: usd("157.50"), Invoices: 5,
				Disputed: usd("7.00"), Credit: usd("0.00")},
			{CustomerID: "bolt", Currency: "USD", Buckets: m("0.00 USD", "0.00 USD", "0.00 USD", "0.00 USD", "0.00 USD"), Total: usd("0.00"),
				Disputed: usd("0.00"), Credit: usd("30.00")},
		},
		Totals: []AgingRow{
			{Currency: "JPY", Buckets: m("0 JPY", "0 JPY", "0 JPY", "0 JPY", "800 JPY"), Total: risk.MustMoney("800 JPY"), Invoices: 1,
				Disputed: risk.MustMoney("0 JPY"), Credit: risk.MustMoney("0 JPY")},
			{Currency: "USD", Buckets: m("10.00 USD", "40.00 USD", "20.00 USD", "7.50 USD", "80.00 USD"), Total: usd("157.50"), Invoices: 5,
				Disputed: usd("7.00"), Credit: usd("30.00")},
		},
	}
	if diff := cmp.Diff(want, got, equateValues); diff != "" {
		t.Errorf("aging as of 2026-07-01 from due dates (-want +got):\n%s", diff)
	}

	got, err = Age(AgingConfig{From: FromIssueDate, Bounds: []int{30, 60}}, asOf, time.UTC, a)
	if err != nil {
		t.Fatal(err)
	}
	// From issue dates: a1 30 days, a2 61, a3 60, a4 181, a7 91.
	if diff := cmp.Diff(m("10.00 USD", "40.00 USD", "107.50 USD"), got.Totals[1].Buckets, equateValues); diff != "" {
		t.Errorf("aging from issue dates in up to 30, 31-60 and 60+ (-want +got):\n%s", diff)
	}
}

func TestAgingTimeZone(t *testing.T) {
	la := loadLoc(t, "America/Los_Angeles")
	l := &Ledger{
		Invoices: []Invoice{inv("i1", "50.00 USD", "2026-03-01", 0)},
		// 02:00 UTC on the 11th is the evening of the 10th in Los Angeles.
		Entries: []Entry{pay("p1", "2026-03-11T02:00:00Z", "50.00 USD", "i1")},
	}
	l.Customer.ID = "c"
	for _, tt := range []struct {
		loc    *time.Location
		want   string
		reason string
	}{
		{time.UTC, "50.00 USD", "in UTC the payment is on the 11th, after the as-of day"},
		{la, "0.00 USD", "in Los Angeles it is on the 10th, the as-of day"},
	} {
		r, err := Age(AgingConfig{}, day("2026-03-10"), tt.loc, l)
		if err != nil {
			t.Fatal(err)
		}
		if got := r.Totals[0].Total.String(); got != tt.want {
			t.Errorf("%s: total %s, want %s", tt.reason, got, tt.want)
		}
	}
}

func TestAgingErrors(t *testing.T) {
	bad := &Ledger{Invoices: []Invoice{{ID: "x", Amount: usd("1.00")}}}
	bad.Customer.ID = "c"
	if _, err := Age(AgingConfig{}, day("2026-01-01"), time.UTC, bad); err == nil {
		t.Error("a ledger with an invoice without an issue date was aged")
	}
	if _, err := Age(AgingConfig{Bounds: []int{30, 10}}, day("2026-01-01"), time.UTC); err == nil {
		t.Error("decreasing bounds were accepted")
	}
	if _, err := Age(AgingConfig{}, day("2026-01-01"), nil); err == nil {
		t.Error("a nil location was accepted")
	}
	huge := &Ledger{Invoices: []Invoice{
		{ID: "a", Amount: risk.MustMoney("90000000000000000.00 USD"), IssueDate: day("2026-01-01")},
		{ID: "b", Amount: risk.MustMoney("90000000000000000.00 USD"), IssueDate: day("2026-01-01")},
	}}
	huge.Customer.ID = "h"
	if _, err := Age(AgingConfig{}, day("2026-02-01"), time.UTC, huge); err == nil {
		t.Error("an overflowing total was accepted")
	}
}

func TestDaysSalesOutstanding(t *testing.T) {
	l := &Ledger{
		Invoices: []Invoice{
			inv("i1", "300.00 USD", "2026-01-05", 30),
			inv("i2", "600.00 USD", "2026-02-10", 30),
			inv("i3", "100.00 USD", "2025-12-20", 30), // before the period: not a sale, still a receivable
			{ID: "v", Amount: usd("999.00"), IssueDate: day("2026-01-05"), State: Void},
		},
		Entries: []Entry{pay("p1", "2026-02-01T00:00:00Z", "300.00 USD", "i1")},
	}
	l.Customer.ID = "c"
	got, err := DaysSalesOutstanding(day("2026-01-01"), day("2026-03-31"), time.UTC, l)
	if err != nil {
		t.Fatal(err)
	}
	// Receivables 700.00 over sales 900.00 times 90 days = 70 days.
	want := []SalesOutstanding{{Currency: "USD", From: day("2026-01-01"), To: day("2026-03-31"), Receivables: usd("700.00"),
		Sales: usd("900.00"), Days: 90, Hundredths: 7000, Defined: true}}
	if diff := cmp.Diff(want, got, equateValues); diff != "" {
		t.Errorf("DSO (-want +got):\n%s", diff)
	}
	if got[0].String() != "70.00" {
		t.Errorf("String = %q", got[0].String())
	}
	none, err := DaysSalesOutstanding(day("2026-04-01"), day("2026-04-30"), time.UTC, l)
	if err != nil || none[0].Defined || none[0].String() != "n/a" {
		t.Errorf("a period without sales: %+v, %v", none, err)
	}
}

// benchLedgers returns n ledgers of per invoices each, a quarter of them
// paid in full by name, a quarter partly, and some by unallocated payments,
// with invoice and payment dates spread over two years.
func benchLedgers(n, per int) []Ledger {
	r := rand.New(rand.NewPCG(1, 2))
	start := day("2024-07-01")
	ls := make([]Ledger, n)
	for c := range ls {
		l := &ls[c]
		l.Customer.ID = fmt.Sprintf("c%06d", c)
		cur := "USD"
		if c%5 == 0 {
			cur = "EUR"
		}
		for i := range per {
			issue := start.AddDays(i * 7)
			amt, _ := risk.NewMoney(int64(1000+r.IntN(100000)), cur)
			id := fmt.Sprintf("i%d", i)
			l.Invoices = append(l.Invoices, Invoice{ID: id, Amount: amt, IssueDate: issue, NetDays: 30})
			when := issue.AddDays(10 + r.IntN(40)).Start(time.UTC).Add(time.Duration(r.IntN(86400)) * time.Second)
			switch r.IntN(4) {
			case 0:
				l.Entries = append(l.Entries, Entry{ID: "p" + id, Kind: Payment, At: when, Amount: amt, Invoice: id})
			case 1:
				half, _ := risk.NewMoney(amt.Minor()/2, cur)
				l.Entries = append(l.Entries, Entry{ID: "p" + id, Kind: Payment, At: when, Amount: half, Invoice: id})
			case 2:
				l.Entries = append(l.Entries, Entry{ID: "p" + id, Kind: Payment, At: when, Amount: amt})
			}
		}
		// Hosts append entries as they happen.
		slices.SortStableFunc(l.Entries, func(x, y Entry) int { return x.At.Compare(y.At) })
	}
	return ls
}

// BenchmarkAging ages one million invoices (10,000 customers of 100) with
// their payments. Compare ns/invoice with BenchmarkAgingBaseline.
func BenchmarkAging(b *testing.B) {
	ls := benchLedgers(10000, 100)
	asOf := day("2026-06-30")
	a, err := NewAging(AgingConfig{}, asOf, time.UTC)
	if err != nil {
		b.Fatal(err)
	}
	for i := range ls {
		if err := a.Add(&ls[i]); err != nil { // warm the scratch space
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		a, _ := NewAging(AgingConfig{}, asOf, time.UTC)
		for i := range ls {
			if err := a.Add(&ls[i]); err != nil {
				b.Fatal(err)
			}
		}
		_ = a.Report()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/1e6, "ns/invoice")
}

// BenchmarkAgingBaseline is the least any aging must do: read every invoice
// once and add its amount to a bucket by age, with no payments applied, no
// checks and no currencies.
func BenchmarkAgingBaseline(b *testing.B) {
	ls := benchLedgers(10000, 100)
	asOf := day("2026-06-30")
	b.ReportAllocs()
	var sink int64
	for b.Loop() {
		var sums [5]int64
		for i := range ls {
			for j := range ls[i].Invoices {
				inv := &ls[i].Invoices[j]
				age := asOf.DaysSince(inv.Due())
				k := 0
				for k < 4 && age > defaultBounds[k] {
					k++
				}
				sums[k] += inv.Amount.Minor()
			}
		}
		sink += sums[0]
	}
	_ = sink
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/1e6, "ns/invoice")
}
