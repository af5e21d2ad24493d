package budget

import (
	"fmt"
	"github.com/riskkit/riskkit/internal/text"
	"math"
	"strconv"
	"unicode/utf8"

	"github.com/riskkit/riskkit/risk"
)

// Budget is a spending budget agreed with a customer: an amount for each
// period, the thresholds at which someone is told, and how to forecast.
//
// A Budget is plain data: build one in Go, decode it from JSON with
// encoding/json, or read a YAML document of budgets with [ParseBudgets], and
// check it with [Budget.Validate]. Its zero value is not a valid budget: it
// has no id, amount or start. [NewTracker] checks it once and keeps a copy
// to evaluate.
type Budget struct {
	// ID names the budget in alerts and their idempotency keys. It is 1 to
	// 128 letters, digits and ._:@- characters, and never contains "/",
	// the keys' separator.
	ID string `json:"id"`
	// CustomerID is the host's id of the customer the budget is for.
	CustomerID string `json:"customer_id,omitzero"`
	// Description is shown to people.
	Description string `json:"description,omitzero"`
	// Amount is the spend the budget allows each period. It must be
	// positive; its currency is the currency of every spend record.
	Amount risk.Money `json:"amount"`
	// Period is how often spend starts again from zero.
	Period Period `json:"period,omitzero"`
	// Start is the first day of the first period. A recurring budget
	// starts on the first of a month.
	Start risk.Date `json:"start"`
	// End is the last day the budget covers, inclusive. It is optional for
	// a recurring budget, where it must be the last day of a period, and
	// required for a Custom one, whose only period runs from Start to End.
	End risk.Date `json:"end,omitzero"`
	// TimeZone is the IANA name of the customer's time zone, such as
	// "Europe/Paris"; periods and days begin at local midnight there. Empty
	// means UTC. The package reads no time zone database: the host loads
	// the *time.Location and passes it to [NewTracker], which checks that
	// its name matches.
	TimeZone string `json:"time_zone,omitzero"`
	// Thresholds are the alerts, at most [MaxThresholds]. None means
	// [DefaultThresholds]: 80% of actual spend, as the Partner Center
	// notifies.
	Thresholds []Threshold `json:"thresholds,omitempty"`
	// AutoAdjust, when positive, replaces Amount by the average spend of
	// the last AutoAdjust completed periods (1 to 24), leaving out leading
	// periods with no spend records at all, rounded half to even to a
	// minor unit. A period in the middle without records counts as no
	// spend. Amount still gives the currency
	// and is used while no completed period has any record, or when the
	// average is not positive.
	AutoAdjust int `json:"auto_adjust,omitzero"`
	// Forecast is the forecast method.
	Forecast ForecastMethod `json:"forecast,omitzero"`
	// ForecastThrough says up to when the forecast measures spend: through
	// now (the zero value), counting days without records as idle once
	// they are over, or through the last record, for feeds that lag.
	ForecastThrough Observation `json:"forecast_through,omitzero"`
	// Anomalies configures the detection of unusual days.
	Anomalies AnomalySettings `json:"anomalies,omitzero"`
}

// Threshold is a percentage of the budget's amount at which an alert fires.
// The zero value is not valid: its percentage is 0.
type Threshold struct {
	// Percent is 0.01% to 1000% ([MinThreshold] to [MaxThreshold]).
	Percent risk.Percent `json:"percent"`
	// Basis says whether actual or forecast spend is compared.
	Basis SpendBasis `json:"basis,omitzero"`
	// Comparison says whether reaching the percentage is enough (the
	// default) or spend must exceed it.
	Comparison Comparison `json:"comparison,omitzero"`
}

// String returns the threshold as in "actual >= 80%" or "forecast > 100%".
func (t Threshold) String() string {
	op := " >= "
	if t.Comparison == Greater {
		op = " > "
	}
	return t.Basis.String() + op + t.Percent.String()
}

// DefaultThresholds returns the thresholds of a budget that lists none: one
// alert when actual spend reaches 80% of the amount.
func DefaultThresholds() []Threshold {
	return []Threshold{{Percent: 8000, Basis: Actual, Comparison: GreaterOrEqual}}
}

// AnomalySettings configures anomaly detection. The zero value detects
// anomalies with the default score and no minimum impact.
type AnomalySettings struct {
	// Disabled turns anomaly detection off.
	Disabled bool `json:"disabled,omitzero"`
	// MinScore is the absolute score at which a day is reported; zero
	// means [DefaultMinScore].
	MinScore float64 `json:"min_score,omitzero"`
	// MinImpact, when set, leaves out anomalies whose impact (actual minus
	// expected spend) is smaller in magnitude, so that a jump of a few
	// cents on a perfectly steady bill is not reported. It is in the
	// budget's currency.
	MinImpact risk.Money `json:"min_impact,omitzero"`
}

// DefaultMinScore is the anomaly score reported when
// [AnomalySettings.MinScore] is zero: 3.5 robust standard deviations, the
// usual cut-off for a modified z-score.
const DefaultMinScore = 3.5

// maxCustomDays bounds a custom period, so that evaluating one stays cheap.
const maxCustomDays = 3660

// MaxThresholds is the most thresholds a budget may have. Cost tools allow
// a handful; the bound keeps validation, which compares every pair, cheap
// on any input.
const MaxThresholds = 32

// Validate reports every problem with b as a *[risk.DocumentError] whose
// issues name the field, such as "start" or "thresholds[1].percent". It
// returns nil for a valid budget.
func (b *Budget) Validate() error {
	c := issues{}
	b.validate(&c)
	return c.err(b.ID)
}

