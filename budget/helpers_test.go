package budget

import (
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/riskkit/riskkit/risk"
	_ "time/tzdata" // tests name real zones; the package itself loads none
)

// moneyEq compares amounts with ==, which is exact for Money.
var moneyEq = cmpopts.EquateComparable(risk.Money{})

func usd(s string) risk.Money { return risk.MustMoney(s + " USD") }

// day returns the given day; a test never names one that does not exist.
func day(y int, m time.Month, d int) risk.Date {
	v, err := risk.NewDate(y, m, d)
	if err != nil {
		panic(err)
	}
	return v
}

func mustLoad(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// daily returns one record per day from start, with the given amounts in
// USD minor units and ids prefixed by prefix.
func daily(prefix string, start risk.Date, minor ...int64) []Record {
	recs := make([]Record, len(minor))
	for i, m := range minor {
		d := start.AddDays(i)
		amt, err := risk.NewMoney(m, "USD")
		if err != nil {
			panic(err)
		}
		recs[i] = Record{ID: fmt.Sprintf("%s-%v", prefix, d), Day: d, Amount: amt}
	}
	return recs
}

// repeat returns n copies of v.
func repeat(v int64, n int) []int64 {
	out := make([]int64, n)
	for i := range out {
		out[i] = v
	}
	return out
}

// endOf returns the instant just before midnight at the end of d in loc,
// when a host evaluating once a day would run.
func endOf(d risk.Date, loc *time.Location) time.Time {
	return d.AddDays(1).Start(loc).Add(-time.Minute)
}

func alertKeys(st Status) []string {
	var keys []string
	for _, a := range st.Alerts {
		keys = append(keys, a.Key)
	}
	return keys
}

func monthly(id, amount string, th ...Threshold) *Budget {
	return &Budget{ID: id, Amount: usd(amount), Start: day(2026, time.January, 1), Thresholds: th}
}

// evaluate tracks b in loc and evaluates it, returning the status and the
// state, or prev and the error of NewTracker or Evaluate.
func evaluate(b *Budget, loc *time.Location, records []Record, prev State, now time.Time) (Status, State, error) {
	t, err := NewTracker(*b, loc)
	if err != nil {
		return Status{}, prev, err
	}
	r, err := t.Evaluate(prev, records, now)
	if err != nil {
		return Status{}, prev, err
	}
	return r.Status, r.State, nil
}

// window tracks b in loc and returns its window at t.
func window(b *Budget, loc *time.Location, t time.Time) (Window, error) {
	tr, err := NewTracker(*b, loc)
	if err != nil {
		return Window{}, err
	}
	return tr.Window(t)
}

// tracker tracks b in UTC, failing the test when it cannot.
func tracker(t testing.TB, b Budget) *Tracker {
	t.Helper()
	tr, err := NewTracker(b, nil)
	if err != nil {
		t.Fatalf("NewTracker: %v", err)
	}
	return tr
}
