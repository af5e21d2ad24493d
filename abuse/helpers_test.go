package abuse_test

import (
	"cmp"
	"fmt"
	"net/netip"
	"slices"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"
	"github.com/riskkit/riskkit/abuse"
	"github.com/riskkit/riskkit/abuse/abusetest"
)

// cmpDiff compares with the options that see through addresses, money and
// signals.
func cmpDiff(want, got any) string { return gocmp.Diff(want, got, abusetest.Options()...) }

// The fixed instants tests use.
var (
	t0 = time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	t1 = t0.Add(time.Hour)
	t2 = t1.Add(time.Hour)
	t3 = t2.Add(time.Hour)
)

// window returns empty telemetry of subscription "sub-1", resource "vm-1",
// for the hour from start, with every source collected.
func window(start time.Time) *abuse.Telemetry {
	return &abuse.Telemetry{
		Subscription: "sub-1",
		Resource:     "vm-1",
		Window:       abuse.Interval{Start: start, End: start.Add(time.Hour)},
		Collected:    abuse.Sources(),
	}
}

func ip(s string) netip.Addr { return netip.MustParseAddr(s) }

// public returns the n-th address of a block of public documentation space.
func public(n int) netip.Addr {
	return netip.AddrFrom4([4]byte{203, 0, byte(113 + n/250), byte(1 + n%250)})
}

// out returns an outbound flow record.
func out(at time.Time, to netip.Addr, port uint16) abuse.Flow {
	return abuse.Flow{Time: at, Direction: abuse.Outbound, Remote: to, Port: port, Protocol: abuse.TCP, Packets: 10, Bytes: 4000, Flows: 1}
}

// failed returns a failed connection record.
func failed(at time.Time, dir abuse.Direction, remote netip.Addr, port uint16) abuse.Flow {
	return abuse.Flow{Time: at, Direction: dir, Remote: remote, Port: port, Protocol: abuse.TCP, Packets: 1, Bytes: 60, Flows: 1, Failed: 1}
}

// brief is the part of a finding the detector tables compare.
type brief struct {
	Type       string
	Severity   abuse.Severity
	Confidence int
	Direction  abuse.Direction
	Count      int64
}

func (b brief) String() string {
	return fmt.Sprintf("%s %v %d%% %v x%d", b.Type, b.Severity, b.Confidence, b.Direction, b.Count)
}

func briefs(fs []abuse.Finding) []brief {
	var out []brief
	for _, f := range fs {
		out = append(out, brief{f.Type, f.Severity, f.Confidence, f.Direction, f.Count})
	}
	slices.SortFunc(out, func(a, b brief) int {
		return cmp.Or(cmp.Compare(a.Type, b.Type), cmp.Compare(a.Direction, b.Direction))
	})
	return out
}

// detector returns the built-in detector with the given name.
func detector(t testing.TB, name string, cfg abuse.Config) abuse.Detector {
	t.Helper()
	ds, err := abuse.Detectors(cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range ds {
		if d.Name() == name {
			return d
		}
	}
	t.Fatalf("no detector %q", name)
	return nil
}

// detect runs one detector over one window and checks its findings are
// well formed.
func detect(t testing.TB, name string, cfg abuse.Config, tel *abuse.Telemetry, base *abuse.Baseline) []abuse.Finding {
	t.Helper()
	if err := tel.Validate(); err != nil {
		t.Fatalf("test telemetry is invalid: %v", err)
	}
	if base == nil {
		base = &abuse.Baseline{Subscription: tel.Subscription, Resource: tel.Resource}
	}
	fs := detector(t, name, cfg).Detect(&abuse.DetectorInput{Telemetry: tel, Baseline: base})
	for i := range fs {
		if err := abuse.CheckFinding(&fs[i], tel.Window); err != nil {
			t.Errorf("invalid finding: %v", err)
		}
	}
	return fs
}

// detectorCase is one row of a detector's table.
type detectorCase struct {
	name   string
	reason string
	cfg    abuse.Config
	tel    *abuse.Telemetry
	base   *abuse.Baseline
	want   []brief
}

func runCases(t *testing.T, detectorName string, cases []detectorCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := briefs(detect(t, detectorName, tc.cfg, tc.tel, tc.base))
			if diff := cmpDiff(tc.want, got); diff != "" {
				t.Errorf("%s\nfindings (-want +got):\n%s", tc.reason, diff)
			}
		})
	}
}

// with applies changes to a telemetry window and returns it.
func with(t *abuse.Telemetry, changes ...func(*abuse.Telemetry)) *abuse.Telemetry {
	for _, c := range changes {
		c(t)
	}
	return t
}

// withFlows adds flow records.
func withFlows(fs ...abuse.Flow) func(*abuse.Telemetry) {
	return func(t *abuse.Telemetry) { t.Flows = append(t.Flows, fs...) }
}

// withDNS adds lookups of the names.
func withDNS(class abuse.DomainClass, names ...string) func(*abuse.Telemetry) {
	return func(t *abuse.Telemetry) {
		for i, n := range names {
			t.DNS = append(t.DNS, abuse.DNSQuery{Time: t.Window.Start.Add(time.Duration(i) * time.Second), Name: n, Class: class})
		}
	}
}

// withProcess adds a process.
func withProcess(name, cmdline string) func(*abuse.Telemetry) {
	return func(t *abuse.Telemetry) {
		t.Processes = append(t.Processes, abuse.Process{Time: t.Window.Start.Add(time.Minute), Name: name, CommandLine: cmdline})
	}
}

// withUse adds 32 utilisation samples spread evenly over the given span,
// alternating between pct-spread and pct+spread, so that their mean is pct
// and their standard deviation spread.
func withUse(gpu bool, pct, spread float64, span time.Duration) func(*abuse.Telemetry) {
	return func(t *abuse.Telemetry) {
		var s []abuse.Sample
		for i := range 32 {
			v := pct - spread
			if i%2 == 1 {
				v = pct + spread
			}
			s = append(s, abuse.Sample{Time: t.Window.Start.Add(span * time.Duration(i) / 31), Percent: v})
		}
		if gpu {
			t.GPU = s
		} else {
			t.CPU = s
		}
	}
}

// without removes sources from the collected list and their records.
func without(srcs ...abuse.Source) func(*abuse.Telemetry) {
	return func(t *abuse.Telemetry) {
		t.Collected = slices.DeleteFunc(t.Collected, func(s abuse.Source) bool { return slices.Contains(srcs, s) })
		for _, s := range srcs {
			switch s {
			case abuse.SourceCPU:
				t.CPU = nil
			case abuse.SourceGPU:
				t.GPU = nil
			case abuse.SourceFlows:
				t.Flows = nil
			case abuse.SourceDNS:
				t.DNS = nil
			case abuse.SourceProcesses:
				t.Processes = nil
			case abuse.SourceAuth:
				t.AuthFailures = nil
			case abuse.SourceHosted:
				t.Hosted = nil
			case abuse.SourceSignIns:
				t.SignIns = nil
			case abuse.SourceActivity:
				t.Activity = nil
			case abuse.SourceAccount:
				t.Account = nil
			}
		}
	}
}

// evaluate evaluates one window and returns the new state and the result
// apart, as most tests read them.
func evaluate(m *abuse.Monitor, prev abuse.State, t *abuse.Telemetry, now time.Time) (abuse.State, abuse.Result, error) {
	res, err := m.Evaluate(prev, t, now)
	return res.State, res, err
}
