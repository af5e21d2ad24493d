package abuse_test

import (
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/riskkit/riskkit/abuse"
	"github.com/riskkit/riskkit/risk"
)

// flood returns n one-second outbound UDP records, one per second from at,
// each with the given packets, bytes and new flows.
func flood(at time.Time, n int, to string, packets, bytes, flows int64) []abuse.Flow {
	var fs []abuse.Flow
	for i := range n {
		fs = append(fs, abuse.Flow{Time: at.Add(time.Duration(i) * time.Second), Seconds: 1, Direction: abuse.Outbound,
			Remote: ip(to), Port: 53, Protocol: abuse.UDP, Packets: packets, Bytes: bytes, Flows: flows})
	}
	return fs
}

// change applies a change to every flow record of a window.
func change(c func(*abuse.Flow)) func(*abuse.Telemetry) {
	return func(t *abuse.Telemetry) {
		for i := range t.Flows {
			c(&t.Flows[i])
		}
	}
}

// stream returns a minute-long record per viewer of established TCP
// streaming at mbps megabits a second, with the viewers' acknowledgements
// when acks is set.
func stream(at time.Time, viewers int, mbps int64, acks bool) func(*abuse.Telemetry) {
	return func(t *abuse.Telemetry) {
		for m := range 60 {
			for v := range viewers {
				bytes := mbps * 125_000 * 60
				f := abuse.Flow{Time: at.Add(time.Duration(m) * time.Minute), Seconds: 60, Direction: abuse.Outbound,
					Remote: netip.AddrFrom4([4]byte{byte(20 + v%150), byte(v / 150), byte(v % 251), 7}), Port: 52000, Protocol: abuse.TCP,
					Packets: bytes / 1400, Bytes: bytes, Established: risk.Known(1)}
				if acks {
					f.ReplyPackets = risk.Known(bytes / 2800)
				}
				t.Flows = append(t.Flows, f)
			}
		}
	}
}

