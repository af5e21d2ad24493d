package risk

import (
	"errors"
	"fmt"
	"math"
	"math/bits"
	"net/netip"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	celast "cel.dev/cel-go/common/ast"
	"cel.dev/cel-go/common/overloads"
)

// Overload ids of the functions riskkit adds to CEL.
const (
	inCIDRs        = "in_cidrs_string"
	lowerASCII     = "string_lower_ascii"
	upperASCII     = "string_upper_ascii"
	trimSpace      = "string_trim"
	lessMoney      = "less_money"
	lessEqMoney    = "less_equals_money"
	greaterMoney   = "greater_money"
	greaterEqMoney = "greater_equals_money"
	addMoney       = "add_money"
	subtractMoney  = "subtract_money"
	absInt         = "math_abs_int"
	absDouble      = "math_abs_double"
	greatestInt    = "math_greatest_int_int"
	greatestDouble = "math_greatest_double_double"
	leastInt       = "math_least_int_int"
	leastDouble    = "math_least_double_double"
	setsContains   = "sets_contains_list_list"
	setsIntersects = "sets_intersects_list_list"
)

func (p *planner) call(e celast.Expr) (node, *value, error) {
	call := e.AsCall()
	ids := p.ast.GetOverloadIDs(e.ID())
	if len(ids) != 1 {
		return nil, nil, p.errorf(e, "function %q needs a single overload here (found %d); add a type conversion", call.FunctionName(), len(ids))
	}
	id := ids[0]
	var argExprs []celast.Expr
	if call.IsMemberFunction() {
		argExprs = append(argExprs, call.Target())
	}
	argExprs = append(argExprs, call.Args()...)
	args := make([]node, len(argExprs))
	consts := make([]*value, len(argExprs))
	allConst := true
	for i, a := range argExprs {
		n, c, err := p.plan(a)
		if err != nil {
			return nil, nil, err
		}
		args[i], consts[i] = n, c
		allConst = allConst && c != nil
	}

	// The non-strict functions see unknowns and errors.
	switch id {
	case overloads.LogicalAnd:
		return logical(args[0], args[1], false), nil, nil
	case overloads.LogicalOr:
		return logical(args[0], args[1], true), nil, nil
	case overloads.Conditional:
		return conditional(args[0], args[1], args[2]), nil, nil
	case overloads.NotStrictlyFalse:
		x := args[0]
		return func(f *frame) value {
			if v := x(f); v.k == kBool {
				return v
			}
			return trueVal
		}, nil, nil
	case overloads.Equals:
		return p.fold(binary(args[0], args[1], equal), allConst)
	case overloads.NotEquals:
		return p.fold(binary(args[0], args[1], func(a, b value) value {
			v := equal(a, b)
			if v.k == kBool {
				return boolVal(!v.b())
			}
			return v
		}), allConst)
	case overloads.InList:
		// Membership in a constant list of strings is a map lookup.
		if c := consts[1]; c != nil {
			if vl, ok := c.l.(*valueList); ok && vl.set != nil {
				x, set := args[0], vl.set
				return p.fold(func(f *frame) value {
					v := x(f)
					if v.k != kString {
						return v
					}
					_, ok := set[v.s]
					return boolVal(ok)
				}, allConst)
			}
		}
		return p.fold(binary(args[0], args[1], inList), allConst)
	case overloads.Matches, overloads.MatchesString:
		if c := consts[1]; c != nil {
			re, err := regexp.Compile(c.s)
			if err != nil {
				return nil, nil, p.errorf(e, "invalid regular expression %q: %v", c.s, err)
			}
			return p.fold(unary(args[0], func(f *frame, s value) value {
				if !f.spend(int64(len(s.s))) {
					return errorf("runtime cost limit %d exceeded", f.max)
				}
				return boolVal(re.MatchString(s.s))
			}), allConst)
		}
	}

	if want := ordering(id); want != nil {
		return p.fold(comparison(args[0], args[1], want), allConst)
	}

	if fn, ok := unaryFuncs[id]; ok && len(args) == 1 {
		return p.fold(unary(args[0], func(_ *frame, v value) value { return fn(v) }), allConst)
	}
	if fn, ok := binaryFuncs[id]; ok && len(args) == 2 {
		return p.fold(binary(args[0], args[1], fn), allConst)
	}
	switch id {
	case overloads.Matches, overloads.MatchesString:
		return p.fold(binary(args[0], args[1], func(s, pat value) value {
			re, err := regexp.Compile(pat.s)
			if err != nil {
				return errorf("invalid regular expression %q: %v", pat.s, err)
			}
			return boolVal(re.MatchString(s.s))
		}), allConst)
	case overloads.StringToTimestamp, overloads.StringToDuration:
		fn := stringToTime
		if id == overloads.StringToDuration {
			fn = stringToDuration
		}
		n, c, err := p.fold(unary(args[0], func(_ *frame, v value) value { return fn(v) }), allConst)
		if c != nil && c.k == kError {
			return nil, nil, p.errorf(e, "%v", c.err())
		}
		return n, c, err
	}
	if strings.HasSuffix(id, "_with_tz") || id == overloads.TimestampToSecondsWithTz {
		part, ok := timeParts[strings.TrimSuffix(strings.TrimSuffix(id, "_with_tz"), "_tz")]
		if ok {
			if c := consts[1]; c != nil {
				loc, err := loadLocation(c.s)
				if err != nil {
					return nil, nil, p.errorf(e, "%v", err)
				}
				return p.fold(unary(args[0], func(_ *frame, t value) value {
					return value{k: kInt, i: part(time.Unix(0, t.i).In(loc))}
				}), allConst)
			}
			return p.fold(binary(args[0], args[1], func(t, tz value) value {
				loc, err := loadLocation(tz.s)
				if err != nil {
					return errVal(err)
				}
				return value{k: kInt, i: part(time.Unix(0, t.i).In(loc))}
			}), allConst)
		}
	}
	if part, ok := timeParts[id]; ok {
		return p.fold(unary(args[0], func(_ *frame, t value) value {
			return value{k: kInt, i: part(time.Unix(0, t.i).UTC())}
		}), allConst)
	}
	return nil, nil, p.errorf(e, "function %q (overload %s) is not supported by the engine", call.FunctionName(), id)
}

