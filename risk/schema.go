package risk

import (
	"fmt"
	"time"

	"cel.dev/cel-go/common/types"
)

// Object describes a Go struct type T to the policy engine: the CEL type name
// policies see and each field, read through a typed accessor. The engine
// resolves every field a rule reads to its accessor when the policy is
// compiled, so evaluation never reflects over T and never builds maps.
//
// The root object given to [Compile] is the policy's input: each of its fields
// is a variable of the policy. Build an Object once, before compiling; an
// Object must not be changed after it has been passed to [Compile]. Objects
// are not safe for concurrent modification.
type Object[T any] struct {
	desc *objectDesc
}

// objectDesc is the type-erased description shared by the compiler.
type objectDesc struct {
	name   string
	fields []*fieldDesc
	byName map[string]*fieldDesc
}

// fieldDesc is one field. get reads the field from a *T held in an any and
// reports whether it is set; optional fields that are not set read as missing
// inputs.
type fieldDesc struct {
	name     string
	typ      *types.Type
	kind     kind
	optional bool
	elem     *objectDesc // for object and object-list fields
	maxLen   int         // for list fields: the declared maximum length
	get      func(p any) (value, bool)
	list     lister // for list fields

	// Typed accessors for the fast path (see fast.go); the one matching
	// kind is set. num reports false for an optional input not supplied.
	flag  func(p any) bool
	num   func(p any) (int64, bool)
	str   func(p any) string
	when  func(p any) time.Time
	money func(p any) Money
	obj   func(p any) (any, bool)
}

// NewObject returns an empty description of T with the given CEL type name,
// such as "riskkit.Customer".
func NewObject[T any](typeName string) *Object[T] {
	return &Object[T]{desc: &objectDesc{name: typeName, byName: map[string]*fieldDesc{}}}
}

// TypeName returns the CEL type name.
func (o *Object[T]) TypeName() string { return o.desc.name }

func (o *Object[T]) add(f *fieldDesc) *Object[T] {
	if _, dup := o.desc.byName[f.name]; dup {
		// A schema is written by a programmer once; a duplicate is a bug in
		// the host's code, not bad input, so it fails loudly at start-up.
		panic(fmt.Sprintf("risk: object %s: field %q declared twice", o.desc.name, f.name))
	}
	o.desc.fields = append(o.desc.fields, f)
	o.desc.byName[f.name] = f
	return o
}

// Bool declares a bool field.
func (o *Object[T]) Bool(name string, get func(*T) bool) *Object[T] {
	return o.add(&fieldDesc{name: name, typ: types.BoolType, kind: kBool, flag: func(p any) bool { return get(p.(*T)) }, get: func(p any) (value, bool) {
		b := get(p.(*T))
		return boolVal(b), b
	}})
}

// Int declares an int field.
func (o *Object[T]) Int(name string, get func(*T) int64) *Object[T] {
	return o.add(&fieldDesc{name: name, typ: types.IntType, kind: kInt, num: func(p any) (int64, bool) { return get(p.(*T)), true }, get: func(p any) (value, bool) {
		n := get(p.(*T))
		return value{k: kInt, i: n}, n != 0
	}})
}

// Double declares a double field.
func (o *Object[T]) Double(name string, get func(*T) float64) *Object[T] {
	return o.add(&fieldDesc{name: name, typ: types.DoubleType, kind: kDouble, get: func(p any) (value, bool) {
		f := get(p.(*T))
		return doubleVal(f), f != 0
	}})
}

// String declares a string field. Enum types with a string kind are declared
// with String too, converting in the accessor.
func (o *Object[T]) String(name string, get func(*T) string) *Object[T] {
	return o.add(&fieldDesc{name: name, typ: types.StringType, kind: kString, str: func(p any) string { return get(p.(*T)) }, get: func(p any) (value, bool) {
		s := get(p.(*T))
		return value{k: kString, s: s}, s != ""
	}})
}

// Time declares a timestamp field. The zero time means "not supplied": a rule
// that reads it does not fire and the decision lists it as missing.
func (o *Object[T]) Time(name string, get func(*T) time.Time) *Object[T] {
	return o.add(&fieldDesc{name: name, typ: types.TimestampType, kind: kTime, optional: true, when: func(p any) time.Time { return get(p.(*T)) }, get: func(p any) (value, bool) {
		t := get(p.(*T))
		if t.IsZero() {
			return value{}, false
		}
		return timeVal(t)
	}})
}

// Duration declares a duration field.
func (o *Object[T]) Duration(name string, get func(*T) time.Duration) *Object[T] {
	return o.add(&fieldDesc{name: name, typ: types.DurationType, kind: kDuration, num: func(p any) (int64, bool) { return int64(get(p.(*T))), true }, get: func(p any) (value, bool) {
		d := get(p.(*T))
		return value{k: kDuration, i: int64(d)}, d != 0
	}})
}

// Money declares a [Money] field. Policies compare it with other Money
// values (comparing different currencies is a rule error) and read its
// minor and currency fields. The zero Money means "not supplied".
func (o *Object[T]) Money(name string, get func(*T) Money) *Object[T] {
	return o.add(&fieldDesc{name: name, typ: moneyType, kind: kMoney, optional: true, money: func(p any) Money { return get(p.(*T)) }, get: func(p any) (value, bool) {
		m := get(p.(*T))
		if m.IsZero() {
			return value{}, false
		}
		return moneyVal(m), true
	}})
}

