package risk

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"iter"
	"slices"
	"sync"
)

// Labeled is an input whose truth is known: whether it turned out to be
// fraud. Backtests read sequences of them; in JSON they are
// {"id": ..., "fraud": ..., "input": {...}}.
type Labeled[T any] struct {
	ID    string `json:"id"`
	Fraud bool   `json:"fraud"`
	Input T      `json:"input"`
}

// Report is the result of a backtest. Every figure in it is a count, so
// reports of disjoint parts of one data set merge exactly into the report
// of the whole (see [Report.Merge]); rates are computed from the counts.
// The zero Report is an empty report of no policy, which merges with any
// report.
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
	// Bands are the policy's score bands, highest first, so that charts of
	// the score distribution can mark them.
	Bands []Band `json:"bands,omitempty"`
	// Scores is the histogram of decisions' total scores by label: one
	// entry per distinct score, in increasing order of score. Being exact,
	// it gives precision and recall at every threshold; see
	// [Report.Thresholds].
	Scores []ScoreCount `json:"scores,omitempty"`
	// Compare is set when the backtest compared the policy with a
	// baseline; see [BacktestOptions.Baseline].
	Compare *Comparison `json:"compare,omitempty"`
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

// ScoreCount is how many decisions reached one total score, by label.
type ScoreCount struct {
	Score      int64 `json:"score"`
	Fraud      int   `json:"fraud"`
	Legitimate int   `json:"legitimate"`
}

// Threshold is how well flagging every decision whose total score is at
// least MinScore would predict the labels, by score alone: rule actions
// and errors, which can set an outcome whatever the score, play no part.
type Threshold struct {
	MinScore  int64     `json:"min_score"`
	Confusion Confusion `json:"confusion"`
}

// Thresholds returns the confusion matrix of every score threshold that
// separates the decisions differently: one at each distinct score of the
// histogram, lowest first (everything flagged), and one past the highest
// score (nothing flagged). It is computed from [Report.Scores], so a merged
// report gives the same thresholds as a backtest of all the data at once.
func (r *Report) Thresholds() []Threshold {
	if len(r.Scores) == 0 {
		return nil
	}
	var fraud, legit int
	for _, s := range r.Scores {
		fraud += s.Fraud
		legit += s.Legitimate
	}
	out := make([]Threshold, 0, len(r.Scores)+1)
	tp, fp := fraud, legit // flagged at the current threshold
	for _, s := range r.Scores {
		out = append(out, Threshold{MinScore: s.Score, Confusion: Confusion{
			TruePositives: tp, FalsePositives: fp, FalseNegatives: fraud - tp, TrueNegatives: legit - fp}})
		tp -= s.Fraud
		fp -= s.Legitimate
	}
	last := r.Scores[len(r.Scores)-1].Score
	if last < 1<<63-1 {
		out = append(out, Threshold{MinScore: last + 1, Confusion: Confusion{FalseNegatives: fraud, TrueNegatives: legit}})
	}
	return out
}

// Comparison is what changes when the backtested policy replaces a
// baseline, typically the version in production, on the same inputs.
type Comparison struct {
	// PolicyID and PolicyVersion name the baseline.
	PolicyID      string `json:"policy_id"`
	PolicyVersion string `json:"policy_version"`
	// Confusion is the baseline's confusion matrix, counting the report's
	// flagged outcomes as predicting fraud.
	Confusion Confusion `json:"confusion"`
	// Changes counts the inputs whose outcome changed, by the baseline's
	// outcome (Before) and the backtested policy's (After), ordered by
	// Before and then After.
	Changes []Transition `json:"changes,omitempty"`
}

// Changed returns how many inputs changed outcome.
func (c *Comparison) Changed() int {
	n := 0
	for _, t := range c.Changes {
		n += t.Fraud + t.Legitimate
	}
	return n
}

// Transition counts the inputs that moved from one outcome to another.
type Transition struct {
	Before     Outcome `json:"before"`
	After      Outcome `json:"after"`
	Fraud      int     `json:"fraud"`
	Legitimate int     `json:"legitimate"`
}

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

