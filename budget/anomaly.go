package budget

import (
	"fmt"
	"math"
	"slices"

	"github.com/riskkit/riskkit/risk"
)

// Anomaly is a day whose spend is far from what the customer's trailing
// history led to expect.
//
// The expectation is robust: it is the median of the last seven days, or,
// when the history shows a weekly pattern (spend changes less on average
// from one week to the next than from one day to the next), the median of the same
// weekday in the last two to four weeks. A single outlier in the history
// therefore moves it little, except that with only two weeks of history the
// weekday's expectation is the mean of two days. The score divides the impact by the customer's usual volatility,
// measured as the median absolute change from one day to the next (or from
// one week to the next, with a weekly pattern), scaled to a standard
// deviation. Steady spend therefore has a small volatility, and a small jump
// on it scores high. The volatility is taken to be at least one minor unit
// and at least 0.1% of the expectation, so perfectly flat spend does not
// make every cent an anomaly.
//
// A day is scored only with at least 14 days of history since the
// customer's first spend record, and against at most the last 28.
type Anomaly struct {
	// Key is the anomaly's idempotency key: the budget, "anomaly" and the
	// day, as in "acme/anomaly/2026-03-14".
	Key      string     `json:"key"`
	BudgetID string     `json:"budget_id"`
	Day      Date       `json:"day"`
	Expected risk.Money `json:"expected"`
	Actual   risk.Money `json:"actual"`
	// Impact is Actual minus Expected: positive for a spike, negative for a
	// drop.
	Impact risk.Money `json:"impact"`
	// Score is Impact in robust standard deviations of the usual
	// volatility, rounded to two decimals.
	Score float64 `json:"score"`
	// Weekly reports whether the expectation came from the same weekday of
	// earlier weeks rather than the last seven days.
	Weekly bool `json:"weekly,omitzero"`
}

// anomalies checks the complete days not checked before, at most the last
// anomalyCatchUp of them, and adds the anomalies it finds to st.
func (b *Budget) anomalies(st *Status, next *State, l *ledger, money minter) error {
	last := l.maxDay
	if l.lastEnd < 24 {
		last--
	}
	from := last - anomalyCatchUp + 1
	if !next.CheckedThrough.IsZero() {
		from = max(from, next.CheckedThrough.dayNum()+1)
	}
	if last < from {
		return nil
	}
	minScore := b.Anomalies.MinScore
	if minScore == 0 {
		minScore = DefaultMinScore
	}
	minImpact := b.Anomalies.MinImpact.Minor()
	for d := from; d <= last; d++ {
		a, ok, err := l.anomalyAt(d)
		if err != nil {
			return fmt.Errorf("budget %q: anomaly: %w", b.ID, err)
		}
		if !ok || math.Abs(a.score) < minScore || absU(a.impact) < uint64(minImpact) {
			continue
		}
		day := dateOfDayNum(d)
		st.Anomalies = append(st.Anomalies, Anomaly{
			Key:      anomalyKey(b.ID, day),
			BudgetID: b.ID,
			Day:      day,
			Expected: money.of(a.expected),
			Actual:   money.of(a.actual),
			Impact:   money.of(a.impact),
			Score:    a.score,
			Weekly:   a.weekly,
		})
	}
	next.CheckedThrough = dateOfDayNum(last)
	return nil
}

type dayScore struct {
	expected, actual, impact int64
	score                    float64
	weekly                   bool
}

// anomalyAt scores day d against its history, and reports false when there
// is not enough history.
func (l *ledger) anomalyAt(d int64) (dayScore, bool, error) {
	hs := max(d-anomalyWindow, l.minDay, l.first)
	n := int(d - hs)
	if n < anomalyMinDays || d > l.today {
		return dayScore{}, false, nil
	}
	h := l.days[hs-l.first : d-l.first]
	var s dayScore
	s.actual = l.day(d)

	lo, hi := medianPair(h[n-7:])
	// The model is chosen by the mean change, which sees a pattern that
	// moves two days of seven; the score's scale is the median change, which
	// an outlier does not inflate.
	spread, dayMean := medianChange(h, 1)
	{
		if weekly, weekMean := medianChange(h, 7); weekMean < dayMean {
			var same [4]int64
			k := 0
			for back := 7; back <= n; back += 7 {
				same[k] = h[n-back]
				k++
			}
			lo, hi = medianPair(same[:k])
			spread, s.weekly = weekly, true
		}
	}
	mid, ok := i128of(lo).add(i128of(hi))
	if !ok {
		return dayScore{}, false, risk.ErrOverflow
	}
	s.expected, _ = mid.quo(2) // the mean of two int64s fits
	impact, ok := add64(s.actual, -s.expected)
	if !ok || s.expected == math.MinInt64 {
		return dayScore{}, false, fmt.Errorf("%w: spend on %v minus expected", risk.ErrOverflow, dateOfDayNum(d))
	}
	s.impact = impact
	// 1.4826 turns a median absolute deviation into a standard deviation
	// for normal noise, and a change between two days has √2 times the
	// deviation of one day.
	sigma := 1.4826 * spread / math.Sqrt2
	sigma = max(sigma, 1, math.Abs(float64(s.expected))/1000)
	s.score = math.Round(float64(s.impact)/sigma*100) / 100
	return s, true, nil
}

// medianPair returns the middle value of v, twice when len(v) is odd, or its
// two middle values. v is not modified.
func medianPair(v []int64) (int64, int64) {
	var buf [anomalyWindow]int64
	c := buf[:len(v)]
	copy(c, v)
	slices.Sort(c)
	m := len(c) / 2
	if len(c)%2 == 1 {
		return c[m], c[m]
	}
	return c[m-1], c[m]
}

// medianChange returns the median and the mean absolute difference between
// values lag days apart.
func medianChange(v []int64, lag int) (median, mean float64) {
	var buf [anomalyWindow]uint64
	c := buf[:0]
	for i := lag; i < len(v); i++ {
		// The magnitude of a difference of two int64s always fits in a
		// uint64, and wrapping subtraction computes it exactly.
		a, b := v[i], v[i-lag]
		if a < b {
			a, b = b, a
		}
		c = append(c, uint64(a)-uint64(b))
		mean += float64(uint64(a) - uint64(b))
	}
	if len(c) == 0 {
		return 0, 0
	}
	mean /= float64(len(c))
	slices.Sort(c)
	m := len(c) / 2
	if len(c)%2 == 1 {
		return float64(c[m]), mean
	}
	return (float64(c[m-1]) + float64(c[m])) / 2, mean
}

func anomalyKey(id string, day Date) string {
	var buf [160]byte
	k := append(buf[:0], id...)
	k = append(k, "/anomaly/"...)
	k = day.appendText(k)
	return string(k)
}
