package dunning

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/riskkit/riskkit/risk"
)

const propertySchedule = `
id: prop
credit_blocked_time: true
retries: {offsets_days: [1, 3, 6]}
stages:
  - {id: collections, after_days: 60, min_invoices: 2, actions: [send_to_collections, write_off]}
  - {id: disable, after_days: 45, min_balance: ["50.00 USD", "40.00 EUR"], actions: [disable_access]}
  - {id: suspend, after_days: 30, actions: [suspend_subscriptions, {reminder: suspended}, retry_payment]}
  - {id: restrict, after_days: 14, actions: [restrict_purchases]}
  - {id: remind, after_days: 1, actions: [{reminder: overdue}]}
campaigns:
  - {id: calls, thresholds: ["80.00 USD", "70.00 EUR"], max_attempts: 3, min_interval: 5d, from_stage: restrict}
`

// scenario builds a random but consistent ledger over about 120 days
// from 2026-01-01, in one or two currencies, with every kind of entry,
// attempts and controls.
func scenario(seed uint64) *Ledger {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	l := ledger()
	l.Customer.ID = fmt.Sprintf("c%d", seed)
	start := day("2026-01-01")
	curs := []string{"USD"}
	if r.IntN(3) == 0 {
		curs = append(curs, "EUR")
	}
	money := func(cur string, lo, hi int) risk.Money {
		m, _ := risk.NewMoney(int64(lo+r.IntN(hi-lo+1))*100, cur)
		return m
	}
	instant := func(d int) time.Time {
		return start.AddDays(d).Start(time.UTC).Add(time.Duration(r.IntN(86400)) * time.Second)
	}
	type src struct {
		id   string
		live int64
		cur  string
		at   time.Time
		ref  string // a chargeback's payment
	}
	var pays []src
	var cbs []src
	n := 1 + r.IntN(6)
	for i := range n {
		cur := curs[r.IntN(len(curs))]
		id := fmt.Sprintf("i%d", i)
		l.Invoices = append(l.Invoices, Invoice{ID: id, Amount: money(cur, 0, 120), IssueDate: start.AddDays(r.IntN(90)), NetDays: []int{0, 14, 30}[r.IntN(3)]})
		switch r.IntN(12) {
		case 0:
			l.Invoices[i].State = Disputed
		case 1:
			l.Invoices[i].State = WrittenOff
		case 2:
			l.Invoices[i].State = Void
		}
	}
	ne := r.IntN(8)
	for i := range ne {
		id := fmt.Sprintf("e%d", i)
		when := instant(r.IntN(130))
		if len(l.Entries) > 0 {
			// Entries happen in ledger order, so that refunds, chargebacks
			// and reversals come after what they act on.
			when = maxTime(when, l.Entries[len(l.Entries)-1].At)
		}
		switch k := r.IntN(10); {
		case k < 5 || len(pays) == 0:
			cur := curs[r.IntN(len(curs))]
			e := Entry{ID: id, Kind: Payment, At: when, Amount: money(cur, 5, 150)}
			if r.IntN(2) == 0 {
				e.Kind = []EntryKind{Payment, Credit}[r.IntN(2)]
				inv := l.Invoices[r.IntN(len(l.Invoices))]
				e.Amount, _ = risk.NewMoney(e.Amount.Minor(), inv.Amount.Currency())
				e.Invoice = inv.ID
			}
			l.Entries = append(l.Entries, e)
			if e.Kind == Payment {
				pays = append(pays, src{id, e.Amount.Minor(), e.Amount.Currency(), when, ""})
			}
		case k < 7:
			p := &pays[r.IntN(len(pays))]
			if p.live == 0 {
				continue
			}
			amt, _ := risk.NewMoney(1+r.Int64N(p.live), p.cur)
			p.live -= amt.Minor()
			l.Entries = append(l.Entries, Entry{ID: id, Kind: Chargeback, At: maxTime(when, p.at), Amount: amt, Ref: p.id})
			cbs = append(cbs, src{id, amt.Minor(), p.cur, maxTime(when, p.at), p.id})
		case k < 8 && len(cbs) > 0:
			c := cbs[r.IntN(len(cbs))]
			if c.live == 0 {
				continue
			}
			for i := range cbs {
				if cbs[i].id == c.id {
					cbs[i].live = 0
				}
			}
			for i := range pays {
				if c.ref == pays[i].id {
					pays[i].live += c.live
				}
			}
			l.Entries = append(l.Entries, Entry{ID: id, Kind: ChargebackReversal, At: maxTime(when, c.at), Ref: c.id})
		default:
			p := &pays[r.IntN(len(pays))]
			if p.live == 0 {
				continue
			}
			amt, _ := risk.NewMoney(1+r.Int64N(p.live), p.cur)
			p.live -= amt.Minor()
			l.Entries = append(l.Entries, Entry{ID: id, Kind: Refund, At: maxTime(when, p.at), Amount: amt, Ref: p.id})
		}
	}
	for i := range r.IntN(5) {
		cur := curs[r.IntN(len(curs))]
		res := []AttemptResult{Succeeded, SoftDecline, SoftDecline, HardDecline}[r.IntN(4)]
		l.Attempts = append(l.Attempts, Attempt{ID: fmt.Sprintf("a%d", i), At: instant(r.IntN(130)), Amount: money(cur, 1, 100), Result: res})
	}
	if r.IntN(3) == 0 {
		from := start.AddDays(20 + r.IntN(80))
		c := Control{Kind: []ControlKind{Pause, Promise, Exemption}[r.IntN(3)], From: from, Until: from.AddDays(1 + r.IntN(20)), Reason: "test"}
		l.Controls = append(l.Controls, c)
	}
	l.Subscriptions = []Subscription{{ID: "sub", Price: money(curs[0], 10, 99)}}
	return l
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// checkScenario checks the properties dunning promises on one scenario.
func checkScenario(t *testing.T, s *Schedule, l *Ledger, loc *time.Location) {
	t.Helper()
	start, end := day("2026-01-01"), day("2026-05-10")

	// Balances: every invoice's balance is its amount less what was applied,
	// and money is conserved: what came in, less what went out, is what was
	// applied plus what is left as credit.
	for d := start; !d.After(end); d = d.AddDays(17) {
		b, err := l.Balances(d, loc)
		if err != nil {
			t.Fatalf("Balances on %s: %v", d, err)
		}
		in := map[string]int64{}
		for _, e := range l.Entries {
			if risk.DateOf(e.At, loc).After(d) {
				continue
			}
			switch e.Kind {
			case Payment, Credit:
				in[e.Amount.Currency()] += e.Amount.Minor()
			case Refund, Chargeback:
				in[e.Amount.Currency()] -= e.Amount.Minor()
			case ChargebackReversal:
				for _, c := range l.Entries {
					if c.ID == e.Ref {
						in[c.Amount.Currency()] += c.Amount.Minor() // reversals here are whole
					}
				}
			}
		}
		for _, ib := range b.Invoices {
			if ib.Balance.Sign() < 0 || ib.Applied.Sign() < 0 || ib.Amount.Minor()-ib.Applied.Minor() != ib.Balance.Minor() {
				t.Errorf("%s: invoice %s: amount %v, applied %v, balance %v", d, ib.ID, ib.Amount, ib.Applied, ib.Balance)
			}
		}
		for _, c := range b.Currencies {
			if got := c.Applied.Minor() + c.Credit.Minor(); got != in[c.Currency] {
				t.Errorf("%s: %s applied %v + credit %v != net money in %d", d, c.Currency, c.Applied, c.Credit, in[c.Currency])
			}
		}
	}

	// Daily evaluation at the start of every day.
	var daily State
	keys := map[string]string{}
	var dailyStages []string
	for d := start; !d.After(end); d = d.AddDays(1) {
		now := d.Start(loc)
		res, err := dunner(t, s, loc).Evaluate(daily, l, now)
		if err != nil {
			t.Fatalf("daily %s: %v", d, err)
		}
		again, _ := dunner(t, s, loc).Evaluate(daily, l, now)
		if !cmp.Equal(res, again, equateValues) {
			t.Fatalf("daily %s: the same evaluation twice differs", d)
		}
		for _, a := range res.Actions {
			if first, dup := keys[a.Key]; dup {
				t.Errorf("daily %s: key %s emitted again (first on %s)", d, a.Key, first)
			}
			keys[a.Key] = d.String()
		}
		if res.State.Stage != daily.Stage || len(dailyStages) == 0 {
			dailyStages = append(dailyStages, d.String()+":"+res.State.StageName())
		}
		daily = res.State
	}

	// Evaluation only at the instants Next names reaches the same stages on
	// the same days, and nothing happens at any instant in between.
	var st State
	now := start.Start(loc)
	var nextStages []string
	r := rand.New(rand.NewPCG(uint64(len(l.Invoices)), 7))
	for steps := 0; !risk.DateOf(now, loc).After(end); steps++ {
		if steps > 1000 {
			t.Fatal("next did not advance")
		}
		res, err := dunner(t, s, loc).Evaluate(st, l, now)
		if err != nil {
			t.Fatalf("next-driven %s: %v", now, err)
		}
		if res.State.Stage != st.Stage || len(nextStages) == 0 {
			nextStages = append(nextStages, risk.DateOf(now, loc).String()+":"+res.State.StageName())
		}
		if res.Next.IsZero() {
			break
		}
		if !res.Next.After(now) {
			t.Fatalf("next %s is not after now %s", res.Next, now)
		}
		if gap := res.Next.Sub(now); gap > time.Nanosecond {
			between := now.Add(time.Nanosecond + time.Duration(r.Int64N(int64(gap-time.Nanosecond))))
			mid, err := dunner(t, s, loc).Evaluate(res.State, l, between)
			if err != nil {
				t.Fatal(err)
			}
			if mid.State.Stage != res.State.Stage || len(mid.Actions) > 0 {
				t.Errorf("evaluated at %s, before next %s, the result changed: stage %s, actions %v",
					between, res.Next, mid.State.StageName(), mid.Actions)
			}
		}
		st, now = res.State, res.Next
	}
	if diff := cmp.Diff(dailyStages, nextStages); diff != "" {
		t.Errorf("stages visited daily and at next (-daily +next):\n%s", diff)
	}

	// One evaluation at the end reaches the stage daily evaluation reached.
	once, err := dunner(t, s, loc).Evaluate(State{}, l, end.Start(loc))
	if err != nil {
		t.Fatal(err)
	}
	if once.State.Stage != daily.Stage {
		t.Errorf("one-shot stage %s, daily stage %s", once.State.StageName(), daily.StageName())
	}
}

func TestProperties(t *testing.T) {
	s := mustSchedule(t, propertySchedule)
	ny := loadLoc(t, "America/New_York")
	n := 150
	if testing.Short() {
		n = 20
	}
	for seed := range uint64(n) {
		l := scenario(seed)
		loc := time.UTC
		if seed%2 == 1 {
			loc = ny
		}
		t.Run(fmt.Sprint(seed), func(t *testing.T) { checkScenario(t, s, l, loc) })
	}
}

// FuzzProperties checks the properties on scenarios from fuzzed seeds.
func FuzzProperties(f *testing.F) {
	for _, seed := range []uint64{1, 42, 977, 1 << 40} {
		f.Add(seed)
	}
	s := mustSchedule(f, propertySchedule)
	f.Fuzz(func(t *testing.T, seed uint64) {
		checkScenario(t, s, scenario(seed), time.UTC)
	})
}
