package budget

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/riskkit/riskkit/risk"
)

func TestEvaluateDocumentedCases(t *testing.T) {
	march := day(2026, time.March, 1)
	now := endOf(day(2026, time.March, 20), time.UTC)
	gt80 := Threshold{Percent: 8000, Comparison: Greater}
	gte80 := Threshold{Percent: 8000}
	tests := []struct {
		name, reason string
		budget       *Budget
		records      []Record
		wantSpent    risk.Money
		wantPercent  risk.Percent
		wantKeys     []string
	}{{
		name:        "80.89 of 100.65",
		reason:      "the issue's example: 80.37% used, and a greater-than-80% threshold fires",
		budget:      monthly("b", "100.65", gt80),
		records:     daily("r", march, 4000, 4089),
		wantSpent:   usd("80.89"),
		wantPercent: 8037,
		wantKeys:    []string{"b/2026-03-01/actual/gt/80/1"},
	}, {
		name:        "exactly at 80% with gte",
		reason:      "reaching the threshold is enough for greater-or-equal",
		budget:      monthly("b", "100.00", gte80),
		records:     daily("r", march, 8000),
		wantSpent:   usd("80.00"),
		wantPercent: 8000,
		wantKeys:    []string{"b/2026-03-01/actual/gte/80/1"},
	}, {
		name:        "exactly at 80% with gt",
		reason:      "greater-than needs more than the threshold",
		budget:      monthly("b", "100.00", gt80),
		records:     daily("r", march, 8000),
		wantSpent:   usd("80.00"),
		wantPercent: 8000,
	}, {
		name:        "one cent over 80% with gt",
		reason:      "the smallest amount above the threshold meets greater-than",
		budget:      monthly("b", "100.00", gt80),
		records:     daily("r", march, 8001),
		wantSpent:   usd("80.01"),
		wantPercent: 8001,
		wantKeys:    []string{"b/2026-03-01/actual/gt/80/1"},
	}, {
		name:        "one cent under 80% with gte",
		reason:      "just under the threshold is not reaching it",
		budget:      monthly("b", "100.00", gte80),
		records:     daily("r", march, 7999),
		wantSpent:   usd("79.99"),
		wantPercent: 7999,
	}, {
		name:        "79.996% shows as 80.00% but does not reach 80%",
		reason:      "thresholds compare the exact ratio, not the rounded percentage",
		budget:      monthly("b", "1000.00", gte80),
		records:     daily("r", march, 79996),
		wantSpent:   usd("799.96"),
		wantPercent: 8000,
	}, {
		name:        "default threshold",
		reason:      "with no thresholds the budget alerts at 80% of actual spend, as the Partner Center does",
		budget:      monthly("b", "100.00"),
		records:     daily("r", march, 8000),
		wantSpent:   usd("80.00"),
		wantPercent: 8000,
		wantKeys:    []string{"b/2026-03-01/actual/gte/80/1"},
	}, {
		name:   "a resent record counts once",
		reason: "the same id, revision and contents twice is one record",
		budget: monthly("b", "100.00", gte80),
		records: append(daily("r", march, 5000),
			Record{ID: "r-2026-03-01", Day: march, Amount: usd("50.00")}),
		wantSpent:   usd("50.00"),
		wantPercent: 5000,
	}, {
		name:   "a correction replaces the record",
		reason: "the highest revision of an id counts, whatever the order of arrival",
		budget: monthly("b", "100.00", gte80),
		records: []Record{
			{ID: "r1", Day: march, Amount: usd("90.00"), Revision: 2},
			{ID: "r1", Day: march, Amount: usd("95.00"), Revision: 1},
			{ID: "r2", Day: march, Amount: usd("5.00")},
		},
		wantSpent:   usd("95.00"),
		wantPercent: 9500,
		wantKeys:    []string{"b/2026-03-01/actual/gte/80/1"},
	}, {
		name:   "a correction may move spend out of the period",
		reason: "the superseded revision no longer counts anywhere",
		budget: monthly("b", "100.00", gte80),
		records: []Record{
			{ID: "r1", Day: march, Amount: usd("90.00")},
			{ID: "r1", Day: day(2026, time.February, 28), Amount: usd("90.00"), Revision: 1},
		},
		wantSpent:   usd("0.00"),
		wantPercent: 0,
	}, {
		name:   "a correction received after now is not known yet",
		reason: "replaying history sees only what had arrived",
		budget: monthly("b", "100.00", gte80),
		records: []Record{
			{ID: "r1", Day: march, Amount: usd("50.00")},
			{ID: "r1", Day: march, Amount: usd("85.00"), Revision: 1, Received: now.Add(time.Hour)},
		},
		wantSpent:   usd("50.00"),
		wantPercent: 5000,
	}, {
		name:   "a late record counts once received",
		reason: "a record for an earlier day that arrives before now counts on its day",
		budget: monthly("b", "100.00", gte80),
		records: []Record{
			{ID: "r1", Day: day(2026, time.March, 2), Amount: usd("81.00"), Received: now.Add(-time.Hour)},
		},
		wantSpent:   usd("81.00"),
		wantPercent: 8100,
		wantKeys:    []string{"b/2026-03-01/actual/gte/80/1"},
	}, {
		name:   "records for later days are ignored",
		reason: "spend dated after now has not happened yet",
		budget: monthly("b", "100.00", gte80),
		records: []Record{
			{ID: "r1", Day: day(2026, time.March, 21), Amount: usd("90.00")},
			{ID: "r2", Hour: now.Add(time.Minute), Amount: usd("90.00")},
		},
		wantSpent:   usd("0.00"),
		wantPercent: 0,
	}, {
		name:   "a credit reduces spend",
		reason: "a negative record is a credit or refund",
		budget: monthly("b", "100.00", gte80),
		records: []Record{
			{ID: "r1", Day: march, Amount: usd("90.00")},
			{ID: "c1", Day: day(2026, time.March, 3), Amount: usd("-15.00")},
		},
		wantSpent:   usd("75.00"),
		wantPercent: 7500,
	}, {
		name:        "last period's spend does not count",
		reason:      "spend starts again from zero each period",
		budget:      monthly("b", "100.00", gte80),
		records:     daily("r", day(2026, time.February, 27), 5000, 5000),
		wantSpent:   usd("0.00"),
		wantPercent: 0,
	}, {
		name:        "over 1000%",
		reason:      "percent used is not capped",
		budget:      monthly("b", "1.00", Threshold{Percent: MaxThreshold}),
		records:     daily("r", march, 100001),
		wantSpent:   usd("1000.01"),
		wantPercent: 10000100,
		wantKeys:    []string{"b/2026-03-01/actual/gte/1000/1"},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, _, err := evaluate(tt.budget, nil, tt.records, State{}, now)
			if err != nil {
				t.Fatalf("Evaluate: %v (%s)", err, tt.reason)
			}
			if st.Spent != tt.wantSpent || st.PercentUsed != tt.wantPercent {
				t.Errorf("spent %v (%v), want %v (%v): %s", st.Spent, st.PercentUsed, tt.wantSpent, tt.wantPercent, tt.reason)
			}
			if diff := cmp.Diff(tt.wantKeys, alertKeys(st), moneyEq); diff != "" {
				t.Errorf("alert keys (-want +got):\n%s%s", diff, tt.reason)
			}
			rem, _ := st.Amount.Sub(st.Spent)
			if st.Remaining != rem {
				t.Errorf("remaining %v, want amount minus spent %v", st.Remaining, rem)
			}
		})
	}
}

