package risk

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"math/bits"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/currency"
)

// Money is an exact amount in one currency: a whole number of the currency's
// minor units (cents for USD, yen for JPY, fils for BHD) together with the
// currency's ISO 4217 code.
//
// Money never holds a fraction of a minor unit and never goes through floating
// point, so totals balance to the last cent. Operations that would mix
// currencies or leave the int64 range return an error wrapping
// [ErrCurrencyMismatch] or [ErrOverflow] instead of a wrong number, and the
// operations that divide, [Money.MulDiv] and [Money.Allocate], state how they
// round or where the remainder goes.
//
// The zero value means "no amount": it has no currency, [Money.IsZero]
// reports true and [Money.String] returns "". That is different from an
// amount of zero in a currency, such as "0.00 USD", which has a currency, a
// [Money.Sign] of 0, and is not IsZero. Hosts use the zero value for an
// amount that was not supplied (encoding/json's omitzero leaves it out). In
// [Money.Add], [Money.Sub] and [Money.Cmp] the zero value acts as zero in the
// other operand's currency, so a total can start from Money{}.
//
// Money is an immutable value that is safe for concurrent use. Two Money
// values are == exactly when their amounts and currencies are equal, so
// "1.5 USD" and "1.50 USD" parse to == values, while Money{} and "0.00 USD"
// are not ==.
type Money struct {
	minor    int64
	currency string // "" only in the zero value; otherwise a known ISO 4217 code
}

var (
	// ErrCurrencyMismatch is wrapped by the errors of operations that combine
	// amounts in two different currencies. Converting needs an exchange rate
	// and a rounding decision, which belong to the caller.
	ErrCurrencyMismatch = errors.New("risk: currency mismatch")

	// ErrOverflow is wrapped by the errors of operations whose result, or
	// whose parsed amount, does not fit in an int64 count of minor units.
	ErrOverflow = errors.New("risk: amount overflows int64 minor units")

	// ErrUnknownCurrency is wrapped by the errors for a currency code that is
	// not three upper-case ASCII letters naming a currency known to
	// golang.org/x/text/currency.
	ErrUnknownCurrency = errors.New("risk: unknown currency")
)

// CurrencyExponent returns the number of decimal places of a currency's minor
// unit, as in 0 for JPY, 2 for USD and 3 for BHD. The code must be three
// upper-case ASCII letters naming a currency that golang.org/x/text/currency
// knows; otherwise the error wraps [ErrUnknownCurrency] and names the code.
// "XXX", ISO 4217's code for "no currency", is rejected too, because the zero
// [Money] already means that.
//
// The exponent is the standard rounding scale of golang.org/x/text/currency,
// which comes from CLDR, not from the ISO 4217 list itself; for a few
// currencies, such as IDR, COP, PKR, IQD and RSD, CLDR uses fewer decimals
// than ISO 4217 because the minor unit is not used in practice, and some
// recently introduced codes, such as VES and MRU, are not known.
//
// CurrencyExponent does not allocate unless it returns an error.
func CurrencyExponent(code string) (int, error) {
	u, err := currencyUnit(code)
	if err != nil {
		return 0, err
	}
	scale, _ := currency.Standard.Rounding(u)
	return scale, nil
}

// currencyUnit validates code and looks it up. The lookup is a binary search
// of x/text's static table, done on every call rather than cached, so that the
// package keeps no state of its own.
func currencyUnit(code string) (currency.Unit, error) {
	// currency.ParseISO folds case, but a Money code is always upper case so
	// that == on Money and on stored codes means the same thing.
	if len(code) != 3 || !isUpperASCII(code) {
		return currency.Unit{}, fmt.Errorf("%w %q: want 3 upper-case letters", ErrUnknownCurrency, code)
	}
	if code == "XXX" {
		// x/text maps XXX to its zero Unit, meaning "undefined".
		return currency.Unit{}, fmt.Errorf("%w %q: XXX means no currency; use the zero Money", ErrUnknownCurrency, code)
	}
	u, err := currency.ParseISO(code)
	if err != nil {
		return currency.Unit{}, fmt.Errorf("%w %q", ErrUnknownCurrency, code)
	}
	return u, nil
}

