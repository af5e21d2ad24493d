package abuse

import (
	"cmp"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/riskkit/riskkit/internal/text"
)

// hackingDetector looks for port scans, sweeps and brute-force logins.
//
// A vertical scan is failed connections to at least ScanPorts distinct ports
// of one host within ScanWindow; a horizontal sweep is failed connections to
// at least SweepHosts distinct hosts on one port within ScanWindow; brute
// force is at least BruteForceFailures failed logins to one service (port)
// within BruteForceWindow. Windows are half-open: activity spread over
// exactly ScanWindow does not count.
//
// Outbound activity, the customer attacking others, is high severity and
// counts only against public addresses, since scanning one's own private
// network is not misuse. Inbound activity, the customer being attacked, is
// low severity: it calls for a notice, not enforcement. A vertical scan
// too slow for ScanWindow is found across windows; see slowScans. Per-resource
// telemetry cannot see an inbound sweep across many of the customer's hosts,
// so inbound sweeps are not reported.
type hackingDetector struct{ cfg HackingConfig }

func (d *hackingDetector) Name() string      { return "hacking" }
func (d *hackingDetector) Sources() []Source { return nil }
func (d *hackingDetector) Traits() Traits {
	return Traits{Optional: []Source{SourceFlows, SourceAuth}, OrderIndependent: true}
}

// attempt is one failed connection or login record.
type attempt struct {
	out  bool
	t    int64 // Unix nanoseconds
	addr netip.Addr
	port uint16
	n    int64
	svc  string
}

func compareAttempts(a, b *attempt) int {
	if c := cmp.Compare(a.t, b.t); c != 0 {
		return c
	}
	if c := a.addr.Compare(b.addr); c != 0 {
		return c
	}
	if c := cmp.Compare(a.port, b.port); c != 0 {
		return c
	}
	if c := cmp.Compare(a.n, b.n); c != 0 {
		return c
	}
	return cmp.Compare(a.svc, b.svc)
}

func boolOrder(b bool) int {
	if b {
		return 1
	}
	return 0
}

// scanGroup is what sliding a window over one host's or one port's
// attempts found.
type scanGroup struct {
	best        int // most distinct keys in one window
	first, last int64
	failures    int64
}

// slide moves a window of the given length over attempts, which are sorted
// by time, and reports the most distinct keys it held at once, together
// with the span and failures of the windows that reached threshold.
func slide[K comparable](as []attempt, window int64, threshold int, key func(*attempt) K, counts map[K]int32) scanGroup {
	clear(counts)
	g := scanGroup{first: -1}
	i := 0
	for j := range as {
		counts[key(&as[j])]++
		for as[j].t-as[i].t >= window {
			k := key(&as[i])
			if counts[k]--; counts[k] == 0 {
				delete(counts, k)
			}
			i++
		}
		g.best = max(g.best, len(counts))
		if len(counts) >= threshold {
			if g.first < 0 || as[i].t < g.first {
				g.first = as[i].t
			}
			g.last = max(g.last, as[j].t)
		}
	}
	if g.first >= 0 {
		for k := range as {
			if as[k].t >= g.first && as[k].t <= g.last {
				g.failures = satAdd(g.failures, as[k].n)
			}
		}
	}
	return g
}

func (d *hackingDetector) Detect(in *DetectorInput) []Finding {
	t := in.Telemetry
	var out []Finding
	var conns []attempt
	for i := range t.Flows {
		f := &t.Flows[i]
		if f.Failed <= 0 || f.Direction == NoDirection || (f.Direction == Outbound && !isPublic(f.Remote)) {
			continue
		}
		if conns == nil {
			conns = make([]attempt, 0, len(t.Flows)-i)
		}
		conns = append(conns, attempt{out: f.Direction == Outbound, t: f.Time.UnixNano(), addr: f.Remote, port: f.Port, n: f.Failed})
	}
	if len(conns) > 0 {
		out = append(out, d.scans(conns)...)
		out = append(out, d.sweeps(conns)...)
		out = append(out, d.slowScans(in)...)
	}
	var logins []attempt
	for i := range t.AuthFailures {
		a := &t.AuthFailures[i]
		if a.Direction == NoDirection || (a.Direction == Outbound && !isPublic(a.Remote)) {
			continue
		}
		logins = append(logins, attempt{out: a.Direction == Outbound, t: a.Time.UnixNano(), addr: a.Remote, port: a.Port, n: max(a.Count, 1), svc: a.Service})
	}
	if len(logins) > 0 {
		out = append(out, d.bruteForce(logins)...)
	}
	return out
}

