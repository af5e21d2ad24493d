package abuse_test

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"
	"github.com/riskkit/riskkit/abuse"
)

// step is one evaluation of a case scenario.
type step struct {
	name      string
	at        time.Time
	notices   []abuse.Notice
	decisions []abuse.CaseDecision
	status    abuse.CaseStatus
	actions   []string // kind and reason prefix: "escalate not acknowledged"
	next      time.Time
}

// runSteps evaluates the steps in order, each from the state of the one
// before, and checks the case's status, the actions and Next. It returns
// the final state.
func runSteps(t *testing.T, tr *abuse.Triage, steps []step) abuse.CaseState {
	t.Helper()
	var st abuse.CaseState
	for _, s := range steps {
		res, err := tr.Evaluate(st, &abuse.CaseInput{Notices: s.notices, Decisions: s.decisions}, s.at)
		if err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if len(res.State.Cases) != 1 {
			t.Fatalf("%s: %d cases, want 1", s.name, len(res.State.Cases))
		}
		if got := res.State.Cases[0].Status; got != s.status {
			t.Errorf("%s: status %s, want %s", s.name, got, s.status)
		}
		var got []string
		for _, a := range res.Actions {
			got = append(got, string(a.Kind))
		}
		if diff := gocmp.Diff(s.actions, got); diff != "" {
			t.Errorf("%s: actions (-want +got):\n%s", s.name, diff)
		}
		if !res.Next.Equal(s.next) {
			t.Errorf("%s: next %v, want %v", s.name, res.Next, s.next)
		}
		st = res.State
	}
	return st
}

func decision(id string, kind abuse.DecisionKind, r abuse.Resolution, at time.Time) abuse.CaseDecision {
	return abuse.CaseDecision{ID: id, Case: caseOf("security_alert:a1"), Kind: kind, Resolution: r, By: "ana@partner.example", At: at}
}

// caseOf returns the id of the case of a notice key, found by evaluating
// the notice alone.
func caseOf(key string) string {
	src, id, _ := strings.Cut(key, ":")
	tr, _ := abuse.NewTriage(abuse.TriageConfig{})
	n := abuse.Notice{Source: abuse.NoticeSource(src), ID: id, Subscription: "sub-1", DetectedAt: t0}
	res, err := tr.Evaluate(abuse.CaseState{}, &abuse.CaseInput{Notices: []abuse.Notice{n}}, t0)
	if err != nil || len(res.State.Cases) != 1 {
		panic(err)
	}
	return res.State.Cases[0].ID
}

// TestCaseDeadlines checks each deadline one nanosecond before, at and
// after it falls. The alert was detected at t1.
func TestCaseDeadlines(t *testing.T) {
	tr := newTriage(t, abuse.TriageConfig{})
	a := alert("a1", "CryptoMining")
	ack, mit, esc := t1.Add(time.Hour), t1.Add(24*time.Hour), t1.Add(60*24*time.Hour)
	tests := []struct {
		name    string
		at      time.Time
		actions []string
		next    time.Time
	}{
		{"received", t1, []string{"acknowledge"}, ack},
		{"ack: 1ns before", ack.Add(-1), []string{"acknowledge"}, ack},
		{"ack: at", ack, []string{"acknowledge", "escalate"}, mit},
		{"ack: 1ns after", ack.Add(1), []string{"acknowledge", "escalate"}, mit},
		{"mitigate: 1ns before", mit.Add(-1), []string{"acknowledge", "escalate"}, mit},
		{"mitigate: at", mit, []string{"acknowledge", "escalate", "escalate"}, esc},
		{"mitigate: 1ns after", mit.Add(1), []string{"acknowledge", "escalate", "escalate"}, esc},
		{"escalate: 1ns before", esc.Add(-1), []string{"acknowledge", "escalate", "escalate"}, esc},
		{"escalate: at", esc, []string{"acknowledge", "escalate", "escalate", "escalate"}, time.Time{}},
		{"escalate: 1ns after", esc.Add(1), []string{"acknowledge", "escalate", "escalate", "escalate"}, time.Time{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := tr.Evaluate(abuse.CaseState{}, &abuse.CaseInput{Notices: []abuse.Notice{a}}, tc.at)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, x := range res.Actions {
				got = append(got, string(x.Kind))
			}
			if diff := gocmp.Diff(tc.actions, got); diff != "" {
				t.Errorf("actions (-want +got):\n%s", diff)
			}
			if !res.Next.Equal(tc.next) {
				t.Errorf("next %v, want %v", res.Next, tc.next)
			}
			c := res.State.Cases[0]
			if !c.AcknowledgeBy.Equal(ack) || !c.MitigateBy.Equal(mit) || !c.EscalateAt.Equal(esc) ||
				!c.CreditUntil.Equal(t0.Add(30*24*time.Hour)) {
				t.Errorf("deadlines %v %v %v %v", c.AcknowledgeBy, c.MitigateBy, c.EscalateAt, c.CreditUntil)
			}
		})
	}
	// Evaluated at each instant Next names, from the state before, each
	// escalation comes exactly once.
	var st abuse.CaseState
	now, in := t1, &abuse.CaseInput{Notices: []abuse.Notice{a}}
	var kinds []string
	for i := 0; i < 10 && !now.IsZero(); i++ {
		res, err := tr.Evaluate(st, in, now)
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range res.Actions {
			kinds = append(kinds, now.Sub(t1).String()+" "+string(x.Kind))
		}
		st, now = res.State, res.Next
	}
	want := []string{"0s acknowledge", "1h0m0s escalate", "24h0m0s escalate", "1440h0m0s escalate"}
	if diff := gocmp.Diff(want, kinds); diff != "" {
		t.Errorf("replay at Next (-want +got):\n%s", diff)
	}
}