func isUpperASCII(s string) bool {
	for i := range len(s) {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}

// NewMoney returns minor units of the currency with the given ISO 4217 code,
// so NewMoney(24995, "USD") is 249.95 USD and NewMoney(1000, "JPY") is
// 1000 JPY. If the code is not a known, upper-case code (see
// [CurrencyExponent]) the error wraps [ErrUnknownCurrency] and names it.
func NewMoney(minor int64, code string) (Money, error) {
	u, err := currencyUnit(code)
	if err != nil {
		return Money{}, err
	}
	// u.String is a slice of x/text's static table: the Money does not keep
	// the caller's string (which may be a slice of a large buffer) alive.
	return Money{minor: minor, currency: u.String()}, nil
}

// MustMoney is like [ParseMoney] but panics if s is not valid. It is meant for
// tests, examples and package-level variables initialized from literals,
// where a bad amount is a programming error. Use ParseMoney for input.
func MustMoney(s string) Money {
	m, err := ParseMoney(s)
	if err != nil {
		panic(err)
	}
	return m
}

// ParseMoney parses an amount in the form [Money.String] produces: a decimal
// amount, one space, and an upper-case ISO 4217 code, as in "249.95 USD",
// "-10 USD", "1000 JPY" or "1.250 BHD". The amount may have fewer decimals
// than the currency ("0.5 USD" is 0.50 USD) but not more, so parsing never
// rounds. A leading "-" is allowed; "+", grouping separators, exponents,
// surrounding or extra spaces and a missing integer or fraction part around
// the "." are not.
//
// Errors are prefixed with "risk: parse money" and the input, and say what is
// wrong; they wrap [ErrUnknownCurrency] for a bad or unknown code and
// [ErrOverflow] for an amount outside the int64 range of minor units.
// ParseMoney does not allocate unless it returns an error.
func ParseMoney(s string) (Money, error) {
	m, err := parseMoney(s)
	if err != nil {
		return Money{}, fmt.Errorf("risk: parse money %q: %w", s, err)
	}
	return m, nil
}

func parseMoney(s string) (Money, error) {
	if s == "" {
		return Money{}, errors.New("empty string")
	}
	amount, code, ok := strings.Cut(s, " ")
	switch {
	case !ok:
		return Money{}, errors.New(`want an amount, one space and a currency code, as in "249.95 USD"`)
	case strings.Contains(code, " "):
		return Money{}, errors.New("want exactly one space, between the amount and the currency code")
	case amount == "":
		return Money{}, errors.New("missing amount")
	case code == "":
		return Money{}, errors.New("missing currency code")
	}
	u, err := currencyUnit(code)
	if err != nil {
		return Money{}, err
	}
	exp, _ := currency.Standard.Rounding(u)

	neg := amount[0] == '-'
	digits := amount
	if neg {
		digits = amount[1:]
	}
	whole, frac, hasPoint := strings.Cut(digits, ".")
	// Check every character before any arithmetic, so that an amount that is
	// both malformed and huge is reported as malformed.
	for _, part := range [2]string{whole, frac} {
		if i := strings.IndexFunc(part, func(r rune) bool { return r < '0' || r > '9' }); i >= 0 {
			r, _ := utf8.DecodeRuneInString(part[i:])
			return Money{}, fmt.Errorf("invalid character %q in amount %q", r, amount)
		}
	}
	switch {
	case whole == "":
		return Money{}, fmt.Errorf("amount %q has no digits before the decimal point", amount)
	case hasPoint && frac == "":
		return Money{}, fmt.Errorf("amount %q has no digits after the decimal point", amount)
	case len(frac) > exp:
		return Money{}, fmt.Errorf("amount %q has %d decimal places, but %s has %d", amount, len(frac), code, exp)
	}

	// Accumulate the magnitude in uint64 so that MinInt64, whose magnitude
	// is one more than MaxInt64, parses.
	limit := uint64(math.MaxInt64)
	if neg {
		limit++
	}
	var mag uint64
	for i := range len(whole) + exp {
		var d uint64
		switch {
		case i < len(whole):
			d = uint64(whole[i] - '0')
		case i-len(whole) < len(frac):
			d = uint64(frac[i-len(whole)] - '0')
		}
		if mag > (limit-d)/10 {
			return Money{}, ErrOverflow
		}
		mag = mag*10 + d
	}
	minor, _ := fromMagnitude(mag, neg) // within limit, so it fits
	return Money{minor: minor, currency: u.String()}, nil
}

// Minor returns the amount in minor units, such as 24995 for 249.95 USD. It
// is 0 for the zero Money.
func (m Money) Minor() int64 { return m.minor }

// Currency returns the ISO 4217 code, such as "USD", or "" for the zero Money.
func (m Money) Currency() string { return m.currency }

// Exponent returns the number of decimal places of m's currency, as
// [CurrencyExponent] does, and 0 for the zero Money.
func (m Money) Exponent() int {
	if m.currency == "" {
		return 0
	}
	exp, _ := CurrencyExponent(m.currency) // valid: every constructor checked it
	return exp
}

// IsZero reports whether m is the zero value, which has no currency and means
// "no amount". An amount of zero in a currency, such as 0.00 USD, is not
// IsZero; test the amount with [Money.Sign].
func (m Money) IsZero() bool { return m.currency == "" }

// Sign returns -1, 0 or +1 as the amount is negative, zero or positive. It is
// 0 for the zero Money.
func (m Money) Sign() int { return cmp.Compare(m.minor, 0) }

// String returns the amount with all of its currency's decimals, one space
// and the code, as in "249.95 USD", "-0.05 USD", "1000 JPY" or "1.250 BHD";
// [ParseMoney] reads it back. It returns "" for the zero Money.
func (m Money) String() string {
	if m.currency == "" {
		return ""
	}
	var buf [32]byte // longest: "-92233720368547758.08 USD" and the like
	return string(m.appendText(buf[:0]))
}

func (m Money) appendText(b []byte) []byte {
	if m.currency == "" {
		return b
	}
	exp := m.Exponent()
	mag := moneyAbs(m.minor)
	if m.minor < 0 {
		b = append(b, '-')
	}
	unit := pow10(exp)
	b = strconv.AppendUint(b, mag/unit, 10)
	if exp > 0 {
		b = append(b, '.')
		b = append(b, make([]byte, exp)...) // does not allocate: exp is small and the slice does not escape
		frac := mag % unit
		for i := len(b) - 1; i >= len(b)-exp; i-- {
			b[i] = byte('0' + frac%10)
			frac /= 10
		}
	}
	b = append(b, ' ')
	return append(b, m.currency...)
}

// MarshalText implements [encoding.TextMarshaler] with the [Money.String]
// form, so encoding/json writes "249.95 USD" as a JSON string. The zero Money
// marshals to empty text.
func (m Money) MarshalText() ([]byte, error) {
	return m.appendText([]byte{}), nil
}

// UnmarshalText implements [encoding.TextUnmarshaler]: empty text gives the
// zero Money and anything else goes through [ParseMoney]. On error *m is left
// unchanged.
func (m *Money) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*m = Money{}
		return nil
	}
	v, err := ParseMoney(string(b))
	if err != nil {
		return err
	}
	*m = v
	return nil
}