// scans finds vertical scans: one host, many ports.
func (d *hackingDetector) scans(as []attempt) []Finding {
	slices.SortFunc(as, func(a, b attempt) int {
		if c := cmp.Compare(boolOrder(a.out), boolOrder(b.out)); c != 0 {
			return c
		}
		if c := a.addr.Compare(b.addr); c != 0 {
			return c
		}
		return compareAttempts(&a, &b)
	})
	counts := make(map[uint16]int32)
	window := int64(d.cfg.ScanWindow)
	var res [2]struct {
		hosts, failures int64
		best            int
		when            spanNanos
		top             topDests
	}
	for i := 0; i < len(as); {
		j := i + 1
		for j < len(as) && as[j].out == as[i].out && as[j].addr == as[i].addr {
			j++
		}
		g := slide(as[i:j], window, d.cfg.ScanPorts, func(a *attempt) uint16 { return a.port }, counts)
		if g.first >= 0 {
			r := &res[boolOrder(as[i].out)]
			r.hosts++
			r.failures = satAdd(r.failures, g.failures)
			r.best = max(r.best, g.best)
			r.when.add(g.first, g.last)
			r.top.add(as[i].addr, 0, int64(g.best))
		}
		i = j
	}
	var out []Finding
	for dir, r := range res {
		if r.hosts == 0 {
			continue
		}
		f := Finding{
			Type:     "hacking.port_scan",
			Category: Hacking,
			Evidence: Evidence{
				Counts: map[string]int64{
					"hosts_scanned":      r.hosts,
					"most_ports_on_host": int64(r.best),
					"failed_connections": r.failures,
				},
				Samples: r.top.addrs(),
			},
			FirstSeen: time.Unix(0, r.when.first).UTC(),
			LastSeen:  time.Unix(0, r.when.last).UTC(),
			Count:     r.hosts,
		}
		if dir == 1 {
			f.Direction, f.Severity, f.Confidence = Outbound, 70, 75
			f.Summary = "outbound port scan of " + text.Plural(r.hosts, "host") + ", up to " + strconv.Itoa(r.best) + " ports each"
		} else {
			f.Direction, f.Severity, f.Confidence = Inbound, 20, 70
			f.Summary = "inbound port scan from " + text.Plural(r.hosts, "source") + ", up to " + strconv.Itoa(r.best) + " ports each"
		}
		out = append(out, f)
	}
	return out
}

// sweeps finds outbound horizontal sweeps: one port, many hosts.
func (d *hackingDetector) sweeps(as []attempt) []Finding {
	slices.SortFunc(as, func(a, b attempt) int {
		if c := cmp.Compare(boolOrder(a.out), boolOrder(b.out)); c != 0 {
			return c
		}
		if c := cmp.Compare(a.port, b.port); c != 0 {
			return c
		}
		return compareAttempts(&a, &b)
	})
	counts := make(map[netip.Addr]int32)
	window := int64(d.cfg.ScanWindow)
	var (
		ports, failures int64
		best            int
		when            spanNanos
		top             topDests
	)
	for i := 0; i < len(as); {
		j := i + 1
		for j < len(as) && as[j].out == as[i].out && as[j].port == as[i].port {
			j++
		}
		if as[i].out {
			g := slide(as[i:j], window, d.cfg.SweepHosts, func(a *attempt) netip.Addr { return a.addr }, counts)
			if g.first >= 0 {
				ports++
				failures = satAdd(failures, g.failures)
				best = max(best, g.best)
				when.add(g.first, g.last)
				top.add(netip.Addr{}, as[i].port, int64(g.best))
			}
		}
		i = j
	}
	if ports == 0 {
		return nil
	}
	samples := make([]string, top.n)
	for k := range top.n {
		samples[k] = portName(top.items[k].port)
	}
	return []Finding{{
		Type:       "hacking.sweep",
		Category:   Hacking,
		Severity:   75,
		Confidence: 80,
		Direction:  Outbound,
		Summary:    "outbound sweep of up to " + text.Plural(best, "host") + " on " + text.Plural(ports, "port"),
		Evidence: Evidence{
			Counts: map[string]int64{
				"ports_swept":        ports,
				"most_hosts_on_port": int64(best),
				"failed_connections": failures,
			},
			Samples: samples,
		},
		FirstSeen: time.Unix(0, when.first).UTC(),
		LastSeen:  time.Unix(0, when.last).UTC(),
		Count:     ports,
	}}
}