// TestCaseDeadlinesMetByDecisions: a decision one nanosecond before a
// deadline meets it; one at the deadline is late, whenever the host
// evaluates.
func TestCaseDeadlinesMetByDecisions(t *testing.T) {
	tr := newTriage(t, abuse.TriageConfig{})
	a := alert("a1", "CryptoMining")
	ack, mit := t1.Add(time.Hour), t1.Add(24*time.Hour)
	open, err := tr.Evaluate(abuse.CaseState{}, &abuse.CaseInput{Notices: []abuse.Notice{a}}, t1)
	if err != nil {
		t.Fatal(err)
	}
	id := open.State.Cases[0].ID
	tests := []struct {
		name      string
		decisions []abuse.CaseDecision
		now       time.Time
		escalated []string
	}{
		{"acknowledged 1ns before", []abuse.CaseDecision{{ID: "a", Case: id, Kind: abuse.Acknowledge, At: ack.Add(-1)}}, ack.Add(time.Minute), nil},
		{"acknowledged at the deadline", []abuse.CaseDecision{{ID: "a", Case: id, Kind: abuse.Acknowledge, At: ack}}, ack, []string{"not acknowledged"}},
		{"acknowledged at it, evaluated later", []abuse.CaseDecision{{ID: "a", Case: id, Kind: abuse.Acknowledge, At: ack}}, ack.Add(time.Hour), []string{"not acknowledged"}},
		{"resolved 1ns before mitigation", []abuse.CaseDecision{{ID: "a", Case: id, Kind: abuse.Acknowledge, At: t1},
			{ID: "r", Case: id, Kind: abuse.Resolve, Resolution: abuse.ResolvedIgnore, At: mit.Add(-1)}}, mit.Add(time.Hour), nil},
		{"resolved at the mitigation deadline", []abuse.CaseDecision{{ID: "a", Case: id, Kind: abuse.Acknowledge, At: t1},
			{ID: "r", Case: id, Kind: abuse.Resolve, Resolution: abuse.ResolvedIgnore, At: mit}}, mit, []string{"not resolved"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := tr.Evaluate(open.State, &abuse.CaseInput{Decisions: tc.decisions}, tc.now)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, x := range res.Actions {
				if x.Kind == abuse.ActEscalate {
					got = append(got, x.Reason[:strings.Index(x.Reason, " within")])
				}
			}
			if diff := gocmp.Diff(tc.escalated, got); diff != "" {
				t.Errorf("escalations (-want +got):\n%s", diff)
			}
		})
	}
}

