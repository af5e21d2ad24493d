package dunning

import (
	"errors"
	"time"

	"github.com/riskkit/riskkit/risk"
)

// Dunning counts days as risk.Date ordinals held in an int32 (0001-01-01 is
// 1 and 0 is no date), so that aging a million invoices compares and
// subtracts small integers instead of calling methods on dates.

// unixOffset is the ordinal of 1970-01-01: adding it to a count of days
// since the Unix epoch gives an ordinal.
const unixOffset = 719163

// errNilLocation is returned when the caller passes no location: days must
// be counted in the customer's calendar, and guessing one would move every
// boundary by hours.
var errNilLocation = errors.New("dunning: nil *time.Location; pass the customer's location, or time.UTC")

// ord returns the ordinal of d, 0 for the zero Date.
func ord(d risk.Date) int32 { return int32(d.Ordinal()) }

// dateAt returns the day with ordinal n, the zero Date for 0.
func dateAt(n int32) risk.Date { return risk.DateFromOrdinal(int64(n)) }

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