func TestDoSThresholds(t *testing.T) {
	at := t0.Add(10 * time.Minute) // on a 5-second boundary
	cases := []detectorCase{
		{
			name:   "packets at the threshold",
			reason: "20,000 packets/s of tiny UDP to one target averaged over 5 s is a flood; replies were not reported",
			tel:    with(window(t0), withFlows(flood(at, 5, "198.51.100.9", 20000, 1, 0)...)),
			want:   []brief{{"dos.outbound_flood", 70, 65, abuse.Outbound, 1}},
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
			want:   []brief{{"dos.outbound_flood", 70, 65, abuse.Outbound, 1}},
		},
		{
			name:   "a burst across two intervals",
			reason: "the same packets split over two intervals average 10,000/s in each",
			tel: with(window(t0), withFlows(append(flood(at.Add(3*time.Second), 2, "198.51.100.9", 25000, 1, 0),
				flood(at.Add(5*time.Second), 2, "198.51.100.9", 25000, 1, 0)...)...)),
		},
		{
			name:   "bandwidth at the threshold",
			reason: "1,000 Mbit/s of UDP to one target is 125,000,000 bytes a second",
			tel:    with(window(t0), withFlows(flood(at, 5, "198.51.100.9", 1, 125_000_000, 0)...)),
			want:   []brief{{"dos.outbound_flood", 70, 65, abuse.Outbound, 1}},
		},
		{
			name:   "bandwidth just below",
			reason: "one byte short over the interval",
			tel: with(window(t0), withFlows(append(flood(at, 4, "198.51.100.9", 1, 125_000_000, 0),
				flood(at.Add(4*time.Second), 1, "198.51.100.9", 1, 124_999_999, 0)...)...)),
		},
		{
			name:   "new flows at the threshold",
			reason: "3,500 new flows/s to one target",
			tel:    with(window(t0), withFlows(flood(at, 5, "198.51.100.9", 1, 1, 3500)...)),
			want:   []brief{{"dos.outbound_flood", 70, 65, abuse.Outbound, 1}},
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
			want:   []brief{{"dos.outbound_flood", 75, 75, abuse.Outbound, 3}},
		},
		{
			name:   "private destination",
			reason: "a flood inside the customer's own network is not denial of service against others",
			tel:    with(window(t0), withFlows(flood(at, 5, "10.1.2.3", 40000, 1, 0)...)),
		},
		{
			name:   "inbound",
			reason: "traffic towards the customer is not the customer attacking",
			tel:    with(window(t0), withFlows(flood(at, 5, "198.51.100.9", 40000, 1, 0)...), change(func(f *abuse.Flow) { f.Direction = abuse.Inbound })),
		},
		{
			name:   "a long record is averaged",
			reason: "a record of 60 s with 1,000,000 packets averages 16,667/s in each interval, below the threshold",
			tel: with(window(t0), withFlows(abuse.Flow{Time: at, Seconds: 60, Direction: abuse.Outbound,
				Remote: ip("198.51.100.9"), Port: 80, Packets: 1_000_000})),
		},
		{
			name:   "a long record over the threshold",
			reason: "a record of 60 s with 1,200,000 empty packets averages 20,000/s in all 12 intervals",
			tel: with(window(t0), withFlows(abuse.Flow{Time: at, Seconds: 60, Direction: abuse.Outbound,
				Remote: ip("198.51.100.9"), Port: 80, Packets: 1_200_000})),
			want: []brief{{"dos.outbound_flood", 70, 75, abuse.Outbound, 12}},
		},
		{
			name:   "a peak inside a long record",
			reason: "bursts of 60,000 packets/s in a minute-long record averaging 10,000/s show through its per-second maximum",
			tel: with(window(t0), withFlows(abuse.Flow{Time: at, Seconds: 60, Direction: abuse.Outbound, Remote: ip("198.51.100.9"),
				Port: 123, Protocol: abuse.UDP, Packets: 600_000, Bytes: 280_000_000, PeakPackets: 60_000})),
			want: []brief{{"dos.outbound_flood", 75, 65, abuse.Outbound, 1}},
		},
		{
			name:   "a peak below the threshold",
			reason: "a per-second maximum of 19,999 packets",
			tel: with(window(t0), withFlows(abuse.Flow{Time: at, Seconds: 60, Direction: abuse.Outbound, Remote: ip("198.51.100.9"),
				Port: 123, Protocol: abuse.UDP, Packets: 600_000, Bytes: 280_000_000, PeakPackets: 19_999})),
		},
		{
			name:   "lower configured threshold",
			reason: "thresholds are configurable",
			cfg:    abuse.Config{DoS: abuse.DoSConfig{PacketsPerSecond: 1000}},
			tel:    with(window(t0), withFlows(flood(at, 5, "198.51.100.9", 1000, 1, 0)...)),
			want:   []brief{{"dos.outbound_flood", 70, 65, abuse.Outbound, 1}},
		},
	}
	runCases(t, "dos", cases)
}

