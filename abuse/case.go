package abuse

import (
	"cmp"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/riskkit/riskkit/internal/enum"
	"github.com/riskkit/riskkit/risk"
)

// Default case deadlines, from the provider's recommendations: respond to
// an alert within an hour, mitigate within a day, and treat an alert still
// open after 60 days (the horizon of the daily summary) as forgotten. The
// compromise credit covers at most the first 30 days of charges.
const (
	DefaultAcknowledgeWithin = time.Hour
	DefaultMitigateWithin    = 24 * time.Hour
	DefaultEscalateAfter     = 60 * 24 * time.Hour
	DefaultCreditWindow      = 30 * 24 * time.Hour
)

// Deadlines are the clocks of a case, counted from the notice's detection
// time (or from reopening). The zero value of every field selects its
// default. A deadline is missed at the instant it falls: a case detected at
// 10:00 must be acknowledged before 11:00, and is overdue at 11:00 exactly.
type Deadlines struct {
	// Acknowledge is how soon a person must take up a case (default 1
	// hour).
	Acknowledge time.Duration `json:"acknowledge,omitzero"`
	// Mitigate is how soon a case must be resolved (default 24 hours).
	Mitigate time.Duration `json:"mitigate,omitzero"`
	// Escalate is how long a case may stay open before it is escalated
	// (default 60 days).
	Escalate time.Duration `json:"escalate,omitzero"`
	// CreditWindow is how much of a compromise the provider's one-time
	// credit covers, from the first observed activity (default 30 days).
	CreditWindow time.Duration `json:"credit_window,omitzero"`
}

// withDefaults fills the zero deadlines and records the negative ones at
// path.
func (d Deadlines) withDefaults(is *issues, path string) Deadlines {
	for _, x := range []struct {
		name string
		v    *time.Duration
		def  time.Duration
	}{{"Acknowledge", &d.Acknowledge, DefaultAcknowledgeWithin}, {"Mitigate", &d.Mitigate, DefaultMitigateWithin},
		{"Escalate", &d.Escalate, DefaultEscalateAfter}, {"CreditWindow", &d.CreditWindow, DefaultCreditWindow}} {
		if *x.v < 0 {
			is.add(path+"."+x.name, "deadline %v is negative", *x.v)
		}
		if *x.v <= 0 {
			*x.v = x.def
		}
	}
	return d
}

// CaseStatus is where a case stands. The zero value is not a valid status.
type CaseStatus string

// Case statuses. A case starts received; a person acknowledges it, then
// investigates, then resolves it as fraud, legitimate or ignored. A
// resolved case is reopened when the provider reactivates the notice,
// reports new activity after the resolution, or a person reopens it.
const (
	CaseReceived           CaseStatus = "received"
	CaseAcknowledged       CaseStatus = "acknowledged"
	CaseInvestigating      CaseStatus = "investigating"
	CaseResolvedFraud      CaseStatus = "resolved_fraud"
	CaseResolvedLegitimate CaseStatus = "resolved_legitimate"
	CaseResolvedIgnored    CaseStatus = "resolved_ignored"
	CaseReopened           CaseStatus = "reopened"
)

// CaseStatuses returns every case status, in the order a case moves.
func CaseStatuses() []CaseStatus {
	return []CaseStatus{CaseReceived, CaseAcknowledged, CaseInvestigating, CaseResolvedFraud, CaseResolvedLegitimate,
		CaseResolvedIgnored, CaseReopened}
}

var caseStatuses = enum.New("abuse", "case status", "unknown", CaseStatuses()...)

// String returns the status's name, or "unknown" for the zero value.
func (s CaseStatus) String() string { return caseStatuses.Name(s) }

// MarshalText returns the status's name, "unknown" for the zero value,
// or an error for a value that is not a status.
func (s CaseStatus) MarshalText() ([]byte, error) { return caseStatuses.Text(s) }

// UnmarshalText accepts the status names, "unknown" or empty text for
// the zero value, and refuses anything else.
func (s *CaseStatus) UnmarshalText(b []byte) (err error) {
	*s, err = caseStatuses.Parse(b)
	return err
}

// Resolved reports whether s is one of the resolved statuses.
func (s CaseStatus) Resolved() bool {
	return s == CaseResolvedFraud || s == CaseResolvedLegitimate || s == CaseResolvedIgnored
}

// Resolution returns the resolution of a resolved status, or Unresolved.
func (s CaseStatus) Resolution() Resolution {
	switch s {
	case CaseResolvedFraud:
		return ResolvedFraud
	case CaseResolvedLegitimate:
		return ResolvedLegitimate
	case CaseResolvedIgnored:
		return ResolvedIgnore
	}
	return Unresolved
}

func resolvedStatus(r Resolution) CaseStatus {
	switch r {
	case ResolvedFraud:
		return CaseResolvedFraud
	case ResolvedLegitimate:
		return CaseResolvedLegitimate
	case ResolvedIgnore:
		return CaseResolvedIgnored
	}
	return ""
}

// CaseNotice is a notice as a case remembers it.
type CaseNotice struct {
	Key        string       `json:"key"`
	Source     NoticeSource `json:"source"`
	ID         string       `json:"id"`
	Kind       string       `json:"kind,omitzero"`
	DetectedAt time.Time    `json:"detected_at"`
	// Status and Reason are the provider's, as last received.
	Status NoticeStatus `json:"status,omitzero"`
	Reason Resolution   `json:"reason,omitzero"`
}