// Signal declares a [Signal] field, an int in policies. A signal that was not
// supplied is a missing input: a rule that needs it does not fire and the
// decision lists it as missing.
func (o *Object[T]) Signal(name string, get func(*T) Signal) *Object[T] {
	return o.add(&fieldDesc{name: name, typ: types.IntType, kind: kInt, optional: true, num: func(p any) (int64, bool) { return get(p.(*T)).Get() }, get: func(p any) (value, bool) {
		n, ok := get(p.(*T)).Get()
		return value{k: kInt, i: n}, ok
	}})
}

// Strings declares a list(string) field of at most maxLen elements; the
// bound lets the compiler estimate the cost of rules that iterate over it,
// and a longer list makes such rules fail with an error.
func (o *Object[T]) Strings(name string, maxLen int, get func(*T) []string) *Object[T] {
	l := &stringsLister[T]{get: get, max: maxLen}
	return o.add(&fieldDesc{name: name, typ: types.NewListType(types.StringType), kind: kList, maxLen: maxLen, list: l,
		get: func(p any) (value, bool) {
			return value{k: kList, p: p, l: l}, len(get(p.(*T))) > 0
		}})
}

// ObjectField declares a field of object type U, read through a pointer. A
// nil pointer reads as a missing input.
func ObjectField[T, U any](o *Object[T], name string, u *Object[U], get func(*T) *U) *Object[T] {
	return o.add(&fieldDesc{name: name, typ: types.NewObjectType(u.desc.name), kind: kObject, optional: true, elem: u.desc,
		obj: func(p any) (any, bool) {
			v := get(p.(*T))
			return v, v != nil
		},
		get: func(p any) (value, bool) {
			v := get(p.(*T))
			if v == nil {
				return value{}, false
			}
			return value{k: kObject, p: v}, true
		}})
}

// ObjectList declares a list of objects of type U, of at most maxLen
// elements (see [Object.Strings] for why the bound matters).
func ObjectList[T, U any](o *Object[T], name string, u *Object[U], maxLen int, get func(*T) []U) *Object[T] {
	l := &objectsLister[T, U]{get: get, max: maxLen}
	return o.add(&fieldDesc{name: name, typ: types.NewListType(types.NewObjectType(u.desc.name)), kind: kList, elem: u.desc, maxLen: maxLen, list: l,
		get: func(p any) (value, bool) {
			return value{k: kList, p: p, l: l}, len(get(p.(*T))) > 0
		}})
}

// lister reads a list held by a parent object without copying it, so that a
// list value costs no allocation.
type lister interface {
	len(parent any) int
	at(parent any, i int) value
	// limit is the declared maximum length, or -1 for none.
	limit() int
}

type stringsLister[T any] struct {
	get func(*T) []string
	max int
}

func (l *stringsLister[T]) len(p any) int         { return len(l.get(p.(*T))) }
func (l *stringsLister[T]) at(p any, i int) value { return value{k: kString, s: l.get(p.(*T))[i]} }
func (l *stringsLister[T]) limit() int            { return l.max }

type objectsLister[T, U any] struct {
	get func(*T) []U
	max int
}

func (l *objectsLister[T, U]) len(p any) int { return len(l.get(p.(*T))) }
func (l *objectsLister[T, U]) limit() int    { return l.max }
func (l *objectsLister[T, U]) at(p any, i int) value {
	return value{k: kObject, p: &l.get(p.(*T))[i]}
}

// moneyType is the CEL type of [Money].
var moneyType = types.NewObjectType("riskkit.Money")

// typeProvider tells the CEL type checker about the objects of a schema. It is
// used only while compiling.
type typeProvider struct {
	types.Provider
	objects map[string]*objectDesc
}

func newTypeProvider(root *objectDesc) (*typeProvider, error) {
	base, err := types.NewRegistry()
	if err != nil {
		return nil, err
	}
	p := &typeProvider{Provider: base, objects: map[string]*objectDesc{}}
	var walk func(o *objectDesc) error
	walk = func(o *objectDesc) error {
		if prev, ok := p.objects[o.name]; ok {
			if prev != o {
				return fmt.Errorf("risk: two different objects are named %s", o.name)
			}
			return nil
		}
		p.objects[o.name] = o
		for _, f := range o.fields {
			if f.elem != nil {
				if err := walk(f.elem); err != nil {
					return err
				}
			}
		}
		return nil
	}
	return p, walk(root)
}

func (p *typeProvider) FindStructType(name string) (*types.Type, bool) {
	if _, ok := p.objects[name]; ok || name == moneyType.TypeName() {
		return types.NewTypeTypeWithParam(types.NewObjectType(name)), true
	}
	return p.Provider.FindStructType(name)
}

func (p *typeProvider) FindStructFieldNames(name string) ([]string, bool) {
	if name == moneyType.TypeName() {
		return []string{"minor", "currency"}, true
	}
	o, ok := p.objects[name]
	if !ok {
		return p.Provider.FindStructFieldNames(name)
	}
	names := make([]string, len(o.fields))
	for i, f := range o.fields {
		names[i] = f.name
	}
	return names, true
}

func (p *typeProvider) FindStructFieldType(name, field string) (*types.FieldType, bool) {
	if name == moneyType.TypeName() {
		switch field {
		case "minor":
			return &types.FieldType{Type: types.IntType}, true
		case "currency":
			return &types.FieldType{Type: types.StringType}, true
		}
		return nil, false
	}
	o, ok := p.objects[name]
	if !ok {
		return p.Provider.FindStructFieldType(name, field)
	}
	f, ok := o.byName[field]
	if !ok {
		return nil, false
	}
	return &types.FieldType{Type: f.typ}, true
}
