package abuse

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// State is what a [Monitor] remembers between windows: the open findings
// and each resource's history. It is plain data that round-trips through
// JSON; the host stores it and passes it back with the next window. The
// zero State is empty and ready to use.
type State struct {
	// Findings are the open findings, sorted by subscription, resource,
	// type, direction, subject and first sighting.
	Findings []Finding `json:"findings,omitzero"`
	// Baselines are the resources' histories, sorted by subscription and
	// resource.
	Baselines []Baseline `json:"baselines,omitzero"`
	// Allowances are authorised activities the host supplies and manages;
	// the monitor applies them (see [Allowance]) and passes them on
	// unchanged, expired ones included.
	Allowances []Allowance `json:"allowances,omitzero"`
}

// Baseline is one resource's history, built from the windows with flow
// telemetry. Averages start as plain means and become exponential moving
// averages with weight 1/8 after eight windows, so that a resource's
// normal drifts slowly. Windows that produced a medium or high spam finding
// are not folded into the averages, so that a spammer does not become its
// own baseline at once.
//
// Sending that stays steady is remembered whatever it was reported as: the
// Steady fields count the windows with delivered SMTP whose flows and
// recipient servers each stayed within a factor of two of their running
// mean (windows without mail neither extend nor break the run). When a run
// reaches [SpamConfig.WarmUpWindows] windows, its means become the
// resource's SMTP baseline if it has none yet or if they differ from it by
// more than a factor of two: a sender that has behaved the same way for
// that long is judged against that behaviour from then on.
//
// A host that knows better, for example a vetted mail server, may set a
// baseline itself: it is plain data.
type Baseline struct {
	Subscription string `json:"subscription"`
	Resource     string `json:"resource,omitzero"`
	// Windows counts the windows with flow telemetry folded in.
	Windows int64 `json:"windows"`
	// SMTPWindows counts those with outbound SMTP. A resource with at least
	// [SpamConfig.WarmUpWindows] of them has an established baseline.
	SMTPWindows int64 `json:"smtp_windows,omitzero"`
	// SMTPFlows and SMTPRecipients are the average outbound SMTP flows and
	// distinct recipient servers per window.
	SMTPFlows      float64 `json:"smtp_flows,omitzero"`
	SMTPRecipients float64 `json:"smtp_recipients,omitzero"`
	// SteadyWindows counts the current run of steady sending, and
	// SteadyFlows and SteadyRecipients are its means.
	SteadyWindows    int64   `json:"steady_windows,omitzero"`
	SteadyFlows      float64 `json:"steady_flows,omitzero"`
	SteadyRecipients float64 `json:"steady_recipients,omitzero"`
	// Probes are the public hosts the resource failed to connect to,
	// with the ports, kept for [HackingConfig.SlowScanWindow] so that a
	// scan too slow for one window is seen across several.
	Probes []Probe `json:"probes,omitzero"`
	// Through is the end of the latest window observed; a window ending no
	// later is not observed again.
	Through time.Time `json:"through,omitzero"`
}

// established reports whether the baseline has enough windows of mail to
// judge a spike against.
func (b *Baseline) established(warmUp int64) bool { return b.SMTPWindows >= warmUp }

// baselineRetention is how long a resource's baseline is kept after its
// last window.
const baselineRetention = 30 * 24 * time.Hour

// Result is what one evaluation of a window of telemetry produced: the new
// state, what the window showed, and when time alone changes the state.
type Result struct {
	// State is the new state: store it, and pass it back as prev with the
	// next window.
	State State `json:"state"`
	// Subscription, Resource and Window name the window evaluated.
	Subscription string   `json:"subscription"`
	Resource     string   `json:"resource,omitzero"`
	Window       Interval `json:"window"`
	// Findings are the findings the window opened or updated, as they now
	// stand in the state, sorted like [State.Findings].
	Findings []Finding `json:"findings,omitzero"`
	// Unchecked lists the detectors that could not look at the window, or
	// looked at only part of it, because telemetry was missing. A window
	// without findings is clean only for the detectors not listed here.
	Unchecked []Unchecked `json:"unchecked,omitzero"`
	// Failures lists detectors that panicked or returned invalid findings;
	// their findings were dropped.
	Failures []DetectorFailure `json:"failures,omitzero"`
	// StoodDown lists the findings an [Allowance] covered, with the
	// allowance: why a detector stood down.
	StoodDown []StandDown `json:"stood_down,omitzero"`
	// Next is the earliest instant at which evaluating again, with any
	// window, drops something from the state by time alone: a finding
	// is dropped by an evaluation after its last sighting plus
	// [Config.QuietPeriod], a baseline 30 days after its last window.
	// Next is that instant plus one nanosecond, the first at which the
	// drop happens. It is zero when the new state holds neither findings
	// nor baselines: then nothing in it expires. Nothing else changes
	// with time alone: the monitor looks only at the windows it is given.
	Next time.Time `json:"next,omitzero"`
}