// TestDoSBusyServers contrasts servers that move a lot of traffic with the
// floods the detector must still see.
func TestDoSBusyServers(t *testing.T) {
	at := t0.Add(10 * time.Minute)
	syn := func(replies bool) func(*abuse.Telemetry) {
		return func(t *abuse.Telemetry) {
			for i := range 20 {
				f := abuse.Flow{Time: at.Add(time.Duration(i) * time.Second), Seconds: 1, Direction: abuse.Outbound, Remote: ip("198.51.100.9"),
					Port: 443, Protocol: abuse.TCP, Packets: 5000, Bytes: 300_000, Flows: 5000, Failed: 4000}
				if replies {
					f.ReplyPackets = risk.Known(5000) // a SYN-ACK or a reset for each
				}
				t.Flows = append(t.Flows, f)
			}
		}
	}
	subnet := func(t *abuse.Telemetry) {
		for s := range 60 {
			for h := range 50 {
				t.Flows = append(t.Flows, abuse.Flow{Time: at.Add(time.Duration(s) * time.Second), Seconds: 1, Direction: abuse.Outbound,
					Remote: netip.AddrFrom4([4]byte{198, 51, 100, byte(1 + h)}), Port: 123, Protocol: abuse.UDP, Packets: 500, Bytes: 500 * 480})
			}
		}
	}
	bulk := func(acks bool) func(*abuse.Telemetry) {
		return func(t *abuse.Telemetry) {
			for s := range 60 {
				f := abuse.Flow{Time: at.Add(time.Duration(s) * time.Second), Seconds: 1, Direction: abuse.Outbound, Remote: ip("198.51.100.20"),
					Port: 443, Protocol: abuse.TCP, Packets: 107_000, Bytes: 150_000_000}
				if s == 0 {
					f.Flows = 8
				}
				if acks {
					f.ReplyPackets = risk.Known(53_000)
				}
				t.Flows = append(t.Flows, f)
			}
		}
	}
	cases := []struct {
		name, reason string
		tel          *abuse.Telemetry
		want         []brief
		gaps         []string
	}{
		{
			name:   "video CDN",
			reason: "2 Gbit/s of established TCP to 2,000 viewers is a busy server, however much it adds up to",
			tel:    with(window(t0), stream(t0, 2000, 1, true)),
		},
		{
			name:   "video CDN without replies reported",
			reason: "no viewer comes near a per-target threshold, so nothing needs the replies",
			tel:    with(window(t0), stream(t0, 2000, 1, false)),
		},
		{
			name:   "bulk transfer to one host",
			reason: "1.2 Gbit/s of full-size TCP to one host that acknowledges it is a transfer, not a flood",
			tel:    with(window(t0), bulk(true)),
		},
		{
			name:   "bulk transfer without replies reported",
			reason: "without replies the detector cannot tell a transfer from a flood, and says so instead of guessing",
			tel:    with(window(t0), bulk(false)),
			gaps:   []string{"1 target over the per-target flood thresholds looked like established TCP transfers, but replies were not reported, so a flood could not be ruled out: 198.51.100.20"},
		},
		{
			name:   "bulk transfer over established sessions",
			reason: "sessions the target completed and keeps open pace the sender: service, even without replies reported",
			tel:    with(window(t0), bulk(false), change(func(f *abuse.Flow) { f.Established = risk.Known(8) })),
		},
		{
			name:   "SYN flood answered by resets",
			reason: "5,000 new connections a second of one packet each is handshakes only, whatever the target answers",
			tel:    with(window(t0), syn(true)),
			want:   []brief{{"dos.outbound_flood", 75, 90, abuse.Outbound, 4}},
		},
		{
			name:   "SYN flood, replies not reported",
			reason: "handshakes only is enough",
			tel:    with(window(t0), syn(false)),
			want:   []brief{{"dos.outbound_flood", 75, 90, abuse.Outbound, 4}},
		},
		{
			name:   "UDP without replies",
			reason: "45,000 packets/s of UDP to one host that answers nothing",
			tel: with(window(t0), withFlows(flood(at, 40, "198.51.100.9", 45000, 30_000_000, 0)...),
				change(func(f *abuse.Flow) { f.ReplyPackets = risk.Known(0) })),
			want: []brief{{"dos.outbound_flood", 85, 90, abuse.Outbound, 8}},
		},
		{
			name:   "UDP to a /24",
			reason: "500 packets/s to each of 50 hosts of one /24 is 25,000 packets/s at one subnet",
			tel:    with(window(t0), subnet),
			want:   []brief{{"dos.outbound_flood", 70, 75, abuse.Outbound, 12}},
		},
		{
			name:   "a flood averaged away",
			reason: "minute-long records large enough to hide a flood, without per-second peaks, are a gap",
			tel: with(window(t0), withFlows(abuse.Flow{Time: at, Seconds: 60, Direction: abuse.Outbound, Remote: ip("198.51.100.9"),
				Port: 123, Protocol: abuse.UDP, Packets: 600_000, Bytes: 280_000_000})),
			gaps: []string{"1 flow record longer than the 5 s interval, large enough to hide a flood, carry no per-second peaks: bursts shorter than a record were not checked"},
		},
		{
			name:   "spoofed sources",
			reason: "1,000 packets from an address that is not the resource's, spread over many reflectors",
			tel: with(window(t0), func(t *abuse.Telemetry) {
				t.Addresses = []netip.Addr{ip("192.0.2.10")}
				for i := range 100 {
					t.Flows = append(t.Flows, abuse.Flow{Time: at.Add(time.Duration(i) * time.Second), Direction: abuse.Outbound, Remote: public(i),
						Port: 53, Protocol: abuse.UDP, Packets: 10, Bytes: 600, Source: ip("198.51.100.77")})
				}
				t.Flows = append(t.Flows, abuse.Flow{Time: at, Direction: abuse.Outbound, Remote: public(1), Port: 443, Protocol: abuse.TCP,
					Packets: 5000, Bytes: 5_000_000, Source: ip("192.0.2.10")})
			}),
			want: []brief{{"dos.spoofed_source", 80, 90, abuse.Outbound, 100}},
		},
		{
			name:   "sources without the resource's addresses",
			reason: "spoofing cannot be checked without knowing the resource's own addresses",
			tel: with(window(t0), withFlows(abuse.Flow{Time: at, Direction: abuse.Outbound, Remote: public(1), Port: 53,
				Protocol: abuse.UDP, Packets: 10, Bytes: 600, Source: ip("198.51.100.77")})),
			gaps: []string{"flow records carry source addresses but the telemetry lists none of the resource's own: spoofing was not checked"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.tel.Validate(); err != nil {
				t.Fatal(err)
			}
			d := detector(t, "dos", abuse.Config{}).(abuse.GapReporter)
			fs, gaps := d.DetectGaps(&abuse.DetectorInput{Telemetry: tc.tel, Baseline: &abuse.Baseline{}})
			if diff := cmpDiff(tc.want, briefs(fs)); diff != "" {
				t.Errorf("%s\nfindings (-want +got):\n%s", tc.reason, diff)
			}
			if diff := cmpDiff(tc.gaps, gaps); diff != "" {
				t.Errorf("%s\ngaps (-want +got):\n%s", tc.reason, diff)
			}
			for _, f := range fs {
				if err := abuse.CheckFinding(&f, tc.tel.Window); err != nil {
					t.Error(err)
				}
				if f.Type == "dos.outbound_flood" && !strings.Contains(f.Summary, "198.51.100.") {
					t.Errorf("summary does not name the target: %s", f.Summary)
				}
			}
		})
	}
}

