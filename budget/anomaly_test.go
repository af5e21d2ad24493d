package budget

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/riskkit/riskkit/risk"
)

func TestAnomalies(t *testing.T) {
	start := day(2026, 3, 2) // a Monday
	// weekly is five weekdays of 100.00 and a weekend of 20.00, from a Monday.
	weekly := func(weeks int) []int64 {
		var v []int64
		for range weeks {
			v = append(v, 10000, 10000, 10000, 10000, 10000, 2000, 2000)
		}
		return v
	}
	noisy := []int64{8000, 12000, 9000, 11500, 8500, 12500, 10000, 9500, 11000, 8000, 12000, 9000, 10500, 11500, 9500, 10000}
	withHistory := func(history []int64, last ...int64) []int64 { return append(append([]int64(nil), history...), last...) }
	type got struct {
		Day                      risk.Date
		Expected, Actual, Impact risk.Money
		Weekly                   bool
	}
	tests := []struct {
		name, reason string
		settings     AnomalySettings
		spend        []int64
		want         []got
	}{{
		name:   "a small jump on steady spend",
		reason: "steady spend has little volatility, so 3% more is unusual",
		spend:  withHistory(repeat(10000, 20), 10300),
		want:   []got{{start.AddDays(20), usd("100.00"), usd("103.00"), usd("3.00"), false}},
	}, {
		name:   "the same jump on noisy spend",
		reason: "on spend that swings by 20% a day, 3% is ordinary",
		spend:  withHistory(noisy, 10300),
	}, {
		name:   "a big jump on noisy spend",
		reason: "noise does not hide a tripling",
		spend:  withHistory(noisy, 30000),
		want:   []got{{start.AddDays(16), usd("85.00"), usd("300.00"), usd("215.00"), true}},
	}, {
		name:   "a drop",
		reason: "spend that stops is reported too, with a negative impact",
		spend:  withHistory(repeat(10000, 20), 1000),
		want:   []got{{start.AddDays(20), usd("100.00"), usd("10.00"), usd("-90.00"), false}},
	}, {
		name:   "not before 14 days of history",
		reason: "too little history to know what is usual",
		spend:  withHistory(repeat(10000, 13), 50000),
	}, {
		name:   "from 14 days of history",
		reason: "the fifteenth day is the first that can be an anomaly",
		spend:  withHistory(repeat(10000, 14), 50000),
		want:   []got{{start.AddDays(14), usd("100.00"), usd("500.00"), usd("400.00"), false}},
	}, {
		name:   "weekends are not anomalies",
		reason: "with two weeks of a weekly pattern quiet weekends are expected",
		spend:  withHistory(weekly(4)),
	}, {
		name:   "a busy Saturday is",
		reason: "the weekly pattern expects 20.00 on a Saturday",
		spend:  withHistory(weekly(3), 10000, 10000, 10000, 10000, 10000, 10000),
		want:   []got{{start.AddDays(26), usd("20.00"), usd("100.00"), usd("80.00"), true}},
	}, {
		name:   "a busy Saturday after two weeks",
		reason: "two weeks are enough to see the weekly pattern",
		spend:  withHistory(weekly(2), 10000, 10000, 10000, 10000, 10000, 10000),
		want:   []got{{start.AddDays(19), usd("20.00"), usd("100.00"), usd("80.00"), true}},
	}, {
		name:   "an outlier in the history does not hide the next one",
		reason: "medians are not pulled by one spike",
		spend:  withHistory(append(repeat(10000, 14), append([]int64{90000}, repeat(10000, 5)...)...), 10500),
		want: []got{
			{start.AddDays(14), usd("100.00"), usd("900.00"), usd("800.00"), false},
			{start.AddDays(20), usd("100.00"), usd("105.00"), usd("5.00"), false},
		},
	}, {
		name:     "minimum impact",
		reason:   "a 3.00 jump is below a 5.00 minimum impact",
		settings: AnomalySettings{MinImpact: usd("5.00")},
		spend:    withHistory(repeat(10000, 20), 10300),
	}, {
		name:     "minimum score",
		reason:   "a higher minimum score leaves out a milder jump",
		settings: AnomalySettings{MinScore: 50},
		spend:    withHistory(repeat(10000, 20), 10300),
	}, {
		name:     "disabled",
		reason:   "detection can be turned off",
		settings: AnomalySettings{Disabled: true},
		spend:    withHistory(repeat(10000, 20), 50000),
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := &Budget{ID: "b", Amount: usd("100000.00"), Start: day(2026, 1, 1), Anomalies: tt.settings}
			recs := daily("r", start, tt.spend...)
			st, _, err := evaluate(b, nil, recs, State{}, endOf(start.AddDays(len(tt.spend)-1), time.UTC))
			if err != nil {
				t.Fatal(err)
			}
			var gotList []got
			for _, a := range st.Anomalies {
				gotList = append(gotList, got{a.Day, a.Expected, a.Actual, a.Impact, a.Weekly})
				if a.Key != "b/anomaly/"+a.Day.String() {
					t.Errorf("key %q", a.Key)
				}
				if a.Score*float64(a.Impact.Sign()) < DefaultMinScore {
					t.Errorf("%v: score %v does not match impact %v", a.Day, a.Score, a.Impact)
				}
			}
			if diff := cmp.Diff(tt.want, gotList, moneyEq); diff != "" {
				t.Errorf("anomalies (-want +got):\n%s%s", diff, tt.reason)
			}
		})
	}
}

