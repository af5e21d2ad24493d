package risk

import "time"

// A typedField plans the reads of one field. Each is made where the field is
// declared (see [Object.String] and its siblings), with the Go type of the
// object known, so that a planned read calls the host's accessor directly
// rather than through a type-erased wrapper: one call less for every field
// a rule reads.
type typedField interface {
	// node is the planned read of the field that l describes.
	node(l *leaf) fnode
}

// The comparisons most rules are made of, a field and a constant, read the
// field in the same step; fields whose kind allows one implement these.
type (
	stringEqualer interface {
		// equalString tests the field for (in)equality with c.
		equalString(l *leaf, c string, eq bool) func(*frame) (bool, st)
	}
	intComparer interface {
		// compareInt compares the field with c.
		compareInt(l *leaf, c int64, op cmpOp) func(*frame) (bool, st)
	}
)

// leaf is a read of field fd of the object read yields (cached at slot);
// bit is the field's missing-input bit.
type leaf struct {
	read func(*frame) (any, st)
	slot int
	fd   *fieldDesc
	bit  uint64
}

type (
	boolField[T any]                         func(*T) bool
	stringField[T any]                       func(*T) string
	intField[T any, N int64 | time.Duration] func(*T) N
	signalField[T any]                       func(*T) Signal
	timeField[T any]                         func(*T) time.Time
	moneyField[T any]                        func(*T) Money
)

func (get boolField[T]) node(l *leaf) fnode {
	read, slot := l.read, l.slot
	return fnode{k: kBool, leaf: l, b: func(f *frame) (bool, st) {
		o, s := f.object(slot, read)
		if s != sOK {
			return false, s
		}
		return get(o.(*T)), sOK
	}}
}

func (get stringField[T]) node(l *leaf) fnode {
	read, slot := l.read, l.slot
	return fnode{k: kString, leaf: l, s: func(f *frame) (string, st) {
		o, s := f.object(slot, read)
		if s != sOK {
			return "", s
		}
		return get(o.(*T)), sOK
	}}
}

func (get stringField[T]) equalString(l *leaf, c string, eq bool) func(*frame) (bool, st) {
	read, slot := l.read, l.slot
	return func(f *frame) (bool, st) {
		o, s := f.object(slot, read)
		if s != sOK {
			return false, s
		}
		return (get(o.(*T)) == c) == eq, sOK
	}
}

func (get intField[T, N]) node(l *leaf) fnode {
	read, slot := l.read, l.slot
	return fnode{k: l.fd.kind, leaf: l, i: func(f *frame) (int64, st) {
		o, s := f.object(slot, read)
		if s != sOK {
			return 0, s
		}
		return int64(get(o.(*T))), sOK
	}}
}

func (get intField[T, N]) compareInt(l *leaf, c int64, op cmpOp) func(*frame) (bool, st) {
	read, slot := l.read, l.slot
	return func(f *frame) (bool, st) {
		o, s := f.object(slot, read)
		if s != sOK {
			return false, s
		}
		return holds(op, int64(get(o.(*T))), c), sOK
	}
}

func (get signalField[T]) node(l *leaf) fnode {
	read, slot, b := l.read, l.slot, l.bit
	return fnode{k: kInt, leaf: l, i: func(f *frame) (int64, st) {
		o, s := f.object(slot, read)
		if s != sOK {
			return 0, s
		}
		n, ok := get(o.(*T)).Get()
		if !ok {
			f.missing |= b
			return 0, sUnknown
		}
		return n, sOK
	}}
}

func (get signalField[T]) compareInt(l *leaf, c int64, op cmpOp) func(*frame) (bool, st) {
	read, slot, b := l.read, l.slot, l.bit
	return func(f *frame) (bool, st) {
		o, s := f.object(slot, read)
		if s != sOK {
			return false, s
		}
		n, ok := get(o.(*T)).Get()
		if !ok {
			f.missing |= b
			return false, sUnknown
		}
		return holds(op, n, c), sOK
	}
}

func (get timeField[T]) node(l *leaf) fnode {
	read, slot, b := l.read, l.slot, l.bit
	return fnode{k: kTime, leaf: l, t: func(f *frame) (time.Time, st) {
		o, s := f.object(slot, read)
		if s != sOK {
			return time.Time{}, s
		}
		t := get(o.(*T))
		if t.IsZero() {
			f.missing |= b
			return time.Time{}, sUnknown
		}
		return t, sOK
	}}
}

func (get moneyField[T]) node(l *leaf) fnode {
	read, slot, b := l.read, l.slot, l.bit
	return fnode{k: kMoney, leaf: l, m: func(f *frame) (Money, st) {
		o, s := f.object(slot, read)
		if s != sOK {
			return Money{}, s
		}
		m := get(o.(*T))
		if m.IsZero() {
			f.missing |= b
			return Money{}, sUnknown
		}
		return m, sOK
	}}
}
