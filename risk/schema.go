package risk

import (
	"fmt"
	"time"

	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
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
	typ    *types.Type
	fields []*fieldDesc
	byName map[string]*fieldDesc
}

// fieldDesc is one field, read from a *T held in an any. The accessor
// matching kind is set. Optional fields that are not set read as missing
// inputs.
type fieldDesc struct {
	name     string
	index    int
	typ      *types.Type
	kind     kind
	optional bool
	elem     *objectDesc // for object and object-list fields
	maxLen   int         // for list fields: the declared maximum length

	flag  func(p any) bool
	num   func(p any) (int64, bool) // ints, durations and signals; false: not supplied
	dbl   func(p any) float64
	str   func(p any) string
	when  func(p any) time.Time
	money func(p any) Money
	obj   func(p any) (any, bool)
	strs  func(p any) []string
	objs  lister
	dyn   func(p any) ref.Val
	// typed plans reads of the scalar fields (see typedField).
	typed typedField
}

// kind is the representation of a field or of a planned expression.
type kind uint8

const (
	kBool kind = iota + 1
	kInt
	kDouble
	kString
	kTime
	kDuration
	kMoney
	kObject
	kStrings
	kObjects
	kDyn
)

// NewObject returns an empty description of T with the given CEL type name,
// such as "riskkit.Customer".
func NewObject[T any](typeName string) *Object[T] {
	return &Object[T]{desc: &objectDesc{name: typeName, typ: types.NewObjectType(typeName), byName: map[string]*fieldDesc{}}}
}

// TypeName returns the CEL type name.
func (o *Object[T]) TypeName() string { return o.desc.name }

func (o *Object[T]) add(f *fieldDesc) *Object[T] {
	if _, dup := o.desc.byName[f.name]; dup {
		// A schema is written by a programmer once; a duplicate is a bug in
		// the host's code, not bad input, so it fails loudly at start-up.
		panic(fmt.Sprintf("risk: object %s: field %q declared twice", o.desc.name, f.name))
	}
	f.index = len(o.desc.fields)
	o.desc.fields = append(o.desc.fields, f)
	o.desc.byName[f.name] = f
	return o
}

// Bool declares a bool field.
func (o *Object[T]) Bool(name string, get func(*T) bool) *Object[T] {
	return o.add(&fieldDesc{name: name, typ: types.BoolType, kind: kBool, flag: func(p any) bool { return get(p.(*T)) },
		typed: boolField[T](get)})
}

// Int declares an int field.
func (o *Object[T]) Int(name string, get func(*T) int64) *Object[T] {
	return o.add(&fieldDesc{name: name, typ: types.IntType, kind: kInt, num: func(p any) (int64, bool) { return get(p.(*T)), true },
		typed: intField[T, int64](get)})
}

// Double declares a double field.
func (o *Object[T]) Double(name string, get func(*T) float64) *Object[T] {
	return o.add(&fieldDesc{name: name, typ: types.DoubleType, kind: kDouble, dbl: func(p any) float64 { return get(p.(*T)) }})
}

// String declares a string field. Enum types with a string kind are declared
// with String too, converting in the accessor.
func (o *Object[T]) String(name string, get func(*T) string) *Object[T] {
	return o.add(&fieldDesc{name: name, typ: types.StringType, kind: kString, str: func(p any) string { return get(p.(*T)) },
		typed: stringField[T](get)})
}

// Time declares a timestamp field. The zero time means "not supplied": a rule
// that reads it does not fire and the decision lists it as missing.
func (o *Object[T]) Time(name string, get func(*T) time.Time) *Object[T] {
	return o.add(&fieldDesc{name: name, typ: types.TimestampType, kind: kTime, optional: true, when: func(p any) time.Time { return get(p.(*T)) },
		typed: timeField[T](get)})
}

// Duration declares a duration field.
func (o *Object[T]) Duration(name string, get func(*T) time.Duration) *Object[T] {
	return o.add(&fieldDesc{name: name, typ: types.DurationType, kind: kDuration, num: func(p any) (int64, bool) { return int64(get(p.(*T))), true },
		typed: intField[T, time.Duration](get)})
}

// Money declares a [Money] field. Policies compare it with other Money
// values (comparing different currencies is a rule error), compute with it
// and read its currency and amount. The zero Money means "not supplied".
func (o *Object[T]) Money(name string, get func(*T) Money) *Object[T] {
	return o.add(&fieldDesc{name: name, typ: moneyType, kind: kMoney, optional: true, money: func(p any) Money { return get(p.(*T)) },
		typed: moneyField[T](get)})
}

