package budget

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/riskkit/riskkit/risk"
)

func validBudget() Budget {
	return Budget{ID: "acme-monthly", Amount: usd("5000.00"), Start: day(2026, 1, 1), TimeZone: "America/New_York"}
}

func TestValidate(t *testing.T) {
	type issue struct{ Path, Msg string }
	tests := []struct {
		name, reason string
		edit         func(b *Budget)
		want         []issue
	}{
		{"valid", "the base budget is valid", func(b *Budget) {}, nil},
		{"zero value", "nothing is set",
			func(b *Budget) { *b = Budget{} },
			[]issue{{"id", "missing"}, {"amount", "missing"}, {"start", "missing"}}},
		{"negative amount", "a budget allows spending, so it is positive",
			func(b *Budget) { b.Amount = usd("-10.00") },
			[]issue{{"amount", "must be positive, got -10.00 USD"}}},
		{"zero amount", "a zero budget has no percentages",
			func(b *Budget) { b.Amount = usd("0.00") },
			[]issue{{"amount", "must be positive, got 0.00 USD"}}},
		{"start not the first", "recurring periods start on the first of a month",
			func(b *Budget) { b.Start = day(2026, 1, 15) },
			[]issue{{"start", "2026-01-15 is not the first of a month; a monthly budget starts on the first"}}},
		{"end mid-period", "a recurring budget ends with a whole period",
			func(b *Budget) { b.Period, b.End = Quarterly, day(2026, 5, 31) },
			[]issue{{"end", "2026-05-31 is not the last day of a quarterly period (2026-06-30 is)"}}},
		{"end before start", "the range is empty",
			func(b *Budget) { b.End = day(2025, 12, 31) },
			[]issue{{"end", "2025-12-31 is before the start 2026-01-01"}}},
		{"custom without end", "a custom range needs both ends",
			func(b *Budget) { b.Period, b.Start = Custom, day(2026, 2, 15) },
			[]issue{{"end", "missing; a custom budget runs from start to end"}}},
		{"custom too long", "evaluation cost grows with the period",
			func(b *Budget) { b.Period, b.End = Custom, day(2036, 1, 9) },
			[]issue{{"end", "a custom period is at most 3660 days"}}},
		{"custom from mid-month", "a custom range may start on any day",
			func(b *Budget) { b.Period, b.Start, b.End = Custom, day(2026, 2, 15), day(2026, 3, 20) }, nil},
		{"bad id", "ids appear in idempotency keys separated by /",
			func(b *Budget) { b.ID = "acme/monthly" },
			[]issue{{"id", `"acme/monthly" has the character '/'; use letters, digits and ._:@-`}}},
		{"bad zone", "not a zone name",
			func(b *Budget) { b.TimeZone = "America/New York" },
			[]issue{{"time_zone", `"America/New York" is not an IANA time zone name such as Europe/Paris`}}},
		{"Local zone", "Local depends on the machine, not the customer",
			func(b *Budget) { b.TimeZone = "Local" },
			[]issue{{"time_zone", `"Local" is not an IANA time zone name such as Europe/Paris`}}},
		{"thresholds", "percentages are 0.01% to 1000%, and each threshold once",
			func(b *Budget) {
				b.Thresholds = []Threshold{{Percent: 0}, {Percent: 100001}, {Percent: 8000}, {Percent: 8000}, {Percent: 8000, Comparison: Greater}, {Percent: 1, Basis: "budget", Comparison: "lt"}}
			},
			[]issue{
				{"thresholds[0].percent", "0% is outside 0.01% to 1000%"},
				{"thresholds[1].percent", "1000.01% is outside 0.01% to 1000%"},
				{"thresholds[3]", "actual >= 80% repeats thresholds[2]"},
				{"thresholds[5].basis", `unknown basis "budget"`},
				{"thresholds[5].comparison", `unknown comparison "lt"`},
			}},
		{"too many thresholds", "every pair of thresholds is compared",
			func(b *Budget) {
				for i := range MaxThresholds + 1 {
					b.Thresholds = append(b.Thresholds, Threshold{Percent: risk.Percent(100 * (i + 1))})
				}
			},
			[]issue{{"thresholds", "33 thresholds; at most 32"}}},
		{"auto-adjust range", "a year or two of history is enough",
			func(b *Budget) { b.AutoAdjust = 25 },
			[]issue{{"auto_adjust", "25 periods is outside 0 to 24"}}},
		{"auto-adjust custom", "a custom budget has one period",
			func(b *Budget) { b.Period, b.End, b.AutoAdjust = Custom, day(2026, 2, 1), 3 },
			[]issue{{"auto_adjust", "a custom budget has no earlier periods to average"}}},
		{"unknown enums", "values outside the enums",
			func(b *Budget) { b.Period, b.Forecast, b.ForecastThrough = "weekly", "psychic", "tomorrow" },
			[]issue{{"period", `unknown period "weekly"`}, {"forecast", `unknown forecast method "psychic"`}, {"forecast_through", `unknown observation "tomorrow"`}}},
		{"anomaly settings", "a score is a non-negative number and an impact an amount in the budget's currency",
			func(b *Budget) {
				b.Anomalies = AnomalySettings{MinScore: math.NaN(), MinImpact: risk.MustMoney("5.00 EUR")}
			},
			[]issue{{"anomalies.min_score", "NaN is outside 0 to 1000000"}, {"anomalies.min_impact", "5.00 EUR is not in the budget's currency USD"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := validBudget()
			tt.edit(&b)
			err := b.Validate()
			var got []issue
			if err != nil {
				var ve *risk.DocumentError
				if !errors.As(err, &ve) || !errors.Is(err, ErrInvalidBudget) {
					t.Fatalf("error %v is not a *risk.DocumentError wrapping ErrInvalidBudget", err)
				}
				for _, i := range ve.Issues {
					got = append(got, issue{i.Path, i.Msg})
				}
			}
			if diff := cmp.Diff(tt.want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("issues (-want +got):\n%s%s", diff, tt.reason)
			}
		})
	}
}

func TestValidationErrorMessage(t *testing.T) {
	b := validBudget()
	b.Amount = usd("-1.00")
	if got, want := b.Validate().Error(), `budget: budget "acme-monthly": amount: must be positive, got -1.00 USD`; got != want {
		t.Errorf("one issue: %q, want %q", got, want)
	}
	b.Start = day(2026, 1, 2)
	got := b.Validate().Error()
	if !strings.HasPrefix(got, `budget: budget "acme-monthly" has 2 problems`) || !strings.Contains(got, "\n\tstart: ") {
		t.Errorf("two issues: %q", got)
	}
	b = validBudget()
	b.Anomalies.MinImpact = risk.MustMoney("1 JPY")
	if err := b.Validate(); !errors.Is(err, risk.ErrCurrencyMismatch) {
		t.Errorf("currency issue %v does not wrap risk.ErrCurrencyMismatch", err)
	}
}

func TestEnumsText(t *testing.T) {
	type textEnum interface {
		MarshalText() ([]byte, error)
		String() string
	}
	tests := []struct {
		v    textEnum
		text string
		back func([]byte) (textEnum, error)
	}{
		{Monthly, "monthly", func(b []byte) (textEnum, error) { var v Period; return v, v.UnmarshalText(b) }},
		{Custom, "custom", func(b []byte) (textEnum, error) { var v Period; err := v.UnmarshalText(b); return v, err }},
		{Forecasted, "forecast", func(b []byte) (textEnum, error) { var v SpendBasis; err := v.UnmarshalText(b); return v, err }},
		{Greater, "gt", func(b []byte) (textEnum, error) { var v Comparison; err := v.UnmarshalText(b); return v, err }},
		{Trend, "trend", func(b []byte) (textEnum, error) { var v ForecastMethod; err := v.UnmarshalText(b); return v, err }},
	}
	for _, tt := range tests {
		b, err := tt.v.MarshalText()
		if err != nil || string(b) != tt.text || tt.v.String() != tt.text {
			t.Errorf("%v: MarshalText %q, %v; String %q", tt.v, b, err, tt.v.String())
		}
		if back, err := tt.back(b); err != nil || back != tt.v {
			t.Errorf("%q: UnmarshalText gives %v, %v", b, back, err)
		}
	}
	var c Comparison
	if err := c.UnmarshalText([]byte(">")); err != nil || c != Greater {
		t.Errorf(`">" gives %v, %v`, c, err)
	}
	var p Period
	if err := p.UnmarshalText([]byte("weekly")); err == nil || !strings.Contains(err.Error(), `unknown period "weekly"`) {
		t.Errorf("unknown period: %v", err)
	}
	if _, err := Period("weekly").MarshalText(); err == nil {
		t.Error(`marshaling Period("weekly") succeeded`)
	}
	if s := Period("weekly").String(); s != "weekly" {
		t.Errorf(`Period("weekly").String() = %q`, s)
	}
	// The zero values are named: a stored budget or state reads back the
	// same with or without them.
	for _, tt := range []struct {
		v    textEnum
		text string
	}{{Monthly, "monthly"}, {Actual, "actual"}, {GreaterOrEqual, "gte"}, {Linear, "linear"}, {ThroughNow, "now"}} {
		if b, err := tt.v.MarshalText(); err != nil || string(b) != tt.text {
			t.Errorf("zero value: MarshalText %q, %v; want %q", b, err, tt.text)
		}
	}
}
