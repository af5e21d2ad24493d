package budget

import (
	"fmt"
	"strconv"
)

// Period is how often a budget's spend starts again from zero. The zero
// value is [Monthly], the period of the Partner Center's customer budget.
type Period uint8

// Periods. Recurring periods start on the first of a month at local
// midnight; a [Custom] budget has one period, from its start to its end.
const (
	Monthly Period = iota
	Quarterly
	Annual
	Custom
)

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

// String returns "monthly", "quarterly", "annual" or "custom", or
// "Period(n)" for a value that is not a period.
func (p Period) String() string {
	return enumString("Period", uint8(p), "monthly", "quarterly", "annual", "custom")
}

// MarshalText implements [encoding.TextMarshaler] with the [Period.String]
// names.
func (p Period) MarshalText() ([]byte, error) {
	return enumMarshal("period", uint8(p), "monthly", "quarterly", "annual", "custom")
}

// UnmarshalText implements [encoding.TextUnmarshaler]; it accepts the
// [Period.String] names, and the empty string as [Monthly].
func (p *Period) UnmarshalText(b []byte) error {
	v, err := enumParse("period", b, "monthly", "quarterly", "annual", "custom")
	if err == nil {
		*p = Period(v)
	}
	return err
}

// Basis is what a threshold is compared with. The zero value is [Actual].
type Basis uint8

// Bases of a threshold.
const (
	// Actual compares the spend recorded so far in the period.
	Actual Basis = iota
	// Forecasted compares the spend forecast for the end of the period. A
	// forecast threshold never fires while no forecast is available.
	Forecasted
)

// String returns "actual" or "forecast", or "Basis(n)".
func (b Basis) String() string { return enumString("Basis", uint8(b), "actual", "forecast") }

// MarshalText implements [encoding.TextMarshaler] with the [Basis.String]
// names.
func (b Basis) MarshalText() ([]byte, error) {
	return enumMarshal("basis", uint8(b), "actual", "forecast")
}

// UnmarshalText implements [encoding.TextUnmarshaler]; it accepts the
// [Basis.String] names, and the empty string as [Actual].
func (b *Basis) UnmarshalText(t []byte) error {
	v, err := enumParse("basis", t, "actual", "forecast")
	if err == nil {
		*b = Basis(v)
	}
	return err
}

// Comparison is how a threshold is met. The zero value is [GreaterOrEqual],
// so that a threshold of 80% is met on reaching 80%, as the Partner Center
// notifies.
type Comparison uint8

// Comparisons. They differ only for spend exactly at the threshold.
const (
	GreaterOrEqual Comparison = iota
	Greater
)

// String returns "gte" or "gt", or "Comparison(n)".
func (c Comparison) String() string { return enumString("Comparison", uint8(c), "gte", "gt") }

// MarshalText implements [encoding.TextMarshaler] with the
// [Comparison.String] names.
func (c Comparison) MarshalText() ([]byte, error) {
	return enumMarshal("comparison", uint8(c), "gte", "gt")
}

// UnmarshalText implements [encoding.TextUnmarshaler]; it accepts "gte" or
// ">=", "gt" or ">", and the empty string as [GreaterOrEqual].
func (c *Comparison) UnmarshalText(b []byte) error {
	switch string(b) {
	case ">=":
		*c = GreaterOrEqual
		return nil
	case ">":
		*c = Greater
		return nil
	}
	v, err := enumParse("comparison", b, "gte", "gt")
	if err == nil {
		*c = Comparison(v)
	}
	return err
}

// ForecastMethod is how a budget forecasts its period's spend. The zero
// value is [Linear].
type ForecastMethod uint8

// Forecast methods.
const (
	// Linear extends the run rate so far: spend so far divided by the time
	// observed, times the length of the period. The time observed runs
	// through now, or through the last record (see [Observation]). It
	// needs three days of the period observed.
	Linear ForecastMethod = iota
	// Trend fits a least-squares line to the daily spend of the last 14
	// complete days and adds its predictions for the rest of the period,
	// with a prediction interval. With two whole weeks of data each weekday
	// has its own level, so weekends do not tilt the line. It needs seven
	// complete days of data.
	Trend
)

// String returns "linear" or "trend", or "ForecastMethod(n)".
func (m ForecastMethod) String() string {
	return enumString("ForecastMethod", uint8(m), "linear", "trend")
}

// MarshalText implements [encoding.TextMarshaler] with the
// [ForecastMethod.String] names.
func (m ForecastMethod) MarshalText() ([]byte, error) {
	return enumMarshal("forecast method", uint8(m), "linear", "trend")
}

// UnmarshalText implements [encoding.TextUnmarshaler]; it accepts the
// [ForecastMethod.String] names, and the empty string as [Linear].
func (m *ForecastMethod) UnmarshalText(b []byte) error {
	v, err := enumParse("forecast method", b, "linear", "trend")
	if err == nil {
		*m = ForecastMethod(v)
	}
	return err
}

// Observation says up to when a forecast measures spend: through now, or
// through the last day or hour with a record. The zero value is
// [ThroughNow].
type Observation uint8

// Observations.
const (
	// ThroughNow measures the period through now: a day or hour without
	// records counts as no spend once it is over, as the run rate of the
	// cloud budget products does (AWS Budgets: spent 50 by the 20th of a
	// 30-day month, forecast 75). A customer who spent 100 a day for three
	// days and then went idle has a forecast of 900 for a 30-day period
	// after ten days, not 3,000, and a forecast alert it raised falls back.
	ThroughNow Observation = iota
	// ThroughLastRecord measures only up to the end of the last day or
	// hour that has a record, for spend feeds that arrive late: days not
	// reported yet are left out rather than counted as idle. A customer
	// who stops spending keeps the forecast of its last active day.
	ThroughLastRecord
)

// String returns "now" or "last_record", or "Observation(n)".
func (o Observation) String() string {
	return enumString("Observation", uint8(o), "now", "last_record")
}

// MarshalText implements [encoding.TextMarshaler] with the
// [Observation.String] names.
func (o Observation) MarshalText() ([]byte, error) {
	return enumMarshal("forecast_through", uint8(o), "now", "last_record")
}

// UnmarshalText implements [encoding.TextUnmarshaler]; it accepts the
// [Observation.String] names, and the empty string as [ThroughNow].
func (o *Observation) UnmarshalText(b []byte) error {
	v, err := enumParse("forecast_through", b, "now", "last_record")
	if err == nil {
		*o = Observation(v)
	}
	return err
}

func enumString(typ string, v uint8, names ...string) string {
	if int(v) < len(names) {
		return names[v]
	}
	return typ + "(" + strconv.Itoa(int(v)) + ")"
}

func enumMarshal(typ string, v uint8, names ...string) ([]byte, error) {
	if int(v) < len(names) {
		return []byte(names[v]), nil
	}
	return nil, fmt.Errorf("budget: marshal %s: unknown value %d", typ, v)
}

// enumParse returns the index of b in names; the empty string is index 0,
// the zero value of every enum here.
func enumParse(typ string, b []byte, names ...string) (uint8, error) {
	if len(b) == 0 {
		return 0, nil
	}
	for i, n := range names {
		if string(b) == n {
			return uint8(i), nil
		}
	}
	return 0, fmt.Errorf("budget: unknown %s %q (want one of %q)", typ, b, names)
}
