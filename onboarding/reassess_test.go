package onboarding_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/riskkit/riskkit/onboarding"
	"github.com/riskkit/riskkit/risk"
)

func day(n int) time.Time { return t0.Add(time.Duration(n) * 24 * time.Hour) }

func ptr[T any](v T) *T { return &v }

// state is the part of an assessment the step tables follow.
type state struct {
	Outcome    onboarding.Outcome
	Tier       string
	Due        string
	Limit      string
	Cap        string
	Admin      onboarding.AdminLevel
	Held       []string
	Outstand   []onboarding.CheckName
	ChangedSet []string // fields of the changes from the step before
}

func stateOf(a *onboarding.Assessment, changes []onboarding.Change) state {
	s := state{Outcome: a.Outcome, Tier: a.Tier.ID, Due: a.Controls.Prepayment.Due.String(),
		Limit: a.Controls.CreditLimit.Limit.String(), Cap: a.Controls.MonthlyCap.Amount.String(),
		Admin: a.Controls.Admin.Level, Outstand: a.Outstanding}
	for _, h := range a.Controls.Held {
		s.Held = append(s.Held, h.Service)
	}
	for _, c := range changes {
		s.ChangedSet = append(s.ChangedSet, c.Field)
	}
	return s
}

// TestReassessSteps follows one customer from a sign-up waiting for its
// identity check to the trusted tier and back, one step per instant.
func TestReassessSteps(t *testing.T) {
	as := assessor(t, testPolicy, onboarding.Options{})
	a := clean()
	a.Identity = onboarding.Check{Status: risk.Pending}
	a.Credit = onboarding.Check{}
	a.AdminAccess = true
	a.Services = []string{"gpu_compute"}

	steps := []struct {
		name, reason string
		at           time.Time
		facts        onboarding.Facts
		want         state
	}{
		{
			name: "t1 identity verified", reason: "pending resolves; the missing report still asks for a prepayment",
			at: t0.Add(time.Hour), facts: onboarding.Facts{Identity: &onboarding.Check{Status: risk.Verified}},
			want: state{Outcome: onboarding.ApproveWithControls, Tier: "new", Due: "100.00 USD", Limit: "0.00 USD", Cap: "500.00 USD",
				Admin: onboarding.AdminRestricted, Held: []string{"gpu_compute", "bare_metal"},
				ChangedSet: []string{"identity.status", "rule.identity_pending", "outcome", "outstanding.identity"}},
		},
		{
			name: "t2 prepaid", reason: "the prepayment is paid and buys 150% of itself in credit",
			at: day(1), facts: onboarding.Facts{Prepaid: usd("100.00")},
			want: state{Outcome: onboarding.ApproveWithControls, Tier: "new", Due: "0.00 USD", Limit: "150.00 USD", Cap: "500.00 USD",
				Admin: onboarding.AdminRestricted, Held: []string{"gpu_compute", "bare_metal"},
				ChangedSet: []string{"tenure_days", "prepaid", "controls.prepayment.due", "controls.credit_limit"}},
		},
		{
			name: "t3 paid, one day short", reason: "29 days of tenure is not 30: still new",
			at: day(29), facts: onboarding.Facts{History: &risk.PaymentHistory{InvoicesPaid: 1, AmountPaid: usd("250.00")}},
			want: state{Outcome: onboarding.ApproveWithControls, Tier: "new", Due: "0.00 USD", Limit: "150.00 USD", Cap: "500.00 USD",
				Admin: onboarding.AdminRestricted, Held: []string{"gpu_compute", "bare_metal"},
				ChangedSet: []string{"tenure_days", "history.invoices_paid", "history.amount_paid"}},
		},
		{
			name: "t4 thirty days", reason: "time alone promotes: no new facts, tenure reaches 30",
			at: day(30),
			want: state{Outcome: onboarding.ApproveWithControls, Tier: "established", Due: "0.00 USD", Limit: "150.00 USD", Cap: "2500.00 USD",
				Admin: onboarding.AdminRestricted, Held: []string{"bare_metal"},
				ChangedSet: []string{"tenure_days", "tier", "controls.monthly_cap", "controls.held.gpu_compute"}},
		},
		{
			name: "t5 MFA enrolled", reason: "admin access becomes full once MFA and identity are done",
			at: day(31), facts: onboarding.Facts{MFA: ptr(true)},
			want: state{Outcome: onboarding.ApproveWithControls, Tier: "established", Due: "0.00 USD", Limit: "150.00 USD", Cap: "2500.00 USD",
				Admin: onboarding.AdminFull, Held: []string{"bare_metal"},
				ChangedSet: []string{"mfa", "tenure_days", "rule.admin", "controls.admin"}},
		},
		{
			name: "t6 trusted", reason: "90 days, three invoices, 1500.00 paid, MFA and personal contact",
			at: day(95), facts: onboarding.Facts{PersonalContact: ptr(true),
				History: &risk.PaymentHistory{InvoicesPaid: 3, AmountPaid: usd("1600.00")}},
			want: state{Outcome: onboarding.ApproveWithControls, Tier: "trusted", Due: "0.00 USD", Limit: "150.00 USD", Cap: "10000.00 USD",
				Admin: onboarding.AdminFull,
				ChangedSet: []string{"personal_contact", "tenure_days", "history.invoices_paid", "history.amount_paid",
					"tier", "controls.monthly_cap", "controls.held.bare_metal"}},
		},
		{
			name: "t7 chargeback", reason: "a chargeback breaks the established tier's requirement, and the tiers above it",
			at: day(96), facts: onboarding.Facts{History: &risk.PaymentHistory{InvoicesPaid: 3, AmountPaid: usd("1600.00"), Chargebacks: 1}},
			want: state{Outcome: onboarding.ApproveWithControls, Tier: "new", Due: "0.00 USD", Limit: "150.00 USD", Cap: "500.00 USD",
				Admin: onboarding.AdminFull, Held: []string{"gpu_compute", "bare_metal"},
				ChangedSet: []string{"tenure_days", "history.chargebacks", "tier", "controls.monthly_cap",
					"controls.held.gpu_compute", "controls.held.bare_metal"}},
		},
	}

	cur, err := signUp(as, &a, t0)
	if err != nil {
		t.Fatal(err)
	}
	want0 := state{Outcome: onboarding.Pending, Tier: "new", Due: "100.00 USD", Limit: "0.00 USD", Cap: "500.00 USD",
		Admin: onboarding.AdminRestricted, Held: []string{"gpu_compute", "bare_metal"}, Outstand: []onboarding.CheckName{onboarding.CheckIdentity}}
	if diff := cmp.Diff(want0, stateOf(&cur, nil), eq); diff != "" {
		t.Fatalf("t0 sign-up mismatch (-want +got):\n%s", diff)
	}
	for _, st := range steps {
		next, changes, err := reassess(as, &cur, st.facts, st.at)
		if err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		if diff := cmp.Diff(st.want, stateOf(&next, changes), eq); diff != "" {
			t.Fatalf("%s: %s: mismatch (-want +got):\n%s", st.name, st.reason, diff)
		}
		again, changesAgain, err := reassess(as, &cur, st.facts, st.at)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(next, again, eq); diff != "" {
			t.Fatalf("%s: reassessing the same facts again differs (-first +second):\n%s", st.name, diff)
		}
		if diff := cmp.Diff(changes, changesAgain, eq); diff != "" {
			t.Fatalf("%s: the changes of a retry differ (-first +second):\n%s", st.name, diff)
		}
		cur = next
	}
	if cur.Sequence != int64(len(steps)+1) {
		t.Errorf("sequence %d after %d reassessments", cur.Sequence, len(steps))
	}
}