// Unchecked is a detector that could not fully examine a window.
type Unchecked struct {
	Detector string `json:"detector"`
	// Missing lists the telemetry sources that were not collected.
	Missing []Source `json:"missing"`
	// Partial reports whether the detector ran without them; if false it
	// did not run at all.
	Partial bool `json:"partial,omitzero"`
	// Gaps says, in words, what the detector could not check although it
	// ran, as its [GapReporter] reported: facts a record left out, or
	// records too coarse for what it looks for.
	Gaps []string `json:"gaps,omitzero"`
}

// DetectorFailure is a detector that misbehaved on a window.
type DetectorFailure struct {
	Detector string `json:"detector"`
	Err      string `json:"error"`
}

// Monitor runs detectors over windows of telemetry and keeps their
// findings. Build one with [New]; it is immutable, bound to its
// configuration, and safe for concurrent use; the state it works on is
// passed in and returned. The zero Monitor is not usable: its methods
// return an error.
type Monitor struct {
	cfg       Config
	detectors []Detector
}

// New checks cfg once, fills in its defaults, and returns a monitor
// running the built-in detectors it configures (see [Detectors]) followed
// by the custom detectors, in that order. Detector names must be unique.
// The error is a *[risk.DocumentError] wrapping [ErrInvalidConfig] that
// lists every problem.
func New(cfg Config, custom ...Detector) (*Monitor, error) {
	c, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	ds, err := Detectors(c)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	for _, d := range ds {
		seen[d.Name()] = true
	}
	is := issues{sentinel: ErrInvalidConfig}
	for i, d := range custom {
		path := fmt.Sprintf("custom[%d]", i)
		switch {
		case d == nil:
			is.add(path, "custom detector %d is nil", i)
		case d.Name() == "":
			is.add(path, "custom detector %d has no name", i)
		case seen[d.Name()]:
			is.add(path, "two detectors are named %q", d.Name())
		default:
			seen[d.Name()] = true
			ds = append(ds, d)
		}
	}
	if err := is.err("config", nil); err != nil {
		return nil, err
	}
	return &Monitor{cfg: c, detectors: ds}, nil
}

// Config returns the monitor's configuration with every default filled in.
func (m *Monitor) Config() Config { return m.cfg }

// Detectors returns the names of the detectors the monitor runs, in order.
func (m *Monitor) Detectors() []string {
	names := make([]string, len(m.detectors))
	for i, d := range m.detectors {
		names[i] = d.Name()
	}
	return names
}

var errNilMonitor = errors.New("abuse: nil or zero *Monitor; make one with New")

