package dunning

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/riskkit/riskkit/risk"
)

const testSchedule = `
id: test
version: "1"
credit_blocked_time: true
stages:
  - id: collections
    after_days: 60
    min_invoices: 2
    actions: [send_to_collections]
  - id: suspend
    after_days: 30
    actions: [restrict_purchases, suspend_subscriptions, {reminder: suspended}]
  - id: restrict
    after_days: 14
    actions: [restrict_purchases, {reminder: restricted}]
  - id: remind
    after_days: 1
    actions: [{reminder: overdue}, retry_payment]
`

func mustSchedule(t testing.TB, src string) *Schedule {
	t.Helper()
	s, err := ParseSchedule([]byte(src))
	if err != nil {
		t.Fatalf("ParseSchedule: %v", err)
	}
	return s
}

// summary writes an action as "kind" plus what it is about, and with its
// key's transition or run, so that tables stay readable.
func summary(a Action) string {
	var b strings.Builder
	b.WriteString(string(a.Kind))
	if a.Template != "" {
		b.WriteString(" " + a.Template)
	}
	if a.Cancel != "" {
		b.WriteString(" " + string(a.Cancel))
	}
	if a.Subscription != "" {
		b.WriteString(" " + a.Subscription)
	}
	if a.Campaign != "" {
		fmt.Fprintf(&b, " %s#%d", a.Campaign, a.Attempt)
	}
	if !a.Amount.IsZero() {
		b.WriteString(" " + a.Amount.String())
	}
	if len(a.Invoices) > 0 {
		b.WriteString(" " + strings.Join(a.Invoices, ","))
	}
	return b.String()
}

// evalStep is one evaluation of a step table: the facts that arrived since
// the previous step, the instant, and what the evaluation must return.
type evalStep struct {
	at      string
	facts   func(l *Ledger)
	stage   string
	actions []string
	next    string // RFC 3339, or "" for none
	why     string // a substring of the step's transition, if one is expected
}

// runSteps evaluates the steps in order, each from the state the previous
// one returned, and checks every result. It also checks that a repeated
// evaluation gives the same result, that the state survives JSON, and that
// no idempotency key comes twice.
func runSteps(t *testing.T, s *Schedule, l *Ledger, loc *time.Location, steps []evalStep) State {
	t.Helper()
	d := dunner(t, s, loc)
	var st State
	keys := map[string]string{}
	for i, step := range steps {
		if step.facts != nil {
			step.facts(l)
		}
		now := at(step.at)
		res, err := d.Evaluate(st, l, now)
		if err != nil {
			t.Fatalf("t%d %s: %v", i, step.at, err)
		}
		again, err := dunner(t, s, loc).Evaluate(st, l, now)
		if err != nil || !cmp.Equal(res, again, equateValues) {
			t.Errorf("t%d %s: a repeated evaluation differs: %v", i, step.at, cmp.Diff(res, again, equateValues))
		}
		if got := res.State.StageName(); got != step.stage {
			t.Errorf("t%d %s: stage %s, want %s (why: %v)", i, step.at, got, step.stage, lastWhy(res.State))
		}
		got := make([]string, len(res.Actions))
		for k, a := range res.Actions {
			got[k] = summary(a)
			if prevAt, dup := keys[a.Key]; dup {
				t.Errorf("t%d %s: key %s was already emitted at %s", i, step.at, a.Key, prevAt)
			}
			keys[a.Key] = step.at
		}
		if diff := cmp.Diff(step.actions, got, cmp.Comparer(func(a, b []string) bool { return len(a) == 0 && len(b) == 0 || cmp.Equal(a, b) })); diff != "" {
			t.Errorf("t%d %s: actions (-want +got):\n%s", i, step.at, diff)
		}
		next := ""
		if !res.Next.IsZero() {
			next = res.Next.UTC().Format(time.RFC3339Nano)
		}
		if next != step.next {
			t.Errorf("t%d %s: next %q, want %q", i, step.at, next, step.next)
		}
		if step.why != "" && !strings.Contains(lastWhy(res.State), step.why) {
			t.Errorf("t%d %s: last transition %q does not say %q", i, step.at, lastWhy(res.State), step.why)
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
			t.Errorf("t%d: state does not round-trip through JSON (-before +after):\n%s", i, diff)
		}
		st = back
	}
	return st
}