// CaseEvent is one entry of a case's audit trail.
type CaseEvent struct {
	Seq  int        `json:"seq"`
	At   time.Time  `json:"at"`
	From CaseStatus `json:"from,omitzero"`
	To   CaseStatus `json:"to"`
	// By is who caused it: a person's name from a decision, the provider's
	// user from the notice, or "provider".
	By  string `json:"by,omitzero"`
	Why string `json:"why"`
}

// NoticeCase is one case: a provider notice (or every notice of a
// subscription) tracked from receipt to its answer.
type NoticeCase struct {
	// ID is derived from Key and stable for the life of the case.
	ID string `json:"id"`
	// Key is the notice's key, or "subscription:" and the subscription
	// when cases are kept per subscription.
	Key            string     `json:"key"`
	Subscription   string     `json:"subscription,omitzero"`
	CustomerTenant string     `json:"customer_tenant,omitzero"`
	ResellerTenant string     `json:"reseller_tenant,omitzero"`
	Category       Category   `json:"category,omitzero"`
	Status         CaseStatus `json:"status"`
	// Finding is the finding the first categorised notice became.
	Finding *Finding `json:"finding,omitzero"`
	// Corroborated lists riskkit's findings that saw the same activity;
	// Gap reports that none did.
	Corroborated []string     `json:"corroborated,omitzero"`
	Gap          bool         `json:"gap,omitzero"`
	Notices      []CaseNotice `json:"notices"`
	// Context lists the keys of context-only notices attached to the case.
	Context []string `json:"context,omitzero"`

	DetectedAt    time.Time `json:"detected_at"`
	FirstObserved time.Time `json:"first_observed,omitzero"`
	LastObserved  time.Time `json:"last_observed,omitzero"`
	ReceivedAt    time.Time `json:"received_at"`
	// ClockFrom is when the current deadlines started: the detection
	// time, or the latest reopening.
	ClockFrom time.Time `json:"clock_from"`
	// AcknowledgedAt is when the case first left received (or reopened)
	// since ClockFrom.
	AcknowledgedAt time.Time `json:"acknowledged_at,omitzero"`
	ResolvedAt     time.Time `json:"resolved_at,omitzero"`
	ResolvedBy     string    `json:"resolved_by,omitzero"`
	Reopens        int       `json:"reopens,omitzero"`

	AcknowledgeBy time.Time `json:"acknowledge_by"`
	MitigateBy    time.Time `json:"mitigate_by"`
	EscalateAt    time.Time `json:"escalate_at"`
	// CreditUntil ends the window of charges a compromise credit covers.
	CreditUntil time.Time `json:"credit_until,omitzero"`

	// Emitted holds the keys of the actions already returned, so that an
	// evaluation from this state never returns them again; Decisions the
	// ids of the host decisions applied.
	Emitted   []string `json:"emitted,omitzero"`
	Decisions []string `json:"decisions,omitzero"`
	// Counted is the resolution counted in the verdict statistics.
	Counted Resolution  `json:"counted,omitzero"`
	Trail   []CaseEvent `json:"trail"`
}

// Open reports whether the case awaits an answer.
func (c *NoticeCase) Open() bool { return !c.Status.Resolved() }

// VerdictCount counts resolved cases by resolution for one detector or one
// category. Legitimate resolutions are false positives.
type VerdictCount struct {
	// Detector is the name of a riskkit detector whose findings a case
	// corroborated, such as "mining", or "provider" for the provider's
	// own notices; Category is the case's category.
	Detector   string   `json:"detector,omitzero"`
	Category   Category `json:"category,omitzero"`
	Fraud      int64    `json:"fraud,omitzero"`
	Legitimate int64    `json:"legitimate,omitzero"`
	Ignored    int64    `json:"ignored,omitzero"`
}

// CaseState is everything [Triage.Evaluate] remembers: the cases, the
// webhook pointers already followed, and the verdict statistics. It is
// plain data that round-trips through JSON; the zero value is empty and
// ready to use.
type CaseState struct {
	// Cases are sorted by id.
	Cases []NoticeCase `json:"cases,omitzero"`
	// Fetched holds the keys of the webhook pointers already followed.
	Fetched []string `json:"fetched,omitzero"`
	// ByDetector and ByCategory count resolutions, sorted by name.
	ByDetector []VerdictCount `json:"by_detector,omitzero"`
	ByCategory []VerdictCount `json:"by_category,omitzero"`
	// Seq numbers trail events across cases.
	Seq int `json:"seq,omitzero"`
}

// Case returns the case with the given id.
func (s *CaseState) Case(id string) (*NoticeCase, bool) {
	i, ok := slices.BinarySearchFunc(s.Cases, id, func(c NoticeCase, id string) int { return cmp.Compare(c.ID, id) })
	if !ok {
		return nil, false
	}
	return &s.Cases[i], true
}

// FalsePositives returns how many cases that corroborated findings of the
// named detector were resolved as legitimate, and how many were resolved.
func (s *CaseState) FalsePositives(detector string) (legitimate, resolved int64) {
	for _, v := range s.ByDetector {
		if v.Detector == detector {
			return v.Legitimate, v.Fraud + v.Legitimate + v.Ignored
		}
	}
	return 0, 0
}

// DecisionKind is what a host decided about a case.
type DecisionKind string

// Decision kinds.
const (
	Acknowledge DecisionKind = "acknowledge"
	Investigate DecisionKind = "investigate"
	Resolve     DecisionKind = "resolve"
	Reopen      DecisionKind = "reopen"
)

var decisionKinds = enum.New("abuse", "decision", "unknown", Acknowledge, Investigate, Resolve, Reopen)

// String returns the decision's name, or "unknown" for the zero value.
func (k DecisionKind) String() string { return decisionKinds.Name(k) }