// Evaluate runs every detector over one window of telemetry and merges
// what they find into prev, returning the new state, what the window
// showed, and when time alone next changes the state ([Result.Next]).
//
// Detectors whose [Traits] say SubscriptionWide run only on windows of the
// whole subscription (empty Resource). The others run on every window
// except an account window: a subscription-wide window that carries none of
// the telemetry resources produce (cpu, gpu, flows, dns, processes, auth,
// hosted). Such a window is not reported as unchecked for them; the
// resources' own windows report their coverage.
//
// A finding that continues one already open (same subscription, resource,
// type, direction and subject, last seen no more than [Config.QuietPeriod]
// before) updates it: its ID and first sighting stay, its last sighting,
// count and windows grow, its severity and confidence never drop, and its
// evidence and summary become the latest window's. Giving the same window
// twice changes nothing the second time. Findings and baselines not seen
// for longer than the quiet period, or 30 days for baselines, before now are
// dropped.
//
// Evaluate returns an error, and no result, when in is nil, when the
// telemetry is invalid (a *[risk.DocumentError] wrapping
// [ErrInvalidTelemetry]; see [Telemetry.Validate]) or when prev holds an
// invalid allowance ([ErrInvalidState]). prev is not modified.
func (m *Monitor) Evaluate(prev State, in *Telemetry, now time.Time) (Result, error) {
	if m == nil || m.detectors == nil {
		return Result{}, errNilMonitor
	}
	if in == nil {
		return Result{}, errors.New("abuse: no telemetry")
	}
	t := in
	if err := t.Validate(); err != nil {
		return Result{}, err
	}
	is := issues{sentinel: ErrInvalidState}
	for i := range prev.Allowances {
		prev.Allowances[i].check(&is, fmt.Sprintf("allowances[%d]", i))
	}
	if err := is.err("state", nil); err != nil {
		return Result{}, err
	}
	allowed := allowancesFor(m.cfg.Allowances, prev.Allowances, t)
	rep := Result{Subscription: t.Subscription, Resource: t.Resource, Window: t.Window}
	base := prev.baseline(t.Subscription, t.Resource)
	din := &DetectorInput{Telemetry: t, Baseline: &base}

	accountOnly := t.Resource == "" && !slices.ContainsFunc(resourceSources(), t.Has)
	var found []Finding
	for _, d := range m.detectors {
		tr := TraitsOf(d)
		if (tr.SubscriptionWide && t.Resource != "") || (!tr.SubscriptionWide && accountOnly) {
			continue
		}
		var missing, optMissing []Source
		for _, s := range d.Sources() {
			if !t.Has(s) {
				missing = append(missing, s)
			}
		}
		for _, s := range tr.Optional {
			if !t.Has(s) {
				optMissing = append(optMissing, s)
			}
		}
		if len(missing) > 0 || (len(d.Sources()) == 0 && len(tr.Optional) > 0 && len(optMissing) == len(tr.Optional)) {
			rep.Unchecked = append(rep.Unchecked, Unchecked{Detector: d.Name(), Missing: append(missing, optMissing...)})
			continue
		}
		fs, gaps, err := runDetector(d, din)
		if len(optMissing) > 0 || len(gaps) > 0 {
			rep.Unchecked = append(rep.Unchecked, Unchecked{Detector: d.Name(), Missing: optMissing, Partial: true, Gaps: gaps})
		}
		if err == nil {
			for i := range fs {
				if err = CheckFinding(&fs[i], t.Window); err != nil {
					break
				}
			}
		}
		if err != nil {
			rep.Failures = append(rep.Failures, DetectorFailure{Detector: d.Name(), Err: err.Error()})
			continue
		}
		if len(allowed) > 0 && len(fs) > 0 {
			var downs []StandDown
			fs, downs = standDown(d, din, fs, allowed)
			for i := range downs {
				downs[i].Finding.Subscription, downs[i].Finding.Resource = t.Subscription, t.Resource
			}
			rep.StoodDown = append(rep.StoodDown, downs...)
		}
		found = append(found, fs...)
	}

	next := State{Findings: slices.Clone(prev.Findings), Baselines: slices.Clone(prev.Baselines), Allowances: prev.Allowances}
	slices.SortFunc(next.Baselines, compareBaselines)
	byKey := map[string]int{}
	for i := range next.Findings {
		byKey[next.Findings[i].dedupKey()] = i
	}
	touched := map[string]bool{}
	spam := false
	for _, f := range found {
		f.Subscription, f.Resource = t.Subscription, t.Resource
		if f.Category == Spam && f.Severity.Level() != Low {
			spam = true
		}
		k := f.dedupKey()
		if i, ok := byKey[k]; ok && !next.Findings[i].LastSeen.Before(f.FirstSeen.Add(-m.cfg.QuietPeriod)) {
			old := &next.Findings[i]
			if !t.Window.End.After(old.LastWindow) {
				continue // this window was applied already
			}
			upd := *old
			if f.LastSeen.After(upd.LastSeen) {
				upd.LastSeen = f.LastSeen
			}
			upd.Count = satAdd(upd.Count, f.Count)
			upd.Windows++
			upd.LastWindow = t.Window.End
			upd.Severity = max(upd.Severity, f.Severity)
			upd.Confidence = max(upd.Confidence, f.Confidence)
			upd.Summary, upd.Evidence, upd.Category = f.Summary, f.Evidence, f.Category
			*old = upd
			touched[old.ID] = true
			continue
		}
		f.Windows, f.LastWindow = 1, t.Window.End
		f.ID = findingID(&f)
		byKey[k] = len(next.Findings)
		next.Findings = append(next.Findings, f)
		touched[f.ID] = true
	}

	if t.Has(SourceFlows) && t.Window.End.After(base.Through) {
		s := smtpStats(t)
		if !spam {
			base.fold(s.flows, s.recipients)
		}
		base.steady(s.flows, s.recipients, m.cfg.Spam.WarmUpWindows)
		base.addProbes(windowProbes(t, 2), t.Window.End, m.cfg.Hacking.SlowScanWindow, m.cfg.Hacking.SlowScanPorts)
		base.Through = t.Window.End
		next.putBaseline(base)
	}

	cutoff := now.Add(-m.cfg.QuietPeriod)
	next.Findings = slices.DeleteFunc(next.Findings, func(f Finding) bool { return f.LastSeen.Before(cutoff) && !touched[f.ID] })
	bcut := now.Add(-baselineRetention)
	next.Baselines = slices.DeleteFunc(next.Baselines, func(b Baseline) bool { return b.Through.Before(bcut) })
	slices.SortFunc(next.Findings, compareFindings)
	for _, f := range next.Findings {
		if touched[f.ID] {
			rep.Findings = append(rep.Findings, f)
		}
	}
	if len(next.Findings) == 0 {
		next.Findings = nil
	}
	if len(next.Baselines) == 0 {
		next.Baselines = nil
	}
	rep.State = next
	rep.Next = next.expiry(m.cfg.QuietPeriod)
	return rep, nil
}

