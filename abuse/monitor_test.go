package abuse_test

import (
	"encoding/json"
	"errors"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/riskkit/riskkit/abuse"
)

// miner returns an hour of telemetry from a resource running xmrig.
func miner(start time.Time) *abuse.Telemetry {
	return with(window(start),
		withProcess("xmrig", "xmrig -o stratum+tcp://pool.supportxmr.com:3333"),
		withDNS("", "pool.supportxmr.com"),
		withFlows(out(start.Add(2*time.Minute), public(7), 3333)),
		withUse(true, 99, 0.5, 50*time.Minute))
}

func mustMonitor(t testing.TB, cfg abuse.Config, custom ...abuse.Detector) *abuse.Monitor {
	t.Helper()
	m, err := abuse.New(cfg, custom...)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestMonitorDedup steps one resource through windows: activity that
// continues updates its finding, a replayed window changes nothing, and
// activity after a quiet period opens a new finding.
func TestMonitorDedup(t *testing.T) {
	m := mustMonitor(t, abuse.Config{})
	later := t0.Add(30 * time.Hour)
	type want struct {
		Reported  int   // findings in the report
		Open      int   // findings in the state
		Windows   int64 // windows of the reported finding
		Count     int64
		SameID    bool // the reported finding has the first finding's ID
		FirstSeen time.Time
	}
	steps := []struct {
		name   string
		reason string
		tel    *abuse.Telemetry
		now    time.Time
		want   want
	}{
		{"t0 miner", "the first window opens a finding", miner(t0), t1,
			want{Reported: 1, Open: 1, Windows: 1, Count: 3, SameID: true, FirstSeen: t0}},
		{"t1 miner", "the same activity continuing updates it", miner(t1), t2,
			want{Reported: 1, Open: 1, Windows: 2, Count: 6, SameID: true, FirstSeen: t0}},
		{"t1 again", "a window given twice is applied once", miner(t1), t2,
			want{Reported: 0, Open: 1}},
		{"t2 clean", "a clean window within the quiet period keeps the finding open", window(t2), t3,
			want{Reported: 0, Open: 1}},
		{"30h later", "after a quiet period of 24 hours the activity is a new finding and the old one is closed",
			miner(later), later.Add(time.Hour),
			want{Reported: 1, Open: 1, Windows: 1, Count: 3, SameID: false, FirstSeen: later}},
	}
	var st abuse.State
	var firstID string
	for _, s := range steps {
		next, rep, err := evaluate(m, st, s.tel, s.now)
		if err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		got := want{Reported: len(rep.Findings), Open: len(next.Findings)}
		if len(rep.Findings) > 0 {
			f := rep.Findings[0]
			if firstID == "" {
				firstID = f.ID
			}
			got.Windows, got.Count, got.SameID, got.FirstSeen = f.Windows, f.Count, f.ID == firstID, f.FirstSeen
		}
		if diff := cmpDiff(s.want, got); diff != "" {
			t.Errorf("%s: %s (-want +got):\n%s", s.name, s.reason, diff)
		}
		st = next
	}
}

func TestMonitorMissingTelemetry(t *testing.T) {
	m := mustMonitor(t, abuse.Config{})
	tel := with(window(t0), func(t *abuse.Telemetry) { t.Collected = []abuse.Source{abuse.SourceFlows}; t.Resource = "" })
	_, rep, err := evaluate(m, abuse.State{}, tel, t1)
	if err != nil {
		t.Fatal(err)
	}
	want := []abuse.Unchecked{
		{Detector: "mining", Missing: []abuse.Source{abuse.SourceDNS, abuse.SourceProcesses, abuse.SourceCPU, abuse.SourceGPU}, Partial: true},
		{Detector: "hacking", Missing: []abuse.Source{abuse.SourceAuth}, Partial: true},
		{Detector: "malware", Missing: []abuse.Source{abuse.SourceHosted, abuse.SourceDNS}},
		{Detector: "resale", Missing: []abuse.Source{abuse.SourceSignIns, abuse.SourceAccount, abuse.SourceActivity}},
		{Detector: "theft", Missing: []abuse.Source{abuse.SourceAccount, abuse.SourceActivity}},
	}
	if diff := cmpDiff(want, rep.Unchecked); diff != "" {
		t.Errorf("a window with only flows is unchecked, not clean, for the other detectors (-want +got):\n%s", diff)
	}

	// Subscription-wide detectors do not look at one resource's window.
	tel.Resource = "vm-1"
	_, rep, _ = evaluate(m, abuse.State{}, tel, t1)
	if diff := cmpDiff(want[:3], rep.Unchecked); diff != "" {
		t.Errorf("a resource's window is reported unchecked for subscription-wide detectors (-want +got):\n%s", diff)
	}

	// An account window carries no resource telemetry: the resource
	// detectors do not apply to it, and the subscription-wide ones say what
	// they lacked.
	acct := &abuse.Telemetry{Subscription: "sub-1", Window: abuse.Interval{Start: t0, End: t1},
		Collected: []abuse.Source{abuse.SourceSignIns}, SignIns: []abuse.SignIn{{Time: t0, User: "u", Tenant: "t"}}}
	_, rep, _ = evaluate(m, abuse.State{}, acct, t1)
	wantAcct := []abuse.Unchecked{
		{Detector: "resale", Missing: []abuse.Source{abuse.SourceAccount, abuse.SourceActivity}, Partial: true},
		{Detector: "theft", Missing: []abuse.Source{abuse.SourceAccount, abuse.SourceActivity}},
	}
	if diff := cmpDiff(wantAcct, rep.Unchecked); diff != "" {
		t.Errorf("account window (-want +got):\n%s", diff)
	}

	// Without process and DNS telemetry a miner cannot be confirmed: the
	// report must say why, not call the resource clean.
	_, rep, _ = evaluate(m, abuse.State{}, with(miner(t0), without(abuse.SourceProcesses, abuse.SourceDNS)), t1)
	if len(rep.Findings) != 0 || len(rep.Unchecked) == 0 || rep.Unchecked[0].Detector != "mining" ||
		!slices.Equal(rep.Unchecked[0].Missing, []abuse.Source{abuse.SourceDNS, abuse.SourceProcesses}) {
		t.Errorf("report = %+v, want no finding and mining partly checked, missing dns and processes", rep)
	}

	// Records prove collection even when Collected does not list them.
	tel = with(window(t0), func(t *abuse.Telemetry) { t.Collected = nil }, withDNS("", "example.com"))
	_, rep, _ = evaluate(m, abuse.State{}, tel, t1)
	for _, u := range rep.Unchecked {
		for _, s := range u.Missing {
			if s == abuse.SourceDNS {
				t.Errorf("%s lists dns as missing although the window has lookups", u.Detector)
			}
		}
	}
}

func TestMonitorSpamBaseline(t *testing.T) {
	m := mustMonitor(t, abuse.Config{Spam: abuse.SpamConfig{WarmUpWindows: 2}})
	var st abuse.State
	steps := []struct {
		name   string
		tel    *abuse.Telemetry
		types  []string
		smtpWs int64
		flows  float64
	}{
		{"t0 quiet", with(window(t0), withFlows(out(t0, public(1), 443))), nil, 0, 0},
		{"t1 a few mails", with(window(t1), smtp(20, 4)), []string{"spam.first_smtp"}, 1, 10},
		{"t2 usual", with(window(t2), smtp(20, 4)), []string{"spam.new_sender"}, 2, 40.0 / 3},
		{"t3 blast", with(window(t3), smtp(2000, 300)), []string{"spam.volume_spike"}, 2, 40.0 / 3},
	}
	for _, s := range steps {
		next, rep, err := evaluate(m, st, s.tel, s.tel.Window.End)
		if err != nil {
			t.Fatal(err)
		}
		var types []string
		for _, f := range rep.Findings {
			types = append(types, f.Type)
		}
		if diff := cmpDiff(s.types, types); diff != "" {
			t.Errorf("%s: findings (-want +got):\n%s", s.name, diff)
		}
		b := next.Baselines[0]
		if b.SMTPWindows != s.smtpWs || math.Abs(b.SMTPFlows-s.flows) > 1e-9 {
			t.Errorf("%s: baseline has %d SMTP windows averaging %v flows, want %d and %v (a spike must not become the baseline)",
				s.name, b.SMTPWindows, b.SMTPFlows, s.smtpWs, s.flows)
		}
		st = next
	}
}

// TestMonitorSteadySender follows a sender with no stored history that
// sends 600 flows to 60 mail servers every hour: first SMTP once, a new
// sender through the warm-up, and judged against its own baseline after
// it, even though every warm-up window was a medium finding.
func TestMonitorSteadySender(t *testing.T) {
	m := mustMonitor(t, abuse.Config{})
	warm := m.Config().Spam.WarmUpWindows
	var st abuse.State
	for h := range warm + 3 {
		at := t0.Add(time.Duration(h) * time.Hour)
		tel := with(window(at), smtp(600, 60))
		if h == warm+2 {
			tel = with(window(at), smtp(3000, 700))
		}
		next, rep, err := evaluate(m, st, tel, tel.Window.End)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, f := range rep.Findings {
			got = append(got, f.Type+" "+string(f.Level()))
		}
		var want []string
		switch {
		case h == 0:
			want = []string{"spam.first_smtp medium"}
		case h < warm:
			want = []string{"spam.new_sender medium"}
		case h == warm+2:
			want = []string{"spam.volume_spike medium"}
		}
		if diff := cmpDiff(want, got); diff != "" {
			t.Errorf("hour %d: findings (-want +got):\n%s", h, diff)
		}
		b := next.Baselines[0]
		if h < warm && b.SteadyWindows != h+1 {
			t.Errorf("hour %d: %d steady windows recorded, want %d: windows with medium findings count towards the warm-up", h, b.SteadyWindows, h+1)
		}
		if h >= warm-1 && h < warm+2 && (b.SMTPWindows < warm || b.SMTPFlows != 600 || b.SMTPRecipients != 60) {
			t.Errorf("hour %d: baseline %d windows of %v flows to %v servers, want the steady sending as an established baseline", h, b.SMTPWindows, b.SMTPFlows, b.SMTPRecipients)
		}
		st = next
	}
}

// TestSpamDeliveredOnly checks that refused connections are not mail and
// that submission ports are looked at.
func TestSpamDeliveredOnly(t *testing.T) {
	refused := func(n int) func(*abuse.Telemetry) {
		return func(t *abuse.Telemetry) {
			for i := range n {
				t.Flows = append(t.Flows, failed(t.Window.Start.Add(time.Duration(i)*time.Second), abuse.Outbound, public(i), 25))
			}
		}
	}
	submit := func(n, servers int, port uint16) func(*abuse.Telemetry) {
		return func(t *abuse.Telemetry) {
			for i := range n {
				t.Flows = append(t.Flows, out(t.Window.Start.Add(time.Duration(i)*time.Second), public(i%servers), port))
			}
		}
	}
	cases := []detectorCase{
		{
			name:   "a scan touching port 25",
			reason: "300 refused connections to port 25 deliver no mail",
			tel:    with(window(t0), refused(300)),
		},
		{
			name:   "partly refused",
			reason: "a record of 4 connections with 3 failed delivered one",
			tel: with(window(t0), withFlows(abuse.Flow{Time: t0, Direction: abuse.Outbound, Remote: public(1), Port: 25,
				Protocol: abuse.TCP, Packets: 40, Bytes: 9000, Flows: 4, Failed: 3})),
			want: []brief{{"spam.first_smtp", 30, 40, abuse.Outbound, 1}},
		},
		{
			name:   "submission to the provider",
			reason: "an application relaying through its provider's few servers",
			tel:    with(window(t0), submit(400, 3, 587)),
		},
		{
			name:   "submission spread",
			reason: "submission to 10 servers is stolen credentials tried on many providers",
			tel:    with(window(t0), submit(40, 10, 465)),
			want:   []brief{{"spam.submission_spread", 50, 55, abuse.Outbound, 40}},
		},
		{
			name:   "submission just short of spread",
			reason: "9 servers",
			tel:    with(window(t0), submit(40, 9, 587)),
		},
	}
	runCases(t, "spam", cases)
}

func TestStateRoundTrip(t *testing.T) {
	m := mustMonitor(t, abuse.Config{})
	st, _, err := evaluate(m, abuse.State{}, miner(t0), t1)
	if err != nil {
		t.Fatal(err)
	}
	st, _, _ = evaluate(m, st, with(window(t0), func(t *abuse.Telemetry) { t.Resource = "vm-2" }, smtp(5, 2)), t1)
	b, err := json.Marshal(st)
	if err != nil {
		t.Fatal(err)
	}
	var back abuse.State
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if diff := cmpDiff(st, back); diff != "" {
		t.Fatalf("state does not round-trip through JSON (-before +after):\n%s", diff)
	}
	a1, r1, _ := evaluate(m, st, miner(t1), t2)
	a2, r2, _ := evaluate(m, back, miner(t1), t2)
	if diff := cmpDiff(a1, a2); diff != "" {
		t.Errorf("decoded state behaves differently (-original +decoded):\n%s", diff)
	}
	if diff := cmpDiff(r1, r2); diff != "" {
		t.Errorf("decoded state reports differently (-original +decoded):\n%s", diff)
	}
}

// misbehaving is a custom detector that panics or returns bad findings.
type misbehaving struct{ panics bool }

func (m misbehaving) Name() string {
	if m.panics {
		return "panicky"
	}
	return "sloppy"
}
func (misbehaving) Sources() []abuse.Source { return nil }
func (m misbehaving) Detect(in *abuse.DetectorInput) []abuse.Finding {
	if m.panics {
		var p *abuse.Telemetry
		_ = p.Subscription
	}
	return []abuse.Finding{{Type: "x", Category: abuse.Spam, Severity: 95, Confidence: 50, Count: 1,
		FirstSeen: in.Telemetry.Window.Start, LastSeen: in.Telemetry.Window.Start}}
}

func TestMonitorContainsFaultyDetectors(t *testing.T) {
	m := mustMonitor(t, abuse.Config{}, misbehaving{panics: true}, misbehaving{})
	st, rep, err := evaluate(m, abuse.State{}, miner(t0), t1)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Failures) != 2 || !strings.Contains(rep.Failures[0].Err, "panicked") || !strings.Contains(rep.Failures[1].Err, "severity 9.5") {
		t.Errorf("failures = %+v, want a panic and an invalid severity", rep.Failures)
	}
	if len(st.Findings) != 1 || st.Findings[0].Type != "mining.activity" {
		t.Errorf("the built-in findings must survive a faulty custom detector; state has %+v", st.Findings)
	}
}

