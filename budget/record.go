package budget

import (
	"fmt"
	"github.com/riskkit/riskkit/internal/text"
	"time"

	"github.com/riskkit/riskkit/internal/checked"
	"github.com/riskkit/riskkit/risk"
)

// Record is an amount of spend for one day or one hour, as a billing or
// metering system reports it.
//
// Records may arrive late and may be corrected. The same record sent twice
// (same ID, same Revision, same contents) counts once. A correction is a
// record with the same ID and a higher Revision; only the highest revision
// known at the time of evaluation counts, so a correction may also move an
// amount to another day or reduce it. A credit is a record with a negative
// amount.
//
// The zero value is not a valid record. Record is plain data with JSON tags.
type Record struct {
	// ID identifies the record at its source, such as a usage line id.
	ID string `json:"id"`
	// Day is the calendar day the spend is for, in the budget's time zone.
	// Set exactly one of Day and Hour.
	Day risk.Date `json:"day,omitzero"`
	// Hour is an instant in the hour the spend is for; the record counts
	// on the local day of that instant.
	Hour time.Time `json:"hour,omitzero"`
	// Amount is the spend, in the budget's currency.
	Amount risk.Money `json:"amount"`
	// Revision orders corrections of one record: the highest counts.
	Revision int `json:"revision,omitzero"`
	// Received, when set, is when the host learned of the record. A record
	// received after the evaluation's now is ignored, so that replaying
	// history sees only what was known at each point.
	Received time.Time `json:"received,omitzero"`
}

// ledger is spend placed on local days: the per-day totals that the budget's
// status, forecast and anomalies are computed from.
type ledger struct {
	first   int64    // day number of days[0]
	days    []int64  // total minor units per day, from first to today
	marked  []uint64 // a bit per day of days: whether it has a record
	today   int64
	minDay  int64 // earliest day with a record; maxDay+1 when there is none
	maxDay  int64 // latest day with a record, at most today; first-1 when none
	lastEnd int   // hours of maxDay covered: 24 if it has a daily record

	// Totals of earlier periods, for auto-adjustment: period i runs from
	// day number starts[i] to starts[i+1].
	starts [25]int64
	totals [24]int64
	seen   [24]bool
	nPrev  int
}

// has reports whether any record was placed on a day.
func (l *ledger) has() bool { return l.minDay <= l.maxDay }

// day returns the total of day number d, which must be in range.
func (l *ledger) day(d int64) int64 { return l.days[d-l.first] }

// recorded reports whether day number d, which must be in range, has a
// record.
func (l *ledger) recorded(d int64) bool {
	i := d - l.first
	return l.marked[i/64]&(1<<(i%64)) != 0
}

// place validates and deduplicates records and adds the ones known at now to
// the ledger, which must have first, days, marked, today and the period
// starts set, and nothing placed yet.
//
// Most feeds list each id once, in increasing order, and ids that only
// increase cannot repeat, so records are added as they are checked. From
// the first id that does not follow the one before, a map from id to the
// record that counts for it finds resends and corrections; the totals are
// then rebuilt from the records that count. Records received after now take
// no part.
func (l *ledger) place(b *Budget, z *zones, records []Record, now time.Time) error {
	cur := b.Amount.Currency()
	l.minDay, l.maxDay, l.lastEnd = l.today+1, l.first-1, 0
	again := false // whether the totals must be rebuilt from the records that count
	last := ""     // the id of the last record added; ids are never empty
	for i := range records {
		r := &records[i]
		if err := checkRecord(r, cur); err != nil {
			return fmt.Errorf("budget %q: record %d (%q): %w", b.ID, i, r.ID, err)
		}
		if !r.Received.IsZero() && r.Received.After(now) {
			continue
		}
		if r.ID <= last {
			return l.placeUnordered(b, z, records, now, i)
		}
		last = r.ID
		if !again && l.add(z, r, now) != nil {
			again = true
		}
	}
	if !again {
		return nil
	}
	return l.replace(b, z, records, now, func(int) bool { return true })
}

