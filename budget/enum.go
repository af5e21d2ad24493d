package budget

import "github.com/riskkit/riskkit/internal/enum"

// Period is how often a budget's spend starts again from zero. The zero
// value is [Monthly], the period of the Partner Center's customer budget.
type Period string

// Periods. Recurring periods start on the first of a month at local
// midnight; a [Custom] budget has one period, from its start to its end.
const (
	Monthly   Period = "" // written "monthly"
	Quarterly Period = "quarterly"
	Annual    Period = "annual"
	Custom    Period = "custom"
)

var periods = enum.New("budget", "period", "monthly", Quarterly, Annual, Custom)

// months returns the length of a recurring period in months, or 0 for a
// custom one.
func (p Period) months() int {
	switch p {
	case Monthly:
		return 1
	case Quarterly:
		return 3
	case Annual:
		return 12
	}
	return 0
}

// String returns "monthly", "quarterly", "annual" or "custom".
func (p Period) String() string { return periods.Name(p) }

// MarshalText returns the period's name, and an error for a value that is
// not a period.
func (p Period) MarshalText() ([]byte, error) { return periods.Text(p) }

// UnmarshalText accepts the periods' names, and the empty string as
// [Monthly].
func (p *Period) UnmarshalText(b []byte) (err error) {
	*p, err = periods.Parse(b)
	return err
}

// SpendBasis is what a threshold is compared with: the spend recorded or
// the spend forecast. The zero value is [Actual].
type SpendBasis string

// Bases of a threshold.
const (
	// Actual compares the spend recorded so far in the period. It is
	// written "actual".
	Actual SpendBasis = ""
	// Forecasted compares the spend forecast for the end of the period. A
	// forecast threshold never fires while no forecast is available.
	Forecasted SpendBasis = "forecast"
)

var bases = enum.New("budget", "basis", "actual", Forecasted)

// String returns "actual" or "forecast".
func (b SpendBasis) String() string { return bases.Name(b) }

// MarshalText returns the basis's name, and an error for a value that is
// not a basis.
func (b SpendBasis) MarshalText() ([]byte, error) { return bases.Text(b) }

// UnmarshalText accepts "actual", "forecast", and the empty string as
// [Actual].
func (b *SpendBasis) UnmarshalText(t []byte) (err error) {
	*b, err = bases.Parse(t)
	return err
}

// Comparison is how a threshold is met. The zero value is [GreaterOrEqual],
// so that a threshold of 80% is met on reaching 80%, as the Partner Center
// notifies.
type Comparison string

// Comparisons. They differ only for spend exactly at the threshold.
const (
	GreaterOrEqual Comparison = "" // written "gte" or ">="
	Greater        Comparison = "gt"
)

var comparisons = enum.New("budget", "comparison", "gte", Greater)

// String returns "gte" or "gt".
func (c Comparison) String() string { return comparisons.Name(c) }

// MarshalText returns "gte" or "gt", and an error for a value that is not
// a comparison.
func (c Comparison) MarshalText() ([]byte, error) { return comparisons.Text(c) }

// UnmarshalText accepts "gte" or ">=", "gt" or ">", and the empty string
// as [GreaterOrEqual].
func (c *Comparison) UnmarshalText(b []byte) (err error) {
	switch string(b) {
	case ">=":
		*c = GreaterOrEqual
		return nil
	case ">":
		*c = Greater
		return nil
	}
	*c, err = comparisons.Parse(b)
	return err
}

// ForecastMethod is how a budget forecasts its period's spend. The zero
// value is [Linear].
type ForecastMethod string

// Forecast methods.
const (
	// Linear extends the run rate so far: spend so far divided by the time
	// observed, times the length of the period. The time observed runs
	// through now, or through the last record (see [Observation]). It
	// needs three days of the period observed. It is written "linear".
	Linear ForecastMethod = ""
	// Trend fits a least-squares line to the daily spend of the last 14
	// complete days and adds its predictions for the rest of the period,
	// with a prediction interval. With two whole weeks of data each weekday
	// has its own level, so weekends do not tilt the line. It needs seven
	// complete days of data.
	Trend ForecastMethod = "trend"
)

var methods = enum.New("budget", "forecast method", "linear", Trend)

// String returns "linear" or "trend".
func (m ForecastMethod) String() string { return methods.Name(m) }

// MarshalText returns the method's name, and an error for a value that is
// not a method.
func (m ForecastMethod) MarshalText() ([]byte, error) { return methods.Text(m) }

// UnmarshalText accepts "linear", "trend", and the empty string as
// [Linear].
func (m *ForecastMethod) UnmarshalText(b []byte) (err error) {
	*m, err = methods.Parse(b)
	return err
}

// Observation says up to when a forecast measures spend: through now, or
// through the last day or hour with a record. The zero value is
// [ThroughNow].
type Observation string

// Observations.
const (
	// ThroughNow measures the period through now: a day or hour without
	// records counts as no spend once it is over, as the run rate of the
	// cloud budget products does (AWS Budgets: spent 50 by the 20th of a
	// 30-day month, forecast 75). A customer who spent 100 a day for three
	// days and then went idle has a forecast of 900 for a 30-day period
	// after ten days, not 3,000, and a forecast alert it raised falls back.
	// It is written "now".
	ThroughNow Observation = ""
	// ThroughLastRecord measures only up to the end of the last day or
	// hour that has a record, for spend feeds that arrive late: days not
	// reported yet are left out rather than counted as idle. A customer
	// who stops spending keeps the forecast of its last active day.
	ThroughLastRecord Observation = "last_record"
)

var observations = enum.New("budget", "forecast_through", "now", ThroughLastRecord)

// String returns "now" or "last_record".
func (o Observation) String() string { return observations.Name(o) }

// MarshalText returns the observation's name, and an error for a value
// that is not an observation.
func (o Observation) MarshalText() ([]byte, error) { return observations.Text(o) }

// UnmarshalText accepts "now", "last_record", and the empty string as
// [ThroughNow].
func (o *Observation) UnmarshalText(b []byte) (err error) {
	*o, err = observations.Parse(b)
	return err
}