// ordering returns, for the overload id of an ordering operator (<, <=, >,
// >=, of any operand types), which results of a three-way comparison make
// it true; nil for any other overload.
func ordering(id string) func(c int) bool {
	switch {
	case strings.HasPrefix(id, "less_equals_"):
		return func(c int) bool { return c <= 0 }
	case strings.HasPrefix(id, "less_"):
		return func(c int) bool { return c < 0 }
	case strings.HasPrefix(id, "greater_equals_"):
		return func(c int) bool { return c >= 0 }
	case strings.HasPrefix(id, "greater_"):
		return func(c int) bool { return c > 0 }
	}
	return nil
}

// loadLocation resolves a time zone name. Loading reads the system's or the
// embedded zone database; it happens when the policy is compiled whenever
// the name is a constant.
func loadLocation(name string) (*time.Location, error) {
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, fmt.Errorf("unknown time zone %q", name)
	}
	return loc, nil
}

// fold evaluates a call whose arguments are all constants once, at compile
// time. Every function here is pure, so the result cannot change.
func (p *planner) fold(n node, allConst bool) (node, *value, error) {
	if !allConst {
		return n, nil, nil
	}
	v := n(&frame{max: math.MaxInt64})
	return constNode(v), &v, nil
}

func unary(x node, fn func(*frame, value) value) node {
	return func(f *frame) value {
		v := x(f)
		if v.isAbsent() {
			return v
		}
		return fn(f, v)
	}
}

func binary(x, y node, fn func(a, b value) value) node {
	return func(f *frame) value {
		a, b := x(f), y(f)
		if a.isAbsent() || b.isAbsent() {
			return absentOf(a, b)
		}
		return fn(a, b)
	}
}

