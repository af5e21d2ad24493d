// Package calendar is the calendar arithmetic riskkit's packages count days
// with, written once: division that rounds towards minus infinity, month
// lengths, and a cache of a location's UTC offsets that places many
// instants on their local day without searching the location's
// transitions for each.
//
// It knows nothing of risk.Date, so that every package, risk included, can
// use it. Everything here is pure; a [Zone] is not safe for concurrent use
// and belongs to one evaluation.
package calendar

import (
	"math"
	"time"
)

// FloorDiv returns a/b rounded towards minus infinity, as a count of whole
// days or hours before an instant needs: FloorDiv(-1, 86400) is -1, the day
// before 1970-01-01, where a/b would give 0. b must not be zero.
func FloorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// FloorMod returns a - FloorDiv(a, b)*b, which has the sign of b.
func FloorMod(a, b int64) int64 { return a - FloorDiv(a, b)*b }

// IsLeap reports whether y is a leap year of the proleptic Gregorian
// calendar.
func IsLeap(y int) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

// DaysIn returns the number of days of month m in year y.
func DaysIn(m time.Month, y int) int {
	switch m {
	case time.February:
		if IsLeap(y) {
			return 29
		}
		return 28
	case time.April, time.June, time.September, time.November:
		return 30
	}
	return 31
}

// Zone caches the UTC offsets of one location over the spans of time where
// each is in force: a ledger's entries or a month of spend records mostly
// fall in one or two such spans, so placing each costs a few comparisons.
// The zero Zone has no location; [Zone.Use] sets it.
type Zone struct {
	loc  *time.Location
	n    int
	next int
	span [4]struct{ start, end, off int64 }
}

// Use makes z a cache of loc's offsets, forgetting those of another
// location.
func (z *Zone) Use(loc *time.Location) {
	if z.loc != loc {
		*z = Zone{loc: loc}
	}
}

// Location returns the location z caches.
func (z *Zone) Location() *time.Location { return z.loc }

// Offset returns the UTC offset, in seconds, in force at the Unix time u.
func (z *Zone) Offset(u int64) int64 {
	for i := range z.n {
		if s := &z.span[i]; s.start <= u && u < s.end {
			return s.off
		}
	}
	t := time.Unix(u, 0).In(z.loc)
	_, off := t.Zone()
	start, end := t.ZoneBounds()
	s := &z.span[z.next]
	s.off, s.start, s.end = int64(off), math.MinInt64, math.MaxInt64
	if !start.IsZero() {
		s.start = start.Unix()
	}
	if !end.IsZero() {
		s.end = end.Unix()
	}
	z.next = (z.next + 1) % len(z.span)
	z.n = min(z.n+1, len(z.span))
	return int64(off)
}

// Holds reports whether one offset is in force over the Unix times from
// lo to hi, both included, and what it is.
func (z *Zone) Holds(lo, hi int64) (off int64, ok bool) {
	for i := range z.n {
		if s := &z.span[i]; s.start <= lo && hi < s.end {
			return s.off, true
		}
	}
	return 0, false
}

// Day returns the local day of t as a count of days since 1970-01-01.
func (z *Zone) Day(t time.Time) int64 {
	u := t.Unix()
	return FloorDiv(u+z.Offset(u), 86400)
}

// Place returns the local day of t, as Day does, and the hour of that day
// it falls in by the wall clock, 0 to 23.
func (z *Zone) Place(t time.Time) (day int64, hour int) {
	u := t.Unix()
	wall := u + z.Offset(u)
	return FloorDiv(wall, 86400), int(FloorMod(wall, 86400) / 3600)
}
