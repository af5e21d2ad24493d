package budget

import (
	"fmt"
	"math"

	"github.com/riskkit/riskkit/risk"
)

// Forecast is the spend a budget expects by the end of its period, with a
// range and the method that produced it, or the reason there is none.
//
// The zero value is no forecast. Forecast is plain data.
type Forecast struct {
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
	Percent Percent `json:"percent,omitzero"`
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
	reasonLinearDays = "the linear run rate needs 3 days of data in the period"
	reasonStale      = "no spend recorded since before the period began"
	reasonTrendDays  = "the trend needs 7 complete days of data"
)

// forecaster forecasts the current period from a ledger. Days are day
// numbers; pNext is the first day after the period.
type forecaster struct {
	l             *ledger
	pStart, pNext int64
	spent, amount int64
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
	observed := (l.maxDay-f.pStart)*24 + int64(l.lastEnd)
	if observed < 72 {
		out.reason = reasonLinearDays
		return nil
	}
	hours := (f.pNext - f.pStart) * 24
	fc, ok := mulDiv(f.spent, hours, observed)
	if !ok {
		return fmt.Errorf("%w: %d minor units over %d of %d hours", risk.ErrOverflow, f.spent, observed, hours)
	}
	out.days = int(l.maxDay - f.pStart + 1)

	// The range treats the complete days as independent draws around a
	// common mean: the variance of the sum of k future days predicted by k
	// times the mean of n observed ones is σ²(k + k²/n).
	var half float64
	last := l.maxDay
	if l.lastEnd < 24 {
		last--
	}
	if n := last - f.pStart + 1; n >= 2 {
		var sum, sq float64
		for d := f.pStart; d <= last; d++ {
			sum += float64(l.day(d))
		}
		mean := sum / float64(n)
		for d := f.pStart; d <= last; d++ {
			dv := float64(l.day(d)) - mean
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

// trend fits a least-squares line to the daily spend of the last complete
// days and adds its predictions for the rest of the period. The point
// forecast is exact: the line's predictions are rationals, summed exactly
// in 128 bits and rounded once. A day the line predicts below zero counts
// as zero, since a trend of falling spend does not make spend negative.
func (f *forecaster) trend(out *estimate) error {
	l := f.l
	if !l.has() {
		out.reason = reasonNoData
		return nil
	}
	e := l.maxDay // the last complete day
	if l.lastEnd < 24 {
		e--
	}
	if e < f.pStart-1 {
		out.reason = reasonStale
		return nil
	}
	s := max(e-trendDays+1, l.minDay)
	n := e - s + 1
	if n < minTrendDays {
		out.reason = reasonTrendDays
		return nil
	}
	out.days = int(n)

	// With x = 0..n-1, the line through the points predicts
	// ŷ(x) = (Sy·D + B·(n·x − Sx)) / (n·D), where D = n·Sxx − Sx² and
	// B = n·Sxy − Sx·Sy.
	sx := n * (n - 1) / 2
	sxx := (n - 1) * n * (2*n - 1) / 6
	dn := n*sxx - sx*sx
	var sy, sxy i128
	ok := true
	for x := range n {
		y := l.day(s + x)
		if sy, ok = sy.add(i128of(y)); !ok {
			break
		}
		if sxy, ok = sxy.add(mul128(y, x)); !ok {
			break
		}
	}
	overflow := func() error {
		return fmt.Errorf("%w: trend over %d days from %v", risk.ErrOverflow, n, dateOfDayNum(s))
	}
	if !ok {
		return overflow()
	}
	nSxy, ok1 := sxy.mul(n)
	sxSy, ok2 := sy.mul(sx)
	slope, ok3 := nSxy.add(sxSy.negate())
	base, ok4 := sy.mul(dn)
	if !ok1 || !ok2 || !ok3 || !ok4 {
		return overflow()
	}
	den := 24 * n * dn

	first := max(l.maxDay, f.pStart)
	var total, target i128
	if f.spent < f.amount {
		gap, ok1 := i128of(f.amount).add(i128of(f.spent).negate())
		target, ok2 = gap.mul(den)
		if !ok1 || !ok2 {
			return overflow()
		}
	}
	// Statistics of the weights for the prediction interval, in days.
	var sw, sw2, swx float64
	for j := first; j < f.pNext; j++ {
		w := int64(24)
		if j == l.maxDay {
			w = 24 - int64(l.lastEnd)
		}
		if w == 0 {
			continue
		}
		x := j - s
		p, ok1 := slope.mul(n*x - sx)
		p, ok2 = base.add(p)
		if !ok1 || !ok2 {
			return overflow()
		}
		if p.neg() {
			p = i128{}
		}
		p, ok1 = p.mul(w)
		total, ok2 = total.add(p)
		if !ok1 || !ok2 {
			return overflow()
		}
		if out.runOut < 0 && f.spent < f.amount && total.cmp(target) >= 0 {
			out.runOut = j
		}
		wd := float64(w) / 24
		sw += wd
		sw2 += wd * wd
		swx += wd * (float64(x) - float64(n-1)/2)
	}
	rest, ok := total.quo(den)
	if !ok {
		return overflow()
	}
	fc, ok := add64(f.spent, rest)
	if !ok {
		return overflow()
	}

	// The interval is the usual one for a sum of predictions from a fitted
	// line: σ²·(Σw² + (Σw)²/n + (Σw·(x−x̄))²/Sxxc), with σ² the residual
	// variance on n−2 degrees of freedom. Statistics need no exactness, so
	// this part is floating point.
	var half float64
	if n > 2 {
		b := slope.float() / float64(dn)
		xbar := float64(n-1) / 2
		a := sy.float()/float64(n) - b*xbar
		var sse float64
		for x := range n {
			r := float64(l.day(s+x)) - (a + b*float64(x))
			sse += r * r
		}
		sigma2 := sse / float64(n-2)
		sxxc := float64(dn) / float64(n)
		half = tQuantile(int(n-2)) * math.Sqrt(sigma2*(sw2+sw*sw/float64(n)+swx*swx/sxxc))
	}
	return f.fill(out, fc, half)
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
	lo, ok1 := add64(fc, -h)
	hi, ok2 := add64(fc, h)
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
