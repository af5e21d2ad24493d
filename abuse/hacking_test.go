package abuse_test

import (
	"net/netip"
	"testing"
	"time"

	"github.com/riskkit/riskkit/abuse"
)

// portScan returns failed connections to ports 1..n of one host, the last
// one last after the first.
func portScan(dir abuse.Direction, host netip.Addr, n int, last time.Duration) []abuse.Flow {
	var fs []abuse.Flow
	for i := range n {
		at := t0.Add(time.Minute)
		if n > 1 {
			at = at.Add(last * time.Duration(i) / time.Duration(n-1))
		}
		fs = append(fs, failed(at, dir, host, uint16(1+i)))
	}
	return fs
}

// sweep returns failed connections to n hosts on one port.
func sweep(n int, port uint16, last time.Duration) []abuse.Flow {
	var fs []abuse.Flow
	for i := range n {
		at := t0.Add(time.Minute)
		if n > 1 {
			at = at.Add(last * time.Duration(i) / time.Duration(n-1))
		}
		fs = append(fs, failed(at, abuse.Outbound, public(i), port))
	}
	return fs
}

// logins returns failed logins, count failures each, spread evenly.
func logins(dir abuse.Direction, records int, count int64, last time.Duration) func(*abuse.Telemetry) {
	return func(t *abuse.Telemetry) {
		for i := range records {
			at := t0.Add(time.Minute)
			if records > 1 {
				at = at.Add(last * time.Duration(i) / time.Duration(records-1))
			}
			t.AuthFailures = append(t.AuthFailures, abuse.AuthFailure{Time: at, Direction: dir, Remote: public(i % 3),
				Port: 22, Service: "ssh", User: "root", Count: count})
		}
	}
}

func TestHackingThresholds(t *testing.T) {
	victim := public(40)
	almost := 5*time.Minute - time.Nanosecond
	cases := []detectorCase{
		{
			name:   "vertical scan at the threshold",
			reason: "15 ports of one host with failed connections within 5 minutes",
			tel:    with(window(t0), withFlows(portScan(abuse.Outbound, victim, 15, almost)...)),
			want:   []brief{{"hacking.port_scan", 70, 75, abuse.Outbound, 1}},
		},
		{
			name:   "vertical scan one port short",
			reason: "14 ports is below the threshold",
			tel:    with(window(t0), withFlows(portScan(abuse.Outbound, victim, 14, time.Minute)...)),
		},
		{
			name:   "vertical scan spread over exactly 5 minutes",
			reason: "the window is half-open: the first and the 15th attempt are 5 minutes apart",
			tel:    with(window(t0), withFlows(portScan(abuse.Outbound, victim, 15, 5*time.Minute)...)),
		},
		{
			name:   "successful connections are not a scan",
			reason: "only failed connections count",
			tel: with(window(t0), withFlows(func() []abuse.Flow {
				fs := portScan(abuse.Outbound, victim, 20, time.Minute)
				for i := range fs {
					fs[i].Failed = 0
				}
				return fs
			}()...)),
		},
		{
			name:   "inbound scan",
			reason: "the customer being scanned is low severity",
			tel:    with(window(t0), withFlows(portScan(abuse.Inbound, public(9), 20, time.Minute)...)),
			want:   []brief{{"hacking.port_scan", 20, 70, abuse.Inbound, 1}},
		},
		{
			name:   "scanning a private network",
			reason: "outbound scans count only against public addresses",
			tel:    with(window(t0), withFlows(portScan(abuse.Outbound, ip("10.0.0.9"), 50, time.Minute)...)),
		},
		{
			name:   "horizontal sweep at the threshold",
			reason: "25 hosts on one port within 5 minutes",
			tel:    with(window(t0), withFlows(sweep(25, 22, almost)...)),
			want:   []brief{{"hacking.sweep", 75, 80, abuse.Outbound, 1}},
		},
		{
			name:   "horizontal sweep one host short",
			reason: "24 hosts is below the threshold",
			tel:    with(window(t0), withFlows(sweep(24, 22, time.Minute)...)),
		},
		{
			name:   "horizontal sweep too slow",
			reason: "25 hosts over exactly 5 minutes do not fit in one window",
			tel:    with(window(t0), withFlows(sweep(25, 22, 5*time.Minute)...)),
		},
		{
			name:   "brute force at the threshold",
			reason: "30 failed logins within 30 minutes",
			tel:    with(window(t0), logins(abuse.Outbound, 30, 1, 30*time.Minute-time.Nanosecond)),
			want:   []brief{{"hacking.brute_force", 80, 85, abuse.Outbound, 30}},
		},
		{
			name:   "brute force in summarised records",
			reason: "records carry counts: 3 records of 10 failures",
			tel:    with(window(t0), logins(abuse.Outbound, 3, 10, time.Minute)),
			want:   []brief{{"hacking.brute_force", 80, 85, abuse.Outbound, 30}},
		},
		{
			name:   "brute force one login short",
			reason: "29 failed logins is below the threshold",
			tel:    with(window(t0), logins(abuse.Outbound, 29, 1, time.Minute)),
		},
		{
			name:   "brute force too slow",
			reason: "30 failed logins over exactly 30 minutes do not fit in one window",
			tel:    with(window(t0), logins(abuse.Outbound, 30, 1, 30*time.Minute)),
		},
		{
			name:   "inbound brute force",
			reason: "someone guessing the customer's passwords is low severity",
			tel:    with(window(t0), logins(abuse.Inbound, 40, 1, 10*time.Minute)),
			want:   []brief{{"hacking.brute_force", 30, 80, abuse.Inbound, 40}},
		},
		{
			name:   "both directions",
			reason: "attacking and being attacked are separate findings",
			tel: with(window(t0), logins(abuse.Inbound, 40, 1, 10*time.Minute), logins(abuse.Outbound, 40, 1, 10*time.Minute),
				withFlows(portScan(abuse.Outbound, victim, 15, time.Minute)...)),
			want: []brief{
				{"hacking.brute_force", 30, 80, abuse.Inbound, 40},
				{"hacking.brute_force", 80, 85, abuse.Outbound, 40},
				{"hacking.port_scan", 70, 75, abuse.Outbound, 1},
			},
		},
		{
			name:   "configured thresholds",
			reason: "a stricter configuration catches a smaller scan",
			cfg:    abuse.Config{Hacking: abuse.HackingConfig{ScanPorts: 5, ScanWindow: time.Minute}},
			tel:    with(window(t0), withFlows(portScan(abuse.Outbound, victim, 5, 59*time.Second)...)),
			want:   []brief{{"hacking.port_scan", 70, 75, abuse.Outbound, 1}},
		},
	}
	runCases(t, "hacking", cases)
}

