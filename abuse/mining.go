package abuse

import (
	"math"
	"slices"
	"strings"
	"time"
)

// miningDetector looks for crypto mining. It weighs five indicators:
//
//	outbound connections to a pool port      1 point
//	lookups of a pool domain                 2 points
//	a stratum URL on a command line          3 points
//	a miner process                          3 points
//	sustained near-full, steady CPU or GPU   1 point
//
// and reports a finding when there are at least 3 points, one of them from
// a domain, a URL or a process: pool ports and busy processors are each
// common in legitimate work, and even together they are not enough.
type miningDetector struct {
	cfg       MiningConfig
	ports     [1024]uint64 // bit set of pool ports
	domains   map[string]bool
	processes []string // lower case
}

func newMiningDetector(cfg MiningConfig) *miningDetector {
	d := &miningDetector{cfg: cfg, domains: make(map[string]bool, len(cfg.Domains))}
	for _, p := range cfg.Ports {
		d.ports[p/64] |= 1 << (p % 64)
	}
	for _, s := range cfg.Domains {
		d.domains[strings.TrimSuffix(strings.ToLower(strings.TrimSpace(s)), ".")] = true
	}
	for _, p := range cfg.Processes {
		d.processes = append(d.processes, strings.ToLower(strings.TrimSpace(p)))
	}
	return d
}

func (d *miningDetector) Name() string      { return "mining" }
func (d *miningDetector) Sources() []Source { return nil }
func (d *miningDetector) Traits() Traits {
	return Traits{Optional: []Source{SourceFlows, SourceDNS, SourceProcesses, SourceCPU, SourceGPU}, OrderIndependent: true}
}

func (d *miningDetector) isPoolPort(p uint16) bool { return d.ports[p/64]&(1<<(p%64)) != 0 }

func (d *miningDetector) isPoolDomain(name string) bool {
	var buf [256]byte
	name = strings.TrimSuffix(lowerASCII(name, buf[:]), ".")
	return domainSuffixes(name, func(s string) bool { return d.domains[s] })
}

func (d *miningDetector) isMiner(process string) bool {
	base := processBase(process)
	for _, p := range d.processes {
		if hasPrefixFold(base, p) {
			return true
		}
	}
	return false
}

// span tracks the first and last time of the records that matched.
type span struct{ first, last time.Time }

func (s *span) add(t time.Time) {
	if s.first.IsZero() || t.Before(s.first) {
		s.first = t
	}
	if s.last.IsZero() || t.After(s.last) {
		s.last = t
	}
}

func (d *miningDetector) Detect(in *DetectorInput) []Finding {
	t := in.Telemetry
	var (
		when                                     span
		portFlows, lookups, procs, urls, matched int64
		dests                                    topDests
	)
	for i := range t.Flows {
		f := &t.Flows[i]
		if f.Direction == Outbound && d.isPoolPort(f.Port) && isPublic(f.Remote) {
			portFlows++
			dests.add(f.Remote, f.Port, max(f.Flows, 1))
			when.add(f.Time)
		}
	}
	var domains, names []string
	for i := range t.DNS {
		q := &t.DNS[i]
		if d.isPoolDomain(q.Name) {
			lookups += max(q.Count, 1)
			domains = append(domains, strings.ToLower(strings.TrimSuffix(q.Name, ".")))
			when.add(q.Time)
		}
	}
	for i := range t.Processes {
		p := &t.Processes[i]
		miner, url := d.isMiner(p.Name), hasStratumURL(p.CommandLine)
		if miner {
			procs++
		}
		if url {
			urls++
		}
		if miner || url {
			matched++
			names = append(names, strings.ToLower(processBase(p.Name)))
			when.add(p.Time)
		}
	}
	cpuMean, cpuBusy := d.busy(t.CPU)
	gpuMean, gpuBusy := d.busy(t.GPU)

	points := 0
	if portFlows > 0 {
		points++
	}
	if lookups > 0 {
		points += 2
	}
	if urls > 0 {
		points += 3
	}
	if procs > 0 {
		points += 3
	}
	if cpuBusy || gpuBusy {
		points++
	}
	if points < 3 || (lookups == 0 && urls == 0 && procs == 0) {
		return nil
	}
	ev := Evidence{Counts: map[string]int64{}}
	put := func(k string, v int64) {
		if v > 0 {
			ev.Counts[k] = v
		}
	}
	put("pool_port_flows", portFlows)
	put("pool_domain_lookups", lookups)
	put("miner_processes", procs)
	put("stratum_urls", urls)
	if cpuBusy {
		put("cpu_mean_percent", cpuMean)
	}
	if gpuBusy {
		put("gpu_mean_percent", gpuMean)
	}
	ev.Samples = samples(sortedUnique(names), sortedUnique(domains), dests.endpoints())
	summary := "crypto mining: " + strings.Join(ev.Samples, ", ")
	return []Finding{{
		Type:       "mining.activity",
		Category:   CryptoMining,
		Severity:   Severity(min(85, 50+10*(points-3))),
		Confidence: min(99, 45+10*points),
		Direction:  Outbound,
		Summary:    summary,
		Evidence:   ev,
		FirstSeen:  when.first,
		LastSeen:   when.last,
		Count:      portFlows + lookups + matched,
	}}
}

// busy reports whether utilisation samples show sustained, steady near-full
// use, and their mean in whole percent. Percentages are summed as integer
// hundredths so that the result does not depend on the order of the samples.
func (d *miningDetector) busy(samples []Sample) (mean int64, ok bool) {
	if len(samples) < 2 {
		return 0, false
	}
	var s span
	var sum, sumSq float64
	var isum, isq int64
	for _, x := range samples {
		s.add(x.Time)
		h := int64(math.Round(min(max(x.Percent, 0), 100) * 100))
		isum += h
		isq += h * h
	}
	n := float64(len(samples))
	sum, sumSq = float64(isum), float64(isq)
	m := sum / n / 100
	variance := max(0, sumSq/n-(sum/n)*(sum/n)) / 10000
	if s.last.Sub(s.first) < d.cfg.BusyFor || m < d.cfg.BusyPercent || math.Sqrt(variance) > d.cfg.MaxSpread {
		return int64(m), false
	}
	return int64(m), true
}

// sortedUnique sorts s and removes repeats.
func sortedUnique(s []string) []string {
	slices.Sort(s)
	return slices.Compact(s)
}

// samples takes up to MaxSamples strings from the groups, in order.
func samples(groups ...[]string) []string {
	var out []string
	for _, g := range groups {
		for _, s := range g {
			if len(out) == MaxSamples {
				return out
			}
			out = append(out, s)
		}
	}
	return out
}
