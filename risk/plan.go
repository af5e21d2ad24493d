package risk

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/netip"
	"strings"
	"time"

	"cel.dev/cel-go/cel"
	celast "cel.dev/cel-go/common/ast"
	"cel.dev/cel-go/common/overloads"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
	"cel.dev/cel-go/common/types/traits"
	"cel.dev/cel-go/interpreter"
)

// The planner turns the common shapes of rules (field reads, comparisons,
// logic, set and CIDR membership, money and time comparisons, exists and
// all over object lists) into closures that return a Go scalar and a state
// in registers. Every other sub-expression that reads no loop variable of
// an enclosing planned comprehension runs on cel-go's own interpreter,
// reading the same inputs through the activation of activation.go; a rule
// the planner covers nowhere runs on cel-go as a whole. Constant
// sub-expressions are evaluated once, by cel-go, when compiling, unless
// they evaluate to an error: an error is left to happen at run time, where
// cel-go would report it.

// st is the state of a planned result.
type st uint8

const (
	sOK      st = iota
	sUnknown    // an input was missing; frame.missing says which
	sError      // evaluation failed; frame.err says why
)

// worse merges the states of two operands that both failed: an unknown wins
// over an error, so that a missing input is reported as missing rather
// than as the error its absence caused.
func worse(a, b st) st {
	if a == sUnknown || b == sUnknown {
		return sUnknown
	}
	return sError
}

// failed merges the states of two operands of which at least one failed.
func failed(a, b st) st {
	switch {
	case a == sOK:
		return b
	case b == sOK:
		return a
	}
	return worse(a, b)
}

// frame is the state of one evaluation.
type frame struct {
	root any
	vars [2 * maxNest]any // loop variables of planned comprehensions
	cost int64            // work done by the current rule
	// varCost is the work done computing variables for the current rule.
	varCost int64
	max     int64 // the current rule's cost limit
	// missing accumulates the missing inputs (bits of input ids), err
	// holds the last error.
	missing uint64
	err     error
	ctx     context.Context
	act     activation
	// varVals caches the policy's variables for this decision.
	varVals []varSlot
	// known and truth are the values of the shared sub-expressions
	// computed so far in this decision, a bit each (see planner.memo).
	known, truth uint64
	// ipText is the last address parsed by addr in this decision.
	ipText         string
	ip             netip.Addr
	ipOK, ipParsed bool
	// objs caches the objects read from the root in this decision, by
	// objPath.slot.
	objs [maxObjSlots]any
	// v is the verdict being reached; event is an observer's scratch.
	v         verdict
	event     DecisionEvent
	ruleEvent RuleEvent
}

// object returns the object read gives, cached at slot (if not 0) for the
// rest of the decision.
func (f *frame) object(slot int, read func(*frame) (any, st)) (any, st) {
	if o := f.objs[slot]; slot != 0 && o != nil {
		return o, sOK
	}
	o, s := read(f)
	if s == sOK && slot != 0 {
		f.objs[slot] = o
	}
	return o, s
}

// maxNest is how deeply planned comprehensions may nest.
const maxNest = 4

// spend charges n units of cost and reports whether the limit still holds.
func (f *frame) spend(n int64) bool {
	f.cost += n
	return f.cost <= f.max
}

// fnode is a planned expression; the function matching k is set.
type fnode struct {
	k kind
	b func(*frame) (bool, st)
	i func(*frame) (int64, st) // kInt; kDuration in nanoseconds
	t func(*frame) (time.Time, st)
	s func(*frame) (string, st)
	m func(*frame) (Money, st)
	o func(*frame) (any, st) // kObject: pointer to the Go struct
	// path names the object a kObject node yields; slot is where a
	// decision may cache it (see frame.object), or 0.
	path *objPath
	slot int
	// konst holds the value of a constant node (see planner.fold), for
	// the operators that specialise on a constant operand.
	konst ref.Val
	// leaf is set on a read of a scalar field, so that a
	// comparison with a constant reads the field itself.
	leaf *leaf
}

// planner plans one checked expression.
type planner struct {
	ast    *celast.AST
	root   *objPath
	consts map[string]ref.Val // parameters and lists, by qualified name
	// varIdx numbers the policy's variables by qualified name.
	varIdx map[string]int
	vars   []fnode // planned variables, by number (k == 0: not planned)
	// constVars resolves the policy's lists and parameters, for folding.
	constVars *varTable
	// program builds a cel-go program for a sub-expression.
	program func(e celast.Expr) (cel.Program, error)
	scope   []scopeVar
	// fallbacks counts the sub-expressions left to cel-go.
	fallbacks int
	// shared numbers the sub-expressions the policy's rules share, or is
	// nil.
	shared *sharing
}

// scopeVar is a loop variable of a planned comprehension: an object of a
// list.
type scopeVar struct {
	name string
	slot int
	path *objPath
}

// kindOf returns the planned representation of values of type t.
func kindOf(t *types.Type) (kind, bool) {
	if t == nil {
		return 0, false
	}
	switch t.Kind() {
	case types.BoolKind:
		return kBool, true
	case types.IntKind:
		return kInt, true
	case types.StringKind:
		return kString, true
	case types.TimestampKind:
		return kTime, true
	case types.DurationKind:
		return kDuration, true
	case types.StructKind:
		if t.TypeName() == moneyType.TypeName() {
			return kMoney, true
		}
		return kObject, true
	}
	return 0, false
}

