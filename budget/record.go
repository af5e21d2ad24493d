package budget

import (
	"fmt"
	"math/bits"
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

// stackRecords is the number of records whose bookkeeping fits in arrays on
// the stack; more records cost a few allocations.
const stackRecords = 64

// place validates and deduplicates records and adds the ones known at now to
// the ledger, which must have first, days, marked, today and the period
// starts set, and nothing placed yet.
//
// Most feeds hold each id once, so records are added as they are checked;
// only when an id repeats, or a sum overflows before the duplicates are
// known, are the totals cleared and the winning records added again. Ids
// whose [idKey]s only increase cannot repeat, so the table of ids is built
// only from the first record whose key does not follow that of the last
// one added. Records received after now take no part: they are never
// added, so they prove nothing about the ids after them.
func (l *ledger) place(b *Budget, z *zones, records []Record, now time.Time) error {
	cur := b.Amount.Currency()
	var loserBuf [stackRecords / 64]uint64
	losers := loserBuf[:]
	if n := (len(records) + 63) / 64; n > len(losers) {
		losers = make([]uint64, n)
	}
	l.minDay, l.maxDay, l.lastEnd = l.today+1, l.first-1, 0
	again := false // whether the totals must be rebuilt from the winners
	var last idKey // the key of the last record added; ids are never empty
	for i := range records {
		r := &records[i]
		if err := checkRecord(r, cur); err != nil {
			return fmt.Errorf("budget %q: record %d (%q): %w", b.ID, i, r.ID, err)
		}
		if !r.Received.IsZero() && r.Received.After(now) {
			losers[i/64] |= 1 << (i % 64)
			continue
		}
		k := keyOf(r.ID)
		if !last.less(k) {
			return l.placeUnordered(b, z, records, now, i, losers, again)
		}
		last = k
		if !again && l.add(z, r, now) != nil {
			again = true
		}
	}
	if !again {
		return nil
	}
	return l.replace(b, z, records, now, losers)
}

// placeUnordered continues place from records[from], the first record
// whose id's key does not follow that of the last record added, with every
// earlier record checked and, unless marked in losers, added.
func (l *ledger) placeUnordered(b *Budget, z *zones, records []Record, now time.Time, from int, losers []uint64, again bool) error {
	cur := b.Amount.Currency()
	// An open-addressing table from a record id to the index of the record
	// that counts for it, with the id's hash beside each slot so that most
	// collisions are told apart without comparing ids, and a bit per
	// record that is superseded or a duplicate.
	var slotBuf [2 * stackRecords]int32
	var tagBuf [2 * stackRecords]uint32
	size := 16
	for size < 2*len(records) {
		size *= 2
	}
	var slots []int32
	var tags []uint32
	if size <= len(slotBuf) {
		slots, tags = slotBuf[:size], tagBuf[:size]
	} else {
		slots, tags = make([]int32, size), make([]uint32, size)
	}
	mask := uint32(size - 1)

	// The records before from have distinct ids: each only takes a slot.
	for i := range from {
		if losers[i/64]&(1<<(i%64)) != 0 {
			continue
		}
		tag := idHash(records[i].ID)
		h := tag & mask
		for slots[h] != 0 {
			h = (h + 1) & mask
		}
		slots[h], tags[h] = int32(i+1), tag
	}
	for i := from; i < len(records); i++ {
		r := &records[i]
		if i > from {
			if err := checkRecord(r, cur); err != nil {
				return fmt.Errorf("budget %q: record %d (%q): %w", b.ID, i, r.ID, err)
			}
			if !r.Received.IsZero() && r.Received.After(now) {
				losers[i/64] |= 1 << (i % 64)
				continue
			}
		}
		tag := idHash(r.ID)
		h := tag & mask
		for {
			j := slots[h] - 1
			if j < 0 {
				slots[h], tags[h] = int32(i+1), tag
				if !again && l.add(z, r, now) != nil {
					again = true
				}
				break
			}
			o := &records[j]
			if tags[h] != tag || o.ID != r.ID {
				h = (h + 1) & mask
				continue
			}
			again = true
			switch {
			case r.Revision > o.Revision:
				losers[j/64] |= 1 << (j % 64)
				slots[h] = int32(i + 1)
			case r.Revision < o.Revision || sameRecord(r, o):
				losers[i/64] |= 1 << (i % 64)
			default:
				return fmt.Errorf("%w: budget %q: records %d and %d have id %q and revision %d but differ; a correction needs a higher revision",
					ErrConflictingRecords, b.ID, j, i, r.ID, r.Revision)
			}
			break
		}
	}
	if !again {
		return nil
	}
	return l.replace(b, z, records, now, losers)
}

// replace clears the ledger and adds again the records that count: those
// not marked in losers.
func (l *ledger) replace(b *Budget, z *zones, records []Record, now time.Time, losers []uint64) error {
	l.reset()
	for i := range records {
		if losers[i/64]&(1<<(i%64)) != 0 {
			continue
		}
		if err := l.add(z, &records[i], now); err != nil {
			return fmt.Errorf("%w: budget %q: %s with record %q", risk.ErrOverflow, b.ID, err.where, records[i].ID)
		}
	}
	return nil
}

// idKey is a cheap stand-in for an id when proving that ids do not repeat:
// its length and its last eight bytes (all of it, when shorter) read as a
// big-endian number. Equal ids have equal keys, so ids whose keys only
// increase are all different. Keys are not the order of strings, but feeds
// that number or date their records at the end of the id, as in
// "usage-2026-03-01", list them in increasing keys when they list them in
// order; comparing two numbers costs less than comparing two strings.
type idKey struct {
	n    int
	tail uint64
}

func keyOf(id string) idKey {
	k := idKey{n: len(id)}
	if len(id) >= 8 {
		t := id[len(id)-8:]
		// The compiler turns these eight byte loads into one.
		k.tail = uint64(t[0])<<56 | uint64(t[1])<<48 | uint64(t[2])<<40 | uint64(t[3])<<32 |
			uint64(t[4])<<24 | uint64(t[5])<<16 | uint64(t[6])<<8 | uint64(t[7])
		return k
	}
	for i := range len(id) {
		k.tail = k.tail<<8 | uint64(id[i])
	}
	return k
}

// less reports whether a orders before b: by length, then by tail.
func (a idKey) less(b idKey) bool {
	return a.n < b.n || a.n == b.n && a.tail < b.tail
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
		d, h = z.place(r.Hour)
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
	case r.Amount.IsZero():
		return fmt.Errorf("%w: missing amount", ErrInvalidRecord)
	case !sameCode(r.Amount.Currency(), cur):
		return fmt.Errorf("%w: amount %v is not in the budget's currency %s", risk.ErrCurrencyMismatch, r.Amount, cur)
	case r.Day.IsZero() == r.Hour.IsZero():
		return fmt.Errorf("%w: set exactly one of day and hour", ErrInvalidRecord)
	}
	return nil
}

