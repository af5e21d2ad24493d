package abuse_test

import (
	"testing"
	"time"

	"github.com/riskkit/riskkit/abuse"
)

// flood returns n one-second outbound records, one per second from at,
// each with the given packets, bytes and new flows.
func flood(at time.Time, n int, to string, packets, bytes, flows int64) []abuse.Flow {
	var fs []abuse.Flow
	for i := range n {
		fs = append(fs, abuse.Flow{Time: at.Add(time.Duration(i) * time.Second), Seconds: 1, Direction: abuse.Outbound,
			Remote: ip(to), Port: 53, Protocol: abuse.UDP, Packets: packets, Bytes: bytes, Flows: flows})
	}
	return fs
}

func TestDoSThresholds(t *testing.T) {
	at := t0.Add(10 * time.Minute) // on a 5-second boundary
	cases := []detectorCase{
		{
			name:   "packets at the threshold",
			reason: "20,000 packets/s averaged over 5 s is a flood",
			tel:    with(window(t0), withFlows(flood(at, 5, "198.51.100.9", 20000, 1, 0)...)),
			want:   []brief{{"dos.outbound_flood", 7.5, 80, abuse.Outbound, 1}},
		},
		{
			name:   "packets just below",
			reason: "99,999 packets in 5 s average 19,999.8/s",
			tel: with(window(t0), withFlows(append(flood(at, 4, "198.51.100.9", 20000, 1, 0),
				flood(at.Add(4*time.Second), 1, "198.51.100.9", 19999, 1, 0)...)...)),
		},
		{
			name:   "a burst inside one interval",
			reason: "100,000 packets in one second still average 20,000/s over its 5-second interval",
			tel:    with(window(t0), withFlows(flood(at.Add(2*time.Second), 1, "198.51.100.9", 100000, 1, 0)...)),
			want:   []brief{{"dos.outbound_flood", 7.5, 80, abuse.Outbound, 1}},
		},
		{
			name:   "a burst across two intervals",
			reason: "the same packets split over two intervals average 10,000/s in each",
			tel: with(window(t0), withFlows(append(flood(at.Add(3*time.Second), 2, "198.51.100.9", 25000, 1, 0),
				flood(at.Add(5*time.Second), 2, "198.51.100.9", 25000, 1, 0)...)...)),
		},
		{
			name:   "bandwidth at the threshold",
			reason: "1,000 Mbit/s is 125,000,000 bytes a second",
			tel:    with(window(t0), withFlows(flood(at, 5, "198.51.100.9", 1, 125_000_000, 0)...)),
			want:   []brief{{"dos.outbound_flood", 7.5, 80, abuse.Outbound, 1}},
		},
		{
			name:   "bandwidth just below",
			reason: "one byte short over the interval",
			tel: with(window(t0), withFlows(append(flood(at, 4, "198.51.100.9", 1, 125_000_000, 0),
				flood(at.Add(4*time.Second), 1, "198.51.100.9", 1, 124_999_999, 0)...)...)),
		},
		{
			name:   "new flows at the threshold",
			reason: "3,500 new flows/s is a SYN or connection flood",
			tel:    with(window(t0), withFlows(flood(at, 5, "198.51.100.9", 1, 1, 3500)...)),
			want:   []brief{{"dos.outbound_flood", 7.5, 80, abuse.Outbound, 1}},
		},
		{
			name:   "new flows just below",
			reason: "17,499 new flows in 5 s",
			tel: with(window(t0), withFlows(append(flood(at, 4, "198.51.100.9", 1, 1, 3500),
				flood(at.Add(4*time.Second), 1, "198.51.100.9", 1, 1, 3499)...)...)),
		},
		{
			name:   "sustained",
			reason: "three intervals over the threshold raise confidence; twice the threshold raises severity",
			tel:    with(window(t0), withFlows(flood(at, 15, "198.51.100.9", 40000, 1, 0)...)),
			want:   []brief{{"dos.outbound_flood", 8.5, 90, abuse.Outbound, 3}},
		},
		{
			name:   "private destination",
			reason: "a flood inside the customer's own network is not denial of service against others",
			tel:    with(window(t0), withFlows(flood(at, 5, "10.1.2.3", 40000, 1, 0)...)),
		},
		{
			name:   "inbound",
			reason: "traffic towards the customer is not the customer attacking",
			tel: with(window(t0), func(t *abuse.Telemetry) {
				for _, f := range flood(at, 5, "198.51.100.9", 40000, 1, 0) {
					f.Direction = abuse.Inbound
					t.Flows = append(t.Flows, f)
				}
			}),
		},
		{
			name:   "a long record is averaged",
			reason: "a record of 60 s with 1,000,000 packets averages 16,667/s in each interval, below the threshold",
			tel: with(window(t0), withFlows(abuse.Flow{Time: at, Seconds: 60, Direction: abuse.Outbound,
				Remote: ip("198.51.100.9"), Port: 80, Packets: 1_000_000})),
		},
		{
			name:   "a long record over the threshold",
			reason: "a record of 60 s with 1,200,000 packets averages 20,000/s in all 12 intervals",
			tel: with(window(t0), withFlows(abuse.Flow{Time: at, Seconds: 60, Direction: abuse.Outbound,
				Remote: ip("198.51.100.9"), Port: 80, Packets: 1_200_000})),
			want: []brief{{"dos.outbound_flood", 7.5, 90, abuse.Outbound, 12}},
		},
		{
			name:   "lower configured threshold",
			reason: "thresholds are configurable",
			cfg:    abuse.Config{DoS: abuse.DoSConfig{PacketsPerSecond: 1000}},
			tel:    with(window(t0), withFlows(flood(at, 5, "198.51.100.9", 1000, 1, 0)...)),
			want:   []brief{{"dos.outbound_flood", 7.5, 80, abuse.Outbound, 1}},
		},
	}
	runCases(t, "dos", cases)
}

// TestDoSSparseWindow covers a long window with floods far apart, which the
// detector sums by sorting rather than in an array as long as the window.
func TestDoSSparseWindow(t *testing.T) {
	tel := window(t0)
	tel.Window.End = t0.Add(48 * time.Hour)
	tel.Flows = append(flood(t0.Add(time.Hour), 5, "198.51.100.9", 30000, 1, 0), flood(t0.Add(47*time.Hour), 10, "198.51.100.9", 30000, 1, 0)...)
	tel.Flows = append(tel.Flows, flood(t0.Add(20*time.Hour), 5, "198.51.100.9", 100, 1, 0)...)
	got := briefs(detect(t, "dos", abuse.Config{}, tel, nil))
	want := []brief{{"dos.outbound_flood", 7.5, 90, abuse.Outbound, 3}}
	if diff := cmpDiff(want, got); diff != "" {
		t.Errorf("three intervals over the threshold, 46 hours apart (-want +got):\n%s", diff)
	}
	f := detect(t, "dos", abuse.Config{}, tel, nil)[0]
	if !f.FirstSeen.Equal(t0.Add(time.Hour)) || !f.LastSeen.Equal(t0.Add(47*time.Hour+10*time.Second-1)) {
		t.Errorf("seen %v to %v, want the first and last flooded intervals", f.FirstSeen, f.LastSeen)
	}
}