// top plans a whole expression. ok is false when its type has no planned
// representation; the caller then runs it on cel-go.
func (p *planner) top(e celast.Expr) (fnode, bool, error) {
	return p.plan(e)
}

// plan plans e: directly when it can, else as a constant or a cel-go
// sub-program. ok is false when neither is possible, because e's type has
// no planned form or e reads a loop variable of a planned comprehension.
func (p *planner) plan(e celast.Expr) (fnode, bool, error) {
	k, ok := kindOf(p.ast.GetType(e.ID()))
	if !ok {
		return fnode{}, false, nil
	}
	if p.constant(e, nil) {
		if n, ok, err := p.fold(e, k); err != nil || ok {
			return n, ok, err
		}
	}
	n, ok, err := p.direct(e, k)
	if err != nil {
		return fnode{}, false, err
	}
	if !ok {
		if k == kObject || p.readsScope(e, nil) {
			return fnode{}, false, nil
		}
		if n, ok, err = p.sub(e, k); err != nil || !ok {
			return n, ok, err
		}
	}
	return p.memo(e, n), true, nil
}

// memo makes a boolean sub-expression that the policy's rules share
// (see sharing) computed at most once per decision: its value is kept
// once known; a missing input or an error is not kept, so that each rule
// reports its own.
func (p *planner) memo(e celast.Expr, n fnode) fnode {
	if n.k != kBool || len(p.scope) > 0 {
		return n
	}
	i, ok := p.shared.bit(p.ast, e)
	if !ok {
		return n
	}
	x, bit := n.b, uint64(1)<<i
	n.b = func(f *frame) (bool, st) {
		if f.known&bit != 0 {
			return f.truth&bit != 0, sOK
		}
		v, s := x(f)
		if s == sOK {
			f.known |= bit
			if v {
				f.truth |= bit
			}
		}
		return v, s
	}
	return n
}

// direct plans the shapes the planner implements itself.
func (p *planner) direct(e celast.Expr, k kind) (fnode, bool, error) {
	switch e.Kind() {
	case celast.IdentKind:
		return p.ident(e)
	case celast.SelectKind:
		return p.selectExpr(e)
	case celast.CallKind:
		return p.call(e, k)
	case celast.ComprehensionKind:
		return p.comprehension(e)
	}
	return fnode{}, false, nil
}

// refName is the name the checker resolved an identifier or qualified name
// to, or "".
func (p *planner) refName(e celast.Expr) string {
	if r, ok := p.ast.ReferenceMap()[e.ID()]; ok && r.Name != "" && r.Value == nil {
		return r.Name
	}
	return ""
}

// constant reports whether e reads no input, variable or loop variable
// bound outside it.
func (p *planner) constant(e celast.Expr, bound map[string]bool) bool {
	ok := true
	p.walk(e, bound, func(e celast.Expr, bound map[string]bool) {
		switch e.Kind() {
		case celast.IdentKind:
			if !bound[e.AsIdent()] && !p.isConst(e) {
				ok = false
			}
		case celast.SelectKind:
			if name := p.refName(e); name != "" && !p.isConst(e) {
				ok = false
			}
		}
	})
	return ok
}

func (p *planner) isConst(e celast.Expr) bool {
	name := p.refName(e)
	if name == "" && e.Kind() == celast.IdentKind {
		name = e.AsIdent()
	}
	_, ok := p.consts[name]
	return ok
}

// readsScope reports whether e reads a loop variable of an enclosing
// planned comprehension.
func (p *planner) readsScope(e celast.Expr, bound map[string]bool) bool {
	if len(p.scope) == 0 {
		return false
	}
	reads := false
	p.walk(e, bound, func(e celast.Expr, bound map[string]bool) {
		if e.Kind() == celast.IdentKind && !bound[e.AsIdent()] {
			for _, v := range p.scope {
				if v.name == e.AsIdent() {
					reads = true
				}
			}
		}
	})
	return reads
}

// walk calls visit on e and its sub-expressions, with the names bound by
// the comprehensions around each.
func (p *planner) walk(e celast.Expr, bound map[string]bool, visit func(celast.Expr, map[string]bool)) {
	visit(e, bound)
	switch e.Kind() {
	case celast.SelectKind:
		if p.refName(e) == "" {
			p.walk(e.AsSelect().Operand(), bound, visit)
		}
	case celast.CallKind:
		c := e.AsCall()
		if c.IsMemberFunction() {
			p.walk(c.Target(), bound, visit)
		}
		for _, a := range c.Args() {
			p.walk(a, bound, visit)
		}
	case celast.ListKind:
		for _, el := range e.AsList().Elements() {
			p.walk(el, bound, visit)
		}
	case celast.MapKind:
		for _, en := range e.AsMap().Entries() {
			me := en.AsMapEntry()
			p.walk(me.Key(), bound, visit)
			p.walk(me.Value(), bound, visit)
		}
	case celast.StructKind:
		for _, f := range e.AsStruct().Fields() {
			p.walk(f.AsStructField().Value(), bound, visit)
		}
	case celast.ComprehensionKind:
		c := e.AsComprehension()
		p.walk(c.IterRange(), bound, visit)
		inner := map[string]bool{}
		for k := range bound {
			inner[k] = true
		}
		inner[c.AccuVar()] = true
		p.walk(c.AccuInit(), bound, visit)
		inner[c.IterVar()] = true
		if c.HasIterVar2() {
			inner[c.IterVar2()] = true
		}
		p.walk(c.LoopCondition(), inner, visit)
		p.walk(c.LoopStep(), inner, visit)
		res := map[string]bool{}
		for k := range bound {
			res[k] = true
		}
		res[c.AccuVar()] = true
		p.walk(c.Result(), res, visit)
	}
}

