package budget

import (
	"fmt"
	"strconv"
	"time"

	"github.com/riskkit/riskkit/internal/checked"
	"github.com/riskkit/riskkit/risk"
)

// Status is where a budget stands at one instant: the period, the spend so
// far against the amount, the forecast, and the alerts and anomalies that
// the evaluation found new.
type Status struct {
	// BudgetID is the id of the budget evaluated.
	BudgetID string `json:"budget_id"`
	// At is the instant evaluated, the now given to [Tracker.Evaluate].
	At time.Time `json:"at"`
	// Period is the period that contains At.
	Period Window `json:"period"`
	// Amount is the amount in force this period: the budget's amount, or
	// its auto-adjusted amount.
	Amount risk.Money `json:"amount"`
	// AdjustedFrom is the number of completed periods whose average spend
	// is Amount; 0 when Amount is the budget's own amount.
	AdjustedFrom int `json:"adjusted_from,omitzero"`
	// Spent is the spend recorded in the period up to now, after
	// duplicates and superseded revisions are left out.
	Spent risk.Money `json:"spent"`
	// Remaining is Amount minus Spent; it is negative once the budget is
	// overspent.
	Remaining risk.Money `json:"remaining"`
	// PercentUsed is Spent as a percentage of Amount, rounded half to even
	// to a hundredth of a percent. Thresholds are not compared with this
	// rounded figure but with the exact ratio, so 79.996% shows as 80.00%
	// here yet does not meet an 80% threshold.
	PercentUsed risk.Percent `json:"percent_used"`
	// ReachedOn is the day spend in the period first reached Amount; the
	// zero Date while it has not.
	ReachedOn risk.Date `json:"reached_on,omitzero"`
	// RunOut is the day the budget runs out: ReachedOn if it already has,
	// otherwise the day the forecast reaches Amount, or the zero Date if
	// the forecast stays below it for the rest of the period or there is
	// no forecast.
	RunOut risk.Date `json:"run_out,omitzero"`
	// Forecast is the spend expected by the end of the period, or why there
	// is no forecast.
	Forecast Forecast `json:"forecast"`
	// Alerts are the thresholds that fired in this evaluation, in the
	// order of the budget's thresholds. Each fires once per arming; see
	// [Tracker.Evaluate].
	Alerts []Alert `json:"alerts,omitempty"`
	// Anomalies are the unusual days found among the days first checked in
	// this evaluation, oldest first.
	Anomalies []Anomaly `json:"anomalies,omitempty"`
}

// State is what a budget remembers between evaluations so that alerts fire
// once: which thresholds have fired in the current period, and the last day
// checked for anomalies. The zero value is the state of a budget never
// evaluated.
//
// State is plain data that round-trips through JSON; the host stores the
// State returned by one evaluation and passes it to the next. The package
// never modifies a State's slices in place, so a returned State may share
// its Marks with the State passed in.
type State struct {
	// BudgetID is the budget the state belongs to; empty before the first
	// evaluation.
	BudgetID string `json:"budget_id,omitzero"`
	// Period is the first day of the period the marks belong to.
	Period risk.Date `json:"period,omitzero"`
	// Marks are the thresholds that have fired in the period, in the order
	// they first fired.
	Marks []Mark `json:"marks,omitempty"`
	// CheckedThrough is the last day checked for anomalies.
	CheckedThrough risk.Date `json:"checked_through,omitzero"`
}

// Mark records what a threshold has done in the current period.
type Mark struct {
	// Threshold is the threshold the mark is for.
	Threshold Threshold `json:"threshold"`
	// Fired is the number of times the threshold has fired this period: at
	// most 1 for actual spend.
	Fired int `json:"fired"`
	// Above reports, for a forecast threshold, whether the latest forecast
	// met it. The threshold fires again only after a forecast falls below
	// it and a later one meets it again.
	Above bool `json:"above,omitzero"`
}

// Alert is a threshold that fired.
type Alert struct {
	// Key is the alert's idempotency key: the budget, the period's first
	// day, the basis, the comparison, the percentage and the arming, as in
	// "acme/2026-03-01/actual/gte/80/1". A host that retries a notification
	// with the same key never sends it twice.
	Key string `json:"key"`
	// BudgetID, Period (the period's first day) and Threshold say what
	// fired.
	BudgetID  string    `json:"budget_id"`
	Period    risk.Date `json:"period"`
	Threshold Threshold `json:"threshold"`
	// Arming counts the firings of the threshold in the period, from 1. It
	// exceeds 1 only for a forecast threshold that fell back below and rose
	// again.
	Arming int `json:"arming"`
	// At is the instant of the evaluation that fired it.
	At time.Time `json:"at"`
	// Amount is the amount in force, and Value the spend or forecast that
	// met the threshold, which is Percent of Amount (rounded half to even).
	Amount  risk.Money   `json:"amount"`
	Value   risk.Money   `json:"value"`
	Percent risk.Percent `json:"percent"`
}