func TestEvaluateAlertFields(t *testing.T) {
	b := monthly("acme", "100.65", Threshold{Percent: 8000, Comparison: Greater})
	now := endOf(day(2026, time.March, 2), time.UTC)
	st, _, err := evaluate(b, nil, daily("r", day(2026, time.March, 1), 4000, 4089), State{}, now)
	if err != nil {
		t.Fatal(err)
	}
	want := []Alert{{
		Key:       "acme/2026-03-01/actual/gt/80/1",
		BudgetID:  "acme",
		Period:    day(2026, time.March, 1),
		Threshold: Threshold{Percent: 8000, Comparison: Greater},
		Arming:    1,
		At:        now,
		Amount:    usd("100.65"),
		Value:     usd("80.89"),
		Percent:   8037,
	}}
	if diff := cmp.Diff(want, st.Alerts, moneyEq); diff != "" {
		t.Errorf("alerts (-want +got):\n%s", diff)
	}
}

func TestEvaluateErrors(t *testing.T) {
	march := day(2026, time.March, 1)
	now := endOf(day(2026, time.March, 10), time.UTC)
	b := monthly("b", "100.00")
	paris := mustLoad(t, "Europe/Paris")
	huge := risk.MustMoney("92233720368547758.07 USD")
	tests := []struct {
		name, reason string
		budget       *Budget
		loc          *time.Location
		records      []Record
		prev         State
		now          time.Time
		want         error
	}{
		{"invalid budget", "an invalid budget is never evaluated", &Budget{ID: "b"}, nil, nil, State{}, now, ErrInvalidBudget},
		{"anomaly floor in another currency", "the validation error keeps its cause",
			&Budget{ID: "b", Amount: usd("100.00"), Start: day(2026, time.January, 1),
				Anomalies: AnomalySettings{MinImpact: risk.MustMoney("5.00 EUR")}}, nil, nil, State{}, now, risk.ErrCurrencyMismatch},
		{"other currency", "mixing currencies is an error, not a conversion", b, nil,
			[]Record{{ID: "r", Day: march, Amount: risk.MustMoney("1.00 EUR")}}, State{}, now, risk.ErrCurrencyMismatch},
		{"overflow", "a total that does not fit is an error, not a wrapped number", b, nil,
			[]Record{{ID: "r1", Day: march, Amount: huge}, {ID: "r2", Day: march.AddDays(1), Amount: huge}}, State{}, now, risk.ErrOverflow},
		{"overflow on one day", "the daily totals are checked too", b, nil,
			[]Record{{ID: "r1", Day: march, Amount: huge}, {ID: "r2", Day: march, Amount: huge}}, State{}, now, risk.ErrOverflow},
		{"no id", "dedupe needs ids", b, nil, []Record{{Day: march, Amount: usd("1.00")}}, State{}, now, ErrInvalidRecord},
		{"control character in id", "ids are logged and keyed", b, nil, []Record{{ID: "r\x00", Day: march, Amount: usd("1.00")}}, State{}, now, ErrInvalidRecord},
		{"no amount", "the zero Money is not an amount", b, nil, []Record{{ID: "r", Day: march}}, State{}, now, ErrInvalidRecord},
		{"day and hour", "a record is for a day or an hour", b, nil,
			[]Record{{ID: "r", Day: march, Hour: now.Add(-time.Hour), Amount: usd("1.00")}}, State{}, now, ErrInvalidRecord},
		{"neither day nor hour", "a record must say when", b, nil, []Record{{ID: "r", Amount: usd("1.00")}}, State{}, now, ErrInvalidRecord},
		{"conflict", "the same revision with other contents is ambiguous", b, nil,
			[]Record{{ID: "r", Day: march, Amount: usd("1.00")}, {ID: "r", Day: march, Amount: usd("2.00")}}, State{}, now, ErrConflictingRecords},
		{"wrong location", "the location must be the budget's zone", b, paris, nil, State{}, now, ErrWrongLocation},
		{"wrong state", "another budget's state would suppress or repeat alerts", b, nil, nil, State{BudgetID: "other"}, now, ErrWrongState},
		{"before start", "no period contains the instant", b, nil, nil, State{}, time.Date(2025, 12, 31, 12, 0, 0, 0, time.UTC), ErrNotInEffect},
		{"after end", "an ended budget has no period",
			&Budget{ID: "b", Amount: usd("1.00"), Start: day(2026, 1, 1), End: day(2026, 1, 31)}, nil, nil, State{}, now, ErrNotInEffect},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			prev := State{BudgetID: tt.prev.BudgetID, Period: march, Marks: []Mark{{Threshold: Threshold{Percent: 1}, Fired: 1}}}
			_, got, err := evaluate(tt.budget, tt.loc, tt.records, prev, tt.now)
			if !errors.Is(err, tt.want) {
				t.Fatalf("error %v, want one wrapping %v: %s", err, tt.want, tt.reason)
			}
			if diff := cmp.Diff(prev, got, moneyEq); diff != "" {
				t.Errorf("state after an error (-want +got):\n%s", diff)
			}
		})
	}
}