// absentOf returns the unknown or error among a and b, merged when both are.
func absentOf(a, b value) value {
	switch {
	case a.isAbsent() && b.isAbsent():
		return absent(a, b)
	case a.isAbsent():
		return a
	}
	return b
}

// logical implements && (or false) and || (or true) with CEL's commutative
// semantics: the deciding value wins even when the other side is unknown or
// an error, so a missing input never decides a rule on its own.
func logical(x, y node, or bool) node {
	return func(f *frame) value {
		a := x(f)
		if a.k == kBool && a.b() == or {
			return a
		}
		b := y(f)
		if b.k == kBool && b.b() == or {
			return b
		}
		if a.k == kBool && b.k == kBool {
			return b
		}
		return absentOf(a, b)
	}
}

func conditional(c, t, e node) node {
	return func(f *frame) value {
		v := c(f)
		if v.k != kBool {
			return v
		}
		if v.b() {
			return t(f)
		}
		return e(f)
	}
}

func comparison(x, y node, want func(int) bool) node {
	return binary(x, y, func(a, b value) value {
		c, err := compare(a, b)
		if err == errNaN {
			return falseVal // as in IEEE 754 and cel-go: NaN is unordered
		}
		if err != nil {
			return errVal(err)
		}
		return boolVal(want(c))
	})
}

var errNaN = errors.New("cannot order NaN")

// compare orders two values of the same comparable type, or two numbers.
func compare(a, b value) (int, error) {
	if isNumber(a.k) && isNumber(b.k) {
		c, ok := compareNumbers(a, b)
		if !ok {
			return 0, errNaN
		}
		return c, nil
	}
	switch a.k {
	case kString, kBytes:
		return strings.Compare(a.s, b.s), nil
	case kMoney:
		if a.s != b.s {
			return 0, fmt.Errorf("%w: %s and %s", ErrCurrencyMismatch, a.s, b.s)
		}
	}
	return cmp3(a.i, b.i), nil
}

func inList(x, l value) value {
	if vl, ok := l.l.(*valueList); ok && vl.set != nil {
		if x.k != kString {
			return falseVal
		}
		_, ok := vl.set[x.s]
		return boolVal(ok)
	}
	n := l.l.len(l.p)
	for i := 0; i < n; i++ {
		if e := equal(x, l.l.at(l.p, i)); e.k == kBool && e.b() {
			return trueVal
		}
	}
	return falseVal
}

var errOverflow = fmt.Errorf("integer overflow")

// allIn reports whether every element of sub is in set.
func allIn(sub, set value) bool {
	for i, n := 0, sub.l.len(sub.p); i < n; i++ {
		if v := inList(sub.l.at(sub.p, i), set); !v.b() {
			return false
		}
	}
	return true
}

// anyIn reports whether some element of a is in b.
func anyIn(a, b value) bool {
	for i, n := 0, a.l.len(a.p); i < n; i++ {
		if v := inList(a.l.at(a.p, i), b); v.b() {
			return true
		}
	}
	return false
}