// Lookbacks, in days, of the parts of an evaluation that read spend before
// the current period.
const (
	trendDays      = 14 // the trend forecast's window
	minTrendDays   = 7
	anomalyWindow  = 28 // the history an anomaly is measured against
	anomalyMinDays = 14
	anomalyCatchUp = 31 // the most days checked for anomalies in one evaluation
	dayBufLen      = 128
)

// evaluate fills in st, which must be the zero Status, rather than
// returning it, so that the large Status is not copied on its way out. b
// is valid and loc its location.
func (b *Budget) evaluate(st *Status, loc *time.Location, records []Record, prev State, now time.Time) (State, error) {
	var err error
	if prev.BudgetID != "" && prev.BudgetID != b.ID {
		return prev, fmt.Errorf("%w: state of %q given for budget %q", ErrWrongState, prev.BudgetID, b.ID)
	}

	z := newZones(loc)
	todayNum, hourNow := z.Place(now)
	today := dateOfDayNum(todayNum)
	win, err := b.periodAt(today, &z)
	if err != nil {
		return prev, err
	}
	k := win.Index
	pStart, pNext := dayNum(win.Start), dayNum(win.End)+1

	var l ledger
	l.today = todayNum
	l.first = min(pStart-trendDays, todayNum-anomalyCatchUp-anomalyWindow)
	// A month's evaluation spans about 60 days and a quarter's about 106;
	// each gets a buffer of its size, as zeroing the larger one for every
	// month would cost as much as placing a few records.
	var seenBuf [dayBufLen / 64]uint64
	if n := todayNum - l.first + 1; n <= dayBufLen/2 {
		var dayBuf [dayBufLen / 2]int64
		l.days, l.marked = dayBuf[:n], seenBuf[:]
	} else if n <= dayBufLen {
		var dayBuf [dayBufLen]int64
		l.days, l.marked = dayBuf[:n], seenBuf[:]
	} else {
		l.days, l.marked = make([]int64, n), make([]uint64, (n+63)/64)
	}
	if b.AutoAdjust > 0 {
		l.nPrev = b.AutoAdjust
		for i := range l.nPrev + 1 {
			s, _ := b.periodDays(k - l.nPrev + i)
			l.starts[i] = dayNum(s)
		}
	}
	if err := l.place(b, &z, records, now); err != nil {
		return prev, err
	}

	money := mint(b.Amount)
	st.BudgetID, st.At, st.Period = b.ID, now, win

	amount := b.Amount.Minor()
	if n := l.nPrev; n > 0 {
		i := 0
		for i < n && !l.seen[i] {
			i++
		}
		if i < n {
			var sum int64
			ok := true
			for _, t := range l.totals[i:n] {
				if sum, ok = checked.Add(sum, t); !ok {
					break
				}
			}
			if !ok {
				return prev, fmt.Errorf("%w: budget %q: spend of the last %d periods", risk.ErrOverflow, b.ID, n)
			}
			if avg, _ := mulDiv(sum, 1, int64(n-i)); avg > 0 {
				amount, st.AdjustedFrom = avg, n-i
			}
		}
	}
	st.Amount = money.of(amount)

	var spent int64
	reached := int64(-1)
	for i, v := range l.days[pStart-l.first : todayNum-l.first+1] {
		var ok bool
		if spent, ok = checked.Add(spent, v); !ok {
			return prev, fmt.Errorf("%w: budget %q: spend of the period from %v", risk.ErrOverflow, b.ID, win.Start)
		}
		if reached < 0 && spent >= amount {
			reached = pStart + int64(i)
		}
	}
	st.Spent = money.of(spent)
	rem, ok := checked.Add(amount, -spent)
	if !ok || spent == -1<<63 {
		return prev, fmt.Errorf("%w: budget %q: %v minus %v", risk.ErrOverflow, b.ID, st.Amount, st.Spent)
	}
	st.Remaining = money.of(rem)
	if st.PercentUsed, err = percentOf(spent, amount); err != nil {
		return prev, fmt.Errorf("budget %q: percent used: %w", b.ID, err)
	}
	if reached >= 0 {
		st.ReachedOn = dateOfDayNum(reached)
		st.RunOut = st.ReachedOn
	}

	f := forecaster{l: &l, pStart: pStart, pNext: pNext, spent: spent, amount: amount, endDay: l.maxDay, endHour: l.lastEnd}
	if b.ForecastThrough == ThroughNow && todayNum*24+int64(hourNow) > l.maxDay*24+int64(l.lastEnd) {
		// The hours since the last record are over, and had no spend.
		f.endDay, f.endHour = todayNum, hourNow
	}
	est, err := f.forecast(b.Forecast)
	if err != nil {
		return prev, fmt.Errorf("budget %q: forecast: %w", b.ID, err)
	}
	st.Forecast = Forecast{Method: b.Forecast, Days: est.days, Reason: est.reason}
	if est.reason == "" {
		st.Forecast.Amount, st.Forecast.Low, st.Forecast.High = money.of(est.fc), money.of(est.lo), money.of(est.hi)
		if st.Forecast.Percent, err = percentOf(est.fc, amount); err != nil {
			return prev, fmt.Errorf("budget %q: forecast percent: %w", b.ID, err)
		}
		if reached < 0 && est.runOut >= 0 {
			st.RunOut = dateOfDayNum(est.runOut)
		}
	}

	next := State{BudgetID: b.ID, Period: win.Start, CheckedThrough: prev.CheckedThrough}
	if prev.Period == win.Start {
		next.Marks = prev.Marks
	}
	if err := b.alert(st, &next, money, spent, amount); err != nil {
		return prev, err
	}
	if !b.Anomalies.Disabled && l.has() {
		if err := b.anomalies(st, &next, &l, money); err != nil {
			return prev, err
		}
	}
	return next, nil
}