// TestActualAlertSteps walks one budget through a period and into the next:
// an actual-spend threshold fires once per period, the first time it is met.
func TestActualAlertSteps(t *testing.T) {
	b := monthly("b", "100.00", Threshold{Percent: 5000}, Threshold{Percent: 10000})
	recs := []Record{}
	add := func(id string, d risk.Date, amount string) {
		recs = append(recs, Record{ID: id, Day: d, Amount: usd(amount)})
	}
	steps := []struct {
		name   string
		at     risk.Date
		change func()
		want   []string
	}{
		{"t0: 40%", day(2026, 3, 1), func() { add("a", day(2026, 3, 1), "40.00") }, nil},
		{"t1: 55% crosses 50%", day(2026, 3, 2), func() { add("b", day(2026, 3, 2), "15.00") }, []string{"b/2026-03-01/actual/gte/50/1"}},
		{"t2: same inputs", day(2026, 3, 2), func() {}, nil},
		{"t3: a credit back to 45%", day(2026, 3, 3), func() { add("c", day(2026, 3, 3), "-10.00") }, nil},
		{"t4: 60% again does not refire", day(2026, 3, 4), func() { add("d", day(2026, 3, 4), "15.00") }, nil},
		{"t5: 100% fires once", day(2026, 3, 5), func() { add("e", day(2026, 3, 5), "40.00") }, []string{"b/2026-03-01/actual/gte/100/1"}},
		{"t6: new period starts at zero", day(2026, 4, 1), func() { add("f", day(2026, 4, 1), "10.00") }, nil},
		{"t7: 50% in April fires with April's key", day(2026, 4, 2), func() { add("g", day(2026, 4, 2), "45.00") }, []string{"b/2026-04-01/actual/gte/50/1"}},
	}
	var state State
	for _, s := range steps {
		s.change()
		st, next, err := evaluate(b, nil, recs, state, endOf(s.at, time.UTC))
		if err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if diff := cmp.Diff(s.want, alertKeys(st), moneyEq); diff != "" {
			t.Errorf("%s: alerts (-want +got):\n%s", s.name, diff)
		}
		state = next
	}
}

