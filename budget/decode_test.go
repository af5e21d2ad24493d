package budget

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/riskkit/riskkit/risk"
)

const budgetsDoc = `# Budgets agreed with customers.
budgets:
  - id: acme-monthly
    customer_id: cus_acme
    description: Acme's monthly cap
    amount: 5000.00 USD
    period: monthly
    start: 2026-01-01
    time_zone: America/New_York
    thresholds:
      - {percent: 50}
      - {percent: 80.5, basis: actual, comparison: gt}
      - percent: 100
        basis: forecast
    forecast: trend
    anomalies:
      min_score: 4
      min_impact: 25.00 USD
  - id: globex-q
    amount: 30000 JPY
    period: quarterly
    start: 2026-02-01
    end: 2027-01-31
    auto_adjust: 2
  - id: event
    amount: 1.250 BHD
    period: custom
    start: 2026-02-15
    end: 2026-03-31
    anomalies: {disabled: true}
`

func TestParseBudgets(t *testing.T) {
	got, err := ParseBudgets([]byte(budgetsDoc))
	if err != nil {
		t.Fatal(err)
	}
	want := []Budget{{
		ID:          "acme-monthly",
		CustomerID:  "cus_acme",
		Description: "Acme's monthly cap",
		Amount:      usd("5000.00"),
		Start:       day(2026, 1, 1),
		TimeZone:    "America/New_York",
		Thresholds: []Threshold{
			{Percent: 5000},
			{Percent: 8050, Comparison: Greater},
			{Percent: 10000, Basis: Forecasted},
		},
		Forecast:  Trend,
		Anomalies: AnomalySettings{MinScore: 4, MinImpact: usd("25.00")},
	}, {
		ID:         "globex-q",
		Amount:     risk.MustMoney("30000 JPY"),
		Period:     Quarterly,
		Start:      day(2026, 2, 1),
		End:        day(2027, 1, 31),
		AutoAdjust: 2,
	}, {
		ID:        "event",
		Amount:    risk.MustMoney("1.250 BHD"),
		Period:    Custom,
		Start:     day(2026, 2, 15),
		End:       day(2026, 3, 31),
		Anomalies: AnomalySettings{Disabled: true},
	}}
	if diff := cmp.Diff(want, got, moneyEq); diff != "" {
		t.Errorf("budgets (-want +got):\n%s", diff)
	}

	// The same budgets written as JSON read back the same.
	data, err := json.Marshal(map[string]any{"budgets": got})
	if err != nil {
		t.Fatal(err)
	}
	again, err := ParseBudgets(data)
	if err != nil {
		t.Fatalf("%v\n%s", err, data)
	}
	if diff := cmp.Diff(got, again, moneyEq); diff != "" {
		t.Errorf("budgets read back from JSON (-want +got):\n%s", diff)
	}
}