// sameCode reports whether two currency codes are equal, comparing the
// three letters of an ISO 4217 code in place rather than calling the
// runtime's string comparison once per record.
func sameCode(a, b string) bool {
	if len(a) == 3 && len(b) == 3 {
		return a[0] == b[0] && a[1] == b[1] && a[2] == b[2]
	}
	return a == b
}

// sameRecord reports whether two records with one id and revision say the
// same thing, so that the second is a resend rather than a conflict.
func sameRecord(a, b *Record) bool {
	return a.Day == b.Day && a.Hour.Equal(b.Hour) && a.Amount == b.Amount
}

// idHash spreads ids over the table. It reads eight bytes at a time, as
// ids are often long and alike (a prefix and a date), and it is fixed rather
// than seeded so that evaluation stays deterministic; a crafted set of
// colliding ids costs time, never a wrong total, since slots compare ids.
func idHash(s string) uint32 {
	const m = 0x9E3779B97F4A7C15
	h := uint64(len(s)) * m
	for ; len(s) >= 8; s = s[8:] {
		// The compiler turns these eight byte loads into one.
		w := uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
			uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
		h = bits.RotateLeft64((h^w)*m, 29)
	}
	var tail uint64
	for i := range len(s) {
		tail |= uint64(s[i]) << (8 * i)
	}
	h = (h ^ tail) * m
	return uint32(h>>32) ^ uint32(h)
}
