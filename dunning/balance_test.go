package dunning

import (
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/riskkit/riskkit/risk"
)

// balanceOf returns invoice id -> balance text, and currency -> credit text.
func balanceOf(t *testing.T, l *Ledger, asOf string) (map[string]string, map[string]string) {
	t.Helper()
	b, err := l.Balances(day(asOf), time.UTC)
	if err != nil {
		t.Fatalf("Balances: %v", err)
	}
	bals := map[string]string{}
	for _, ib := range b.Invoices {
		bals[ib.ID] = ib.Balance.String()
		if got, err := ib.Amount.Sub(ib.Applied); err != nil || got != ib.Balance {
			t.Errorf("invoice %s: amount %v - applied %v != balance %v", ib.ID, ib.Amount, ib.Applied, ib.Balance)
		}
	}
	credit := map[string]string{}
	for _, c := range b.Currencies {
		credit[c.Currency] = c.Credit.String()
	}
	return bals, credit
}

func TestBalances(t *testing.T) {
	three := []Invoice{
		inv("A", "100.00 USD", "2026-01-01", 30),
		inv("B", "50.00 USD", "2026-02-01", 30),
		inv("C", "70.00 USD", "2026-03-01", 30),
	}
	tests := []struct {
		name, reason string
		entries      []Entry
		asOf         string
		want         map[string]string
		wantCredit   string
	}{
		{
			name: "named", reason: "a payment pays the invoice it names, even when older ones are open",
			entries: []Entry{pay("p1", "2026-03-02T10:00:00Z", "50.00 USD", "B")},
			asOf:    "2026-03-31",
			want:    map[string]string{"A": "100.00 USD", "B": "0.00 USD", "C": "70.00 USD"}, wantCredit: "0.00 USD",
		},
		{
			name: "oldest first", reason: "an unallocated payment pays the oldest open invoices first, partially paying the last",
			entries: []Entry{pay("p1", "2026-03-02T10:00:00Z", "120.00 USD", "")},
			asOf:    "2026-03-31",
			want:    map[string]string{"A": "0.00 USD", "B": "30.00 USD", "C": "70.00 USD"}, wantCredit: "0.00 USD",
		},
		{
			name: "overpayment", reason: "what a named payment does not need pays the oldest open invoices, and the rest is credit",
			entries: []Entry{pay("p1", "2026-03-02T10:00:00Z", "250.00 USD", "C")},
			asOf:    "2026-03-31",
			want:    map[string]string{"A": "0.00 USD", "B": "0.00 USD", "C": "0.00 USD"}, wantCredit: "30.00 USD",
		},
		{
			name: "future-dated", reason: "entries after the as-of day do not count, nor do invoices issued after it",
			entries: []Entry{pay("p1", "2026-02-15T10:00:00Z", "10.00 USD", ""), pay("p2", "2026-02-16T00:00:00Z", "90.00 USD", "")},
			asOf:    "2026-02-15",
			want:    map[string]string{"A": "90.00 USD", "B": "50.00 USD"}, wantCredit: "0.00 USD",
		},
		{
			name: "chargeback reopens", reason: "a chargeback reopens what its payment paid, newest first: all 20.00 it paid on B, then 20.00 of A",
			entries: []Entry{
				pay("p1", "2026-03-02T10:00:00Z", "120.00 USD", ""),
				{ID: "cb1", Kind: Chargeback, At: at("2026-03-10T10:00:00Z"), Amount: usd("40.00"), Ref: "p1"},
			},
			asOf: "2026-03-31",
			want: map[string]string{"A": "20.00 USD", "B": "50.00 USD", "C": "70.00 USD"}, wantCredit: "0.00 USD",
		},
		{
			name: "chargeback takes unapplied first", reason: "a chargeback takes the payment's unapplied credit before reopening invoices",
			entries: []Entry{
				pay("p1", "2026-03-02T10:00:00Z", "250.00 USD", ""),
				{ID: "cb1", Kind: Chargeback, At: at("2026-03-10T10:00:00Z"), Amount: usd("40.00"), Ref: "p1"},
			},
			asOf: "2026-03-31",
			want: map[string]string{"A": "0.00 USD", "B": "0.00 USD", "C": "10.00 USD"}, wantCredit: "0.00 USD",
		},
		{
			name: "reversal", reason: "a chargeback reversal pays again what the chargeback reopened",
			entries: []Entry{
				pay("p1", "2026-03-02T10:00:00Z", "150.00 USD", ""),
				{ID: "cb1", Kind: Chargeback, At: at("2026-03-10T10:00:00Z"), Amount: usd("150.00"), Ref: "p1"},
				{ID: "r1", Kind: ChargebackReversal, At: at("2026-03-20T10:00:00Z"), Ref: "cb1"},
			},
			asOf: "2026-03-31",
			want: map[string]string{"A": "0.00 USD", "B": "0.00 USD", "C": "70.00 USD"}, wantCredit: "0.00 USD",
		},
		{
			name: "credit covers reopened", reason: "unapplied credit from elsewhere pays an invoice a chargeback reopened",
			entries: []Entry{
				pay("p1", "2026-03-02T10:00:00Z", "50.00 USD", "B"),
				{ID: "c1", Kind: Credit, At: at("2026-03-03T10:00:00Z"), Amount: usd("390.00"), Invoice: "A"},
				{ID: "cb1", Kind: Chargeback, At: at("2026-03-10T10:00:00Z"), Amount: usd("50.00"), Ref: "p1"},
			},
			asOf: "2026-03-31",
			want: map[string]string{"A": "0.00 USD", "B": "0.00 USD", "C": "0.00 USD"}, wantCredit: "170.00 USD",
		},
		{
			name: "refund of credit", reason: "a refund that names nothing comes out of unapplied credit and reopens nothing",
			entries: []Entry{
				pay("p1", "2026-03-02T10:00:00Z", "250.00 USD", ""),
				{ID: "rf1", Kind: Refund, At: at("2026-03-10T10:00:00Z"), Amount: usd("30.00")},
			},
			asOf: "2026-03-31",
			want: map[string]string{"A": "0.00 USD", "B": "0.00 USD", "C": "0.00 USD"}, wantCredit: "0.00 USD",
		},
		{
			name: "refund of payment", reason: "a refund of a payment with nothing unapplied reopens what it paid",
			entries: []Entry{
				pay("p1", "2026-03-02T10:00:00Z", "100.00 USD", "A"),
				{ID: "rf1", Kind: Refund, At: at("2026-03-10T10:00:00Z"), Amount: usd("25.00"), Ref: "p1"},
			},
			asOf: "2026-03-31",
			want: map[string]string{"A": "25.00 USD", "B": "50.00 USD", "C": "70.00 USD"}, wantCredit: "0.00 USD",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := &Ledger{Invoices: three, Entries: tt.entries}
			l.Customer.ID = "c1"
			got, credit := balanceOf(t, l, tt.asOf)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("%s\nbalances (-want +got):\n%s", tt.reason, diff)
			}
			if credit["USD"] != tt.wantCredit {
				t.Errorf("%s\ncredit = %s, want %s", tt.reason, credit["USD"], tt.wantCredit)
			}
		})
	}
}