func lastWhy(s State) string {
	if len(s.Transitions) == 0 {
		return ""
	}
	tr := s.Transitions[len(s.Transitions)-1]
	return tr.From + "->" + tr.To + ": " + tr.Why
}

func ledger(invoices ...Invoice) *Ledger {
	l := &Ledger{Invoices: invoices}
	l.Customer.ID = "cust-1"
	return l
}

func TestStageBoundaries(t *testing.T) {
	s := mustSchedule(t, testSchedule)
	l := ledger(inv("A", "100.00 USD", "2026-03-01", 0))
	runSteps(t, s, l, time.UTC, []evalStep{
		{at: "2026-03-01T12:00:00Z", stage: "current", next: "2026-03-02T00:00:00Z"},
		{at: "2026-03-02T00:00:00Z", stage: "remind", actions: []string{"reminder overdue", "retry_payment 100.00 USD"},
			next: "2026-03-15T00:00:00Z", why: "USD: 1 day since invoice A was due on 2026-03-01"},
		{at: "2026-03-14T23:59:59Z", stage: "remind", next: "2026-03-15T00:00:00Z"},
		{at: "2026-03-15T00:00:00Z", stage: "restrict", actions: []string{"restrict_purchases", "reminder restricted"}, next: "2026-03-31T00:00:00Z"},
		{at: "2026-03-31T00:00:00Z", stage: "suspend", actions: []string{"suspend_subscriptions", "reminder suspended"}},
		{at: "2026-06-30T00:00:00Z", stage: "suspend", why: "30 days"},
	})
}

func TestSkippedStages(t *testing.T) {
	s := mustSchedule(t, testSchedule)
	l := ledger(inv("A", "100.00 USD", "2026-03-01", 0))
	runSteps(t, s, l, time.UTC, []evalStep{
		// Evaluated for the first time 35 days in: straight to suspend,
		// with only suspend's actions.
		{at: "2026-04-05T09:00:00Z", stage: "suspend",
			actions: []string{"restrict_purchases", "suspend_subscriptions", "reminder suspended"}, why: "current->suspend"},
	})
}

func TestIssueDateBoundary(t *testing.T) {
	s := mustSchedule(t, `
id: d10
age_from: issue_date
stages:
  - {id: late, after_days: 10, actions: [{reminder: late}]}
`)
	l := ledger(inv("A", "10.00 USD", "2026-03-01", 30))
	runSteps(t, s, l, time.UTC, []evalStep{
		{at: "2026-03-10T23:59:59.999999999Z", stage: "current", next: "2026-03-11T00:00:00Z"},
		{at: "2026-03-11T00:00:00Z", stage: "late", actions: []string{"reminder late"}, why: "10 days since invoice A was issued on 2026-03-01"},
	})
}

func TestPaymentMovesEarliest(t *testing.T) {
	s := mustSchedule(t, testSchedule)
	l := ledger(inv("A", "100.00 USD", "2026-03-01", 0), inv("B", "40.00 USD", "2026-03-20", 0))
	runSteps(t, s, l, time.UTC, []evalStep{
		{at: "2026-03-31T10:00:00Z", stage: "suspend", actions: []string{"restrict_purchases", "suspend_subscriptions", "reminder suspended"},
			next: "2026-04-30T00:00:00Z"}, // collections: 60 days after A, with 2 invoices
		{at: "2026-04-01T10:00:00Z", facts: func(l *Ledger) { l.Entries = append(l.Entries, pay("p1", "2026-04-01T09:00:00Z", "100.00 USD", "")) },
			// A is paid; B, due on the 20th, is 12 days old.
			stage: "remind", actions: []string{"resume_subscriptions", "lift_restriction", "reminder overdue", "retry_payment 40.00 USD"},
			next: "2026-04-03T00:00:00Z", why: "USD: 12 days since invoice B was due on 2026-03-20"},
		{at: "2026-04-03T00:00:00Z", stage: "restrict", actions: []string{"restrict_purchases", "reminder restricted"}, next: "2026-04-19T00:00:00Z"},
	})
}

