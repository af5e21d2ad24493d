package budget

import (
	"fmt"
	"math"

	"github.com/riskkit/riskkit/internal/checked"
	"github.com/riskkit/riskkit/risk"
)

// Forecast is the spend a budget expects by the end of its period, with a
// range and the method that produced it, or the reason there is none.
//
// The zero value is no forecast. Forecast is plain data.
type Forecast struct {
	// Method is the budget's forecast method, whether or not it gave a
	// forecast.
	Method ForecastMethod `json:"method"`
	// Amount is the forecast spend for the whole period, rounded half to
	// even to a minor unit; the zero Money when there is no forecast.
	Amount risk.Money `json:"amount,omitzero"`
	// Low and High bound an approximate 95% prediction interval around
	// Amount, widened outward to whole minor units. Low is never below the
	// spend so far.
	Low  risk.Money `json:"low,omitzero"`
	High risk.Money `json:"high,omitzero"`
	// Percent is Amount as a percentage of the amount in force, rounded
	// half to even to a hundredth of a percent.
	Percent risk.Percent `json:"percent,omitzero"`
	// Days is the number of days of data the forecast rests on: the days
	// of the period observed so far for [Linear], the window of complete
	// days fitted for [Trend].
	Days int `json:"days,omitzero"`
	// Reason says why there is no forecast; empty when there is one.
	Reason string `json:"reason,omitzero"`
}

// Available reports whether f holds a forecast.
func (f Forecast) Available() bool { return !f.Amount.IsZero() }

// Reasons for not forecasting. They are constants so that an evaluation
// without a forecast does not allocate to say why.
const (
	reasonNoData     = "no spend recorded in this period yet"
	reasonLinearDays = "the linear run rate needs 3 days of the period observed"
	reasonStale      = "no spend recorded since before the period began"
	reasonTrendDays  = "the trend needs 7 complete days of data"
)

// forecaster forecasts the current period from a ledger. Days are day
// numbers; pNext is the first day after the period. Spend is observed up
// to hour endHour (0 to 24) of day endDay: the end of the last record, or
// now when that is later and the budget measures through now.
type forecaster struct {
	l             *ledger
	pStart, pNext int64
	spent, amount int64
	endDay        int64
	endHour       int
}

// estimate is a forecast in minor units. It holds no [risk.Money], whose
// currency string would make the ledger escape to the heap along with it.
type estimate struct {
	lo, fc, hi int64
	days       int
	reason     string
	runOut     int64 // the day the forecast reaches the amount, or -1
}

// forecast returns the estimate by method m; its reason is set when there
// is none.
func (f *forecaster) forecast(m ForecastMethod) (estimate, error) {
	out := estimate{runOut: -1}
	var err error
	if m == Trend {
		err = f.trend(&out)
	} else {
		err = f.linear(&out)
	}
	return out, err
}

// linear extends spend so far at its average rate per hour observed. The
// period and the data are measured in wall-clock hours, so a day made 23 or
// 25 hours long by a daylight-saving change counts as 24.
func (f *forecaster) linear(out *estimate) error {
	l := f.l
	if !l.has() || l.maxDay < f.pStart {
		out.reason = reasonNoData
		return nil
	}
	observed := (f.endDay-f.pStart)*24 + int64(f.endHour)
	if observed < 72 {
		out.reason = reasonLinearDays
		return nil
	}
	hours := (f.pNext - f.pStart) * 24
	fc, ok := mulDiv(f.spent, hours, observed)
	if !ok {
		return fmt.Errorf("%w: %d minor units over %d of %d hours", risk.ErrOverflow, f.spent, observed, hours)
	}
	out.days = int((observed + 23) / 24)

	// The range treats the complete days as independent draws around a
	// common mean: the variance of the sum of k future days predicted by k
	// times the mean of n observed ones is σ²(k + k²/n).
	var half float64
	last := f.endDay
	if f.endHour < 24 {
		last--
	}
	if n := last - f.pStart + 1; n >= 2 {
		days := l.days[f.pStart-l.first : last-l.first+1]
		sum := exactSum(days)
		mean := sum / float64(n)
		var sq float64
		for _, v := range days {
			dv := float64(v) - mean
			sq += dv * dv
		}
		sd := math.Sqrt(sq / float64(n-1))
		k := float64(hours-observed) / 24
		half = tQuantile(int(n-1)) * sd * math.Sqrt(k+k*k/float64(n))
	}
	if err := f.fill(out, fc, half); err != nil {
		return err
	}

	if f.spent > 0 && f.spent < f.amount {
		// The first whole hour by whose end spend at this rate reaches the
		// amount: ceil(amount × observed / spent).
		hi, lo := mul128(f.amount, observed).abs()
		if hi < uint64(f.spent) {
			q, rem := divU(hi, lo, uint64(f.spent))
			if rem != 0 {
				q++
			}
			if q <= uint64(hours) {
				out.runOut = f.pStart + int64(q-1)/24
			}
		}
	}
	return nil
}