// TestDoSSparseWindow covers a long window with floods far apart.
func TestDoSSparseWindow(t *testing.T) {
	tel := window(t0)
	tel.Window.End = t0.Add(48 * time.Hour)
	tel.Flows = append(flood(t0.Add(time.Hour), 5, "198.51.100.9", 30000, 1, 0), flood(t0.Add(47*time.Hour), 10, "198.51.100.9", 30000, 1, 0)...)
	tel.Flows = append(tel.Flows, flood(t0.Add(20*time.Hour), 5, "198.51.100.9", 100, 1, 0)...)
	got := briefs(detect(t, "dos", abuse.Config{}, tel, nil))
	want := []brief{{"dos.outbound_flood", 70, 75, abuse.Outbound, 3}}
	if diff := cmpDiff(want, got); diff != "" {
		t.Errorf("three intervals over the threshold, 46 hours apart (-want +got):\n%s", diff)
	}
	f := detect(t, "dos", abuse.Config{}, tel, nil)[0]
	if !f.FirstSeen.Equal(t0.Add(time.Hour)) || !f.LastSeen.Equal(t0.Add(47*time.Hour+10*time.Second-1)) {
		t.Errorf("seen %v to %v, want the first and last flooded intervals", f.FirstSeen, f.LastSeen)
	}
}