func TestBalancesStates(t *testing.T) {
	l := &Ledger{Invoices: []Invoice{
		inv("open", "10.00 USD", "2026-01-01", 0),
		{ID: "draft", Amount: usd("20.00"), IssueDate: day("2026-01-01"), State: Draft},
		{ID: "void", Amount: usd("30.00"), IssueDate: day("2026-01-01"), State: Void},
		{ID: "disputed", Amount: usd("40.00"), IssueDate: day("2026-01-01"), State: Disputed},
		{ID: "written", Amount: usd("50.00"), IssueDate: day("2026-01-01"), State: WrittenOff},
		inv("zero", "0.00 USD", "2026-01-01", 0),
	}, Entries: []Entry{pay("p1", "2026-01-05T00:00:00Z", "5.00 USD", "")}}
	l.Customer.ID = "c1"
	b, err := l.Balances(day("2026-02-01"), time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	want := CurrencyBalance{Currency: "USD", Invoiced: usd("100.00"), Applied: usd("5.00"), Unpaid: usd("5.00"),
		UnpaidInvoices: 1, Disputed: usd("40.00"), WrittenOff: usd("50.00"), Credit: usd("0.00")}
	if diff := cmp.Diff([]CurrencyBalance{want}, b.Currencies, equateValues); diff != "" {
		t.Errorf("drafts and void invoices are not receivable, disputed and written-off ones are not unpaid, and unallocated money pays only open invoices (-want +got):\n%s", diff)
	}
	var ids []string
	for _, ib := range b.Invoices {
		ids = append(ids, ib.ID)
	}
	if diff := cmp.Diff([]string{"open", "disputed", "written", "zero"}, ids); diff != "" {
		t.Errorf("invoices listed (-want +got):\n%s", diff)
	}
}

func TestBalancesErrors(t *testing.T) {
	base := []Invoice{inv("A", "100.00 USD", "2026-01-01", 30)}
	tests := []struct {
		name, reason string
		entries      []Entry
		want         string
	}{
		{
			name: "chargeback too large", reason: "a chargeback cannot take more than is left of its payment",
			entries: []Entry{
				pay("p1", "2026-01-02T00:00:00Z", "60.00 USD", "A"),
				{ID: "rf", Kind: Refund, At: at("2026-01-03T00:00:00Z"), Amount: usd("20.00"), Ref: "p1"},
				{ID: "cb", Kind: Chargeback, At: at("2026-01-04T00:00:00Z"), Amount: usd("50.00"), Ref: "p1"},
			},
			want: "entries[2] (chargeback cb): charges back 50.00 USD, more than the 40.00 USD left of payment p1",
		},
		{
			name: "refund without credit", reason: "a refund that names nothing needs unapplied credit to come out of",
			entries: []Entry{
				pay("p1", "2026-01-02T00:00:00Z", "60.00 USD", "A"),
				{ID: "rf", Kind: Refund, At: at("2026-01-03T00:00:00Z"), Amount: usd("20.00")},
			},
			want: "entries[1] (refund rf): refunds 20.00 USD, more than the 0.00 USD of unapplied credit",
		},
		{
			name: "reversal too large", reason: "a reversal cannot return more than its chargeback took",
			entries: []Entry{
				pay("p1", "2026-01-02T00:00:00Z", "60.00 USD", "A"),
				{ID: "cb", Kind: Chargeback, At: at("2026-01-04T00:00:00Z"), Amount: usd("10.00"), Ref: "p1"},
				{ID: "rv", Kind: ChargebackReversal, At: at("2026-01-05T00:00:00Z"), Amount: usd("11.00"), Ref: "cb"},
			},
			want: "entries[2] (chargeback_reversal rv): reverses 11.00 USD of chargeback cb, more than the 10.00 USD not yet reversed",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := &Ledger{Invoices: base, Entries: tt.entries}
			l.Customer.ID = "c1"
			_, err := l.Balances(day("2026-02-01"), time.UTC)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("%s\nerror = %v, want it to contain %q", tt.reason, err, tt.want)
			}
		})
	}
	l := &Ledger{Invoices: base}
	l.Customer.ID = "c1"
	if _, err := l.Balances(day("2026-02-01"), nil); !errors.Is(err, errNilLocation) {
		t.Errorf("nil location: error = %v, want errNilLocation", err)
	}
}

