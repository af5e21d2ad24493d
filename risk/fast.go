package risk

import (
	"fmt"
	"net/netip"
	"strings"

	celast "cel.dev/cel-go/common/ast"
	"cel.dev/cel-go/common/overloads"
	"cel.dev/cel-go/common/types"
)

// The fast path plans the common shapes of risk rules (field reads,
// comparisons, logic, set membership, money and time arithmetic, exists and
// all over object lists) into closures that return a Go scalar and a state
// in registers, instead of the general value. Unknowns and errors travel in
// the frame. Any expression the fast path does not cover is planned by the
// general planner (plan.go) and adapted at its boundary, so both paths
// share one semantics; the conformance tests run both.

// st is the state of a fast result.
type st uint8

const (
	sOK      st = iota
	sUnknown    // an input was missing; frame.missing says which
	sError      // evaluation failed; frame.err says why
)

// worse merges the states of two operands of which at least one failed: an
// unknown wins over an error, as in the general path.
func worse(a, b st) st {
	if a == sUnknown || b == sUnknown {
		return sUnknown
	}
	return sError
}

// fnode is a typed plan node; the function matching k is set.
type fnode struct {
	k kind
	b func(*frame) (bool, st)
	i func(*frame) (int64, st) // kInt, kTime (Unix ns), kDuration (ns)
	s func(*frame) (string, st)
	m func(*frame) (int64, string, st) // kMoney: minor units, currency
	o func(*frame) (any, st)           // kObject: pointer to the Go struct
}