func TestNewErrors(t *testing.T) {
	for _, tc := range []struct {
		name   string
		cfg    abuse.Config
		custom []abuse.Detector
		want   string
	}{
		{"negative threshold", abuse.Config{Hacking: abuse.HackingConfig{ScanPorts: -1}}, nil, "Hacking.ScanPorts: is negative"},
		{"busy above 100", abuse.Config{Mining: abuse.MiningConfig{BusyPercent: 101}}, nil, "Mining.BusyPercent: 101 is above 100"},
		{"bad domain", abuse.Config{Mining: abuse.MiningConfig{Domains: []string{"pool.example/x"}}}, nil, "Mining.Domains[0]"},
		{"fractional interval", abuse.Config{DoS: abuse.DoSConfig{Interval: 1500 * time.Millisecond}}, nil, "not a whole number of seconds"},
		{"overflowing thresholds", abuse.Config{DoS: abuse.DoSConfig{MegabitsPerSecond: 1 << 60}}, nil, "too large"},
		{"unknown disabled", abuse.Config{Disabled: []string{"mine"}}, nil, `unknown detector "mine"`},
		{"duplicate name", abuse.Config{}, []abuse.Detector{misbehaving{}, misbehaving{}}, `two detectors are named "sloppy"`},
		{"shadowing a built-in", abuse.Config{Disabled: nil}, []abuse.Detector{named("spam")}, `two detectors are named "spam"`},
		{"nil detector", abuse.Config{}, []abuse.Detector{nil}, "custom detector 0 is nil"},
	} {
		_, err := abuse.New(tc.cfg, tc.custom...)
		if !errors.Is(err, abuse.ErrInvalidConfig) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: New() error = %v, want it to mention %q", tc.name, err, tc.want)
		}
	}
	m := mustMonitor(t, abuse.Config{Disabled: []string{"spam", "theft"}}, named("spam"))
	if got := strings.Join(m.Detectors(), ","); got != "mining,dos,hacking,malware,resale,spam" {
		t.Errorf("Detectors() = %s; a disabled built-in frees its name for a custom detector", got)
	}
}

