package risk

import (
	"fmt"
	"math/bits"
	"net/netip"
	"reflect"
	"slices"
	"time"

	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
	"cel.dev/cel-go/common/types/traits"
	"cel.dev/cel-go/interpreter"
)

// This file gives cel-go's interpreter the same typed inputs the planner
// reads: an activation that resolves the root variables through the
// schema's accessors, and CEL values that wrap schema objects and Money
// without copying them into maps. A missing input reads as a cel-go
// unknown whose id names the input, so that logical operators decide
// around it exactly as cel-go does.

// inputTable numbers the optional inputs of a schema, so that a missing
// input is named in decisions by its path from the root.
type inputTable struct {
	names []string
	// singles holds each name numbered below maxInputBits as a list of
	// one, for the InputSet of a rule that missed just that input.
	singles [][]string
	ids     map[string]int
	byType  map[*objectDesc]*objPath
	slots   int // object slots handed out
}

// maxObjSlots bounds the objects a decision caches: the first ones named
// from the root, which for the shipped schemas is all of them.
const maxObjSlots = 16

func newInputTable() *inputTable {
	return &inputTable{ids: map[string]int{}, byType: map[*objectDesc]*objPath{}}
}

// maxInputBits is the number of missing inputs a planned rule names; inputs
// numbered past it are reported together as "other inputs".
const maxInputBits = 63

func (t *inputTable) id(name string) int {
	if id, ok := t.ids[name]; ok {
		return id
	}
	id := len(t.names)
	t.names = append(t.names, name)
	if id < maxInputBits {
		t.singles = append(t.singles, []string{name})
	}
	t.ids[name] = id
	return id
}

// bit is the bit of a planned rule's missing set that stands for input id.
func bit(id int) uint64 {
	if id >= maxInputBits {
		return 1 << maxInputBits
	}
	return 1 << id
}

// appendNames appends the inputs of a planned rule's missing set to out,
// in input order.
func (t *inputTable) appendNames(out []string, set uint64) []string {
	for rest := set &^ (1 << maxInputBits); rest != 0; rest &= rest - 1 {
		if i := bits.TrailingZeros64(rest); i < len(t.names) {
			out = append(out, t.names[i])
		}
	}
	if set&(1<<maxInputBits) != 0 {
		out = append(out, "other inputs")
	}
	return out
}

// set returns the inputs of a planned rule's missing set. One input, the
// common case, shares the table's name (an InputSet cannot be changed);
// more are listed afresh.
func (t *inputTable) set(missing uint64) InputSet {
	if missing&(missing-1) == 0 {
		if i := bits.TrailingZeros64(missing); i < len(t.singles) {
			return InputSet{&t.singles[i]}
		}
	}
	return inputSetOf(t.appendNames(nil, missing))
}

// namesOfIDs returns the inputs a cel-go unknown names, in input order.
func (t *inputTable) namesOfIDs(ids []int64) []string {
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		if id >= 0 && int(id) < len(t.names) {
			out = append(out, t.names[id])
		}
	}
	return out
}

// missing names the inputs a failed evaluation lacked: those an unknown
// from cel-go names and those a planned evaluation recorded in bits.
func (t *inputTable) missing(u *types.Unknown, bits uint64) []string {
	names := t.appendNames(nil, bits)
	for _, n := range t.namesOfIDs(u.IDs()) {
		if !slices.Contains(names, n) {
			names = append(names, n)
		}
	}
	return names
}

// objPath is an object as reached from the root: the input ids of its
// optional fields and the paths of the objects it holds. An object reached
// through a list is named by its type.
type objPath struct {
	desc *objectDesc
	ids  []int      // per field: input id, or -1 for a field that cannot be missing
	kids []*objPath // per field: the object or list element it holds
	// slot is where a decision caches the object once read (see
	// frame.object), or 0: objects reached through lists, and the
	// objects named by their type, are read each time.
	slot int
}

// maxPathDepth is how deep field chains are named from the root; deeper
// objects (only possible in recursive schemas) are named by their type.
const maxPathDepth = 8

func (t *inputTable) pathOf(d *objectDesc, name string, depth int) *objPath {
	if depth > maxPathDepth {
		name = d.name
	}
	if name == d.name {
		if p, ok := t.byType[d]; ok {
			return p
		}
	}
	p := &objPath{desc: d, ids: make([]int, len(d.fields)), kids: make([]*objPath, len(d.fields))}
	if name == d.name {
		t.byType[d] = p
	} else if t.slots < maxObjSlots-1 {
		t.slots++
		p.slot = t.slots
	}
	for i, f := range d.fields {
		full := f.name
		if name != "" {
			full = name + "." + f.name
		}
		p.ids[i] = -1
		if f.optional {
			p.ids[i] = t.id(full)
		}
		switch f.kind {
		case kObject:
			p.kids[i] = t.pathOf(f.elem, full, depth+1)
		case kObjects:
			p.kids[i] = t.pathOf(f.elem, f.elem.name, 0)
		}
	}
	return p
}

