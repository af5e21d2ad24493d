package abuse

import (
	"cmp"
	"encoding/binary"
	"math/bits"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/riskkit/riskkit/internal/text"
)

// dosDetector looks for outbound denial of service: the resource flooding
// someone. A busy server is not a flood, so the detector reads the flood
// thresholds per target, as the flood detectors of network operators do
// (per destination packets, bandwidth and new flows per second), and then
// asks whether the traffic to a target over them looks like an attack or
// like service. Traffic to private addresses is the customer's own business
// and never counts.
//
// A target is one destination address, or one /24 (IPv4) or /64 (IPv6)
// holding at least two of the destinations, so that a flood spread over a
// victim's subnet adds up. Rates are the target's traffic averaged over
// each Interval of the window; a record spanning several seconds is spread
// evenly over them, and a record's per-second peak (PeakPackets, PeakBytes)
// counts as a rate of its own, so a burst a long record averages away still
// shows when the flow logs keep maxima.
//
// For a target that reaches a threshold in some interval the detector
// weighs what legitimate servers do not do:
//
//   - one way: replies reported, fewer than one packet back for ten sent;
//   - handshakes only: TCP with at most three packets per new connection,
//     the shape of a SYN or connection flood;
//   - small packets: under 300 bytes a packet on average;
//   - connectionless: mostly UDP or ICMP.
//
// One way or handshakes only make a flood of high severity (7.5, 8.5 at
// twice a threshold; confidence 80, 90 from three intervals on or when
// replies were reported). Otherwise a target that answered (replies
// reported, at least one in ten), or that took mostly TCP over sessions it
// completed and kept open (Established reported and at least the new
// connections), is a served client and not a flood. Small
// packets or connectionless traffic without replies reported make a flood
// of lower confidence (7.0, 7.5 at twice a threshold; confidence 65, 75
// from three intervals on), and the summary says replies were not reported.
// What is left, large TCP packets to a target without replies reported,
// looks like an established transfer; the detector does not guess but
// reports the target as a gap. All flooded targets make one finding,
// "dos.outbound_flood".
//
// Outbound traffic whose Source is not one of [Telemetry.Addresses] is
// spoofed, which no legitimate server sends: SpoofedPackets of it in a
// window, whatever its destinations, is "dos.spoofed_source" (8.0, 90%).
//
// Gaps: records longer than the interval without per-second peaks and
// large enough to hide an interval over a threshold; targets over a
// threshold that could not be told from service; source addresses
// recorded without the resource's own addresses.
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

// Thresholds of the flood character, documented on dosDetector.
const (
	oneWayRatio     = 10  // fewer than one reply for this many packets
	handshakePkts   = 3   // at most this many packets per new connection
	smallPacket     = 300 // bytes a packet below which packets are small
	replyShareFloor = 10  // replies for this many packets make a served client
)

// target is the outbound traffic to one destination or one subnet.
type target struct {
	addr   netip.Addr // the destination, or the subnet's first address
	subnet bool
	addrs  int // distinct destinations, for a subnet

	packets, bytes, flows, failed int64
	replies, noReplies            int64 // reply packets; records without them
	established, noEstablished    int64 // sessions carried over; records without them
	tcp, connless                 int64 // packets by kind of protocol
	peakPackets, peakBytes        int64 // the largest per-second peaks reported

	candidate bool
	// The most any one interval can hold, the sum of each record's largest
	// share of an interval: a target whose bounds stay under the thresholds
	// need not be spread over the intervals, which for a busy server's
	// hour-long records would be most of the work.
	boundP, boundB, boundF int64
	spread                 bool
	// What the intervals showed.
	over, first, last   int64 // intervals over a threshold; first and last second over
	rateP, rateB, rateF int64 // the highest rates per second
	doubled             bool
}

// share is the part of one record that falls in one interval, for one
// target.
type share struct {
	target, bucket        int32
	packets, bytes, flows int64
}

func (d *dosDetector) Detect(in *DetectorInput) []Finding {
	fs, _ := d.DetectGaps(in)
	return fs
}

