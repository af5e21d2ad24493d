package risk

import (
	"context"
	"fmt"
	"time"

	"cel.dev/cel-go/common/types"
)

// result is what one rule came to in one evaluation, when it came to
// something: it fired, it failed, or an input it needed was missing.
type result struct {
	rule    int
	state   st // sOK: the rule fired
	missing uint64
	err     error
}

// verdict is one evaluation before it becomes a [Decision] or a backtest's
// counts. It lives in a frame and is reused, so that an evaluation that
// only counts allocates nothing.
type verdict struct {
	results []result // in policy order
	best    int      // index into the outcomes
	basis   Basis
	score   int64
	// counts of results by kind, to size a Decision's slices exactly
	hits, shadow, missing, errors int
}

// Evaluate runs every enabled rule of the policy on in and returns the
// decision. It never panics on any input, its work is bounded by the
// policy's cost limits, and the same input always gives the same decision.
// A nil in is evaluated as the zero T.
func (e *Engine[T]) Evaluate(in *T) Decision {
	return e.EvaluateContext(context.Background(), in)
}

// EvaluateContext is [Engine.Evaluate] under a host deadline: when ctx is
// done, the rule being evaluated and every rule after it are rule errors
// (so a fail_closed policy reaches its error outcome), and the decision is
// returned at once.
func (e *Engine[T]) EvaluateContext(ctx context.Context, in *T) Decision {
	if e == nil || e.frames.New == nil {
		return Decision{Outcome: "", Basis: ByError, Errors: []RuleError{{Err: "risk: engine not compiled; use Compile or CompilePolicy"}}}
	}
	f := e.decide(ctx, in)
	d := e.decision(&f.v)
	e.release(f)
	return d
}

// decide evaluates in and leaves the verdict in the returned frame, which
// the caller hands back with release once it has read it.
func (e *Engine[T]) decide(ctx context.Context, in *T) *frame {
	if in == nil {
		in = new(T)
	}
	f := e.frames.Get().(*frame)
	var start time.Time
	if e.observer != nil {
		start = time.Now()
	}
	f.root, f.max = in, e.maxCost
	var done <-chan struct{}
	if done = ctx.Done(); done != nil {
		f.ctx = ctx
	}
	v := &f.v
	v.results = v.results[:0]
	// The loop is kept small: what is rare (an observer, a deadline, a
	// spent budget) goes through watch, and what a rule's result means
	// for the outcome is worked out afterwards, from the few results.
	watched := e.ruleObserver != nil || done != nil
	var spent int64
	for i := range e.rules {
		r := &e.rules[i]
		f.cost, f.varCost, f.missing, f.err = 0, 0, 0, nil
		var ok bool
		var state st
		if watched || spent > e.budget {
			ok, state = e.watch(f, r, done, spent)
		} else {
			ok, state = r.cond(f)
		}
		spent += f.cost + f.varCost
		if ok || state != sOK {
			v.results = append(v.results, resultOf(i, state, f))
		}
	}
	v.hits, v.shadow, v.missing, v.errors = 0, 0, 0, 0
	best, basis := len(e.outcomes)-1, ByDefault
	allowed := false
	var score scoreSum
	for _, res := range v.results {
		r := &e.rules[res.rule]
		switch res.state {
		case sOK:
			if r.shadow {
				v.shadow++
				continue
			}
			v.hits++
			score.add(r.score)
			if r.allow {
				allowed = true
			}
			if r.action >= 0 && r.action <= best {
				best, basis = r.action, ByRule
			}
		case sUnknown:
			v.missing++
		default:
			v.errors++
			if e.failClosed && !r.shadow && e.errorOutcome < best {
				best, basis = e.errorOutcome, ByError
			}
		}
	}
	v.score = score.total()
	for _, b := range e.bands {
		if v.score >= b.MinScore {
			if o := e.rank[b.Outcome]; o < best {
				best, basis = o, ByScore
			}
			break
		}
	}
	if allowed {
		best, basis = e.allowOutcome, ByAllow
	}
	v.best, v.basis = best, basis
	if e.observer != nil {
		e.observeDecision(f, time.Since(start))
	}
	return f
}