func TestReassessChangeReasons(t *testing.T) {
	as := assessor(t, testPolicy, onboarding.Options{})
	a := clean()
	a.Country = "NG"
	a.Services = []string{"gpu_compute"}
	prev, err := signUp(as, &a, t0)
	if err != nil {
		t.Fatal(err)
	}
	// The applicant corrects their country; the region rule stops firing
	// and every control it set is lifted, each naming it.
	f := onboarding.Facts{}
	in := prev.Input
	in.Country = "US"
	prev.Input = in
	_, changes, err := reassess(as, &prev, f, day(1))
	if err != nil {
		t.Fatal(err)
	}
	want := []onboarding.Change{
		{Field: "tenure_days", From: "0", To: "1", Key: "app-1/2/tenure_days"},
		{Field: "rule.region", From: "fires", To: "not firing", Key: "app-1/2/rule.region"},
		{Field: "outcome", From: "approve_with_controls", To: "approve",
			Why: []string{"rule region stopped firing (REGION)"}, Key: "app-1/2/outcome"},
		{Field: "controls.prepayment.required", From: "500.00 USD", To: "0.00 USD",
			Why: []string{"rule region stopped firing (REGION)"}, Key: "app-1/2/controls.prepayment.required"},
		{Field: "controls.prepayment.due", From: "500.00 USD", To: "0.00 USD",
			Why: []string{"rule region stopped firing (REGION)"}, Key: "app-1/2/controls.prepayment.due"},
		{Field: "controls.credit_limit", From: "0.00 USD", To: "2000.00 USD",
			Why: []string{"rule region stopped firing (REGION)"}, Key: "app-1/2/controls.credit_limit"},
		{Field: "controls.held.vpn", From: "held", To: "available",
			Why: []string{"rule region stopped firing (REGION)"}, Key: "app-1/2/controls.held.vpn"},
	}
	if diff := cmp.Diff(want, changes, eq); diff != "" {
		t.Errorf("changes mismatch (-want +got):\n%s", diff)
	}
}

