package budget

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/riskkit/riskkit/risk"
)

func TestNewTracker(t *testing.T) {
	b := validBudget()
	b.TimeZone = ""
	b.Thresholds = []Threshold{{Percent: 8000}}
	tr, err := NewTracker(b, nil)
	if err != nil {
		t.Fatal(err)
	}
	b.Thresholds[0].Percent = 9000
	if got := tr.Budget().Thresholds[0].Percent; got != 8000 {
		t.Errorf("the tracker shares its thresholds with the caller's budget: %v", got)
	}
	tr.Budget().Thresholds[0].Percent = 7000
	if got := tr.Budget().Thresholds[0].Percent; got != 8000 {
		t.Errorf("Budget shares the tracker's thresholds: %v", got)
	}
	if tr.Location() != time.UTC {
		t.Errorf("Location = %v, want UTC for no time zone", tr.Location())
	}

	bad := validBudget()
	bad.Amount = usd("-1.00")
	var de *risk.DocumentError
	if _, err := NewTracker(bad, nil); !errors.As(err, &de) || !errors.Is(err, ErrInvalidBudget) {
		t.Errorf("invalid budget: %v, want a *risk.DocumentError wrapping ErrInvalidBudget", err)
	}
	if _, err := NewTracker(validBudget(), time.UTC); !errors.Is(err, ErrWrongLocation) {
		t.Errorf("wrong location: %v", err)
	}

	var nilT *Tracker
	if _, err := nilT.Evaluate(State{}, nil, time.Now()); err == nil {
		t.Error("a nil Tracker evaluates")
	}
	if _, err := nilT.Window(time.Now()); err == nil {
		t.Error("a nil Tracker has windows")
	}
	if nilT.Location() != nil || nilT.Budget().ID != "" {
		t.Error("a nil Tracker has a budget")
	}
}

// TestEvaluateFarFuture checks that an instant past the year 9999 is an
// error, where it used to panic allocating the days up to it or silently
// clamp the period to the last representable day.
func TestEvaluateFarFuture(t *testing.T) {
	b := validBudget()
	b.TimeZone = ""
	tr := tracker(t, b)
	for _, now := range []time.Time{
		time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(20000, 6, 1, 0, 0, 0, 0, time.UTC),
		time.Date(36812, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(292277026596, 12, 4, 15, 30, 7, 0, time.UTC),
		time.Date(0, 12, 31, 0, 0, 0, 0, time.UTC),
	} {
		if _, err := tr.Evaluate(State{}, nil, now); err == nil || !strings.Contains(err.Error(), "outside the years 0001 to 9999") {
			t.Errorf("Evaluate at %v: %v", now, err)
		}
		if _, err := tr.Window(now); err == nil {
			t.Errorf("Window at %v succeeded", now)
		}
	}
	for _, now := range []time.Time{time.Date(9999, 12, 1, 0, 0, 0, 0, time.UTC), time.Date(9999, 12, 31, 12, 0, 0, 0, time.UTC)} {
		if _, err := tr.Evaluate(State{}, nil, now); err == nil || !strings.Contains(err.Error(), "ends too late") {
			t.Errorf("Evaluate in the last month of 9999 at %v: %v", now, err)
		}
	}
	custom := b
	custom.Period, custom.Start, custom.End = Custom, day(9999, 12, 1), day(9999, 12, 31)
	if _, err := tracker(t, custom).Evaluate(State{}, nil, time.Date(9999, 12, 2, 0, 0, 0, 0, time.UTC)); err == nil || !strings.Contains(err.Error(), "ends too late") {
		t.Errorf("a custom period to 9999-12-31: %v", err)
	}
	r, err := tr.Evaluate(State{}, daily("r", day(9999, 11, 1), 100), time.Date(9999, 11, 30, 12, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatalf("November 9999: %v", err)
	}
	if r.Status.Period.End != day(9999, 11, 30) || r.Status.Spent != usd("1.00") {
		t.Errorf("November 9999: period %v, spent %v", r.Status.Period, r.Status.Spent)
	}
}

// TestNext checks that Result.Next is the first instant at which time
// alone changes the status: evaluating just before it gives the same status
// but for the instant, and evaluating at it changes something.
func TestNext(t *testing.T) {
	ny := loadLoc(t, "America/New_York")
	for _, tt := range []struct {
		name    string
		through Observation
		loc     *time.Location
		now     time.Time
		want    time.Time
	}{
		{"through now: the next hour", ThroughNow, time.UTC,
			time.Date(2026, 3, 10, 14, 20, 0, 0, time.UTC), time.Date(2026, 3, 10, 15, 0, 0, 0, time.UTC)},
		{"through now: the next local hour across a change of offset", ThroughNow, ny,
			time.Date(2026, 3, 8, 1, 30, 0, 0, ny), time.Date(2026, 3, 8, 3, 0, 0, 0, ny)},
		{"through now: the period ends first", ThroughNow, time.UTC,
			time.Date(2026, 3, 31, 23, 59, 0, 0, time.UTC), time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)},
		{"through the last record: the end of the period", ThroughLastRecord, ny,
			time.Date(2026, 3, 10, 14, 20, 0, 0, ny), time.Date(2026, 4, 1, 0, 0, 0, 0, ny)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			b := validBudget()
			b.TimeZone = tt.loc.String()
			b.ForecastThrough = tt.through
			b.Thresholds = []Threshold{{Percent: 10000, Basis: Forecasted}}
			tr, err := NewTracker(b, tt.loc)
			if err != nil {
				t.Fatal(err)
			}
			recs := daily("r", day(2026, 3, 1), 10000, 12000, 9000, 15000)
			r, err := tr.Evaluate(State{}, recs, tt.now)
			if err != nil {
				t.Fatal(err)
			}
			if !r.Next.Equal(tt.want) {
				t.Fatalf("Next = %v, want %v", r.Next, tt.want)
			}
			before, err := tr.Evaluate(State{}, recs, r.Next.Add(-time.Nanosecond))
			if err != nil {
				t.Fatal(err)
			}
			before.Status.At = r.Status.At
			if diff := cmp.Diff(r.Status, before.Status, dateMoneyEq); diff != "" {
				t.Errorf("time alone changed the status before Next (-at now +just before Next):\n%s", diff)
			}
			at, err := tr.Evaluate(State{}, recs, r.Next)
			if err != nil {
				t.Fatal(err)
			}
			at.Status.At = r.Status.At
			if cmp.Equal(r.Status, at.Status, dateMoneyEq) {
				t.Error("nothing changed at Next")
			}
		})
	}
}

var dateMoneyEq = cmpopts.EquateComparable(risk.Money{}, risk.Date{})

func loadLoc(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Skipf("time zone %s not available: %v", name, err)
	}
	return loc
}