// Add returns m+o. If either is the zero Money the other is returned, so sums
// can start from Money{}. The error wraps [ErrCurrencyMismatch] if the
// currencies differ and [ErrOverflow] if the sum does not fit.
func (m Money) Add(o Money) (Money, error) {
	switch {
	case o.currency == "":
		return m, nil
	case m.currency == "":
		return o, nil
	case m.currency != o.currency:
		return Money{}, fmt.Errorf("%w: %v + %v", ErrCurrencyMismatch, m, o)
	}
	sum := m.minor + o.minor
	// Signed overflow happened iff both operands have the same sign and the
	// sum's sign differs from it.
	if (m.minor^sum)&(o.minor^sum) < 0 {
		return Money{}, fmt.Errorf("%w: %v + %v", ErrOverflow, m, o)
	}
	return Money{minor: sum, currency: m.currency}, nil
}

// Sub returns m-o, with the rules of [Money.Add]: the zero Money acts as zero
// in the other's currency (so Money{}.Sub(o) is -o), and mixing currencies or
// overflowing is an error.
func (m Money) Sub(o Money) (Money, error) {
	switch {
	case o.currency == "":
		return m, nil
	case m.currency == "":
		return o.Neg()
	case m.currency != o.currency:
		return Money{}, fmt.Errorf("%w: %v - %v", ErrCurrencyMismatch, m, o)
	}
	diff := m.minor - o.minor
	// Overflow happened iff the operands' signs differ and the result's sign
	// is not m's.
	if (m.minor^o.minor)&(m.minor^diff) < 0 {
		return Money{}, fmt.Errorf("%w: %v - %v", ErrOverflow, m, o)
	}
	return Money{minor: diff, currency: m.currency}, nil
}

// Neg returns -m. The zero Money stays zero. The most negative amount has no
// positive counterpart in int64, so its negation is an error wrapping
// [ErrOverflow].
func (m Money) Neg() (Money, error) {
	if m.minor == math.MinInt64 {
		return Money{}, fmt.Errorf("%w: -(%v)", ErrOverflow, m)
	}
	return Money{minor: -m.minor, currency: m.currency}, nil
}

