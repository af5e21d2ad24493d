// Package checked is integer arithmetic that reports overflow instead of
// wrapping, for the sums of minor units that riskkit's packages keep in
// int64s. A total that does not fit is an error to the caller, never a
// wrong number.
//
// The functions are pure and safe for concurrent use.
package checked

// Add returns a+b and whether the sum fits in an int64.
func Add(a, b int64) (int64, bool) {
	s := a + b
	// Overflow happened exactly when a and b have the same sign and the
	// sum's sign differs from it.
	return s, (a^s)&(b^s) >= 0
}

// Sum is a running total that remembers whether it ever overflowed, so
// that a loop can add freely and check once at the end. The zero value is
// a total of 0.
type Sum struct {
	v        int64
	overflow bool
}

// Add adds x to the total.
func (s *Sum) Add(x int64) {
	v, ok := Add(s.v, x)
	s.v, s.overflow = v, s.overflow || !ok
}

// Value returns the total and whether no addition overflowed.
func (s Sum) Value() (int64, bool) { return s.v, !s.overflow }