// validate adds b's problems to c. It does not allocate for a valid
// budget.
func (b *Budget) validate(c *issues) {
	switch {
	case b.ID == "":
		c.add("id", "missing", nil)
	case len(b.ID) > 128:
		c.add("id", "longer than 128 bytes", nil)
	default:
		for i := range len(b.ID) {
			if !idChar(b.ID[i]) {
				c.add("id", fmt.Sprintf("%q has the character %q; use letters, digits and ._:@-", b.ID, b.ID[i]), nil)
				break
			}
		}
	}
	if msg := text.CheckID(b.CustomerID); msg != "" {
		c.add("customer_id", msg, nil)
	}
	if !utf8.ValidString(b.Description) {
		c.add("description", "not valid UTF-8", nil)
	}
	switch {
	case b.Amount.IsZero():
		c.add("amount", "missing", nil)
	case b.Amount.Sign() <= 0:
		c.add("amount", fmt.Sprintf("must be positive, got %v", b.Amount), nil)
	}

	months := b.Period.months()
	if !periods.Contains(b.Period) {
		c.add("period", fmt.Sprintf("unknown period %q", string(b.Period)), nil)
	}
	startOK := false
	switch {
	case b.Start.IsZero():
		c.add("start", "missing", nil)
	case months > 0 && dayOfMonth(b.Start) != 1:
		c.add("start", fmt.Sprintf("%v is not the first of a month; a %v budget starts on the first", b.Start, b.Period), nil)
	default:
		startOK = true
	}
	switch {
	case b.End.IsZero():
		if b.Period == Custom {
			c.add("end", "missing; a custom budget runs from start to end", nil)
		}
	case !startOK:
	case b.End.Before(b.Start):
		c.add("end", fmt.Sprintf("%v is before the start %v", b.End, b.Start), nil)
	case months > 0:
		next := b.End.AddDays(1)
		if n := next.MonthsSince(b.Start); dayOfMonth(next) != 1 || n%months != 0 {
			last := addMonths(b.Start, (n/months+1)*months).AddDays(-1)
			c.add("end", fmt.Sprintf("%v is not the last day of a %v period (%v is)", b.End, b.Period, last), nil)
		}
	case b.Period == Custom && b.End.DaysSince(b.Start) >= maxCustomDays:
		c.add("end", fmt.Sprintf("a custom period is at most %d days", maxCustomDays), nil)
	}
	if !validZoneName(b.TimeZone) {
		c.add("time_zone", fmt.Sprintf("%q is not an IANA time zone name such as Europe/Paris", b.TimeZone), nil)
	}

	ths := b.Thresholds
	if len(ths) > MaxThresholds {
		c.add("thresholds", fmt.Sprintf("%d thresholds; at most %d", len(ths), MaxThresholds), nil)
		ths = nil
	}
	for i, t := range ths {
		if t.Percent < MinThreshold || t.Percent > MaxThreshold {
			c.add(indexPath("thresholds", i, "percent"), fmt.Sprintf("%v is outside %v to %v", t.Percent, MinThreshold, MaxThreshold), nil)
		}
		if !bases.Contains(t.Basis) {
			c.add(indexPath("thresholds", i, "basis"), fmt.Sprintf("unknown basis %q", string(t.Basis)), nil)
		}
		if !comparisons.Contains(t.Comparison) {
			c.add(indexPath("thresholds", i, "comparison"), fmt.Sprintf("unknown comparison %q", string(t.Comparison)), nil)
		}
		for j := range i {
			if ths[j] == t {
				c.add(indexPath("thresholds", i, ""), fmt.Sprintf("%v repeats thresholds[%d]", t, j), nil)
				break
			}
		}
	}
	switch {
	case b.AutoAdjust < 0 || b.AutoAdjust > 24:
		c.add("auto_adjust", fmt.Sprintf("%d periods is outside 0 to 24", b.AutoAdjust), nil)
	case b.AutoAdjust > 0 && b.Period == Custom:
		c.add("auto_adjust", "a custom budget has no earlier periods to average", nil)
	}
	if !methods.Contains(b.Forecast) {
		c.add("forecast", fmt.Sprintf("unknown forecast method %q", string(b.Forecast)), nil)
	}
	if !observations.Contains(b.ForecastThrough) {
		c.add("forecast_through", fmt.Sprintf("unknown observation %q", string(b.ForecastThrough)), nil)
	}
	a := b.Anomalies
	if s := a.MinScore; math.IsNaN(s) || s < 0 || s > 1e6 {
		c.add("anomalies.min_score", fmt.Sprintf("%v is outside 0 to 1000000", s), nil)
	}
	if !a.MinImpact.IsZero() {
		switch {
		case !b.Amount.IsZero() && a.MinImpact.Currency() != b.Amount.Currency():
			c.add("anomalies.min_impact", fmt.Sprintf("%v is not in the budget's currency %s", a.MinImpact, b.Amount.Currency()), risk.ErrCurrencyMismatch)
		case a.MinImpact.Sign() < 0:
			c.add("anomalies.min_impact", fmt.Sprintf("must not be negative, got %v", a.MinImpact), nil)
		}
	}
}

func indexPath(list string, i int, field string) string {
	p := list + "[" + strconv.Itoa(i) + "]"
	if field != "" {
		p += "." + field
	}
	return p
}

func idChar(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
		c == '.' || c == '_' || c == ':' || c == '@' || c == '-'
}

// validZoneName reports whether s looks like an IANA time zone name. Without
// a time zone database the package cannot tell whether the zone exists; it
// rejects only what no database would hold.
func validZoneName(s string) bool {
	if len(s) > 64 || s == "Local" {
		return false
	}
	prev := byte('/')
	for i := range len(s) {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '_', c == '-', c == '+':
		case c == '/' && prev != '/':
		default:
			return false
		}
		prev = c
	}
	return prev != '/' || s == ""
}