// Mul returns m*n, such as the price of n units. The error wraps
// [ErrOverflow] if the product does not fit. The zero Money stays zero.
func (m Money) Mul(n int64) (Money, error) {
	hi, lo := bits.Mul64(moneyAbs(m.minor), moneyAbs(n))
	p, ok := fromMagnitude(lo, (m.minor < 0) != (n < 0))
	if hi != 0 || !ok {
		return Money{}, fmt.Errorf("%w: %v * %d", ErrOverflow, m, n)
	}
	return Money{minor: p, currency: m.currency}, nil
}

// Cmp compares m and o and returns -1 if m < o, 0 if m == o and +1 if m > o.
// The zero Money compares as zero in the other's currency. Amounts in
// different currencies are not ordered: the error wraps
// [ErrCurrencyMismatch].
func (m Money) Cmp(o Money) (int, error) {
	if m.currency != "" && o.currency != "" && m.currency != o.currency {
		return 0, fmt.Errorf("%w: compare %v with %v", ErrCurrencyMismatch, m, o)
	}
	return cmp.Compare(m.minor, o.minor), nil
}

// MulDiv returns m*num/den rounded to a whole minor unit by r: a percentage
// (num=15, den=100), a pro-rata share (days used over days in the period) or
// an exchange rate written as a fraction. The product is computed exactly in
// 128 bits, so m*num may exceed int64 as long as the quotient fits.
//
// den must be positive; num carries the sign. The error wraps [ErrOverflow]
// if the result does not fit in int64. The zero Money stays zero.
func (m Money) MulDiv(num, den int64, r Rounding) (Money, error) {
	if den <= 0 {
		return Money{}, fmt.Errorf("risk: muldiv %v by %d/%d: denominator must be positive", m, num, den)
	}
	if r > RoundCeiling {
		return Money{}, fmt.Errorf("risk: muldiv %v by %d/%d: unknown rounding %v", m, num, den, r)
	}
	neg := (m.minor < 0) != (num < 0)
	hi, lo := bits.Mul64(moneyAbs(m.minor), moneyAbs(num))
	d := uint64(den)
	// If hi >= den the quotient needs more than 64 bits (and bits.Div64
	// would panic).
	ok := hi < d
	var v int64
	if ok {
		q, rem := bits.Div64(hi, lo, d)
		if r.awayFromZero(q, rem, d, neg) {
			ok = q < math.MaxUint64 // q+1 must not wrap to 0
			q++
		}
		if ok {
			v, ok = fromMagnitude(q, neg)
		}
	}
	if !ok {
		return Money{}, fmt.Errorf("%w: %v * %d / %d", ErrOverflow, m, num, den)
	}
	return Money{minor: v, currency: m.currency}, nil
}

// Rounding says how [Money.MulDiv] turns an exact quotient into a whole
// number of minor units. The zero value is [RoundHalfEven], the default.
type Rounding uint8

const (
	// RoundHalfEven rounds to the nearest unit and a tie to the even one
	// (banker's rounding), so that ties do not bias sums of many roundings.
	// It is the zero value.
	RoundHalfEven Rounding = iota
	// RoundHalfUp rounds to the nearest unit and a tie away from zero, as
	// taught in school: 0.5 to 1 and -0.5 to -1.
	RoundHalfUp
	// RoundDown rounds toward zero (truncates).
	RoundDown
	// RoundUp rounds away from zero, so any fraction of a unit counts as one.
	RoundUp
	// RoundFloor rounds toward negative infinity.
	RoundFloor
	// RoundCeiling rounds toward positive infinity.
	RoundCeiling
)

// String returns the mode's name in snake case, such as "half_even", or
// "Rounding(n)" for a value that is not a mode.
func (r Rounding) String() string {
	switch r {
	case RoundHalfEven:
		return "half_even"
	case RoundHalfUp:
		return "half_up"
	case RoundDown:
		return "down"
	case RoundUp:
		return "up"
	case RoundFloor:
		return "floor"
	case RoundCeiling:
		return "ceiling"
	}
	return "Rounding(" + strconv.Itoa(int(r)) + ")"
}

// awayFromZero reports whether a quotient with magnitude q and remainder
// rem/den, negative if neg, is rounded by r to q+1 rather than q.
func (r Rounding) awayFromZero(q, rem, den uint64, neg bool) bool {
	if rem == 0 {
		return false
	}
	// rem < den <= MaxInt64, so 2*rem cannot overflow.
	switch r {
	case RoundHalfEven:
		return 2*rem > den || 2*rem == den && q%2 == 1
	case RoundHalfUp:
		return 2*rem >= den
	case RoundUp:
		return true
	case RoundFloor:
		return neg
	case RoundCeiling:
		return !neg
	}
	return false // RoundDown
}

