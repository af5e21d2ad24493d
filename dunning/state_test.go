package dunning

import (
	"encoding/json"
	"fmt"
	"math/big"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/riskkit/riskkit/examples"
	"github.com/riskkit/riskkit/risk"
)

// latePayer is a customer billed 49.00 USD every 30 days on net-14 terms
// who pays each invoice 33 days after it is due, when its subscriptions
// are already suspended; every fourth invoice it pays together with the
// next one, which brings the account back to current and credits the
// blocked days.
func latePayer(months int) *Ledger {
	l := ledger()
	l.Subscriptions = []Subscription{{ID: "vm", Price: usd("49.00")}}
	start := day("2026-01-01")
	for m := range months {
		issue := start.AddDays(m * 30)
		id := fmt.Sprintf("INV-%03d", m)
		l.Invoices = append(l.Invoices, Invoice{ID: id, Amount: usd("49.00"), IssueDate: issue, NetDays: 14})
		paid := issue.AddDays(14 + 33).Start(time.UTC).Add(time.Hour)
		switch m % 4 {
		case 0:
			l.Entries = append(l.Entries, Entry{ID: "p" + id, Kind: Payment, At: paid, Amount: usd("98.00")})
		case 1: // paid with the one before
		default:
			l.Entries = append(l.Entries, Entry{ID: "p" + id, Kind: Payment, At: paid, Amount: usd("49.00"), Invoice: id})
		}
	}
	return l
}

// TestLatePayerStateBounded runs years of late payments through the
// standard schedule, evaluating at every instant the previous evaluation
// names, and checks that the stored state stops growing, that every
// transition is kept or archived exactly once, that the state survives
// JSON, and that the blocked days are credited exactly.
func TestLatePayerStateBounded(t *testing.T) {
	src, err := examples.Policy("dunning.yaml")
	if err != nil {
		t.Fatal(err)
	}
	s := mustSchedule(t, string(src))
	const years = 8
	l := latePayer(years * 12)
	var st State
	var archived []Transition
	var credited risk.Money
	sizes := map[int]int{} // year -> largest state in bytes
	now := day("2026-01-01").Start(time.UTC)
	end := day("2026-01-01").AddDays(years * 360).Start(time.UTC)
	for now.Before(end) {
		res, err := dunner(t, s, time.UTC).Evaluate(st, l, now)
		if err != nil {
			t.Fatal(err)
		}
		archived = append(archived, res.Archived...)
		for _, a := range res.Actions {
			if a.Kind == CreditBlockedTime {
				if credited, err = a.Amount.Add(credited); err != nil {
					t.Fatal(err)
				}
			}
		}
		b, err := json.Marshal(res.State)
		if err != nil {
			t.Fatal(err)
		}
		var back State
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(res.State, back, equateValues); diff != "" {
			t.Fatalf("%s: state does not round-trip through JSON (-before +after):\n%s", now, diff)
		}
		y := int(now.Sub(day("2026-01-01").Start(time.UTC)) / (360 * 24 * time.Hour))
		sizes[y] = max(sizes[y], len(b))
		st = back
		if res.Next.IsZero() {
			break
		}
		now = res.Next
	}
	if st.Seq < 100 {
		t.Fatalf("only %d transitions in %d years: the scenario does not exercise the audit window", st.Seq, years)
	}
	// The state grew by about 7 KB a year when it kept every transition and
	// blocked span; now the second year's largest state bounds all later
	// ones.
	for y := 2; y < years; y++ {
		if sizes[y] > sizes[1]+64 || sizes[y] > 4096 {
			t.Errorf("year %d: state of %d bytes, year 1: %d bytes", y+1, sizes[y], sizes[1])
		}
	}
	all := append(archived, st.Transitions...)
	if len(st.Transitions) != AuditWindow {
		t.Errorf("state keeps %d transitions, want the audit window of %d", len(st.Transitions), AuditWindow)
	}
	for i, tr := range all {
		if tr.Seq != i+1 {
			t.Fatalf("transition %d has seq %d: a transition was lost or archived twice", i+1, tr.Seq)
		}
	}

	// The credits of blocked time, from the audit trail: every day from
	// entering a blocking stage to leaving it, up to the last return to
	// current, is worth 49.00 USD / the days of its month, and the credits
	// add up to that total rounded once, half to even.
	blocking := map[string]bool{"suspend": true, "disable": true, "collections": true}
	total := new(big.Rat)
	var from risk.Date
	var pending []risk.Date // blocked days not yet credited
	for _, tr := range all {
		d := risk.DateOf(tr.At, time.UTC)
		switch {
		case blocking[tr.To] && !blocking[tr.From]:
			from = d
		case !blocking[tr.To] && blocking[tr.From]:
			for x := from; x.Before(d); x = x.AddDays(1) {
				pending = append(pending, x)
			}
		}
		if tr.To == Current {
			for _, x := range pending {
				y, m, _ := x.Parts()
				total.Add(total, big.NewRat(4900, int64(time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day())))
			}
			pending = nil
		}
	}
	if total.Sign() == 0 {
		t.Fatal("no blocked day was credited: the scenario does not exercise credits")
	}
	if want := roundHalfEven(total); credited.Minor() != want {
		t.Errorf("credited %v, want %d minor units", credited, want)
	}
}

// roundHalfEven rounds a non-negative rational to an integer.
func roundHalfEven(r *big.Rat) int64 {
	q, rem := new(big.Int).QuoRem(r.Num(), r.Denom(), new(big.Int))
	switch c := new(big.Int).Mul(rem, big.NewInt(2)).Cmp(r.Denom()); {
	case c > 0, c == 0 && q.Bit(0) == 1:
		q.Add(q, big.NewInt(1))
	}
	return q.Int64()
}