// fastKind returns the kind a fast node of type t produces.
func fastKind(t *types.Type) (kind, bool) {
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

// absorb records a general value that is not of the expected kind in the
// frame and returns its state.
func (f *frame) absorb(v value) st {
	switch v.k {
	case kUnknown:
		f.missing |= v.i
		return sUnknown
	case kError:
		f.err = v.err()
	default:
		f.err = fmt.Errorf("unexpected value of kind %d", v.k)
	}
	return sError
}

// adapt wraps a general node as a fast node of kind k.
func adapt(k kind, n node) fnode {
	switch k {
	case kBool:
		return fnode{k: k, b: func(f *frame) (bool, st) {
			if v := n(f); v.k == kBool {
				return v.b(), sOK
			} else {
				return false, f.absorb(v)
			}
		}}
	case kInt, kTime, kDuration:
		return fnode{k: k, i: func(f *frame) (int64, st) {
			if v := n(f); v.k == k {
				return v.i, sOK
			} else {
				return 0, f.absorb(v)
			}
		}}
	case kString:
		return fnode{k: k, s: func(f *frame) (string, st) {
			if v := n(f); v.k == kString {
				return v.s, sOK
			} else {
				return "", f.absorb(v)
			}
		}}
	case kMoney:
		return fnode{k: k, m: func(f *frame) (int64, string, st) {
			if v := n(f); v.k == kMoney {
				return v.i, v.s, sOK
			} else {
				return 0, "", f.absorb(v)
			}
		}}
	}
	return fnode{k: k, o: func(f *frame) (any, st) {
		if v := n(f); v.k == kObject {
			return v.p, sOK
		} else {
			return nil, f.absorb(v)
		}
	}}
}

// constant returns a fast node that always yields v.
func constant(k kind, v value) fnode {
	switch k {
	case kBool:
		b := v.b()
		return fnode{k: k, b: func(*frame) (bool, st) { return b, sOK }}
	case kInt, kTime, kDuration:
		i := v.i
		return fnode{k: k, i: func(*frame) (int64, st) { return i, sOK }}
	case kString:
		s := v.s
		return fnode{k: k, s: func(*frame) (string, st) { return s, sOK }}
	case kMoney:
		i, s := v.i, v.s
		return fnode{k: k, m: func(*frame) (int64, string, st) { return i, s, sOK }}
	}
	return adapt(k, constNode(v))
}

// fast plans e on the fast path. ok is false when e's type has no fast
// representation; the caller then uses the general node.
func (p *planner) fast(e celast.Expr) (fn fnode, ok bool, err error) {
	k, ok := fastKind(p.ast.GetType(e.ID()))
	if !ok {
		return fnode{}, false, nil
	}
	// The general plan checks everything and folds constants; the fast
	// path then replaces what it can.
	n, c, err := p.plan(e)
	if err != nil {
		return fnode{}, false, err
	}
	if c != nil {
		if c.k == kError {
			return adapt(k, n), true, nil
		}
		return constant(k, *c), true, nil
	}
	var special *fnode
	switch e.Kind() {
	case celast.IdentKind:
		special = p.fastIdent(e, k)
	case celast.SelectKind:
		special, err = p.fastSelect(e, k)
	case celast.CallKind:
		special, err = p.fastCall(e, k)
	case celast.ComprehensionKind:
		special, err = p.fastComprehension(e)
	}
	if err != nil {
		return fnode{}, false, err
	}
	if special != nil {
		return *special, true, nil
	}
	return adapt(k, n), true, nil
}

func (p *planner) fastIdent(e celast.Expr, k kind) *fnode {
	name := e.AsIdent()
	for _, s := range p.scope {
		if s == name {
			return nil // a comprehension variable: the general node is a slot read
		}
	}
	if ref, ok := p.ast.ReferenceMap()[e.ID()]; ok && ref.Name != "" {
		name = ref.Name
	}
	fd, ok := p.root.byName[name]
	if !ok {
		return nil
	}
	root := fnode{k: kObject, o: func(f *frame) (any, st) { return f.root, sOK }}
	return p.fastField(root, fd, name)
}

func (p *planner) fastSelect(e celast.Expr, k kind) (*fnode, error) {
	sel := e.AsSelect()
	if sel.IsTestOnly() {
		return nil, nil
	}
	if ref, ok := p.ast.ReferenceMap()[e.ID()]; ok && ref.Name != "" {
		return nil, nil // a parameter or list: constant, handled by the caller
	}
	operand := sel.Operand()
	x, ok, err := p.fast(operand)
	if err != nil || !ok {
		return nil, err
	}
	if x.k == kMoney {
		m := x.m
		if sel.FieldName() == "minor" {
			return &fnode{k: kInt, i: func(f *frame) (int64, st) {
				n, _, s := m(f)
				return n, s
			}}, nil
		}
		return &fnode{k: kString, s: func(f *frame) (string, st) {
			_, c, s := m(f)
			return c, s
		}}, nil
	}
	od, ok := p.objectOf(p.ast.GetType(operand.ID()))
	if !ok || x.k != kObject {
		return nil, nil
	}
	fd, ok := od.byName[sel.FieldName()]
	if !ok {
		return nil, nil
	}
	return p.fastField(x, fd, p.path(operand, od)+"."+fd.name), nil
}

// fastField reads fd from the object x yields.
func (p *planner) fastField(x fnode, fd *fieldDesc, path string) *fnode {
	obj := x.o
	var bit int64
	if fd.optional {
		bit = p.inputs.bit(path)
	}
	switch {
	case fd.obj != nil:
		get := fd.obj
		return &fnode{k: kObject, o: func(f *frame) (any, st) {
			o, s := obj(f)
			if s != sOK {
				return nil, s
			}
			v, ok := get(o)
			if !ok {
				f.missing |= bit
				return nil, sUnknown
			}
			return v, sOK
		}}
	case fd.str != nil:
		get := fd.str
		return &fnode{k: kString, s: func(f *frame) (string, st) {
			o, s := obj(f)
			if s != sOK {
				return "", s
			}
			return get(o), sOK
		}}
	case fd.flag != nil:
		get := fd.flag
		return &fnode{k: kBool, b: func(f *frame) (bool, st) {
			o, s := obj(f)
			if s != sOK {
				return false, s
			}
			return get(o), sOK
		}}
	case fd.num != nil:
		get := fd.num
		return &fnode{k: fd.kind, i: func(f *frame) (int64, st) {
			o, s := obj(f)
			if s != sOK {
				return 0, s
			}
			n, ok := get(o)
			if !ok {
				f.missing |= bit
				return 0, sUnknown
			}
			return n, sOK
		}}
	case fd.when != nil:
		get := fd.when
		return &fnode{k: kTime, i: func(f *frame) (int64, st) {
			o, s := obj(f)
			if s != sOK {
				return 0, s
			}
			t := get(o)
			if t.IsZero() {
				f.missing |= bit
				return 0, sUnknown
			}
			v, _ := timeVal(t)
			if v.k == kError {
				f.err = v.err()
				return 0, sError
			}
			return v.i, sOK
		}}
	case fd.money != nil:
		get := fd.money
		return &fnode{k: kMoney, m: func(f *frame) (int64, string, st) {
			o, s := obj(f)
			if s != sOK {
				return 0, "", s
			}
			m := get(o)
			if m.IsZero() {
				f.missing |= bit
				return 0, "", sUnknown
			}
			return m.Minor(), m.Currency(), sOK
		}}
	}
	return nil
}

func (p *planner) fastCall(e celast.Expr, k kind) (*fnode, error) {
	call := e.AsCall()
	ids := p.ast.GetOverloadIDs(e.ID())
	if len(ids) != 1 {
		return nil, nil
	}
	id := ids[0]
	var argExprs []celast.Expr
	if call.IsMemberFunction() {
		argExprs = append(argExprs, call.Target())
	}
	argExprs = append(argExprs, call.Args()...)

	// Membership in constant sets reads only its left side on the fast path.
	if id == overloads.InList || id == inCIDRs {
		return p.fastIn(id, argExprs)
	}
	args := make([]fnode, len(argExprs))
	for i, a := range argExprs {
		fn, ok, err := p.fast(a)
		if err != nil || !ok {
			return nil, err
		}
		args[i] = fn
	}
	switch id {
	case overloads.LogicalAnd:
		return fastLogical(args[0].b, args[1].b, false), nil
	case overloads.LogicalOr:
		return fastLogical(args[0].b, args[1].b, true), nil
	case overloads.LogicalNot:
		x := args[0].b
		return &fnode{k: kBool, b: func(f *frame) (bool, st) {
			b, s := x(f)
			return !b, s
		}}, nil
	case overloads.Conditional:
		return fastConditional(args[0].b, args[1], args[2]), nil
	case overloads.NotStrictlyFalse:
		x := args[0].b
		return &fnode{k: kBool, b: func(f *frame) (bool, st) {
			m := f.missing
			if b, s := x(f); s == sOK {
				return b, sOK
			}
			f.missing = m
			return true, sOK
		}}, nil
	case overloads.Equals, overloads.NotEquals:
		if args[0].k != args[1].k {
			return nil, nil
		}
		return fastCompare(args[0], args[1], func(c int) bool { return c == 0 }, id == overloads.NotEquals), nil
	case overloads.AddInt64, overloads.SubtractInt64, overloads.SubtractTimestampTimestamp,
		overloads.AddTimestampDuration, overloads.SubtractTimestampDuration, overloads.AddDurationDuration,
		overloads.SubtractDurationDuration:
		return fastArith(id, k, args[0].i, args[1].i), nil
	}
	if want := ordering(id); want != nil {
		if args[0].k != args[1].k || args[0].k == kBool {
			return nil, nil
		}
		return fastCompare(args[0], args[1], want, false), nil
	}
	return nil, nil
}

func fastLogical(x, y func(*frame) (bool, st), or bool) *fnode {
	return &fnode{k: kBool, b: func(f *frame) (bool, st) {
		// An operand that turns out not to matter must not leave its
		// missing inputs behind.
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
			return b, sOK
		}
		if sa == sOK {
			return false, sb
		}
		if sb == sOK {
			return false, sa
		}
		return false, worse(sa, sb)
	}}
}

