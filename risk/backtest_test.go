package risk

import (
	"encoding/json"
	"errors"
	"math/rand/v2"
	"runtime"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// checkoutPair compiles the example checkout policy and a stricter
// version of it, whose review band starts lower, as a baseline to compare
// with.
func checkoutPair(tb testing.TB) (e, baseline *Engine[Checkout], data []Labeled[Checkout]) {
	tb.Helper()
	p, data := loadCheckouts(tb)
	e, err := CompilePolicy(p, CheckoutSchema())
	if err != nil {
		tb.Fatal(err)
	}
	q := *p
	q.Version += "-strict"
	q.Bands = slices.Clone(p.Bands)
	for i := range q.Bands {
		q.Bands[i].MinScore -= 15
	}
	baseline, err = CompilePolicy(&q, CheckoutSchema())
	if err != nil {
		tb.Fatal(err)
	}
	return e, baseline, data
}

func TestBacktestWorkersAgree(t *testing.T) {
	e, baseline, data := checkoutPair(t)
	var wantChanges []Change
	want := e.BacktestWith(slices.Values(data), BacktestOptions[Checkout]{
		Baseline: baseline, OnChange: func(c Change) { wantChanges = append(wantChanges, c) }})
	if len(wantChanges) == 0 || want.Compare.Changed() != len(wantChanges) {
		t.Fatalf("the baseline changes %d outcomes and the report counts %d; the test needs some", len(wantChanges), want.Compare.Changed())
	}
	if diff := cmp.Diff(Compare(baseline, e, slices.Values(data)), wantChanges); diff != "" {
		t.Fatalf("changes differ from Compare's (-want +got):\n%s", diff)
	}
	for _, workers := range []int{2, 3, runtime.GOMAXPROCS(0), 16} {
		var changes []Change
		got := e.BacktestWith(slices.Values(data), BacktestOptions[Checkout]{Workers: workers,
			Baseline: baseline, OnChange: func(c Change) { changes = append(changes, c) }})
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%d workers: report (-one goroutine +workers):\n%s", workers, diff)
		}
		if diff := cmp.Diff(wantChanges, changes); diff != "" {
			t.Errorf("%d workers: changes (-one goroutine +workers):\n%s", workers, diff)
		}
		if got := e.BacktestWith(slices.Values(data), BacktestOptions[Checkout]{Workers: workers}); got.Compare != nil || got.Inputs != len(data) {
			t.Errorf("%d workers without a baseline: compare %v, %d inputs", workers, got.Compare, got.Inputs)
		}
	}
}

func TestBacktestCountsAddUp(t *testing.T) {
	e, baseline, data := checkoutPair(t)
	r := e.BacktestWith(slices.Values(data), BacktestOptions[Checkout]{Baseline: baseline})
	var outcomes, scored, fraudScored int
	for _, o := range r.Outcomes {
		outcomes += o.Count
	}
	for i, s := range r.Scores {
		scored += s.Fraud + s.Legitimate
		fraudScored += s.Fraud
		if i > 0 && s.Score <= r.Scores[i-1].Score {
			t.Errorf("scores out of order at %d: %v after %v", i, s.Score, r.Scores[i-1].Score)
		}
	}
	c, b := r.Confusion, r.Compare.Confusion
	for _, n := range []struct {
		what string
		got  int
	}{
		{"outcome counts", outcomes}, {"score histogram", scored},
		{"confusion", c.TruePositives + c.FalsePositives + c.TrueNegatives + c.FalseNegatives},
		{"baseline confusion", b.TruePositives + b.FalsePositives + b.TrueNegatives + b.FalseNegatives},
	} {
		if n.got != r.Inputs {
			t.Errorf("%s add up to %d, want %d inputs", n.what, n.got, r.Inputs)
		}
	}
	if fraudScored != r.Fraud || r.Fraud == 0 || r.Fraud == r.Inputs {
		t.Errorf("fraud in the histogram %d, labelled %d of %d", fraudScored, r.Fraud, r.Inputs)
	}
	if len(r.Scores) < 5 {
		t.Errorf("only %d distinct scores in the example data", len(r.Scores))
	}
}

