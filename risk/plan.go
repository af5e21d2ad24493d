package risk

import (
	"fmt"
	"strings"

	celast "cel.dev/cel-go/common/ast"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
)

// node evaluates one expression. Plans are trees of nodes built once, when a
// policy is compiled, from the type-checked CEL syntax tree: every field read
// is bound to its accessor and every operator to the implementation of the
// overload the checker chose, so evaluation does no lookups by name.
type node func(*frame) value

// frame is the state of one evaluation.
type frame struct {
	root any                // the *T being evaluated
	vars [2 * maxNest]value // comprehension variables, two slots per level
	cost int64              // work done so far by loops and string scans
	max  int64              // the runtime cost limit
	// The fast path (fast.go) reports unknowns and errors here rather than
	// in its results: missing accumulates the missing inputs, err holds
	// the last error.
	missing int64
	err     error
}

// maxNest is how deeply comprehensions may nest.
const maxNest = 4

// spend charges n units of cost and reports whether the limit still holds.
func (f *frame) spend(n int64) bool {
	f.cost += n
	return f.cost <= f.max
}

// planner turns one checked expression into a node.
type planner struct {
	ast    *celast.AST
	root   *objectDesc
	consts map[string]value // parameters and lists, by qualified name
	inputs *inputTable
	scope  []string // comprehension variables by slot
}

// inputTable numbers the optional inputs that rules read, so that an unknown
// value can carry the set of inputs it is missing as a bit set.
type inputTable struct {
	names []string
	bits  map[string]int64
}

// maxInputBits is the number of distinct missing inputs a decision can name;
// inputs past it share the last bit.
const maxInputBits = 63

func (t *inputTable) bit(name string) int64 {
	if b, ok := t.bits[name]; ok {
		return b
	}
	n := len(t.names)
	if n >= maxInputBits {
		n = maxInputBits - 1
		name = "other inputs"
		if b, ok := t.bits[name]; ok {
			return b
		}
	}
	b := int64(1) << n
	t.names = append(t.names, name)
	t.bits[name] = b
	return b
}

// names returns the inputs named by a bit set, in the order they were numbered.
func (t *inputTable) namesOf(set int64) []string {
	var out []string
	for i, n := range t.names {
		if set&(1<<i) != 0 {
			out = append(out, n)
		}
	}
	return out
}

// planError is a problem found while planning, tied to an expression.
type planError struct {
	id  int64
	msg string
}

func (e *planError) Error() string { return e.msg }

func (p *planner) errorf(e celast.Expr, format string, args ...any) error {
	return &planError{id: e.ID(), msg: fmt.Sprintf(format, args...)}
}

// plan compiles e. When e is a constant expression, c is its value.
func (p *planner) plan(e celast.Expr) (n node, c *value, err error) {
	switch e.Kind() {
	case celast.LiteralKind:
		v, err := literal(e.AsLiteral())
		if err != nil {
			return nil, nil, p.errorf(e, "%v", err)
		}
		return constNode(v), &v, nil
	case celast.IdentKind:
		return p.ident(e, e.AsIdent())
	case celast.SelectKind:
		return p.selectExpr(e)
	case celast.CallKind:
		return p.call(e)
	case celast.ListKind:
		return p.list(e)
	case celast.ComprehensionKind:
		return p.comprehension(e)
	case celast.MapKind:
		return nil, nil, p.errorf(e, "map literals are not supported")
	case celast.StructKind:
		return nil, nil, p.errorf(e, "creating objects is not supported")
	}
	return nil, nil, p.errorf(e, "unsupported expression")
}

func constNode(v value) node { return func(*frame) value { return v } }

func literal(v ref.Val) (value, error) {
	switch v := v.(type) {
	case types.Bool:
		return boolVal(bool(v)), nil
	case types.Int:
		return value{k: kInt, i: int64(v)}, nil
	case types.Uint:
		return value{k: kUint, i: int64(v)}, nil
	case types.Double:
		return doubleVal(float64(v)), nil
	case types.String:
		return value{k: kString, s: string(v)}, nil
	case types.Bytes:
		return value{k: kBytes, s: string(v)}, nil
	case types.Null:
		return value{k: kNull}, nil
	}
	return value{}, fmt.Errorf("unsupported literal %v", v)
}

