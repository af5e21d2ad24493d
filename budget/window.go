package budget

import (
	"fmt"
	"github.com/riskkit/riskkit/internal/calendar"
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
	k := int(calendar.FloorDiv(int64(ty*12+int(tmon)-1-base), int64(m)))
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

// zones is the zone cache of one evaluation, with the budget's own use of
// it: local midnights.
type zones struct{ calendar.Zone }

// newZones returns a zone cache of loc.
func newZones(loc *time.Location) zones {
	var z zones
	z.Use(loc)
	return z
}

// midnight returns [risk.Date.Start] of d in the zone. Away from an offset
// change it works out the instant from the cached offsets; within a day of
// one, where local midnight may be skipped or repeated, it leaves the
// choice to Start, so that both always agree.
func (z *zones) midnight(d risk.Date) time.Time {
	wall := dayNum(d) * 86400
	u := wall - z.Offset(wall)
	off := z.Offset(u)
	u = wall - off
	if o, ok := z.Holds(u-86400, u+86400); ok && o == off {
		return time.Unix(u, 0).In(z.Location())
	}
	return d.Start(z.Location())
}
