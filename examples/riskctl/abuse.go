package main

import (
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
	"github.com/riskkit/riskkit/risk"
)

const abuseHelp = `Runs the abuse detectors over windows of telemetry (JSON lines of
abuse.Telemetry, in time order per resource) and recommends an enforcement
step for each finding with the enforcement policy: the action, the concrete
steps, the reasons, the response deadline and an idempotency key.

Without files it reads the embedded example, embedded:telemetry.jsonl, with
its customers and the host state it starts from. Windows whose telemetry
lacked a source a detector needs, or records too coarse or facts left out
for what it checks, are listed as not fully checked: missing telemetry is
never reported as clean. Findings that an allowance in the state (an
authorised penetration test, a vetted mail sender, a known CDN) covers are
listed as stood down, with the allowance.
`

// abuseRun is what one invocation read and found.
type abuseRun struct {
	windows   int
	subs      map[string]bool
	findings  []abuse.Finding
	unchecked map[uncheckedKey]abuse.Unchecked
	failures  []abuse.DetectorFailure
	stood     []abuse.StandDown
	last      time.Time
}

type uncheckedKey struct{ sub, res, detector string }

// abuseLine is one JSON line of output: a finding with its recommendation,
// or a resource not fully checked.
type abuseLine struct {
	Finding        *abuse.Finding        `json:"finding,omitempty"`
	Recommendation *abuse.Recommendation `json:"recommendation,omitempty"`
	Unchecked      *uncheckedLine        `json:"unchecked,omitempty"`
	StoodDown      *abuse.StandDown      `json:"stood_down,omitempty"`
}

type uncheckedLine struct {
	Subscription string         `json:"subscription"`
	Resource     string         `json:"resource,omitempty"`
	Detector     string         `json:"detector"`
	Missing      []abuse.Source `json:"missing"`
	Partial      bool           `json:"partial,omitempty"`
	Gaps         []string       `json:"gaps,omitempty"`
}

