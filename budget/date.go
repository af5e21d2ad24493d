package budget

import (
	"errors"
	"fmt"
	"time"
)

// Date is a calendar day with no time of day and no time zone, such as the
// first day of a budget or the day a spend record is for. A budget gives its
// dates meaning through its time zone: a period that starts on 2026-03-01
// starts at local midnight there.
//
// The zero value means "no date" ([Date.IsZero]); it is not a valid day.
// Date is a plain comparable value, safe for concurrent use; two Dates are ==
// exactly when they name the same day.
type Date struct {
	Year  int        // 1 to 9999 in a valid Date
	Month time.Month // January to December
	Day   int        // 1 to the month's length
}

// DateOf returns the calendar day of t in t's location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// ParseDate parses a day written as YYYY-MM-DD, such as "2026-02-28", the
// form [Date.String] produces. The year must have four digits (0001 to
// 9999) and the day must exist: "2026-02-29" is an error because 2026 is not
// a leap year.
func ParseDate(s string) (Date, error) {
	d, err := parseDate(s)
	if err != nil {
		return Date{}, fmt.Errorf("budget: parse date %q: %w", s, err)
	}
	return d, nil
}

func parseDate(s string) (Date, error) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return Date{}, errors.New("want YYYY-MM-DD")
	}
	num := func(s string) (int, bool) {
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
	y, ok1 := num(s[:4])
	m, ok2 := num(s[5:7])
	d, ok3 := num(s[8:])
	if !ok1 || !ok2 || !ok3 {
		return Date{}, errors.New("want YYYY-MM-DD with digits only")
	}
	date := Date{y, time.Month(m), d}
	if err := date.check(); err != nil {
		return Date{}, err
	}
	return date, nil
}

// check returns why d is not a real day, or nil.
func (d Date) check() error {
	switch {
	case d.IsValid():
		return nil
	case d.Year < 1 || d.Year > 9999:
		return fmt.Errorf("year %d is outside 0001 to 9999", d.Year)
	case d.Month < time.January || d.Month > time.December:
		return fmt.Errorf("month %d is outside 1 to 12", int(d.Month))
	case d.Day < 1 || d.Day > daysIn(d.Year, d.Month):
		return fmt.Errorf("day %d does not exist in %s %04d", d.Day, d.Month, d.Year)
	}
	return nil
}

// IsValid reports whether d names a real day between the years 1 and 9999.
// The zero Date is not valid.
func (d Date) IsValid() bool {
	return d.Year >= 1 && d.Year <= 9999 && d.Month >= time.January && d.Month <= time.December &&
		d.Day >= 1 && d.Day <= daysIn(d.Year, d.Month)
}

// IsZero reports whether d is the zero Date, which means "no date".
func (d Date) IsZero() bool { return d == Date{} }

// String returns d as YYYY-MM-DD, or "" for the zero Date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	var buf [16]byte
	return string(d.appendText(buf[:0]))
}

func (d Date) appendText(b []byte) []byte {
	if d.Year < 0 || d.Year > 9999 {
		// Only an invalid Date gets here; print it recognisably rather than
		// in a form that would parse as something else.
		return fmt.Appendf(b, "%d-%02d-%02d", d.Year, int(d.Month), d.Day)
	}
	return append(b,
		byte('0'+d.Year/1000), byte('0'+d.Year/100%10), byte('0'+d.Year/10%10), byte('0'+d.Year%10), '-',
		byte('0'+int(d.Month)/10%10), byte('0'+int(d.Month)%10), '-',
		byte('0'+d.Day/10%10), byte('0'+d.Day%10))
}

// MarshalText implements [encoding.TextMarshaler] with the [Date.String]
// form. The zero Date marshals to empty text, and an invalid one is an error
// so that no stored document holds a day that cannot be read back.
func (d Date) MarshalText() ([]byte, error) {
	if d.IsZero() {
		return []byte{}, nil
	}
	if err := d.check(); err != nil {
		return nil, fmt.Errorf("budget: marshal date %d-%02d-%02d: %w", d.Year, int(d.Month), d.Day, err)
	}
	return d.appendText(nil), nil
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

// Compare returns -1, 0 or +1 as d is before, the same day as, or after o.
func (d Date) Compare(o Date) int {
	switch {
	case d.Year != o.Year:
		return cmpInt(d.Year, o.Year)
	case d.Month != o.Month:
		return cmpInt(int(d.Month), int(o.Month))
	}
	return cmpInt(d.Day, o.Day)
}

// Before reports whether d is an earlier day than o.
func (d Date) Before(o Date) bool { return d.Compare(o) < 0 }

// After reports whether d is a later day than o.
func (d Date) After(o Date) bool { return d.Compare(o) > 0 }

// AddDays returns the day n days after d (before it when n is negative),
// across month and year ends and February 29.
func (d Date) AddDays(n int) Date { return dateOfDayNum(d.dayNum() + int64(n)) }

// DaysUntil returns the number of days from d to o: 1 from a day to the
// next, negative when o is earlier.
func (d Date) DaysUntil(o Date) int { return int(o.dayNum() - d.dayNum()) }

// Weekday returns the day of the week of d.
func (d Date) Weekday() time.Weekday { return time.Weekday(floorMod(d.dayNum()+4, 7)) } // 1970-01-01 was a Thursday

// Midnight returns the instant d begins in loc. On the rare day whose
// midnight is skipped by a daylight-saving change, it is the first instant
// of the day, as [time.Date] normalizes it.
func (d Date) Midnight(loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}

// addMonths returns the first of the month n months after d's month. d's
// day is ignored.
func (d Date) addMonths(n int) Date {
	m := d.Year*12 + int(d.Month) - 1 + n
	return Date{floorDivInt(m, 12), time.Month(floorModInt(m, 12) + 1), 1}
}

// monthsUntil returns the number of month boundaries from d's month to o's.
func (d Date) monthsUntil(o Date) int {
	return (o.Year-d.Year)*12 + int(o.Month) - int(d.Month)
}

// dayNum returns the number of days from 1970-01-01 to d, using the
// proleptic Gregorian calendar (the days-from-civil algorithm).
func (d Date) dayNum() int64 {
	y := int64(d.Year)
	m := int64(d.Month)
	if m <= 2 {
		y--
	}
	era := floorDiv(y, 400)
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + int64(d.Day) - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// dateOfDayNum is the inverse of [Date.dayNum].
func dateOfDayNum(z int64) Date {
	z += 719468
	era := floorDiv(z, 146097)
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y := yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	day := doy - (153*mp+2)/5 + 1
	m := mp + 3
	if m > 12 {
		m -= 12
	}
	if m <= 2 {
		y++
	}
	return Date{int(y), time.Month(m), int(day)}
}

// daysIn returns the number of days in a month.
func daysIn(year int, m time.Month) int {
	switch m {
	case time.February:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case time.April, time.June, time.September, time.November:
		return 30
	}
	return 31
}

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

func floorMod(a, b int64) int64 { return a - floorDiv(a, b)*b }

func floorDivInt(a, b int) int { return int(floorDiv(int64(a), int64(b))) }

func floorModInt(a, b int) int { return int(floorMod(int64(a), int64(b))) }