func (p *planner) ident(e celast.Expr, name string) (node, *value, error) {
	for slot := len(p.scope) - 1; slot >= 0; slot-- {
		if p.scope[slot] == name {
			return func(f *frame) value { return f.vars[slot] }, nil, nil
		}
	}
	if ref, ok := p.ast.ReferenceMap()[e.ID()]; ok && ref.Name != "" {
		name = ref.Name
	}
	if v, ok := p.consts[name]; ok {
		return constNode(v), &v, nil
	}
	fd, ok := p.root.byName[name]
	if !ok {
		return nil, nil, p.errorf(e, "undeclared reference to %q", name)
	}
	return p.field(func(f *frame) value { return value{k: kObject, p: f.root} }, fd, name), nil, nil
}

// field reads fd from the object obj evaluates to. path names the input in
// decisions when it is missing.
func (p *planner) field(obj node, fd *fieldDesc, path string) node {
	var missing value
	if fd.optional {
		missing = value{k: kUnknown, i: p.inputs.bit(path)}
	}
	get := fd.get
	return func(f *frame) value {
		o := obj(f)
		if o.k != kObject {
			return o
		}
		v, ok := get(o.p)
		if !ok && missing.k == kUnknown {
			return missing
		}
		return v
	}
}

// presence implements has(obj.field).
func (p *planner) presence(obj node, fd *fieldDesc) node {
	get := fd.get
	return func(f *frame) value {
		o := obj(f)
		if o.k != kObject {
			if o.k == kUnknown {
				return o
			}
			return falseVal
		}
		_, ok := get(o.p)
		return boolVal(ok)
	}
}

func (p *planner) selectExpr(e celast.Expr) (node, *value, error) {
	sel := e.AsSelect()
	// A qualified name such as params.limit or lists.countries.
	if ref, ok := p.ast.ReferenceMap()[e.ID()]; ok && ref.Name != "" && !sel.IsTestOnly() {
		return p.ident(e, ref.Name)
	}
	operand := sel.Operand()
	typ := p.ast.GetType(operand.ID())
	obj, _, err := p.plan(operand)
	if err != nil {
		return nil, nil, err
	}
	if typ.TypeName() == moneyType.TypeName() {
		if sel.IsTestOnly() {
			return nil, nil, p.errorf(e, "has() is not supported on money fields")
		}
		return moneyField(obj, sel.FieldName()), nil, nil
	}
	od, ok := p.objectOf(typ)
	if !ok {
		return nil, nil, p.errorf(e, "field selection on %s is not supported", typ)
	}
	fd, ok := od.byName[sel.FieldName()]
	if !ok {
		return nil, nil, p.errorf(e, "undefined field %q on %s", sel.FieldName(), od.name)
	}
	if sel.IsTestOnly() {
		return p.presence(obj, fd), nil, nil
	}
	return p.field(obj, fd, p.path(operand, od)+"."+fd.name), nil, nil
}

func moneyField(obj node, name string) node {
	return func(f *frame) value {
		m := obj(f)
		if m.k != kMoney {
			return m
		}
		if name == "minor" {
			return value{k: kInt, i: m.i}
		}
		return value{k: kString, s: m.s}
	}
}

// path names the object an expression reads, for reporting missing inputs:
// "signals" or "txn.billing" when it is a chain of fields from a variable,
// and the type name otherwise.
func (p *planner) path(e celast.Expr, od *objectDesc) string {
	var parts []string
	for {
		switch e.Kind() {
		case celast.IdentKind:
			name := e.AsIdent()
			if ref, ok := p.ast.ReferenceMap()[e.ID()]; ok && ref.Name != "" {
				name = ref.Name
			}
			for _, s := range p.scope {
				if s == name {
					return od.name
				}
			}
			parts = append(parts, name)
			for i, j := 0, len(parts)-1; i < j; i, j = i+1, j-1 {
				parts[i], parts[j] = parts[j], parts[i]
			}
			return strings.Join(parts, ".")
		case celast.SelectKind:
			parts = append(parts, e.AsSelect().FieldName())
			e = e.AsSelect().Operand()
		default:
			return od.name
		}
	}
}