// missingVal is the unknown that stands for an input not supplied.
func (p *objPath) missingVal(f *fieldDesc) ref.Val {
	return types.NewUnknown(int64(p.ids[f.index]), nil)
}

// fieldVal reads field f of the object at ptr as a CEL value.
func (p *objPath) fieldVal(f *fieldDesc, ptr any) ref.Val {
	switch f.kind {
	case kBool:
		return types.Bool(f.flag(ptr))
	case kInt:
		n, ok := f.num(ptr)
		if !ok {
			return p.missingVal(f)
		}
		return types.Int(n)
	case kDuration:
		n, _ := f.num(ptr)
		return types.Duration{Duration: time.Duration(n)}
	case kDouble:
		return types.Double(f.dbl(ptr))
	case kString:
		return types.String(f.str(ptr))
	case kTime:
		t := f.when(ptr)
		if t.IsZero() {
			return p.missingVal(f)
		}
		return types.Timestamp{Time: t.UTC()}
	case kMoney:
		m := f.money(ptr)
		if m.IsZero() {
			return p.missingVal(f)
		}
		return moneyVal{m}
	case kObject:
		v, ok := f.obj(ptr)
		if !ok {
			return p.missingVal(f)
		}
		return objVal{path: p.kids[f.index], p: v}
	case kStrings:
		s := f.strs(ptr)
		if f.maxLen > 0 && len(s) > f.maxLen {
			return overLimit(f, len(s))
		}
		return types.NewStringList(types.DefaultTypeAdapter, s)
	case kObjects:
		n := f.objs.len(ptr)
		if f.maxLen > 0 && n > f.maxLen {
			return overLimit(f, n)
		}
		elems := make([]ref.Val, n)
		for i := range elems {
			elems[i] = objVal{path: p.kids[f.index], p: f.objs.at(ptr, i)}
		}
		return types.NewRefValList(types.DefaultTypeAdapter, elems)
	}
	return f.dyn(ptr)
}

func overLimit(f *fieldDesc, n int) ref.Val {
	return types.NewErr("list %s of %d elements is over its declared limit of %d", f.name, n, f.maxLen)
}

// objVal is a schema object as a CEL value.
type objVal struct {
	path *objPath
	p    any
}

var (
	_ traits.Indexer     = objVal{}
	_ traits.FieldTester = objVal{}
)

func (o objVal) Type() ref.Type { return o.path.desc.typ }
func (o objVal) Value() any     { return o.p }

func (o objVal) ConvertToNative(t reflect.Type) (any, error) {
	if reflect.TypeOf(o.p) == t {
		return o.p, nil
	}
	return nil, fmt.Errorf("risk: %s cannot be converted to %v", o.path.desc.name, t)
}

func (o objVal) ConvertToType(t ref.Type) ref.Val {
	if t == types.TypeType {
		return o.path.desc.typ
	}
	if t.TypeName() == o.path.desc.name {
		return o
	}
	return types.NewErr("type conversion error from '%s' to '%s'", o.path.desc.name, t.TypeName())
}

// Equal compares two objects of one type field by field, as CEL compares
// messages.
func (o objVal) Equal(other ref.Val) ref.Val {
	x, ok := other.(objVal)
	if !ok || x.path.desc != o.path.desc {
		return types.False
	}
	if x.p == o.p {
		return types.True
	}
	for _, f := range o.path.desc.fields {
		if f.present(o.p) != f.present(x.p) {
			return types.False
		}
		if !f.present(o.p) {
			continue
		}
		if eq := o.path.fieldVal(f, o.p).Equal(x.path.fieldVal(f, x.p)); eq != types.True {
			return eq
		}
	}
	return types.True
}

func (o objVal) field(index ref.Val) (*fieldDesc, ref.Val) {
	name, ok := index.(types.String)
	if !ok {
		return nil, types.NewErr("no such key: %v", index)
	}
	f, ok := o.path.desc.byName[string(name)]
	if !ok {
		return nil, types.NewErr("no such field '%s'", string(name))
	}
	return f, nil
}

// Get reads a field.
func (o objVal) Get(index ref.Val) ref.Val {
	f, err := o.field(index)
	if err != nil {
		return err
	}
	return o.path.fieldVal(f, o.p)
}

// IsSet implements has().
func (o objVal) IsSet(index ref.Val) ref.Val {
	f, err := o.field(index)
	if err != nil {
		return err
	}
	return types.Bool(f.present(o.p))
}

// moneyVal is a [Money] as a CEL value.
type moneyVal struct{ m Money }

// moneyType is the CEL type of [Money]. Its traits route CEL's operators
// to the methods below.
var moneyType = types.NewObjectType("riskkit.Money", traits.AdderType, traits.SubtractorType,
	traits.MultiplierType, traits.ComparerType, traits.IndexerType)

var _ traits.Indexer = moneyVal{}

func (v moneyVal) Type() ref.Type { return moneyType }
func (v moneyVal) Value() any     { return v.m }