// exactSum returns the sum of v as float64 additions in order give it.
// Float64 adds whole numbers exactly while every value and partial sum is
// within 2⁵³, so then the integer sum, converted once, is that result
// without a chain of float additions; beyond that it adds in floats.
func exactSum(v []int64) float64 {
	var sum int64
	exact := true
	for _, x := range v {
		sum += x
		exact = exact && absU(x) <= 1<<53 && absU(sum) <= 1<<53
	}
	if exact {
		return float64(sum)
	}
	var f float64
	for _, x := range v {
		f += float64(x)
	}
	return f
}

// trend fits a least-squares line to the daily spend of the last complete
// days (see [trendModel]) and adds its predictions for the rest of the
// period. The point forecast is exact: the line's predictions are
// rationals, summed exactly in 128 bits and rounded once. A day the line
// predicts below zero counts as zero, since a trend of falling spend does
// not make spend negative.
func (f *forecaster) trend(out *estimate) error {
	l := f.l
	if !l.has() {
		out.reason = reasonNoData
		return nil
	}
	if last := l.maxDay - int64(1-l.lastEnd/24); last < f.pStart-1 {
		out.reason = reasonStale
		return nil
	}
	e := f.endDay // the last complete day observed
	if f.endHour < 24 {
		e--
	}
	s := max(e-trendDays+1, l.minDay)
	n := e - s + 1
	if n < minTrendDays {
		out.reason = reasonTrendDays
		return nil
	}
	out.days = int(n)

	overflow := func() error {
		return fmt.Errorf("%w: trend over %d days from %v", risk.ErrOverflow, n, dateOfDayNum(s))
	}
	m, ok := fitTrend(l.days[s-l.first : e-l.first+1])
	if !ok {
		return overflow()
	}

	first := max(f.endDay, f.pStart)
	var total, target i128
	if f.spent < f.amount {
		gap, ok1 := i128of(f.amount).add(i128of(f.spent).negate())
		var ok2 bool
		target, ok2 = gap.mul(24 * m.den)
		if !ok1 || !ok2 {
			return overflow()
		}
	}
	for j := first; j < f.pNext; j++ {
		w := int64(24)
		if j == f.endDay {
			w = 24 - int64(f.endHour)
		}
		if w == 0 {
			continue
		}
		p, ok := m.predict(j - s)
		if !ok {
			return overflow()
		}
		if p.neg() {
			p = i128{}
		}
		p, ok1 := p.mul(w)
		var ok2 bool
		total, ok2 = total.add(p)
		if !ok1 || !ok2 {
			return overflow()
		}
		if out.runOut < 0 && f.spent < f.amount && total.cmp(target) >= 0 {
			out.runOut = j
		}
		m.weigh(j-s, float64(w)/24)
	}
	rest, ok := total.quo(24 * m.den)
	if !ok {
		return overflow()
	}
	fc, ok := checked.Add(f.spent, rest)
	if !ok {
		return overflow()
	}
	return f.fill(out, fc, m.halfWidth())
}

// trendModel is a least-squares line through daily spend y(x), x = 0..n-1.
//
// With fewer than 14 days it is the ordinary line, whose predictions are
// ŷ(x) = (Sy·D + B·(n·x − Sx)) / (n·D), with D = n·Sxx − Sx² and
// B = n·Sxy − Sx·Sy.
//
// With 14 days, two whole weeks, each weekday gets its own level and the
// days share one slope (a regression with weekday effects), so that where
// the weekends fall in the window does not tilt the line. Each weekday has
// two days, a and a+7, and the least-squares solution is the slope
// β = (S₂ − S₁)/49 from the sums of the two weeks and
// ŷ(x) = (y_a + y_{a+7})/2 + β·(x − a − 3.5) for a = x mod 7, or, in whole
// numbers, 98·ŷ(x) = 49·(y_a + y_{a+7}) + (S₂ − S₁)·(2x − 2a − 7). A
// straight line is still predicted exactly.
//
// Predictions are exact: predict returns den·ŷ(x).
type trendModel struct {
	y      []int64
	n      int64
	weekly bool
	den    int64
	// Ordinary line: base = Sy·D and slope = B. Weekly: slope = S₂ − S₁.
	base, slope i128
	sx, d       int64
	// Sums of the prediction weights, in days, for the interval.
	sw2, swDev float64
	wday       [7]float64
}

