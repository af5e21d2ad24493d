package budget

import (
	"fmt"
	"math"
	"time"

	"github.com/riskkit/riskkit/risk"
)

// Window is one period of a budget: its first and last day, and the instants
// they begin and end in the budget's time zone. Spend starts again from zero
// at each window's start.
//
// The zero value is no window. Window is a plain value, safe for concurrent
// use.
type Window struct {
	// Index counts periods from the budget's start: 0 for the first.
	Index int `json:"index"`
	// Start is the first day and End the last day, inclusive.
	Start risk.Date `json:"start"`
	End   risk.Date `json:"end"`
	// StartsAt is local midnight at the start of Start, and EndsAt local
	// midnight at the end of End, which is the next window's StartsAt. A
	// window holds the instants t with StartsAt <= t < EndsAt.
	StartsAt time.Time `json:"starts_at"`
	EndsAt   time.Time `json:"ends_at"`
}

// Days returns the number of calendar days in w: 28 to 31 for a month, 90 to
// 92 for a quarter, 365 or 366 for a year. A day made 23 or 25 hours long by
// a daylight-saving change is still one day.
func (w Window) Days() int { return w.End.DaysSince(w.Start) + 1 }

// Contains reports whether t is in w.
func (w Window) Contains(t time.Time) bool { return !t.Before(w.StartsAt) && t.Before(w.EndsAt) }

// location checks that loc is the budget's time zone and returns it, with
// nil read as UTC.
func (b *Budget) location(loc *time.Location) (*time.Location, error) {
	if loc == nil {
		loc = time.UTC
	}
	want := b.TimeZone
	if want == "" {
		want = "UTC"
	}
	if got := loc.String(); got != want {
		return nil, fmt.Errorf("%w: budget %q is in %q, given %q", ErrWrongLocation, b.ID, want, got)
	}
	return loc, nil
}

// periodAt returns the period that contains today, with z the zone cache
// of an evaluation; the error for a day before the start or after the end
// wraps [ErrNotInEffect]. Its index may be negative for the grid of periods
// before the budget's start that auto-adjustment looks back on.
func (b *Budget) periodAt(today risk.Date, z *zones) (Window, error) {
	switch {
	case today.Before(b.Start):
		return Window{}, fmt.Errorf("%w: budget %q starts on %v, after %v", ErrNotInEffect, b.ID, b.Start, today)
	case !b.End.IsZero() && today.After(b.End):
		return Window{}, fmt.Errorf("%w: budget %q ended on %v, before %v", ErrNotInEffect, b.ID, b.End, today)
	}
	m := b.Period.months()
	if m == 0 {
		if b.End.AddDays(1) == b.End {
			return Window{}, errAfter9999(b.ID, today)
		}
		return b.windowIn(0, z), nil
	}
	// Months are counted as year·12 + month − 1, converting each of the
	// start and today to a year and month once.
	y, mon, _ := b.Start.Parts()
	base := y*12 + int(mon) - 1
	ty, tmon, _ := today.Parts()
	k := floorDivInt(ty*12+int(tmon)-1-base, m)
	if base+(k+1)*m >= 10000*12 {
		return Window{}, errAfter9999(b.ID, today)
	}
	return b.windowOf(k, b.monthStart(base, k*m), b.monthStart(base, (k+1)*m), z), nil
}

// errAfter9999 is the error for a day whose period ends on the last day a
// [risk.Date] holds, 9999-12-31, or later: the day after it, where the
// next period starts, cannot be told.
func errAfter9999(id string, today risk.Date) error {
	return fmt.Errorf("budget: %q: the period that contains %v ends too late, on or after 9999-12-31", id, today)
}

// periodDays returns the first day of period k and the first day after it.
func (b *Budget) periodDays(k int) (start, next risk.Date) {
	m := b.Period.months()
	if m == 0 {
		return b.Start, b.End.AddDays(1)
	}
	// Converting the start to a year and month once, and building each
	// first of a month from its year and month, saves the calendar
	// conversions that adding months to a date does each time.
	y, mon, _ := b.Start.Parts()
	base := y*12 + int(mon) - 1
	return b.monthStart(base, k*m), b.monthStart(base, (k+1)*m)
}

// monthStart returns the first day of the month n months after the
// budget's start, whose month count (year·12 + month − 1) is base. Months
// outside the years 1 to 9999 are left to addMonths, which clamps them.
func (b *Budget) monthStart(base, n int) risk.Date {
	if c := base + n; c >= 12 && c < 10000*12 {
		if d, err := risk.NewDate(c/12, time.Month(c%12+1), 1); err == nil {
			return d
		}
	}
	return addMonths(b.Start, n)
}

// windowIn returns period k, with z the zone cache of an evaluation.
func (b *Budget) windowIn(k int, z *zones) Window {
	start, next := b.periodDays(k)
	return b.windowOf(k, start, next, z)
}

// windowOf returns period k, which runs from the day start to the day
// before next.
func (b *Budget) windowOf(k int, start, next risk.Date, z *zones) Window {
	return Window{
		Index:    k,
		Start:    start,
		End:      next.AddDays(-1),
		StartsAt: z.midnight(start),
		EndsAt:   z.midnight(next),
	}
}

// zones caches the UTC offsets of a location over the spans of time where
// each is in force, so that placing many records on their local day costs a
// few comparisons each instead of a search of the time zone's transitions.
type zones struct {
	loc  *time.Location
	n    int
	next int
	span [4]struct{ start, end, off int64 }
}

// offset returns the UTC offset in seconds at the Unix time u.
func (z *zones) offset(u int64) int64 {
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

// midnight returns [risk.Date.Start] of d in the zone. Away from an offset
// change it works out the instant from the cached offsets; within a day of
// one, where local midnight may be skipped or repeated, it leaves the
// choice to Start, so that both always agree.
func (z *zones) midnight(d risk.Date) time.Time {
	wall := dayNum(d) * 86400
	u := wall - z.offset(wall)
	off := z.offset(u)
	u = wall - off
	for i := range z.n {
		if s := &z.span[i]; s.start <= u-86400 && u+86400 < s.end && s.off == off {
			return time.Unix(u, 0).In(z.loc)
		}
	}
	return d.Start(z.loc)
}

// place returns the local day number of the instant t and the hour of that
// day it falls in (0 to 23, by the wall clock).
func (z *zones) place(t time.Time) (day int64, hour int) {
	u := t.Unix()
	wall := u + z.offset(u)
	return floorDiv(wall, 86400), int(floorMod(wall, 86400) / 3600)
}