func (v moneyVal) ConvertToNative(t reflect.Type) (any, error) {
	if t == reflect.TypeOf(v.m) {
		return v.m, nil
	}
	return nil, fmt.Errorf("risk: money cannot be converted to %v", t)
}

func (v moneyVal) ConvertToType(t ref.Type) ref.Val {
	switch t {
	case types.TypeType:
		return moneyType
	case types.StringType:
		return types.String(v.m.String())
	}
	if t.TypeName() == moneyType.TypeName() {
		return v
	}
	return types.NewErr("type conversion error from 'riskkit.Money' to '%s'", t.TypeName())
}

func (v moneyVal) Equal(other ref.Val) ref.Val {
	x, ok := other.(moneyVal)
	return types.Bool(ok && x.m.minor == v.m.minor && x.m.currency == v.m.currency)
}

// Add implements + between amounts of one currency.
func (v moneyVal) Add(other ref.Val) ref.Val {
	x, ok := other.(moneyVal)
	if !ok {
		return types.MaybeNoSuchOverloadErr(other)
	}
	return moneyResult(v.m.Add(x.m))
}

// Subtract implements - between amounts of one currency.
func (v moneyVal) Subtract(other ref.Val) ref.Val {
	x, ok := other.(moneyVal)
	if !ok {
		return types.MaybeNoSuchOverloadErr(other)
	}
	return moneyResult(v.m.Sub(x.m))
}

// Multiply implements money * int.
func (v moneyVal) Multiply(other ref.Val) ref.Val {
	n, ok := other.(types.Int)
	if !ok {
		return types.MaybeNoSuchOverloadErr(other)
	}
	return moneyResult(v.m.Mul(int64(n)))
}

// Compare orders amounts of one currency; other currencies are an error.
func (v moneyVal) Compare(other ref.Val) ref.Val {
	x, ok := other.(moneyVal)
	if !ok {
		return types.MaybeNoSuchOverloadErr(other)
	}
	c, err := v.m.Cmp(x.m)
	if err != nil {
		return types.WrapErr(err)
	}
	return types.Int(c)
}

func moneyResult(m Money, err error) ref.Val {
	if err != nil {
		return types.WrapErr(err)
	}
	return moneyVal{m}
}

// Get reads the minor and currency fields.
func (v moneyVal) Get(index ref.Val) ref.Val {
	switch index {
	case types.String("minor"):
		return types.Int(v.m.minor)
	case types.String("currency"):
		return types.String(v.m.currency)
	}
	return types.NewErr("no such field '%v'", index)
}

// stringSet is a constant list of strings whose membership test is a map
// lookup.
type stringSet struct {
	traits.Lister
	set map[string]struct{}
}

func newStringSet(vals []string) stringSet {
	set := make(map[string]struct{}, len(vals))
	for _, s := range vals {
		set[s] = struct{}{}
	}
	return stringSet{Lister: types.NewStringList(types.DefaultTypeAdapter, vals), set: set}
}

func (l stringSet) Contains(v ref.Val) ref.Val {
	if s, ok := v.(types.String); ok {
		_, in := l.set[string(s)]
		return types.Bool(in)
	}
	return l.Lister.Contains(v)
}

// cidrVal is a named CIDR list as a CEL value.
type cidrVal struct{ s *cidrSet }

var cidrSetType = types.NewObjectType("riskkit.CIDRSet", traits.ContainerType)

// Contains tests an address against the ranges.
func (v cidrVal) Contains(ip ref.Val) ref.Val {
	s, ok := ip.(types.String)
	if !ok {
		return types.MaybeNoSuchOverloadErr(ip)
	}
	addr, err := netip.ParseAddr(string(s))
	if err != nil {
		return types.NewErr("%q is not an IP address", string(s))
	}
	return types.Bool(v.s.contains(addr))
}

func (v cidrVal) Type() ref.Type { return cidrSetType }
func (v cidrVal) Value() any     { return v.s }
func (v cidrVal) ConvertToNative(t reflect.Type) (any, error) {
	return nil, fmt.Errorf("risk: cidr list %s cannot be converted to %v", v.s.name, t)
}
func (v cidrVal) ConvertToType(t ref.Type) ref.Val {
	if t == types.TypeType {
		return cidrSetType
	}
	return types.NewErr("type conversion error from 'riskkit.CIDRSet' to '%s'", t.TypeName())
}
func (v cidrVal) Equal(other ref.Val) ref.Val {
	x, ok := other.(cidrVal)
	return types.Bool(ok && x.s == v.s)
}

// varTable resolves the names a program reads: the root's fields, the
// policy's constants and its variables. It is built when compiling.
type varTable struct {
	byName map[string]func(f *frame) ref.Val
}

// activation is the cel-go activation of one evaluation; it lives in the
// evaluation frame so that resolving a name allocates nothing.
type activation struct {
	f    *frame
	vars *varTable
}

func (a *activation) ResolveName(name string) (any, bool) {
	r, ok := a.vars.byName[name]
	if !ok {
		return nil, false
	}
	return r(a.f), true
}

func (a *activation) Parent() interpreter.Activation { return nil }