// Signal declares a [Signal] field, an int in policies. A signal that was not
// supplied is a missing input: a rule that needs it does not fire and the
// decision lists it as missing.
func (o *Object[T]) Signal(name string, get func(*T) Signal) *Object[T] {
	return o.add(&fieldDesc{name: name, typ: types.IntType, kind: kInt, optional: true, num: func(p any) (int64, bool) { return get(p.(*T)).Get() },
		typed: signalField[T](get)})
}

// Strings declares a list(string) field of at most maxLen elements; the
// bound lets the compiler estimate the cost of rules that iterate over it,
// and a longer list makes rules that read it fail with an error.
func (o *Object[T]) Strings(name string, maxLen int, get func(*T) []string) *Object[T] {
	return o.add(&fieldDesc{name: name, typ: types.NewListType(types.StringType), kind: kStrings, maxLen: maxLen,
		strs: func(p any) []string { return get(p.(*T)) }})
}

// ObjectField declares a field of object type U, read through a pointer. A
// nil pointer reads as a missing input.
func ObjectField[T, U any](o *Object[T], name string, u *Object[U], get func(*T) *U) *Object[T] {
	return o.add(&fieldDesc{name: name, typ: u.desc.typ, kind: kObject, optional: true, elem: u.desc,
		obj: func(p any) (any, bool) {
			v := get(p.(*T))
			return v, v != nil
		}})
}

// ObjectList declares a list of objects of type U, of at most maxLen
// elements (see [Object.Strings] for why the bound matters).
func ObjectList[T, U any](o *Object[T], name string, u *Object[U], maxLen int, get func(*T) []U) *Object[T] {
	return o.add(&fieldDesc{name: name, typ: types.NewListType(u.desc.typ), kind: kObjects, elem: u.desc, maxLen: maxLen,
		objs: objectsLister[T, U]{get: get}})
}

// dynField declares a field of any CEL type, read as a CEL value. The
// accessor must not return nil; it may return a types.Unknown to say that
// the input is missing.
func (o *Object[T]) dynField(name string, t *types.Type, get func(*T) ref.Val) *Object[T] {
	return o.add(&fieldDesc{name: name, typ: t, kind: kDyn, dyn: func(p any) ref.Val { return get(p.(*T)) }})
}

// lister reads a list of objects held by a parent object without copying
// it.
type lister interface {
	len(parent any) int
	// at returns a pointer to the i-th element.
	at(parent any, i int) any
}

type objectsLister[T, U any] struct {
	get func(*T) []U
}

func (l objectsLister[T, U]) len(p any) int       { return len(l.get(p.(*T))) }
func (l objectsLister[T, U]) at(p any, i int) any { return &l.get(p.(*T))[i] }

// present reports whether field f of the object p is set, the way has()
// sees it: a non-zero scalar, a non-empty list, a supplied optional input.
func (f *fieldDesc) present(p any) bool {
	switch f.kind {
	case kBool:
		return f.flag(p)
	case kInt, kDuration:
		n, ok := f.num(p)
		return ok && n != 0
	case kDouble:
		return f.dbl(p) != 0
	case kString:
		return f.str(p) != ""
	case kTime:
		return !f.when(p).IsZero()
	case kMoney:
		return !f.money(p).IsZero()
	case kObject:
		_, ok := f.obj(p)
		return ok
	case kStrings:
		return len(f.strs(p)) > 0
	case kObjects:
		return f.objs.len(p) > 0
	}
	v := f.dyn(p)
	return v != types.NullValue && !types.IsUnknown(v)
}

// typeProvider tells the CEL type checker about the objects of a schema.
type typeProvider struct {
	*types.Registry
	objects map[string]*objectDesc
}

func newTypeProvider(root *objectDesc) (*typeProvider, error) {
	base, err := types.NewRegistry()
	if err != nil {
		return nil, err
	}
	p := &typeProvider{Registry: base, objects: map[string]*objectDesc{}}
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
	if o, ok := p.objects[name]; ok {
		return types.NewTypeTypeWithParam(o.typ), true
	}
	if name == moneyType.TypeName() {
		return types.NewTypeTypeWithParam(moneyType), true
	}
	return p.Registry.FindStructType(name)
}

func (p *typeProvider) FindStructFieldNames(name string) ([]string, bool) {
	if name == moneyType.TypeName() {
		return []string{"minor", "currency"}, true
	}
	o, ok := p.objects[name]
	if !ok {
		return p.Registry.FindStructFieldNames(name)
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
		return p.Registry.FindStructFieldType(name, field)
	}
	f, ok := o.byName[field]
	if !ok {
		return nil, false
	}
	return &types.FieldType{Type: f.typ}, true
}