func (c *Confusion) add(o Confusion) {
	c.TruePositives += o.TruePositives
	c.FalsePositives += o.FalsePositives
	c.TrueNegatives += o.TrueNegatives
	c.FalseNegatives += o.FalseNegatives
}

// count adds one input to the cell of its flag and label.
func (c *Confusion) count(flagged, fraud bool) {
	switch {
	case flagged && fraud:
		c.TruePositives++
	case flagged:
		c.FalsePositives++
	case fraud:
		c.FalseNegatives++
	default:
		c.TrueNegatives++
	}
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// ErrReportMismatch is returned by [Report.Merge] for reports that cannot
// be added up: of different policies, versions, rules, flagged outcomes or
// baselines.
var ErrReportMismatch = errors.New("risk: reports of different backtests")

// Merge adds the counts of o to r, as if r's backtest had also read o's
// inputs. Merging is associative and commutative, and merging into the
// zero Report copies o, so that reports of shards scored anywhere, in any
// order, add up to the report of the whole. Reports of different
// backtests (see [ErrReportMismatch]) are not merged and r is unchanged.
func (r *Report) Merge(o *Report) error {
	switch {
	case o == nil || o.isZero():
		return nil
	case r.isZero():
		*r = *o.clone()
		return nil
	}
	if err := r.compatible(o); err != nil {
		return err
	}
	r.Inputs += o.Inputs
	r.Fraud += o.Fraud
	for i := range r.Outcomes {
		r.Outcomes[i].Count += o.Outcomes[i].Count
	}
	for i := range r.Rules {
		s, t := &r.Rules[i], o.Rules[i]
		s.Hits += t.Hits
		s.FraudHits += t.FraudHits
		s.Errors += t.Errors
		s.Missing += t.Missing
	}
	r.Confusion.add(o.Confusion)
	r.Scores = mergeSorted(r.Scores, o.Scores, func(a, b ScoreCount) int { return cmp.Compare(a.Score, b.Score) },
		func(a, b ScoreCount) ScoreCount {
			return ScoreCount{Score: a.Score, Fraud: a.Fraud + b.Fraud, Legitimate: a.Legitimate + b.Legitimate}
		})
	if r.Compare != nil {
		r.Compare.Confusion.add(o.Compare.Confusion)
		r.Compare.Changes = mergeSorted(r.Compare.Changes, o.Compare.Changes, compareTransitions,
			func(a, b Transition) Transition {
				a.Fraud += b.Fraud
				a.Legitimate += b.Legitimate
				return a
			})
	}
	return nil
}

// isZero reports whether r is the zero Report, the identity of Merge.
func (r *Report) isZero() bool {
	return r.PolicyID == "" && r.PolicyVersion == "" && r.Inputs == 0 && r.Outcomes == nil && r.Rules == nil &&
		r.Flagged == nil && r.Bands == nil && r.Scores == nil && r.Compare == nil
}

func (r *Report) clone() *Report {
	c := *r
	c.Outcomes = slices.Clone(r.Outcomes)
	c.Rules = slices.Clone(r.Rules)
	c.Flagged = slices.Clone(r.Flagged)
	c.Bands = slices.Clone(r.Bands)
	c.Scores = slices.Clone(r.Scores)
	if r.Compare != nil {
		cc := *r.Compare
		cc.Changes = slices.Clone(cc.Changes)
		c.Compare = &cc
	}
	return &c
}

func (r *Report) compatible(o *Report) error {
	mismatch := func(what string, a, b any) error {
		return fmt.Errorf("%w: %s %v and %v", ErrReportMismatch, what, a, b)
	}
	switch {
	case r.PolicyID != o.PolicyID || r.PolicyVersion != o.PolicyVersion:
		return mismatch("policies", r.PolicyID+" "+r.PolicyVersion, o.PolicyID+" "+o.PolicyVersion)
	case !slices.EqualFunc(r.Outcomes, o.Outcomes, func(a, b OutcomeCount) bool { return a.Outcome == b.Outcome }):
		return mismatch("outcomes", outcomeNames(r.Outcomes), outcomeNames(o.Outcomes))
	case !slices.EqualFunc(r.Rules, o.Rules, func(a, b RuleStats) bool { return a.RuleID == b.RuleID && a.Shadow == b.Shadow }):
		return mismatch("rules", ruleNames(r.Rules), ruleNames(o.Rules))
	case !slices.Equal(r.Flagged, o.Flagged):
		return mismatch("flagged outcomes", r.Flagged, o.Flagged)
	case !slices.Equal(r.Bands, o.Bands):
		return mismatch("bands", r.Bands, o.Bands)
	case (r.Compare == nil) != (o.Compare == nil):
		return fmt.Errorf("%w: one compares with a baseline and the other does not", ErrReportMismatch)
	case r.Compare != nil && (r.Compare.PolicyID != o.Compare.PolicyID || r.Compare.PolicyVersion != o.Compare.PolicyVersion):
		return mismatch("baselines", r.Compare.PolicyID+" "+r.Compare.PolicyVersion, o.Compare.PolicyID+" "+o.Compare.PolicyVersion)
	}
	return nil
}

func outcomeNames(cs []OutcomeCount) []Outcome {
	out := make([]Outcome, len(cs))
	for i, c := range cs {
		out[i] = c.Outcome
	}
	return out
}

func ruleNames(rs []RuleStats) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.RuleID
	}
	return out
}

