package observe

import (
	"context"

	"github.com/riskkit/riskkit/risk"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
)

// OTel records decisions and rules as OpenTelemetry metrics, with the same
// names and attributes as [Prometheus] in OpenTelemetry's dotted style:
// riskkit.decisions, riskkit.decision.duration (s), riskkit.decision.score,
// riskkit.rule.hits, riskkit.rule.missing, riskkit.rule.errors,
// riskkit.rule.evaluations and riskkit.rule.duration (s).
type OTel struct {
	decisions, hits, missing, errors, ruleEvals metric.Int64Counter
	duration, ruleDuration                      metric.Float64Histogram
	score                                       metric.Int64Histogram
}

// NewOTel creates the instruments with meter.
func NewOTel(meter metric.Meter) (*OTel, error) {
	var o OTel
	var err error
	counter := func(dst *metric.Int64Counter, name, desc string) {
		if err == nil {
			*dst, err = meter.Int64Counter(name, metric.WithDescription(desc), metric.WithUnit("{count}"))
		}
	}
	counter(&o.decisions, "riskkit.decisions", "Decisions by outcome.")
	counter(&o.hits, "riskkit.rule.hits", "Rules that fired, active or shadow.")
	counter(&o.missing, "riskkit.rule.missing", "Rules not decided for want of an input.")
	counter(&o.errors, "riskkit.rule.errors", "Rules whose evaluation failed.")
	counter(&o.ruleEvals, "riskkit.rule.evaluations", "Rule evaluations by result.")
	if err != nil {
		return nil, err
	}
	if o.duration, err = meter.Float64Histogram("riskkit.decision.duration", metric.WithUnit("s"),
		metric.WithDescription("Time to evaluate a policy on one input."), metric.WithExplicitBucketBoundaries(DurationBuckets...)); err != nil {
		return nil, err
	}
	if o.ruleDuration, err = meter.Float64Histogram("riskkit.rule.duration", metric.WithUnit("s"),
		metric.WithDescription("Time to evaluate one rule."), metric.WithExplicitBucketBoundaries(RuleDurationBuckets...)); err != nil {
		return nil, err
	}
	if o.score, err = meter.Int64Histogram("riskkit.decision.score", metric.WithDescription("Total score of the active rules that fired."),
		metric.WithExplicitBucketBoundaries(0, 10, 20, 30, 50, 80, 100, 150)); err != nil {
		return nil, err
	}
	return &o, nil
}

// ObserveDecision implements Sink. Measurements carry no context: a
// decision is recorded whatever the request it belongs to.
func (o *OTel) ObserveDecision(kind string, d *risk.DecisionEvent) {
	ctx := context.Background()
	base := metric.WithAttributes(attribute.String("kind", kind), attribute.String("policy", d.PolicyID))
	o.decisions.Add(ctx, 1, metric.WithAttributes(attribute.String("kind", kind), attribute.String("policy", d.PolicyID), attribute.String("outcome", string(d.Outcome))))
	o.duration.Record(ctx, d.Duration.Seconds(), base)
	o.score.Record(ctx, d.Score, base)
	rule := func(c metric.Int64Counter, id string, extra ...attribute.KeyValue) {
		c.Add(ctx, 1, metric.WithAttributes(append([]attribute.KeyValue{
			attribute.String("kind", kind), attribute.String("policy", d.PolicyID), attribute.String("rule", id)}, extra...)...))
	}
	for _, r := range d.Fired {
		rule(o.hits, r, attribute.String("mode", "active"))
	}
	for _, r := range d.Shadow {
		rule(o.hits, r, attribute.String("mode", "shadow"))
	}
	for _, r := range d.Missing {
		rule(o.missing, r)
	}
	for _, r := range d.Errors {
		rule(o.errors, r)
	}
}

// ObserveRule implements Sink.
func (o *OTel) ObserveRule(kind string, r *risk.RuleEvent) {
	ctx := context.Background()
	attrs := []attribute.KeyValue{attribute.String("kind", kind), attribute.String("policy", r.PolicyID), attribute.String("rule", r.RuleID)}
	o.ruleDuration.Record(ctx, r.Duration.Seconds(), metric.WithAttributes(attrs...))
	o.ruleEvals.Add(ctx, 1, metric.WithAttributes(append(attrs, attribute.String("result", string(r.Result)))...))
}
