package main

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/riskkit/riskkit/risk"
)

// metrics are counters and a latency histogram written by hand in the
// Prometheus text exposition format (version 0.0.4), so that the service
// needs nothing beyond the standard library and riskkit. examples/observe
// has Prometheus and OpenTelemetry adapters for hosts that use those
// libraries.
type metrics struct {
	mu       sync.RWMutex
	counters map[series]*atomic.Uint64
	hists    map[series]*histogram
}

// series is a metric name and its labels, rendered once as they appear in
// the exposition: name{k="v",...}.
type series struct {
	name   string
	labels string
}

func newMetrics() *metrics {
	return &metrics{counters: map[series]*atomic.Uint64{}, hists: map[series]*histogram{}}
}

// family describes a metric for its # HELP and # TYPE lines.
type family struct {
	name, typ, help string
}

// families lists every metric the service exports, in exposition order.
var families = []family{
	{"checkoutd_http_requests_total", "counter", "HTTP requests by route and status code."},
	{"checkoutd_decisions_total", "counter", "Decisions by policy kind and outcome."},
	{"checkoutd_decision_duration_seconds", "histogram", "Time to evaluate a policy on one input, decoding excluded."},
	{"checkoutd_rule_hits_total", "counter", "Active and shadow rules that fired, by policy kind and rule."},
	{"checkoutd_rule_missing_total", "counter", "Rules that could not be decided because an input was not supplied."},
	{"checkoutd_rule_errors_total", "counter", "Rules whose evaluation failed."},
	{"checkoutd_policy_reloads_total", "counter", "Policy files compiled after a change, by result (loaded or failed)."},
	{"checkoutd_policy_info", "gauge", "The policy version serving from each file (always 1)."},
	{"checkoutd_policy_problems", "gauge", "Problems of the last version of each file that failed to load and has not been replaced since."},
}

// durationBuckets are the histogram's upper bounds in seconds: a decision
// takes microseconds, a slow one tens of them.
var durationBuckets = []float64{1e-6, 2.5e-6, 5e-6, 1e-5, 2.5e-5, 5e-5, 1e-4, 2.5e-4, 1e-3, 1e-2}

type histogram struct {
	buckets []atomic.Uint64 // counts per bucket, not cumulative
	count   atomic.Uint64
	sumNs   atomic.Uint64
}

func (h *histogram) observe(d time.Duration) {
	s := d.Seconds()
	i, _ := slices.BinarySearch(durationBuckets, s)
	if i < len(h.buckets) {
		h.buckets[i].Add(1)
	}
	h.count.Add(1)
	h.sumNs.Add(uint64(max(d, 0)))
}

// labels renders label pairs k1, v1, k2, v2... in the exposition's syntax.
func labels(kv ...string) string {
	var b strings.Builder
	b.WriteByte('{')
	for i := 0; i+1 < len(kv); i += 2 {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(kv[i])
		b.WriteString(`="`)
		b.WriteString(labelEscaper.Replace(kv[i+1]))
		b.WriteByte('"')
	}
	b.WriteByte('}')
	return b.String()
}

var labelEscaper = strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)