// TestTotalsOverflow checks that every per-currency total is checked: two
// invoices of MaxInt64 minor units and one of 2 wrap to exactly 0 in int64,
// which would read as nothing unpaid and a customer never dunned. Balances,
// Evaluate and Age must all refuse such a ledger with risk.ErrOverflow.
func TestTotalsOverflow(t *testing.T) {
	huge := risk.MustMoney("92233720368547758.07 USD") // math.MaxInt64 minor units
	if huge.Minor() != math.MaxInt64 {
		t.Fatalf("huge is %d minor units", huge.Minor())
	}
	wrapping := ledger(
		Invoice{ID: "A", Amount: huge, IssueDate: day("2026-01-01")},
		Invoice{ID: "B", Amount: huge, IssueDate: day("2026-01-01")},
		Invoice{ID: "C", Amount: usd("0.02"), IssueDate: day("2026-01-01")},
	)
	disputed := ledger(
		Invoice{ID: "A", Amount: huge, IssueDate: day("2026-01-01"), State: Disputed},
		Invoice{ID: "B", Amount: huge, IssueDate: day("2026-01-01"), State: Disputed},
	)
	credit := ledger()
	credit.Entries = []Entry{
		{ID: "p1", Kind: Payment, At: at("2026-01-02T10:00:00Z"), Amount: huge},
		{ID: "p2", Kind: Payment, At: at("2026-01-02T11:00:00Z"), Amount: huge},
	}
	s := mustSchedule(t, testSchedule)
	now := at("2026-02-15T09:00:00Z")
	for _, tt := range []struct {
		name string
		l    *Ledger
	}{{"unpaid", wrapping}, {"disputed", disputed}, {"credit", credit}} {
		_, err := tt.l.Balances(day("2026-02-15"), time.UTC)
		if !errors.Is(err, risk.ErrOverflow) {
			t.Errorf("%s: Balances: %v, want risk.ErrOverflow", tt.name, err)
		}
		_, err = dunner(t, s, time.UTC).Evaluate(State{}, tt.l, now)
		if !errors.Is(err, risk.ErrOverflow) {
			t.Errorf("%s: Evaluate: %v, want risk.ErrOverflow", tt.name, err)
		}
		_, err = Age(AgingConfig{}, day("2026-02-15"), time.UTC, tt.l)
		if !errors.Is(err, risk.ErrOverflow) {
			t.Errorf("%s: Age: %v, want risk.ErrOverflow", tt.name, err)
		}
	}
	// One below the edge still adds up: MaxInt64 - 2 and 2.
	fits := ledger(
		Invoice{ID: "A", Amount: risk.MustMoney("92233720368547758.05 USD"), IssueDate: day("2026-01-01")},
		Invoice{ID: "C", Amount: usd("0.02"), IssueDate: day("2026-01-01")},
	)
	b, err := fits.Balances(day("2026-02-15"), time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	if got := b.Currencies[0].Unpaid; got != huge {
		t.Errorf("unpaid %v, want %v", got, huge)
	}
	res, err := dunner(t, s, time.UTC).Evaluate(State{}, fits, now)
	if err != nil {
		t.Fatal(err)
	}
	if got := res.Currencies[0].Unpaid; got != huge {
		t.Errorf("Evaluate: unpaid %v, want %v", got, huge)
	}
}
