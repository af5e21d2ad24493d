package budget

import (
	"fmt"
	"math"
	"math/bits"

	"github.com/riskkit/riskkit/risk"
)

// MinThreshold and MaxThreshold bound the percentage of a [Threshold]:
// 0.01% to 1000%.
const (
	MinThreshold risk.Percent = 1
	MaxThreshold risk.Percent = 100000
)

// percentOf returns value as a percentage of amount, rounded half to even to
// a hundredth of a percent. amount must be positive.
func percentOf(value, amount int64) (risk.Percent, error) {
	v, ok := mulDiv(value, 10000, amount)
	if !ok {
		return 0, fmt.Errorf("%w: %d is more than 92 trillion percent of %d", risk.ErrOverflow, value, amount)
	}
	return risk.Percent(v), nil
}

// meets reports whether value reaches the threshold p of amount under c,
// exactly: value/amount is compared with p/10000 by cross-multiplying in 128
// bits. amount and p must be positive.
func meets(value, amount int64, p risk.Percent, c Comparison) bool {
	lhs := mul128(value, 10000)
	rhs := mul128(amount, int64(p))
	if c == Greater {
		return lhs.cmp(rhs) > 0
	}
	return lhs.cmp(rhs) >= 0
}

// mulDiv returns a*b/c rounded half to even, and whether it fits in an
// int64. c must be positive.
func mulDiv(a, b, c int64) (int64, bool) {
	return mul128(a, b).quo(c)
}

// i128 is a signed 128-bit integer in two's complement, enough to hold the
// exact products and sums that forecasts and threshold comparisons need
// without ever losing a minor unit.
type i128 struct {
	hi int64
	lo uint64
}

func i128of(v int64) i128 { return i128{hi: v >> 63, lo: uint64(v)} }

func (a i128) neg() bool { return a.hi < 0 }

func (a i128) add(b i128) (i128, bool) {
	lo, carry := bits.Add64(a.lo, b.lo, 0)
	hi := a.hi + b.hi + int64(carry)
	// Overflow iff a and b have the same sign and the result's sign differs.
	if (a.hi >= 0) == (b.hi >= 0) && (hi >= 0) != (a.hi >= 0) {
		return i128{}, false
	}
	return i128{hi, lo}, true
}

func (a i128) negate() i128 {
	lo, borrow := bits.Sub64(0, a.lo, 0)
	hi := -a.hi - int64(borrow)
	return i128{hi, lo}
}

// abs returns |a| as an unsigned 128-bit magnitude (hi, lo); the most
// negative value's magnitude fits because the result is unsigned.
func (a i128) abs() (uint64, uint64) {
	if a.neg() {
		n := a.negate()
		return uint64(n.hi), n.lo
	}
	return uint64(a.hi), a.lo
}

func (a i128) cmp(b i128) int {
	switch {
	case a.hi < b.hi:
		return -1
	case a.hi > b.hi:
		return 1
	case a.lo < b.lo:
		return -1
	case a.lo > b.lo:
		return 1
	}
	return 0
}

// mul128 returns a*b exactly.
func mul128(a, b int64) i128 {
	hi, lo := bits.Mul64(absU(a), absU(b))
	r := i128{int64(hi), lo}
	if (a < 0) != (b < 0) {
		r = r.negate()
	}
	return r
}

// mul returns a*m, and whether it fits in 128 bits.
func (a i128) mul(m int64) (i128, bool) {
	ahi, alo := a.abs()
	mm := absU(m)
	h1, l1 := bits.Mul64(alo, mm)
	h2, l2 := bits.Mul64(ahi, mm)
	hi, carry := bits.Add64(h1, l2, 0)
	if h2 != 0 || carry != 0 || hi >= 1<<63 {
		return i128{}, false
	}
	r := i128{int64(hi), l1}
	if a.neg() != (m < 0) {
		r = r.negate()
	}
	return r, true
}

// quo returns a/c rounded half to even, and whether it fits in an int64. c
// must be positive.
func (a i128) quo(c int64) (int64, bool) {
	hi, lo := a.abs()
	d := uint64(c)
	if hi >= d {
		return 0, false
	}
	q, rem := bits.Div64(hi, lo, d)
	if 2*rem > d || 2*rem == d && q%2 == 1 {
		q++
	}
	neg := a.neg()
	if neg {
		if q > 1<<63 {
			return 0, false
		}
		return int64(-q), true
	}
	if q > math.MaxInt64 {
		return 0, false
	}
	return int64(q), true
}

// float returns a as a float64, for statistics that are not amounts.
func (a i128) float() float64 {
	hi, lo := a.abs()
	f := float64(hi)*(1<<64) + float64(lo)
	if a.neg() {
		return -f
	}
	return f
}

// divU returns the quotient and remainder of (hi, lo) / d; hi must be
// below d.
func divU(hi, lo, d uint64) (uint64, uint64) { return bits.Div64(hi, lo, d) }

func absU(x int64) uint64 {
	if x < 0 {
		return -uint64(x)
	}
	return uint64(x)
}