// fold evaluates a constant expression once with cel-go. An error is not
// folded: the expression then runs at run time and errors there.
func (p *planner) fold(e celast.Expr, k kind) (fnode, bool, error) {
	prg, err := p.program(e)
	if err != nil {
		return fnode{}, false, err
	}
	out, _, err := prg.Eval(&activation{vars: p.constVars, f: &frame{}})
	if err != nil || out == nil || types.IsUnknownOrError(out) {
		n, ok, err := p.sub(e, k)
		return n, ok, err
	}
	n, ok := constNode(out, k)
	return n, ok, nil
}

// constNode is a node that always yields the constant out, of kind k.
func constNode(out ref.Val, k kind) (fnode, bool) {
	switch k {
	case kBool:
		b, ok := out.(types.Bool)
		return fnode{k: k, b: func(*frame) (bool, st) { return bool(b), sOK }, konst: out}, ok
	case kInt:
		n, ok := out.(types.Int)
		return fnode{k: k, i: func(*frame) (int64, st) { return int64(n), sOK }, konst: out}, ok
	case kDuration:
		d, ok := out.(types.Duration)
		return fnode{k: k, i: func(*frame) (int64, st) { return int64(d.Duration), sOK }, konst: out}, ok
	case kString:
		s, ok := out.(types.String)
		return fnode{k: k, s: func(*frame) (string, st) { return string(s), sOK }, konst: out}, ok
	case kTime:
		t, ok := out.(types.Timestamp)
		return fnode{k: k, t: func(*frame) (time.Time, st) { return t.Time, sOK }, konst: out}, ok
	case kMoney:
		m, ok := out.(moneyVal)
		return fnode{k: k, m: func(*frame) (Money, st) { return m.m, sOK }, konst: out}, ok
	}
	return fnode{}, false
}

// sub runs e on cel-go and converts its result to the planned kind k.
func (p *planner) sub(e celast.Expr, k kind) (fnode, bool, error) {
	prg, err := p.program(e)
	if err != nil {
		return fnode{}, false, err
	}
	p.fallbacks++
	return fallbackNode(prg, k), true, nil
}

// fallbackNode evaluates prg and converts its result to kind k.
func fallbackNode(prg cel.Program, k kind) fnode {
	run := func(f *frame) (ref.Val, st) {
		v := f.run(prg)
		return v, f.absorb(v)
	}
	switch k {
	case kBool:
		return fnode{k: k, b: func(f *frame) (bool, st) {
			v, s := run(f)
			b, _ := v.(types.Bool)
			return bool(b), s
		}}
	case kInt:
		return fnode{k: k, i: func(f *frame) (int64, st) {
			v, s := run(f)
			n, _ := v.(types.Int)
			return int64(n), s
		}}
	case kDuration:
		return fnode{k: k, i: func(f *frame) (int64, st) {
			v, s := run(f)
			d, _ := v.(types.Duration)
			return int64(d.Duration), s
		}}
	case kString:
		return fnode{k: k, s: func(f *frame) (string, st) {
			v, s := run(f)
			str, _ := v.(types.String)
			return string(str), s
		}}
	case kTime:
		return fnode{k: k, t: func(f *frame) (time.Time, st) {
			v, s := run(f)
			t, _ := v.(types.Timestamp)
			return t.Time, s
		}}
	case kMoney:
		return fnode{k: k, m: func(f *frame) (Money, st) {
			v, s := run(f)
			m, _ := v.(moneyVal)
			return m.m, s
		}}
	}
	panic("risk: no fallback for kind " + fmt.Sprint(k))
}

// run evaluates a cel-go program on the frame's input, charging its cost
// to the current rule.
func (f *frame) run(prg cel.Program) ref.Val {
	ef, err := interpreter.NewExecutionFrame(&f.act)
	if err != nil {
		return types.WrapErr(err)
	}
	defer ef.Close()
	if f.ctx != nil && f.ctx.Done() != nil {
		if err := ef.SetContext(f.ctx, interruptEvery); err != nil {
			return types.WrapErr(err)
		}
	}
	out, det, err := prg.Eval(ef)
	if det != nil {
		if c := det.ActualCost(); c != nil {
			f.cost += int64(min(*c, 1<<62))
		}
	}
	if err != nil {
		var cancelled interpreter.EvalCancelledError
		if errors.As(err, &cancelled) && cancelled.Cause == interpreter.CostLimitExceeded {
			return types.NewErr("runtime cost limit %d exceeded", f.max)
		}
		if f.ctx != nil && f.ctx.Err() != nil {
			return types.NewErr("evaluation stopped: %v", context.Cause(f.ctx))
		}
		if out != nil && types.IsError(out) {
			return out
		}
		return types.WrapErr(err)
	}
	return out
}

// interruptEvery is how many comprehension steps cel-go takes between
// checks of the host's context.
const interruptEvery = 64