type named string

func (n named) Name() string                              { return string(n) }
func (named) Sources() []abuse.Source                     { return nil }
func (named) Detect(*abuse.DetectorInput) []abuse.Finding { return nil }

func TestEvaluateRejectsInvalidTelemetry(t *testing.T) {
	m := mustMonitor(t, abuse.Config{})
	tel := with(window(t0), withFlows(out(t0.Add(-time.Minute), public(1), 80)), func(t *abuse.Telemetry) { t.Subscription = "" })
	prev := abuse.State{Findings: []abuse.Finding{{ID: "keep"}}}
	res, err := m.Evaluate(prev, tel, t1)
	if !errors.Is(err, abuse.ErrInvalidTelemetry) {
		t.Fatalf("Evaluate accepted a window with no subscription and a record outside it: %v", err)
	}
	for _, want := range []string{"subscription: is required", "flows[0].time: 2026-11-20T09:59:00Z is outside the window"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
	if len(prev.Findings) != 1 || prev.Findings[0].ID != "keep" || res.State.Findings != nil {
		t.Errorf("after an error: prev %+v, result %+v; want prev untouched and no result", prev, res)
	}
	if _, err := m.Evaluate(prev, nil, t1); err == nil {
		t.Error("Evaluate accepted nil telemetry")
	}
	var zero *abuse.Monitor
	if _, err := zero.Evaluate(prev, window(t0), t1); err == nil {
		t.Error("a nil Monitor evaluated")
	}
	if _, err := new(abuse.Monitor).Evaluate(prev, window(t0), t1); err == nil {
		t.Error("a zero Monitor evaluated")
	}
}

// TestEvaluateNext checks that Result.Next is the first instant at which
// time alone drops something from the state, and that evaluating there
// does drop it.
func TestEvaluateNext(t *testing.T) {
	m := mustMonitor(t, abuse.Config{QuietPeriod: 2 * time.Hour})
	res, err := m.Evaluate(abuse.State{}, miner(t0), t1)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.State.Findings) == 0 {
		t.Fatal("the miner made no finding")
	}
	last := res.State.Findings[0].LastSeen
	for _, f := range res.State.Findings {
		last = minTime(last, f.LastSeen)
	}
	if want := last.Add(2*time.Hour + time.Nanosecond); !res.Next.Equal(want) {
		t.Fatalf("Next = %v, want %v, one nanosecond after the quiet period of the earliest last sighting", res.Next, want)
	}
	// An empty window of another subscription lets time pass.
	quiet := &abuse.Telemetry{Subscription: "other", Window: abuse.Interval{Start: t0, End: t1}}
	before, err := m.Evaluate(res.State, quiet, res.Next.Add(-time.Nanosecond))
	if err != nil {
		t.Fatal(err)
	}
	at, err := m.Evaluate(res.State, quiet, res.Next)
	if err != nil {
		t.Fatal(err)
	}
	if len(before.State.Findings) != len(res.State.Findings) || len(at.State.Findings) >= len(res.State.Findings) {
		t.Errorf("findings: %d, %d just before Next, %d at Next; want a drop exactly at Next",
			len(res.State.Findings), len(before.State.Findings), len(at.State.Findings))
	}
	empty, err := m.Evaluate(abuse.State{}, quiet, t1)
	if err != nil || !empty.Next.IsZero() {
		t.Errorf("an empty state: Next %v, %v; want zero", empty.Next, err)
	}
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

// TestDefaultConfig checks that DefaultConfig is the configuration New
// fills in for the zero Config.
func TestDefaultConfig(t *testing.T) {
	m := mustMonitor(t, abuse.Config{})
	def := abuse.DefaultConfig()
	if diff := cmpDiff(def, m.Config()); diff != "" {
		t.Errorf("DefaultConfig differs from what New fills in (-default +new):\n%s", diff)
	}
	if def.QuietPeriod != 24*time.Hour || def.Spam.WarmUpWindows != 24 || len(def.Mining.Ports) == 0 {
		t.Errorf("DefaultConfig = %+v, want the documented defaults", def)
	}
}