// bruteForce finds many failed logins to one service.
func (d *hackingDetector) bruteForce(as []attempt) []Finding {
	slices.SortFunc(as, func(a, b attempt) int {
		if c := cmp.Compare(boolOrder(a.out), boolOrder(b.out)); c != 0 {
			return c
		}
		if c := cmp.Compare(a.port, b.port); c != 0 {
			return c
		}
		return compareAttempts(&a, &b)
	})
	window := int64(d.cfg.BruteForceWindow)
	var res [2]struct {
		failures, most, services int64
		when                     spanNanos
		top                      topDests
		names                    []string
	}
	for i := 0; i < len(as); {
		j := i + 1
		for j < len(as) && as[j].out == as[i].out && as[j].port == as[i].port {
			j++
		}
		g := as[i:j]
		var sum, most int64
		first, last := int64(-1), int64(0)
		lo := 0
		for hi := range g {
			sum = satAdd(sum, g[hi].n)
			for g[hi].t-g[lo].t >= window {
				sum -= g[lo].n
				lo++
			}
			most = max(most, sum)
			if sum >= d.cfg.BruteForceFailures {
				if first < 0 || g[lo].t < first {
					first = g[lo].t
				}
				last = max(last, g[hi].t)
			}
		}
		if first >= 0 {
			r := &res[boolOrder(g[0].out)]
			r.services++
			r.most = max(r.most, most)
			r.when.add(first, last)
			name := ""
			for k := range g {
				if g[k].t >= first && g[k].t <= last {
					r.failures = satAdd(r.failures, g[k].n)
					r.top.add(g[k].addr, g[k].port, g[k].n)
				}
				if g[k].svc != "" && (name == "" || g[k].svc < name) {
					name = g[k].svc
				}
			}
			if name == "" {
				name = portName(g[0].port)
			}
			r.names = append(r.names, name)
		}
		i = j
	}
	var out []Finding
	for dir, r := range res {
		if r.services == 0 {
			continue
		}
		f := Finding{
			Type:     "hacking.brute_force",
			Category: Hacking,
			Evidence: Evidence{
				Counts: map[string]int64{
					"failed_logins":  r.failures,
					"most_in_window": r.most,
					"services":       r.services,
					"window_minutes": int64(d.cfg.BruteForceWindow / time.Minute),
				},
				Samples: r.top.endpoints(),
			},
			FirstSeen: time.Unix(0, r.when.first).UTC(),
			LastSeen:  time.Unix(0, r.when.last).UTC(),
			Count:     r.failures,
		}
		svc := sortedUnique(r.names)
		if dir == 1 {
			f.Direction, f.Severity, f.Confidence = Outbound, 80, 85
			f.Summary = "outbound brute force: " + text.Plural(r.failures, "failed login") + " to " + strings.Join(svc, ", ")
		} else {
			f.Direction, f.Severity, f.Confidence = Inbound, 30, 80
			f.Summary = "inbound brute force: " + text.Plural(r.failures, "failed login") + " to " + strings.Join(svc, ", ")
		}
		out = append(out, f)
	}
	return out
}

// spanNanos tracks the earliest and latest instants, in Unix nanoseconds.
type spanNanos struct {
	set         bool
	first, last int64
}

func (s *spanNanos) add(first, last int64) {
	if !s.set || first < s.first {
		s.first = first
	}
	if !s.set || last > s.last {
		s.last = last
	}
	s.set = true
}