// absorb records a cel-go result that is an unknown or an error in the
// frame and returns its state.
func (f *frame) absorb(v ref.Val) st {
	switch x := v.(type) {
	case *types.Unknown:
		for _, id := range x.IDs() {
			f.missing |= bit(int(id))
		}
		return sUnknown
	case *types.Err:
		f.err = x
		return sError
	}
	return sOK
}

func (p *planner) ident(e celast.Expr) (fnode, bool, error) {
	name := e.AsIdent()
	for i := len(p.scope) - 1; i >= 0; i-- {
		if v := p.scope[i]; v.name == name {
			slot := v.slot
			return fnode{k: kObject, path: v.path, o: func(f *frame) (any, st) { return f.vars[slot], sOK }}, true, nil
		}
	}
	if r := p.refName(e); r != "" {
		name = r
	}
	return p.named(name)
}

// named plans a root variable or a policy variable.
func (p *planner) named(name string) (fnode, bool, error) {
	if i, ok := p.varIdx[name]; ok {
		return p.vars[i], p.vars[i].k != 0, nil
	}
	fd, ok := p.root.desc.byName[name]
	if !ok {
		return fnode{}, false, nil
	}
	root := fnode{k: kObject, path: p.root, slot: p.root.slot, o: func(f *frame) (any, st) { return f.root, sOK }}
	return p.field(root, fd)
}

func (p *planner) selectExpr(e celast.Expr) (fnode, bool, error) {
	sel := e.AsSelect()
	if name := p.refName(e); name != "" {
		return p.named(name)
	}
	x, ok, err := p.plan(sel.Operand())
	if err != nil || !ok {
		return fnode{}, false, err
	}
	switch x.k {
	case kMoney:
		if sel.IsTestOnly() {
			return fnode{}, false, nil
		}
		m := x.m
		if sel.FieldName() == "minor" {
			return fnode{k: kInt, i: func(f *frame) (int64, st) {
				v, s := m(f)
				return v.minor, s
			}}, true, nil
		}
		return fnode{k: kString, s: func(f *frame) (string, st) {
			v, s := m(f)
			return v.currency, s
		}}, true, nil
	case kObject:
		fd := x.path.desc.byName[sel.FieldName()]
		if fd == nil {
			return fnode{}, false, nil
		}
		if sel.IsTestOnly() {
			obj := x.o
			return fnode{k: kBool, b: func(f *frame) (bool, st) {
				o, s := obj(f)
				if s != sOK {
					return false, s
				}
				return fd.present(o), sOK
			}}, true, nil
		}
		return p.field(x, fd)
	}
	return fnode{}, false, nil
}

// field reads fd from the object x yields. Objects read from the root are
// read once per decision (see frame.object).
func (p *planner) field(x fnode, fd *fieldDesc) (fnode, bool, error) {
	read, slot := x.o, x.slot
	var b uint64
	if id := x.path.ids[fd.index]; id >= 0 {
		b = bit(id)
	}
	switch fd.kind {
	case kObject:
		get := fd.obj
		kid, kidSlot := x.path.kids[fd.index], 0
		if slot != 0 {
			kidSlot = kid.slot
		}
		return fnode{k: kObject, path: kid, slot: kidSlot, o: func(f *frame) (any, st) {
			o, s := f.object(slot, read)
			if s != sOK {
				return nil, s
			}
			v, ok := get(o)
			if !ok {
				f.missing |= b
				return nil, sUnknown
			}
			return v, sOK
		}}, true, nil
	case kBool, kString, kInt, kDuration, kTime, kMoney:
		return fd.typed.node(&leaf{read: read, slot: slot, fd: fd, bit: b}), true, nil
	}
	return fnode{}, false, nil
}