func TestThresholds(t *testing.T) {
	r := &Report{Scores: []ScoreCount{{Score: -10, Legitimate: 4}, {Score: 0, Fraud: 1, Legitimate: 10}, {Score: 40, Fraud: 3, Legitimate: 1}, {Score: 90, Fraud: 2}}}
	want := []Threshold{
		{MinScore: -10, Confusion: Confusion{TruePositives: 6, FalsePositives: 15}},
		{MinScore: 0, Confusion: Confusion{TruePositives: 6, FalsePositives: 11, TrueNegatives: 4}},
		{MinScore: 40, Confusion: Confusion{TruePositives: 5, FalsePositives: 1, TrueNegatives: 14, FalseNegatives: 1}},
		{MinScore: 90, Confusion: Confusion{TruePositives: 2, TrueNegatives: 15, FalseNegatives: 4}},
		{MinScore: 91, Confusion: Confusion{TrueNegatives: 15, FalseNegatives: 6}},
	}
	if diff := cmp.Diff(want, r.Thresholds()); diff != "" {
		t.Errorf("thresholds (-want +got):\n%s", diff)
	}
	if got := (&Report{}).Thresholds(); got != nil {
		t.Errorf("thresholds of an empty report: %v", got)
	}
	if got := (&Report{Scores: []ScoreCount{{Score: 1<<63 - 1, Fraud: 1}}}).Thresholds(); len(got) != 1 {
		t.Errorf("a score at the largest int64 gives %d thresholds, want 1: %v", len(got), got)
	}
}

// TestThresholdsMatchBands checks the thresholds against backtests: on a
// policy whose outcome comes from its score alone, flagging the outcomes at
// or above a band is flagging the scores at or above the band's minimum.
func TestThresholdsMatchBands(t *testing.T) {
	e := mustCompile(t, policyHeader+`
rules:
  - id: velocity
    when: signals.accounts_per_ip_1h > 1
    score: 50
    reason: VELOCITY
  - id: cards
    when: signals.distinct_cards_24h > 1
    score: 35
    reason: CARDS
`)
	var data []Labeled[Checkout]
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 200 {
		in := baseCheckout()
		in.Signals.AccountsPerIP1h = Known(rng.Int64N(3))
		in.Signals.DistinctCards24h = Known(rng.Int64N(3))
		data = append(data, Labeled[Checkout]{ID: string(rune('a' + i%26)), Fraud: rng.IntN(3) == 0, Input: in})
	}
	r := e.Backtest(slices.Values(data))
	byScore := map[int64]Confusion{}
	for _, th := range r.Thresholds() {
		byScore[th.MinScore] = th.Confusion
	}
	for _, c := range []struct {
		band    int64
		flagged []Outcome
	}{{80, []Outcome{Reject}}, {50, []Outcome{Reject, Review}}, {30, []Outcome{Reject, Review, Challenge}}} {
		// Band minimums need not be scores anyone reached: the next
		// threshold at or above the band flags the same inputs.
		var got Confusion
		found := false
		for _, th := range r.Thresholds() {
			if th.MinScore >= c.band {
				got, found = th.Confusion, true
				break
			}
		}
		want := e.Backtest(slices.Values(data), c.flagged...).Confusion
		if !found || got != want {
			t.Errorf("band %d: threshold confusion %+v, backtest flagging %v %+v", c.band, got, c.flagged, want)
		}
	}
}

// shards splits data at random points into n parts, some possibly empty.
func shards[E any](rng *rand.Rand, data []E, n int) [][]E {
	cuts := []int{0, len(data)}
	for range n - 1 {
		cuts = append(cuts, rng.IntN(len(data)+1))
	}
	slices.Sort(cuts)
	out := make([][]E, n)
	for i := range n {
		out[i] = data[cuts[i]:cuts[i+1]]
	}
	return out
}