// TestForecastAlertSteps has a forecast that rises over the threshold,
// falls below it and rises again: the threshold fires on each rise, with a
// new arming in the key, and never without a forecast.
func TestForecastAlertSteps(t *testing.T) {
	b := monthly("b", "1000.00", Threshold{Percent: 10000, Basis: Forecasted})
	var recs []Record
	spend := func(from risk.Date, minor ...int64) { recs = append(recs, daily("r", from, minor...)...) }
	steps := []struct {
		name      string
		at        risk.Date
		change    func()
		wantFc    string // forecast amount, "" for none
		wantAlert []string
	}{
		{"t0: two days, no forecast yet", day(2026, 3, 2), func() { spend(day(2026, 3, 1), 4000, 4000) }, "", nil},
		{"t1: three days at 40/day forecast 1240", day(2026, 3, 3), func() { spend(day(2026, 3, 3), 4000) }, "1240.00",
			[]string{"b/2026-03-01/forecast/gte/100/1"}},
		{"t2: still above", day(2026, 3, 4), func() { spend(day(2026, 3, 4), 4000) }, "1240.00", nil},
		{"t3: quiet days bring it below", day(2026, 3, 10), func() { spend(day(2026, 3, 5), 0, 0, 0, 0, 0, 0) }, "496.00", nil},
		{"t4: heavy days bring it above again", day(2026, 3, 15), func() { spend(day(2026, 3, 11), 20000, 20000, 20000, 20000, 20000) }, "2397.33",
			[]string{"b/2026-03-01/forecast/gte/100/2"}},
		{"t5: same inputs emit nothing", day(2026, 3, 15), func() {}, "2397.33", nil},
	}
	var state State
	for _, s := range steps {
		s.change()
		st, next, err := evaluate(b, nil, recs, state, endOf(s.at, time.UTC))
		if err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		got := ""
		if st.Forecast.Available() {
			got = st.Forecast.Amount.String()
		} else if st.Forecast.Reason == "" {
			t.Errorf("%s: no forecast and no reason", s.name)
		}
		if want := s.wantFc; want != "" {
			want += " USD"
			if got != want {
				t.Errorf("%s: forecast %q, want %q", s.name, got, want)
			}
		} else if got != "" {
			t.Errorf("%s: forecast %q, want none", s.name, got)
		}
		if diff := cmp.Diff(s.wantAlert, alertKeys(st), moneyEq); diff != "" {
			t.Errorf("%s: alerts (-want +got):\n%s", s.name, diff)
		}
		state = next
	}
}