// TestSlowScan follows a scan of ten new ports of one host an hour, which
// no single window shows, through the state across a day.
func TestSlowScan(t *testing.T) {
	m := mustMonitor(t, abuse.Config{})
	target, other := public(7), public(8)
	var st abuse.State
	first := -1
	for h := range 24 {
		at := t0.Add(time.Duration(h) * time.Hour)
		tel := window(at)
		for p := range 10 {
			tel.Flows = append(tel.Flows, failed(at.Add(time.Duration(p)*5*time.Minute), abuse.Outbound, target, uint16(1000+10*h+p)))
			// A monitor failing on the same two ports of another host
			// every hour is not a scan.
			tel.Flows = append(tel.Flows, failed(at.Add(time.Duration(p)*5*time.Minute), abuse.Outbound, other, uint16(443+p%2)))
		}
		next, rep, err := evaluate(m, st, tel, tel.Window.End)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range rep.Findings {
			if f.Type == "hacking.port_scan" {
				t.Errorf("hour %d: 10 ports an hour is not a fast scan: %s", h, f.Summary)
			}
			if f.Type == "hacking.slow_scan" {
				if first < 0 {
					first = h
				}
				if f.Evidence.Counts["hosts_scanned"] != 1 || f.Evidence.Samples[0] != target.String() {
					t.Errorf("hour %d: slow scan of %v, want only %v", h, f.Evidence.Samples, target)
				}
			}
		}
		st = next
	}
	if first != 9 {
		t.Errorf("slow scan first reported in hour %d, want hour 9, when 100 distinct ports have failed", first)
	}
	if n := len(st.Baselines[0].Probes); n != 48 {
		t.Errorf("%d probes kept, want 48: two hosts in each of 24 windows", n)
	}
	// A day later the old probes have expired.
	tel := window(t0.Add(48 * time.Hour))
	tel.Flows = append(tel.Flows, failed(tel.Window.Start, abuse.Outbound, target, 9), failed(tel.Window.Start, abuse.Outbound, target, 10))
	next, rep, err := evaluate(m, st, tel, tel.Window.End)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Findings) != 0 || len(next.Baselines[0].Probes) != 1 {
		t.Errorf("after a quiet day: %d findings and %d probes, want none and one", len(rep.Findings), len(next.Baselines[0].Probes))
	}
}

// TestSlowScanBoundsState checks that a full scan of one host in one window
// keeps no more ports in the state than a slow scan needs.
func TestSlowScanBoundsState(t *testing.T) {
	m := mustMonitor(t, abuse.Config{})
	tel := window(t0)
	for p := range 2000 {
		tel.Flows = append(tel.Flows, failed(t0.Add(time.Duration(p)*time.Second), abuse.Outbound, public(9), uint16(1+p)))
	}
	st, _, err := evaluate(m, abuse.State{}, tel, t1)
	if err != nil {
		t.Fatal(err)
	}
	if got := len(st.Baselines[0].Probes[0].Ports); got != m.Config().Hacking.SlowScanPorts {
		t.Errorf("%d ports kept, want %d", got, m.Config().Hacking.SlowScanPorts)
	}
}