func compareTransitions(a, b Transition) int {
	return cmp.Or(cmp.Compare(a.Before, b.Before), cmp.Compare(a.After, b.After))
}

// mergeSorted merges two slices sorted by order, combining elements that
// order ranks equal with add, into a new slice.
func mergeSorted[E any](a, b []E, order func(E, E) int, add func(E, E) E) []E {
	if len(b) == 0 {
		return a
	}
	out := make([]E, 0, len(a)+len(b))
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		switch c := order(a[i], b[j]); {
		case c < 0:
			out = append(out, a[i])
			i++
		case c > 0:
			out = append(out, b[j])
			j++
		default:
			out = append(out, add(a[i], b[j]))
			i++
			j++
		}
	}
	out = append(out, a[i:]...)
	return append(out, b[j:]...)
}

// BacktestOptions are the choices of [Engine.BacktestWith]. The zero value
// backtests on the calling goroutine, counts every outcome but the
// policy's default as flagged, and compares with nothing.
type BacktestOptions[T any] struct {
	// Flagged are the outcomes counted as predicting fraud; empty means
	// every outcome but the policy's default (the last).
	Flagged []Outcome
	// Workers is how many goroutines evaluate inputs; 0 and 1 evaluate on
	// the calling goroutine, which also reads the sequence in every case.
	// runtime.GOMAXPROCS(0) uses every core. The report does not depend on
	// it.
	Workers int
	// Baseline, when set, is evaluated on every input too, and the report's
	// Compare counts the outcome changes from it to the backtested policy.
	Baseline *Engine[T]
	// OnChange, when set with a Baseline, is called for each input whose
	// outcome differs between the two, in input order and one call at a
	// time, whatever Workers is.
	OnChange func(Change)
}

// Backtest evaluates the policy on every input of seq and reports per-rule
// hit counts, the outcome mix, the score histogram, and how well the
// flagged outcomes predict the fraud labels. flagged defaults to every
// outcome but the policy's default (the last). Backtest holds one input at
// a time, so seq may be arbitrarily long. See [Engine.BacktestWith] to use
// several cores or compare with a baseline.
func (e *Engine[T]) Backtest(seq iter.Seq[Labeled[T]], flagged ...Outcome) *Report {
	return e.BacktestWith(seq, BacktestOptions[T]{Flagged: flagged})
}