func TestStateRoundTripsThroughJSON(t *testing.T) {
	b := monthly("b", "100.00", Threshold{Percent: 5000}, Threshold{Percent: 9000, Basis: Forecasted, Comparison: Greater})
	recs := daily("r", day(2026, 2, 1), repeat(300, 28+20)...)
	now := endOf(day(2026, 3, 20), time.UTC)
	st, state, err := evaluate(b, nil, recs, State{}, now)
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Alerts) != 2 {
		t.Fatalf("want both thresholds to fire, got %v", alertKeys(st))
	}
	data, err := json.Marshal(state)
	if err != nil {
		t.Fatal(err)
	}
	var back State
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(state, back, moneyEq); diff != "" {
		t.Fatalf("state after a JSON round trip (-want +got):\n%s\n%s", diff, data)
	}
	again, _, err := evaluate(b, nil, recs, back, now)
	if err != nil {
		t.Fatal(err)
	}
	if len(again.Alerts)+len(again.Anomalies) != 0 {
		t.Errorf("re-evaluating with the stored state emitted %v and %v", again.Alerts, again.Anomalies)
	}
}

func TestStatusJSON(t *testing.T) {
	b := monthly("b", "100.00")
	st, _, err := evaluate(b, nil, daily("r", day(2026, 3, 1), 1000, 2000, 3000), State{}, endOf(day(2026, 3, 3), time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	data, err := json.Marshal(st)
	if err != nil {
		t.Fatal(err)
	}
	var back Status
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(st, back, cmpopts.EquateApproxTime(0), moneyEq); diff != "" {
		t.Errorf("status after a JSON round trip (-want +got):\n%s\n%s", diff, data)
	}
}

func TestAutoAdjust(t *testing.T) {
	now := endOf(day(2026, 4, 10), time.UTC)
	b := &Budget{ID: "b", Amount: usd("999.00"), Start: day(2026, 1, 1), AutoAdjust: 3}
	tests := []struct {
		name, reason string
		records      []Record
		want         risk.Money
		wantFrom     int
	}{
		{"no history", "with no completed period holding data the budget's amount applies", nil, usd("999.00"), 0},
		{"leading empty period left out", "January has no data, so the average is over February and March",
			append(daily("f", day(2026, 2, 1), 10000), daily("m", day(2026, 3, 1), 20000)...), usd("150.00"), 2},
		{"empty period in the middle counts as zero", "February had no spend, which is data for the average",
			append(daily("j", day(2026, 1, 1), 9000), daily("m", day(2026, 3, 1), 21000)...), usd("100.00"), 3},
		{"half a cent rounds to even", "the average is rounded half to even to a minor unit",
			append(daily("f", day(2026, 2, 1), 10001), daily("m", day(2026, 3, 31), 10002)...), usd("100.02"), 2},
		{"periods before the window are ignored", "December is more than three periods back",
			daily("d", day(2025, 12, 31), 50000), usd("999.00"), 0},
		{"the current period is not averaged", "April is not complete",
			daily("a", day(2026, 4, 1), 70000), usd("999.00"), 0},
		{"credits only keep the budget's amount", "an average that is not positive cannot be a budget",
			daily("f", day(2026, 2, 1), -500), usd("999.00"), 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, _, err := evaluate(b, nil, tt.records, State{}, now)
			if err != nil {
				t.Fatal(err)
			}
			if st.Amount != tt.want || st.AdjustedFrom != tt.wantFrom {
				t.Errorf("amount %v from %d periods, want %v from %d: %s", st.Amount, st.AdjustedFrom, tt.want, tt.wantFrom, tt.reason)
			}
		})
	}
}

// TestHourlyRecordsAcrossDST places hourly records on local days whose
// length a daylight-saving change makes 23 or 25 hours.
func TestHourlyRecordsAcrossDST(t *testing.T) {
	ny := mustLoad(t, "America/New_York")
	b := &Budget{ID: "b", Amount: usd("1000.00"), Start: day(2026, 1, 1), TimeZone: "America/New_York"}
	tests := []struct {
		name  string
		day   risk.Date
		hours int
	}{
		{"spring forward", day(2026, 3, 8), 23},
		{"fall back", day(2026, 11, 1), 25},
		{"ordinary day", day(2026, 3, 9), 24},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := tt.day.Start(ny)
			end := tt.day.AddDays(1).Start(ny)
			if got := int(end.Sub(start) / time.Hour); got != tt.hours {
				t.Fatalf("day has %d hours, want %d", got, tt.hours)
			}
			var recs []Record
			for h := start; h.Before(end); h = h.Add(time.Hour) {
				recs = append(recs, Record{ID: h.UTC().Format(time.RFC3339), Hour: h, Amount: usd("1.00")})
			}
			// An hour either side of the day, which must not count on it.
			recs = append(recs,
				Record{ID: "before", Hour: start.Add(-time.Hour), Amount: usd("100.00")},
				Record{ID: "after", Hour: end, Amount: usd("100.00")})
			st, _, err := evaluate(b, ny, recs, State{}, end.Add(-time.Second))
			if err != nil {
				t.Fatal(err)
			}
			want, _ := usd("1.00").Mul(int64(tt.hours))
			if _, _, d := tt.day.Parts(); d == 1 {
				// The hour before the 1st belongs to the previous period.
			} else {
				want, _ = want.Add(usd("100.00"))
			}
			if st.Spent != want {
				t.Errorf("spent %v, want %v", st.Spent, want)
			}
		})
	}
}

