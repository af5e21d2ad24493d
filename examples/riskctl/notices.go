package main

import (
	"bufio"
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/riskkit/riskkit/abuse"
	"github.com/riskkit/riskkit/examples"
	"github.com/riskkit/riskkit/internal/text"
)

const noticesHelp = `Decodes a file of provider notices (abuse.NoticeBatch lines: a response
body from the fraud events API, Graph security alerts, webhooks, audit
records, enforcement notices or abuse reports, with the time it was
received), triages each notice against the findings the abuse detectors made
on the example telemetry, and replays the analysts' decisions: every batch
and decision is applied when it happened, and every deadline at the instant
it falls. It prints the cases with their deadlines and what is due next, the
activity-log findings from the audit records, and the verdict counts per
detector and category.

Without files it reads the embedded example, embedded:notices.jsonl, with
embedded:notices_decisions.json. A decision names its case by a notice in
it: {"id", "notice": "source:id", "kind", "resolution", "by", "at", "note"}.
`

// noticeDecision is one host decision of a decisions file.
type noticeDecision struct {
	abuse.CaseDecision
	// Notice is the key of a notice in the case, source and id.
	Notice string `json:"notice"`
}

// timedBatch is the notices of one batch and when they were received.
type timedBatch struct {
	received time.Time
	notices  []abuse.Notice
}

// noticeRun is everything a replay reads.
type noticeRun struct {
	triage    *abuse.Triage
	batches   []timedBatch
	decisions []noticeDecision
	findings  []abuse.Finding
	customers map[string]abuse.CustomerRecord
}

// noticeStep is one evaluation of a replay.
type noticeStep struct {
	at  time.Time
	res abuse.CaseResult
}