// backtestChunk is how many inputs a worker takes at a time: enough that
// handing them over costs little beside evaluating them, few enough that
// the inputs in flight stay small.
const backtestChunk = 256

// BacktestWith is [Engine.Backtest] with options. With Workers above one
// it evaluates on that many goroutines, all of which have returned when it
// returns, and reports exactly what one goroutine would: each worker
// counts into its own report and the reports are merged. seq is read on
// the calling goroutine, at most a few chunks of inputs ahead of the
// workers.
func (e *Engine[T]) BacktestWith(seq iter.Seq[Labeled[T]], o BacktestOptions[T]) *Report {
	if e == nil || e.frames.New == nil {
		return &Report{} // a zero Engine has no policy to count for
	}
	if o.Baseline != nil && o.Baseline.frames.New == nil {
		o.Baseline = nil
	}
	if o.Workers <= 1 {
		t := e.newTally(&o)
		// One variable for every input, so that evaluating through a
		// pointer to it does not move each input to the heap.
		var in Labeled[T]
		for l := range seq {
			in = l
			t.add(&in, o.OnChange)
		}
		return t.report()
	}
	return e.backtestParallel(seq, &o)
}

// job is one chunk of inputs and, when changes are delivered, the changes
// found in it and a channel closed once they are.
type job[T any] struct {
	items   []Labeled[T]
	changes []Change
	done    chan struct{}
}

func (e *Engine[T]) backtestParallel(seq iter.Seq[Labeled[T]], o *BacktestOptions[T]) *Report {
	deliver := o.Baseline != nil && o.OnChange != nil
	jobs := make(chan *job[T], o.Workers)
	free := make(chan []Labeled[T], 3*o.Workers)
	recycle := func(items []Labeled[T]) {
		select {
		case free <- items[:0]:
		default:
		}
	}
	tallies := make([]*tally[T], o.Workers)
	var workers sync.WaitGroup
	for w := range tallies {
		t := e.newTally(o)
		tallies[w] = t
		workers.Go(func() {
			for j := range jobs {
				if deliver {
					collect := func(c Change) { j.changes = append(j.changes, c) }
					for i := range j.items {
						t.add(&j.items[i], collect)
					}
					close(j.done)
					continue
				}
				for i := range j.items {
					t.add(&j.items[i], nil)
				}
				recycle(j.items)
			}
		})
	}
	// Changes are handed over in input order by one goroutine that waits
	// for the chunks in the order they were read.
	var order chan *job[T]
	var delivered sync.WaitGroup
	if deliver {
		order = make(chan *job[T], 2*o.Workers)
		delivered.Go(func() {
			for j := range order {
				<-j.done
				for _, c := range j.changes {
					o.OnChange(c)
				}
				recycle(j.items)
			}
		})
	}
	func() {
		// Closing in a defer lets the workers finish even when seq panics.
		defer func() {
			close(jobs)
			if order != nil {
				close(order)
			}
		}()
		var items []Labeled[T]
		send := func() {
			j := &job[T]{items: items}
			if deliver {
				j.done = make(chan struct{})
				order <- j
			}
			jobs <- j
			items = nil
		}
		for l := range seq {
			if items == nil {
				select {
				case items = <-free:
				default:
					items = make([]Labeled[T], 0, backtestChunk)
				}
			}
			items = append(items, l)
			if len(items) == backtestChunk {
				send()
			}
		}
		if len(items) > 0 {
			send()
		}
	}()
	workers.Wait()
	delivered.Wait()
	r := tallies[0].report()
	for _, t := range tallies[1:] {
		// Every tally is of this engine and these options, so they match.
		_ = r.Merge(t.report())
	}
	return r
}

// tally accumulates one goroutine's share of a backtest.
type tally[T any] struct {
	e, base   *Engine[T]
	r         *Report
	isFlagged []bool
	counts    []int
	scores    map[int64]*ScoreCount
	flagNames map[Outcome]bool // for the baseline, whose outcomes may differ
	changes   map[[2]Outcome]*Transition
}