func TestParseBudgetsErrors(t *testing.T) {
	tests := []struct {
		name, reason string
		doc          string
		want         []string // Issue.String of each issue
		wraps        error
	}{
		{"empty", "nothing to read", "", []string{"the document is empty"}, nil},
		{"not a mapping", "the document is a mapping", "- 1\n", []string{"1:1: want a mapping of keys to values"}, nil},
		{"no budgets key", "the list is under budgets", "budget: []\n",
			[]string{"1:1: budget: unknown key \"budget\"; did you mean \"budgets\"?", "1:1: budgets: missing"}, nil},
		{"malformed YAML", "syntax errors carry the line", "budgets:\n  - id: a\n\t amount: 1\n",
			[]string{"2: syntax error: found a tab character that violates indentation"}, nil},
		{"unknown currency", "the amount names a currency that does not exist",
			"budgets:\n  - id: a\n    amount: 10.00 XYZ\n    start: 2026-01-01\n",
			[]string{`3:13: budgets[0].amount: parse money "10.00 XYZ": unknown currency "XYZ"`}, risk.ErrUnknownCurrency},
		{"negative amount", "validation problems are placed at the field",
			"budgets:\n  - id: a\n    amount: -10.00 USD\n    start: 2026-01-01\n",
			[]string{"3:13: budgets[0].amount: must be positive, got -10.00 USD"}, ErrInvalidBudget},
		{"start mid-month", "a recurring budget starts on the first",
			"budgets:\n  - id: a\n    amount: 10.00 USD\n    start: 2026-01-15\n",
			[]string{"4:12: budgets[0].start: 2026-01-15 is not the first of a month; a monthly budget starts on the first"}, nil},
		{"impossible date", "dates are checked while reading",
			"budgets:\n  - id: a\n    amount: 10.00 USD\n    start: 2026-02-29\n",
			[]string{`4:12: budgets[0].start: parse date "2026-02-29": day 29 does not exist in February 2026`}, nil},
		{"missing fields", "a missing field is placed at its budget",
			"budgets:\n  - id: a\n",
			[]string{"2:5: budgets[0].amount: missing", "2:5: budgets[0].start: missing"}, nil},
		{"threshold problems", "each threshold's fields are placed",
			"budgets:\n  - id: a\n    amount: 10.00 USD\n    start: 2026-01-01\n    thresholds:\n      - percent: 0\n      - {percent: 80, basis: budget}\n      - {percent: 80.123}\n",
			[]string{
				`7:30: budgets[0].thresholds[1].basis: unknown basis "budget" (want one of forecast, actual)`,
				`8:19: budgets[0].thresholds[2].percent: parse percent "80.123": more than two decimals; a percentage is exact to 0.01`,
			}, nil},
		{"threshold out of range", "validation reaches into lists",
			"budgets:\n  - id: a\n    amount: 10.00 USD\n    start: 2026-01-01\n    thresholds:\n      - percent: 0\n",
			[]string{"6:18: budgets[0].thresholds[0].percent: 0% is outside 0.01% to 1000%"}, nil},
		{"unknown and repeated keys", "typos are not ignored",
			"budgets:\n  - id: a\n    ammount: 10.00 USD\n    id: b\n",
			[]string{`3:5: budgets[0].ammount: unknown key "ammount"; did you mean "amount"?`, `4:5: budgets[0].id: repeated key "id"`}, nil},
		{"wrong shapes", "scalars, lists and mappings where they belong",
			"budgets:\n  - id: [a]\n    thresholds: 80\n    auto_adjust: two\n    anomalies: {disabled: maybe}\n",
			[]string{
				"2:9: budgets[0].id: want a string, not a list or mapping",
				"3:17: budgets[0].thresholds: want a list",
				`4:18: budgets[0].auto_adjust: "two" is not a whole number`,
				`5:27: budgets[0].anomalies.disabled: "maybe" is not true or false`,
			}, nil},
		{"duplicate ids", "ids name alerts, so they are unique",
			"budgets:\n  - {id: a, amount: 1.00 USD, start: 2026-01-01}\n  - {id: a, amount: 1.00 USD, start: 2026-01-01}\n",
			[]string{`3:10: budgets[1].id: "a" is also the id of budgets[0]`}, nil},
		{"unknown observation", "forecast_through is now or last_record",
			"budgets:\n  - {id: a, amount: 1.00 USD, start: 2026-01-01, forecast_through: yesterday}\n",
			[]string{`2:68: budgets[0].forecast_through: unknown forecast_through "yesterday" (want one of last_record, now)`}, nil},
		{"budgets not a list", "budgets holds a list", "budgets: {id: a}\n",
			[]string{"1:10: budgets: want a list"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseBudgets([]byte(tt.doc))
			var ve *risk.DocumentError
			if !errors.As(err, &ve) {
				t.Fatalf("error %v is not a *risk.DocumentError", err)
			}
			var got []string
			for _, i := range ve.Issues {
				got = append(got, i.String())
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("issues (-want +got):\n%s%s", diff, tt.reason)
			}
			if tt.wraps != nil && !errors.Is(err, tt.wraps) {
				t.Errorf("error does not wrap %v", tt.wraps)
			}
			if !errors.Is(err, ErrInvalidBudget) {
				t.Error("error does not wrap ErrInvalidBudget")
			}
			if !strings.HasPrefix(err.Error(), "budget: ") {
				t.Errorf("message %q lacks the package prefix", err)
			}
		})
	}
}

func FuzzParseBudgets(f *testing.F) {
	f.Add([]byte(budgetsDoc))
	f.Add([]byte("budgets:\n  - {id: a, amount: 1.00 USD, start: 2026-01-01, thresholds: [{percent: 80}]}\n"))
	f.Add([]byte(`{"budgets":[{"id":"x","amount":"5 JPY","start":"2026-03-01","period":"annual","end":"2027-02-28"}]}`))
	f.Add([]byte("budgets:\n  - &a {id: a}\n  - *a\n"))
	f.Add([]byte("budgets: [{id: a, amount: 10.00 XYZ}]"))
	f.Add([]byte("budgets: [{id: a, amount: 1.00 USD, start: 2026-01-01, forecast: trend, forecast_through: last_record}]"))
	f.Add([]byte("budgets: [{id: a, amount: 1.00 USD, start: 2026-01-01, forecast_through: yesterday}]"))
	f.Add([]byte("budgets: [{id: a, amount: 1 JPY, start: 2026-01-01, thresholds: [], anomalies: {min_score: 0.5}}]"))
	f.Fuzz(func(t *testing.T, src []byte) {
		bs, err := ParseBudgets(src)
		if err != nil {
			var ve *risk.DocumentError
			if !errors.As(err, &ve) || len(ve.Issues) == 0 {
				t.Fatalf("error %v is not a *risk.DocumentError with issues", err)
			}
			return
		}
		ids := map[string]bool{}
		for i := range bs {
			if err := bs[i].Validate(); err != nil {
				t.Fatalf("parsed budget %d is invalid: %v", i, err)
			}
			if ids[bs[i].ID] {
				t.Fatalf("id %q parsed twice", bs[i].ID)
			}
			ids[bs[i].ID] = true
		}
		data, err := json.Marshal(map[string]any{"budgets": bs})
		if err != nil {
			t.Fatalf("marshal: %v", err)
		}
		again, err := ParseBudgets(data)
		if err != nil {
			t.Fatalf("re-reading %s: %v", data, err)
		}
		if diff := cmp.Diff(bs, again, moneyEq); diff != "" {
			t.Fatalf("JSON round trip (-want +got):\n%s", diff)
		}
	})
}