func runAbuse(e *env, args []string) error {
	fs := newFlags(e, "abuse", "[TELEMETRY ...]")
	policySpec := fs.String("policy", embeddedPrefix+"abuse.yaml", "enforcement policy `file` (YAML or JSON; - for stdin, embedded:NAME for an example)")
	customersSpec := fs.String("customers", "", "customers `file`: a JSON object from subscription id to abuse.CustomerRecord (default: the embedded example's with the embedded telemetry, else none)")
	stateSpec := fs.String("state", "", "host state `file` to start from, an abuse.State in JSON (default: the embedded example's with the embedded telemetry, else empty)")
	only := fs.String("subscription", "", "show only this subscription `id`")
	at := addAtFlag(fs, "the end of the last window")
	asJSON := fs.Bool("json", false, "write JSON lines instead of a table")
	usage := fs.Usage
	fs.Usage = func() { usage(); fmt.Fprint(e.stderr, "\n"+abuseHelp) }
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	files := fs.Args()
	if len(files) == 0 {
		files = []string{embeddedPrefix + "telemetry.jsonl"}
		if *customersSpec == "" {
			*customersSpec = embeddedPrefix + "telemetry_customers.json"
		}
		if *stateSpec == "" {
			*stateSpec = embeddedPrefix + "telemetry_state.json"
		}
	}
	stdin := 0
	for _, s := range append(slices.Clone(files), *policySpec, *customersSpec, *stateSpec) {
		if s == "-" {
			stdin++
		}
	}
	if stdin > 1 {
		return usageError("only one of the files can be standard input")
	}
	now := at.in(nil)

	src, err := readSource(e, *policySpec, examples.Policy)
	if err != nil {
		return err
	}
	enf, err := abuse.NewEnforcer(src)
	if err != nil {
		return fmt.Errorf("%s: %w", displayName(*policySpec), err)
	}
	customers := map[string]abuse.CustomerRecord{}
	if *customersSpec != "" {
		if err := readJSONFile(e, *customersSpec, &customers); err != nil {
			return err
		}
	}
	var state abuse.State
	if *stateSpec != "" {
		if err := readJSONFile(e, *stateSpec, &state); err != nil {
			return err
		}
	}
	var windows []abuse.Telemetry
	for _, f := range files {
		b, err := readSource(e, f, examples.Data)
		if err != nil {
			return err
		}
		ws, err := abuse.ParseTelemetry(b)
		if err != nil {
			return fmt.Errorf("%s: %w", displayName(f), err)
		}
		fmt.Fprintf(e.stderr, "riskctl abuse: read %s from %s\n", text.Plural(len(ws), "window"), displayName(f))
		windows = append(windows, ws...)
	}
	mon, err := abuse.New(abuse.Config{})
	if err != nil {
		return err
	}
	run, err := detectAll(mon, state, windows)
	if err != nil {
		return err
	}
	if now.IsZero() {
		now = run.last
	}
	fmt.Fprintf(e.stderr, "riskctl abuse: %s of %s: %s\n", text.Plural(run.windows, "window"), text.Plural(len(run.subs), "subscription"),
		text.Plural(len(run.findings), "finding"))
	for _, f := range run.failures {
		fmt.Fprintf(e.stderr, "riskctl abuse: detector %s failed: %s\n", f.Detector, f.Err)
	}

	type row struct {
		f abuse.Finding
		r abuse.Recommendation
	}
	var rows []row
	for _, f := range run.findings {
		if *only != "" && f.Subscription != *only {
			continue
		}
		rows = append(rows, row{f, enf.Recommend(f, customerOf(customers, f.Subscription), now)})
	}
	slices.SortStableFunc(rows, func(a, b row) int {
		return cmp.Or(-cmp.Compare(actionRank(a.r.Action), actionRank(b.r.Action)), -cmp.Compare(a.f.Severity, b.f.Severity),
			cmp.Compare(a.f.Subscription, b.f.Subscription), cmp.Compare(a.f.Resource, b.f.Resource), cmp.Compare(a.f.Type, b.f.Type))
	})
	var gaps []uncheckedLine
	for k, u := range run.unchecked {
		if *only == "" || k.sub == *only {
			gaps = append(gaps, uncheckedLine{k.sub, k.res, u.Detector, u.Missing, u.Partial, u.Gaps})
		}
	}
	var stood []abuse.StandDown
	for _, d := range run.stood {
		if *only == "" || d.Finding.Subscription == *only {
			stood = append(stood, d)
		}
	}
	slices.SortFunc(gaps, func(a, b uncheckedLine) int {
		return cmp.Or(cmp.Compare(a.Subscription, b.Subscription), cmp.Compare(a.Resource, b.Resource), cmp.Compare(a.Detector, b.Detector))
	})

	if *asJSON {
		for i := range rows {
			if err := writeJSON(e.stdout, "abuse", "finding", abuseLine{Finding: &rows[i].f, Recommendation: &rows[i].r}); err != nil {
				return err
			}
		}
		for i := range gaps {
			if err := writeJSON(e.stdout, "abuse", "unchecked", abuseLine{Unchecked: &gaps[i]}); err != nil {
				return err
			}
		}
		for i := range stood {
			if err := writeJSON(e.stdout, "abuse", "stood_down", abuseLine{StoodDown: &stood[i]}); err != nil {
				return err
			}
		}
		return nil
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "SUBSCRIPTION\tRESOURCE\tFINDING\tSEVERITY\tCONF\tDIRECTION\tWINDOWS\tACTION\tDUE\tSUMMARY")
	for _, x := range rows {
		due := "-"
		if !x.r.Deadline.IsZero() {
			due = x.r.Deadline.UTC().Format("01-02 15:04")
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%v %s\t%d%%\t%s\t%d\t%s\t%s\t%s\n", x.f.Subscription, orDash(x.f.Resource), x.f.Type,
			x.f.Severity, x.f.Level(), x.f.Confidence, x.f.Direction, x.f.Windows, x.r.Action, due, x.f.Summary)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(rows) == 0 {
		fmt.Fprintln(e.stdout, "no findings")
	}
	if len(stood) > 0 {
		fmt.Fprintln(e.stdout, "\nstood down (an allowance the host supplied covers the activity):")
		tw = tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "SUBSCRIPTION\tRESOURCE\tWINDOW\tFINDING\tALLOWANCE\tUNTIL\tREASON")
		for _, d := range stood {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", d.Finding.Subscription, orDash(d.Finding.Resource),
				d.Finding.FirstSeen.UTC().Format("01-02 15:04"), d.Finding.Type, d.Allowance.ID,
				d.Allowance.Until.UTC().Format("01-02 15:04"), orDash(d.Allowance.Reason))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	if len(gaps) > 0 {
		fmt.Fprintln(e.stdout, "\nnot fully checked (missing telemetry is not clean):")
		tw = tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "SUBSCRIPTION\tRESOURCE\tDETECTOR\tRAN\tMISSING\tNOT CHECKED")
		for _, g := range gaps {
			ran := "no"
			if g.Partial {
				ran = "partly"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", g.Subscription, orDash(g.Resource), g.Detector, ran,
				orDash(joinSources(g.Missing)), orDash(strings.Join(g.Gaps, "; ")))
		}
		return tw.Flush()
	}
	return nil
}