// alert fires the thresholds st meets, updating the marks of next, which
// may share its slice with the previous state until the first change.
func (b *Budget) alert(st *Status, next *State, money minter, spent, amount int64) error {
	ths := b.Thresholds
	var def [1]Threshold
	if len(ths) == 0 {
		def[0] = Threshold{Percent: 8000}
		ths = def[:]
	}
	copied := false
	for _, t := range ths {
		mi := -1
		for i := range next.Marks {
			if next.Marks[i].Threshold == t {
				mi = i
				break
			}
		}
		var m Mark
		if mi >= 0 {
			m = next.Marks[mi]
		} else {
			m.Threshold = t
		}
		value := spent
		was := m
		switch t.Basis {
		case Actual:
			if m.Fired == 0 && meets(spent, amount, t.Percent, t.Comparison) {
				m.Fired = 1
			}
		case Forecasted:
			if !st.Forecast.Available() {
				continue
			}
			value = st.Forecast.Amount.Minor()
			m.Above = meets(value, amount, t.Percent, t.Comparison)
			if m.Above && !was.Above {
				m.Fired++
			}
		}
		if m == was {
			continue
		}
		if !copied {
			next.Marks = append(make([]Mark, 0, len(next.Marks)+len(ths)), next.Marks...)
			copied = true
		}
		if mi >= 0 {
			next.Marks[mi] = m
		} else {
			next.Marks = append(next.Marks, m)
		}
		if m.Fired == was.Fired {
			continue
		}
		pct, err := percentOf(value, amount)
		if err != nil {
			return fmt.Errorf("budget %q: alert: %w", b.ID, err)
		}
		st.Alerts = append(st.Alerts, Alert{
			Key:       alertKey(b.ID, next.Period, t, m.Fired),
			BudgetID:  b.ID,
			Period:    next.Period,
			Threshold: t,
			Arming:    m.Fired,
			At:        st.At,
			Amount:    st.Amount,
			Value:     money.of(value),
			Percent:   pct,
		})
	}
	return nil
}

func alertKey(id string, period risk.Date, t Threshold, arming int) string {
	var buf [192]byte
	k := append(buf[:0], id...)
	k = append(k, '/')
	k = appendDate(k, period)
	k = append(k, '/')
	k = append(k, t.Basis.String()...)
	k = append(k, '/')
	k = append(k, t.Comparison.String()...)
	k = append(k, '/')
	k, _ = t.Percent.AppendText(k) // never fails
	k = append(k, '/')
	k = strconv.AppendInt(k, int64(arming), 10)
	return string(k)
}

// minter makes amounts in one currency without looking the currency up
// again for each: every amount is a multiple of one minor unit.
type minter struct{ one risk.Money }

func mint(m risk.Money) minter {
	// m·1/m is one minor unit of m's currency, without looking the currency
	// up again as risk.NewMoney would; m is a budget's positive amount.
	one, _ := m.MulDiv(1, m.Minor(), risk.RoundDown)
	return minter{one}
}

// of returns v minor units.
func (m minter) of(v int64) risk.Money {
	r, _ := m.one.Mul(v) // |1 × v| always fits
	return r
}
