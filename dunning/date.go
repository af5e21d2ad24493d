package dunning

import (
	"errors"
	"fmt"
	"time"
)

// Date is a calendar day with no time of day and no time zone, such as an
// invoice's issue date. Dunning counts days in the customer's calendar, so a
// Date is what an instant becomes once it is seen in the customer's
// *time.Location (see [DateOf]), and [Date.Start] turns it back into the
// instant that day begins there.
//
// The zero value means "no date": [Date.IsZero] reports true and
// [Date.String] returns "". Valid dates run from 0001-01-01 to 9999-12-31.
// Date is a comparable value, safe for concurrent use; two Dates are == when
// they name the same day.
type Date struct {
	// n counts days from 0001-01-01, which is 1, so that 0 is the zero
	// value. Days are the unit of every dunning rule, and a plain count makes
	// the arithmetic on millions of invoices a subtraction.
	n int32
}

const (
	// unixOffset is the Date count of 1970-01-01 minus one: adding it to a
	// count of days since the Unix epoch gives a Date's n.
	unixOffset = 719163
	minDays    = 1       // 0001-01-01
	maxDays    = 3652059 // 9999-12-31
)

var (
	// errDateRange is returned for dates outside the years 1 to 9999.
	errDateRange = errors.New("date outside the years 0001 to 9999")
	// errNilLocation is returned when the caller passes no location: days
	// must be counted in the customer's calendar, and guessing one would
	// move every boundary by hours.
	errNilLocation = errors.New("dunning: nil *time.Location; pass the customer's location, or time.UTC")
)

// NewDate returns the given day. Unlike time.Date it does not normalize: a
// day that does not exist, such as February 30, is an error, as is a year
// outside 1 to 9999.
func NewDate(year int, month time.Month, day int) (Date, error) {
	if year < 1 || year > 9999 {
		return Date{}, fmt.Errorf("dunning: date %04d-%02d-%02d: %w", year, int(month), day, errDateRange)
	}
	if month < time.January || month > time.December || day < 1 || day > daysIn(month, year) {
		return Date{}, fmt.Errorf("dunning: %04d-%02d-%02d is not a day of the calendar", year, int(month), day)
	}
	return Date{n: int32(daysFromCivil(int64(year), int(month), day) + unixOffset)}, nil
}

// ParseDate parses a date in the form "2006-01-02". Surrounding spaces,
// times of day and zone offsets are not accepted.
func ParseDate(s string) (Date, error) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return Date{}, fmt.Errorf("dunning: date %q: want YYYY-MM-DD", s)
	}
	y, ok1 := atoiDigits(s[0:4])
	m, ok2 := atoiDigits(s[5:7])
	d, ok3 := atoiDigits(s[8:10])
	if !ok1 || !ok2 || !ok3 {
		return Date{}, fmt.Errorf("dunning: date %q: want YYYY-MM-DD", s)
	}
	return NewDate(y, time.Month(m), d)
}

func atoiDigits(s string) (int, bool) {
	n := 0
	for i := range len(s) {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// DateOf returns the calendar day on which t falls in loc. loc must not be
// nil. Instants before the year 1 or after 9999 give the first or last valid
// day.
func DateOf(t time.Time, loc *time.Location) Date {
	return Date{n: int32(min(max(unixDay(t, loc)+unixOffset, minDays), maxDays))}
}

// unixDay returns the day of t in loc as a count of days since 1970-01-01.
// Reading the zone offset once and dividing is several times faster than
// t.In(loc).Date, which matters when aging a million invoices.
func unixDay(t time.Time, loc *time.Location) int64 {
	_, off := t.In(loc).Zone()
	return floorDiv(t.Unix()+int64(off), 86400)
}

// IsZero reports whether d is the zero Date, which means "no date".
func (d Date) IsZero() bool { return d.n == 0 }

// Parts returns the year, month and day of d; the zero Date gives 0, 0, 0.
func (d Date) Parts() (year int, month time.Month, day int) {
	if d.n == 0 {
		return 0, 0, 0
	}
	y, m, dd := civilFromDays(int64(d.n) - unixOffset)
	return int(y), time.Month(m), dd
}

// String returns d as "2006-01-02", or "" for the zero Date.
func (d Date) String() string {
	if d.n == 0 {
		return ""
	}
	return string(d.appendText(make([]byte, 0, 10)))
}

func (d Date) appendText(b []byte) []byte {
	y, m, dd := d.Parts()
	b = append(b, byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10), '-')
	b = append(b, byte('0'+int(m)/10), byte('0'+int(m)%10), '-')
	return append(b, byte('0'+dd/10), byte('0'+dd%10))
}

// MarshalText implements [encoding.TextMarshaler] in the [Date.String] form;
// the zero Date marshals to empty text.
func (d Date) MarshalText() ([]byte, error) {
	if d.n == 0 {
		return []byte{}, nil
	}
	return d.appendText(make([]byte, 0, 10)), nil
}

// UnmarshalText implements [encoding.TextUnmarshaler]: empty text gives the
// zero Date and anything else goes through [ParseDate].
func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = Date{}
		return nil
	}
	v, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// AddDays returns the day n days after d (before, if n is negative). The