// expiry returns the first instant at which an evaluation drops a finding
// or a baseline of s by time alone, or the zero time when s holds none.
func (s *State) expiry(quiet time.Duration) time.Time {
	var first time.Time
	earliest := func(t time.Time) {
		if first.IsZero() || t.Before(first) {
			first = t
		}
	}
	for i := range s.Findings {
		earliest(s.Findings[i].LastSeen.Add(quiet))
	}
	for i := range s.Baselines {
		earliest(s.Baselines[i].Through.Add(baselineRetention))
	}
	if first.IsZero() {
		return first
	}
	// An evaluation drops what it finds strictly before now minus the
	// retention: the drop happens one nanosecond after.
	return first.Add(time.Nanosecond)
}

// resourceSources are the telemetry sources that describe what resources
// do, as opposed to facts about the account.
func resourceSources() []Source {
	return []Source{SourceCPU, SourceGPU, SourceFlows, SourceDNS, SourceProcesses, SourceAuth, SourceHosted}
}

// runDetector calls d and, when it reports gaps, asks for them, turning a
// panic into an error so that one faulty custom detector cannot take the
// host down.
func runDetector(d Detector, in *DetectorInput) (fs []Finding, gaps []string, err error) {
	defer func() {
		if r := recover(); r != nil {
			fs, gaps, err = nil, nil, fmt.Errorf("abuse: detector %s panicked: %v", d.Name(), r)
		}
	}()
	if g, ok := d.(GapReporter); ok {
		fs, gaps = g.DetectGaps(in)
		return fs, gaps, nil
	}
	return d.Detect(in), nil, nil
}