var unaryFuncs = map[string]func(value) value{
	overloads.LogicalNot: func(v value) value { return boolVal(!v.b()) },
	overloads.NegateInt64: func(v value) value {
		if v.i == math.MinInt64 {
			return errVal(errOverflow)
		}
		return value{k: kInt, i: -v.i}
	},
	overloads.NegateDouble:   func(v value) value { return doubleVal(-v.f()) },
	overloads.SizeString:     sizeOf,
	overloads.SizeStringInst: sizeOf,
	overloads.SizeBytes:      sizeOf,
	overloads.SizeBytesInst:  sizeOf,
	overloads.SizeList:       sizeOf,
	overloads.SizeListInst:   sizeOf,
	overloads.Size:           sizeOf,
	lowerASCII:               func(v value) value { return value{k: kString, s: asciiMap(v.s, 'A', 'Z', 'a'-'A')} },
	upperASCII:               func(v value) value { return value{k: kString, s: asciiMap(v.s, 'a', 'z', 'A'-'a')} },
	trimSpace:                func(v value) value { return value{k: kString, s: strings.TrimSpace(v.s)} },
	absInt: func(v value) value {
		if v.i == math.MinInt64 {
			return errVal(errOverflow)
		}
		if v.i < 0 {
			return value{k: kInt, i: -v.i}
		}
		return v
	},
	absDouble: func(v value) value { return doubleVal(math.Abs(v.f())) },

	overloads.IntToInt:          func(v value) value { return v },
	overloads.UintToInt:         uintToInt,
	overloads.DoubleToInt:       doubleToInt,
	overloads.StringToInt:       stringToInt,
	overloads.TimestampToInt:    func(v value) value { return value{k: kInt, i: floorDiv(v.i, 1e9)} },
	overloads.DurationToInt:     func(v value) value { return value{k: kInt, i: v.i / 1e9} },
	overloads.IntToDouble:       func(v value) value { return doubleVal(float64(v.i)) },
	overloads.UintToDouble:      func(v value) value { return doubleVal(float64(uint64(v.i))) },
	overloads.DoubleToDouble:    func(v value) value { return v },
	overloads.StringToDouble:    stringToDouble,
	overloads.IntToUint:         intToUint,
	overloads.UintToUint:        func(v value) value { return v },
	overloads.StringToString:    func(v value) value { return v },
	overloads.IntToString:       func(v value) value { return value{k: kString, s: strconv.FormatInt(v.i, 10)} },
	overloads.UintToString:      func(v value) value { return value{k: kString, s: strconv.FormatUint(uint64(v.i), 10)} },
	overloads.DoubleToString:    func(v value) value { return value{k: kString, s: strconv.FormatFloat(v.f(), 'g', -1, 64)} },
	overloads.BoolToString:      func(v value) value { return value{k: kString, s: strconv.FormatBool(v.b())} },
	overloads.BoolToBool:        func(v value) value { return v },
	overloads.ToDyn:             func(v value) value { return v },
	overloads.TimestampToString: func(v value) value { return value{k: kString, s: time.Unix(0, v.i).UTC().Format(time.RFC3339Nano)} },
	overloads.DurationToString: func(v value) value {
		return value{k: kString, s: strconv.FormatFloat(time.Duration(v.i).Seconds(), 'f', -1, 64) + "s"}
	},
	overloads.TimestampToTimestamp: func(v value) value { return v },
	overloads.DurationToDuration:   func(v value) value { return v },
	overloads.IntToTimestamp: func(v value) value {
		if v.i > math.MaxInt64/int64(time.Second) || v.i < math.MinInt64/int64(time.Second) {
			return errorf("timestamp out of range")
		}
		return value{k: kTime, i: v.i * 1e9}
	},
	overloads.DurationToHours:        func(v value) value { return value{k: kInt, i: v.i / int64(time.Hour)} },
	overloads.DurationToMinutes:      func(v value) value { return value{k: kInt, i: v.i / int64(time.Minute)} },
	overloads.DurationToSeconds:      func(v value) value { return value{k: kInt, i: v.i / int64(time.Second)} },
	overloads.DurationToMilliseconds: func(v value) value { return value{k: kInt, i: v.i / int64(time.Millisecond)} },
}