func TestReinstatementCredit(t *testing.T) {
	s := mustSchedule(t, testSchedule)
	l := ledger(inv("A", "100.00 USD", "2026-03-01", 0))
	l.Subscriptions = []Subscription{{ID: "vm", Price: usd("30.00")}, {ID: "support", Price: usd("365.00"), Period: Yearly}}
	st := runSteps(t, s, l, time.UTC, []evalStep{
		{at: "2026-03-31T10:00:00Z", stage: "suspend", actions: []string{"restrict_purchases", "suspend_subscriptions", "reminder suspended"}},
		// Blocked from March 31 to April 10: 1/31 of March and 9/30 of
		// April. 30.00 × (1/31 + 9/30) = 9.9677… -> 9.97; 365.00 a year is
		// 1.00 a day in 2026 -> 10.00.
		{at: "2026-04-10T08:00:00Z", facts: func(l *Ledger) { l.Entries = append(l.Entries, pay("p1", "2026-04-10T07:00:00Z", "100.00 USD", "A")) },
			stage: "current", actions: []string{"resume_subscriptions", "lift_restriction", "reinstate", "credit_blocked_time vm 9.97 USD",
				"credit_blocked_time support 10.00 USD"}, why: "nothing is unpaid"},
	})
	want := []CreditAccrual{
		{Subscription: "vm", Units: 125454, Denominator: monthUnits, Credited: usd("9.97")},
		{Subscription: "support", Units: 10 * (yearUnits / 365), Denominator: yearUnits, Credited: usd("10.00")},
	}
	if diff := cmp.Diff(want, st.Credits, equateValues); diff != "" {
		t.Errorf("credits kept for the next time (-want +got):\n%s", diff)
	}
}

func TestCreditsLoseNothing(t *testing.T) {
	// Ten separate one-day suspensions of a 10.00 monthly subscription in
	// a 30-day month are each worth 0.3333…: credited one by one, rounding
	// each would pay 0.33 ten times, 3.30; the accrual pays 3.33 in all,
	// the exact 3.3333… rounded once.
	s := mustSchedule(t, `
id: c
credit_blocked_time: true
stages:
  - {id: suspend, after_days: 0, actions: [suspend_subscriptions]}
`)
	l := ledger()
	l.Subscriptions = []Subscription{{ID: "vm", Price: usd("10.00")}}
	var st State
	var total int64
	for d := 1; d <= 10; d++ {
		issue := fmt.Sprintf("2026-04-%02d", 2*d)
		l.Invoices = append(l.Invoices, inv(fmt.Sprintf("i%d", d), "1.00 USD", issue, 0))
		res, err := dunner(t, s, time.UTC).Evaluate(st, l, at(issue+"T01:00:00Z"))
		if err != nil || res.State.Stage != "suspend" {
			t.Fatalf("day %d: %v, stage %q", d, err, res.State.Stage)
		}
		l.Entries = append(l.Entries, pay(fmt.Sprintf("p%d", d), fmt.Sprintf("2026-04-%02dT01:00:00Z", 2*d+1), "1.00 USD", ""))
		res, err = dunner(t, s, time.UTC).Evaluate(res.State, l, at(fmt.Sprintf("2026-04-%02dT02:00:00Z", 2*d+1)))
		if err != nil || res.State.Stage != "" {
			t.Fatalf("day %d: %v, stage %q", d, err, res.State.Stage)
		}
		for _, a := range res.Actions {
			if a.Kind == CreditBlockedTime {
				total += a.Amount.Minor()
			}
		}
		st = res.State
	}
	if total != 333 {
		t.Errorf("credited %d cents for ten blocked days of a 10.00 month of 30 days, want 333", total)
	}
}