// zero Date stays zero; a result outside the valid years is clamped to the
// first or last valid day, which no ledger reaches.
func (d Date) AddDays(n int) Date {
	if d.n == 0 {
		return d
	}
	v := int64(d.n) + int64(n)
	return Date{n: int32(min(max(v, minDays), maxDays))}
}

// DaysSince returns the number of calendar days from o to d: 1 when d is the
// day after o, negative when d is before o.
func (d Date) DaysSince(o Date) int { return int(d.n) - int(o.n) }

// Compare returns -1, 0 or +1 as d is before, the same day as, or after o.
// The zero Date is before every other date.
func (d Date) Compare(o Date) int {
	switch {
	case d.n < o.n:
		return -1
	case d.n > o.n:
		return 1
	}
	return 0
}

// Before reports whether d is before o.
func (d Date) Before(o Date) bool { return d.n < o.n }

// After reports whether d is after o.
func (d Date) After(o Date) bool { return d.n > o.n }

// Start returns the first instant of d in loc. That is usually midnight, but
// where a daylight-saving change skips midnight (as in America/Santiago or
// Asia/Beirut) it is the instant of the change, and where clocks go back
// over midnight it is the earlier of the two midnights. loc must not be nil;
// the zero Date gives the zero time.
func (d Date) Start(loc *time.Location) time.Time {
	if d.n == 0 {
		return time.Time{}
	}
	y, m, dd := d.Parts()
	t := time.Date(y, m, dd, 0, 0, 0, 0, loc)
	// time.Date picks one of the two readings of an ambiguous or missing
	// midnight without saying which. Check the readings that exist around
	// it and keep the earliest instant that falls on d.
	best := time.Time{}
	consider := func(c time.Time) {
		if DateOf(c, loc) == d && DateOf(c.Add(-time.Nanosecond), loc) != d && (best.IsZero() || c.Before(best)) {
			best = c
		}
	}
	consider(t)
	start, end := t.ZoneBounds()
	for _, b := range [2]time.Time{start, end} {
		if b.IsZero() {
			continue
		}
		consider(b)
		// The other zone's reading of the same midnight.
		_, off := b.Add(-time.Nanosecond).Zone()
		consider(time.Unix(int64(daysFromCivil(int64(y), int(m), dd))*86400-int64(off), 0))
	}
	if best.IsZero() {
		return t
	}
	return best.In(loc)
}

// daysFromCivil returns the number of days from 1970-01-01 to the given
// day of the proleptic Gregorian calendar (Howard Hinnant's algorithm).
func daysFromCivil(y int64, m, d int) int64 {
	if m <= 2 {
		y--
	}
	era := floorDiv(y, 400)
	yoe := y - era*400
	mp := int64((m + 9) % 12)
	doy := (153*mp+2)/5 + int64(d) - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// civilFromDays is the inverse of daysFromCivil.
func civilFromDays(z int64) (y int64, m, d int) {
	z += 719468
	era := floorDiv(z, 146097)
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y = yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d = int(doy - (153*mp+2)/5 + 1)
	if mp < 10 {
		m = int(mp + 3)
	} else {
		m = int(mp - 9)
	}
	if m <= 2 {
		y++
	}
	return y, m, d
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

func isLeap(y int) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

// daysIn returns the number of days of month m in year y.
func daysIn(m time.Month, y int) int {
	switch m {
	case time.February:
		if isLeap(y) {
			return 29
		}
		return 28
	case time.April, time.June, time.September, time.November:
		return 30
	}
	return 31
}
