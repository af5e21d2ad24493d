package dunning

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func FuzzParseSchedule(f *testing.F) {
	f.Add(testSchedule)
	f.Add(propertySchedule)
	f.Add("id: x\nstages: [{id: a, after_days: 1, when: 'account.unpaid.minor > 5', actions: [{reminder: r}]}]")
	f.Add(`{"id": "j", "stages": [{"id": "a", "after_days": 2, "actions": ["disable_access", {"cancel": "immediately"}]}]}`)
	f.Add("id: x\nstages: &a [{id: b, after_days: *a}]")
	f.Add("- [")
	f.Add("id: o\ngrace_days: 2\nstages: [{id: a, after_days: 1, min_balance: '5.00 USD', measure: overdue}]\ncampaigns: [{id: c, thresholds: '5.00 USD', measure: unpaid, max_attempts: 2, min_interval: 1d}]")
	f.Add("id: o\nstages: [{id: a, after_days: 0, when: 'account.overdue.minor > 0 && account.overdue_invoices > 1'}]")
	l := ledger(inv("A", "100.00 USD", "2026-03-01", 0), inv("B", "90.00 EUR", "2026-03-05", 0))
	f.Fuzz(func(t *testing.T, src string) {
		s, err := ParseSchedule([]byte(src))
		if err != nil {
			if !strings.HasPrefix(err.Error(), "dunning: ") {
				t.Errorf("error without the package prefix: %v", err)
			}
			return
		}
		if s.Describe() == "" {
			t.Error("empty description")
		}
		// Any schedule that parses evaluates without panicking; it may
		// still reject a ledger in a currency it has no minimum for.
		res, err := dunner(t, s, time.UTC).Evaluate(State{}, l, at("2026-04-15T00:00:00Z"))
		if err != nil {
			return
		}
		if _, err := dunner(t, s, time.UTC).Evaluate(res.State, l, at("2026-06-15T00:00:00Z")); err != nil {
			t.Errorf("second evaluation: %v", err)
		}
	})
}

const ledgerJSON = `{
  "customer": {"id": "c-1", "kind": "business"},
  "invoices": [
    {"id": "A", "amount": "100.00 USD", "issue_date": "2026-03-01", "net_days": 30},
    {"id": "B", "amount": "50.00 USD", "issue_date": "2026-03-05", "due_date": "2026-03-20", "state": "disputed"}
  ],
  "entries": [
    {"id": "p1", "kind": "payment", "at": "2026-03-10T10:00:00Z", "amount": "60.00 USD", "invoice": "A"},
    {"id": "cb1", "kind": "chargeback", "at": "2026-03-12T10:00:00Z", "amount": "10.00 USD", "ref": "p1"}
  ],
  "attempts": [{"id": "a1", "at": "2026-03-31T10:00:00Z", "amount": "40.00 USD", "result": "soft_decline"}],
  "controls": [{"kind": "pause", "from": "2026-04-01", "until": "2026-04-10", "reason": "purchase order"}],
  "subscriptions": [{"id": "vm", "price": "49.00 USD", "period": "monthly"}]
}`

func FuzzParseLedger(f *testing.F) {
	f.Add(ledgerJSON)
	f.Add(`{"customer": {"id": "x"}}`)
	f.Add(`{"customer": {"id": "x"}, "invoices": [{"id": "A", "amount": "1 JPY", "issue_date": "2026-02-30"}]}`)
	f.Add(`[]`)
	f.Fuzz(func(t *testing.T, src string) {
		l, err := ParseLedger([]byte(src))
		if err != nil {
			if !strings.HasPrefix(err.Error(), "dunning: ") {
				t.Errorf("error without the package prefix: %v", err)
			}
			return
		}
		if err := l.Validate(); err != nil {
			t.Fatalf("a parsed ledger does not validate: %v", err)
		}
		b, err := json.Marshal(l)
		if err != nil {
			t.Fatal(err)
		}
		back, err := ParseLedger(b)
		if err != nil {
			t.Fatalf("a marshalled ledger does not parse: %v\n%s", err, b)
		}
		if diff := cmp.Diff(l, back, equateValues, cmpopts.EquateEmpty(), cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) })); diff != "" {
			t.Errorf("ledger round trip (-before +after):\n%s", diff)
		}
		for _, d := range []string{"2026-01-01", "2026-06-30"} {
			bal, err := l.Balances(day(d), time.UTC)
			if err != nil {
				continue // entries that take back more than there is
			}
			for _, ib := range bal.Invoices {
				if got, err := ib.Amount.Sub(ib.Applied); err != nil || got != ib.Balance {
					t.Errorf("invoice %s: %v - %v != %v", ib.ID, ib.Amount, ib.Applied, ib.Balance)
				}
			}
		}
	})
}

func FuzzStateJSON(f *testing.F) {
	s := mustSchedule(f, propertySchedule)
	l := scenario(3)
	res, err := dunner(f, s, time.UTC).Evaluate(State{}, l, at("2026-04-01T00:00:00Z"))
	if err != nil {
		f.Fatal(err)
	}
	b, _ := json.Marshal(res.State)
	f.Add(string(b))
	f.Add(`{"stage": "suspend", "seq": 3, "effects": ["suspend_subscriptions"], "blocked_from": "2026-03-01"}`)
	f.Add(`{"uncredited": {"days": 3, "month_units": 36540, "year_units": 1098}, "credits": [{"subscription": "gone", "units": 5, "denominator": 7, "credited": "1.00 USD"}]}`)
	f.Add(`{"uncredited": {"days": -9223372036854775808, "month_units": 9223372036854775807}}`)
	f.Add(`{"stage": "suspend", "uncredited": [{"from": "2026-02-10", "until": "2026-02-13"}]}`)
	f.Fuzz(func(t *testing.T, src string) {
		var st State
		if err := json.Unmarshal([]byte(src), &st); err != nil {
			return
		}
		b, err := json.Marshal(st)
		if err != nil {
			t.Fatal(err)
		}
		var back State
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatalf("a marshalled state does not unmarshal: %v", err)
		}
		if diff := cmp.Diff(st, back, equateValues, cmpopts.EquateEmpty(), cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) })); diff != "" {
			t.Errorf("state round trip (-before +after):\n%s", diff)
		}
		// Whatever a stored state says, evaluation does not panic.
		_, _ = dunner(t, s, time.UTC).Evaluate(st, l, at("2026-05-01T00:00:00Z"))
	})
}