// DetectGaps returns the findings and what the records did not let the
// detector check.
func (d *dosDetector) DetectGaps(in *DetectorInput) ([]Finding, []string) {
	t := in.Telemetry
	secs, maxPackets, maxBytes, maxFlows := d.limits()
	if secs <= 0 || !t.Window.End.After(t.Window.Start) {
		return nil, nil
	}
	windowSecs := int64((t.Window.Duration() + time.Second - 1) / time.Second)
	counts := func(f *Flow) bool {
		return f.Direction == Outbound && isPublic(f.Remote) && t.Window.Contains(f.Time) && f.Seconds <= MaxFlowSeconds
	}
	peakPackets, peakBytes := d.cfg.PacketsPerSecond, d.cfg.MegabitsPerSecond*125_000
	// The records are summed into a small table by a hash of their
	// destination and of their subnet, each record by the most of it one
	// interval can hold. A slot's sum is then at least what any interval
	// of any target hashed into it holds, so a target in a slot under
	// every threshold cannot reach one, and the records of such slots need
	// no exact sums: a busy window of many destinations, or of long
	// records, stops here.
	bitsN := max(10, bits.Len(uint(len(t.Flows)/8)))
	slots := make([]slot, 1<<bitsN)
	var (
		gaps               []string
		hot                bool
		coarse, withSource int64
		spoof              spoofed
	)
	for i := range t.Flows {
		f := &t.Flows[i]
		if !counts(f) {
			continue
		}
		dh, sh := hashTarget(f.Remote, bitsN)
		peak := f.PeakPackets >= peakPackets || f.PeakBytes >= peakBytes
		bp, bb, bf := shareBound(f, secs)
		for _, h := range [2]uint64{dh, sh} {
			x := &slots[h]
			x.packets, x.bytes, x.flows = satAdd(x.packets, bp), satAdd(x.bytes, bb), satAdd(x.flows, bf)
			if peak || x.packets >= maxPackets || x.bytes >= maxBytes || x.flows >= maxFlows {
				x.hot, hot = true, true
			}
		}
		if f.Seconds > secs && f.PeakPackets == 0 && f.PeakBytes == 0 &&
			(f.Packets >= maxPackets || f.Bytes >= maxBytes || f.Flows >= maxFlows) {
			coarse++
		}
		if f.Source.IsValid() {
			withSource++
			if len(t.Addresses) > 0 && !slices.Contains(t.Addresses, f.Source) {
				spoof.add(f)
			}
		}
	}
	if coarse > 0 {
		gaps = append(gaps, text.Plural(coarse, "flow record")+" longer than the "+strconv.FormatInt(secs, 10)+
			" s interval, large enough to hide a flood, carry no per-second peaks: bursts shorter than a record were not checked")
	}
	if withSource > 0 && len(t.Addresses) == 0 {
		gaps = append(gaps, "flow records carry source addresses but the telemetry lists none of the resource's own: spoofing was not checked")
	}
	var out []Finding
	if spoof.packets >= d.cfg.SpoofedPackets {
		out = append(out, spoof.finding())
	}
	if !hot {
		return out, gaps
	}
	targets, of := d.aggregate(t, counts, slots, bitsN)
	if len(targets) == 0 {
		return out, gaps
	}
	d.intervals(t, targets, of, counts, windowSecs)

	// A subnet whose flood is one of its destinations' adds nothing.
	flooded := map[netip.Prefix]bool{}
	for i := range targets {
		if x := &targets[i]; !x.subnet && x.over > 0 {
			flooded[subnetOf(x.addr)] = true
		}
	}
	var (
		flood     dosVerdict
		ambiguous topDests
		unsure    int64
	)
	for i := range targets {
		x := &targets[i]
		if x.over == 0 || (x.subnet && flooded[subnetOf(x.addr)]) {
			continue
		}
		switch v := x.verdict(); v {
		case service:
		case unknown:
			unsure++
			ambiguous.add(x.addr, 0, x.packets)
		default:
			flood.add(x, v)
		}
	}
	if unsure > 0 {
		names := ambiguous.addrs()
		gaps = append(gaps, text.Plural(unsure, "target")+" over the per-target flood thresholds looked like established TCP transfers, "+
			"but replies were not reported, so a flood could not be ruled out: "+strings.Join(names, ", "))
	}
	if flood.targets > 0 {
		out = append(out, flood.finding(t.Window, secs, d.cfg.PacketsPerSecond))
	}
	return out, gaps
}