func TestChargebackReopens(t *testing.T) {
	s := mustSchedule(t, testSchedule)
	l := ledger(inv("A", "100.00 USD", "2026-03-01", 0))
	l.Entries = []Entry{pay("p1", "2026-03-01T10:00:00Z", "100.00 USD", "A")}
	runSteps(t, s, l, time.UTC, []evalStep{
		{at: "2026-03-20T00:00:00Z", stage: "current"},
		{at: "2026-04-02T00:00:00Z", facts: func(l *Ledger) {
			l.Entries = append(l.Entries, Entry{ID: "cb1", Kind: Chargeback, At: at("2026-04-01T15:00:00Z"), Amount: usd("100.00"), Ref: "p1"})
		}, stage: "suspend", actions: []string{"restrict_purchases", "suspend_subscriptions", "reminder suspended"},
			why: "32 days since invoice A was due on 2026-03-01"},
		{at: "2026-04-20T00:00:00Z", facts: func(l *Ledger) {
			l.Entries = append(l.Entries, Entry{ID: "rv1", Kind: ChargebackReversal, At: at("2026-04-19T15:00:00Z"), Ref: "cb1"})
		}, stage: "current", actions: []string{"resume_subscriptions", "lift_restriction", "reinstate"}},
	})
}

func TestWriteOffEndsDunning(t *testing.T) {
	s := mustSchedule(t, `
id: w
stages:
  - {id: write-off, after_days: 90, actions: [write_off, {cancel: immediately}]}
  - {id: suspend, after_days: 30, actions: [suspend_subscriptions]}
`)
	l := ledger(inv("A", "100.00 USD", "2026-01-01", 0), inv("B", "50.00 USD", "2026-01-02", 0))
	l.Entries = []Entry{pay("p1", "2026-01-05T00:00:00Z", "20.00 USD", "B")}
	runSteps(t, s, l, time.UTC, []evalStep{
		// Skipping suspend, the account is still suspended, as everyone
		// in write-off is.
		{at: "2026-04-02T00:00:00Z", stage: "write-off", actions: []string{"suspend_subscriptions", "write_off 130.00 USD A,B", "cancel immediately"}},
		{at: "2026-04-03T00:00:00Z", facts: func(l *Ledger) {
			l.Invoices[0].State = WrittenOff
			l.Invoices[1].State = WrittenOff
		}, stage: "current", actions: []string{"resume_subscriptions", "reinstate"}},
	})
}

func TestDisputeHeldOut(t *testing.T) {
	s := mustSchedule(t, testSchedule)
	l := ledger(inv("A", "100.00 USD", "2026-03-01", 0), inv("B", "10.00 USD", "2026-03-25", 0))
	runSteps(t, s, l, time.UTC, []evalStep{
		{at: "2026-03-31T00:00:00Z", stage: "suspend", actions: []string{"restrict_purchases", "suspend_subscriptions", "reminder suspended"},
			next: "2026-04-30T00:00:00Z"},
		// The customer disputes A: only B, 7 days old, counts.
		{at: "2026-04-01T00:00:00Z", facts: func(l *Ledger) { l.Invoices[0].State = Disputed },
			stage: "remind", actions: []string{"resume_subscriptions", "lift_restriction", "reminder overdue", "retry_payment 10.00 USD"},
			next: "2026-04-08T00:00:00Z"},
	})
}

