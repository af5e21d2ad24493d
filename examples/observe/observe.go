// Package observe measures riskkit decisions for a host's metrics system:
// what was decided, which rules fired or lacked inputs, and how long it
// took. It lives in its own module, so that riskkit itself depends on
// neither Prometheus nor OpenTelemetry; [Prometheus] and [OTel] are the
// adapters, and any other system implements [Sink].
//
// The engine calls its observer itself (risk.WithObserver); [For] and
// [ForRules] make a sink that observer, labelled with the kind of policy
// (one engine per kind: "checkout", "onboarding", "abuse"):
//
//	prom, err := observe.NewPrometheus(prometheus.DefaultRegisterer, "riskkit")
//	engine, err := risk.Compile(src, risk.CheckoutSchema(), risk.WithObserver(observe.For("checkout", prom)))
//	d := engine.Evaluate(&checkout) // counted, timed
//
// [For] observes decisions: outcome, score, the rules fired, missing and
// failed, and the duration, for about the cost of the metric updates.
// [ForRules] also times every rule, two clock reads per rule, for the
// per-rule evaluation and duration metrics; use it where that detail is
// worth its cost.
package observe

import (
	"github.com/riskkit/riskkit/risk"
)

// Sink receives what an engine observes, with the kind of policy the
// engine evaluates. The events' slices are valid only during the call. A
// sink is called on the goroutine that evaluated, so it must be safe for
// concurrent use and quick.
type Sink interface {
	ObserveDecision(kind string, ev *risk.DecisionEvent)
	ObserveRule(kind string, ev *risk.RuleEvent)
}

// For returns the observer that reports an engine's decisions to s under
// kind. Attach it with risk.WithObserver.
func For(kind string, s Sink) risk.Observer { return decisions{kind: kind, sink: s} }

// ForRules is [For] that also reports, and so times, every rule.
func ForRules(kind string, s Sink) risk.RuleObserver { return rules{decisions{kind: kind, sink: s}} }

type decisions struct {
	kind string
	sink Sink
}

func (d decisions) ObserveDecision(ev *risk.DecisionEvent) { d.sink.ObserveDecision(d.kind, ev) }

type rules struct{ decisions }

func (r rules) ObserveRule(ev *risk.RuleEvent) { r.sink.ObserveRule(r.kind, ev) }

// Sinks fans every event out to several sinks.
type Sinks []Sink

// ObserveDecision implements Sink.
func (ss Sinks) ObserveDecision(kind string, ev *risk.DecisionEvent) {
	for _, s := range ss {
		s.ObserveDecision(kind, ev)
	}
}

// ObserveRule implements Sink.
func (ss Sinks) ObserveRule(kind string, ev *risk.RuleEvent) {
	for _, s := range ss {
		s.ObserveRule(kind, ev)
	}
}

// DurationBuckets are the histogram bounds, in seconds, the adapters use
// for decisions: an engine decides in microseconds, so the default
// buckets of metrics libraries, which start at milliseconds, would put
// every decision in the first one.
var DurationBuckets = []float64{1e-6, 2.5e-6, 5e-6, 1e-5, 2.5e-5, 5e-5, 1e-4, 2.5e-4, 1e-3, 1e-2}

// RuleDurationBuckets are the bounds for one rule's evaluation.
var RuleDurationBuckets = []float64{5e-8, 1e-7, 2.5e-7, 5e-7, 1e-6, 2.5e-6, 1e-5, 1e-4}