func (p *planner) call(e celast.Expr, k kind) (fnode, bool, error) {
	call := e.AsCall()
	ids := p.ast.GetOverloadIDs(e.ID())
	if len(ids) != 1 {
		return fnode{}, false, nil
	}
	id := ids[0]
	var argExprs []celast.Expr
	if call.IsMemberFunction() {
		argExprs = append(argExprs, call.Target())
	}
	argExprs = append(argExprs, call.Args()...)

	if id == overloads.InList || id == inCIDRs {
		return p.in(id, argExprs)
	}
	if id == overloads.IndexMap {
		return p.index(argExprs, k)
	}
	if id == moneyCurrency {
		x, ok, err := p.plan(argExprs[0])
		if err != nil || !ok || x.k != kMoney {
			return fnode{}, false, err
		}
		m := x.m
		return fnode{k: kString, s: func(f *frame) (string, st) {
			v, s := m(f)
			return v.currency, s
		}}, true, nil
	}
	switch id {
	case overloads.LogicalAnd, overloads.LogicalOr, overloads.LogicalNot, overloads.Conditional,
		overloads.NotStrictlyFalse, overloads.Equals, overloads.NotEquals,
		overloads.AddInt64, overloads.SubtractInt64, overloads.SubtractTimestampTimestamp,
		overloads.AddDurationDuration, overloads.SubtractDurationDuration, addMoney, subtractMoney:
	default:
		if _, ok := ordering(id); !ok {
			return fnode{}, false, nil
		}
	}
	if id == overloads.LogicalAnd || id == overloads.LogicalOr {
		return p.logical(e, id)
	}
	args := make([]fnode, len(argExprs))
	for i, a := range argExprs {
		fn, ok, err := p.plan(a)
		if err != nil || !ok {
			return fnode{}, false, err
		}
		args[i] = fn
	}
	switch id {
	case overloads.LogicalNot:
		x := args[0].b
		return fnode{k: kBool, b: func(f *frame) (bool, st) {
			b, s := x(f)
			return !b, s
		}}, true, nil
	case overloads.Conditional:
		n := conditional(args[0].b, args[1], args[2])
		return n, n.k != 0, nil
	case overloads.NotStrictlyFalse:
		x := args[0].b
		return fnode{k: kBool, b: func(f *frame) (bool, st) {
			m := f.missing
			if b, s := x(f); s == sOK {
				return b, sOK
			}
			f.missing = m
			return true, sOK
		}}, true, nil
	case overloads.Equals, overloads.NotEquals:
		if args[0].k != args[1].k || args[0].k == kObject {
			return fnode{}, false, nil
		}
		op := opEq
		if id == overloads.NotEquals {
			op = opNe
		}
		n := compare(args[0], args[1], op)
		return n, n.b != nil, nil
	case overloads.AddInt64, overloads.SubtractInt64, overloads.AddDurationDuration, overloads.SubtractDurationDuration:
		return arith(k, args[0].i, args[1].i, strings.HasPrefix(id, "subtract_")), true, nil
	case overloads.SubtractTimestampTimestamp:
		return since(args[0].t, args[1].t), true, nil
	case addMoney, subtractMoney:
		return moneyArith(args[0].m, args[1].m, id == subtractMoney), true, nil
	}
	if args[0].k != args[1].k || args[0].k == kBool || args[0].k == kObject {
		return fnode{}, false, nil
	}
	op, _ := ordering(id)
	n := compare(args[0], args[1], op)
	return n, n.b != nil, nil
}

// cmpOp is a comparison operator.
type cmpOp uint8

const (
	opEq cmpOp = iota
	opNe
	opLt
	opLe
	opGt
	opGe
)

// holds reports whether u op v.
func holds[T int64 | string](op cmpOp, u, v T) bool {
	switch op {
	case opEq:
		return u == v
	case opNe:
		return u != v
	case opLt:
		return u < v
	case opLe:
		return u <= v
	case opGt:
		return u > v
	}
	return u >= v
}

// holdsFor reports whether a three-way comparison c satisfies op.
func holdsFor(op cmpOp, c int) bool { return holds(op, int64(c), 0) }

// swapped is op with its operands exchanged: a < b is b > a.
func (op cmpOp) swapped() cmpOp {
	switch op {
	case opLt:
		return opGt
	case opLe:
		return opGe
	case opGt:
		return opLt
	case opGe:
		return opLe
	}
	return op
}

// ordering returns the operator of the overload id of an ordering
// operator on two operands of one type; false for any other overload.
func ordering(id string) (cmpOp, bool) {
	switch id {
	case overloads.LessInt64, overloads.LessString, overloads.LessTimestamp, overloads.LessDuration, lessMoney:
		return opLt, true
	case overloads.LessEqualsInt64, overloads.LessEqualsString, overloads.LessEqualsTimestamp, overloads.LessEqualsDuration, lessEqMoney:
		return opLe, true
	case overloads.GreaterInt64, overloads.GreaterString, overloads.GreaterTimestamp, overloads.GreaterDuration, greaterMoney:
		return opGt, true
	case overloads.GreaterEqualsInt64, overloads.GreaterEqualsString, overloads.GreaterEqualsTimestamp, overloads.GreaterEqualsDuration, greaterEqMoney:
		return opGe, true
	}
	return 0, false
}

// logical plans a chain of && or || (id) as one node over all its
// operands: a && b && c is one loop, not two nested closures.
func (p *planner) logical(e celast.Expr, id string) (fnode, bool, error) {
	var xs []func(*frame) (bool, st)
	var collect func(e celast.Expr) (bool, error)
	collect = func(e celast.Expr) (bool, error) {
		if ids := p.ast.GetOverloadIDs(e.ID()); e.Kind() == celast.CallKind && len(ids) == 1 && ids[0] == id {
			for _, a := range e.AsCall().Args() {
				if ok, err := collect(a); err != nil || !ok {
					return ok, err
				}
			}
			return true, nil
		}
		n, ok, err := p.plan(e)
		if err != nil || !ok || n.k != kBool {
			return false, err
		}
		xs = append(xs, n.b)
		return true, nil
	}
	if ok, err := collect(e); err != nil || !ok {
		return fnode{}, false, err
	}
	or := id == overloads.LogicalOr
	if len(xs) == 2 {
		return logical2(xs[0], xs[1], or), true, nil
	}
	return fnode{k: kBool, b: func(f *frame) (bool, st) {
		// Operands that turn out not to matter must not leave their
		// missing inputs behind.
		m := f.missing
		failure := sOK
		for _, x := range xs {
			v, s := x(f)
			if s == sOK {
				if v == or {
					f.missing = m
					return or, sOK
				}
				continue
			}
			failure = failed(failure, s)
		}
		if failure != sOK {
			return false, failure
		}
		return !or, sOK
	}}, true, nil
}