// TestAnomalySteps checks that each day is reported once, as evaluations
// move forward, and that late evaluations catch up on the days they missed.
func TestAnomalySteps(t *testing.T) {
	start := day(2026, 3, 2)
	spend := append(repeat(10000, 16), 40000, 10000, 10000, 45000, 10000)
	recs := daily("r", start, spend...)
	b := &Budget{ID: "b", Amount: usd("100000.00"), Start: day(2026, 1, 1)}
	steps := []struct {
		name string
		at   int // day index evaluated at the end of
		want []string
	}{
		{"t0: nothing unusual", 15, nil},
		{"t1: the spike", 16, []string{"b/anomaly/2026-03-18"}},
		{"t2: again the same day", 16, nil},
		{"t3: two days later, catching up on a second spike", 19, []string{"b/anomaly/2026-03-21"}},
		{"t4: a quiet day", 20, nil},
	}
	var state State
	for _, s := range steps {
		now := endOf(start.AddDays(s.at), time.UTC)
		var known []Record
		for _, r := range recs {
			if !r.Day.After(start.AddDays(s.at)) {
				known = append(known, r)
			}
		}
		st, next, err := evaluate(b, nil, known, state, now)
		if err != nil {
			t.Fatal(err)
		}
		var keys []string
		for _, a := range st.Anomalies {
			keys = append(keys, a.Key)
		}
		if diff := cmp.Diff(s.want, keys); diff != "" {
			t.Errorf("%s (-want +got):\n%s", s.name, diff)
		}
		state = next
	}
}

// TestChangesAtLeast checks the count that spares the daily median against
// the median itself: it never claims a median of at least x that is below
// x, and for an odd number of changes it is exact.
func TestChangesAtLeast(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for range 20000 {
		v := make([]int64, 1+r.IntN(anomalyWindow))
		for i := range v {
			v[i] = int64(r.IntN(1 + r.IntN(50)))
		}
		lag := []int{1, 7}[r.IntN(2)]
		x := float64(r.IntN(40)) / 2
		if r.IntN(5) == 0 {
			x = medianChange(v, 7) // the value Evaluate passes
		}
		med := medianChange(slices.Clone(v), lag)
		got := changesAtLeast(v, lag, x)
		if got && med < x {
			t.Fatalf("changesAtLeast(%v, %d, %v) = true, but the median is %v", v, lag, x, med)
		}
		if n := len(v) - lag; n > 0 && n%2 == 1 && got != (med >= x) {
			t.Fatalf("changesAtLeast(%v, %d, %v) = %v, but the median is %v", v, lag, x, got, med)
		}
	}
}
