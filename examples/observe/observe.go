// Package observe measures riskkit decisions for a host's metrics system:
// what was decided, which rules fired or lacked inputs, and how long it
// took. It lives in its own module, so that riskkit itself depends on
// neither Prometheus nor OpenTelemetry; [Prometheus] and [OTel] are the
// adapters, and any other system implements [Observer].
//
// A host evaluates through [Evaluate], which times the engine and reports
// the decision:
//
//	prom, err := observe.NewPrometheus(prometheus.DefaultRegisterer, "riskkit")
//	d := observe.Evaluate(prom, "checkout", engine, &checkout)
//
// # The hook the engine is to call
//
// [Observer] is shaped as the engine's own hook would be: one call per
// decision with the outcome, score, rules fired and rules missing, and the
// duration; and, only for observers that also implement [RuleObserver],
// one call per rule evaluated with its time and result. An engine without
// an observer pays one nil check per decision; per-rule timing is asked
// for by implementing RuleObserver, so an engine checks for it once, when
// the observer is attached, and the two time.Now calls per rule are made
// only then. Until the engine calls observers itself, [Evaluate] makes the
// per-decision call around Engine.Evaluate; per-rule events need the
// engine and are fed to RuleObserver by whoever has them (tests here feed
// them by hand).
package observe

import (
	"time"

	"github.com/riskkit/riskkit/risk"
)

// Decision is what an observer learns about one decision. The slices are
// the rule ids, in policy order, and belong to the caller: an observer
// that keeps them must copy them.
type Decision struct {
	// Kind is the host's name for the kind of policy, such as "checkout",
	// "onboarding" or "abuse"; a metric label.
	Kind          string
	PolicyID      string
	PolicyVersion string
	Outcome       string
	Score         int64
	// Fired are the active rules that fired.
	Fired []string
	// Shadow are the shadow rules that fired.
	Shadow []string
	// Missing are the rules that could not be decided for want of an
	// input.
	Missing []string
	// Errors are the rules whose evaluation failed.
	Errors []string
	// Duration is the time the engine took.
	Duration time.Duration
}

// Observer receives every decision. It is called on the goroutine that
// evaluated, so it must be safe for concurrent use and quick.
type Observer interface {
	ObserveDecision(d *Decision)
}

// RuleResult is what one rule came to in one evaluation.
type RuleResult string

// Rule results.
const (
	RuleFired   RuleResult = "fired"
	RuleQuiet   RuleResult = "quiet"
	RuleMissing RuleResult = "missing"
	RuleError   RuleResult = "error"
)

// Rule is one rule's evaluation.
type Rule struct {
	Kind     string
	PolicyID string
	RuleID   string
	Shadow   bool
	Result   RuleResult
	Duration time.Duration
}

// RuleObserver is an Observer that also wants every rule's evaluation.
// Timing each rule costs two clock reads per rule, so an engine does it
// only for observers that implement this.
type RuleObserver interface {
	Observer
	ObserveRule(r *Rule)
}

// FromDecision describes d, which took the given time, for observers.
func FromDecision(kind string, d *risk.Decision, took time.Duration) Decision {
	ev := Decision{Kind: kind, PolicyID: d.PolicyID, PolicyVersion: d.PolicyVersion, Outcome: string(d.Outcome),
		Score: d.Score, Duration: took}
	for _, h := range d.Hits {
		ev.Fired = append(ev.Fired, h.RuleID)
	}
	for _, h := range d.Shadow {
		ev.Shadow = append(ev.Shadow, h.RuleID)
	}
	for _, m := range d.Missing {
		ev.Missing = append(ev.Missing, m.RuleID)
	}
	for _, e := range d.Errors {
		ev.Errors = append(ev.Errors, e.RuleID)
	}
	return ev
}

// Evaluate evaluates in with e and reports the decision to o; a nil o
// costs nothing beyond the evaluation.
func Evaluate[T any](o Observer, kind string, e *risk.Engine[T], in *T) risk.Decision {
	if o == nil {
		return e.Evaluate(in)
	}
	start := time.Now()
	d := e.Evaluate(in)
	ev := FromDecision(kind, &d, time.Since(start))
	o.ObserveDecision(&ev)
	return d
}

// Observers fans every event out to several observers; rule events go to
// those that are RuleObservers.
type Observers []Observer

// ObserveDecision implements Observer.
func (os Observers) ObserveDecision(d *Decision) {
	for _, o := range os {
		o.ObserveDecision(d)
	}
}

// ObserveRule implements RuleObserver.
func (os Observers) ObserveRule(r *Rule) {
	for _, o := range os {
		if ro, ok := o.(RuleObserver); ok {
			ro.ObserveRule(r)
		}
	}
}

// DurationBuckets are the histogram bounds, in seconds, the adapters use
// for decisions: an engine decides in microseconds, so the default
// buckets of metrics libraries, which start at milliseconds, would put
// every decision in the first one.
var DurationBuckets = []float64{1e-6, 2.5e-6, 5e-6, 1e-5, 2.5e-5, 5e-5, 1e-4, 2.5e-4, 1e-3, 1e-2}

// RuleDurationBuckets are the bounds for one rule's evaluation.
var RuleDurationBuckets = []float64{5e-8, 1e-7, 2.5e-7, 5e-7, 1e-6, 2.5e-6, 1e-5, 1e-4}