var binaryFuncs = map[string]func(a, b value) value{
	overloads.AddInt64: func(a, b value) value {
		s, ok := addInt(a.i, b.i)
		if !ok {
			return errVal(errOverflow)
		}
		return value{k: kInt, i: s}
	},
	overloads.SubtractInt64: func(a, b value) value {
		s, ok := subInt(a.i, b.i)
		if !ok {
			return errVal(errOverflow)
		}
		return value{k: kInt, i: s}
	},
	overloads.MultiplyInt64: func(a, b value) value {
		if a.i == 0 || b.i == 0 {
			return value{k: kInt}
		}
		r := a.i * b.i
		if r/b.i != a.i || (a.i == -1 && b.i == math.MinInt64) || (b.i == -1 && a.i == math.MinInt64) {
			return errVal(errOverflow)
		}
		return value{k: kInt, i: r}
	},
	overloads.DivideInt64: func(a, b value) value {
		if b.i == 0 {
			return errorf("division by zero")
		}
		if a.i == math.MinInt64 && b.i == -1 {
			return errVal(errOverflow)
		}
		return value{k: kInt, i: a.i / b.i}
	},
	overloads.ModuloInt64: func(a, b value) value {
		if b.i == 0 {
			return errorf("modulus by zero")
		}
		if a.i == math.MinInt64 && b.i == -1 {
			return errVal(errOverflow)
		}
		return value{k: kInt, i: a.i % b.i}
	},
	overloads.AddUint64: func(a, b value) value {
		s, c := bits.Add64(uint64(a.i), uint64(b.i), 0)
		if c != 0 {
			return errVal(errOverflow)
		}
		return value{k: kUint, i: int64(s)}
	},
	overloads.SubtractUint64: func(a, b value) value {
		if uint64(b.i) > uint64(a.i) {
			return errVal(errOverflow)
		}
		return value{k: kUint, i: int64(uint64(a.i) - uint64(b.i))}
	},
	overloads.MultiplyUint64: func(a, b value) value {
		hi, lo := bits.Mul64(uint64(a.i), uint64(b.i))
		if hi != 0 {
			return errVal(errOverflow)
		}
		return value{k: kUint, i: int64(lo)}
	},
	overloads.DivideUint64: func(a, b value) value {
		if b.i == 0 {
			return errorf("division by zero")
		}
		return value{k: kUint, i: int64(uint64(a.i) / uint64(b.i))}
	},
	overloads.ModuloUint64: func(a, b value) value {
		if b.i == 0 {
			return errorf("modulus by zero")
		}
		return value{k: kUint, i: int64(uint64(a.i) % uint64(b.i))}
	},
	overloads.AddDouble:      func(a, b value) value { return doubleVal(a.f() + b.f()) },
	overloads.SubtractDouble: func(a, b value) value { return doubleVal(a.f() - b.f()) },
	overloads.MultiplyDouble: func(a, b value) value { return doubleVal(a.f() * b.f()) },
	overloads.DivideDouble:   func(a, b value) value { return doubleVal(a.f() / b.f()) },
	overloads.AddString:      func(a, b value) value { return value{k: kString, s: a.s + b.s} },
	overloads.AddBytes:       func(a, b value) value { return value{k: kBytes, s: a.s + b.s} },
	overloads.AddList: func(a, b value) value {
		n, m := a.l.len(a.p), b.l.len(b.p)
		vals := make([]value, 0, n+m)
		for i := 0; i < n; i++ {
			vals = append(vals, a.l.at(a.p, i))
		}
		for i := 0; i < m; i++ {
			vals = append(vals, b.l.at(b.p, i))
		}
		return value{k: kList, l: newValueList(vals)}
	},
	overloads.AddTimestampDuration: func(a, b value) value { return timeArith(a.i, b.i, kTime) },
	overloads.AddDurationTimestamp: func(a, b value) value { return timeArith(b.i, a.i, kTime) },
	overloads.AddDurationDuration:  func(a, b value) value { return timeArith(a.i, b.i, kDuration) },
	overloads.SubtractTimestampTimestamp: func(a, b value) value {
		s, ok := subInt(a.i, b.i)
		if !ok {
			return errVal(errOverflow)
		}
		return value{k: kDuration, i: s}
	},
	overloads.SubtractTimestampDuration: func(a, b value) value {
		if b.i == math.MinInt64 {
			return errVal(errOverflow)
		}
		return timeArith(a.i, -b.i, kTime)
	},
	overloads.SubtractDurationDuration: func(a, b value) value {
		if b.i == math.MinInt64 {
			return errVal(errOverflow)
		}
		return timeArith(a.i, -b.i, kDuration)
	},
	overloads.ContainsString:   func(a, b value) value { return boolVal(strings.Contains(a.s, b.s)) },
	overloads.Contains:         func(a, b value) value { return boolVal(strings.Contains(a.s, b.s)) },
	overloads.StartsWithString: func(a, b value) value { return boolVal(strings.HasPrefix(a.s, b.s)) },
	overloads.StartsWith:       func(a, b value) value { return boolVal(strings.HasPrefix(a.s, b.s)) },
	overloads.EndsWithString:   func(a, b value) value { return boolVal(strings.HasSuffix(a.s, b.s)) },
	overloads.EndsWith:         func(a, b value) value { return boolVal(strings.HasSuffix(a.s, b.s)) },
	greatestInt:                func(a, b value) value { return value{k: kInt, i: max(a.i, b.i)} },
	leastInt:                   func(a, b value) value { return value{k: kInt, i: min(a.i, b.i)} },
	greatestDouble: func(a, b value) value {
		if math.IsNaN(a.f()) || math.IsNaN(b.f()) {
			return errVal(errNaN)
		}
		return doubleVal(max(a.f(), b.f()))
	},
	leastDouble: func(a, b value) value {
		if math.IsNaN(a.f()) || math.IsNaN(b.f()) {
			return errVal(errNaN)
		}
		return doubleVal(min(a.f(), b.f()))
	},
	setsContains:   func(a, b value) value { return boolVal(allIn(b, a)) },
	setsIntersects: func(a, b value) value { return boolVal(anyIn(a, b)) },
	addMoney:       func(a, b value) value { return moneyArith(a, b, false) },
	subtractMoney:  func(a, b value) value { return moneyArith(a, b, true) },
	inCIDRs: func(ip, set value) value {
		addr, err := netip.ParseAddr(ip.s)
		if err != nil {
			return errorf("%q is not an IP address", ip.s)
		}
		return boolVal(set.p.(*cidrSet).contains(addr))
	},
}