// Allocate splits m into len(weights) parts proportional to the weights, such
// as a refund across line items by their prices, and returns them in the order
// of the weights. The parts always add up to exactly m: each part first gets
// its share rounded toward zero, then the minor units left over go one at a
// time to the parts with the largest discarded fractions, earlier parts first
// on a tie. A part with weight 0 gets zero. A negative m is split as its
// magnitude and every part negated, so it mirrors the positive case.
//
// The weights must be non-negative, at least one must be positive, and their
// sum must fit in an int64 (else the error wraps [ErrOverflow]). The zero
// Money splits into zero Money values.
func (m Money) Allocate(weights ...int64) ([]Money, error) {
	if len(weights) == 0 {
		return nil, fmt.Errorf("risk: allocate %v: no weights", m)
	}
	var total int64
	for i, w := range weights {
		if w < 0 {
			return nil, fmt.Errorf("risk: allocate %v: weight %d is negative (%d)", m, i, w)
		}
		if total > math.MaxInt64-w {
			return nil, fmt.Errorf("risk: allocate %v: sum of weights: %w", m, ErrOverflow)
		}
		total += w
	}
	if total == 0 {
		return nil, fmt.Errorf("risk: allocate %v: weights sum to zero", m)
	}
	parts := make([]Money, len(weights))
	if m.currency == "" {
		return parts, nil
	}

	type share struct {
		q, rem uint64 // the part's magnitude is q + rem/total
	}
	mag := moneyAbs(m.minor)
	shares := make([]share, len(weights))
	left := mag
	for i, w := range weights {
		// mag*w <= mag*total, so the high word is below total and the
		// quotient (at most mag) fits in 64 bits.
		hi, lo := bits.Mul64(mag, uint64(w))
		q, rem := bits.Div64(hi, lo, uint64(total))
		shares[i] = share{q: q, rem: rem}
		left -= q
	}
	// The discarded fractions add up to left, a whole number smaller than
	// the number of parts with a fraction, so no part gets more than one
	// extra unit and no zero-weight part gets one.
	if left > 0 {
		order := make([]int, len(weights))
		for i := range order {
			order[i] = i
		}
		slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(shares[b].rem, shares[a].rem) })
		for _, i := range order[:left] {
			shares[i].q++
		}
	}
	neg := m.minor < 0
	for i, s := range shares {
		v, _ := fromMagnitude(s.q, neg) // s.q <= mag, so it fits with m's sign
		parts[i] = Money{minor: v, currency: m.currency}
	}
	return parts, nil
}

// MaxParts is the most parts [Money.Split] makes: far more than any bill
// has lines, and few enough that the parts fit in a few megabytes.
const MaxParts = 1 << 20

// Split splits m into n parts that differ by at most one minor unit and add
// up to exactly m, the larger parts first: 100.00 USD in 3 is 33.34, 33.33
// and 33.33. It is [Money.Allocate] with n equal weights. n must be from 1
// to [MaxParts], so that a hostile count cannot make it allocate gigabytes.
func (m Money) Split(n int) ([]Money, error) {
	if n <= 0 || n > MaxParts {
		return nil, fmt.Errorf("risk: split %v into %d parts: want 1 to %d parts", m, n, MaxParts)
	}
	parts := make([]Money, n)
	if m.currency == "" {
		return parts, nil
	}
	mag := moneyAbs(m.minor)
	q, left := mag/uint64(n), mag%uint64(n)
	neg := m.minor < 0
	for i := range parts {
		p := q
		if uint64(i) < left {
			p++
		}
		v, _ := fromMagnitude(p, neg)
		parts[i] = Money{minor: v, currency: m.currency}
	}
	return parts, nil
}

// moneyAbs returns |x| as a uint64, which holds the magnitude of MinInt64.
func moneyAbs(x int64) uint64 {
	if x < 0 {
		return -uint64(x)
	}
	return uint64(x)
}

// fromMagnitude returns mag with the given sign, reporting whether it fits
// in an int64.
func fromMagnitude(mag uint64, neg bool) (int64, bool) {
	if neg {
		if mag > 1<<63 {
			return 0, false
		}
		return int64(-mag), true
	}
	if mag > math.MaxInt64 {
		return 0, false
	}
	return int64(mag), true
}

// pow10 returns 10**n for the small exponents of currencies.
func pow10(n int) uint64 {
	p := uint64(1)
	for range n {
		p *= 10
	}
	return p
}