// logical2 is a chain of two operands, the most common, without the loop.
func logical2(x, y func(*frame) (bool, st), or bool) fnode {
	return fnode{k: kBool, b: func(f *frame) (bool, st) {
		m := f.missing
		a, sa := x(f)
		if sa == sOK && a == or {
			return or, sOK
		}
		b, sb := y(f)
		if sb == sOK && b == or {
			f.missing = m
			return or, sOK
		}
		if sa == sOK && sb == sOK {
			return !or, sOK
		}
		return false, failed(sa, sb)
	}}
}

func conditional(c func(*frame) (bool, st), t, e fnode) fnode {
	out := fnode{k: t.k, path: t.path}
	switch t.k {
	case kBool:
		out.b = func(f *frame) (bool, st) {
			if v, s := c(f); s != sOK {
				return false, s
			} else if v {
				return t.b(f)
			}
			return e.b(f)
		}
	case kInt, kDuration:
		out.i = func(f *frame) (int64, st) {
			if v, s := c(f); s != sOK {
				return 0, s
			} else if v {
				return t.i(f)
			}
			return e.i(f)
		}
	case kTime:
		out.t = func(f *frame) (time.Time, st) {
			if v, s := c(f); s != sOK {
				return time.Time{}, s
			} else if v {
				return t.t(f)
			}
			return e.t(f)
		}
	case kString:
		out.s = func(f *frame) (string, st) {
			if v, s := c(f); s != sOK {
				return "", s
			} else if v {
				return t.s(f)
			}
			return e.s(f)
		}
	case kMoney:
		out.m = func(f *frame) (Money, st) {
			if v, s := c(f); s != sOK {
				return Money{}, s
			} else if v {
				return t.m(f)
			}
			return e.m(f)
		}
	default:
		if t.path != e.path {
			return fnode{}
		}
		out.o = func(f *frame) (any, st) {
			if v, s := c(f); s != sOK {
				return nil, s
			} else if v {
				return t.o(f)
			}
			return e.o(f)
		}
	}
	return out
}

// compare orders or equates two operands of the same kind. Both sides are
// evaluated when one fails, so that every missing input is reported. A
// constant operand of an int, duration or string comparison is read once,
// when planning.
func compare(x, y fnode, op cmpOp) fnode {
	if x.konst != nil && y.konst == nil {
		x, y, op = y, x, op.swapped()
	}
	switch x.k {
	case kBool:
		a, b := x.b, y.b
		return fnode{k: kBool, b: func(f *frame) (bool, st) {
			u, su := a(f)
			v, sv := b(f)
			if su != sOK || sv != sOK {
				return false, failed(su, sv)
			}
			return (u == v) == (op == opEq), sOK
		}}
	case kInt, kDuration:
		if c, ok := intConst(y.konst); ok {
			if l := x.leaf; l != nil {
				if c2, ok := l.fd.typed.(intComparer); ok {
					return fnode{k: kBool, b: c2.compareInt(l, c, op)}
				}
			}
			return fnode{k: kBool, b: compareConst(x.i, c, op)}
		}
		return fnode{k: kBool, b: compareBoth(x.i, y.i, op)}
	case kString:
		if c, ok := y.konst.(types.String); ok {
			if l := x.leaf; l != nil && (op == opEq || op == opNe) {
				if e, ok := l.fd.typed.(stringEqualer); ok {
					return fnode{k: kBool, b: e.equalString(l, string(c), op == opEq)}
				}
			}
			return fnode{k: kBool, b: compareConst(x.s, string(c), op)}
		}
		return fnode{k: kBool, b: compareBoth(x.s, y.s, op)}
	case kTime:
		a, b := x.t, y.t
		return fnode{k: kBool, b: func(f *frame) (bool, st) {
			u, su := a(f)
			v, sv := b(f)
			if su != sOK || sv != sOK {
				return false, failed(su, sv)
			}
			return holdsFor(op, u.Compare(v)), sOK
		}}
	case kMoney:
		a, b := x.m, y.m
		equality := op == opEq || op == opNe // == and != compare currencies too
		return fnode{k: kBool, b: func(f *frame) (bool, st) {
			u, su := a(f)
			v, sv := b(f)
			if su != sOK || sv != sOK {
				return false, failed(su, sv)
			}
			if u.currency != v.currency {
				if equality {
					return op == opNe, sOK
				}
				f.err = fmt.Errorf("%w: %s and %s", ErrCurrencyMismatch, u.currency, v.currency)
				return false, sError
			}
			return holds(op, u.minor, v.minor), sOK
		}}
	}
	return fnode{}
}

// intConst is the int64 form of a constant int or duration.
func intConst(v ref.Val) (int64, bool) {
	switch v := v.(type) {
	case types.Int:
		return int64(v), true
	case types.Duration:
		return int64(v.Duration), true
	}
	return 0, false
}

// compareConst compares a planned operand with a constant. Equality, the
// most common test, has closures of its own.
func compareConst[T int64 | string](a func(*frame) (T, st), c T, op cmpOp) func(*frame) (bool, st) {
	switch op {
	case opEq:
		return func(f *frame) (bool, st) {
			u, s := a(f)
			return u == c && s == sOK, s
		}
	case opNe:
		return func(f *frame) (bool, st) {
			u, s := a(f)
			return u != c && s == sOK, s
		}
	}
	return func(f *frame) (bool, st) {
		u, s := a(f)
		if s != sOK {
			return false, s
		}
		return holds(op, u, c), sOK
	}
}