// tally is the running bound of one destination or subnet: the sum of
// the most of each of its records that one interval can hold. It is kept
// small because a busy window has one per destination.
type tally struct {
	packets, bytes, flows  int64
	peakPackets, peakBytes int64
	addrs                  int32 // distinct destinations, for a subnet
	target                 int32 // index among the candidate targets, or -1
	hot                    bool  // its slot may reach a threshold
}

// slot is one entry of the hashed table of sums.
type slot struct {
	packets, bytes, flows int64
	hot                   bool
}

// hashTarget returns the slots, in a table of 1<<n, of a destination and
// of its subnet.
func hashTarget(a netip.Addr, n int) (dest, subnet uint64) {
	const mix = 0x9E3779B97F4A7C15
	a = a.Unmap()
	var k, net uint64
	if a.Is4() {
		b := a.As4()
		k = uint64(b[0])<<24 | uint64(b[1])<<16 | uint64(b[2])<<8 | uint64(b[3])
		net = k>>8 | 1<<40
	} else {
		b := a.As16()
		hi, lo := binary.BigEndian.Uint64(b[:8]), binary.BigEndian.Uint64(b[8:])
		k, net = hi*mix^lo, hi|1<<62
	}
	return (k * mix) >> (64 - n), (net * mix) >> (64 - n)
}

// aggregate sums the counted records per destination and per subnet, and
// returns the targets that may reach a threshold, with, for each record,
// the indices of its destination and subnet among them (-1 for neither).
// Only candidates get the full statistics, so that a window of many small
// destinations costs little more than two map lookups a record.
func (d *dosDetector) aggregate(t *Telemetry, counts func(*Flow) bool, slots []slot, bitsN int) ([]target, [][2]int32) {
	secs, maxPackets, maxBytes, maxFlows := d.limits()
	peakPackets, peakBytes := d.cfg.PacketsPerSecond, d.cfg.MegabitsPerSecond*125_000
	of := make([][2]int32, len(t.Flows))
	// IPv4 destinations and their /24s share one map keyed by integers;
	// IPv6 ones, rarer, get maps of their own.
	v4 := make(map[uint64]int32, min(2*len(t.Flows), 1<<16))
	var v6 map[netip.Addr]int32
	var v6nets map[netip.Prefix]int32
	var tallies []tally
	index := func(found bool, i int32) (int32, bool) {
		if found {
			return i, false
		}
		tallies = append(tallies, tally{target: -1})
		return int32(len(tallies) - 1), true
	}
	for i := range t.Flows {
		f := &t.Flows[i]
		dh, sh := hashTarget(f.Remote, bitsN)
		if (!slots[dh].hot && !slots[sh].hot) || !counts(f) {
			of[i] = [2]int32{-1, -1}
			continue
		}
		var di, si int32
		var isNew bool
		if a := f.Remote.Unmap(); a.Is4() {
			b := a.As4()
			k := uint64(b[0])<<24 | uint64(b[1])<<16 | uint64(b[2])<<8 | uint64(b[3])
			x, ok := v4[k]
			if di, isNew = index(ok, x); isNew {
				v4[k] = di
			}
			x, ok = v4[1<<40|k>>8]
			if si, _ = index(ok, x); !ok {
				v4[1<<40|k>>8] = si
			}
		} else {
			if v6 == nil {
				v6, v6nets = map[netip.Addr]int32{}, map[netip.Prefix]int32{}
			}
			x, ok := v6[a]
			if di, isNew = index(ok, x); isNew {
				v6[a] = di
			}
			p := subnetOf(a)
			x, ok = v6nets[p]
			if si, _ = index(ok, x); !ok {
				v6nets[p] = si
			}
		}
		if isNew {
			tallies[si].addrs++
		}
		tallies[di].hot, tallies[si].hot = slots[dh].hot, slots[sh].hot
		bp, bb, bf := shareBound(f, secs)
		for _, k := range [2]int32{di, si} {
			x := &tallies[k]
			x.packets, x.bytes, x.flows = satAdd(x.packets, bp), satAdd(x.bytes, bb), satAdd(x.flows, bf)
			x.peakPackets, x.peakBytes = max(x.peakPackets, f.PeakPackets), max(x.peakBytes, f.PeakBytes)
		}
		of[i] = [2]int32{di, si}
	}
	n := int32(0)
	for i := range tallies {
		x := &tallies[i]
		if x.hot && (x.packets >= maxPackets || x.bytes >= maxBytes || x.flows >= maxFlows || x.peakPackets >= peakPackets || x.peakBytes >= peakBytes) &&
			x.addrs != 1 { // a subnet of one destination is that destination
			x.target = n
			n++
		}
	}
	if n == 0 {
		return nil, nil
	}
	targets := make([]target, n)
	for i := range t.Flows {
		f := &t.Flows[i]
		if of[i][0] < 0 {
			continue
		}
		for j, k := range of[i] {
			c := tallies[k].target
			of[i][j] = c
			if c < 0 {
				continue
			}
			x := &targets[c]
			if !x.candidate {
				x.candidate, x.subnet, x.addrs = true, j == 1, int(tallies[k].addrs)
				x.addr = f.Remote.Unmap()
				if x.subnet {
					x.addr = subnetOf(x.addr).Addr()
				}
			}
			x.packets, x.bytes = satAdd(x.packets, f.Packets), satAdd(x.bytes, f.Bytes)
			x.flows, x.failed = satAdd(x.flows, f.Flows), satAdd(x.failed, f.Failed)
			if r, ok := f.ReplyPackets.Get(); ok {
				x.replies = satAdd(x.replies, r)
			} else {
				x.noReplies++
			}
			if e, ok := f.Established.Get(); ok {
				x.established = satAdd(x.established, e)
			} else {
				x.noEstablished++
			}
			switch f.Protocol {
			case TCP:
				x.tcp = satAdd(x.tcp, f.Packets)
			case UDP, ICMP:
				x.connless = satAdd(x.connless, f.Packets)
			}
			x.peakPackets, x.peakBytes = max(x.peakPackets, f.PeakPackets), max(x.peakBytes, f.PeakBytes)
			bp, bb, bf := shareBound(f, secs)
			x.boundP, x.boundB, x.boundF = satAdd(x.boundP, bp), satAdd(x.boundB, bb), satAdd(x.boundF, bf)
		}
	}
	for i := range targets {
		x := &targets[i]
		x.spread = x.boundP >= maxPackets || x.boundB >= maxBytes || x.boundF >= maxFlows
	}
	return targets, of
}