// TestCaseTransitions walks a case through every status.
func TestCaseTransitions(t *testing.T) {
	tr := newTriage(t, abuse.TriageConfig{})
	a := alert("a1", "CryptoMining")
	ack, mit := t1.Add(time.Hour), t1.Add(24*time.Hour)
	st := runSteps(t, tr, []step{
		{name: "received", at: t1, notices: []abuse.Notice{a}, status: abuse.CaseReceived, actions: []string{"acknowledge"}, next: ack},
		{name: "acknowledged", at: t1.Add(time.Minute), decisions: []abuse.CaseDecision{decision("d1", abuse.Acknowledge, "", time.Time{})},
			status: abuse.CaseAcknowledged, next: mit},
		{name: "ack deadline passes acknowledged", at: ack, status: abuse.CaseAcknowledged, next: mit},
		{name: "investigating", at: ack.Add(time.Minute), decisions: []abuse.CaseDecision{decision("d2", abuse.Investigate, "", time.Time{})},
			status: abuse.CaseInvestigating, actions: []string{"update_provider"}, next: mit},
		{name: "resolved fraud", at: t2, decisions: []abuse.CaseDecision{decision("d3", abuse.Resolve, abuse.ResolvedFraud, time.Time{})},
			status: abuse.CaseResolvedFraud, actions: []string{"notify_customer", "notify_partner", "claim_credit", "update_provider"}},
		{name: "a stale fetch leaves it resolved", at: t3, notices: []abuse.Notice{a}, status: abuse.CaseResolvedFraud},
		{name: "reopened by the host", at: t3, decisions: []abuse.CaseDecision{decision("d4", abuse.Reopen, "", time.Time{})},
			status: abuse.CaseReopened, actions: []string{"acknowledge", "update_provider"}, next: t3.Add(time.Hour)},
		{name: "reopened case acknowledged", at: t3, decisions: []abuse.CaseDecision{decision("d5", abuse.Acknowledge, "", time.Time{})},
			status: abuse.CaseAcknowledged, next: t3.Add(24 * time.Hour)},
		{name: "resolved legitimate", at: t3.Add(time.Hour), decisions: []abuse.CaseDecision{decision("d6", abuse.Resolve, abuse.ResolvedLegitimate, time.Time{})},
			status: abuse.CaseResolvedLegitimate, actions: []string{"update_provider"}},
		{name: "reopened again", at: t3.Add(2 * time.Hour), decisions: []abuse.CaseDecision{decision("d7", abuse.Reopen, "", time.Time{})},
			status: abuse.CaseReopened, actions: []string{"acknowledge", "update_provider"}, next: t3.Add(3 * time.Hour)},
		{name: "resolved ignored straight from reopened", at: t3.Add(2 * time.Hour), decisions: []abuse.CaseDecision{decision("d8", abuse.Resolve, abuse.ResolvedIgnore, time.Time{})},
			status: abuse.CaseResolvedIgnored, actions: []string{"update_provider"}},
	})
	c := st.Cases[0]
	var trail []string
	for _, e := range c.Trail {
		trail = append(trail, string(e.From)+">"+string(e.To))
	}
	want := []string{">received", "received>acknowledged", "acknowledged>investigating", "investigating>resolved_fraud",
		"resolved_fraud>reopened", "reopened>acknowledged", "acknowledged>resolved_legitimate", "resolved_legitimate>reopened",
		"reopened>resolved_ignored"}
	if diff := gocmp.Diff(want, trail); diff != "" {
		t.Errorf("trail (-want +got):\n%s", diff)
	}
	// The counts moved with each resolution: one case, ignored in the end.
	if diff := gocmp.Diff([]abuse.VerdictCount{{Category: abuse.CryptoMining, Ignored: 1}}, st.ByCategory); diff != "" {
		t.Errorf("by category (-want +got):\n%s", diff)
	}
}

