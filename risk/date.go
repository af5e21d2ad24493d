package risk

import (
	"fmt"
	"time"

	"github.com/riskkit/riskkit/internal/calendar"
)

// Date is a calendar day with no time of day and no time zone, such as an
// invoice's issue date or the first day of a budget. Dunning and budgets
// count days in the customer's calendar, so a Date is what an instant
// becomes once it is seen in the customer's *time.Location (see [DateOf]),
// and [Date.Start] turns it back into the instant that day begins there.
//
// The zero value means "no date": [Date.IsZero] reports true, [Date.String]
// returns "" and [Date.MarshalText] returns empty text. Every other Date is
// a real day from 0001-01-01 to 9999-12-31: the constructors refuse days
// that do not exist, such as February 30, so a Date never needs
// revalidating. Date is a comparable value, safe for concurrent use; two
// Dates are == exactly when they name the same day.
type Date struct {
	// n is the day's ordinal: 0001-01-01 is 1, so that 0 is the zero value.
	// Days are the unit of every dunning and budget rule, and a plain count
	// makes the arithmetic on millions of invoices a subtraction.
	n int32
}

const (
	// unixOrdinal is the ordinal of 1970-01-01: adding it to a count of
	// days since the Unix epoch gives an ordinal.
	unixOrdinal = 719163
	minOrdinal  = 1       // 0001-01-01
	maxOrdinal  = 3652059 // 9999-12-31
)

// NewDate returns the given day. Unlike time.Date it does not normalize: a
// day that does not exist, such as February 30, is an error, as is a year
// outside 1 to 9999.
func NewDate(year int, month time.Month, day int) (Date, error) {
	if err := checkDate(year, month, day); err != nil {
		return Date{}, fmt.Errorf("risk: date %04d-%02d-%02d: %w", year, int(month), day, err)
	}
	return Date{n: int32(daysFromCivil(int64(year), int(month), day) + unixOrdinal)}, nil
}

// checkDate returns why year, month and day do not name a day of the
// calendar, or nil.
func checkDate(year int, month time.Month, day int) error {
	switch {
	case year < 1 || year > 9999:
		return fmt.Errorf("year %d is outside 0001 to 9999", year)
	case month < time.January || month > time.December:
		return fmt.Errorf("month %d is outside 1 to 12", int(month))
	case day < 1 || day > daysIn(year, month):
		return fmt.Errorf("day %d does not exist in %s %04d", day, month, year)
	}
	return nil
}

// ParseDate parses a day written as YYYY-MM-DD, such as "2026-02-28", the
// form [Date.String] produces. The year has four digits (0001 to 9999) and
// the day must exist: "2026-02-29" is an error because 2026 is not a leap
// year. Surrounding spaces, times of day and zone offsets are not accepted.
func ParseDate(s string) (Date, error) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return Date{}, fmt.Errorf("risk: parse date %q: want YYYY-MM-DD", s)
	}
	y, ok1 := atoiDigits(s[0:4])
	m, ok2 := atoiDigits(s[5:7])
	d, ok3 := atoiDigits(s[8:10])
	if !ok1 || !ok2 || !ok3 {
		return Date{}, fmt.Errorf("risk: parse date %q: want YYYY-MM-DD with digits only", s)
	}
	if err := checkDate(y, time.Month(m), d); err != nil {
		return Date{}, fmt.Errorf("risk: parse date %q: %w", s, err)
	}
	return Date{n: int32(daysFromCivil(int64(y), m, d) + unixOrdinal)}, nil
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

// DateOf returns the calendar day on which t falls in loc. Reading t in a
// location the caller names, rather than in whatever location t carries,
// keeps a stored UTC instant from landing on the wrong local day. loc must
// not be nil. Instants before the year 1 or after 9999 give the first or
// last valid day.
func DateOf(t time.Time, loc *time.Location) Date {
	// Reading the zone offset once and dividing is several times faster
	// than t.In(loc).Date, which matters when aging a million invoices.
	_, off := t.In(loc).Zone()
	return DateFromOrdinal(calendar.FloorDiv(t.Unix()+int64(off), 86400) + unixOrdinal)
}

// DateFromOrdinal returns the day with the given ordinal, where 0001-01-01
// is 1 and each later day one more, the inverse of [Date.Ordinal]. Hosts
// and packages that keep many days in compact form count in ordinals. 0
// gives the zero Date; other ordinals outside the years 1 to 9999 give the
// first or last valid day.
func DateFromOrdinal(n int64) Date {
	if n == 0 {
		return Date{}
	}
	return Date{n: int32(min(max(n, minOrdinal), maxOrdinal))}
}

// Ordinal returns the ordinal of d: 1 for 0001-01-01, one more for each
// later day, and 0 for the zero Date. The ordinal of 1970-01-01 is 719163,
// so d.Ordinal()-719163 counts days from the Unix epoch.
func (d Date) Ordinal() int64 { return int64(d.n) }

// IsZero reports whether d is the zero Date, which means "no date".
func (d Date) IsZero() bool { return d.n == 0 }

// Parts returns the year, month and day of d; the zero Date gives 0, 0, 0.
func (d Date) Parts() (year int, month time.Month, day int) {
	if d.n == 0 {
		return 0, 0, 0
	}
	y, m, dd := civilFromDays(int64(d.n) - unixOrdinal)
	return int(y), time.Month(m), dd
}

// Weekday returns the day of the week of d. The zero Date gives Sunday,
// the zero time.Weekday.
func (d Date) Weekday() time.Weekday {
	if d.n == 0 {
		return time.Sunday
	}
	// 0001-01-01, ordinal 1, was a Monday in the proleptic Gregorian
	// calendar.
	return time.Weekday(d.n % 7)
}