// TestAuditWindow checks the boundary of the audit window: the transition
// that makes AuditWindow+1 archives the oldest, a repeated evaluation
// archives the same one again (the host stores one of the two results),
// and a state stored with more transitions than the window, as states were
// before it, is trimmed on its next evaluation.
func TestAuditWindow(t *testing.T) {
	s := mustSchedule(t, testSchedule)
	l := ledger(inv("A", "100.00 USD", "2026-03-01", 0))
	var st State
	for i := range AuditWindow {
		st.Transitions = append(st.Transitions, Transition{Seq: i + 1, From: "remind", To: "current", At: at("2026-02-01T00:00:00Z"), Why: "old"})
	}
	st.Seq = AuditWindow
	res, err := dunner(t, s, time.UTC).Evaluate(st, l, at("2026-03-01T12:00:00Z"))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Archived) != 0 || len(res.State.Transitions) != AuditWindow {
		t.Fatalf("no transition: archived %d, kept %d", len(res.Archived), len(res.State.Transitions))
	}
	now := at("2026-03-02T00:00:00Z")
	res, err = dunner(t, s, time.UTC).Evaluate(st, l, now)
	if err != nil {
		t.Fatal(err)
	}
	again, _ := dunner(t, s, time.UTC).Evaluate(st, l, now)
	if diff := cmp.Diff(res, again, equateValues); diff != "" {
		t.Errorf("a repeated evaluation differs (-first +second):\n%s", diff)
	}
	var seqs []int
	for _, tr := range res.State.Transitions {
		seqs = append(seqs, tr.Seq)
	}
	if len(res.Archived) != 1 || res.Archived[0].Seq != 1 || len(seqs) != AuditWindow || seqs[0] != 2 || seqs[len(seqs)-1] != AuditWindow+1 {
		t.Errorf("archived %v, kept seqs %v", res.Archived, seqs)
	}
	if len(st.Transitions) != AuditWindow || st.Transitions[0].Seq != 1 {
		t.Error("Evaluate changed the caller's state")
	}

	long := st
	long.Transitions = slices.Clone(st.Transitions)
	for i := range 5 {
		long.Transitions = append(long.Transitions, Transition{Seq: AuditWindow + i + 1, From: "remind", To: "current", At: at("2026-02-02T00:00:00Z")})
	}
	long.Seq = AuditWindow + 5
	res, err = dunner(t, s, time.UTC).Evaluate(long, l, at("2026-03-01T12:00:00Z"))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Archived) != 5 || res.Archived[4].Seq != 5 || len(res.State.Transitions) != AuditWindow {
		t.Errorf("a long stored trail: archived %d (last seq %d), kept %d", len(res.Archived), res.Archived[len(res.Archived)-1].Seq, len(res.State.Transitions))
	}
}

// TestBlockedTimeUnits checks that the three sums of BlockedTime are each
// period's exact share: a whole month is one month, a whole leap year one
// year, seven days one week.
func TestBlockedTimeUnits(t *testing.T) {
	tests := []struct {
		name        string
		from, until string
		period      BillingPeriod
		units, den  int64
	}{
		{"February of a leap year is a month", "2028-02-01", "2028-03-01", Monthly, monthUnits, monthUnits},
		{"one day of February", "2026-02-10", "2026-02-11", Monthly, monthUnits / 28, monthUnits},
		{"a leap year is a year", "2028-01-01", "2029-01-01", Yearly, yearUnits, yearUnits},
		{"two days across a year end", "2028-12-31", "2029-01-02", Yearly, yearUnits/366 + yearUnits/365, yearUnits},
		{"a week", "2026-03-01", "2026-03-08", Weekly, 7, 7},
		{"days", "2026-03-01", "2026-03-04", Daily, 3, 1},
		{"nothing", "2026-03-01", "2026-03-01", Monthly, 0, monthUnits},
	}
	for _, tt := range tests {
		var b BlockedTime
		b.add(day(tt.from), day(tt.until))
		if u, d := b.units(tt.period); u != tt.units || d != tt.den {
			t.Errorf("%s: %d/%d, want %d/%d", tt.name, u, d, tt.units, tt.den)
		}
	}
}

// TestBlockedTimeLegacyJSON checks that a state stored with the list of
// blocked spans of earlier versions keeps its uncredited days, and that
// such a list cannot make decoding slow.
func TestBlockedTimeLegacyJSON(t *testing.T) {
	var st State
	if err := json.Unmarshal([]byte(`{"stage": "remind", "uncredited": [{"from": "2026-02-10", "until": "2026-02-13"}, {"from": "2026-03-01", "until": "2026-03-02"}]}`), &st); err != nil {
		t.Fatal(err)
	}
	var want BlockedTime
	want.add(day("2026-02-10"), day("2026-02-13"))
	want.add(day("2026-03-01"), day("2026-03-02"))
	if st.Uncredited != want || want.Days != 4 {
		t.Errorf("uncredited %+v, want %+v", st.Uncredited, want)
	}
	for _, bad := range []string{
		`{"uncredited": [{"from": "2026-03-01", "until": "2026-02-01"}]}`,
		`{"uncredited": [{"from": "0001-01-01", "until": "9999-12-31"}]}`,
		`{"uncredited": [{"until": "2026-02-01"}]}`,
	} {
		if err := json.Unmarshal([]byte(bad), &st); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
	b, err := json.Marshal(State{Uncredited: want})
	if err != nil {
		t.Fatal(err)
	}
	var back State
	if err := json.Unmarshal(b, &back); err != nil || back.Uncredited != want {
		t.Errorf("round trip of %s: %+v, %v", b, back.Uncredited, err)
	}
}