// detectAll runs the monitor over the windows, in order of their end, and
// collects the findings as they stand at the end with every gap in
// telemetry.
func detectAll(mon *abuse.Monitor, st abuse.State, windows []abuse.Telemetry) (*abuseRun, error) {
	slices.SortStableFunc(windows, func(a, b abuse.Telemetry) int { return a.Window.End.Compare(b.Window.End) })
	run := &abuseRun{subs: map[string]bool{}, unchecked: map[uncheckedKey]abuse.Unchecked{}}
	latest := map[string]abuse.Finding{}
	for i := range windows {
		w := &windows[i]
		rep, err := mon.Evaluate(st, w, w.Window.End)
		if err != nil {
			return nil, fmt.Errorf("window %d: %w", i+1, err)
		}
		st = rep.State
		run.windows++
		run.subs[w.Subscription] = true
		run.last = w.Window.End
		for _, f := range rep.Findings {
			latest[f.ID] = f
		}
		for _, u := range rep.Unchecked {
			k := uncheckedKey{w.Subscription, w.Resource, u.Detector}
			if old, ok := run.unchecked[k]; ok {
				u.Missing = sortedSources(append(old.Missing, u.Missing...))
				u.Partial = u.Partial && old.Partial
				u.Gaps = sortedUnique(append(old.Gaps, u.Gaps...))
			}
			run.unchecked[k] = u
		}
		run.failures = append(run.failures, rep.Failures...)
		run.stood = append(run.stood, rep.StoodDown...)
	}
	for _, f := range latest {
		run.findings = append(run.findings, f)
	}
	slices.SortFunc(run.findings, func(a, b abuse.Finding) int { return cmp.Compare(a.ID, b.ID) })
	return run, nil
}

// sortedUnique returns the strings sorted, without repeats.
func sortedUnique(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return slices.Compact(s)
}

// sortedSources orders sources as abuse.Sources does, without repeats.
func sortedSources(s []abuse.Source) []abuse.Source {
	var out []abuse.Source
	for _, x := range abuse.Sources() {
		if slices.Contains(s, x) {
			out = append(out, x)
		}
	}
	return out
}

func joinSources(s []abuse.Source) string {
	names := make([]string, len(s))
	for i, x := range s {
		names[i] = string(x)
	}
	return strings.Join(names, ", ")
}

func customerOf(customers map[string]abuse.CustomerRecord, sub string) abuse.CustomerRecord {
	if c, ok := customers[sub]; ok {
		return c
	}
	return abuse.CustomerRecord{Customer: risk.Customer{ID: sub}}
}

// actionRank orders actions from the softest, for sorting.
func actionRank(a abuse.Enforcement) int {
	return slices.Index([]abuse.Enforcement{abuse.NoAction, abuse.Notify, abuse.Throttle, abuse.Suspend}, a)
}

// readJSONFile decodes a JSON file argument strictly into v.
func readJSONFile(e *env, spec string, v any) error {
	b, err := readSource(e, spec, examples.Data)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("%s: %v", displayName(spec), err)
	}
	return nil
}

// telemetryLabel is one entry of the example's telemetry_labels.json.
type telemetryLabel struct {
	Subscription string           `json:"subscription"`
	Resource     string           `json:"resource"`
	Scenario     string           `json:"scenario"`
	Categories   []abuse.Category `json:"categories"`
	Note         string           `json:"note"`
}