func TestExemption(t *testing.T) {
	s := mustSchedule(t, testSchedule)
	l := ledger(inv("A", "100.00 USD", "2026-03-01", 0))
	runSteps(t, s, l, time.UTC, []evalStep{
		{at: "2026-03-16T00:00:00Z", stage: "restrict", actions: []string{"restrict_purchases", "reminder restricted"}, next: "2026-03-31T00:00:00Z"},
		{at: "2026-03-17T00:00:00Z", facts: func(l *Ledger) {
			l.Controls = append(l.Controls, Control{Kind: Exemption, From: day("2026-03-17"), Until: day("2026-04-10"), Reason: "strategic account"})
		}, stage: "current", actions: []string{"lift_restriction", "reinstate"}, next: "2026-04-10T00:00:00Z", why: "exempt: exemption from 2026-03-17"},
		// When the exemption ends the account takes the stage its facts
		// give, and acts again under a new transition.
		{at: "2026-04-10T00:00:00Z", stage: "suspend", actions: []string{"restrict_purchases", "suspend_subscriptions", "reminder suspended"}},
	})
}

func TestPause(t *testing.T) {
	s := mustSchedule(t, testSchedule)
	l := ledger(inv("A", "100.00 USD", "2026-03-01", 0))
	runSteps(t, s, l, time.UTC, []evalStep{
		{at: "2026-03-10T00:00:00Z", stage: "remind", actions: []string{"reminder overdue", "retry_payment 100.00 USD"}, next: "2026-03-15T00:00:00Z"},
		// Paused from the 12th to the 20th: the clock stops at the 11th,
		// so the account stays in remind past the 15th.
		{at: "2026-03-12T00:00:00Z", facts: func(l *Ledger) {
			l.Controls = append(l.Controls, Control{Kind: Pause, From: day("2026-03-12"), Until: day("2026-03-20"), Reason: "awaiting purchase order"})
		}, stage: "remind", next: "2026-03-20T00:00:00Z"},
		{at: "2026-03-16T00:00:00Z", stage: "remind", next: "2026-03-20T00:00:00Z"},
		// The pause does not extend the schedule: on the 20th A is 19 days
		// old.
		{at: "2026-03-20T00:00:00Z", stage: "restrict", actions: []string{"restrict_purchases", "reminder restricted"}, next: "2026-03-31T00:00:00Z"},
	})
}

func TestPromiseThenPayment(t *testing.T) {
	s := mustSchedule(t, testSchedule)
	l := ledger(inv("A", "100.00 USD", "2026-03-01", 0), inv("B", "50.00 USD", "2026-03-10", 0))
	l.Controls = []Control{{Kind: Promise, From: day("2026-03-16"), Until: day("2026-04-16"), Reason: "will pay A by April 15"}}
	runSteps(t, s, l, time.UTC, []evalStep{
		{at: "2026-03-15T00:00:00Z", stage: "restrict", actions: []string{"restrict_purchases", "reminder restricted"}, next: "2026-04-16T00:00:00Z"},
		{at: "2026-03-16T00:00:00Z", stage: "restrict", next: "2026-04-16T00:00:00Z"},
		// A is paid during the promise: B is the earliest, counted on the
		// held clock (the 15th) it is 5 days old: remind, whose one-time
		// actions the promise holds.
		{at: "2026-04-02T00:00:00Z", facts: func(l *Ledger) { l.Entries = append(l.Entries, pay("p1", "2026-04-01T00:00:00Z", "100.00 USD", "A")) },
			stage: "remind", actions: []string{"lift_restriction"}, next: "2026-04-16T00:00:00Z", why: "one-time actions held by promise"},
		// The promise ends: B is 37 days old.
		{at: "2026-04-16T00:00:00Z", stage: "suspend", actions: []string{"restrict_purchases", "suspend_subscriptions", "reminder suspended"}},
	})
}

