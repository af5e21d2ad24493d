package risk

import (
	"errors"
	"fmt"
	"math"
	"time"
)

// kind is the runtime kind of a value. The type checker has already proved
// which kind each expression produces, so operators switch on kinds only for
// the generic cases (equality, dyn).
type kind uint8

const (
	kNull kind = iota
	kBool
	kInt
	kUint
	kDouble
	kString
	kBytes
	kTime     // i: Unix nanoseconds
	kDuration // i: nanoseconds
	kMoney    // i: minor units, s: currency
	kObject   // p: pointer to the Go struct
	kList     // p: parent, l: lister
	kCIDRs    // p: *cidrSet
	kType     // s: type name
	kUnknown  // i: bit set of missing inputs
	kError    // p: error
)

// value is one CEL value, passed by value so that evaluation allocates
// nothing for scalars. Doubles are stored as their IEEE bits in i.
type value struct {
	k kind
	i int64
	s string
	p any
	l lister
}

var (
	trueVal  = value{k: kBool, i: 1}
	falseVal = value{k: kBool}
)

func boolVal(b bool) value {
	if b {
		return trueVal
	}
	return falseVal
}

func doubleVal(f float64) value { return value{k: kDouble, i: int64(math.Float64bits(f))} }

func (v value) f() float64 { return math.Float64frombits(uint64(v.i)) }

func (v value) b() bool { return v.i != 0 }

func moneyVal(m Money) value { return value{k: kMoney, i: m.Minor(), s: m.Currency()} }

// minTime and maxTime bound the timestamps CEL accepts (years 1 to 9999), but
// a value holds Unix nanoseconds, which reach only 1677 to 2262.
var (
	minTime = time.Unix(0, math.MinInt64).UTC()
	maxTime = time.Unix(0, math.MaxInt64).UTC()
)

func timeVal(t time.Time) (value, bool) {
	if t.Before(minTime) || t.After(maxTime) {
		return errVal(fmt.Errorf("timestamp %s out of range", t.Format(time.RFC3339))), true
	}
	return value{k: kTime, i: t.UnixNano()}, true
}

func errVal(err error) value { return value{k: kError, p: err} }

func errorf(format string, args ...any) value { return errVal(fmt.Errorf(format, args...)) }

func (v value) err() error {
	if e, ok := v.p.(error); ok {
		return e
	}
	return errors.New("unknown error")
}

// isAbsent reports whether v is an unknown or an error, the two values that
// strict functions pass through instead of computing.
func (v value) isAbsent() bool { return v.k >= kUnknown }

// absent merges two values of which at least one is unknown or an error: an
// unknown wins over an error, so that a missing input is reported as missing
// rather than as the error its absence caused, and two unknowns merge their
// sets of missing inputs.
func absent(a, b value) value {
	switch {
	case a.k == kUnknown && b.k == kUnknown:
		return value{k: kUnknown, i: a.i | b.i}
	case a.k == kUnknown:
		return a
	case b.k == kUnknown:
		return b
	case a.k == kError:
		return a
	}
	return b
}

// equal implements CEL equality for the kinds the engine supports, including
// the numeric comparisons across int, uint and double.
func equal(a, b value) value {
	if a.isAbsent() || b.isAbsent() {
		if a.isAbsent() && b.isAbsent() {
			return absent(a, b)
		}
		if a.isAbsent() {
			return a
		}
		return b
	}
	if isNumber(a.k) && isNumber(b.k) && a.k != b.k {
		c, ok := compareNumbers(a, b)
		return boolVal(ok && c == 0)
	}
	if a.k != b.k {
		return falseVal
	}
	switch a.k {
	case kNull:
		return trueVal
	case kDouble:
		return boolVal(a.f() == b.f())
	case kString, kBytes, kType:
		return boolVal(a.s == b.s)
	case kMoney:
		return boolVal(a.i == b.i && a.s == b.s)
	case kObject:
		return boolVal(a.p == b.p)
	case kList:
		n := a.l.len(a.p)
		if n != b.l.len(b.p) {
			return falseVal
		}
		for i := 0; i < n; i++ {
			e := equal(a.l.at(a.p, i), b.l.at(b.p, i))
			if e.k != kBool || !e.b() {
				return e
			}
		}
		return trueVal
	case kCIDRs:
		return boolVal(a.p == b.p)
	}
	return boolVal(a.i == b.i)
}

func isNumber(k kind) bool { return k == kInt || k == kUint || k == kDouble }

// compareNumbers orders two numbers of any numeric kinds exactly (no rounding
// of large ints through float64). ok is false when either is NaN.
func compareNumbers(a, b value) (c int, ok bool) {
	switch {
	case a.k == kDouble || b.k == kDouble:
		x, y := toFloatCmp(a), toFloatCmp(b)
		if math.IsNaN(x) || math.IsNaN(y) {
			return 0, false
		}
		if a.k != kDouble {
			return -cmpFloatInt(y, a), true
		}
		if b.k != kDouble {
			return cmpFloatInt(x, b), true
		}
		return cmp3(x, y), true
	case a.k == kInt && b.k == kUint:
		if a.i < 0 {
			return -1, true
		}
		return cmp3(uint64(a.i), uint64(b.i)), true
	case a.k == kUint && b.k == kInt:
		if b.i < 0 {
			return 1, true
		}
		return cmp3(uint64(a.i), uint64(b.i)), true
	case a.k == kUint:
		return cmp3(uint64(a.i), uint64(b.i)), true
	}
	return cmp3(a.i, b.i), true
}

func toFloatCmp(v value) float64 {
	switch v.k {
	case kDouble:
		return v.f()
	case kUint:
		return float64(uint64(v.i))
	}
	return float64(v.i)
}

// cmpFloatInt compares a float with an int or uint value without losing
// precision on integers beyond 2^53.
func cmpFloatInt(f float64, n value) int {
	if n.k == kUint {
		if f < 0 {
			return -1
		}
		if f >= 18446744073709551616.0 {
			return 1
		}
		u := uint64(f)
		if c := cmp3(u, uint64(n.i)); c != 0 {
			return c
		}
		return cmp3(f, math.Trunc(f))
	}
	if f < -9223372036854775808.0 {
		return -1
	}
	if f >= 9223372036854775808.0 {
		return 1
	}
	i := int64(f)
	if c := cmp3(i, n.i); c != 0 {
		return c
	}
	return cmp3(f, math.Trunc(f))
}

func cmp3[T int64 | uint64 | float64 | string](a, b T) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
