package risk

import "time"

// Observer receives a summary of every decision an engine makes, for a
// host's metrics. It is called on the goroutine that evaluated, after the
// decision is made, so it must be safe for concurrent use and quick. Attach
// one with [WithObserver]; an engine without one pays a nil check per
// decision.
type Observer interface {
	ObserveDecision(ev *DecisionEvent)
}

// RuleObserver is an [Observer] that also receives every rule's
// evaluation. Timing each rule costs two clock reads per rule, so the
// engine does it only for observers that implement RuleObserver.
type RuleObserver interface {
	Observer
	ObserveRule(ev *RuleEvent)
}

// WithObserver makes the engine report every decision to o (and every
// rule's evaluation, when o is a [RuleObserver]). The engine reads the
// clock only to time what it reports; no decision depends on it.
func WithObserver(o Observer) Option { return func(opts *options) { opts.observer = o } }

// DecisionEvent is what an [Observer] learns about one decision. Its
// slices are the rule ids in policy order; they are valid only during the
// call, so an observer that keeps them copies them.
type DecisionEvent struct {
	PolicyID      string
	PolicyVersion string
	Outcome       Outcome
	Basis         Basis
	Score         int64
	// Fired are the active rules that fired, Shadow the shadow rules that
	// fired, Missing the rules that lacked an input, Errors the rules
	// whose evaluation failed.
	Fired, Shadow, Missing, Errors []string
	// Duration is the time the evaluation took.
	Duration time.Duration
}

// RuleResult is what one rule came to in one evaluation.
type RuleResult string

// Rule results. The zero RuleResult is not a result.
const (
	RuleFired   RuleResult = "fired"
	RuleQuiet   RuleResult = "quiet"
	RuleMissing RuleResult = "missing"
	RuleFailed  RuleResult = "error"
)

// RuleEvent is one rule's evaluation, for a [RuleObserver].
type RuleEvent struct {
	PolicyID string
	RuleID   string
	Shadow   bool
	Result   RuleResult
	Duration time.Duration
}

// observeDecision reports the verdict in f, reusing f's scratch slices.
func (e *Engine[T]) observeDecision(f *frame, took time.Duration) {
	v := &f.v
	ev := &f.event
	ids := [4][]string{ev.Fired[:0], ev.Shadow[:0], ev.Missing[:0], ev.Errors[:0]}
	for _, res := range v.results {
		r := &e.rules[res.rule]
		switch {
		case res.state == sOK && !r.shadow:
			ids[0] = append(ids[0], r.id)
		case res.state == sOK:
			ids[1] = append(ids[1], r.id)
		case res.state == sUnknown:
			ids[2] = append(ids[2], r.id)
		default:
			ids[3] = append(ids[3], r.id)
		}
	}
	*ev = DecisionEvent{PolicyID: e.id, PolicyVersion: e.version, Outcome: e.outcomes[v.best], Basis: v.basis,
		Score: v.score, Fired: ids[0], Shadow: ids[1], Missing: ids[2], Errors: ids[3], Duration: took}
	e.observer.ObserveDecision(ev)
}

// observeRule reports one rule's evaluation, in f's scratch event.
func (e *Engine[T]) observeRule(f *frame, r *compiledRule, fired bool, s st, took time.Duration) {
	res := RuleQuiet
	switch {
	case s == sUnknown:
		res = RuleMissing
	case s == sError:
		res = RuleFailed
	case fired:
		res = RuleFired
	}
	f.ruleEvent = RuleEvent{PolicyID: e.id, RuleID: r.id, Shadow: r.shadow, Result: res, Duration: took}
	e.ruleObserver.ObserveRule(&f.ruleEvent)
}