func addInt(a, b int64) (int64, bool) {
	s := a + b
	return s, (s > a) == (b > 0)
}

func subInt(a, b int64) (int64, bool) {
	s := a - b
	return s, (s < a) == (b > 0)
}

// moneyArith adds or subtracts amounts of one currency, exactly.
func moneyArith(a, b value, sub bool) value {
	if a.s != b.s {
		return errorf("%w: %s and %s", ErrCurrencyMismatch, a.s, b.s)
	}
	r, ok := addInt(a.i, b.i)
	if sub {
		r, ok = subInt(a.i, b.i)
	}
	if !ok {
		return errVal(ErrOverflow)
	}
	return value{k: kMoney, i: r, s: a.s}
}

func timeArith(a, b int64, k kind) value {
	s, ok := addInt(a, b)
	if !ok {
		return errVal(errOverflow)
	}
	return value{k: k, i: s}
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

func sizeOf(v value) value {
	switch v.k {
	case kString:
		return value{k: kInt, i: int64(utf8.RuneCountInString(v.s))}
	case kBytes:
		return value{k: kInt, i: int64(len(v.s))}
	case kList:
		return value{k: kInt, i: int64(v.l.len(v.p))}
	}
	return errorf("size of %v is not supported", v.k)
}

// asciiMap shifts the ASCII letters in [lo, hi] by delta, returning s itself
// when nothing changes so that the common case allocates nothing.
func asciiMap(s string, lo, hi byte, delta int) string {
	i := 0
	for i < len(s) && (s[i] < lo || s[i] > hi) {
		i++
	}
	if i == len(s) {
		return s
	}
	b := []byte(s)
	for ; i < len(b); i++ {
		if b[i] >= lo && b[i] <= hi {
			b[i] = byte(int(b[i]) + delta)
		}
	}
	return string(b)
}

func uintToInt(v value) value {
	if v.i < 0 {
		return errorf("uint %d out of int range", uint64(v.i))
	}
	return value{k: kInt, i: v.i}
}

func intToUint(v value) value {
	if v.i < 0 {
		return errorf("int %d out of uint range", v.i)
	}
	return value{k: kUint, i: v.i}
}

func doubleToInt(v value) value {
	f := v.f()
	if math.IsNaN(f) || f <= -9223372036854775808.0 || f >= 9223372036854775807.0 {
		return errorf("double %v out of int range", f)
	}
	return value{k: kInt, i: int64(f)}
}

func stringToInt(v value) value {
	n, err := strconv.ParseInt(v.s, 10, 64)
	if err != nil {
		return errorf("cannot convert %q to int", v.s)
	}
	return value{k: kInt, i: n}
}

func stringToDouble(v value) value {
	f, err := strconv.ParseFloat(v.s, 64)
	if err != nil {
		return errorf("cannot convert %q to double", v.s)
	}
	return doubleVal(f)
}

func stringToTime(v value) value {
	t, err := time.Parse(time.RFC3339Nano, v.s)
	if err != nil {
		return errorf("cannot convert %q to timestamp (want RFC 3339)", v.s)
	}
	tv, _ := timeVal(t)
	return tv
}

func stringToDuration(v value) value {
	d, err := time.ParseDuration(v.s)
	if err != nil {
		return errorf("cannot convert %q to duration (want a number and a unit such as 72h)", v.s)
	}
	return value{k: kDuration, i: int64(d)}
}

// timeParts are the timestamp accessors, in the zone the caller chose.
var timeParts = map[string]func(time.Time) int64{
	overloads.TimestampToYear:                func(t time.Time) int64 { return int64(t.Year()) },
	overloads.TimestampToMonth:               func(t time.Time) int64 { return int64(t.Month()) - 1 },
	overloads.TimestampToDayOfYear:           func(t time.Time) int64 { return int64(t.YearDay()) - 1 },
	overloads.TimestampToDayOfMonthZeroBased: func(t time.Time) int64 { return int64(t.Day()) - 1 },
	overloads.TimestampToDayOfMonthOneBased:  func(t time.Time) int64 { return int64(t.Day()) },
	overloads.TimestampToDayOfWeek:           func(t time.Time) int64 { return int64(t.Weekday()) },
	overloads.TimestampToHours:               func(t time.Time) int64 { return int64(t.Hour()) },
	overloads.TimestampToMinutes:             func(t time.Time) int64 { return int64(t.Minute()) },
	overloads.TimestampToSeconds:             func(t time.Time) int64 { return int64(t.Second()) },
	overloads.TimestampToMilliseconds:        func(t time.Time) int64 { return int64(t.Nanosecond() / 1e6) },
}

// cidrSet is a named list of CIDR ranges. Membership is a map lookup per
// distinct prefix length, so its cost does not grow with the list.
type cidrSet struct {
	name  string
	bits  []int // distinct prefix lengths, IPv4 lengths offset by 200
	items map[netip.Prefix]struct{}
}

func newCIDRSet(name string, ranges []string) (*cidrSet, error) {
	s := &cidrSet{name: name, items: map[netip.Prefix]struct{}{}}
	seen := map[int]bool{}
	for _, r := range ranges {
		pfx, err := netip.ParsePrefix(r)
		if err != nil {
			addr, aerr := netip.ParseAddr(r)
			if aerr != nil {
				return nil, fmt.Errorf("%q is not a CIDR range or IP address", r)
			}
			pfx = netip.PrefixFrom(addr, addr.BitLen())
		}
		pfx = pfx.Masked()
		if pfx.Addr().Is4In6() {
			pfx = netip.PrefixFrom(pfx.Addr().Unmap(), pfx.Bits()-96)
		}
		s.items[pfx] = struct{}{}
		key := pfx.Bits()
		if pfx.Addr().Is4() {
			key += 200
		}
		if !seen[key] {
			seen[key] = true
			s.bits = append(s.bits, key)
		}
	}
	return s, nil
}

func (s *cidrSet) contains(a netip.Addr) bool {
	a = a.Unmap()
	v4 := a.Is4()
	for _, key := range s.bits {
		bits := key
		if bits >= 200 {
			if !v4 {
				continue
			}
			bits -= 200
		} else if v4 {
			continue
		}
		p, err := a.Prefix(bits)
		if err != nil {
			continue
		}
		if _, ok := s.items[p]; ok {
			return true
		}
	}
	return false
}
