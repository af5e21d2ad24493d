package dunning

import (
	"errors"

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