// intervals spreads the records of candidate targets over the intervals of
// the window and records, per target, the intervals over a threshold.
func (d *dosDetector) intervals(t *Telemetry, targets []target, of [][2]int32, counts func(*Flow) bool, windowSecs int64) {
	secs, maxPackets, maxBytes, maxFlows := d.limits()
	var shares []share
	for i := range t.Flows {
		f := &t.Flows[i]
		if !counts(f) {
			continue
		}
		for _, k := range of[i] {
			if k < 0 {
				continue
			}
			x := &targets[k]
			start := int64(f.Time.Sub(t.Window.Start) / time.Second)
			n := max(f.Seconds, 1)
			end := start + min(n, windowSecs-start)
			// A reported per-second peak is a rate of its own: at least one
			// second of the record ran at it.
			if f.PeakPackets >= d.cfg.PacketsPerSecond || f.PeakBytes >= d.cfg.MegabitsPerSecond*125_000 {
				x.mark(start, end-1, f.PeakPackets, f.PeakBytes, 0, f.PeakPackets/2 >= d.cfg.PacketsPerSecond || f.PeakBytes/2 >= d.cfg.MegabitsPerSecond*125_000)
			}
			if !x.spread {
				continue
			}
			// Spread the record over the intervals it overlaps, handing
			// out the remainders cumulatively so that nothing is lost.
			var done, gp, gb, gf int64
			for b := start / secs; b*secs < end; b++ {
				lo, hi := max(start, b*secs), min(end, (b+1)*secs)
				done += hi - lo
				p, y, fl := mulDiv(f.Packets, done, n), mulDiv(f.Bytes, done, n), mulDiv(f.Flows, done, n)
				shares = append(shares, share{k, int32(b), p - gp, y - gb, fl - gf})
				gp, gb, gf = p, y, fl
			}
		}
	}
	slices.SortFunc(shares, func(a, b share) int { return cmp.Or(cmp.Compare(a.target, b.target), cmp.Compare(a.bucket, b.bucket)) })
	for i := 0; i < len(shares); {
		j := i
		var p, y, fl int64
		for ; j < len(shares) && shares[j].target == shares[i].target && shares[j].bucket == shares[i].bucket; j++ {
			p, y, fl = satAdd(p, shares[j].packets), satAdd(y, shares[j].bytes), satAdd(fl, shares[j].flows)
		}
		x := &targets[shares[i].target]
		b := int64(shares[i].bucket)
		x.rateP, x.rateB, x.rateF = max(x.rateP, p/secs), max(x.rateB, y/secs), max(x.rateF, fl/secs)
		if p >= maxPackets || y >= maxBytes || fl >= maxFlows {
			x.mark(b*secs, (b+1)*secs-1, 0, 0, 0, p/2 >= maxPackets || y/2 >= maxBytes || fl/2 >= maxFlows)
		}
		i = j
	}
}