func TestEvaluateDoesNotModifyInputs(t *testing.T) {
	b := monthly("b", "100.00", Threshold{Percent: 1000}, Threshold{Percent: 2000})
	recs := daily("r", day(2026, 3, 1), 1500, 1500)
	prev := State{BudgetID: "b", Period: day(2026, 3, 1), Marks: []Mark{{Threshold: Threshold{Percent: 1000}, Fired: 1}}}
	recsCopy := append([]Record(nil), recs...)
	prevCopy := State{BudgetID: prev.BudgetID, Period: prev.Period, Marks: append([]Mark(nil), prev.Marks...)}
	bCopy := *b
	st, next, err := evaluate(b, nil, recs, prev, endOf(day(2026, 3, 2), time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"b/2026-03-01/actual/gte/20/1"}, alertKeys(st), moneyEq); diff != "" {
		t.Errorf("alerts (-want +got):\n%s", diff)
	}
	if len(next.Marks) != 2 {
		t.Errorf("next marks %v, want two", next.Marks)
	}
	if diff := cmp.Diff(recsCopy, recs, moneyEq); diff != "" {
		t.Errorf("records changed (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(prevCopy, prev, moneyEq); diff != "" {
		t.Errorf("previous state changed (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(&bCopy, b, moneyEq); diff != "" {
		t.Errorf("budget changed (-want +got):\n%s", diff)
	}
}

// TestCorrectionRemovesOverflow checks that a sum that would overflow only
// with a superseded revision counted is not an error: totals are of the
// records that count, whatever order they come in.
func TestCorrectionRemovesOverflow(t *testing.T) {
	huge := risk.MustMoney("92233720368547758.07 USD")
	march := day(2026, 3, 1)
	recs := []Record{
		{ID: "a", Day: march, Amount: huge},
		{ID: "b", Day: march, Amount: huge},
		{ID: "b", Day: march, Amount: usd("-1.00"), Revision: 1},
	}
	b := monthly("b", "100.00")
	st, _, err := evaluate(b, nil, recs, State{}, endOf(march, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	want, _ := huge.Sub(usd("1.00"))
	if st.Spent != want {
		t.Errorf("spent %v, want %v", st.Spent, want)
	}
}
