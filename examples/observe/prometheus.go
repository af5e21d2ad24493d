package observe

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/riskkit/riskkit/risk"
)

// Prometheus counts decisions and rules in Prometheus metrics:
//
//	NS_decisions_total{kind,policy,outcome}
//	NS_decision_duration_seconds{kind,policy}        histogram
//	NS_decision_score{kind,policy}                   histogram
//	NS_rule_hits_total{kind,policy,rule,mode}        mode: active or shadow
//	NS_rule_missing_total{kind,policy,rule}
//	NS_rule_errors_total{kind,policy,rule}
//	NS_rule_evaluations_total{kind,policy,rule,result}   with ForRules
//	NS_rule_duration_seconds{kind,policy,rule}           with ForRules
//
// The policy label is the policy id; versions change at every deployment
// and would multiply series.
type Prometheus struct {
	decisions, hits, missing, errors, ruleEvals *prometheus.CounterVec
	duration, score, ruleDuration               *prometheus.HistogramVec
}

// NewPrometheus registers the metrics with reg under namespace.
func NewPrometheus(reg prometheus.Registerer, namespace string) (*Prometheus, error) {
	counter := func(name, help string, labels ...string) *prometheus.CounterVec {
		return prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: namespace, Name: name, Help: help}, labels)
	}
	hist := func(name, help string, buckets []float64, labels ...string) *prometheus.HistogramVec {
		return prometheus.NewHistogramVec(prometheus.HistogramOpts{Namespace: namespace, Name: name, Help: help, Buckets: buckets}, labels)
	}
	p := &Prometheus{
		decisions:    counter("decisions_total", "Decisions by outcome.", "kind", "policy", "outcome"),
		hits:         counter("rule_hits_total", "Rules that fired, active or shadow.", "kind", "policy", "rule", "mode"),
		missing:      counter("rule_missing_total", "Rules not decided for want of an input.", "kind", "policy", "rule"),
		errors:       counter("rule_errors_total", "Rules whose evaluation failed.", "kind", "policy", "rule"),
		ruleEvals:    counter("rule_evaluations_total", "Rule evaluations by result.", "kind", "policy", "rule", "result"),
		duration:     hist("decision_duration_seconds", "Time to evaluate a policy on one input.", DurationBuckets, "kind", "policy"),
		score:        hist("decision_score", "Total score of the active rules that fired.", []float64{0, 10, 20, 30, 50, 80, 100, 150}, "kind", "policy"),
		ruleDuration: hist("rule_duration_seconds", "Time to evaluate one rule.", RuleDurationBuckets, "kind", "policy", "rule"),
	}
	for _, c := range []prometheus.Collector{p.decisions, p.hits, p.missing, p.errors, p.ruleEvals, p.duration, p.score, p.ruleDuration} {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// ObserveDecision implements Sink.
func (p *Prometheus) ObserveDecision(kind string, d *risk.DecisionEvent) {
	p.decisions.WithLabelValues(kind, d.PolicyID, string(d.Outcome)).Inc()
	p.duration.WithLabelValues(kind, d.PolicyID).Observe(d.Duration.Seconds())
	p.score.WithLabelValues(kind, d.PolicyID).Observe(float64(d.Score))
	for _, r := range d.Fired {
		p.hits.WithLabelValues(kind, d.PolicyID, r, "active").Inc()
	}
	for _, r := range d.Shadow {
		p.hits.WithLabelValues(kind, d.PolicyID, r, "shadow").Inc()
	}
	for _, r := range d.Missing {
		p.missing.WithLabelValues(kind, d.PolicyID, r).Inc()
	}
	for _, r := range d.Errors {
		p.errors.WithLabelValues(kind, d.PolicyID, r).Inc()
	}
}

// ObserveRule implements Sink.
func (p *Prometheus) ObserveRule(kind string, r *risk.RuleEvent) {
	p.ruleEvals.WithLabelValues(kind, r.PolicyID, r.RuleID, string(r.Result)).Inc()
	p.ruleDuration.WithLabelValues(kind, r.PolicyID, r.RuleID).Observe(r.Duration.Seconds())
}
