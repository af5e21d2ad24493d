package abuse_test

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"net/netip"
	"testing"
	"time"

	"github.com/riskkit/riskkit/abuse"
	"github.com/riskkit/riskkit/risk"
)

// busyWindow returns an hour of a busy resource's telemetry with n flow
// records: mostly web traffic to many public addresses, some failed
// connections, some SMTP, a few pool ports, with DNS lookups, processes
// and utilisation samples in proportion.
func busyWindow(n int) *abuse.Telemetry {
	rng := rand.New(rand.NewPCG(7, 7))
	t := window(t0)
	span := int64(time.Hour - time.Second)
	for i := range n {
		f := abuse.Flow{
			Time:      t0.Add(time.Duration(rng.Int64N(span))),
			Seconds:   1 + rng.Int64N(10),
			Direction: abuse.Outbound,
			Remote:    netip.AddrFrom4([4]byte{byte(20 + rng.IntN(180)), byte(rng.IntN(256)), byte(rng.IntN(256)), byte(1 + rng.IntN(254))}),
			Port:      443,
			Protocol:  abuse.TCP,
			Packets:   1 + rng.Int64N(2000),
			Bytes:     100 + rng.Int64N(2_000_000),
			Flows:     1 + rng.Int64N(5),
		}
		switch {
		case i%10 == 0:
			f.Direction = abuse.Inbound
			f.Port = 80
		case i%25 == 0:
			f.Failed = 1
			f.Port = uint16(1 + rng.IntN(1024))
		case i%50 == 0:
			f.Port = 25
		case i%200 == 0:
			f.Port = 3333
		case i%7 == 0:
			f.Remote = netip.AddrFrom4([4]byte{10, 0, byte(rng.IntN(256)), byte(1 + rng.IntN(254))})
		}
		t.Flows = append(t.Flows, f)
	}
	for i := range n / 10 {
		t.DNS = append(t.DNS, abuse.DNSQuery{Time: t0.Add(time.Duration(rng.Int64N(span))), Name: fmt.Sprintf("api%d.service%d.example.com", i%50, i%7), Count: 3})
	}
	for i := range 60 {
		t.CPU = append(t.CPU, abuse.Sample{Time: t0.Add(time.Duration(i) * time.Minute), Percent: 40 + 10*rng.Float64()})
	}
	t.Processes = []abuse.Process{{Time: t0, Name: "nginx"}, {Time: t0, Name: "postgres"}}
	return t
}

// BenchmarkDetectors runs every built-in detector over one window; the
// ns/flow metric is the time per flow record, the figure the design
// targets at 1µs or less, and allocs/op should not grow with the number of
// records.
func BenchmarkDetectors(b *testing.B) {
	ds, err := abuse.Detectors(abuse.Config{})
	if err != nil {
		b.Fatal(err)
	}
	for _, n := range []int{1_000, 10_000, 100_000} {
		tel := busyWindow(n)
		in := &abuse.DetectorInput{Telemetry: tel, Baseline: &abuse.Baseline{Windows: 30, SMTPWindows: 30, SMTPFlows: float64(n / 50), SMTPRecipients: float64(n / 50)}}
		b.Run(fmt.Sprintf("flows=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				for _, d := range ds {
					d.Detect(in)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/flow")
		})
	}
}

// BenchmarkMonitor is BenchmarkDetectors plus validation and merging the
// findings into the state, as a host calls it.
func BenchmarkMonitor(b *testing.B) {
	m := mustMonitor(b, abuse.Config{})
	for _, n := range []int{1_000, 10_000, 100_000} {
		tel := busyWindow(n)
		b.Run(fmt.Sprintf("flows=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := m.Evaluate(abuse.State{}, tel, t1); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/flow")
		})
	}
}

// BenchmarkFlowBaseline is the floor to compare BenchmarkDetectors with:
// one pass over the same flow records that only classifies each
// destination and sums its packets.
func BenchmarkFlowBaseline(b *testing.B) {
	for _, n := range []int{1_000, 10_000, 100_000} {
		tel := busyWindow(n)
		b.Run(fmt.Sprintf("flows=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			var sink int64
			for b.Loop() {
				for i := range tel.Flows {
					f := &tel.Flows[i]
					if f.Direction == abuse.Outbound && f.Remote.IsGlobalUnicast() && !f.Remote.IsPrivate() {
						sink += f.Packets
					}
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/flow")
			_ = sink
		})
	}
}

// BenchmarkDetectorsCDN runs every built-in detector over an hour of a
// video edge node streaming to 2,000 viewers in hour-long records, each
// with more bytes than a flood threshold allows in an interval but spread
// over the hour: the window a per-target flood detector must not make
// expensive.
func BenchmarkDetectorsCDN(b *testing.B) {
	ds, err := abuse.Detectors(abuse.Config{})
	if err != nil {
		b.Fatal(err)
	}
	tel := with(window(t0), stream(t0, 2000, 2, true))
	tel.Flows = tel.Flows[:2000] // one record per viewer
	for i := range tel.Flows {
		tel.Flows[i].Seconds = 3600
		tel.Flows[i].Bytes *= 60
		tel.Flows[i].Packets *= 60
		tel.Flows[i].ReplyPackets = risk.Known(tel.Flows[i].Packets / 2)
	}
	in := &abuse.DetectorInput{Telemetry: tel, Baseline: &abuse.Baseline{}}
	b.ReportAllocs()
	for b.Loop() {
		for _, d := range ds {
			d.Detect(in)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(tel.Flows)), "ns/flow")
}

// BenchmarkParseTelemetry reads an hour of a busy resource's telemetry,
// written as JSON, with 10,000 flow records; ns/flow is the time per flow
// record.
func BenchmarkParseTelemetry(b *testing.B) {
	var buf bytes.Buffer
	if err := abuse.EncodeTelemetry(&buf, []abuse.Telemetry{*busyWindow(10_000)}); err != nil {
		b.Fatal(err)
	}
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := abuse.ParseTelemetry(data); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/10_000, "ns/flow")
}