// TestCaseUpdateBodies checks the status-update requests against the
// provider's documented bodies.
func TestCaseUpdateBodies(t *testing.T) {
	tr := newTriage(t, abuse.TriageConfig{PerSubscription: true})
	fe := abuse.Notice{Source: abuse.FromFraudEvent, ID: "s1_e1", Kind: "NetworkConnectionsToCryptoMiningPools", Subscription: "sub-1",
		DetectedAt: t0, Status: abuse.NoticeActive}
	fe2 := fe
	fe2.ID = "s1_e2"
	ga := alert("a1", "CryptoMining", func(n *abuse.Notice) { n.DetectedAt = t0 })
	res, err := tr.Evaluate(abuse.CaseState{}, &abuse.CaseInput{Notices: []abuse.Notice{fe, fe2, ga}}, t0)
	if err != nil {
		t.Fatal(err)
	}
	id := res.State.Cases[0].ID
	updates := func(r abuse.CaseResult) []string {
		var out []string
		for _, a := range r.Actions {
			if a.Update != nil {
				out = append(out, a.Update.Method+" "+a.Update.URL+" "+string(a.Update.Body)+" "+a.Update.Header["X-NewEventsModel"])
			}
		}
		return out
	}
	for _, tc := range []struct {
		kind abuse.DecisionKind
		r    abuse.Resolution
		want []string
	}{
		{abuse.Investigate, "", []string{
			"PATCH https://graph.microsoft.com/beta/security/partner/securityAlerts/a1 {\"status\":\"investigating\"} ",
			"POST https://api.partnercenter.microsoft.com/v1/fraudEvents/subscription/sub-1/status {\"eventIds\":[\"s1_e1\",\"s1_e2\"],\"eventStatus\":\"Investigating\"} true",
		}},
		{abuse.Resolve, abuse.ResolvedFraud, []string{
			"PATCH https://graph.microsoft.com/beta/security/partner/securityAlerts/a1 {\"resolvedReason\":\"fraud\",\"status\":\"resolved\"} ",
			"POST https://api.partnercenter.microsoft.com/v1/fraudEvents/subscription/sub-1/status {\"eventIds\":[\"s1_e1\",\"s1_e2\"],\"eventStatus\":\"Resolved\",\"resolvedReason\":\"Fraud\"} true",
		}},
		{abuse.Resolve, abuse.ResolvedIgnore, []string{
			"PATCH https://graph.microsoft.com/beta/security/partner/securityAlerts/a1 {\"resolvedReason\":\"ignore\",\"status\":\"resolved\"} ",
			"POST https://api.partnercenter.microsoft.com/v1/fraudEvents/subscription/sub-1/status {\"eventIds\":[\"s1_e1\",\"s1_e2\"],\"eventStatus\":\"Resolved\",\"resolvedReason\":\"Ignore\"} true",
		}},
		// Partner Center documents no Legitimate: only Graph hears it.
		{abuse.Resolve, abuse.ResolvedLegitimate, []string{
			"PATCH https://graph.microsoft.com/beta/security/partner/securityAlerts/a1 {\"resolvedReason\":\"legitimate\",\"status\":\"resolved\"} ",
		}},
	} {
		t.Run(string(tc.kind)+"_"+string(tc.r), func(t *testing.T) {
			r2, err := tr.Evaluate(res.State, &abuse.CaseInput{Decisions: []abuse.CaseDecision{{ID: "d", Case: id, Kind: tc.kind, Resolution: tc.r}}}, t0.Add(time.Minute))
			if err != nil {
				t.Fatal(err)
			}
			if diff := gocmp.Diff(tc.want, updates(r2)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// TestCaseProviderStatus moves cases by the status the provider reports.
func TestCaseProviderStatus(t *testing.T) {
	tr := newTriage(t, abuse.TriageConfig{})
	a := alert("a1", "CryptoMining")
	investigating := alert("a1", "CryptoMining", func(n *abuse.Notice) {
		n.Status = abuse.NoticeInvestigating
		n.History = []abuse.StatusChange{{From: abuse.NoticeActive, To: abuse.NoticeInvestigating, By: "bo@partner.example", At: t1.Add(10 * time.Minute)}}
	})
	resolved := alert("a1", "CryptoMining", func(n *abuse.Notice) {
		n.Status, n.ResolvedReason, n.ResolvedAt, n.ResolvedBy = abuse.NoticeResolved, abuse.ResolvedLegitimate, t2, "bo@partner.example"
	})
	reactivated := alert("a1", "CryptoMining", func(n *abuse.Notice) {
		n.History = []abuse.StatusChange{{From: abuse.NoticeResolved, To: abuse.NoticeActive, By: "provider-ops", At: t3}}
	})
	st := runSteps(t, tr, []step{
		{name: "received", at: t1, notices: []abuse.Notice{a}, status: abuse.CaseReceived, actions: []string{"acknowledge"}, next: t1.Add(time.Hour)},
		{name: "investigating at the provider", at: t1.Add(20 * time.Minute), notices: []abuse.Notice{investigating},
			status: abuse.CaseInvestigating, next: t1.Add(24 * time.Hour)},
		{name: "resolved at the provider", at: t2.Add(time.Minute), notices: []abuse.Notice{resolved}, status: abuse.CaseResolvedLegitimate},
		{name: "the same notice again changes nothing", at: t2.Add(2 * time.Minute), notices: []abuse.Notice{resolved}, status: abuse.CaseResolvedLegitimate},
		{name: "reactivated at the provider", at: t3.Add(time.Minute), notices: []abuse.Notice{reactivated},
			status: abuse.CaseReopened, actions: []string{"acknowledge"}, next: t3.Add(time.Hour)},
	})
	c := st.Cases[0]
	if c.Reopens != 1 || !c.ClockFrom.Equal(t3) || c.Trail[1].By != "bo@partner.example" || !c.Trail[1].At.Equal(t1.Add(10*time.Minute)) {
		t.Errorf("reopens %d, clock from %v, trail %+v", c.Reopens, c.ClockFrom, c.Trail)
	}

	// New activity after a resolution reopens; a resolution changed at
	// the provider is followed.
	later := alert("a1", "CryptoMining", func(n *abuse.Notice) { n.LastObserved = t3.Add(30 * time.Minute) })
	runSteps(t, tr, []step{
		// Resolved at the provider at t2, exactly when acknowledgement
		// was due: late, so escalated, though no other action is asked.
		{name: "received resolved", at: t2, notices: []abuse.Notice{resolved}, status: abuse.CaseResolvedLegitimate, actions: []string{"escalate"}},
		{name: "changed to fraud", at: t3, notices: []abuse.Notice{alert("a1", "CryptoMining", func(n *abuse.Notice) {
			n.Status, n.ResolvedReason, n.ResolvedAt = abuse.NoticeResolved, abuse.ResolvedFraud, t3
		})}, status: abuse.CaseResolvedFraud, actions: []string{"notify_customer", "notify_partner", "claim_credit"}},
		{name: "activity after the resolution", at: t3.Add(time.Hour), notices: []abuse.Notice{later},
			status: abuse.CaseReopened, actions: []string{"acknowledge"}, next: t3.Add(90 * time.Minute)},
	})
}

// TestCaseReplayIsIdempotent evaluates the same input twice from the same
// state, and again from the state it returned.
func TestCaseReplayIsIdempotent(t *testing.T) {
	enf := enforcer(t)
	tr := newTriage(t, abuse.TriageConfig{Enforcer: enf})
	miner := abuse.Finding{ID: "ab-1", Type: "mining.activity", Category: abuse.CryptoMining, Subscription: "sub-1", Resource: "vm-1",
		Severity: 85, Confidence: 80, FirstSeen: t0, LastSeen: t1, Count: 1, Windows: 1}
	in := &abuse.CaseInput{
		Notices: []abuse.Notice{
			alert("a1", "CryptoMining"),
			alert("a2", "ARM_SuspiciousOperations", func(n *abuse.Notice) { n.ResellerTenant = "tn-reseller" }),
			{Source: abuse.FromWebhook, ID: "w1", Kind: "azure-fraud-event-detected", Pointer: "https://api.partnercenter.microsoft.com/v1/fraudEvents?SubscriptionId=sub-1", DetectedAt: t1},
			{Source: abuse.FromAuditRecord, ID: "r1", Kind: "reset_customer_user_password", Subscription: "sub-1", DetectedAt: t1},
		},
		Findings: []abuse.Finding{miner},
	}
	res1, err := tr.Evaluate(abuse.CaseState{}, in, t2)
	if err != nil {
		t.Fatal(err)
	}
	res2, err := tr.Evaluate(abuse.CaseState{}, in, t2)
	if err != nil {
		t.Fatal(err)
	}
	if diff := gocmp.Diff(res1, res2); diff != "" {
		t.Errorf("same state, same input (-first +second):\n%s", diff)
	}
	var kinds []string
	for _, a := range res1.Actions {
		kinds = append(kinds, string(a.Kind))
	}
	slices.Sort(kinds)
	want := []string{"acknowledge", "acknowledge", "escalate", "escalate", "fetch_notices", "notify_partner", "recommend_enforcement", "recommend_enforcement"}
	if diff := gocmp.Diff(want, kinds); diff != "" {
		t.Errorf("actions (-want +got):\n%s", diff)
	}
	keys := map[string]bool{}
	for _, a := range res1.Actions {
		if keys[a.Key] {
			t.Errorf("key %s twice", a.Key)
		}
		keys[a.Key] = true
	}
	res3, err := tr.Evaluate(res1.State, in, t2)
	if err != nil {
		t.Fatal(err)
	}
	if len(res3.Actions) != 0 {
		t.Errorf("replay from the new state returned %d actions: %+v", len(res3.Actions), res3.Actions)
	}
	if diff := gocmp.Diff(res1.State, res3.State); diff != "" {
		t.Errorf("replay changed the state (-want +got):\n%s", diff)
	}
	if diff := gocmp.Diff([]string{"ab-1"}, res1.State.Cases[caseIndex(res1.State, "security_alert:a1")].Corroborated); diff != "" {
		t.Errorf("corroborated (-want +got):\n%s", diff)
	}
	if c := res1.State.Cases[caseIndex(res1.State, "security_alert:a1")]; diff(c.Context, []string{"audit_record:r1"}) != "" {
		t.Errorf("context %v", c.Context)
	}
	if len(res1.Raised) != 1 || res1.Raised[0].Confidence != 95 {
		t.Errorf("raised %+v", res1.Raised)
	}
	if !res1.State.Cases[caseIndex(res1.State, "security_alert:a2")].Gap {
		t.Error("a hacking alert no detector saw is not a gap")
	}
}

func diff(a, b []string) string { return gocmp.Diff(a, b) }

func caseIndex(st abuse.CaseState, key string) int {
	return slices.IndexFunc(st.Cases, func(c abuse.NoticeCase) bool { return c.Key == key })
}

// TestCaseStateJSON round-trips a state with every field in use.
func TestCaseStateJSON(t *testing.T) {
	tr := newTriage(t, abuse.TriageConfig{Enforcer: enforcer(t)})
	miner := abuse.Finding{ID: "ab-1", Type: "mining.activity", Category: abuse.CryptoMining, Subscription: "sub-1", Resource: "vm-1",
		Severity: 85, Confidence: 80, FirstSeen: t0, LastSeen: t1, Count: 1, Windows: 1}
	res, err := tr.Evaluate(abuse.CaseState{}, &abuse.CaseInput{Notices: []abuse.Notice{alert("a1", "CryptoMining")}, Findings: []abuse.Finding{miner}}, t1)
	if err != nil {
		t.Fatal(err)
	}
	res, err = tr.Evaluate(res.State, &abuse.CaseInput{Findings: []abuse.Finding{miner},
		Decisions: []abuse.CaseDecision{decision("d1", abuse.Resolve, abuse.ResolvedLegitimate, t1.Add(time.Minute))}}, t2)
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(res.State)
	if err != nil {
		t.Fatal(err)
	}
	var back abuse.CaseState
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if d := cmpDiff(res.State, back); d != "" {
		t.Errorf("round trip (-want +got):\n%s", d)
	}
	if fp, n := back.FalsePositives("mining"); fp != 1 || n != 1 {
		t.Errorf("mining false positives %d of %d, want 1 of 1", fp, n)
	}
	if fp, n := back.FalsePositives("provider"); fp != 1 || n != 1 {
		t.Errorf("provider false positives %d of %d, want 1 of 1", fp, n)
	}
	// The round-tripped state evaluates like the original.
	r1, err1 := tr.Evaluate(res.State, &abuse.CaseInput{}, t3)
	r2, err2 := tr.Evaluate(back, &abuse.CaseInput{}, t3)
	if err1 != nil || err2 != nil {
		t.Fatal(err1, err2)
	}
	if d := cmpDiff(r1, r2); d != "" {
		t.Errorf("(-original +round-tripped):\n%s", d)
	}
}

func TestCaseErrors(t *testing.T) {
	tr := newTriage(t, abuse.TriageConfig{})
	res, err := tr.Evaluate(abuse.CaseState{}, &abuse.CaseInput{Notices: []abuse.Notice{alert("a1", "CryptoMining")}}, t1)
	if err != nil {
		t.Fatal(err)
	}
	id := res.State.Cases[0].ID
	resolved, err := tr.Evaluate(res.State, &abuse.CaseInput{Decisions: []abuse.CaseDecision{{ID: "r", Case: id, Kind: abuse.Resolve, Resolution: abuse.ResolvedFraud}}}, t2)
	if err != nil {
		t.Fatal(err)
	}
	var nilTriage *abuse.Triage
	tests := []struct {
		name string
		run  func() error
		want string
	}{
		{"nil triage", func() error { _, err := nilTriage.Evaluate(abuse.CaseState{}, &abuse.CaseInput{}, t0); return err }, "nil Triage"},
		{"nil input", func() error { _, err := tr.Evaluate(abuse.CaseState{}, nil, t0); return err }, "no case input"},
		{"zero now", func() error { _, err := tr.Evaluate(abuse.CaseState{}, &abuse.CaseInput{}, time.Time{}); return err }, "time is zero"},
		{"invalid notice", func() error {
			_, err := tr.Evaluate(abuse.CaseState{}, &abuse.CaseInput{Notices: []abuse.Notice{{Source: abuse.FromFraudEvent}}}, t0)
			return err
		}, "id: is empty"},
		{"unknown case", func() error {
			_, err := tr.Evaluate(res.State, &abuse.CaseInput{Decisions: []abuse.CaseDecision{{ID: "x", Case: "case-nope", Kind: abuse.Acknowledge}}}, t2)
			return err
		}, `no case "case-nope"`},
		{"no decision id", func() error {
			_, err := tr.Evaluate(res.State, &abuse.CaseInput{Decisions: []abuse.CaseDecision{{Case: id, Kind: abuse.Acknowledge}}}, t2)
			return err
		}, "has no id"},
		{"future decision", func() error {
			_, err := tr.Evaluate(res.State, &abuse.CaseInput{Decisions: []abuse.CaseDecision{{ID: "x", Case: id, Kind: abuse.Acknowledge, At: t3}}}, t2)
			return err
		}, "after now"},
		{"resolve without resolution", func() error {
			_, err := tr.Evaluate(res.State, &abuse.CaseInput{Decisions: []abuse.CaseDecision{{ID: "x", Case: id, Kind: abuse.Resolve}}}, t2)
			return err
		}, "is not fraud, legitimate or ignore"},
		{"resolve a resolved case", func() error {
			_, err := tr.Evaluate(resolved.State, &abuse.CaseInput{Decisions: []abuse.CaseDecision{{ID: "x", Case: id, Kind: abuse.Resolve, Resolution: abuse.ResolvedIgnore}}}, t3)
			return err
		}, "already resolved_fraud"},
		{"acknowledge a resolved case", func() error {
			_, err := tr.Evaluate(resolved.State, &abuse.CaseInput{Decisions: []abuse.CaseDecision{{ID: "x", Case: id, Kind: abuse.Acknowledge}}}, t3)
			return err
		}, "reopen it first"},
		{"reopen an open case", func() error {
			_, err := tr.Evaluate(res.State, &abuse.CaseInput{Decisions: []abuse.CaseDecision{{ID: "x", Case: id, Kind: abuse.Reopen}}}, t2)
			return err
		}, "not resolved"},
		{"unknown decision kind", func() error {
			_, err := tr.Evaluate(res.State, &abuse.CaseInput{Decisions: []abuse.CaseDecision{{ID: "x", Case: id, Kind: "escalate"}}}, t2)
			return err
		}, "is not acknowledge"},
		{"invalid state", func() error {
			_, err := tr.Evaluate(abuse.CaseState{Cases: []abuse.NoticeCase{{ID: "c", Status: "lost"}}}, &abuse.CaseInput{}, t2)
			return err
		}, `status "lost" is not valid`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.run()
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want one containing %q", err, tc.want)
			}
		})
	}
	// A decision already applied is skipped, not refused.
	again, err := tr.Evaluate(resolved.State, &abuse.CaseInput{Decisions: []abuse.CaseDecision{{ID: "r", Case: id, Kind: abuse.Resolve, Resolution: abuse.ResolvedFraud}}}, t3)
	if err != nil || len(again.Actions) != 0 {
		t.Errorf("replayed decision: %v, %d actions", err, len(again.Actions))
	}
	_, err = tr.Evaluate(abuse.CaseState{Cases: []abuse.NoticeCase{{ID: "c", Status: "lost"}}}, &abuse.CaseInput{}, t2)
	if !errors.Is(err, abuse.ErrInvalidState) {
		t.Errorf("an invalid case state: %v, want ErrInvalidState", err)
	}
	_, err = tr.Evaluate(abuse.CaseState{}, &abuse.CaseInput{Notices: []abuse.Notice{{Source: abuse.FromFraudEvent}}}, t2)
	if !errors.Is(err, abuse.ErrInvalidNotice) || !strings.Contains(err.Error(), "notices[0].id: is empty") {
		t.Errorf("an invalid notice: %v, want ErrInvalidNotice at notices[0].id", err)
	}
}

// TestCaseTestNoticesAndGrouping: a test notice opens no case, and with
// PerSubscription two notices share one.
func TestCaseTestNoticesAndGrouping(t *testing.T) {
	tr := newTriage(t, abuse.TriageConfig{})
	res, err := tr.Evaluate(abuse.CaseState{}, &abuse.CaseInput{Notices: []abuse.Notice{alert("t", "CryptoMining", func(n *abuse.Notice) { n.Test = true })}}, t1)
	if err != nil || len(res.State.Cases) != 0 || len(res.Actions) != 0 || !res.Triaged[0].Test || res.Triaged[0].Gap {
		t.Errorf("test notice: %v, %d cases, %d actions, %+v", err, len(res.State.Cases), len(res.Actions), res.Triaged)
	}
	per := newTriage(t, abuse.TriageConfig{PerSubscription: true})
	res, err = per.Evaluate(abuse.CaseState{}, &abuse.CaseInput{Notices: []abuse.Notice{alert("a1", "CryptoMining"), alert("a2", "UsageAnomalyDetection")}}, t1)
	if err != nil || len(res.State.Cases) != 1 || len(res.State.Cases[0].Notices) != 2 || res.State.Cases[0].Key != "subscription:sub-1" {
		t.Fatalf("per subscription: %v, %+v", err, res.State.Cases)
	}
	// A new notice for a resolved subscription case reopens it.
	id := res.State.Cases[0].ID
	res, err = per.Evaluate(res.State, &abuse.CaseInput{Decisions: []abuse.CaseDecision{{ID: "d", Case: id, Kind: abuse.Resolve, Resolution: abuse.ResolvedIgnore}}}, t2)
	if err != nil {
		t.Fatal(err)
	}
	res, err = per.Evaluate(res.State, &abuse.CaseInput{Notices: []abuse.Notice{alert("a3", "CryptoMining", func(n *abuse.Notice) { n.DetectedAt = t3 })}}, t3)
	if err != nil || res.State.Cases[0].Status != abuse.CaseReopened {
		t.Errorf("new notice on a resolved subscription: %v, %s", err, res.State.Cases[0].Status)
	}
}

func enforcer(t testing.TB) *abuse.Enforcer {
	t.Helper()
	e, err := abuse.NewEnforcer([]byte(`id: notices-test
version: "1"
outcomes: [suspend, throttle, notify, none]
rules:
  - id: high
    when: finding.level == "high"
    action: suspend
    reason: high
  - id: any
    when: "true"
    action: notify
    reason: any
`))
	if err != nil {
		t.Fatal(err)
	}
	return e
}