// compareBoth compares two planned operands.
func compareBoth[T int64 | string](a, b func(*frame) (T, st), op cmpOp) func(*frame) (bool, st) {
	return func(f *frame) (bool, st) {
		u, su := a(f)
		v, sv := b(f)
		if su != sOK || sv != sOK {
			return false, failed(su, sv)
		}
		return holds(op, u, v), sOK
	}
}

// errIntOverflow is cel-go's message for integer overflow.
var errIntOverflow = errors.New("integer overflow")

// arith adds or subtracts ints or durations with overflow checks.
func arith(k kind, x, y func(*frame) (int64, st), sub bool) fnode {
	return fnode{k: k, i: func(f *frame) (int64, st) {
		a, sa := x(f)
		b, sb := y(f)
		if sa != sOK || sb != sOK {
			return 0, failed(sa, sb)
		}
		var r int64
		var ok bool
		if sub {
			r, ok = subInt(a, b)
		} else {
			r, ok = addInt(a, b)
		}
		if !ok {
			f.err = errIntOverflow
			return 0, sError
		}
		return r, sOK
	}}
}

// moneyArith adds or subtracts amounts of one currency, as [Money.Add]
// and [Money.Sub] do.
func moneyArith(x, y func(*frame) (Money, st), sub bool) fnode {
	op := Money.Add
	if sub {
		op = Money.Sub
	}
	return fnode{k: kMoney, m: func(f *frame) (Money, st) {
		a, sa := x(f)
		b, sb := y(f)
		if sa != sOK || sb != sOK {
			return Money{}, failed(sa, sb)
		}
		r, err := op(a, b)
		if err != nil {
			f.err = err
			return Money{}, sError
		}
		return r, sOK
	}}
}

// since subtracts timestamps as cel-go does: seconds and nanoseconds apart,
// with overflow checks.
func since(x, y func(*frame) (time.Time, st)) fnode {
	return fnode{k: kDuration, i: func(f *frame) (int64, st) {
		a, sa := x(f)
		b, sb := y(f)
		if sa != sOK || sb != sOK {
			return 0, failed(sa, sb)
		}
		d, ok := subTime(a, b)
		if !ok {
			f.err = errIntOverflow
			return 0, sError
		}
		return d, sOK
	}}
}

func subTime(a, b time.Time) (int64, bool) {
	as, bs := a.Unix(), b.Unix()
	sec, ok := subInt(as, bs)
	if !ok || sec > math.MaxInt64/1_000_000_000 || sec < math.MinInt64/1_000_000_000 {
		return 0, false
	}
	return addInt(sec*1_000_000_000, int64(a.Nanosecond())-int64(b.Nanosecond()))
}

func addInt(a, b int64) (int64, bool) {
	s := a + b
	return s, (s > a) == (b > 0)
}

func subInt(a, b int64) (int64, bool) {
	s := a - b
	return s, (s < a) == (b > 0)
}

// in tests a string against a constant set of strings or of CIDR ranges.
func (p *planner) in(id string, args []celast.Expr) (fnode, bool, error) {
	if !p.constant(args[1], nil) || args[1].Kind() == celast.ListKind {
		return fnode{}, false, nil
	}
	name := p.refName(args[1])
	c, ok := p.consts[name]
	if !ok {
		return fnode{}, false, nil
	}
	x, ok, err := p.plan(args[0])
	if err != nil || !ok || x.k != kString {
		return fnode{}, false, err
	}
	get := x.s
	switch c := c.(type) {
	case cidrVal:
		set := c.s
		return fnode{k: kBool, b: func(f *frame) (bool, st) {
			s, st := get(f)
			if st != sOK {
				return false, st
			}
			addr, ok := f.addr(s)
			if !ok {
				f.err = fmt.Errorf("%q is not an IP address", s)
				return false, sError
			}
			return set.contains(addr), sOK
		}}, true, nil
	case stringSet:
		if len(c.set) <= smallSet {
			vals := make(fewStrings, 0, len(c.set))
			for v := range c.set {
				vals = append(vals, v)
			}
			return fnode{k: kBool, b: func(f *frame) (bool, st) {
				s, st := get(f)
				if st != sOK {
					return false, st
				}
				return vals.contains(s), sOK
			}}, true, nil
		}
		set := c.set
		return fnode{k: kBool, b: func(f *frame) (bool, st) {
			s, st := get(f)
			if st != sOK {
				return false, st
			}
			_, ok := set[s]
			return ok, sOK
		}}, true, nil
	}
	return fnode{}, false, nil
}

// smallSet is the size up to which a set is searched by comparing.
const smallSet = 8

// fewStrings is a set of at most smallSet strings. A few strings are found
// faster by comparing than by hashing, and faster still when the length and
// first byte, compared inline, rule out most entries before the bytes are.
type fewStrings []string

func (w fewStrings) contains(s string) bool {
	for _, v := range w {
		if len(v) == len(s) && (s == "" || v[0] == s[0]) && v == s {
			return true
		}
	}
	return false
}

// addr parses s as an IP address, once per decision for the last address
// parsed: rules testing one address against several CIDR lists share it.
func (f *frame) addr(s string) (netip.Addr, bool) {
	if f.ipParsed && s == f.ipText {
		return f.ip, f.ipOK
	}
	a, err := netip.ParseAddr(s)
	f.ipText, f.ip, f.ipOK, f.ipParsed = s, a, err == nil, true
	return a, err == nil
}