func merged(t *testing.T, rs ...*Report) *Report {
	t.Helper()
	out := &Report{}
	for _, r := range rs {
		if err := out.Merge(r.clone()); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// TestReportMergeLaws checks that merging is associative and commutative,
// that the zero Report is its identity, and that the reports of any
// partition of the data merge into the report of the whole.
func TestReportMergeLaws(t *testing.T) {
	e, baseline, data := checkoutPair(t)
	data = data[:min(len(data), 600)]
	opts := BacktestOptions[Checkout]{Baseline: baseline}
	whole := e.BacktestWith(slices.Values(data), opts)
	rng := rand.New(rand.NewPCG(14, 3))
	for trial := range 10 {
		parts := shards(rng, data, 3)
		var r [3]*Report
		for i, p := range parts {
			r[i] = e.BacktestWith(slices.Values(p), opts)
		}
		a, b, c := r[0], r[1], r[2]
		for _, law := range []struct {
			name        string
			left, right *Report
		}{
			{"associative", merged(t, merged(t, a, b), c), merged(t, a, merged(t, b, c))},
			{"commutative", merged(t, a, b), merged(t, b, a)},
			{"zero is the identity", merged(t, &Report{}, a), merged(t, a, &Report{})},
			{"shards add up to the whole", whole, merged(t, c, a, b)},
		} {
			if diff := cmp.Diff(law.left, law.right); diff != "" {
				t.Fatalf("trial %d (shards of %d, %d, %d): %s (-left +right):\n%s",
					trial, len(parts[0]), len(parts[1]), len(parts[2]), law.name, diff)
			}
		}
		if diff := cmp.Diff(a, merged(t, a)); diff != "" {
			t.Fatalf("merging into the zero report changed it (-want +got):\n%s", diff)
		}
	}
}

func TestReportMergeMismatch(t *testing.T) {
	e, baseline, data := checkoutPair(t)
	some := slices.Values(data[:10])
	r := e.Backtest(some)
	withBase := e.BacktestWith(some, BacktestOptions[Checkout]{Baseline: baseline})
	edited := func(edit func(*Report)) *Report { c := r.clone(); edit(c); return c }
	for _, tt := range []struct {
		name          string
		target, other *Report
	}{
		{"other version", r, baseline.Backtest(some)},
		{"other flagged outcomes", r, e.Backtest(some, Reject)},
		{"one with a baseline", r, withBase},
		{"other baseline", withBase, e.BacktestWith(some, BacktestOptions[Checkout]{Baseline: e})},
		{"other rules", r, edited(func(c *Report) { c.Rules = c.Rules[1:] })},
		{"shadow rule differs", r, edited(func(c *Report) { c.Rules[0].Shadow = !c.Rules[0].Shadow })},
		{"renamed outcome", r, edited(func(c *Report) { c.Outcomes[0].Outcome = "block" })},
		{"other bands", r, edited(func(c *Report) { c.Bands[0].MinScore++ })},
	} {
		before := tt.target.clone()
		if err := tt.target.Merge(tt.other); !errors.Is(err, ErrReportMismatch) {
			t.Errorf("%s: Merge = %v, want ErrReportMismatch", tt.name, err)
		}
		if diff := cmp.Diff(before, tt.target); diff != "" {
			t.Errorf("%s: a failed merge changed the report (-before +after):\n%s", tt.name, diff)
		}
	}
}

func TestReportJSONRoundTrip(t *testing.T) {
	e, baseline, data := checkoutPair(t)
	for _, r := range []*Report{
		e.Backtest(slices.Values(data)),
		e.BacktestWith(slices.Values(data), BacktestOptions[Checkout]{Baseline: baseline}),
		{},
	} {
		b, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		var got Report
		if err := json.Unmarshal(b, &got); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(r, &got); diff != "" {
			t.Errorf("JSON round trip (-want +got):\n%s", diff)
		}
		// A decoded report merges like the one it was encoded from.
		if err := got.Merge(r); err != nil {
			t.Errorf("merging a decoded report with its original: %v", err)
		}
	}
}

// BenchmarkBacktestWorkers reports decisions per second for the example
// checkout policy on one goroutine and on every core, in the same run,
// and per CPU second, which shows what parallel work costs in overhead.
func BenchmarkBacktestWorkers(b *testing.B) {
	p, data := loadCheckouts(b)
	e, err := CompilePolicy(p, CheckoutSchema())
	if err != nil {
		b.Fatal(err)
	}
	for _, bc := range []struct {
		name    string
		workers int
	}{{"one_goroutine", 1}, {"all_cores", runtime.GOMAXPROCS(0)}} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			cpu := cpuTime()
			// A backtest of many inputs, as a real one is: the example
			// data ten times over.
			const rounds = 10
			many := func(yield func(Labeled[Checkout]) bool) {
				for range rounds {
					for _, l := range data {
						if !yield(l) {
							return
						}
					}
				}
			}
			for b.Loop() {
				_ = e.BacktestWith(many, BacktestOptions[Checkout]{Workers: bc.workers})
			}
			decisions := float64(b.N * rounds * len(data))
			b.ReportMetric(decisions/b.Elapsed().Seconds(), "decisions/s")
			// On a shared machine wall time depends on the neighbours; CPU
			// time does not, and times the cores gives the machine's rate.
			if used := (cpuTime() - cpu).Seconds(); used > 0 {
				b.ReportMetric(decisions/used, "decisions/cpu-s")
			}
		})
	}
}