// MarshalText returns the decision's name, "unknown" for the zero value,
// or an error for a value that is not a decision.
func (k DecisionKind) MarshalText() ([]byte, error) { return decisionKinds.Text(k) }

// UnmarshalText accepts the decision names, "unknown" or empty text for
// the zero value, and refuses anything else.
func (k *DecisionKind) UnmarshalText(b []byte) (err error) {
	*k, err = decisionKinds.Parse(b)
	return err
}

// CaseDecision is a person's decision about a case.
type CaseDecision struct {
	// ID identifies the decision; a decision already applied to its case is
	// skipped, so that a host may send the same decisions again.
	ID   string       `json:"id"`
	Case string       `json:"case"`
	Kind DecisionKind `json:"kind"`
	// Resolution is required to resolve: fraud, legitimate or ignore.
	Resolution Resolution `json:"resolution,omitzero"`
	By         string     `json:"by,omitzero"`
	// At is when the decision was made; zero means now.
	At   time.Time `json:"at,omitzero"`
	Note string    `json:"note,omitzero"`
}

// CaseInput is what one evaluation reads.
type CaseInput struct {
	// Notices are the notices received since the last evaluation (or all of
	// them again: a notice already in a case only updates it).
	Notices []Notice `json:"notices,omitzero"`
	// Findings are riskkit's own findings, such as [State.Findings], for
	// correlation.
	Findings []Finding `json:"findings,omitzero"`
	// Decisions are the host's decisions since the last evaluation.
	Decisions []CaseDecision `json:"decisions,omitzero"`
	// Customers holds the enforcement policy's customer record of each
	// subscription; a subscription without one is a customer with only an
	// id.
	Customers map[string]CustomerRecord `json:"customers,omitzero"`
}

// CaseActionKind is a kind of action a case asks of the host. The zero
// value is no kind.
type CaseActionKind string

// Case actions.
const (
	// ActAcknowledge asks a person to take up a new or reopened case by
	// its deadline.
	ActAcknowledge CaseActionKind = "acknowledge"
	// ActEscalate reports a missed deadline or a case open too long.
	ActEscalate CaseActionKind = "escalate"
	// ActRecommendEnforcement carries the enforcement policy's
	// recommendation for the case's finding.
	ActRecommendEnforcement CaseActionKind = "recommend_enforcement"
	ActNotifyCustomer       CaseActionKind = "notify_customer"
	ActNotifyPartner        CaseActionKind = "notify_partner"
	// ActUpdateProvider carries a status-update request for the provider's
	// API.
	ActUpdateProvider CaseActionKind = "update_provider"
	// ActFetchNotices asks the host to follow a webhook pointer and pass
	// the fraud events it returns to the next evaluation.
	ActFetchNotices CaseActionKind = "fetch_notices"
	// ActClaimCredit reminds the host that a compromise credit may be
	// requested for charges up to the action's Due time.
	ActClaimCredit CaseActionKind = "claim_credit"
)

var caseActionKinds = enum.New("abuse", "case action", "", ActAcknowledge, ActEscalate, ActRecommendEnforcement,
	ActNotifyCustomer, ActNotifyPartner, ActUpdateProvider, ActFetchNotices, ActClaimCredit)

// String returns the kind's name.
func (k CaseActionKind) String() string { return caseActionKinds.Name(k) }

// MarshalText returns the kind's name, or an error for a value that is
// not a case action.
func (k CaseActionKind) MarshalText() ([]byte, error) { return caseActionKinds.Text(k) }

// UnmarshalText accepts the case action names or empty text for the zero
// value, and refuses anything else.
func (k *CaseActionKind) UnmarshalText(b []byte) (err error) {
	*k, err = caseActionKinds.Parse(b)
	return err
}

// CaseAction is something the host should do. Actions carry idempotency
// keys: an evaluation repeated from the same state returns the same keys,
// and the new state remembers them so that they are not returned again.
type CaseAction struct {
	Key  string         `json:"key"`
	Kind CaseActionKind `json:"kind"`
	// Case is the case's id; empty for fetch_notices.
	Case string `json:"case,omitzero"`
	// Due is when the action should be done by.
	Due    time.Time `json:"due,omitzero"`
	Reason string    `json:"reason"`
	// Recommendation is set for recommend_enforcement.
	Recommendation *Recommendation `json:"recommendation,omitzero"`
	// Update is set for update_provider.
	Update *StatusUpdate `json:"update,omitzero"`
	// Pointer is the URI to fetch, for fetch_notices.
	Pointer string `json:"pointer,omitzero"`
}

// StatusUpdate is a request to the provider's API that records the
// partner's answer, as data for the host to send: Partner Center's
// POST /v1/fraudEvents/subscription/{id}/status or Graph's PATCH of a
// partner security alert. It records the verdict only; it stops nothing.
type StatusUpdate struct {
	Method string            `json:"method"`
	URL    string            `json:"url"`
	Header map[string]string `json:"header,omitzero"`
	Body   json.RawMessage   `json:"body"`
}

// Base URLs of the provider APIs status updates go to.
const (
	PartnerCenterURL = "https://api.partnercenter.microsoft.com"
	GraphURL         = "https://graph.microsoft.com/beta"
)