// index reads a constant map parameter of money or ints by a string key.
func (p *planner) index(args []celast.Expr, k kind) (fnode, bool, error) {
	c, ok := p.consts[p.refName(args[0])]
	if !ok || (k != kMoney && k != kInt) {
		return fnode{}, false, nil
	}
	m, ok := c.(traits.Mapper)
	if !ok {
		return fnode{}, false, nil
	}
	key, ok, err := p.plan(args[1])
	if err != nil || !ok || key.k != kString {
		return fnode{}, false, err
	}
	get := key.s
	switch k {
	case kMoney:
		vals := map[string]Money{}
		for it := m.Iterator(); it.HasNext() == types.True; {
			kv := it.Next()
			v, _ := m.Find(kv)
			mv, ok := v.(moneyVal)
			if !ok {
				return fnode{}, false, nil
			}
			vals[string(kv.(types.String))] = mv.m
		}
		return fnode{k: kMoney, m: func(f *frame) (Money, st) {
			s, st := get(f)
			if st != sOK {
				return Money{}, st
			}
			v, ok := vals[s]
			if !ok {
				f.err = noSuchKey(s)
				return Money{}, sError
			}
			return v, sOK
		}}, true, nil
	}
	vals := map[string]int64{}
	for it := m.Iterator(); it.HasNext() == types.True; {
		kv := it.Next()
		v, _ := m.Find(kv)
		n, ok := v.(types.Int)
		if !ok {
			return fnode{}, false, nil
		}
		vals[string(kv.(types.String))] = int64(n)
	}
	return fnode{k: kInt, i: func(f *frame) (int64, st) {
		s, st := get(f)
		if st != sOK {
			return 0, st
		}
		v, ok := vals[s]
		if !ok {
			f.err = noSuchKey(s)
			return 0, sError
		}
		return v, sOK
	}}, true, nil
}

// noSuchKey is cel-go's error for a map read at a key it does not hold.
func noSuchKey(key string) error { return fmt.Errorf("no such key: %s", key) }

// comprehension plans exists and all over a list of objects read from a
// field, with a planned predicate.
func (p *planner) comprehension(e celast.Expr) (fnode, bool, error) {
	c := e.AsComprehension()
	if c.HasIterVar2() || c.AccuInit().Kind() != celast.LiteralKind || c.LoopStep().Kind() != celast.CallKind {
		return fnode{}, false, nil
	}
	init, ok := c.AccuInit().AsLiteral().(types.Bool)
	if !ok {
		return fnode{}, false, nil
	}
	step := c.LoopStep().AsCall()
	ids := p.ast.GetOverloadIDs(c.LoopStep().ID())
	isExists := bool(!init) && len(ids) == 1 && ids[0] == overloads.LogicalOr
	isAll := bool(init) && len(ids) == 1 && ids[0] == overloads.LogicalAnd
	if !isExists && !isAll || len(step.Args()) != 2 || step.Args()[0].Kind() != celast.IdentKind ||
		step.Args()[0].AsIdent() != c.AccuVar() || c.Result().Kind() != celast.IdentKind ||
		c.Result().AsIdent() != c.AccuVar() {
		return fnode{}, false, nil
	}
	// The loop condition of exists and all stops at the first decisive
	// element; the planned loop does the same.
	rng := c.IterRange()
	if rng.Kind() != celast.SelectKind || rng.AsSelect().IsTestOnly() || p.refName(rng) != "" {
		return fnode{}, false, nil
	}
	parent, ok, err := p.plan(rng.AsSelect().Operand())
	if err != nil || !ok || parent.k != kObject {
		return fnode{}, false, err
	}
	fd := parent.path.desc.byName[rng.AsSelect().FieldName()]
	if fd == nil || fd.kind != kObjects || len(p.scope) >= maxNest*2 {
		return fnode{}, false, nil
	}
	slot := len(p.scope)
	p.scope = append(p.scope, scopeVar{name: c.IterVar(), slot: slot, path: parent.path.kids[fd.index]})
	pred, ok, err := p.plan(step.Args()[1])
	p.scope = p.scope[:slot]
	if err != nil || !ok || pred.k != kBool {
		return fnode{}, false, err
	}
	obj, test, l, want, max := parent.o, pred.b, fd.objs, isExists, fd.maxLen
	return fnode{k: kBool, b: func(f *frame) (bool, st) {
		o, s := obj(f)
		if s != sOK {
			return false, s
		}
		n := l.len(o)
		if max > 0 && n > max {
			f.err = fmt.Errorf("list %s of %d elements is over its declared limit of %d", fd.name, n, max)
			return false, sError
		}
		if !f.spend(int64(n)) {
			f.err = fmt.Errorf("runtime cost limit %d exceeded", f.max)
			return false, sError
		}
		pending, m := sOK, f.missing
		for i := 0; i < n; i++ {
			f.vars[slot] = l.at(o, i)
			b, s := test(f)
			if s == sOK {
				if b == want {
					f.vars[slot] = nil
					f.missing = m
					return want, sOK
				}
				continue
			}
			if pending == sOK {
				pending = s
			} else {
				pending = worse(pending, s)
			}
		}
		// A loop variable is nil outside its loop (see frame.slot).
		f.vars[slot] = nil
		if pending != sOK {
			return false, pending
		}
		return !want, sOK
	}}, true, nil
}