// resultOf is what rule i came to, when it fired, failed or missed an
// input.
func resultOf(i int, state st, f *frame) result {
	res := result{rule: i, state: state}
	switch state {
	case sUnknown:
		res.missing = f.missing
	case sError:
		res.err = f.err
	}
	return res
}

// watch evaluates rule r when an observer or a deadline is watching the
// decision, or when its budget is spent.
func (e *Engine[T]) watch(f *frame, r *compiledRule, done <-chan struct{}, spent int64) (bool, st) {
	var start time.Time
	if e.ruleObserver != nil {
		start = time.Now()
	}
	ok, state := false, sError
	switch {
	case stopped(done):
		f.err = fmt.Errorf("evaluation stopped: %w", context.Cause(f.ctx))
	case spent > e.budget:
		f.err = fmt.Errorf("decision budget of %d cost units spent before this rule", e.budget)
	default:
		ok, state = r.cond(f)
	}
	if e.ruleObserver != nil {
		e.observeRule(f, r, ok, state, time.Since(start))
	}
	return ok, state
}

// stopped reports whether done is closed, without waiting.
func stopped(done <-chan struct{}) bool {
	if done == nil {
		return false
	}
	select {
	case <-done:
		return true
	default:
		return false
	}
}

// release returns a frame taken by decide to the pool.
func (e *Engine[T]) release(f *frame) {
	// Loops clear their own variables; the rest is cleared here so that
	// the pool holds nothing of the input.
	f.root, f.ctx, f.err = nil, nil, nil
	clear(f.objs[:e.inputs.slots+1])
	f.ipText, f.ipParsed = "", false
	f.known, f.truth = 0, 0
	clear(f.varVals)
	if f.v.errors > 0 {
		clear(f.v.results) // drops the errors they hold
	}
	e.frames.Put(f)
}

// decision turns a verdict into a Decision, allocating each of its slices
// once and at its final size.
func (e *Engine[T]) decision(v *verdict) Decision {
	d := Decision{PolicyID: e.id, PolicyVersion: e.version, Outcome: e.outcomes[v.best], Basis: v.basis, Score: v.score}
	if n := v.hits + v.shadow; n > 0 {
		hits := make([]Hit, 0, n) // shared by Hits and Shadow
		if v.hits > 0 {
			d.Hits = hits[:0:v.hits]
		}
		if v.shadow > 0 {
			d.Shadow = hits[v.hits:v.hits:n]
		}
	}
	if v.errors > 0 {
		d.Errors = make([]RuleError, 0, v.errors)
	}
	if v.missing > 0 {
		d.Missing = make([]MissingInputs, 0, v.missing)
	}
	for _, res := range v.results {
		r := &e.rules[res.rule]
		switch res.state {
		case sOK:
			if r.shadow {
				d.Shadow = append(d.Shadow, r.hit)
			} else {
				d.Hits = append(d.Hits, r.hit)
			}
		case sUnknown:
			d.Missing = append(d.Missing, MissingInputs{RuleID: r.id, Shadow: r.shadow, Inputs: e.inputs.set(res.missing)})
		default:
			msg := "rule failed"
			if res.err != nil {
				msg = res.err.Error()
			}
			d.Errors = append(d.Errors, RuleError{RuleID: r.id, Shadow: r.shadow, Err: msg})
		}
	}
	return d
}

// fallback evaluates a condition the planner left to cel-go.
func (x *compiled) fallback(f *frame) (bool, st) {
	v := f.run(x.prg)
	if s := f.absorb(v); s != sOK {
		return false, s
	}
	b, ok := v.(types.Bool)
	if !ok {
		f.err = fmt.Errorf("condition evaluated to %v, not a bool", v)
		return false, sError
	}
	return bool(b), sOK
}