// abuseDemo runs the monitor over the embedded telemetry from the host's
// state and shows one clean tenant and one miner, then the whole sample in
// a line.
func abuseDemo(w io.Writer) error {
	var st abuse.State
	customers := map[string]abuse.CustomerRecord{}
	var labels []telemetryLabel
	windows, err := exampleTelemetry(&st, &customers, &labels)
	if err != nil {
		return err
	}
	src, err := examples.Policy("abuse.yaml")
	if err != nil {
		return err
	}
	enf, err := abuse.NewEnforcer(src)
	if err != nil {
		return err
	}
	mon, err := abuse.New(abuse.Config{})
	if err != nil {
		return err
	}
	run, err := detectAll(mon, st, windows)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "%d detectors over %d hourly windows of %d subscriptions; policy %s %s\n",
		len(mon.Detectors()), run.windows, len(run.subs), enf.PolicyID(), enf.PolicyVersion())

	for _, scenario := range []string{"web", "miner"} {
		i := slices.IndexFunc(labels, func(l telemetryLabel) bool { return l.Scenario == scenario })
		if i < 0 {
			return fmt.Errorf("no %s tenant in the example data", scenario)
		}
		l := labels[i]
		truth := "clean"
		if len(l.Categories) > 0 {
			truth = fmt.Sprint(l.Categories)
		}
		fmt.Fprintf(w, "\n%s/%s, labelled %s: %s\n", l.Subscription, l.Resource, truth, l.Note)
		var fs []abuse.Finding
		for _, f := range run.findings {
			if f.Subscription == l.Subscription && f.Resource == l.Resource {
				fs = append(fs, f)
			}
		}
		gaps := 0
		for k := range run.unchecked {
			if k.sub == l.Subscription && k.res == l.Resource {
				gaps++
			}
		}
		switch {
		case len(fs) == 0 && gaps == 0:
			fmt.Fprintln(w, "  no findings, and every detector saw all the telemetry it reads")
		case len(fs) == 0:
			fmt.Fprintf(w, "  no findings, but %s lacked telemetry: not proof of a clean tenant\n", text.Plural(gaps, "detector"))
		}
		c := customerOf(customers, l.Subscription)
		for _, f := range fs {
			fmt.Fprintf(w, "  %s: severity %v (%s), confidence %d%%, %s, seen in %d windows %s to %s\n", f.Type, f.Severity, f.Level(),
				f.Confidence, f.Direction, f.Windows, f.FirstSeen.Format("15:04"), f.LastSeen.Format("15:04"))
			fmt.Fprintf(w, "    %s\n", f.Summary)
			fmt.Fprintf(w, "    evidence: %s\n", evidenceText(f.Evidence))
			r := enf.Recommend(f, c, run.last)
			trusted := ""
			if c.Trusted {
				trusted = " (a trusted customer)"
			}
			fmt.Fprintf(w, "  -> %s%s by %s because %s\n", r.Action, trusted, r.Deadline.Format("15:04 MST"), strings.Join(r.Reasons, ", "))
			fmt.Fprintf(w, "     steps: %s\n", joinSteps(r.Steps))
			fmt.Fprintf(w, "     idempotency key: %s\n", r.IdempotencyKey)
		}
	}

	counts := map[abuse.Enforcement]int{}
	for _, f := range run.findings {
		counts[enf.Recommend(f, customerOf(customers, f.Subscription), run.last).Action]++
	}
	fmt.Fprintf(w, "\nthe whole sample: %s: suspend %d, throttle %d, notify %d; %d resources not fully checked\n",
		text.Plural(len(run.findings), "finding"), counts[abuse.Suspend], counts[abuse.Throttle], counts[abuse.Notify], len(uncheckedResources(run)))
	fmt.Fprintln(w, "more: riskctl abuse (table), riskctl abuse -json, riskctl abuse -subscription "+labelsFor(labels, "miner"))
	return nil
}

func labelsFor(labels []telemetryLabel, scenario string) string {
	for _, l := range labels {
		if l.Scenario == scenario {
			return l.Subscription
		}
	}
	return ""
}

func uncheckedResources(run *abuseRun) map[[2]string]bool {
	out := map[[2]string]bool{}
	for k := range run.unchecked {
		out[[2]string{k.sub, k.res}] = true
	}
	return out
}

// evidenceText formats a finding's counts and amounts as name=value pairs.
func evidenceText(ev abuse.Evidence) string {
	var parts []string
	for _, k := range sortedKeys(ev.Counts) {
		parts = append(parts, fmt.Sprintf("%s=%d", k, ev.Counts[k]))
	}
	for _, k := range sortedKeys(ev.Amounts) {
		parts = append(parts, fmt.Sprintf("%s=%s", k, ev.Amounts[k]))
	}
	return strings.Join(parts, " ")
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func joinSteps(s []abuse.Step) string {
	names := make([]string, len(s))
	for i, x := range s {
		names[i] = string(x)
	}
	return strings.Join(names, ", ")
}
