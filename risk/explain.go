package risk

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"cel.dev/cel-go/cel"
	celast "cel.dev/cel-go/common/ast"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
	"cel.dev/cel-go/common/types/traits"
	"cel.dev/cel-go/parser"
)

// RuleTrace is one rule's evaluation on one input, with the value of each
// of its sub-expressions, as [Engine.Explain] reports it.
type RuleTrace struct {
	RuleID string     `json:"rule_id"`
	Shadow bool       `json:"shadow,omitempty"`
	Result RuleResult `json:"result"`
	// Missing are the inputs the rule lacked; Err is its error.
	Missing []string `json:"missing,omitempty"`
	Err     string   `json:"error,omitempty"`
	// Steps are the rule's sub-expressions, innermost first, each once.
	Steps []Step `json:"steps"`
}

// Step is one sub-expression of a rule and its value on the input.
type Step struct {
	// Expr is the sub-expression in CEL, as the policy would write it.
	Expr string `json:"expr"`
	// Line and Column locate it in the policy document.
	Line   int `json:"line"`
	Column int `json:"column"`
	// Value is the value in CEL notation ("true", "3", "\"card\"",
	// "10.00 USD"), "missing: NAMES" for an input not supplied, or
	// "error: MESSAGE".
	Value string `json:"value"`
}

// Explain evaluates every rule on in and reports, per rule, its result
// (the one [Engine.Evaluate] reaches) and the value of each of its
// sub-expressions, the way a policy author traces why a rule fired or did
// not. Both sides of && and || and both branches of ?: are evaluated so
// that every value shows; a comprehension shows as a whole. Explain is a
// diagnostic: it builds a tracing program per rule on each call and is
// much slower than Evaluate. A nil in is the zero T.
func (e *Engine[T]) Explain(in *T) ([]RuleTrace, error) {
	if e == nil || e.frames.New == nil {
		return nil, errors.New("risk: engine not compiled; use Compile or CompilePolicy")
	}
	if in == nil {
		in = new(T)
	}
	d := e.Evaluate(in)
	f := e.frames.Get().(*frame)
	defer e.release(f)
	f.root, f.max = in, e.maxCost
	out := make([]RuleTrace, 0, len(e.rules))
	for i := range e.rules {
		r := &e.rules[i]
		t := RuleTrace{RuleID: r.id, Shadow: r.shadow, Result: RuleQuiet}
		switch {
		case slices.ContainsFunc(d.Hits, func(h Hit) bool { return h.RuleID == r.id }),
			slices.ContainsFunc(d.Shadow, func(h Hit) bool { return h.RuleID == r.id }):
			t.Result = RuleFired
		}
		for _, m := range d.Missing {
			if m.RuleID == r.id {
				t.Result, t.Missing = RuleMissing, m.Inputs.Names()
			}
		}
		for _, x := range d.Errors {
			if x.RuleID == r.id {
				t.Result, t.Err = RuleFailed, x.Err
			}
		}
		steps, err := e.trace(r, f)
		if err != nil {
			return nil, fmt.Errorf("risk: explain rule %s: %w", r.id, err)
		}
		t.Steps = steps
		out = append(out, t)
	}
	return out, nil
}

// trace evaluates r's condition on cel-go's interpreter, recording every
// sub-expression's value.
func (e *Engine[T]) trace(r *compiledRule, f *frame) ([]Step, error) {
	a := r.ast
	prg, err := e.env.PlanProgram(a, cel.EvalOptions(cel.OptTrackState, cel.OptExhaustiveEval),
		cel.CostLimit(uint64(e.maxCost)))
	if err != nil {
		return nil, err
	}
	f.cost, f.missing, f.err = 0, 0, nil
	_, det, _ := prg.Eval(&f.act) // the value is the rule's; errors show per step
	if det == nil || det.State() == nil {
		return nil, errors.New("no evaluation state")
	}
	state := det.State()
	info := a.SourceInfo()
	var steps []Step
	seen := map[string]bool{}
	var visit func(x celast.Expr)
	visit = func(x celast.Expr) {
		switch x.Kind() {
		case celast.LiteralKind:
			return
		case celast.ComprehensionKind:
			// Its parts hold the last iteration's values, which mislead.
		case celast.SelectKind:
			if r.refName(a, x) == "" {
				visit(x.AsSelect().Operand())
			}
		case celast.CallKind:
			c := x.AsCall()
			if c.IsMemberFunction() {
				visit(c.Target())
			}
			for _, arg := range c.Args() {
				visit(arg)
			}
		case celast.ListKind:
			for _, el := range x.AsList().Elements() {
				visit(el)
			}
		case celast.MapKind:
			for _, en := range x.AsMap().Entries() {
				visit(en.AsMapEntry().Key())
				visit(en.AsMapEntry().Value())
			}
		}
		v, ok := state.Value(x.ID())
		if !ok {
			return
		}
		text, err := parser.Unparse(x, info)
		text = strings.Join(strings.Fields(text), " ") // Unparse wraps long lines
		if err != nil || seen[text] {
			return
		}
		seen[text] = true
		loc := info.GetStartLocation(x.ID())
		line, col := r.pos.at(loc.Line(), loc.Column())
		steps = append(steps, Step{Expr: text, Line: line, Column: col, Value: e.valueText(v)})
	}
	visit(a.Expr())
	return steps, nil
}

// refName is the name the checker resolved x to, or "".
func (r *compiledRule) refName(a *celast.AST, x celast.Expr) string {
	if ref, ok := a.ReferenceMap()[x.ID()]; ok && ref.Value == nil {
		return ref.Name
	}
	return ""
}

// valueText writes a CEL value as a policy author reads it.
func (e *Engine[T]) valueText(v ref.Val) string {
	switch v := v.(type) {
	case *types.Unknown:
		var names []string
		for _, id := range v.IDs() {
			if id >= 0 && int(id) < len(e.inputs.names) {
				names = append(names, e.inputs.names[id])
			}
		}
		return "missing: " + strings.Join(names, ", ")
	case *types.Err:
		return "error: " + v.Error()
	case types.String:
		return fmt.Sprintf("%q", string(v))
	case types.Timestamp:
		return fmt.Sprintf("timestamp(%q)", v.ConvertToType(types.StringType).Value())
	case types.Duration:
		return fmt.Sprintf("duration(%q)", v.ConvertToType(types.StringType).Value())
	case moneyVal:
		return fmt.Sprintf("money(%q)", v.m.String())
	case objVal:
		// An object shows as its fields that are set, as CEL writes a
		// message.
		var parts []string
		for _, fd := range v.path.desc.fields {
			if fd.kind != kObjects && fd.present(v.p) {
				parts = append(parts, fd.name+": "+e.valueText(v.path.fieldVal(fd, v.p)))
			}
		}
		return v.path.desc.name + "{" + strings.Join(parts, ", ") + "}"
	case types.Bool, types.Int, types.Uint, types.Double, types.Null:
		return fmt.Sprint(v.Value())
	}
	switch v := v.(type) {
	case traits.Mapper:
		var parts []string
		for it := v.Iterator(); it.HasNext() == types.True; {
			k := it.Next()
			parts = append(parts, e.valueText(k)+": "+e.valueText(v.Get(k)))
		}
		slices.Sort(parts)
		return "{" + strings.Join(parts, ", ") + "}"
	case traits.Lister:
		var parts []string
		for it := v.Iterator(); it.HasNext() == types.True; {
			parts = append(parts, e.valueText(it.Next()))
		}
		return "[" + strings.Join(parts, ", ") + "]"
	}
	return fmt.Sprintf("%v", v.Value())
}