func TestLocalDay(t *testing.T) {
	la := loadLoc(t, "America/Los_Angeles")
	s := mustSchedule(t, testSchedule)
	l := ledger(inv("A", "100.00 USD", "2026-03-01", 0))
	runSteps(t, s, l, la, []evalStep{
		// 03:00 UTC on March 2 is still March 1 in Los Angeles.
		{at: "2026-03-02T03:00:00Z", stage: "current", next: "2026-03-02T08:00:00Z"},
		{at: "2026-03-02T08:00:00Z", stage: "remind", actions: []string{"reminder overdue", "retry_payment 100.00 USD"},
			// Daylight saving starts on March 8: March 15 begins at 07:00 UTC.
			next: "2026-03-15T07:00:00Z"},
	})
	tokyo := loadLoc(t, "Asia/Tokyo")
	runSteps(t, s, ledger(inv("A", "100.00 USD", "2026-03-01", 0)), tokyo, []evalStep{
		// 16:00 UTC on March 1 is already March 2 in Tokyo.
		{at: "2026-03-01T16:00:00Z", stage: "remind", actions: []string{"reminder overdue", "retry_payment 100.00 USD"}, next: "2026-03-14T15:00:00Z"},
	})
}

func attempt(id, when, amount string, r AttemptResult) Attempt {
	return Attempt{ID: id, At: at(when), Amount: risk.MustMoney(amount), Result: r}
}

func TestRetries(t *testing.T) {
	s := mustSchedule(t, `
id: r
retries: {offsets_days: [1, 3, 5]}
stages:
  - {id: late, after_days: 100, actions: [{reminder: late}]}
`)
	l := ledger(inv("A", "50.00 USD", "2026-03-01", 0))
	l.Attempts = []Attempt{attempt("a1", "2026-03-01T10:00:00Z", "50.00 USD", SoftDecline)}
	runSteps(t, s, l, time.UTC, []evalStep{
		{at: "2026-03-01T12:00:00Z", stage: "current", next: "2026-03-02T00:00:00Z"},
		{at: "2026-03-02T00:00:00Z", stage: "current", actions: []string{"retry_payment 50.00 USD"}, next: "2026-03-04T00:00:00Z"},
		{at: "2026-03-04T00:00:00Z", facts: func(l *Ledger) {
			l.Attempts = append(l.Attempts, attempt("a2", "2026-03-02T01:00:00Z", "50.00 USD", SoftDecline))
		}, stage: "current", actions: []string{"retry_payment 50.00 USD"}, next: "2026-03-06T00:00:00Z"},
		// A hard decline ends the retries: next is the stage, 100 days on.
		{at: "2026-03-05T00:00:00Z", facts: func(l *Ledger) {
			l.Attempts = append(l.Attempts, attempt("a3", "2026-03-04T01:00:00Z", "50.00 USD", HardDecline))
		}, stage: "current", next: "2026-06-09T00:00:00Z"},
		// A new card succeeds for part of the balance; the next failure
		// starts a new plan.
		{at: "2026-03-10T00:00:00Z", facts: func(l *Ledger) {
			l.Attempts = append(l.Attempts, attempt("a4", "2026-03-09T10:00:00Z", "20.00 USD", Succeeded),
				attempt("a5", "2026-03-09T11:00:00Z", "30.00 USD", SoftDecline))
			l.Entries = append(l.Entries, pay("p1", "2026-03-09T10:00:00Z", "20.00 USD", "A"))
		}, stage: "current", actions: []string{"retry_payment 30.00 USD"}, next: "2026-03-12T00:00:00Z"},
		// Evaluated late, after two retry days: only the latest retry goes.
		{at: "2026-03-20T00:00:00Z", stage: "current", actions: []string{"retry_payment 30.00 USD"}, next: "2026-06-09T00:00:00Z"},
	})
}

func TestRetryPlanTries(t *testing.T) {
	p := RetryPlan{Tries: 4, WithinDays: 14}
	if diff := cmp.Diff([]int{4, 7, 11, 14}, p.Days()); diff != "" {
		t.Errorf("4 tries within 14 days (-want +got):\n%s", diff)
	}
}