func fastConditional(c func(*frame) (bool, st), t, e fnode) *fnode {
	out := fnode{k: t.k}
	switch t.k {
	case kBool:
		out.b = func(f *frame) (bool, st) {
			v, s := c(f)
			if s != sOK {
				return false, s
			}
			if v {
				return t.b(f)
			}
			return e.b(f)
		}
	case kInt, kTime, kDuration:
		out.i = func(f *frame) (int64, st) {
			v, s := c(f)
			if s != sOK {
				return 0, s
			}
			if v {
				return t.i(f)
			}
			return e.i(f)
		}
	case kString:
		out.s = func(f *frame) (string, st) {
			v, s := c(f)
			if s != sOK {
				return "", s
			}
			if v {
				return t.s(f)
			}
			return e.s(f)
		}
	case kMoney:
		out.m = func(f *frame) (int64, string, st) {
			v, s := c(f)
			if s != sOK {
				return 0, "", s
			}
			if v {
				return t.m(f)
			}
			return e.m(f)
		}
	default:
		out.o = func(f *frame) (any, st) {
			v, s := c(f)
			if s != sOK {
				return nil, s
			}
			if v {
				return t.o(f)
			}
			return e.o(f)
		}
	}
	return &out
}

// fastCompare orders or equates two operands of the same kind. Both sides
// are always evaluated when one fails, so that the merged state is the same
// as on the general path.
func fastCompare(x, y fnode, want func(int) bool, negate bool) *fnode {
	switch x.k {
	case kBool:
		a, b := x.b, y.b
		return &fnode{k: kBool, b: func(f *frame) (bool, st) {
			u, su := a(f)
			v, sv := b(f)
			if su != sOK || sv != sOK {
				return false, failed(su, sv)
			}
			return (u == v) != negate, sOK
		}}
	case kInt, kTime, kDuration:
		a, b := x.i, y.i
		return &fnode{k: kBool, b: func(f *frame) (bool, st) {
			u, su := a(f)
			v, sv := b(f)
			if su != sOK || sv != sOK {
				return false, failed(su, sv)
			}
			return want(cmp3(u, v)) != negate, sOK
		}}
	case kString:
		a, b := x.s, y.s
		return &fnode{k: kBool, b: func(f *frame) (bool, st) {
			u, su := a(f)
			v, sv := b(f)
			if su != sOK || sv != sOK {
				return false, failed(su, sv)
			}
			return want(strings.Compare(u, v)) != negate, sOK
		}}
	case kMoney:
		a, b := x.m, y.m
		equality := negate || want(1) == want(-1) // == and != compare currencies too
		return &fnode{k: kBool, b: func(f *frame) (bool, st) {
			u, cu, su := a(f)
			v, cv, sv := b(f)
			if su != sOK || sv != sOK {
				return false, failed(su, sv)
			}
			if cu != cv {
				if equality {
					return negate, sOK
				}
				f.err = fmt.Errorf("%w: %s and %s", ErrCurrencyMismatch, cu, cv)
				return false, sError
			}
			return want(cmp3(u, v)) != negate, sOK
		}}
	}
	return nil
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

// fastArith adds or subtracts int64s (ints, Unix nanoseconds, durations)
// with overflow checks.
func fastArith(id string, k kind, x, y func(*frame) (int64, st)) *fnode {
	sub := strings.HasPrefix(id, "subtract_")
	return &fnode{k: k, i: func(f *frame) (int64, st) {
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
			f.err = errOverflow
			return 0, sError
		}
		return r, sOK
	}}
}