// lastEvent returns the time of the last batch or decision.
func (r *noticeRun) lastEvent() time.Time {
	var last time.Time
	for _, b := range r.batches {
		last = later(last, b.received)
	}
	for _, d := range r.decisions {
		last = later(last, d.At)
	}
	return last
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// replay applies the batches and decisions in time order, evaluating at
// every batch, every decision and every instant a result names as Next,
// up to and including until. It calls each for every evaluation.
func (r *noticeRun) replay(until time.Time, each func(noticeStep) error) (abuse.CaseState, error) {
	var st abuse.CaseState
	if len(r.batches) == 0 {
		return st, nil
	}
	events := []time.Time{}
	for _, b := range r.batches {
		events = append(events, b.received)
	}
	for _, d := range r.decisions {
		events = append(events, d.At)
	}
	slices.SortFunc(events, func(a, b time.Time) int { return a.Compare(b) })
	fedB, fedD := make([]bool, len(r.batches)), make([]bool, len(r.decisions))
	now, next := events[0], time.Time{}
	for steps := 0; !now.After(until); steps++ {
		if steps > 10000 {
			return st, fmt.Errorf("the replay did not settle")
		}
		in := &abuse.CaseInput{Findings: r.findings, Customers: r.customers}
		for i, b := range r.batches {
			if !fedB[i] && !b.received.After(now) {
				fedB[i] = true
				in.Notices = append(in.Notices, b.notices...)
			}
		}
		// Decisions about cases that exist go with the notices; those about
		// cases the notices open, right after.
		due := func(st abuse.CaseState) []abuse.CaseDecision {
			var out []abuse.CaseDecision
			for i, d := range r.decisions {
				if fedD[i] || d.At.After(now) {
					continue
				}
				if id := caseWith(st, d.Notice); id != "" {
					fedD[i] = true
					cd := d.CaseDecision
					cd.Case = id
					out = append(out, cd)
				}
			}
			return out
		}
		in.Decisions = due(st)
		res, err := r.triage.Evaluate(st, in, now)
		if err != nil {
			return st, fmt.Errorf("at %s: %w", now.Format(time.RFC3339), err)
		}
		st = res.State
		if more := due(st); len(more) > 0 {
			r2, err := r.triage.Evaluate(st, &abuse.CaseInput{Findings: r.findings, Customers: r.customers, Decisions: more}, now)
			if err != nil {
				return st, fmt.Errorf("at %s: %w", now.Format(time.RFC3339), err)
			}
			res.Actions = append(res.Actions, r2.Actions...)
			res.State, res.Next = r2.State, r2.Next
			st = r2.State
		}
		if err := each(noticeStep{now, res}); err != nil {
			return st, err
		}
		next = res.Next
		for _, e := range events {
			if e.After(now) {
				if next.IsZero() || e.Before(next) {
					next = e
				}
				break
			}
		}
		if next.IsZero() {
			break
		}
		now = next
	}
	return st, nil
}

// caseWith returns the id of the case holding the notice with the key.
func caseWith(st abuse.CaseState, key string) string {
	for _, c := range st.Cases {
		if c.Key == key || slices.ContainsFunc(c.Notices, func(n abuse.CaseNotice) bool { return n.Key == key }) {
			return c.ID
		}
	}
	return ""
}

// loadNotices decodes a notices file: once whole, for problems with their
// lines, and then batch by batch for the times received.
func loadNotices(data []byte) ([]timedBatch, error) {
	if _, err := abuse.ParseNoticeFile(data); err != nil {
		return nil, err
	}
	var out []timedBatch
	dec := json.NewDecoder(bytes.NewReader(data))
	if t, _ := dec.Token(); t != json.Delim('[') {
		dec = json.NewDecoder(bytes.NewReader(data))
	}
	for dec.More() {
		var b abuse.NoticeBatch
		if err := dec.Decode(&b); err != nil {
			return nil, err
		}
		ns, err := abuse.ParseNotices(b.Source, b.Body)
		if err != nil {
			return nil, err
		}
		tb := timedBatch{received: b.Received, notices: ns}
		if tb.received.IsZero() {
			for _, n := range ns {
				tb.received = later(tb.received, n.DetectedAt)
			}
		}
		out = append(out, tb)
	}
	slices.SortStableFunc(out, func(a, b timedBatch) int { return a.received.Compare(b.received) })
	return out, nil
}

// exampleTelemetry reads the embedded abuse example: its host state,
// customers and labels into the values given, and its windows of
// telemetry.
func exampleTelemetry(st *abuse.State, customers *map[string]abuse.CustomerRecord, labels *[]telemetryLabel) ([]abuse.Telemetry, error) {
	for _, x := range []struct {
		name string
		v    any
	}{{"telemetry_state.json", st}, {"telemetry_customers.json", customers}, {"telemetry_labels.json", labels}} {
		b, err := examples.Data(x.name)
		if err != nil {
			return nil, err
		}
		if err := json.Unmarshal(b, x.v); err != nil {
			return nil, fmt.Errorf("%s: %w", x.name, err)
		}
	}
	b, err := examples.Data("telemetry.jsonl")
	if err != nil {
		return nil, err
	}
	return abuse.ParseTelemetry(b)
}

// exampleFindings runs the abuse detectors over the embedded telemetry
// from its host state and returns the findings and the customers.
func exampleFindings() ([]abuse.Finding, map[string]abuse.CustomerRecord, error) {
	var st abuse.State
	customers := map[string]abuse.CustomerRecord{}
	var labels []telemetryLabel
	windows, err := exampleTelemetry(&st, &customers, &labels)
	if err != nil {
		return nil, nil, err
	}
	mon, err := abuse.New(abuse.Config{})
	if err != nil {
		return nil, nil, err
	}
	run, err := detectAll(mon, st, windows)
	if err != nil {
		return nil, nil, err
	}
	return run.findings, customers, nil
}

// newNoticeRun reads everything a run needs.
func newNoticeRun(e *env, files []string, decisionsSpec, policySpec string, perSub bool) (*noticeRun, error) {
	src, err := readSource(e, policySpec, examples.Policy)
	if err != nil {
		return nil, err
	}
	enf, err := abuse.NewEnforcer(src)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", displayName(policySpec), err)
	}
	tr, err := abuse.NewTriage(abuse.TriageConfig{Enforcer: enf, PerSubscription: perSub})
	if err != nil {
		return nil, err
	}
	findings, customers, err := exampleFindings()
	if err != nil {
		return nil, err
	}
	r := &noticeRun{triage: tr, findings: findings, customers: customers}
	for _, f := range files {
		b, err := readSource(e, f, examples.Data)
		if err != nil {
			return nil, err
		}
		bs, err := loadNotices(b)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", displayName(f), err)
		}
		if e != nil {
			n := 0
			for _, x := range bs {
				n += len(x.notices)
			}
			fmt.Fprintf(e.stderr, "riskctl notices: read %s in %d batches from %s\n", text.Plural(n, "notice"), len(bs), displayName(f))
		}
		r.batches = append(r.batches, bs...)
	}
	slices.SortStableFunc(r.batches, func(a, b timedBatch) int { return a.received.Compare(b.received) })
	if decisionsSpec != "" {
		b, err := readSource(e, decisionsSpec, examples.Data)
		if err != nil {
			return nil, err
		}
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&r.decisions); err != nil {
			return nil, fmt.Errorf("%s: %v", displayName(decisionsSpec), err)
		}
		for i, d := range r.decisions {
			if d.ID == "" || d.Notice == "" || d.At.IsZero() {
				return nil, fmt.Errorf("%s: decision %d needs an id, a notice and a time", displayName(decisionsSpec), i+1)
			}
		}
	}
	return r, nil
}