// CheckFinding reports whether a finding a detector returned for window w
// is well formed: a type and a valid category, a severity between 1.0 and
// 8.9, a confidence between 1 and 100, a direction, first and last
// sightings inside the window in order, and a positive count.
func CheckFinding(f *Finding, w Interval) error {
	var probs []string
	if f.Type == "" {
		probs = append(probs, "type is empty")
	}
	if !slices.Contains(Categories(), f.Category) {
		probs = append(probs, fmt.Sprintf("category %q is not valid", f.Category))
	}
	if !f.Severity.Valid() {
		probs = append(probs, fmt.Sprintf("severity %v is not between 1.0 and 8.9", f.Severity))
	}
	if f.Confidence < 1 || f.Confidence > 100 {
		probs = append(probs, fmt.Sprintf("confidence %d is not between 1 and 100", f.Confidence))
	}
	switch f.Direction {
	case NoDirection, Inbound, Outbound:
	default:
		probs = append(probs, fmt.Sprintf("direction %q is not valid", f.Direction))
	}
	if f.FirstSeen.Before(w.Start) || f.LastSeen.After(w.End) || f.LastSeen.Before(f.FirstSeen) {
		probs = append(probs, fmt.Sprintf("first and last seen %s, %s are not in order inside the window %s to %s",
			f.FirstSeen.Format(time.RFC3339Nano), f.LastSeen.Format(time.RFC3339Nano), w.Start.Format(time.RFC3339), w.End.Format(time.RFC3339)))
	}
	if f.Count < 1 {
		probs = append(probs, fmt.Sprintf("count %d is not positive", f.Count))
	}
	if len(f.Evidence.Samples) > MaxSamples {
		probs = append(probs, fmt.Sprintf("%d samples, more than %d", len(f.Evidence.Samples), MaxSamples))
	}
	if len(probs) == 0 {
		return nil
	}
	return fmt.Errorf("abuse: finding %q: %s", f.Type, strings.Join(probs, "; "))
}

func compareFindings(a, b Finding) int {
	return cmp.Or(
		cmp.Compare(a.Subscription, b.Subscription),
		cmp.Compare(a.Resource, b.Resource),
		cmp.Compare(a.Type, b.Type),
		cmp.Compare(a.Direction, b.Direction),
		cmp.Compare(a.Subject, b.Subject),
		a.FirstSeen.Compare(b.FirstSeen),
		cmp.Compare(a.ID, b.ID),
	)
}

// baseline returns a copy of the resource's baseline, or a new one.
func (s *State) baseline(sub, res string) Baseline {
	for _, b := range s.Baselines {
		if b.Subscription == sub && b.Resource == res {
			return b
		}
	}
	return Baseline{Subscription: sub, Resource: res}
}

// putBaseline stores b, replacing the resource's old baseline.
func (s *State) putBaseline(b Baseline) {
	i, found := slices.BinarySearchFunc(s.Baselines, b, compareBaselines)
	if found {
		s.Baselines[i] = b
		return
	}
	s.Baselines = slices.Insert(s.Baselines, i, b)
}

func compareBaselines(x, y Baseline) int {
	return cmp.Or(cmp.Compare(x.Subscription, y.Subscription), cmp.Compare(x.Resource, y.Resource))
}

// fold adds one window's SMTP figures to the averages.
func (b *Baseline) fold(flows, recipients int64) {
	b.Windows++
	if flows > 0 {
		b.SMTPWindows++
	}
	w := 1 / float64(min(b.Windows, 8))
	b.SMTPFlows += (float64(flows) - b.SMTPFlows) * w
	b.SMTPRecipients += (float64(recipients) - b.SMTPRecipients) * w
}

// steady extends or restarts the run of steady sending and, when the run
// is long enough, makes it the baseline.
func (b *Baseline) steady(flows, recipients, warmUp int64) {
	if flows <= 0 {
		return
	}
	f, r := float64(flows), float64(recipients)
	if b.SteadyWindows > 0 && near(f, b.SteadyFlows) && near(r, b.SteadyRecipients) {
		b.SteadyWindows++
		w := 1 / float64(b.SteadyWindows)
		b.SteadyFlows += (f - b.SteadyFlows) * w
		b.SteadyRecipients += (r - b.SteadyRecipients) * w
	} else {
		b.SteadyWindows, b.SteadyFlows, b.SteadyRecipients = 1, f, r
	}
	if b.SteadyWindows < warmUp {
		return
	}
	if b.established(warmUp) && near(b.SteadyFlows, b.SMTPFlows) && near(b.SteadyRecipients, b.SMTPRecipients) {
		return
	}
	b.SMTPWindows = max(b.SMTPWindows, b.SteadyWindows)
	b.Windows = max(b.Windows, b.SMTPWindows)
	b.SMTPFlows, b.SMTPRecipients = b.SteadyFlows, b.SteadyRecipients
}

// near reports whether x is within a factor of two of mean.
func near(x, mean float64) bool { return x <= 2*mean && 2*x >= mean }
