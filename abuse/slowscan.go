package abuse

import (
	"cmp"
	"net/netip"
	"slices"
	"strconv"
	"time"

	"github.com/riskkit/riskkit/internal/text"
)

// Probe is one window's failed outbound connections from a resource to one
// public host: the ports tried. [Baseline.Probes] keeps them so that a
// vertical scan spread over many windows adds up.
type Probe struct {
	Remote netip.Addr `json:"remote"`
	// End is the end of the window the ports were tried in.
	End time.Time `json:"end"`
	// Ports are the distinct ports, in increasing order.
	Ports []uint16 `json:"ports"`
}

// MaxProbes bounds [Baseline.Probes]; the oldest go first. A host is kept
// only from windows in which the resource failed on at least two of its
// ports, so that a monitor failing now and then on one port leaves nothing
// behind, and with at most [HackingConfig.SlowScanPorts] ports.
const MaxProbes = 512

// windowProbes returns the window's failed outbound connections to public
// hosts, one Probe per host with at least minPorts distinct ports, sorted
// by host.
func windowProbes(t *Telemetry, minPorts int) []Probe {
	type pair struct {
		addr netip.Addr
		port uint16
	}
	var pairs []pair
	for i := range t.Flows {
		f := &t.Flows[i]
		if f.Failed > 0 && f.Direction == Outbound && isPublic(f.Remote) {
			pairs = append(pairs, pair{f.Remote, f.Port})
		}
	}
	if len(pairs) == 0 {
		return nil
	}
	slices.SortFunc(pairs, func(a, b pair) int { return cmp.Or(a.addr.Compare(b.addr), cmp.Compare(a.port, b.port)) })
	pairs = slices.Compact(pairs)
	var out []Probe
	for i := 0; i < len(pairs); {
		j := i + 1
		for j < len(pairs) && pairs[j].addr == pairs[i].addr {
			j++
		}
		if j-i >= minPorts {
			p := Probe{Remote: pairs[i].addr, End: t.Window.End, Ports: make([]uint16, 0, j-i)}
			for _, x := range pairs[i:j] {
				p.Ports = append(p.Ports, x.port)
			}
			out = append(out, p)
		}
		i = j
	}
	return out
}

// addProbes records a window's probes, each with at most maxPorts ports
// (more in one window is a fast scan, which that window reports), and
// forgets those older than keep before its end.
func (b *Baseline) addProbes(ps []Probe, end time.Time, keep time.Duration, maxPorts int) {
	for i := range ps {
		ps[i].Ports = ps[i].Ports[:min(len(ps[i].Ports), maxPorts)]
	}
	cut := end.Add(-keep)
	b.Probes = slices.DeleteFunc(slices.Clone(b.Probes), func(p Probe) bool { return !p.End.After(cut) || !p.End.Before(end) })
	b.Probes = append(b.Probes, ps...)
	slices.SortFunc(b.Probes, func(x, y Probe) int { return cmp.Or(x.End.Compare(y.End), x.Remote.Compare(y.Remote)) })
	if n := len(b.Probes) - MaxProbes; n > 0 {
		b.Probes = b.Probes[n:]
	}
	if len(b.Probes) == 0 {
		b.Probes = nil
	}
}

// slowScans finds vertical scans too slow for one window: at least
// SlowScanPorts distinct ports of one public host with failed connections
// within SlowScanWindow, counting earlier windows' probes kept in the
// baseline. Only hosts the window itself probed are reported, and only
// when earlier windows contributed, since a scan inside one window is the
// port scan's business. High severity (7.0, 70%): the same misuse as a
// fast scan, seen with less certainty of intent.
func (d *hackingDetector) slowScans(in *DetectorInput) []Finding {
	t := in.Telemetry
	if len(in.Baseline.Probes) == 0 {
		return nil
	}
	cur := windowProbes(t, 1)
	cut := t.Window.End.Add(-d.cfg.SlowScanWindow)
	var (
		hosts, best int64
		top         topDests
		flagged     []netip.Addr
		ports       []uint16
	)
	for _, p := range cur {
		ports = append(ports[:0], p.Ports...)
		earlier := false
		for _, old := range in.Baseline.Probes {
			if old.Remote != p.Remote || !old.End.After(cut) || old.End.After(t.Window.Start) {
				continue
			}
			ports = append(ports, old.Ports...)
			earlier = true
		}
		if !earlier {
			continue
		}
		slices.Sort(ports)
		n := len(slices.Compact(ports))
		if n < d.cfg.SlowScanPorts {
			continue
		}
		hosts++
		best = max(best, int64(n))
		top.add(p.Remote, 0, int64(n))
		flagged = append(flagged, p.Remote)
	}
	if hosts == 0 {
		return nil
	}
	var when span
	var failures int64
	for i := range t.Flows {
		f := &t.Flows[i]
		if f.Failed > 0 && f.Direction == Outbound && slices.Contains(flagged, f.Remote) {
			when.add(f.Time)
			failures = satAdd(failures, f.Failed)
		}
	}
	hoursBack := int64(d.cfg.SlowScanWindow / time.Hour)
	return []Finding{{
		Type: "hacking.slow_scan", Category: Hacking, Severity: 70, Confidence: 70, Direction: Outbound,
		Summary: "slow outbound port scan of " + text.Plural(hosts, "host") + ": up to " + strconv.FormatInt(best, 10) +
			" ports of one host within " + d.cfg.SlowScanWindow.String(),
		Evidence: Evidence{
			Counts: map[string]int64{"hosts_scanned": hosts, "most_ports_on_host": best, "failed_connections": failures,
				"window_hours": hoursBack},
			Samples: top.addrs(),
		},
		FirstSeen: when.first, LastSeen: when.last, Count: hosts,
	}}
}