// activityFindings runs the activity detectors over the audit records of
// the run's notices.
func (r *noticeRun) activityFindings() (abuse.ActivityResult, error) {
	d, err := abuse.NewActivityDetector(abuse.ActivityConfig{})
	if err != nil {
		return abuse.ActivityResult{}, err
	}
	var recs []abuse.ActivityRecord
	var now time.Time // the latest record: the run sees everything up to it
	for _, b := range r.batches {
		for i := range b.notices {
			if rec, ok := abuse.ActivityFromNotice(&b.notices[i]); ok {
				recs = append(recs, rec)
				if rec.Time.After(now) {
					now = rec.Time
				}
			}
		}
	}
	if now.IsZero() {
		return abuse.ActivityResult{}, nil
	}
	return d.Evaluate(abuse.ActivityState{}, recs, now)
}

// noticeLine is one JSON line of output.
type noticeLine struct {
	At       *time.Time             `json:"at,omitempty"`
	Action   *abuse.CaseAction      `json:"action,omitempty"`
	Case     *abuse.NoticeCase      `json:"case,omitempty"`
	Activity *abuse.ActivityFinding `json:"activity,omitempty"`
	Verdicts *abuse.VerdictCount    `json:"verdicts,omitempty"`
}

func runNotices(e *env, args []string) error {
	fs := newFlags(e, "notices", "[NOTICES ...]")
	decisionsSpec := fs.String("decisions", "", "decisions `file` (JSON array; default: the embedded example's with the embedded notices, else none)")
	policySpec := fs.String("policy", embeddedPrefix+"abuse.yaml", "enforcement policy `file` for recommendations")
	at := addAtFlag(fs, "the end of the day after the last batch or decision")
	replay := fs.Bool("replay", false, "print what happens, day by day, instead of the cases at the end")
	perSub := fs.Bool("per-subscription", false, "one case per subscription instead of one per notice")
	asJSON := fs.Bool("json", false, "write JSON lines instead of tables")
	usage := fs.Usage
	fs.Usage = func() { usage(); fmt.Fprint(e.stderr, "\n"+noticesHelp) }
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	files := fs.Args()
	if len(files) == 0 {
		files = []string{embeddedPrefix + "notices.jsonl"}
		if *decisionsSpec == "" {
			*decisionsSpec = embeddedPrefix + "notices_decisions.json"
		}
	}
	stdin := 0
	for _, s := range append(slices.Clone(files), *decisionsSpec, *policySpec) {
		if s == "-" {
			stdin++
		}
	}
	if stdin > 1 {
		return usageError("only one of the files can be standard input")
	}
	until := at.in(nil)
	r, err := newNoticeRun(e, files, *decisionsSpec, *policySpec, *perSub)
	if err != nil {
		return err
	}
	if until.IsZero() {
		until = r.lastEvent().UTC().Truncate(24 * time.Hour).Add(48*time.Hour - time.Nanosecond)
	}
	out := bufio.NewWriter(e.stdout)
	defer out.Flush()
	day := ""
	st, err := r.replay(until, func(s noticeStep) error {
		if !*replay {
			return nil
		}
		for i := range s.res.Actions {
			a := &s.res.Actions[i]
			if *asJSON {
				if err := writeJSON(out, "notices", "action", noticeLine{At: &s.at, Action: a}); err != nil {
					return err
				}
				continue
			}
			if d := s.at.Format("2006-01-02"); d != day {
				day = d
				fmt.Fprintf(out, "%s\n", d)
			}
			fmt.Fprintf(out, "  %s  %-22s %-9s %s\n", s.at.Format("15:04"), a.Kind, caseSubscription(s.res.State, a.Case), caseActionText(a))
		}
		return nil
	})
	if err != nil {
		return err
	}
	act, err := r.activityFindings()
	if err != nil {
		return err
	}
	if *replay {
		return nil
	}
	if *asJSON {
		for i := range st.Cases {
			if err := writeJSON(out, "notices", "case", noticeLine{Case: &st.Cases[i]}); err != nil {
				return err
			}
		}
		for i := range act.Findings {
			if err := writeJSON(out, "notices", "activity", noticeLine{Activity: &act.Findings[i]}); err != nil {
				return err
			}
		}
		for i := range st.ByDetector {
			if err := writeJSON(out, "notices", "verdicts", noticeLine{Verdicts: &st.ByDetector[i]}); err != nil {
				return err
			}
		}
		for i := range st.ByCategory {
			if err := writeJSON(out, "notices", "verdicts", noticeLine{Verdicts: &st.ByCategory[i]}); err != nil {
				return err
			}
		}
		return nil
	}
	fmt.Fprintf(out, "cases at %s\n", until.Format(time.RFC3339))
	writeCases(out, st, until)
	writeActivity(out, act)
	writeVerdicts(out, st)
	return nil
}