// String returns d as "2006-01-02", or "" for the zero Date.
func (d Date) String() string {
	if d.n == 0 {
		return ""
	}
	var buf [10]byte
	return string(d.appendText(buf[:0]))
}

func (d Date) appendText(b []byte) []byte {
	y, m, dd := d.Parts()
	return append(b,
		byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10), '-',
		byte('0'+int(m)/10), byte('0'+int(m)%10), '-',
		byte('0'+dd/10), byte('0'+dd%10))
}

// AppendText implements [encoding.TextAppender]: it appends the
// [Date.String] form of d to b, and nothing for the zero Date. It never
// fails; the error is there for the interface.
func (d Date) AppendText(b []byte) ([]byte, error) {
	if d.n == 0 {
		return b, nil
	}
	return d.appendText(b), nil
}

// MarshalText implements [encoding.TextMarshaler] in the [Date.String] form;
// the zero Date marshals to empty text, so that a JSON or YAML document
// says "" where there is no date.
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

// AddDays returns the day n days after d (before it when n is negative),
// across month and year ends and February 29. The zero Date stays zero; a
// result outside the years 1 to 9999 is clamped to the first or last valid
// day, which no ledger or budget reaches.
func (d Date) AddDays(n int) Date {
	if d.n == 0 {
		return d
	}
	return Date{n: int32(min(max(int64(d.n)+int64(n), minOrdinal), maxOrdinal))}
}

// AddMonths returns the same day of the month n months after d (before it
// when n is negative). A day the target month does not have is clamped to
// its last day, so 2026-01-31 plus one month is 2026-02-28: a monthly date
// never spills into the month after, as time.AddDate's normalization would
// make it. The zero Date stays zero; a result outside the years 1 to 9999
// is clamped to the first or last valid day.
func (d Date) AddMonths(n int) Date {
	if d.n == 0 {
		return d
	}
	y, m, dd := d.Parts()
	k := int64(y)*12 + int64(m) - 1 + int64(n)
	switch {
	case k < 12: // before the year 1
		return Date{n: minOrdinal}
	case k >= 10000*12:
		return Date{n: maxOrdinal}
	}
	ty, tm := int(k/12), time.Month(k%12+1)
	dd = min(dd, daysIn(ty, tm))
	return Date{n: int32(daysFromCivil(int64(ty), int(tm), dd) + unixOrdinal)}
}

// DaysSince returns the number of calendar days from o to d: 1 when d is the
// day after o, negative when d is before o. A day made 23 or 25 hours long
// by a daylight-saving change is still one day.
func (d Date) DaysSince(o Date) int { return int(d.n) - int(o.n) }

// MonthsSince returns the number of month boundaries from o's month to d's
// month, whatever their days: 1 from 2026-01-31 to 2026-02-01, 0 from
// 2026-02-01 to 2026-02-28, negative when d's month is before o's.
func (d Date) MonthsSince(o Date) int {
	dy, dm, _ := d.Parts()
	oy, om, _ := o.Parts()
	return (dy-oy)*12 + int(dm) - int(om)
}

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

// Before reports whether d is an earlier day than o.
func (d Date) Before(o Date) bool { return d.n < o.n }

// After reports whether d is a later day than o.
func (d Date) After(o Date) bool { return d.n > o.n }

// Equal reports whether d and o are the same day, which is d == o. It lets
// github.com/google/go-cmp compare structs that hold a Date without an
// option for its unexported field.
func (d Date) Equal(o Date) bool { return d.n == o.n }

// Start returns the first instant of d in loc. That is usually midnight, but
// where a daylight-saving change skips midnight (as in America/Santiago or
// America/Havana) it is the instant of the change, and where clocks go back
// over midnight it is the earlier of the two midnights. loc must not be nil;
// the zero Date gives the zero time.
func (d Date) Start(loc *time.Location) time.Time {
	if d.n == 0 {
		return time.Time{}
	}
	y, m, dd := d.Parts()
	t := time.Date(y, m, dd, 0, 0, 0, 0, loc)
	start, end := t.ZoneBounds()
	// Away from an offset change midnight exists once, and t is it.
	const margin = 48 * time.Hour
	if (start.IsZero() || t.Sub(start) >= margin) && (end.IsZero() || end.Sub(t) >= margin) {
		return t
	}
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
	wall := (int64(d.n) - unixOrdinal) * 86400
	for _, b := range [2]time.Time{start, end} {
		if b.IsZero() {
			continue
		}
		consider(b)
		// The other zone's reading of the same midnight.
		_, off := b.Add(-time.Nanosecond).Zone()
		consider(time.Unix(wall-int64(off), 0))
	}
	if best.IsZero() {
		// d does not exist in loc, as 2011-12-30 in Pacific/Apia, which
		// skipped it: time.Date's reading is as good as any.
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
	era := calendar.FloorDiv(y, 400)
	yoe := y - era*400
	mp := int64((m + 9) % 12)
	doy := (153*mp+2)/5 + int64(d) - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// civilFromDays is the inverse of daysFromCivil.
func civilFromDays(z int64) (y int64, m, d int) {
	z += 719468
	era := calendar.FloorDiv(z, 146097)
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

// daysIn returns the number of days of month m in year y.
func daysIn(y int, m time.Month) int {
	switch m {
	case time.February:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case time.April, time.June, time.September, time.November:
		return 30
	}
	return 31
}