// TestCampaignsInTwoCurrencies runs a campaign that counts every unpaid
// invoice, due or not, as campaigns did before they followed Lago; see
// TestCampaignOverdueOnly for the default.
func TestCampaignsInTwoCurrencies(t *testing.T) {
	s := mustSchedule(t, `
id: c
stages:
  - {id: remind, after_days: 1, actions: [{reminder: r}]}
campaigns:
  - id: calls
    thresholds: ["100.00 USD", "90.00 EUR"]
    measure: unpaid
    max_attempts: 2
    min_interval: 7d
`)
	l := ledger(inv("U", "150.00 USD", "2026-03-01", 0), inv("E", "95.00 EUR", "2026-03-03", 30))
	runSteps(t, s, l, time.UTC, []evalStep{
		{at: "2026-03-02T00:00:00Z", stage: "remind", actions: []string{"reminder r", "campaign_attempt calls#1 150.00 USD"}, next: "2026-03-03T00:00:00Z"},
		{at: "2026-03-03T00:00:00Z", stage: "remind", actions: []string{"campaign_attempt calls#1 95.00 EUR"}, next: "2026-03-09T00:00:00.000000001Z"},
		// Seven days exactly is not more than seven days.
		{at: "2026-03-09T00:00:00Z", stage: "remind", next: "2026-03-09T00:00:00.000000001Z"},
		{at: "2026-03-09T00:00:00.000000001Z", stage: "remind", actions: []string{"campaign_attempt calls#2 150.00 USD"}, next: "2026-03-10T00:00:00.000000001Z"},
		// EUR is paid: its count resets and nothing more goes out in EUR.
		{at: "2026-03-10T00:00:00Z", facts: func(l *Ledger) {
			l.Entries = append(l.Entries, Entry{ID: "p1", Kind: Payment, At: at("2026-03-09T12:00:00Z"), Amount: eur("95.00")})
		}, stage: "remind", next: "2026-03-16T00:00:00.000000002Z"},
		// The second attempt was at 00:00:00.000000001.
		{at: "2026-03-16T00:00:00.000000002Z", stage: "remind", actions: []string{"campaign_finished calls#2 150.00 USD"}},
		{at: "2026-04-30T00:00:00Z", stage: "remind"},
		// A new EUR balance starts a second run, with new keys.
		{at: "2026-05-01T00:00:00Z", facts: func(l *Ledger) { l.Invoices = append(l.Invoices, inv("E2", "91.00 EUR", "2026-05-01", 30)) },
			stage: "remind", actions: []string{"campaign_attempt calls#1 91.00 EUR"}, next: "2026-05-08T00:00:00.000000001Z"},
	})
}

func TestConditions(t *testing.T) {
	s := mustSchedule(t, `
id: cel
stages:
  - id: review
    after_days: 5
    when: customer.kind == "business" && account.unpaid.minor >= 10000
    actions: [{reminder: account-manager}]
  - id: remind
    after_days: 5
    actions: [{reminder: overdue}]
`)
	l := ledger(inv("A", "150.00 USD", "2026-03-01", 0))
	l.Customer.Kind = "business"
	runSteps(t, s, l, time.UTC, []evalStep{
		{at: "2026-03-06T00:00:00Z", stage: "review", actions: []string{"reminder account-manager"}},
	})
	l2 := ledger(inv("A", "50.00 USD", "2026-03-01", 0))
	l2.Customer.Kind = "business"
	runSteps(t, s, l2, time.UTC, []evalStep{
		{at: "2026-03-06T00:00:00Z", stage: "remind", actions: []string{"reminder overdue"}},
	})
}