// mark records an interval over a threshold, from second lo to second hi
// of the window.
func (x *target) mark(lo, hi, peakP, peakB, peakF int64, doubled bool) {
	if x.over == 0 || lo < x.first {
		x.first = lo
	}
	if x.over == 0 || hi > x.last {
		x.last = hi
	}
	x.over++
	x.rateP, x.rateB, x.rateF = max(x.rateP, peakP), max(x.rateB, peakB), max(x.rateF, peakF)
	x.doubled = x.doubled || doubled
}

// subnetOf returns the /24 of an IPv4 address or the /64 of an IPv6 one.
func subnetOf(a netip.Addr) netip.Prefix {
	a = a.Unmap()
	bits := 64
	if a.Is4() {
		bits = 24
	}
	p, _ := a.Prefix(bits)
	return p
}

// verdict is what the traffic to a target over a threshold looks like.
type verdict int

const (
	service  verdict = iota // a served client
	unknown                 // could not be told without replies
	moderate                // small packets or connectionless, replies not reported
	strong                  // one way or handshakes only
)

// verdict weighs the traffic to a target over a threshold.
func (x *target) verdict() verdict {
	repliesKnown := x.noReplies == 0
	oneWay := repliesKnown && x.replies*oneWayRatio < x.packets
	handshakes := 2*x.tcp >= x.packets && x.flows > 0 && x.packets <= handshakePkts*x.flows
	switch {
	case oneWay || handshakes:
		return strong
	case repliesKnown && x.replies*replyShareFloor >= x.packets:
		return service
	case x.noEstablished == 0 && x.established > 0 && x.established >= x.flows && 2*x.tcp >= x.packets:
		// Mostly TCP over sessions the target completed and keeps open:
		// its receive window paces the sender, which a flood does not let
		// it do.
		return service
	case x.bytes < smallPacket*x.packets || 2*x.connless > x.packets:
		return moderate
	}
	return unknown
}

// why describes the flood character of a target.
func (x *target) why() []string {
	var w []string
	repliesKnown := x.noReplies == 0
	switch {
	case repliesKnown && x.replies*oneWayRatio < x.packets:
		w = append(w, "almost no replies")
	case !repliesKnown:
		w = append(w, "replies not reported")
	}
	if 2*x.tcp >= x.packets && x.flows > 0 && x.packets <= handshakePkts*x.flows {
		w = append(w, "handshakes only")
	}
	if x.bytes < smallPacket*x.packets {
		w = append(w, "small packets")
	}
	if 2*x.connless > x.packets {
		w = append(w, "connectionless")
	}
	return w
}

// dosVerdict collects the flooded targets into one finding.
type dosVerdict struct {
	targets, over, first, last int64
	rateP, rateB, rateF        int64
	sev                        Severity
	conf                       int
	top                        topDests
	strongest                  *target
}