func (p *planner) objectOf(t *types.Type) (*objectDesc, bool) {
	if t == nil || t.Kind() != types.StructKind {
		return nil, false
	}
	var find func(o *objectDesc, seen map[*objectDesc]bool) *objectDesc
	find = func(o *objectDesc, seen map[*objectDesc]bool) *objectDesc {
		if o.name == t.TypeName() {
			return o
		}
		seen[o] = true
		for _, f := range o.fields {
			if f.elem != nil && !seen[f.elem] {
				if r := find(f.elem, seen); r != nil {
					return r
				}
			}
		}
		return nil
	}
	if o := find(p.root, map[*objectDesc]bool{}); o != nil {
		return o, true
	}
	return nil, false
}

func (p *planner) list(e celast.Expr) (node, *value, error) {
	l := e.AsList()
	if len(l.OptionalIndices()) > 0 {
		return nil, nil, p.errorf(e, "optional list elements are not supported")
	}
	elems := make([]node, len(l.Elements()))
	consts := make([]value, len(l.Elements()))
	allConst := true
	for i, el := range l.Elements() {
		n, c, err := p.plan(el)
		if err != nil {
			return nil, nil, err
		}
		elems[i] = n
		if c == nil {
			allConst = false
		} else {
			consts[i] = *c
		}
	}
	if allConst {
		v := value{k: kList, l: newValueList(consts)}
		return constNode(v), &v, nil
	}
	return func(f *frame) value {
		vals := make([]value, len(elems))
		for i, n := range elems {
			v := n(f)
			if v.isAbsent() {
				return v
			}
			vals[i] = v
		}
		return value{k: kList, l: newValueList(vals)}
	}, nil, nil
}

// valueList is a list built by an expression. When every element is a
// string it also keeps a set, so that membership is a map lookup.
type valueList struct {
	vals []value
	set  map[string]struct{}
}

func newValueList(vals []value) *valueList {
	l := &valueList{vals: vals}
	for _, v := range vals {
		if v.k != kString {
			return l
		}
	}
	l.set = make(map[string]struct{}, len(vals))
	for _, v := range vals {
		l.set[v.s] = struct{}{}
	}
	return l
}

func (l *valueList) len(any) int           { return len(l.vals) }
func (l *valueList) at(_ any, i int) value { return l.vals[i] }
func (l *valueList) limit() int            { return -1 }

func (p *planner) comprehension(e celast.Expr) (node, *value, error) {
	c := e.AsComprehension()
	if c.HasIterVar2() {
		return nil, nil, p.errorf(e, "two-variable comprehensions are not supported")
	}
	if len(p.scope)+2 > len(frame{}.vars) {
		return nil, nil, p.errorf(e, "comprehensions nest deeper than %d levels", maxNest)
	}
	rng, _, err := p.plan(c.IterRange())
	if err != nil {
		return nil, nil, err
	}
	if k := p.ast.GetType(c.IterRange().ID()).Kind(); k != types.ListKind {
		return nil, nil, p.errorf(e, "iterating over %s is not supported", p.ast.GetType(c.IterRange().ID()))
	}
	init, _, err := p.plan(c.AccuInit())
	if err != nil {
		return nil, nil, err
	}
	iterSlot, accuSlot := len(p.scope), len(p.scope)+1
	p.scope = append(p.scope, c.IterVar(), c.AccuVar())
	defer func() { p.scope = p.scope[:iterSlot] }()
	cond, _, err := p.plan(c.LoopCondition())
	if err != nil {
		return nil, nil, err
	}
	step, _, err := p.plan(c.LoopStep())
	if err != nil {
		return nil, nil, err
	}
	p.scope = p.scope[:accuSlot+1]
	p.scope[iterSlot] = "" // the iteration variable is out of scope in the result
	result, _, err := p.plan(c.Result())
	if err != nil {
		return nil, nil, err
	}
	return func(f *frame) value {
		r := rng(f)
		if r.isAbsent() {
			return r
		}
		n := r.l.len(r.p)
		if m := r.l.limit(); m >= 0 && n > m {
			return errorf("list of %d elements is over its declared limit of %d", n, m)
		}
		if !f.spend(int64(n)) {
			return errorf("runtime cost limit %d exceeded", f.max)
		}
		accu := init(f)
		for i := 0; i < n; i++ {
			f.vars[iterSlot] = r.l.at(r.p, i)
			f.vars[accuSlot] = accu
			if c := cond(f); c.k == kBool && !c.b() {
				break
			}
			accu = step(f)
		}
		f.vars[accuSlot] = accu
		return result(f)
	}, nil, nil
}