func (m *metrics) counter(name string, kv ...string) *atomic.Uint64 {
	k := series{name, labels(kv...)}
	m.mu.RLock()
	c := m.counters[k]
	m.mu.RUnlock()
	if c != nil {
		return c
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if c = m.counters[k]; c == nil {
		c = new(atomic.Uint64)
		m.counters[k] = c
	}
	return c
}

func (m *metrics) histogram(name string, kv ...string) *histogram {
	k := series{name, labels(kv...)}
	m.mu.RLock()
	h := m.hists[k]
	m.mu.RUnlock()
	if h != nil {
		return h
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if h = m.hists[k]; h == nil {
		h = &histogram{buckets: make([]atomic.Uint64, len(durationBuckets))}
		m.hists[k] = h
	}
	return h
}

// request counts one HTTP request.
func (m *metrics) request(route string, code int) {
	m.counter("checkoutd_http_requests_total", "route", route, "code", strconv.Itoa(code)).Add(1)
}

// decision counts one decision of a policy of the given kind.
func (m *metrics) decision(kind string, d *risk.Decision, took time.Duration) {
	m.counter("checkoutd_decisions_total", "kind", kind, "outcome", string(d.Outcome)).Add(1)
	m.histogram("checkoutd_decision_duration_seconds", "kind", kind).observe(took)
	for _, h := range d.Hits {
		m.counter("checkoutd_rule_hits_total", "kind", kind, "rule", h.RuleID, "mode", "active").Add(1)
	}
	for _, h := range d.Shadow {
		m.counter("checkoutd_rule_hits_total", "kind", kind, "rule", h.RuleID, "mode", "shadow").Add(1)
	}
	for _, x := range d.Missing {
		m.counter("checkoutd_rule_missing_total", "kind", kind, "rule", x.RuleID).Add(1)
	}
	for _, x := range d.Errors {
		m.counter("checkoutd_rule_errors_total", "kind", kind, "rule", x.RuleID).Add(1)
	}
}

// reloaded counts one attempt to load a changed policy file.
func (m *metrics) reloaded(file string, ok bool) {
	result := "failed"
	if ok {
		result = "loaded"
	}
	m.counter("checkoutd_policy_reloads_total", "file", file, "result", result).Add(1)
}

// write writes every metric in the text exposition format, with the
// policy gauges taken from st.
func (m *metrics) write(w io.Writer, st *status) error {
	m.mu.RLock()
	counters := make(map[string][]series)
	for k := range m.counters {
		counters[k.name] = append(counters[k.name], k)
	}
	hists := make(map[string][]series)
	for k := range m.hists {
		hists[k.name] = append(hists[k.name], k)
	}
	m.mu.RUnlock()

	var b strings.Builder
	for _, f := range families {
		fmt.Fprintf(&b, "# HELP %s %s\n# TYPE %s %s\n", f.name, f.help, f.name, f.typ)
		switch {
		case f.name == "checkoutd_policy_info":
			if st != nil {
				for _, l := range st.Policies {
					fmt.Fprintf(&b, "%s%s 1\n", f.name, labels("file", l.File, "kind", l.Kind, "policy_id", l.PolicyID, "version", l.Version))
				}
			}
		case f.name == "checkoutd_policy_problems":
			if st != nil {
				for _, p := range st.Problems {
					fmt.Fprintf(&b, "%s%s %d\n", f.name, labels("file", p.File), len(p.Issues))
				}
			}
		case f.typ == "histogram":
			ss := hists[f.name]
			slices.SortFunc(ss, func(a, b series) int { return strings.Compare(a.labels, b.labels) })
			for _, s := range ss {
				m.mu.RLock()
				h := m.hists[s]
				m.mu.RUnlock()
				writeHistogram(&b, s, h)
			}
		default:
			ss := counters[f.name]
			slices.SortFunc(ss, func(a, b series) int { return strings.Compare(a.labels, b.labels) })
			for _, s := range ss {
				m.mu.RLock()
				c := m.counters[s]
				m.mu.RUnlock()
				fmt.Fprintf(&b, "%s%s %d\n", s.name, s.labels, c.Load())
			}
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// writeHistogram writes cumulative buckets, sum and count. A scrape races
// with observations, so the count written is at least the buckets' total:
// the +Inf bucket is never below a finite one.
func writeHistogram(b *strings.Builder, s series, h *histogram) {
	inner := strings.TrimSuffix(strings.TrimPrefix(s.labels, "{"), "}")
	sep := ""
	if inner != "" {
		sep = ","
	}
	var cum uint64
	for i, le := range durationBuckets {
		cum += h.buckets[i].Load()
		fmt.Fprintf(b, "%s_bucket{%s%sle=\"%s\"} %d\n", s.name, inner, sep, strconv.FormatFloat(le, 'g', -1, 64), cum)
	}
	count := max(h.count.Load(), cum)
	fmt.Fprintf(b, "%s_bucket{%s%sle=\"+Inf\"} %d\n", s.name, inner, sep, count)
	fmt.Fprintf(b, "%s_sum%s %s\n", s.name, s.labels, strconv.FormatFloat(float64(h.sumNs.Load())/1e9, 'g', -1, 64))
	fmt.Fprintf(b, "%s_count%s %d\n", s.name, s.labels, count)
}
