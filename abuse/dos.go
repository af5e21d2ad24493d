package abuse

import (
	"cmp"
	"math/bits"
	"slices"
	"strconv"
	"time"
)

// dosDetector looks for outbound denial of service: traffic from the
// resource to public addresses whose packet, bandwidth or new-flow rate,
// averaged over each interval of the window, reaches a threshold. Traffic
// to private addresses is the customer's own business and never counts.
//
// A flow record that spans several seconds is spread evenly over them, so
// a record summarising a minute cannot show a burst shorter than that
// minute; hosts that want short bursts caught send records of a few
// seconds.
type dosDetector struct{ cfg DoSConfig }

func (d *dosDetector) Name() string      { return "dos" }
func (d *dosDetector) Sources() []Source { return []Source{SourceFlows} }
func (d *dosDetector) Traits() Traits    { return Traits{OrderIndependent: true} }

// limits returns the thresholds as totals over one interval.
func (d *dosDetector) limits() (secs, packets, bytes, flows int64) {
	secs = int64(d.cfg.Interval / time.Second)
	return secs, d.cfg.PacketsPerSecond * secs, d.cfg.MegabitsPerSecond * 125_000 * secs, d.cfg.FlowsPerSecond * secs
}

// thresholdsOverflow reports whether the per-interval totals of the
// thresholds overflow int64.
func (d *dosDetector) thresholdsOverflow() bool {
	secs := uint64(d.cfg.Interval / time.Second)
	for _, x := range []uint64{uint64(d.cfg.PacketsPerSecond), uint64(d.cfg.MegabitsPerSecond) * 125_000, uint64(d.cfg.FlowsPerSecond)} {
		hi, lo := bits.Mul64(x, secs)
		if hi != 0 || lo > 1<<63-1 {
			return true
		}
	}
	return uint64(d.cfg.MegabitsPerSecond) > (1<<63-1)/125_000
}

// MaxFlowSeconds is the longest interval a [Flow] may summarise: one hour.
const MaxFlowSeconds = 3600

// share is the part of one flow record that falls in one interval.
type share struct {
	bucket                int64
	packets, bytes, flows int64
}