func caseSubscription(st abuse.CaseState, id string) string {
	if c, ok := st.Case(id); ok {
		return c.Subscription
	}
	return "-"
}

// caseActionText says what an action asks for, in a line.
func caseActionText(a *abuse.CaseAction) string {
	switch {
	case a.Update != nil:
		return a.Update.Method + " " + a.Update.URL + " " + string(a.Update.Body)
	case a.Recommendation != nil:
		return fmt.Sprintf("%s (%s) by %s", a.Recommendation.Action, joinSteps(a.Recommendation.Steps), a.Due.Format("01-02 15:04"))
	case a.Pointer != "":
		return "GET " + a.Pointer
	case a.Kind == abuse.ActAcknowledge || a.Kind == abuse.ActClaimCredit:
		return "by " + a.Due.Format("01-02 15:04") + ": " + a.Reason
	}
	return a.Reason
}

// nextFor says what an open case needs next, and by when.
func nextFor(c *abuse.NoticeCase, now time.Time) string {
	if !c.Open() {
		if c.Status == abuse.CaseResolvedFraud && !c.CreditUntil.IsZero() {
			return "credit for charges until " + c.CreditUntil.Format("01-02")
		}
		return "-"
	}
	due := func(what string, t time.Time) string {
		if now.Before(t) {
			return what + " by " + t.Format("01-02 15:04")
		}
		return what + " (overdue since " + t.Format("01-02 15:04") + ")"
	}
	switch c.Status {
	case abuse.CaseReceived, abuse.CaseReopened:
		return due("acknowledge", c.AcknowledgeBy)
	}
	if now.Before(c.MitigateBy) {
		return due("resolve", c.MitigateBy)
	}
	return due("resolve", c.MitigateBy) + "; escalation at " + c.EscalateAt.Format("01-02")
}

func writeCases(w io.Writer, st abuse.CaseState, now time.Time) {
	cases := slices.Clone(st.Cases)
	slices.SortStableFunc(cases, func(a, b abuse.NoticeCase) int {
		return cmp.Or(cmp.Compare(a.Subscription, b.Subscription), a.DetectedAt.Compare(b.DetectedAt))
	})
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "SUBSCRIPTION\tNOTICE\tCATEGORY\tDETECTORS\tSTATUS\tDETECTED\tNEXT")
	for i := range cases {
		c := &cases[i]
		kind := "-"
		if len(c.Notices) > 0 {
			n := c.Notices[0]
			kind = string(n.Source) + " " + cmp.Or(n.Kind, "(old model)")
			if len(c.Notices) > 1 {
				kind += fmt.Sprintf(" +%d", len(c.Notices)-1)
			}
		}
		seen := "-"
		switch {
		case len(c.Corroborated) > 0:
			seen = "also saw it"
		case c.Gap:
			seen = "missed it"
		}
		status := string(c.Status)
		if c.Reopens > 0 {
			status += fmt.Sprintf(" (reopened %d)", c.Reopens)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", c.Subscription, kind, orDash(string(c.Category)), seen, status,
			c.DetectedAt.Format("01-02 15:04"), nextFor(c, now))
	}
	tw.Flush()
}