// CaseResult is the outcome of one evaluation.
type CaseResult struct {
	// State is the new state, to store in place of the previous one.
	State CaseState `json:"state"`
	// Actions are the actions due, by case and then in the order they
	// arose.
	Actions []CaseAction `json:"actions,omitzero"`
	// Triaged is what triage made of each notice of the input, in the
	// order processed: notices that open cases first, then context, each
	// by detection time and key.
	Triaged []Triaged `json:"triaged,omitzero"`
	// Raised are riskkit's findings that notices corroborated, with their
	// raised confidence; findings no notice mentions are not listed.
	Raised []Finding `json:"raised,omitzero"`
	// Next is the first instant after now at which time alone changes the
	// result: a deadline falling. The zero time means only new notices or
	// decisions can change it.
	Next time.Time `json:"next,omitzero"`
}

// evaluation is one run of Evaluate.
type evaluation struct {
	t       *Triage
	st      *CaseState
	in      *CaseInput
	now     time.Time
	actions []CaseAction
}

// Evaluate applies notices and decisions to the cases in prev at now and
// returns the new state, the actions due, and when to evaluate again.
//
// Each notice is triaged (see [Triage.Triage]). A notice from a source
// that awaits an answer (fraud events, security alerts, enforcement
// notices, abuse reports) opens a case, or joins the case of its key; a
// test notice opens none. Audit records, context-only webhooks and other
// context are attached to the open cases of their subscription. An
// azure-fraud-event-detected webhook asks the host, once, to fetch the
// fraud events it points at.
//
// The provider's own status moves a case: a notice already investigating
// moves it to investigating, one resolved with a reason resolves it with
// that reason, by the provider's user. A resolved case is reopened when
// the provider's history shows the notice reactivated or investigated
// after the resolution, or its activity was last observed after it; a
// notice fetched before the host's own update reached the provider leaves
// the case alone.
//
// Decisions are applied in time order: acknowledge (received or reopened
// to acknowledged), investigate, resolve (any open case) and reopen (a
// resolved case). Investigating, resolving and reopening return the
// status update for the provider; resolving as fraud also notifies the
// customer and the partner, recommends enforcement and, inside the credit
// window, the credit claim. Resolutions update the verdict statistics of
// the case's category and of the detectors whose findings it
// corroborated; a changed resolution moves its count.
//
// A case still received or reopened when its acknowledgement deadline
// falls, still open when its mitigation deadline falls, or still open when
// the escalation age falls, is escalated once for each.
//
// Evaluate returns an error, and no result, for a nil Triage or input,
// a zero now, an invalid notice, a decision for an unknown case, without
// an id, dated after now, or not allowed in the case's status, and a prev
// whose cases have invalid statuses. prev is not modified. Evaluating
// the same input again from the returned state returns no actions.
func (t *Triage) Evaluate(prev CaseState, in *CaseInput, now time.Time) (CaseResult, error) {
	if t == nil {
		return CaseResult{}, errors.New("abuse: nil Triage")
	}
	if in == nil {
		return CaseResult{}, errors.New("abuse: no case input")
	}
	if now.IsZero() {
		return CaseResult{}, errors.New("abuse: the evaluation time is zero")
	}
	bad := issues{sentinel: ErrInvalidState}
	for i := range prev.Cases {
		c := &prev.Cases[i]
		if !slices.Contains(CaseStatuses(), c.Status) || c.ID == "" {
			bad.add(fmt.Sprintf("cases[%d]", i), "case %q: status %q is not valid", c.ID, c.Status)
		}
		if i > 0 && prev.Cases[i-1].ID >= c.ID {
			bad.add(fmt.Sprintf("cases[%d].id", i), "cases are not sorted by unique id at %q", c.ID)
		}
	}
	if err := bad.err("case state", nil); err != nil {
		return CaseResult{}, err
	}
	bad = issues{sentinel: ErrInvalidNotice}
	for i := range in.Notices {
		in.Notices[i].check(&bad, fmt.Sprintf("notices[%d].", i))
	}
	if err := bad.err("case input", nil); err != nil {
		return CaseResult{}, err
	}

	st := cloneCaseState(prev)
	e := &evaluation{t: t, st: &st, in: in, now: now}
	var res CaseResult

	notices := make([]*Notice, len(in.Notices))
	for i := range in.Notices {
		notices[i] = &in.Notices[i]
	}
	// Context goes after the notices that open cases, so that it finds
	// them on the first evaluation as on a replay.
	slices.SortStableFunc(notices, func(a, b *Notice) int {
		return cmp.Or(-cmp.Compare(b2i(opensCase(a.Source)), b2i(opensCase(b.Source))),
			a.DetectedAt.Compare(b.DetectedAt), cmp.Compare(a.Key(), b.Key()))
	})
	raised := map[string]Finding{}
	for _, n := range notices {
		tr, up := t.Triage(n, in.Findings)
		tr.Test = n.Test
		for _, f := range up {
			if old, ok := raised[f.ID]; !ok || f.Confidence > old.Confidence {
				raised[f.ID] = f
			}
		}
		e.notice(n, &tr)
		res.Triaged = append(res.Triaged, tr)
	}
	for _, id := range slices.Sorted(maps.Keys(raised)) {
		res.Raised = append(res.Raised, raised[id])
	}

	decisions := slices.Clone(in.Decisions)
	slices.SortStableFunc(decisions, func(a, b CaseDecision) int {
		return cmp.Or(a.At.Compare(b.At), cmp.Compare(a.ID, b.ID))
	})
	for i := range decisions {
		if err := e.decide(&decisions[i]); err != nil {
			return CaseResult{}, err
		}
	}
	res.Next = e.clocks()
	slices.SortStableFunc(e.actions, func(a, b CaseAction) int { return cmp.Compare(a.Case, b.Case) })
	res.Actions = e.actions
	res.State = st
	return res, nil
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// cloneCaseState copies s deeply enough that changing the copy's cases
// leaves s alone.
func cloneCaseState(s CaseState) CaseState {
	out := CaseState{Seq: s.Seq, Fetched: slices.Clone(s.Fetched), ByDetector: slices.Clone(s.ByDetector),
		ByCategory: slices.Clone(s.ByCategory), Cases: make([]NoticeCase, len(s.Cases))}
	for i, c := range s.Cases {
		c.Corroborated = slices.Clone(c.Corroborated)
		c.Notices = slices.Clone(c.Notices)
		c.Context = slices.Clone(c.Context)
		c.Emitted = slices.Clone(c.Emitted)
		c.Decisions = slices.Clone(c.Decisions)
		c.Trail = slices.Clone(c.Trail)
		if c.Finding != nil {
			f := *c.Finding
			c.Finding = &f
		}
		out.Cases[i] = c
	}
	if len(out.Cases) == 0 {
		out.Cases = nil
	}
	return out
}

// emit returns an action unless its key was returned before.
func (e *evaluation) emit(c *NoticeCase, a CaseAction) {
	if c != nil {
		if slices.Contains(c.Emitted, a.Key) {
			return
		}
		c.Emitted = append(c.Emitted, a.Key)
		a.Case = c.ID
	}
	e.actions = append(e.actions, a)
}

// move changes a case's status and records why.
func (e *evaluation) move(c *NoticeCase, to CaseStatus, at time.Time, by, why string) {
	e.st.Seq++
	c.Trail = append(c.Trail, CaseEvent{Seq: e.st.Seq, At: at, From: c.Status, To: to, By: by, Why: why})
	if (c.Status == CaseReceived || c.Status == CaseReopened) && to != CaseReopened && c.AcknowledgedAt.IsZero() {
		c.AcknowledgedAt = at
	}
	c.Status = to
}

func (e *evaluation) caseKey(n *Notice) string {
	if e.t.cfg.PerSubscription {
		sub := n.Subscription
		if sub == "" {
			sub = "tenant:" + n.CustomerTenant
		}
		return "subscription:" + sub
	}
	return n.Key()
}

func caseID(key string) string {
	h := fnv.New64a()
	h.Write([]byte(key))
	return "case-" + hex.EncodeToString(h.Sum(nil))
}

// openCase finds the case of a key, or creates it.
func (e *evaluation) openCase(key string) (*NoticeCase, bool) {
	id := caseID(key)
	i, found := slices.BinarySearchFunc(e.st.Cases, id, func(c NoticeCase, id string) int { return cmp.Compare(c.ID, id) })
	if !found {
		e.st.Cases = slices.Insert(e.st.Cases, i, NoticeCase{ID: id, Key: key})
	}
	return &e.st.Cases[i], !found
}

// notice applies one triaged notice.
func (e *evaluation) notice(n *Notice, tr *Triaged) {
	if n.Source == FromWebhook && strings.EqualFold(n.Kind, "azure-fraud-event-detected") && n.Pointer != "" {
		key := "fetch:" + n.Key()
		if !slices.Contains(e.st.Fetched, key) {
			e.st.Fetched = append(e.st.Fetched, key)
			slices.Sort(e.st.Fetched)
			e.emit(nil, CaseAction{Key: key, Kind: ActFetchNotices, Pointer: n.Pointer, Due: e.now,
				Reason: "the webhook carries no detail: fetch the fraud events it points at"})
		}
		return
	}
	if !opensCase(n.Source) {
		e.attach(n)
		return
	}
	if n.Test {
		return
	}
	c, isNew := e.openCase(e.caseKey(n))
	ci := slices.IndexFunc(c.Notices, func(x CaseNotice) bool { return x.Key == n.Key() })
	answered := n.Status == NoticeResolved && n.ResolvedReason.Known()
	if isNew {
		e.start(c, n, tr, !answered)
	} else if ci < 0 && !c.Open() && !answered {
		e.reopen(c, e.now, "provider", "a new notice "+n.Key()+" arrived for the resolved case")
	}
	cn := CaseNotice{Key: n.Key(), Source: n.Source, ID: n.ID, Kind: n.Kind, DetectedAt: n.DetectedAt, Status: n.Status, Reason: n.ResolvedReason}
	if ci < 0 {
		c.Notices = append(c.Notices, cn)
	} else {
		c.Notices[ci] = cn
	}
	first, last := n.Observed()
	if c.FirstObserved.IsZero() || first.Before(c.FirstObserved) {
		c.FirstObserved = first
		c.CreditUntil = first.Add(e.t.cfg.Deadlines.CreditWindow)
	}
	if last.After(c.LastObserved) {
		c.LastObserved = last
	}
	if c.Category == "" && tr.Category != "" {
		c.Category = tr.Category
		c.Finding = tr.Finding
		c.Gap = tr.Gap
	}
	for _, id := range tr.Corroborated {
		if !slices.Contains(c.Corroborated, id) {
			c.Corroborated = append(c.Corroborated, id)
		}
	}
	if len(c.Corroborated) > 0 {
		c.Gap = false
	}
	e.providerStatus(c, n, last)
}

// start fills in a new case and, unless it arrives answered, returns its
// opening actions.
func (e *evaluation) start(c *NoticeCase, n *Notice, tr *Triaged, actions bool) {
	c.Subscription, c.CustomerTenant, c.ResellerTenant = n.Subscription, n.CustomerTenant, n.ResellerTenant
	c.DetectedAt, c.ReceivedAt = n.DetectedAt, e.now
	c.Status = CaseReceived
	e.st.Seq++
	c.Trail = append(c.Trail, CaseEvent{Seq: e.st.Seq, At: e.now, To: CaseReceived, By: "provider",
		Why: fmt.Sprintf("%s %s detected %s", n.Source, describeKind(n), n.DetectedAt.Format(time.RFC3339))})
	e.setClock(c, n.DetectedAt)
	if actions {
		e.opening(c, n, tr)
	}
}

func describeKind(n *Notice) string {
	if n.Kind == "" {
		return n.ID
	}
	return n.Kind + " " + n.ID
}

// setClock starts the deadlines at from.
func (e *evaluation) setClock(c *NoticeCase, from time.Time) {
	d := e.t.cfg.Deadlines
	c.ClockFrom = from
	c.AcknowledgeBy = from.Add(d.Acknowledge)
	c.MitigateBy = from.Add(d.Mitigate)
	if c.Reopens == 0 {
		c.EscalateAt = from.Add(d.Escalate)
	}
}

// opening returns the actions of a new or reopened case.
func (e *evaluation) opening(c *NoticeCase, n *Notice, tr *Triaged) {
	r := strconv.Itoa(c.Reopens)
	e.emit(c, CaseAction{Key: c.ID + ":acknowledge:" + r, Kind: ActAcknowledge, Due: c.AcknowledgeBy,
		Reason: "review the notice and acknowledge it within " + e.t.cfg.Deadlines.Acknowledge.String() + " of detection"})
	if n != nil && n.Source == FromEnforcement {
		e.emit(c, CaseAction{Key: c.ID + ":notify_customer:enforcement", Kind: ActNotifyCustomer, Due: e.now,
			Reason: "the provider took enforcement action against the subscription: tell the customer"})
		e.emit(c, CaseAction{Key: c.ID + ":notify_partner:enforcement", Kind: ActNotifyPartner, Due: e.now,
			Reason: "the provider took enforcement action against the subscription: tell the provider contact and any reseller"})
	} else if c.ResellerTenant != "" {
		e.emit(c, CaseAction{Key: c.ID + ":notify_partner:" + r, Kind: ActNotifyPartner, Due: c.AcknowledgeBy,
			Reason: "the subscription is sold through reseller " + c.ResellerTenant + ": tell them"})
	}
	if tr != nil && tr.Finding != nil {
		e.recommend(c, tr.Finding)
	}
}

// recommend asks the enforcement policy about the case's finding.
func (e *evaluation) recommend(c *NoticeCase, f *Finding) {
	if e.t.cfg.Enforcer == nil || f == nil {
		return
	}
	cust, ok := e.in.Customers[c.Subscription]
	if !ok {
		cust = CustomerRecord{Customer: risk.Customer{ID: c.Subscription}}
	}
	rec := e.t.cfg.Enforcer.Recommend(*f, cust, e.now)
	if rec.Action == NoAction {
		return
	}
	e.emit(c, CaseAction{Key: rec.IdempotencyKey, Kind: ActRecommendEnforcement, Due: rec.Deadline, Recommendation: &rec,
		Reason: "the enforcement policy recommends " + rec.Action.String() + " for " + f.Type})
}

// attach links a context-only notice to the open cases of its
// subscription.
func (e *evaluation) attach(n *Notice) {
	for i := range e.st.Cases {
		c := &e.st.Cases[i]
		if c.Open() && ((n.Subscription != "" && strings.EqualFold(c.Subscription, n.Subscription)) ||
			(n.Subscription == "" && n.CustomerTenant != "" && strings.EqualFold(c.CustomerTenant, n.CustomerTenant))) {
			if !slices.Contains(c.Context, n.Key()) {
				c.Context = append(c.Context, n.Key())
			}
		}
	}
}

// providerStatus moves a case by the status the provider reports for one
// of its notices.
func (e *evaluation) providerStatus(c *NoticeCase, n *Notice, lastObserved time.Time) {
	changedAt, changedBy := latestChange(n)
	if !c.Open() {
		switch {
		case n.Status == NoticeResolved && n.ResolvedReason.Known() && n.ResolvedReason != c.Status.Resolution() &&
			n.ResolvedAt.After(c.ResolvedAt):
			e.resolve(c, n.ResolvedReason, n.ResolvedAt, orProvider(n.ResolvedBy), "resolution changed at the provider to "+string(n.ResolvedReason))
		case (n.Status == NoticeActive || n.Status == NoticeInvestigating) && changedAt.After(c.ResolvedAt):
			e.reopen(c, earlier(changedAt, e.now), orProvider(changedBy), "the provider set the notice "+string(n.Status)+" after the resolution")
		case n.Status != NoticeResolved && lastObserved.After(c.ResolvedAt):
			e.reopen(c, earlier(lastObserved, e.now), "provider", "activity observed after the resolution, until "+lastObserved.Format(time.RFC3339))
		}
		if !c.Open() {
			return
		}
	}
	// A reopened case follows only what the provider did since.
	since := func(at time.Time) bool { return c.Reopens == 0 || !at.Before(c.ClockFrom) }
	switch {
	case n.Status == NoticeResolved && n.ResolvedReason.Known() && since(n.ResolvedAt):
		at := n.ResolvedAt
		if at.IsZero() || at.After(e.now) {
			at = e.now
		}
		e.resolve(c, n.ResolvedReason, at, orProvider(n.ResolvedBy), "resolved at the provider as "+string(n.ResolvedReason))
	case n.Status == NoticeInvestigating && c.Status != CaseInvestigating && since(changedAt):
		at := changedAt
		if at.IsZero() || at.After(e.now) {
			at = e.now
		}
		e.move(c, CaseInvestigating, at, orProvider(changedBy), "investigating at the provider")
	}
}

func earlier(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

func orProvider(by string) string {
	if by == "" {
		return "provider"
	}
	return by
}

// latestChange returns the time and author of the latest change into the
// notice's current status in its history.
func latestChange(n *Notice) (time.Time, string) {
	for i := len(n.History) - 1; i >= 0; i-- {
		if h := n.History[i]; h.To == n.Status {
			return h.At, h.By
		}
	}
	return time.Time{}, ""
}

// reopen moves a resolved case back to work with fresh deadlines.
func (e *evaluation) reopen(c *NoticeCase, at time.Time, by, why string) {
	c.Reopens++
	e.move(c, CaseReopened, at, by, why)
	c.ResolvedAt, c.ResolvedBy, c.AcknowledgedAt = time.Time{}, "", time.Time{}
	e.setClock(c, at)
	e.opening(c, nil, nil)
}

// resolve resolves a case, counts the verdict and returns the answer's
// actions.
func (e *evaluation) resolve(c *NoticeCase, r Resolution, at time.Time, by, why string) {
	e.move(c, resolvedStatus(r), at, by, why)
	c.ResolvedAt, c.ResolvedBy = at, by
	e.count(c, r)
	if r == ResolvedFraud {
		r := strconv.Itoa(c.Reopens)
		e.emit(c, CaseAction{Key: c.ID + ":notify_customer:fraud:" + r, Kind: ActNotifyCustomer, Due: at.Add(e.t.cfg.Deadlines.Acknowledge),
			Reason: "resolved as fraud: tell the customer, rotate credentials, enforce MFA and remove what the attacker created"})
		e.emit(c, CaseAction{Key: c.ID + ":notify_partner:fraud:" + r, Kind: ActNotifyPartner, Due: at.Add(e.t.cfg.Deadlines.Acknowledge),
			Reason: "resolved as fraud: tell the partner's responders and any reseller"})
		if c.Finding != nil {
			f := *c.Finding
			f.Confidence = 99 // a person confirmed it
			e.recommend(c, &f)
		}
		if !c.CreditUntil.IsZero() && at.Before(c.CreditUntil) {
			e.emit(c, CaseAction{Key: c.ID + ":claim_credit", Kind: ActClaimCredit, Due: c.CreditUntil,
				Reason: "a verified compromise may earn a one-time credit for charges up to " + c.CreditUntil.Format(time.RFC3339) + ", once per customer tenant"})
		}
	}
}

// count moves the case's verdict in the statistics.
func (e *evaluation) count(c *NoticeCase, r Resolution) {
	detectors := []string{"provider"}
	for _, n := range e.detectorsOf(c) {
		if !slices.Contains(detectors, n) {
			detectors = append(detectors, n)
		}
	}
	for _, d := range detectors {
		e.st.ByDetector = bump(e.st.ByDetector, VerdictCount{Detector: d}, c.Counted, r)
	}
	e.st.ByCategory = bump(e.st.ByCategory, VerdictCount{Category: c.Category}, c.Counted, r)
	c.Counted = r
}

// detectorsOf names the detectors of the riskkit findings a case
// corroborated: the first part of their types.
func (e *evaluation) detectorsOf(c *NoticeCase) []string {
	var out []string
	for _, f := range e.in.Findings {
		if slices.Contains(c.Corroborated, f.ID) {
			name, _, _ := strings.Cut(f.Type, ".")
			if !slices.Contains(out, name) {
				out = append(out, name)
			}
		}
	}
	slices.Sort(out)
	return out
}

// bump moves one count from old to r in the entry keyed like key.
func bump(list []VerdictCount, key VerdictCount, old, r Resolution) []VerdictCount {
	i := slices.IndexFunc(list, func(v VerdictCount) bool { return v.Detector == key.Detector && v.Category == key.Category })
	if i < 0 {
		list = append(list, key)
		slices.SortFunc(list, func(a, b VerdictCount) int {
			return cmp.Or(cmp.Compare(a.Detector, b.Detector), cmp.Compare(a.Category, b.Category))
		})
		i = slices.IndexFunc(list, func(v VerdictCount) bool { return v.Detector == key.Detector && v.Category == key.Category })
	}
	v := &list[i]
	for _, x := range []struct {
		r Resolution
		d int64
	}{{old, -1}, {r, 1}} {
		switch x.r {
		case ResolvedFraud:
			v.Fraud += x.d
		case ResolvedLegitimate:
			v.Legitimate += x.d
		case ResolvedIgnore:
			v.Ignored += x.d
		}
	}
	return list
}

// decide applies one host decision.
func (e *evaluation) decide(d *CaseDecision) error {
	if d.ID == "" {
		return fmt.Errorf("abuse: a decision about case %q has no id", d.Case)
	}
	c, ok := e.st.Case(d.Case)
	if !ok {
		return fmt.Errorf("abuse: decision %q: no case %q", d.ID, d.Case)
	}
	if slices.Contains(c.Decisions, d.ID) {
		return nil
	}
	at := d.At
	if at.IsZero() {
		at = e.now
	}
	if at.After(e.now) {
		return fmt.Errorf("abuse: decision %q is dated %s, after now %s", d.ID, at.Format(time.RFC3339), e.now.Format(time.RFC3339))
	}
	why := string(d.Kind)
	if d.Note != "" {
		why += ": " + d.Note
	}
	switch d.Kind {
	case Acknowledge:
		switch c.Status {
		case CaseReceived, CaseReopened:
			e.move(c, CaseAcknowledged, at, d.By, why)
		case CaseAcknowledged, CaseInvestigating:
		default:
			return fmt.Errorf("abuse: decision %q: case %s is %s; reopen it first", d.ID, c.ID, c.Status)
		}
	case Investigate:
		if !c.Open() {
			return fmt.Errorf("abuse: decision %q: case %s is %s; reopen it first", d.ID, c.ID, c.Status)
		}
		if c.Status != CaseInvestigating {
			e.move(c, CaseInvestigating, at, d.By, why)
			e.updates(c, NoticeInvestigating, Unresolved)
		}
	case Resolve:
		if !d.Resolution.Known() {
			return fmt.Errorf("abuse: decision %q: resolution %q is not fraud, legitimate or ignore", d.ID, d.Resolution)
		}
		if !c.Open() {
			return fmt.Errorf("abuse: decision %q: case %s is already %s; reopen it first", d.ID, c.ID, c.Status)
		}
		e.resolve(c, d.Resolution, at, d.By, why)
		e.updates(c, NoticeResolved, d.Resolution)
	case Reopen:
		if c.Open() {
			return fmt.Errorf("abuse: decision %q: case %s is %s, not resolved", d.ID, c.ID, c.Status)
		}
		e.reopen(c, at, d.By, why)
		e.updates(c, NoticeActive, Unresolved)
	default:
		return fmt.Errorf("abuse: decision %q: kind %q is not acknowledge, investigate, resolve or reopen", d.ID, d.Kind)
	}
	c.Decisions = append(c.Decisions, d.ID)
	return nil
}

// updates returns the status updates that tell the provider a case's new
// status: one Partner Center request per subscription for its fraud
// events, one Graph request per security alert. Partner Center documents
// no "legitimate" reason; with no security alert in the case, that
// verdict stays with the host.
func (e *evaluation) updates(c *NoticeCase, status NoticeStatus, r Resolution) {
	suffix := ":" + string(status) + ":" + string(r) + ":" + strconv.Itoa(c.Reopens)
	var events []string
	for _, n := range c.Notices {
		switch n.Source {
		case FromFraudEvent:
			events = append(events, n.ID)
		case FromSecurityAlert:
			body := map[string]string{"status": string(status)}
			if r != Unresolved {
				body["resolvedReason"] = string(r)
			}
			b, _ := json.Marshal(body)
			e.emit(c, CaseAction{Key: c.ID + ":update:" + n.Key + suffix, Kind: ActUpdateProvider, Due: e.now,
				Reason: "record the answer on the security alert",
				Update: &StatusUpdate{Method: "PATCH", URL: GraphURL + "/security/partner/securityAlerts/" + n.ID,
					Header: map[string]string{"Content-Type": "application/json"}, Body: b}})
		}
	}
	if len(events) == 0 || r == ResolvedLegitimate || c.Subscription == "" {
		return
	}
	body := struct {
		EventIDs       []string `json:"eventIds"`
		EventStatus    string   `json:"eventStatus"`
		ResolvedReason string   `json:"resolvedReason,omitempty"`
	}{events, pascal(string(status)), pascal(string(r))}
	b, _ := json.Marshal(body)
	e.emit(c, CaseAction{Key: c.ID + ":update:fraud_events" + suffix, Kind: ActUpdateProvider, Due: e.now,
		Reason: "record the answer on the fraud events",
		Update: &StatusUpdate{Method: "POST", URL: PartnerCenterURL + "/v1/fraudEvents/subscription/" + c.Subscription + "/status",
			Header: map[string]string{"Content-Type": "application/json", "X-NewEventsModel": "true"}, Body: b}})
}

func pascal(s string) string {
	if s == "" {
		return ""
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// clocks escalates the deadlines that fell before what they ask for was
// done, and returns the next one to fall. A deadline is met only by what
// happens before it, so that the answer does not depend on when the host
// evaluates: an acknowledgement or resolution at the deadline or after it
// is late and escalated.
func (e *evaluation) clocks() time.Time {
	var next time.Time
	soonest := func(t time.Time) {
		if t.After(e.now) && (next.IsZero() || t.Before(next)) {
			next = t
		}
	}
	missed := func(deadline, doneAt time.Time) bool {
		return !e.now.Before(deadline) && (doneAt.IsZero() || !doneAt.Before(deadline))
	}
	for i := range e.st.Cases {
		c := &e.st.Cases[i]
		r := strconv.Itoa(c.Reopens)
		if missed(c.AcknowledgeBy, c.AcknowledgedAt) {
			e.emit(c, CaseAction{Key: c.ID + ":escalate:acknowledge:" + r, Kind: ActEscalate, Due: e.now,
				Reason: "not acknowledged within " + e.t.cfg.Deadlines.Acknowledge.String() + " (by " + c.AcknowledgeBy.Format(time.RFC3339) + ")"})
		}
		if missed(c.MitigateBy, c.ResolvedAt) {
			e.emit(c, CaseAction{Key: c.ID + ":escalate:mitigate:" + r, Kind: ActEscalate, Due: e.now,
				Reason: "not resolved within " + e.t.cfg.Deadlines.Mitigate.String() + " (by " + c.MitigateBy.Format(time.RFC3339) + ")"})
		}
		if !c.Open() {
			continue
		}
		if c.AcknowledgedAt.IsZero() {
			soonest(c.AcknowledgeBy)
		}
		soonest(c.MitigateBy)
		if !e.now.Before(c.EscalateAt) {
			e.emit(c, CaseAction{Key: c.ID + ":escalate:open", Kind: ActEscalate, Due: e.now,
				Reason: "still open " + fmt.Sprint(int(e.t.cfg.Deadlines.Escalate.Hours()/24)) + " days after detection: the provider's daily summary stops here"})
		}
		soonest(c.EscalateAt)
	}
	return next
}