// placeUnordered is place from records[from], the first record whose id
// does not follow the one before; every earlier record has been checked.
func (l *ledger) placeUnordered(b *Budget, z *zones, records []Record, now time.Time, from int) error {
	cur := b.Amount.Currency()
	counts := make(map[string]int, len(records)) // id -> index of the record that counts
	for i := range records {
		r := &records[i]
		if i > from {
			if err := checkRecord(r, cur); err != nil {
				return fmt.Errorf("budget %q: record %d (%q): %w", b.ID, i, r.ID, err)
			}
		}
		if !r.Received.IsZero() && r.Received.After(now) {
			continue
		}
		j, seen := counts[r.ID]
		if !seen {
			counts[r.ID] = i
			continue
		}
		o := &records[j]
		switch {
		case r.Revision > o.Revision:
			counts[r.ID] = i
		case r.Revision < o.Revision || sameRecord(r, o):
		default:
			return fmt.Errorf("%w: budget %q: records %d and %d have id %q and revision %d but differ; a correction needs a higher revision",
				ErrConflictingRecords, b.ID, j, i, r.ID, r.Revision)
		}
	}
	return l.replace(b, z, records, now, func(i int) bool { return counts[records[i].ID] == i })
}

// replace clears the ledger and adds again the records that count: those
// received by now for which counts reports true.
func (l *ledger) replace(b *Budget, z *zones, records []Record, now time.Time, counts func(int) bool) error {
	l.reset()
	for i := range records {
		r := &records[i]
		if !r.Received.IsZero() && r.Received.After(now) || !counts(i) {
			continue
		}
		if err := l.add(z, r, now); err != nil {
			return fmt.Errorf("%w: budget %q: %s with record %q", risk.ErrOverflow, b.ID, err.where, r.ID)
		}
	}
	return nil
}

// reset clears what place adds.
func (l *ledger) reset() {
	clear(l.days)
	clear(l.marked)
	l.totals, l.seen = [24]int64{}, [24]bool{}
	l.minDay, l.maxDay, l.lastEnd = l.today+1, l.first-1, 0
}

// overflowAt says which total overflowed; it is an error only to the
// caller, which names the budget and the record.
type overflowAt struct{ where string }

// add adds one record to the ledger, unless it is for after now.
func (l *ledger) add(z *zones, r *Record, now time.Time) *overflowAt {
	var d int64
	end := 24
	if r.Day.IsZero() {
		if !r.Hour.Before(now) {
			return nil
		}
		var h int
		d, h = z.Place(r.Hour)
		end = h + 1
	} else {
		d = dayNum(r.Day)
	}
	if d > l.today {
		return nil
	}
	if d < l.minDay {
		l.minDay = d
	}
	switch {
	case d > l.maxDay:
		l.maxDay, l.lastEnd = d, end
	case d == l.maxDay:
		l.lastEnd = max(l.lastEnd, end)
	}
	amt := r.Amount.Minor()
	if d >= l.first {
		i := d - l.first
		s, ok := checked.Add(l.days[i], amt)
		if !ok {
			return &overflowAt{"spend on " + dateOfDayNum(d).String()}
		}
		l.days[i] = s
		l.marked[i/64] |= 1 << (i % 64)
	}
	if l.nPrev > 0 && d >= l.starts[0] && d < l.starts[l.nPrev] {
		p := l.nPrev - 1
		for d < l.starts[p] {
			p--
		}
		s, ok := checked.Add(l.totals[p], amt)
		if !ok {
			return &overflowAt{"spend of the period from " + dateOfDayNum(l.starts[p]).String()}
		}
		l.totals[p], l.seen[p] = s, true
	}
	return nil
}

// checkRecord returns why r cannot be counted in a budget in currency cur.
func checkRecord(r *Record, cur string) error {
	switch {
	case r.ID == "":
		return fmt.Errorf("%w: missing id", ErrInvalidRecord)
	case text.CheckID(r.ID) != "":
		return fmt.Errorf("%w: id %s", ErrInvalidRecord, text.CheckID(r.ID))
	case r.Amount.IsZero():
		return fmt.Errorf("%w: missing amount", ErrInvalidRecord)
	case r.Amount.Currency() != cur:
		return fmt.Errorf("%w: amount %v is not in the budget's currency %s", risk.ErrCurrencyMismatch, r.Amount, cur)
	case r.Day.IsZero() == r.Hour.IsZero():
		return fmt.Errorf("%w: set exactly one of day and hour", ErrInvalidRecord)
	}
	return nil
}

// sameRecord reports whether two records with one id and revision say the
// same thing, so that the second is a resend rather than a conflict.
func sameRecord(a, b *Record) bool {
	return a.Day == b.Day && a.Hour.Equal(b.Hour) && a.Amount == b.Amount
}