func (e *Engine[T]) newTally(o *BacktestOptions[T]) *tally[T] {
	flagged := o.Flagged
	if len(flagged) == 0 {
		flagged = e.outcomes[:len(e.outcomes)-1]
	}
	r := &Report{PolicyID: e.id, PolicyVersion: e.version, Flagged: slices.Clone(flagged), Bands: slices.Clone(e.bands)}
	t := &tally[T]{e: e, r: r, isFlagged: make([]bool, len(e.outcomes)), counts: make([]int, len(e.outcomes)),
		scores: map[int64]*ScoreCount{}}
	for _, f := range flagged {
		if i, ok := e.rank[f]; ok {
			t.isFlagged[i] = true
		}
	}
	r.Rules = make([]RuleStats, len(e.rules))
	for i, rule := range e.rules {
		r.Rules[i] = RuleStats{RuleID: rule.id, Shadow: rule.shadow}
	}
	if o.Baseline != nil {
		t.base = o.Baseline
		r.Compare = &Comparison{PolicyID: o.Baseline.id, PolicyVersion: o.Baseline.version}
		t.flagNames = make(map[Outcome]bool, len(flagged))
		for _, f := range flagged {
			t.flagNames[f] = true
		}
		t.changes = map[[2]Outcome]*Transition{}
	}
	return t
}

// add evaluates one input and counts it; onChange, if not nil, receives
// the input's change of outcome from the baseline. It reads the engine's
// verdict directly, so counting allocates nothing once the report has
// seen every score.
func (t *tally[T]) add(l *Labeled[T], onChange func(Change)) {
	r := t.r
	f := t.e.decide(context.Background(), &l.Input)
	v := &f.v
	best, score := v.best, v.score
	for _, res := range v.results {
		s := &r.Rules[res.rule]
		switch res.state {
		case sOK:
			s.Hits++
			if l.Fraud {
				s.FraudHits++
			}
		case sUnknown:
			s.Missing++
		default:
			s.Errors++
		}
	}
	t.e.release(f)
	r.Inputs++
	if l.Fraud {
		r.Fraud++
	}
	t.counts[best]++
	r.Confusion.count(t.isFlagged[best], l.Fraud)
	s := t.scores[score]
	if s == nil {
		s = &ScoreCount{Score: score}
		t.scores[score] = s
	}
	if l.Fraud {
		s.Fraud++
	} else {
		s.Legitimate++
	}
	if t.base == nil {
		return
	}
	bf := t.base.decide(context.Background(), &l.Input)
	before, after := t.base.outcomes[bf.v.best], t.e.outcomes[best]
	t.base.release(bf)
	r.Compare.Confusion.count(t.flagNames[before], l.Fraud)
	if before == after {
		return
	}
	k := [2]Outcome{before, after}
	c := t.changes[k]
	if c == nil {
		c = &Transition{Before: before, After: after}
		t.changes[k] = c
	}
	if l.Fraud {
		c.Fraud++
	} else {
		c.Legitimate++
	}
	if onChange != nil {
		onChange(Change{ID: l.ID, Fraud: l.Fraud, Before: before, After: after})
	}
}

// report turns the tally's maps into the report's sorted slices.
func (t *tally[T]) report() *Report {
	r := t.r
	r.Outcomes = make([]OutcomeCount, len(t.e.outcomes))
	for i, o := range t.e.outcomes {
		r.Outcomes[i] = OutcomeCount{Outcome: o, Count: t.counts[i]}
	}
	r.Scores = nil
	for _, s := range t.scores {
		r.Scores = append(r.Scores, *s)
	}
	slices.SortFunc(r.Scores, func(a, b ScoreCount) int { return cmp.Compare(a.Score, b.Score) })
	if r.Compare != nil {
		r.Compare.Changes = nil
		for _, c := range t.changes {
			r.Compare.Changes = append(r.Compare.Changes, *c)
		}
		slices.SortFunc(r.Compare.Changes, compareTransitions)
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