// fitTrend fits the model to y and reports false on overflow. It returns
// the model by value, because a slice stored through a pointer would make
// the ledger's stack buffer escape to the heap.
func fitTrend(y []int64) (trendModel, bool) {
	n := int64(len(y))
	m := trendModel{y: y, n: n}
	if n == 2*7 {
		m.weekly, m.den = true, 98
		var s1, s2 i128
		for i := range 7 {
			var ok1, ok2 bool
			s1, ok1 = s1.add(i128of(y[i]))
			s2, ok2 = s2.add(i128of(y[i+7]))
			if !ok1 || !ok2 {
				return m, false
			}
		}
		var ok bool
		m.slope, ok = s2.add(s1.negate())
		return m, ok
	}
	m.sx = n * (n - 1) / 2
	sxx := (n - 1) * n * (2*n - 1) / 6
	m.d = n*sxx - m.sx*m.sx
	m.den = n * m.d
	var sy, sxy i128
	for x, v := range y {
		var ok1, ok2 bool
		sy, ok1 = sy.add(i128of(v))
		sxy, ok2 = sxy.add(mul128(v, int64(x)))
		if !ok1 || !ok2 {
			return m, false
		}
	}
	nSxy, ok1 := sxy.mul(n)
	sxSy, ok2 := sy.mul(m.sx)
	slope, ok3 := nSxy.add(sxSy.negate())
	base, ok4 := sy.mul(m.d)
	m.slope, m.base = slope, base
	return m, ok1 && ok2 && ok3 && ok4
}

// predict returns den·ŷ(x).
func (m *trendModel) predict(x int64) (i128, bool) {
	if m.weekly {
		a := x % 7
		pair, ok1 := i128of(m.y[a]).add(i128of(m.y[a+7]))
		lvl, ok2 := pair.mul(49)
		tilt, ok3 := m.slope.mul(2*x - 2*a - 7)
		p, ok4 := lvl.add(tilt)
		return p, ok1 && ok2 && ok3 && ok4
	}
	tilt, ok1 := m.slope.mul(m.n*x - m.sx)
	p, ok2 := m.base.add(tilt)
	return p, ok1 && ok2
}

// weigh records a prediction at x with weight w days, for the interval.
func (m *trendModel) weigh(x int64, w float64) {
	m.sw2 += w * w
	if m.weekly {
		a := x % 7
		m.wday[a] += w
		m.swDev += w * (float64(x-a) - 3.5) // x minus the mean x of its weekday
		return
	}
	m.wday[0] += w
	m.swDev += w * (float64(x) - float64(m.n-1)/2)
}

// halfWidth returns half the width of an approximate 95% interval around
// the weighted sum of predictions: the usual one for predictions from a
// fitted regression, σ²·(Σw² + Var of the fitted levels + Var of the slope
// term), with σ² the residual variance. Statistics need no exactness, so
// this part is floating point.
func (m *trendModel) halfWidth() float64 {
	n := float64(m.n)
	var sse, levels, sxxc float64
	df := m.n - 2
	if m.weekly {
		// Each weekday's level is the mean of two days; the slope is
		// fitted on deviations of ±3.5 days from the weekday's mean x.
		beta := m.slope.float() / 49
		for a := range 7 {
			r := (float64(m.y[a])-float64(m.y[a+7]))/2 + 3.5*beta
			sse += 2 * r * r
			levels += m.wday[a] * m.wday[a] / 2
		}
		sxxc = 14 * 3.5 * 3.5
		df = m.n - 8
	} else {
		b := m.slope.float() / float64(m.d)
		var sy float64
		for _, v := range m.y {
			sy += float64(v)
		}
		a := sy/n - b*(n-1)/2
		for x, v := range m.y {
			r := float64(v) - (a + b*float64(x))
			sse += r * r
		}
		levels = m.wday[0] * m.wday[0] / n
		sxxc = float64(m.d) / n
	}
	if df < 1 {
		return 0
	}
	sigma2 := sse / float64(df)
	return tQuantile(int(df)) * math.Sqrt(sigma2*(m.sw2+levels+m.swDev*m.swDev/sxxc))
}

// fill sets the forecast amount fc and a range of half its width on each
// side, widened outward to whole minor units.
func (f *forecaster) fill(out *estimate, fc int64, half float64) error {
	if math.IsNaN(half) || half < 0 {
		half = 0
	}
	if half >= 1<<62 {
		return fmt.Errorf("%w: forecast range of ±%.0f minor units", risk.ErrOverflow, half)
	}
	// A width within rounding error of a whole unit is that unit, so that
	// an exact fit does not get a range of one minor unit from float noise.
	h := max(int64(math.Ceil(half-1e-6)), 0)
	lo, ok1 := checked.Add(fc, -h)
	hi, ok2 := checked.Add(fc, h)
	if !ok1 || !ok2 {
		return fmt.Errorf("%w: forecast range %d ± %d minor units", risk.ErrOverflow, fc, h)
	}
	if fc >= f.spent {
		lo = max(lo, f.spent)
	}
	out.lo, out.fc, out.hi = lo, fc, hi
	return nil
}

// tQuantile returns the 97.5th percentile of Student's t distribution with
// df degrees of freedom, the multiplier of a two-sided 95% interval.
func tQuantile(df int) float64 {
	table := [...]float64{
		12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
		2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
		2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
	}
	switch {
	case df < 1:
		return math.Inf(1)
	case df <= len(table):
		return table[df-1]
	case df <= 60:
		return 2.000
	case df <= 120:
		return 1.980
	}
	return 1.960
}
