package budget

import (
	"fmt"
	"math"
	"slices"

	"github.com/riskkit/riskkit/internal/checked"
	"github.com/riskkit/riskkit/risk"
)

// Anomaly is a day whose spend is far from what the customer's trailing
// history led to expect.
//
// The expectation is robust to outliers and follows weekly patterns. The
// history is cut into weeks ending the day before, so that each week starts
// on the weekday being scored. The expectation is the median of the last
// week, plus the weekday's usual offset: in each week, how far that
// weekday's spend stood from the week's median, taking the median over the
// weeks, and only when every week agrees on its direction. So a quiet
// weekend is expected once two weeks have shown it, a single outlier moves
// the expectation little (except that with two weeks of history the offset
// is the mean of two), and a lasting change of level is learned within
// four days.
//
// The score divides the impact by the customer's usual volatility: the
// median change in spend from one day to the next (or from one week to the
// next, when that is smaller), scaled to a standard deviation. Steady spend
// therefore has a small volatility, and a small jump on it scores high. The
// volatility is taken to be at least one minor unit and at least 0.1% of
// the expectation, so perfectly flat spend does not make every cent an
// anomaly.
//
// A day is scored only with at least 14 days of history since the
// customer's first spend record, against at most the last 28, and only if
// it has a spend record of its own: a day without records is missing data,
// not a drop to zero, so a source that reports idle days sends zero
// amounts. Each day is scored once, so a record that arrives after its day
// was scored is counted in the spend but not scored.
type Anomaly struct {
	// Key is the anomaly's idempotency key: the budget, "anomaly" and the
	// day, as in "acme/anomaly/2026-03-14".
	Key string `json:"key"`
	// BudgetID is the budget whose spend it is, and Day the day scored.
	BudgetID string    `json:"budget_id"`
	Day      risk.Date `json:"day"`
	// Expected is what the history led to expect of the day's spend, and
	// Actual what was spent.
	Expected risk.Money `json:"expected"`
	Actual   risk.Money `json:"actual"`
	// Impact is Actual minus Expected: positive for a spike, negative for a
	// drop.
	Impact risk.Money `json:"impact"`
	// Score is Impact in robust standard deviations of the usual
	// volatility, rounded to two decimals.
	Score float64 `json:"score"`
	// Weekly reports whether the expectation includes an offset for the
	// weekday, rather than being the median of the last seven days.
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
		from = max(from, dayNum(next.CheckedThrough)+1)
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
// is not enough history or no record for the day.
func (l *ledger) anomalyAt(d int64) (dayScore, bool, error) {
	hs := max(d-anomalyWindow, l.minDay, l.first)
	n := int(d - hs)
	if n < anomalyMinDays || d > l.today || !l.recorded(d) {
		return dayScore{}, false, nil
	}
	h := l.days[hs-l.first : d-l.first]
	var s dayScore
	s.actual = l.day(d)

	// The history is cut into weeks that end the day before d, so the
	// first day of each is the weekday of d. The level is the median of the
	// last week; the weekday's offset is how far its day stood from its
	// week's median, in the median week, kept only when every week agrees
	// on the direction.
	var lvl [2]int64
	var offsets [anomalyWindow / 7]i128
	weeks, above, below := 0, 0, 0
	for k := 1; 7*k <= n; k++ {
		week := h[n-7*k : n-7*k+7]
		lo := weekMedian(week)
		hi := lo // the two middle values of an odd count are one
		if k == 1 {
			lvl = [2]int64{lo, hi}
		}
		// Twice the offset, to stay whole with a median of an even count.
		o, ok1 := mul128(week[0], 2).add(i128of(lo).negate())
		o, ok2 := o.add(i128of(hi).negate())
		if !ok1 || !ok2 {
			return dayScore{}, false, risk.ErrOverflow
		}
		offsets[weeks] = o
		weeks++
		switch {
		case o.neg():
			below++
		case o != i128{}:
			above++
		}
	}
	exp2, ok := i128of(lvl[0]).add(i128of(lvl[1]))
	if !ok {
		return dayScore{}, false, risk.ErrOverflow
	}
	if above == weeks || below == weeks {
		off := offsets[:weeks]
		slices.SortFunc(off, i128.cmp)
		m := off[weeks/2]
		if weeks%2 == 0 {
			// The mean of the two middle offsets, each already doubled; the
			// halving is the one rounding of the expectation below.
			var sum i128
			sum, ok = off[weeks/2-1].add(m)
			if !ok {
				return dayScore{}, false, risk.ErrOverflow
			}
			if exp2, ok = exp2.mul(2); ok {
				exp2, ok = exp2.add(sum)
			}
			if !ok {
				return dayScore{}, false, risk.ErrOverflow
			}
			s.expected, ok = exp2.quo(4)
		} else {
			if exp2, ok = exp2.add(m); ok {
				s.expected, ok = exp2.quo(2)
			}
		}
		if !ok {
			return dayScore{}, false, fmt.Errorf("%w: expected spend on %v", risk.ErrOverflow, dateOfDayNum(d))
		}
		s.weekly = true
	} else {
		s.expected, _ = exp2.quo(2) // the mean of two int64s fits
	}
	impact, ok := checked.Add(s.actual, -s.expected)
	if !ok || s.expected == math.MinInt64 {
		return dayScore{}, false, fmt.Errorf("%w: spend on %v minus expected", risk.ErrOverflow, dateOfDayNum(d))
	}
	s.impact = impact
	// The usual volatility is the median change from one day to the next,
	// or from one week to the next if that is smaller, as it is when most
	// days of the week differ. 1.4826 turns a median absolute deviation into
	// a standard deviation for normal noise, and a change between two days
	// has √2 times the deviation of one day.
	//
	//
	// The weekly median is found first; the daily one is needed only when
	// it is smaller, which a count of the changes below it tells.
	spread := medianChange(h, 7)
	if !changesAtLeast(h, 1, spread) {
		spread = min(medianChange(h, 1), spread)
	}
	sigma := 1.4826 * spread / math.Sqrt2
	sigma = max(sigma, 1, math.Abs(float64(s.expected))/1000)
	s.score = math.Round(float64(s.impact)/sigma*100) / 100
	return s, true, nil
}

// weekMedian returns the middle value of a week of days, w[:7].
func weekMedian(week []int64) int64 {
	w := [7]int64(week)
	for i := 1; i < len(w); i++ { // insertion sort: seven values
		for j := i; j > 0 && w[j] < w[j-1]; j-- {
			w[j], w[j-1] = w[j-1], w[j]
		}
	}
	return w[3]
}

// medianChange returns the median absolute difference between values lag
// days apart.
func medianChange(v []int64, lag int) float64 {
	if len(v) <= lag {
		return math.Inf(1)
	}
	var buf [anomalyWindow]uint64
	c := buf[:len(v)-lag]
	for i := range c {
		// The magnitude of a difference of two int64s always fits in a
		// uint64, and wrapping subtraction computes it exactly.
		a, b := v[i+lag], v[i]
		c[i] = uint64(max(a, b)) - uint64(min(a, b))
	}
	slices.Sort(c)
	m := len(c) / 2
	if len(c)%2 == 1 {
		return float64(c[m])
	}
	return (float64(c[m-1]) + float64(c[m])) / 2
}

// changesAtLeast reports whether medianChange(v, lag) is at least x. It
// counts the changes below x: with at most (n−1)/2 of n changes below x,
// the middle change (the lower middle one for an even n) is not, and
// neither is the median. It may report false for an even n whose median is
// at least x, which only costs the caller the median it would have found.
func changesAtLeast(v []int64, lag int, x float64) bool {
	n := len(v) - lag
	if n <= 0 {
		return true // medianChange is +Inf
	}
	below := 0
	for i := range n {
		a, b := v[i+lag], v[i]
		if float64(uint64(max(a, b))-uint64(min(a, b))) < x {
			below++
		}
	}
	return below <= (n-1)/2
}

func anomalyKey(id string, day risk.Date) string {
	var buf [160]byte
	k := append(buf[:0], id...)
	k = append(k, "/anomaly/"...)
	k = appendDate(k, day)
	return string(k)
}