func (v *dosVerdict) add(x *target, kind verdict) {
	sev, conf := Severity(70), 65
	if x.doubled {
		sev = 75
	}
	if x.over >= 3 {
		conf = 75
	}
	if kind == strong {
		sev, conf = 75, 80
		if x.doubled {
			sev = 85
		}
		if x.over >= 3 || x.noReplies == 0 {
			conf = 90
		}
	}
	if v.targets == 0 || x.first < v.first {
		v.first = x.first
	}
	v.last = max(v.last, x.last)
	v.targets++
	v.over = satAdd(v.over, x.over)
	v.rateP, v.rateB, v.rateF = max(v.rateP, x.rateP), max(v.rateB, x.rateB), max(v.rateF, x.rateF)
	v.top.add(x.addr, 0, x.packets)
	if v.strongest == nil || sev > v.sev || (sev == v.sev && (conf > v.conf ||
		(conf == v.conf && (x.packets > v.strongest.packets || (x.packets == v.strongest.packets && x.addr.Less(v.strongest.addr)))))) {
		v.sev, v.conf, v.strongest = sev, conf, x
	}
}

func (v *dosVerdict) finding(w Interval, secs, threshold int64) Finding {
	x := v.strongest
	target := x.addr.String()
	if x.subnet {
		target = subnetOf(x.addr).String()
	}
	if v.targets > 1 {
		target += " and " + text.Plural(v.targets-1, "other target")
	}
	why := x.why()
	summary := "outbound flood to " + target + ": peak " + strconv.FormatInt(v.rateP, 10) + " packets/s, " +
		strconv.FormatInt(v.rateB/125_000, 10) + " Mbit/s, " + strconv.FormatInt(v.rateF, 10) + " new flows/s per target"
	if len(why) > 0 {
		summary += "; " + strings.Join(why, ", ")
	}
	counts := map[string]int64{
		"targets":                      v.targets,
		"intervals_over":               v.over,
		"interval_seconds":             secs,
		"peak_packets_per_second":      v.rateP,
		"peak_megabits_per_second":     v.rateB / 125_000,
		"peak_new_flows_per_second":    v.rateF,
		"threshold_packets_per_second": threshold,
	}
	if x.noReplies == 0 {
		counts["reply_packets"] = x.replies
	}
	return Finding{
		Type: "dos.outbound_flood", Category: DenialOfService, Severity: v.sev, Confidence: v.conf, Direction: Outbound,
		Summary:   summary,
		Evidence:  Evidence{Counts: counts, Samples: v.top.addrs()},
		FirstSeen: w.Start.Add(time.Duration(v.first) * time.Second),
		LastSeen:  minTime(w.Start.Add(time.Duration(v.last+1)*time.Second-1), w.End),
		Count:     v.over,
	}
}

// spoofed sums outbound traffic from addresses that are not the
// resource's.
type spoofed struct {
	packets, records int64
	when             span
	top              topDests
	sources          topDests
}

func (s *spoofed) add(f *Flow) {
	s.packets = satAdd(s.packets, f.Packets)
	s.records++
	s.when.add(f.Time)
	s.top.add(f.Remote, 0, f.Packets)
	s.sources.add(f.Source, 0, f.Packets)
}

func (s *spoofed) finding() Finding {
	return Finding{
		Type: "dos.spoofed_source", Category: DenialOfService, Severity: 80, Confidence: 90, Direction: Outbound,
		Summary: strconv.FormatInt(s.packets, 10) + " packets sent from addresses that are not the resource's, such as " +
			s.sources.addrs()[0] + ": spoofed traffic, as reflection and flood attacks send",
		Evidence:  Evidence{Counts: map[string]int64{"spoofed_packets": s.packets, "records": s.records}, Samples: s.top.addrs()},
		FirstSeen: s.when.first, LastSeen: s.when.last, Count: s.records,
	}
}

// shareBound returns the most packets, bytes and new flows of a record
// that one interval of secs seconds can hold: the record spread evenly over
// its seconds, rounded up.
func shareBound(f *Flow, secs int64) (packets, bytes, flows int64) {
	n := max(f.Seconds, 1)
	part := min(secs, n)
	return mulDivUp(f.Packets, part, n), mulDivUp(f.Bytes, part, n), mulDivUp(f.Flows, part, n)
}

// mulDivUp returns a*b/c rounded up, for 0 <= b <= c, without overflow.
func mulDivUp(a, b, c int64) int64 {
	if a <= 0 || b <= 0 || c <= 0 {
		return 0
	}
	hi, lo := bits.Mul64(uint64(a), uint64(b))
	q, r := bits.Div64(hi, lo, uint64(c))
	if r != 0 {
		q++
	}
	return int64(min(q, 1<<63-1))
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