// TestReviewSteps follows reviews over fixed instants: one that expires,
// one a reviewer decides, and a decision that a new reason reopens.
func TestReviewSteps(t *testing.T) {
	as := assessor(t, testPolicy, onboarding.Options{})
	a := clean()
	a.Identity.Status = risk.Failed
	start, err := signUp(as, &a, t0)
	if err != nil {
		t.Fatal(err)
	}
	deadline := t0.Add(48 * time.Hour)
	if start.Outcome != onboarding.Review || !start.Review.Deadline.Equal(deadline) {
		t.Fatalf("t0: got %s until %v, want review until %v", start.Outcome, start.Review.Deadline, deadline)
	}

	t.Run("expires", func(t *testing.T) {
		steps := []struct {
			at      time.Time
			outcome onboarding.Outcome
			expired bool
		}{
			{deadline.Add(-time.Second), onboarding.Review, false},
			{deadline, onboarding.Reject, true},
			{deadline.Add(time.Hour), onboarding.Reject, true},
		}
		cur := start
		for i, st := range steps {
			next, _, err := reassess(as, &cur, onboarding.Facts{}, st.at)
			if err != nil {
				t.Fatal(err)
			}
			if next.Outcome != st.outcome || next.Review.Expired != st.expired || !next.Review.Deadline.Equal(deadline) {
				t.Errorf("t%d: got %s expired=%v deadline %v, want %s expired=%v deadline %v",
					i+1, next.Outcome, next.Review.Expired, next.Review.Deadline, st.outcome, st.expired, deadline)
			}
			cur = next
		}
	})

	t.Run("decided", func(t *testing.T) {
		t1, _, err := reassess(as, &start, onboarding.Facts{ReviewDecision: onboarding.Approve}, t0.Add(time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if t1.Outcome != onboarding.Approve || t1.Review.Decision != onboarding.Approve {
			t.Fatalf("t1: a reviewer's approval decides: got %s", t1.Outcome)
		}
		// Past the deadline the decision stands: it was taken in time.
		t2, _, err := reassess(as, &t1, onboarding.Facts{}, deadline.Add(time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if t2.Outcome != onboarding.Approve {
			t.Errorf("t2: the decision should stand after the deadline, got %s", t2.Outcome)
		}
		// A failed SMS fires a step-up rule, not a review rule: the rules
		// the reviewer saw still cover the review, so the decision stands.
		t3, _, err := reassess(as, &t2, onboarding.Facts{SMS: risk.Failed}, deadline.Add(2*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if t3.Outcome != onboarding.Approve {
			t.Errorf("t3: got %s, want the reviewed approval", t3.Outcome)
		}
	})

	t.Run("reopened", func(t *testing.T) {
		b := clean()
		b.Signals.AccountsPerIP1h = risk.Known(5)
		s0, err := signUp(as, &b, t0)
		if err != nil {
			t.Fatal(err)
		}
		s1, _, err := reassess(as, &s0, onboarding.Facts{ReviewDecision: onboarding.ApproveWithControls}, t0.Add(time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if s1.Outcome != onboarding.ApproveWithControls {
			t.Fatalf("s1: got %s", s1.Outcome)
		}
		// With nothing new the decision holds; a score above the one the
		// reviewer saw reopens the review.
		more, _, err := reassess(as, &s1, onboarding.Facts{}, t0.Add(90*time.Minute))
		if err != nil {
			t.Fatal(err)
		}
		if more.Outcome != onboarding.ApproveWithControls {
			t.Fatalf("the same score keeps the decision, got %s", more.Outcome)
		}
		higher := s1
		higher.Input.Country = "CA" // +10 over the 65 reviewed
		if got, _, err := reassess(as, &higher, onboarding.Facts{}, t0.Add(90*time.Minute)); err != nil ||
			got.Outcome != onboarding.Review || got.Review.Decision != "" {
			t.Fatalf("a score above the one reviewed reopens the review: got %s, %v", got.Outcome, err)
		}
		rejected := s1
		rejected.Input.Signup.BotScore = risk.Known(95)
		if got, _, err := reassess(as, &rejected, onboarding.Facts{}, t0.Add(90*time.Minute)); err != nil || got.Outcome != onboarding.Reject {
			t.Fatalf("a reject rule overrides a reviewed approval: got %s, %v", got.Outcome, err)
		}
		// Identity then fails: a rule that sends to review and that the
		// reviewer never saw opens a new review, with a new deadline.
		s2, changes, err := reassess(as, &s1, onboarding.Facts{Identity: &onboarding.Check{Status: risk.Failed}}, t0.Add(2*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		newDeadline := t0.Add(50 * time.Hour)
		if s2.Outcome != onboarding.Review || s2.Review.Decision != "" || !s2.Review.Deadline.Equal(newDeadline) {
			t.Errorf("s2: got %s decision %q deadline %v, want an open review until %v", s2.Outcome, s2.Review.Decision, s2.Review.Deadline, newDeadline)
		}
		var review *onboarding.Change
		for i := range changes {
			if changes[i].Field == "review" {
				review = &changes[i]
			}
		}
		if review == nil || review.From != "decided approve_with_controls" || !strings.HasPrefix(review.To, "open until") {
			t.Errorf("s2: the review change should say it reopened, got %+v", review)
		}
	})
}

func TestReassessErrors(t *testing.T) {
	as := assessor(t, testPolicy, onboarding.Options{})
	a := clean()
	prev, err := signUp(as, &a, t0)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, reason string
		facts        onboarding.Facts
		at           time.Time
		want         string
	}{
		{name: "time goes backwards", reason: "now before the previous assessment",
			at: t0.Add(-time.Second), want: `onboarding: applicant "app-1": now 2026-11-25 09:59:59 +0000 UTC is before the previous assessment at 2026-11-25 10:00:00 +0000 UTC`},
		{name: "prepaid in another currency", reason: "amounts are in the billing currency",
			facts: onboarding.Facts{Prepaid: risk.MustMoney("10.00 EUR")}, at: t0,
			want: `onboarding: facts for applicant "app-1": prepaid: 10.00 EUR is not in the billing currency USD; convert it first`},
		{name: "review decision out of review", reason: "there is nothing to decide",
			facts: onboarding.Facts{ReviewDecision: onboarding.Reject}, at: t0,
			want: `onboarding: facts for applicant "app-1": review_decision: the assessment is not in review`},
		{name: "review decision not a decision", reason: "pending is not a reviewer's outcome",
			facts: onboarding.Facts{ReviewDecision: onboarding.Pending}, at: t0,
			want: `onboarding: facts for applicant "app-1": review_decision: "pending" is not a reviewer's decision (want reject, approve or approve_with_controls)`},
		{name: "bad history", reason: "more late invoices than invoices",
			facts: onboarding.Facts{History: &risk.PaymentHistory{InvoicesPaid: 1, InvoicesPaidLate: 2}}, at: t0,
			want: `onboarding: facts for applicant "app-1": history.invoices_paid_late: 2 late of 1 paid`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := reassess(as, &prev, tt.facts, tt.at)
			if err == nil || err.Error() != tt.want {
				t.Errorf("%s:\n got %v\nwant %s", tt.reason, err, tt.want)
			}
		})
	}
}

// TestAssessmentJSON stores an assessment as JSON, reads it back and
// reassesses from it, as a host with a database would.
func TestAssessmentJSON(t *testing.T) {
	as := assessor(t, testPolicy, onboarding.Options{})
	a := clean()
	a.Identity.Status = risk.Failed
	a.AdminAccess = true
	a.Services = []string{"gpu_compute", "vpn"}
	a.Country = "NG"
	prev, err := signUp(as, &a, t0)
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(prev)
	if err != nil {
		t.Fatal(err)
	}
	var stored onboarding.Assessment
	if err := json.Unmarshal(b, &stored); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(prev, stored, eq); diff != "" {
		t.Fatalf("JSON round trip (-before +after):\n%s", diff)
	}
	f := onboarding.Facts{ReviewDecision: onboarding.ApproveWithControls, Prepaid: usd("500.00")}
	want, wantChanges, err := reassess(as, &prev, f, day(2))
	if err != nil {
		t.Fatal(err)
	}
	got, gotChanges, err := reassess(as, &stored, f, day(2))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got, eq); diff != "" {
		t.Errorf("reassessing the stored assessment differs (-memory +stored):\n%s", diff)
	}
	if diff := cmp.Diff(wantChanges, gotChanges, eq); diff != "" {
		t.Errorf("changes differ (-memory +stored):\n%s", diff)
	}
}

// TestCollectionsAcknowledgement follows the acknowledgement of the
// collections policy over fixed instants: recorded, kept, and asked again
// when the schedule's version changes.
func TestCollectionsAcknowledgement(t *testing.T) {
	v1 := onboarding.Collections{ScheduleID: "standard", Version: "1", Text: "We remind you after 3 days."}
	as := assessor(t, testPolicy, onboarding.Options{Collections: v1})
	a := clean()
	s0, err := signUp(as, &a, t0)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(v1, s0.Controls.Collections, eq); diff != "" {
		t.Fatalf("t0: the policy is shown, not yet acknowledged (-want +got):\n%s", diff)
	}
	t1 := t0.Add(5 * time.Minute)
	s1, changes, err := reassess(as, &s0, onboarding.Facts{AcknowledgedCollections: t1}, t1)
	if err != nil {
		t.Fatal(err)
	}
	if !s1.Controls.Collections.AcknowledgedAt.Equal(t1) {
		t.Errorf("t1: acknowledged at %v, want %v", s1.Controls.Collections.AcknowledgedAt, t1)
	}
	want := []onboarding.Change{{Field: "controls.collections.acknowledged", From: "false", To: "true", Key: "app-1/2/controls.collections.acknowledged"}}
	if diff := cmp.Diff(want, changes, eq); diff != "" {
		t.Errorf("t1: changes (-want +got):\n%s", diff)
	}
	s2, _, err := reassess(as, &s1, onboarding.Facts{}, day(2))
	if err != nil {
		t.Fatal(err)
	}
	if !s2.Controls.Collections.AcknowledgedAt.Equal(t1) {
		t.Errorf("t2: the acknowledgement should be kept")
	}
	v2 := v1
	v2.Version, v2.Text = "2", "We remind you after 2 days."
	as2 := assessor(t, testPolicy, onboarding.Options{Collections: v2})
	s3, changes, err := reassess(as2, &s2, onboarding.Facts{}, day(3))
	if err != nil {
		t.Fatal(err)
	}
	if !s3.Controls.Collections.AcknowledgedAt.IsZero() || s3.Controls.Collections.Version != "2" {
		t.Errorf("t3: a new version must be acknowledged again, got %+v", s3.Controls.Collections)
	}
	if len(changes) != 2 || changes[1].Field != "controls.collections.acknowledged" || changes[1].To != "false" {
		t.Errorf("t3: changes %+v", changes)
	}
}