func writeActivity(w io.Writer, act abuse.ActivityResult) {
	if len(act.Findings) == 0 {
		return
	}
	fmt.Fprintln(w, "\nactivity-log findings (from the audit records):")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "SUBSCRIPTION\tFINDING\tSEVERITY\tCONF\tSUMMARY\tNOT CHECKED")
	for _, f := range act.Findings {
		fmt.Fprintf(tw, "%s\t%s\t%v %s\t%d%%\t%s\t%s\n", f.Subscription, f.Type, f.Severity, f.Level(), f.Confidence, f.Summary,
			strings.Join(f.Unchecked, "; "))
	}
	tw.Flush()
}

func writeVerdicts(w io.Writer, st abuse.CaseState) {
	if len(st.ByDetector) == 0 {
		return
	}
	fmt.Fprintln(w, "\nresolutions (legitimate = false positive):")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "BY\tFRAUD\tLEGITIMATE\tIGNORED")
	for _, v := range st.ByDetector {
		fmt.Fprintf(tw, "detector %s\t%d\t%d\t%d\n", v.Detector, v.Fraud, v.Legitimate, v.Ignored)
	}
	for _, v := range st.ByCategory {
		fmt.Fprintf(tw, "category %s\t%d\t%d\t%d\n", orDash(string(v.Category)), v.Fraud, v.Legitimate, v.Ignored)
	}
	tw.Flush()
}

// noticesDemo replays the embedded notices and tells the story of the
// miner both sides saw, the one only the provider saw, and the alert that
// came back.
func noticesDemo(w io.Writer) error {
	r, err := newNoticeRun(nil, []string{embeddedPrefix + "notices.jsonl"}, embeddedPrefix+"notices_decisions.json", embeddedPrefix+"abuse.yaml", false)
	if err != nil {
		return err
	}
	notices, sources := 0, map[abuse.NoticeSource]bool{}
	for _, b := range r.batches {
		for _, n := range b.notices {
			notices++
			sources[n.Source] = true
		}
	}
	fmt.Fprintf(w, "%d notices from %d sources in %d batches, triaged against %d findings of the abuse detectors\n",
		notices, len(sources), len(r.batches), len(r.findings))
	kinds := map[abuse.CaseActionKind]int{}
	var story []string
	until := r.lastEvent().UTC().Truncate(24 * time.Hour).Add(48*time.Hour - time.Nanosecond)
	st, err := r.replay(until, func(s noticeStep) error {
		for i := range s.res.Actions {
			a := &s.res.Actions[i]
			kinds[a.Kind]++
			if caseSubscription(s.res.State, a.Case) == "sub-023" || a.Kind == abuse.ActFetchNotices {
				story = append(story, fmt.Sprintf("  %s  %s: %s", s.at.Format("01-02 15:04"), a.Kind, caseActionText(a)))
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "\nsub-023: a webhook, then the fraud event; the mining detector saw it too:")
	for _, l := range story {
		fmt.Fprintln(w, l)
	}
	gaps, both := 0, 0
	for _, c := range st.Cases {
		if c.Gap {
			gaps++
		}
		if len(c.Corroborated) > 0 {
			both++
		}
	}
	fmt.Fprintf(w, "\n%d cases: %d also seen by riskkit's detectors, %d detection gaps; actions: %d acknowledge, %d escalate, %d provider updates, %d enforcement recommendations\n",
		len(st.Cases), both, gaps, kinds[abuse.ActAcknowledge], kinds[abuse.ActEscalate], kinds[abuse.ActUpdateProvider], kinds[abuse.ActRecommendEnforcement])
	for _, c := range st.Cases {
		if c.Reopens > 0 {
			fmt.Fprintf(w, "%s: resolved, then reopened by the provider (%s), now %s\n", c.Subscription, text.Plural(c.Reopens, "time"), c.Status)
		}
	}
	if fp, n := st.FalsePositives("hacking"); n > 0 {
		fmt.Fprintf(w, "the hacking detector: %d of %d corroborated cases resolved as legitimate (a penetration test)\n", fp, n)
	}
	fmt.Fprintln(w, "more: riskctl notices (cases), riskctl notices -replay (day by day), riskctl notices -json")
	return nil
}