// fastIn tests a string against a constant set of strings or of CIDR ranges.
func (p *planner) fastIn(id string, args []celast.Expr) (*fnode, error) {
	_, c, err := p.plan(args[1])
	if err != nil || c == nil {
		return nil, err
	}
	x, ok, err := p.fast(args[0])
	if err != nil || !ok || x.k != kString {
		return nil, err
	}
	get := x.s
	if id == inCIDRs {
		set := c.p.(*cidrSet)
		return &fnode{k: kBool, b: func(f *frame) (bool, st) {
			s, st := get(f)
			if st != sOK {
				return false, st
			}
			addr, err := netip.ParseAddr(s)
			if err != nil {
				f.err = fmt.Errorf("%q is not an IP address", s)
				return false, sError
			}
			return set.contains(addr), sOK
		}}, nil
	}
	vl, ok := c.l.(*valueList)
	if !ok || vl.set == nil {
		return nil, nil
	}
	set := vl.set
	return &fnode{k: kBool, b: func(f *frame) (bool, st) {
		s, st := get(f)
		if st != sOK {
			return false, st
		}
		_, ok := set[s]
		return ok, sOK
	}}, nil
}

// fastComprehension plans exists and all over a list of objects read from
// a field; other comprehensions stay on the general path.
func (p *planner) fastComprehension(e celast.Expr) (*fnode, error) {
	c := e.AsComprehension()
	if c.HasIterVar2() || c.AccuInit().Kind() != celast.LiteralKind || c.LoopStep().Kind() != celast.CallKind {
		return nil, nil
	}
	init, ok := c.AccuInit().AsLiteral().(types.Bool)
	if !ok {
		return nil, nil
	}
	step := c.LoopStep().AsCall()
	ids := p.ast.GetOverloadIDs(c.LoopStep().ID())
	isExists := bool(!init) && len(ids) == 1 && ids[0] == overloads.LogicalOr
	isAll := bool(init) && len(ids) == 1 && ids[0] == overloads.LogicalAnd
	if !isExists && !isAll || len(step.Args()) != 2 || step.Args()[0].Kind() != celast.IdentKind ||
		step.Args()[0].AsIdent() != c.AccuVar() {
		return nil, nil
	}
	rng := c.IterRange()
	if rng.Kind() != celast.SelectKind || rng.AsSelect().IsTestOnly() {
		return nil, nil
	}
	od, ok := p.objectOf(p.ast.GetType(rng.AsSelect().Operand().ID()))
	if !ok {
		return nil, nil
	}
	fd := od.byName[rng.AsSelect().FieldName()]
	if fd == nil || fd.list == nil {
		return nil, nil
	}
	parent, ok, err := p.fast(rng.AsSelect().Operand())
	if err != nil || !ok || parent.k != kObject {
		return nil, err
	}
	if len(p.scope)+2 > len(frame{}.vars) {
		return nil, nil // the general planner reports the nesting error
	}
	slot := len(p.scope)
	p.scope = append(p.scope, c.IterVar(), c.AccuVar())
	pred, ok, err := p.fast(step.Args()[1])
	p.scope = p.scope[:slot]
	if err != nil || !ok {
		return nil, err
	}
	obj, test, l, want := parent.o, pred.b, fd.list, isExists
	return &fnode{k: kBool, b: func(f *frame) (bool, st) {
		o, s := obj(f)
		if s != sOK {
			return false, s
		}
		n := l.len(o)
		if m := l.limit(); m >= 0 && n > m {
			f.err = fmt.Errorf("list of %d elements is over its declared limit of %d", n, m)
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
		if pending != sOK {
			return false, pending
		}
		return !want, sOK
	}}, nil
}