func TestEvaluateErrors(t *testing.T) {
	s := mustSchedule(t, testSchedule)
	good := ledger(inv("A", "100.00 USD", "2026-03-01", 0))
	now := at("2026-03-10T00:00:00Z")
	minBal := mustSchedule(t, `
id: m
stages:
  - {id: suspend, after_days: 1, min_balance: ["10.00 USD"], actions: [suspend_subscriptions]}
`)
	tests := []struct {
		name, reason string
		run          func() error
		want         string
	}{
		{"zero Dunner", "a Dunner is made by NewDunner", func() error {
			_, err := (*Dunner)(nil).Evaluate(State{}, good, now)
			return err
		}, "nil *Dunner; make one with NewDunner"},
		{"nil ledger", "a nil ledger is an error, not a panic", func() error {
			_, err := dunner(t, s, time.UTC).Evaluate(State{}, nil, now)
			return err
		}, "nil *Ledger"},
		{"nil ledger in Balances", "a nil ledger is an error, not a panic", func() error {
			_, err := (*Ledger)(nil).Balances(day("2026-03-10"), time.UTC)
			return err
		}, "nil *Ledger"},
		{"nil ledger in Age", "a nil ledger is an error, not a panic", func() error {
			_, err := Age(AgingConfig{}, day("2026-03-10"), time.UTC, good, nil)
			return err
		}, "nil *Ledger"},
		{"nil ledger in DaysSalesOutstanding", "a nil ledger is an error, not a panic", func() error {
			_, err := DaysSalesOutstanding(day("2026-03-01"), day("2026-03-10"), time.UTC, nil)
			return err
		}, "nil *Ledger"},
		{"nil Aging", "an Aging is made by NewAging", func() error {
			return (*Aging)(nil).Add(good)
		}, "nil *Aging"},
		{"time goes back", "a state must not be evaluated before its last evaluation", func() error {
			_, err := dunner(t, s, time.UTC).Evaluate(State{EvaluatedAt: now.Add(time.Hour)}, good, now)
			return err
		}, "before the state's last evaluation"},
		{"unknown stage", "the state names a stage the schedule lost", func() error {
			_, err := dunner(t, s, time.UTC).Evaluate(State{Stage: "gone"}, good, now)
			return err
		}, `stage "gone", which schedule "test" does not have`},
		{"bad ledger", "an invalid ledger is reported with its problems", func() error {
			_, err := dunner(t, s, time.UTC).Evaluate(State{}, ledger(Invoice{ID: "A", Amount: usd("1.00")}), now)
			return err
		}, "invoices[0].issue_date: issue date is required"},
		{"currency without minimum", "a stage with minimums must have one for every currency owed", func() error {
			_, err := dunner(t, minBal, time.UTC).Evaluate(State{}, ledger(inv("A", "100.00 EUR", "2026-03-01", 0)), now)
			return err
		}, `stage "suspend" has min_balance amounts but none in EUR`},
	}
	for _, tt := range tests {
		err := tt.run()
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s (%s): error %v, want it to contain %q", tt.name, tt.reason, err, tt.want)
		}
	}
	if _, err := dunner(t, s, time.UTC).Evaluate(State{EvaluatedAt: now.Add(time.Hour)}, good, now); !errors.Is(err, ErrStateAhead) {
		t.Errorf("time goes back: %v does not wrap ErrStateAhead", err)
	}
	if _, err := dunner(t, s, time.UTC).Evaluate(State{Stage: "gone"}, good, now); !errors.Is(err, ErrUnknownStage) {
		t.Errorf("unknown stage: %v does not wrap ErrUnknownStage", err)
	}
}

func TestStageRetryStandsInForPlanRetry(t *testing.T) {
	s := mustSchedule(t, `
id: r
retries: {offsets_days: [1, 3]}
stages:
  - {id: restrict, after_days: 3, actions: [restrict_purchases, retry_payment]}
`)
	l := ledger(inv("A", "50.00 USD", "2026-03-01", 0))
	l.Attempts = []Attempt{attempt("a1", "2026-03-01T10:00:00Z", "50.00 USD", SoftDecline)}
	runSteps(t, s, l, time.UTC, []evalStep{
		{at: "2026-03-02T00:00:00Z", stage: "current", actions: []string{"retry_payment 50.00 USD"}, next: "2026-03-04T00:00:00Z"},
		// The plan's second retry and the stage's retry fall on the 4th:
		// the card is charged once.
		{at: "2026-03-04T00:00:00Z", stage: "restrict", actions: []string{"restrict_purchases", "retry_payment 50.00 USD"}},
	})
}
