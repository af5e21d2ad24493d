package abuse_test

import (
	"bytes"
	"errors"
	"fmt"
	"net/netip"
	"time"

	"github.com/riskkit/riskkit/abuse"
	"github.com/riskkit/riskkit/risk"
)

const examplePolicyYAML = `
id: abuse-enforcement
version: "1"
outcomes: [suspend, throttle, notify, none]
rules:
  - id: high
    when: finding.level == "high" && !customer.trusted
    action: suspend
    reason: HIGH_SEVERITY
  - id: medium
    when: finding.level == "medium"
    action: throttle
    reason: MEDIUM_SEVERITY
  - id: low
    when: finding.level == "low"
    action: notify
    reason: LOW_SEVERITY
`

func Example() {
	mon, err := abuse.New(abuse.Config{})
	if err != nil {
		panic(err)
	}
	enf, err := abuse.NewEnforcer([]byte(examplePolicyYAML))
	if err != nil {
		panic(err)
	}

	start := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	window := abuse.Telemetry{
		Subscription: "sub-42",
		Resource:     "vm-gpu-1",
		Window:       abuse.Interval{Start: start, End: start.Add(time.Hour)},
		Collected:    []abuse.Source{abuse.SourceFlows, abuse.SourceDNS, abuse.SourceProcesses, abuse.SourceGPU},
		Processes:    []abuse.Process{{Time: start.Add(3 * time.Minute), Name: "/tmp/.cache/xmrig"}},
		DNS:          []abuse.DNSQuery{{Time: start.Add(3 * time.Minute), Name: "gulf.moneroocean.stream"}},
		Flows: []abuse.Flow{{Time: start.Add(4 * time.Minute), Direction: abuse.Outbound,
			Remote: netip.MustParseAddr("203.0.113.50"), Port: 10128, Protocol: abuse.TCP, Packets: 900, Bytes: 120000, Flows: 1}},
	}
	for i := range 60 {
		window.GPU = append(window.GPU, abuse.Sample{Time: start.Add(time.Duration(i) * time.Minute), Percent: 98 + float64(i%2)})
	}

	now := start.Add(time.Hour)
	var state abuse.State // the zero State: nothing seen yet
	res, err := mon.Evaluate(state, &window, now)
	if err != nil {
		panic(err)
	}
	state = res.State // stored by the host for the next window
	for _, f := range res.Findings {
		fmt.Printf("%s %s severity %v (%s), confidence %d%%\n", f.Resource, f.Type, f.Severity, f.Level(), f.Confidence)
		fmt.Println(" ", f.Summary)
		r := enf.Recommend(f, abuse.CustomerRecord{Customer: risk.Customer{ID: "c-42"}}, now)
		fmt.Printf("  %s by %s: %v\n", r.Action, r.Deadline.Format(time.Kitchen), r.Steps)
	}
	for _, u := range res.Unchecked {
		if u.Partial {
			fmt.Printf("partly checked: %s (missing %v)\n", u.Detector, u.Missing)
		} else {
			fmt.Printf("not checked: %s (missing %v)\n", u.Detector, u.Missing)
		}
	}
	fmt.Println("open findings:", len(state.Findings))
	fmt.Println("time alone changes the state at", res.Next.Format(time.DateTime))
	// Output:
	// vm-gpu-1 mining.activity severity 8.5 (high), confidence 99%
	//   crypto mining: xmrig, gulf.moneroocean.stream, 203.0.113.50:10128
	//   suspend by 12:00PM: [suspend_subscription notify_customer notify_partner]
	// partly checked: mining (missing [cpu])
	// partly checked: hacking (missing [auth])
	// partly checked: malware (missing [hosted])
	// open findings: 1
	// time alone changes the state at 2026-11-21 10:04:00
}

// ParseTelemetry reads windows as a host stores them, and reports every
// problem of a bad window with its place in the document.
func ExampleParseTelemetry() {
	jsonl := []byte(`{"subscription":"sub-1","window":{"start":"2026-11-20T10:00:00Z","end":"2026-11-20T11:00:00Z"},"collected":["flows"]}
{"subscription":"sub-1","window":{"start":"2026-11-20T11:00:00Z","end":"2026-11-20T12:00:00Z"},
 "flows":[{"time":"2026-11-20T11:05:00Z","direction":"sideways","remote":"203.0.113.9","port":25}]}
`)
	_, err := abuse.ParseTelemetry(jsonl)
	fmt.Println(err)
	fmt.Println(errors.Is(err, abuse.ErrInvalidTelemetry))

	ts, err := abuse.ParseTelemetry(jsonl[:bytes.IndexByte(jsonl, '\n')+1])
	fmt.Println(len(ts), err, ts[0].Has(abuse.SourceFlows))
	// Output:
	// abuse: telemetry record 2: 3:54: flows[0].direction: unknown direction "sideways" (want one of inbound, outbound, none)
	// true
	// 1 <nil> true
}

// An allowance the host records for an authorised penetration test stands
// the hacking detector down for the test's targets and hours, and the
// report says so; a scan of any other host is still reported.
func ExampleAllowance() {
	start := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	test := abuse.Allowance{
		ID: "PT-2026-114", Subscription: "sub-7", Resource: "vm-kali", Category: abuse.Hacking,
		Targets: []netip.Prefix{netip.MustParsePrefix("198.51.100.0/28")},
		From:    start, Until: start.Add(4 * time.Hour), Reason: "penetration test ordered by the target's owner",
	}
	mon, err := abuse.New(abuse.Config{})
	if err != nil {
		panic(err)
	}
	window := abuse.Telemetry{Subscription: "sub-7", Resource: "vm-kali", Window: abuse.Interval{Start: start, End: start.Add(time.Hour)},
		Collected: []abuse.Source{abuse.SourceFlows}}
	for _, host := range []string{"198.51.100.5", "203.0.113.80"} {
		for p := range 20 {
			window.Flows = append(window.Flows, abuse.Flow{Time: start.Add(time.Duration(p) * time.Second), Direction: abuse.Outbound,
				Remote: netip.MustParseAddr(host), Port: uint16(20 + p), Protocol: abuse.TCP, Packets: 1, Bytes: 60, Flows: 1, Failed: 1})
		}
	}
	report, err := mon.Evaluate(abuse.State{Allowances: []abuse.Allowance{test}}, &window, window.Window.End)
	if err != nil {
		panic(err)
	}
	for _, f := range report.Findings {
		fmt.Println("reported:", f.Type, f.Evidence.Samples)
	}
	window.Flows = window.Flows[:20] // only the authorised target
	report, err = mon.Evaluate(abuse.State{Allowances: []abuse.Allowance{test}}, &window, window.Window.End)
	if err != nil {
		panic(err)
	}
	for _, d := range report.StoodDown {
		fmt.Printf("stood down: %s, allowance %s until %s: %s\n", d.Finding.Type, d.Allowance.ID, d.Allowance.Until.Format(time.Kitchen), d.Allowance.Reason)
	}
	// Output:
	// reported: hacking.port_scan [203.0.113.80]
	// stood down: hacking.port_scan, allowance PT-2026-114 until 2:00PM: penetration test ordered by the target's owner
}