func (d *dosDetector) Detect(in *Input) []Finding {
	t := in.Telemetry
	secs, maxPackets, maxBytes, maxFlows := d.limits()
	if secs <= 0 || !t.Window.End.After(t.Window.Start) {
		return nil
	}
	windowSecs := int64((t.Window.Duration() + time.Second - 1) / time.Second)
	counts := func(f *Flow) bool {
		return f.Direction == Outbound && isPublic(f.Remote) && t.Window.Contains(f.Time) && f.Seconds <= MaxFlowSeconds
	}
	// The first pass finds how many interval shares the records make and
	// which intervals they fall in. When those intervals are dense, as they
	// are for a window of continuous traffic, the shares are summed in an
	// array indexed by interval; when sparse, they are sorted by interval
	// instead, so that memory follows the records rather than the window's
	// length. Either way a window costs one allocation.
	need, lowest, highest := 0, int64(-1), int64(-1)
	for i := range t.Flows {
		if f := &t.Flows[i]; counts(f) {
			start := int64(f.Time.Sub(t.Window.Start) / time.Second)
			end := start + min(max(f.Seconds, 1), windowSecs-start)
			need += int((end-1)/secs - start/secs + 1)
			if lowest < 0 || start/secs < lowest {
				lowest = start / secs
			}
			highest = max(highest, (end-1)/secs)
		}
	}
	if need == 0 {
		return nil
	}
	var (
		dests  topDests
		dense  []share
		shares []share
	)
	if span := highest - lowest + 1; span <= int64(max(4*need, 4096)) {
		dense = make([]share, span)
	} else {
		shares = make([]share, 0, need)
	}
	for i := range t.Flows {
		f := &t.Flows[i]
		if !counts(f) {
			continue
		}
		dests.add(f.Remote, f.Port, f.Packets)
		start := int64(f.Time.Sub(t.Window.Start) / time.Second)
		n := max(f.Seconds, 1)
		end := start + min(n, windowSecs-start)
		// Spread the record over the intervals it overlaps, handing out
		// the remainders cumulatively so that nothing is lost.
		var done, gp, gb, gf int64
		for b := start / secs; b*secs < end; b++ {
			lo, hi := max(start, b*secs), min(end, (b+1)*secs)
			done += hi - lo
			p, y, fl := mulDiv(f.Packets, done, n), mulDiv(f.Bytes, done, n), mulDiv(f.Flows, done, n)
			if dense != nil {
				d := &dense[b-lowest]
				d.packets, d.bytes, d.flows = satAdd(d.packets, p-gp), satAdd(d.bytes, y-gb), satAdd(d.flows, fl-gf)
			} else {
				shares = append(shares, share{b, p - gp, y - gb, fl - gf})
			}
			gp, gb, gf = p, y, fl
		}
	}
	if dense == nil {
		// Sum the sorted shares of each interval into the first of them.
		slices.SortFunc(shares, func(a, b share) int { return cmp.Compare(a.bucket, b.bucket) })
		n := 0
		for i := range shares {
			if n > 0 && shares[n-1].bucket == shares[i].bucket {
				x := &shares[n-1]
				x.packets, x.bytes, x.flows = satAdd(x.packets, shares[i].packets), satAdd(x.bytes, shares[i].bytes), satAdd(x.flows, shares[i].flows)
				continue
			}
			shares[n] = shares[i]
			n++
		}
		dense = shares[:n]
	} else {
		for i := range dense {
			dense[i].bucket = lowest + int64(i)
		}
	}

	var (
		over                int64
		first, last         int64 = -1, -1
		peakP, peakB, peakF int64
		doubled             bool
	)
	for _, x := range dense {
		p, y, fl := x.packets, x.bytes, x.flows
		peakP, peakB, peakF = max(peakP, p), max(peakB, y), max(peakF, fl)
		if p >= maxPackets || y >= maxBytes || fl >= maxFlows {
			over++
			if first < 0 {
				first = x.bucket
			}
			last = x.bucket
			if p/2 >= maxPackets || y/2 >= maxBytes || fl/2 >= maxFlows {
				doubled = true
			}
		}
	}
	if over == 0 {
		return nil
	}
	sev, conf := Severity(7.5), 80
	if doubled {
		sev = 8.5
	}
	if over >= 3 {
		conf = 90
	}
	interval := time.Duration(secs) * time.Second
	ev := Evidence{
		Counts: map[string]int64{
			"intervals_over":               over,
			"interval_seconds":             secs,
			"peak_packets_per_second":      peakP / secs,
			"peak_megabits_per_second":     peakB / secs / 125_000,
			"peak_new_flows_per_second":    peakF / secs,
			"threshold_packets_per_second": d.cfg.PacketsPerSecond,
		},
		Samples: dests.addrs(),
	}
	return []Finding{{
		Type:       "dos.outbound_flood",
		Category:   DenialOfService,
		Severity:   sev,
		Confidence: conf,
		Direction:  Outbound,
		Summary: "outbound flood: peak " + strconv.FormatInt(peakP/secs, 10) + " packets/s, " +
			strconv.FormatInt(peakB/secs/125_000, 10) + " Mbit/s, " + strconv.FormatInt(peakF/secs, 10) +
			" new flows/s over " + interval.String() + " intervals",
		Evidence:  ev,
		FirstSeen: t.Window.Start.Add(time.Duration(first) * interval),
		LastSeen:  minTime(t.Window.Start.Add(time.Duration(last+1)*interval-1), t.Window.End),
		Count:     over,
	}}
}

// mulDiv returns a*b/c for 0 <= b <= c, without overflow.
func mulDiv(a, b, c int64) int64 {
	if a <= 0 || b <= 0 || c <= 0 {
		return 0
	}
	hi, lo := bits.Mul64(uint64(a), uint64(b))
	q, _ := bits.Div64(hi, lo, uint64(c))
	return int64(q)
}

// satAdd adds non-negative counts, stopping at the int64 limit rather than
// wrapping around into a negative count.
func satAdd(a, b int64) int64 {
	if s := a + b; s >= a {
		return s
	}
	return 1<<63 - 1
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
