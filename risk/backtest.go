package risk

import (
	"iter"
	"slices"
)

// Labeled is an input whose truth is known: whether it turned out to be
// fraud. Backtests read sequences of them; in JSON they are
// {"id": ..., "fraud": ..., "input": {...}}.
type Labeled[T any] struct {
	ID    string `json:"id"`
	Fraud bool   `json:"fraud"`
	Input T      `json:"input"`
}

// Report is the result of a backtest.
type Report struct {
	PolicyID      string `json:"policy_id"`
	PolicyVersion string `json:"policy_version"`
	// Inputs is the number of inputs evaluated, and Fraud how many of them
	// were labelled fraud.
	Inputs int `json:"inputs"`
	Fraud  int `json:"fraud"`
	// Outcomes counts decisions by outcome, in the policy's order.
	Outcomes []OutcomeCount `json:"outcomes"`
	// Rules has one entry per enabled rule, in policy order.
	Rules []RuleStats `json:"rules"`
	// Flagged are the outcomes counted as predicting fraud.
	Flagged []Outcome `json:"flagged"`
	// Confusion counts flagged and unflagged decisions against the labels.
	Confusion Confusion `json:"confusion"`
}

// OutcomeCount is how often a policy reached one outcome.
type OutcomeCount struct {
	Outcome Outcome `json:"outcome"`
	Count   int     `json:"count"`
}

// RuleStats is how one rule behaved over a backtest.
type RuleStats struct {
	RuleID string `json:"rule_id"`
	Shadow bool   `json:"shadow,omitempty"`
	// Hits counts inputs the rule fired on, and FraudHits those of them
	// labelled fraud.
	Hits      int `json:"hits"`
	FraudHits int `json:"fraud_hits"`
	// Errors and Missing count inputs on which the rule errored or lacked
	// an input.
	Errors  int `json:"errors,omitempty"`
	Missing int `json:"missing,omitempty"`
}

// HitRate returns the share of inputs the rule fired on, in [0, 1].
func (s RuleStats) HitRate(inputs int) float64 { return ratio(s.Hits, inputs) }

// Precision returns the share of the rule's hits that were fraud.
func (s RuleStats) Precision() float64 { return ratio(s.FraudHits, s.Hits) }

// Confusion is a confusion matrix: decisions flagged or not, against inputs
// labelled fraud or not.
type Confusion struct {
	TruePositives  int `json:"true_positives"`
	FalsePositives int `json:"false_positives"`
	TrueNegatives  int `json:"true_negatives"`
	FalseNegatives int `json:"false_negatives"`
}

// Precision is the share of flagged inputs that were fraud; 0 when none
// was flagged.
func (c Confusion) Precision() float64 {
	return ratio(c.TruePositives, c.TruePositives+c.FalsePositives)
}

// Recall is the share of fraud that was flagged; 0 when there was none.
func (c Confusion) Recall() float64 {
	return ratio(c.TruePositives, c.TruePositives+c.FalseNegatives)
}

// FalsePositiveRate is the share of legitimate inputs that were flagged.
func (c Confusion) FalsePositiveRate() float64 {
	return ratio(c.FalsePositives, c.FalsePositives+c.TrueNegatives)
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// Backtest evaluates the policy on every input of seq and reports per-rule
// hit counts, the outcome mix, and how well the flagged outcomes predict the
// fraud labels. flagged defaults to every outcome but the policy's default
// (the last). Backtest holds one input at a time, so seq may be arbitrarily
// long.
func (e *Engine[T]) Backtest(seq iter.Seq[Labeled[T]], flagged ...Outcome) *Report {
	if len(flagged) == 0 {
		flagged = e.outcomes[:len(e.outcomes)-1]
	}
	r := &Report{PolicyID: e.id, PolicyVersion: e.version, Flagged: slices.Clone(flagged)}
	isFlagged := make([]bool, len(e.outcomes))
	for _, o := range flagged {
		if i, ok := e.rank[o]; ok {
			isFlagged[i] = true
		}
	}
	counts := make([]int, len(e.outcomes))
	r.Rules = make([]RuleStats, len(e.rules))
	index := make(map[string]int, len(e.rules))
	for i, rule := range e.rules {
		r.Rules[i] = RuleStats{RuleID: rule.id, Shadow: rule.shadow}
		index[rule.id] = i
	}
	for l := range seq {
		d := e.Evaluate(&l.Input)
		r.Inputs++
		if l.Fraud {
			r.Fraud++
		}
		o := e.rank[d.Outcome]
		counts[o]++
		switch {
		case isFlagged[o] && l.Fraud:
			r.Confusion.TruePositives++
		case isFlagged[o]:
			r.Confusion.FalsePositives++
		case l.Fraud:
			r.Confusion.FalseNegatives++
		default:
			r.Confusion.TrueNegatives++
		}
		for _, hits := range [][]Hit{d.Hits, d.Shadow} {
			for _, h := range hits {
				s := &r.Rules[index[h.RuleID]]
				s.Hits++
				if l.Fraud {
					s.FraudHits++
				}
			}
		}
		for _, x := range d.Errors {
			r.Rules[index[x.RuleID]].Errors++
		}
		for _, m := range d.Missing {
			r.Rules[index[m.RuleID]].Missing++
		}
	}
	for i, o := range e.outcomes {
		r.Outcomes = append(r.Outcomes, OutcomeCount{Outcome: o, Count: counts[i]})
	}
	return r
}

// Change is an input whose outcome differs between two policies.
type Change struct {
	ID     string  `json:"id"`
	Fraud  bool    `json:"fraud"`
	Before Outcome `json:"before"`
	After  Outcome `json:"after"`
}

// Compare evaluates two policies, typically two versions of one, on the same
// inputs and lists the inputs whose outcome changed, in input order.
func Compare[T any](before, after *Engine[T], seq iter.Seq[Labeled[T]]) []Change {
	var out []Change
	for l := range seq {
		a, b := before.Evaluate(&l.Input), after.Evaluate(&l.Input)
		if a.Outcome != b.Outcome {
			out = append(out, Change{ID: l.ID, Fraud: l.Fraud, Before: a.Outcome, After: b.Outcome})
		}
	}
	return out
}
