package budget

import (
	"errors"
	"fmt"
	"github.com/riskkit/riskkit/internal/calendar"
	"slices"
	"time"

	"github.com/riskkit/riskkit/risk"
)

// Tracker is a [Budget] checked once and bound to its time zone, ready to
// evaluate spend against it. It is immutable and safe for concurrent use;
// build one with [NewTracker] for each budget and keep it while the budget
// does not change.
type Tracker struct {
	b   Budget
	loc *time.Location
}

// NewTracker validates b as [Budget.Validate] does and binds it to loc,
// which must be the location named by b.TimeZone (nil means UTC; the host
// loads zones, as in time.LoadLocation(b.TimeZone)). The error is a
// *[risk.DocumentError] wrapping [ErrInvalidBudget] for an invalid budget,
// or wraps [ErrWrongLocation]. The Tracker keeps a copy of b: changing b
// afterwards changes nothing.
func NewTracker(b Budget, loc *time.Location) (*Tracker, error) {
	b.Thresholds = slices.Clone(b.Thresholds)
	if err := b.Validate(); err != nil {
		return nil, err
	}
	loc, err := b.location(loc)
	if err != nil {
		return nil, err
	}
	return &Tracker{b: b, loc: loc}, nil
}

// Budget returns a copy of the budget t tracks.
func (t *Tracker) Budget() Budget {
	if t == nil {
		return Budget{}
	}
	b := t.b
	b.Thresholds = slices.Clone(b.Thresholds)
	return b
}

// Location returns the budget's time zone.
func (t *Tracker) Location() *time.Location {
	if t == nil {
		return nil
	}
	return t.loc
}

// Result is one evaluation of a budget: its status, the state to store,
// and when time alone would change the status.
type Result struct {
	// Status is where the budget stands at the instant evaluated, with the
	// alerts and anomalies found new.
	Status Status `json:"status"`
	// State is the new state: store it, and pass it back as prev with the
	// next evaluation.
	State State `json:"state"`
	// Next is the earliest instant at which evaluating again with no new
	// records may change the status: the end of the period, or, when the
	// forecast observes the period through now ([ThroughNow]), the start of
	// the next hour on the budget's wall clock, if sooner, since every hour
	// that passes without records is observed as an hour without spend and
	// moves the forecast. (In the hour a clock set back repeats, the
	// status changes only when the repeat ends.) When the period is the
	// budget's last, evaluating at Next is [ErrNotInEffect].
	Next time.Time `json:"next"`
}

var errNilTracker = errors.New("budget: nil *Tracker; make one with NewTracker")

// Evaluate computes the budget's status at now from the state its previous
// evaluation returned and spend records, and returns the status, the new
// state to store and the instant to evaluate again ([Result.Next]). Records may
// come in any order and may include any history: a record counts towards
// the period it falls in, earlier records feed the forecast's trend, the
// anomaly history and the auto-adjusted amount, and records for the future
// or received after now are ignored. See [Record] for duplicates and
// corrections.
//
// Alerts follow the threshold's basis. An actual-spend threshold fires once
// per period, the first time spend meets it, and not again in that period
// even if a credit takes spend back below. A forecast threshold fires when
// the forecast meets it after not meeting it, so it may fire again in a
// period after the forecast has fallen back below; a forecast threshold
// never fires, and keeps its state, while there is no forecast. Evaluating
// again with the same records, the returned state and the same now emits
// nothing new, and each alert's [Alert.Key] is unique to its firing.
//
// Errors wrap [ErrWrongState],
// [ErrNotInEffect], [ErrInvalidRecord], [ErrConflictingRecords],
// [risk.ErrCurrencyMismatch] for a record in another currency, or
// [risk.ErrOverflow] when a total or forecast does not fit in int64 minor
// units; a now outside the years 1 to 9999 in the budget's time zone is an
// error too.
//
// Evaluate allocates only for the alerts and anomalies it returns and a
// changed state, for records whose ids are not in increasing order (a map
// finds their resends and corrections), or for periods longer than a
// quarter.
func (t *Tracker) Evaluate(prev State, records []Record, now time.Time) (Result, error) {
	if t == nil {
		return Result{}, errNilTracker
	}
	if err := t.inRange(now); err != nil {
		return Result{}, err
	}
	var r Result
	next, err := t.b.evaluate(&r.Status, t.loc, records, prev, now)
	if err != nil {
		return Result{}, err
	}
	r.State = next
	r.Next = r.Status.Period.EndsAt
	if t.b.ForecastThrough == ThroughNow {
		// The next hour by the wall clock's offset now: where the offset
		// changes at it, as it does at the hours daylight saving time
		// skips, this is still the instant the local hour changes.
		_, off := now.In(t.loc).Zone()
		wall := now.Unix() + int64(off)
		if h := time.Unix((calendar.FloorDiv(wall, 3600)+1)*3600-int64(off), 0).In(t.loc); h.Before(r.Next) {
			r.Next = h
		}
	}
	return r, nil
}

// Window returns the period of the budget that contains at. The error
// wraps [ErrNotInEffect] when at is before the budget's start or after its
// end.
func (t *Tracker) Window(at time.Time) (Window, error) {
	if t == nil {
		return Window{}, errNilTracker
	}
	if err := t.inRange(at); err != nil {
		return Window{}, err
	}
	z := newZones(t.loc)
	return t.b.periodAt(risk.DateOf(at, t.loc), &z)
}

// inRange refuses an instant whose local day is outside the years 1 to
// 9999, where calendar days and periods cannot be counted.
func (t *Tracker) inRange(at time.Time) error {
	if y := at.In(t.loc).Year(); y < 1 || y > 9999 {
		return fmt.Errorf("budget: %q: %s is outside the years 0001 to 9999", t.b.ID, at.Format(time.RFC3339))
	}
	return nil
}
