package budget

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/riskkit/riskkit/risk"
)

func TestForecast(t *testing.T) {
	march := day(2026, 3, 1)
	hourly := func(d risk.Date, n int, minor int64) []Record {
		var recs []Record
		for h := range n {
			amt, _ := risk.NewMoney(minor, "USD")
			recs = append(recs, Record{ID: "h" + d.String() + string(rune('a'+h)), Hour: d.Start(time.UTC).Add(time.Duration(h) * time.Hour), Amount: amt})
		}
		return recs
	}
	linearRamp := make([]int64, 14)
	falling := make([]int64, 14)
	for i := range linearRamp {
		linearRamp[i] = 1000 + 100*int64(i)
		falling[i] = 1300 - 100*int64(i)
	}
	type want struct {
		Forecast Forecast
		RunOut   risk.Date
	}
	tests := []struct {
		name, reason string
		method       ForecastMethod
		through      Observation
		amount       string
		records      []Record
		now          risk.Date
		want         want
	}{{
		name: "linear needs three days", reason: "two days are too few to extend",
		method: Linear, amount: "100.00", records: daily("r", march, 1000, 1000), now: day(2026, 3, 2),
		want: want{Forecast: Forecast{Method: Linear, Reason: reasonLinearDays}},
	}, {
		name: "linear without spend", reason: "nothing to extend",
		method: Linear, amount: "100.00", records: daily("r", day(2026, 2, 1), 1000), now: day(2026, 3, 10),
		want: want{Forecast: Forecast{Method: Linear, Reason: reasonNoData}},
	}, {
		name: "linear on constant spend", reason: "a constant day is certain to continue: the range is empty",
		method: Linear, amount: "1000.00", records: daily("r", march, repeat(1000, 10)...), now: day(2026, 3, 10),
		want: want{Forecast: Forecast{Method: Linear, Amount: usd("310.00"), Low: usd("310.00"), High: usd("310.00"), Percent: 3100, Days: 10}},
	}, {
		name: "linear counts hours of a partial day", reason: "twelve hours of the fourth day make 84 hours observed, not 96",
		method: Linear, through: ThroughLastRecord, amount: "1000.00", records: append(daily("r", march, 2400, 2400, 2400), hourly(day(2026, 3, 4), 12, 100)...), now: day(2026, 3, 4),
		want: want{Forecast: Forecast{Method: Linear, Amount: usd("744.00"), Low: usd("744.00"), High: usd("744.00"), Percent: 7440, Days: 4}},
	}, {
		name: "linear run-out day", reason: "10.00 a day reaches 100.00 at the end of the tenth",
		method: Linear, amount: "100.00", records: daily("r", march, repeat(1000, 5)...), now: day(2026, 3, 5),
		want: want{Forecast: Forecast{Method: Linear, Amount: usd("310.00"), Low: usd("310.00"), High: usd("310.00"), Percent: 31000, Days: 5}, RunOut: day(2026, 3, 10)},
	}, {
		name: "linear with lagging data", reason: "through the last record, days with no data yet are not counted as zero spend",
		method: Linear, through: ThroughLastRecord, amount: "1000.00", records: daily("r", march, repeat(1000, 5)...), now: day(2026, 3, 9),
		want: want{Forecast: Forecast{Method: Linear, Amount: usd("310.00"), Low: usd("310.00"), High: usd("310.00"), Percent: 3100, Days: 5}},
	}, {
		name: "already run out", reason: "the run-out day is the day spend reached the amount",
		method: Linear, amount: "25.00", records: daily("r", march, repeat(1000, 5)...), now: day(2026, 3, 5),
		want: want{Forecast: Forecast{Method: Linear, Amount: usd("310.00"), Low: usd("310.00"), High: usd("310.00"), Percent: 124000, Days: 5}, RunOut: day(2026, 3, 3)},
	}, {
		name: "trend on a straight line", reason: "the fit is exact, so the forecast is the line's sum and the range is empty",
		method: Trend, amount: "1000.00", records: daily("r", march, linearRamp...), now: day(2026, 3, 14),
		want: want{Forecast: Forecast{Method: Trend, Amount: usd("775.00"), Low: usd("775.00"), High: usd("775.00"), Percent: 7750, Days: 14}},
	}, {
		name: "trend needs seven complete days", reason: "six points do not make a trustworthy line",
		method: Trend, amount: "1000.00", records: daily("r", march, repeat(1000, 6)...), now: day(2026, 3, 6),
		want: want{Forecast: Forecast{Method: Trend, Reason: reasonTrendDays}},
	}, {
		name: "trend reads the previous period", reason: "on the first day the trend still has the last 14 days",
		method: Trend, amount: "1000.00", records: daily("r", day(2026, 2, 16), repeat(1000, 14)...), now: day(2026, 3, 1),
		want: want{Forecast: Forecast{Method: Trend, Amount: usd("310.00"), Low: usd("310.00"), High: usd("310.00"), Percent: 3100, Days: 14}, RunOut: risk.Date{}},
	}, {
		name: "trend stops at zero", reason: "a falling line predicts no spend, not negative spend",
		method: Trend, amount: "1000.00", records: daily("r", march, falling...), now: day(2026, 3, 14),
		want: want{Forecast: Forecast{Method: Trend, Amount: usd("91.00"), Low: usd("91.00"), High: usd("91.00"), Percent: 910, Days: 14}},
	}, {
		name: "trend predicts the rest of a partial day", reason: "twelve hours observed leave half of the fifteenth day to predict",
		method: Trend, through: ThroughLastRecord, amount: "1000.00", records: append(daily("r", march, repeat(2400, 14)...), hourly(day(2026, 3, 15), 12, 100)...), now: day(2026, 3, 15),
		want: want{Forecast: Forecast{Method: Trend, Amount: usd("744.00"), Low: usd("744.00"), High: usd("744.00"), Percent: 7440, Days: 14}},
	}, {
		name: "trend run-out day", reason: "10.00 a day reaches 200.00 on the twentieth",
		method: Trend, amount: "200.00", records: daily("r", march, repeat(1000, 10)...), now: day(2026, 3, 10),
		want: want{Forecast: Forecast{Method: Trend, Amount: usd("310.00"), Low: usd("310.00"), High: usd("310.00"), Percent: 15500, Days: 10}, RunOut: day(2026, 3, 20)},
	}, {
		name: "trend with stale data", reason: "data that stopped before the period says nothing about it",
		method: Trend, amount: "200.00", records: daily("r", day(2026, 2, 1), repeat(1000, 10)...), now: day(2026, 3, 10),
		want: want{Forecast: Forecast{Method: Trend, Reason: reasonStale}},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := &Budget{ID: "b", Amount: usd(tt.amount), Start: day(2026, 1, 1), Forecast: tt.method, ForecastThrough: tt.through}
			st, _, err := evaluate(b, nil, tt.records, State{}, endOf(tt.now, time.UTC))
			if err != nil {
				t.Fatal(err)
			}
			got := want{st.Forecast, st.RunOut}
			if diff := cmp.Diff(tt.want, got, moneyEq); diff != "" {
				t.Errorf("forecast (-want +got):\n%s%s", diff, tt.reason)
			}
		})
	}
}

// TestForecastRange checks the range on noisy spend: it holds the
// forecast, never starts below the spend so far, and narrows as the period
// goes on.
func TestForecastRange(t *testing.T) {
	noisy := []int64{900, 1300, 1100, 700, 1250, 950, 1050, 1400, 800, 1000, 1150, 850, 1200, 900, 1100, 1000, 950, 1050, 1000, 1100, 900, 1000, 1050, 950, 1000, 1020, 980, 1000, 1010}
	for _, method := range []ForecastMethod{Linear, Trend} {
		b := &Budget{ID: "b", Amount: usd("500.00"), Start: day(2026, 1, 1), Forecast: method}
		recs := daily("r", day(2026, 3, 1), noisy...)
		var lastWidth int64 = 1 << 62
		for d := 10; d <= 29; d += 6 {
			st, _, err := evaluate(b, nil, recs, State{}, endOf(day(2026, 3, d), time.UTC))
			if err != nil {
				t.Fatal(err)
			}
			f := st.Forecast
			if !f.Available() {
				t.Fatalf("%v on day %d: no forecast: %s", method, d, f.Reason)
			}
			lo, fc, hi := f.Low.Minor(), f.Amount.Minor(), f.High.Minor()
			if lo > fc || fc > hi || lo < st.Spent.Minor() || lo == hi {
				t.Errorf("%v on day %d: range %v..%v around %v with %v spent", method, d, f.Low, f.High, f.Amount, st.Spent)
			}
			if w := hi - lo; w >= lastWidth {
				t.Errorf("%v on day %d: range width %d did not narrow from %d", method, d, w, lastWidth)
			} else {
				lastWidth = w
			}
		}
	}
}

// TestExactSumIsFloatSum checks that exactSum gives the float64 sum in
// order bit for bit, for small amounts and for amounts near and beyond 2⁵³
// where the integer shortcut no longer applies.
func TestExactSumIsFloatSum(t *testing.T) {
	r := rand.New(rand.NewPCG(8, 9))
	for range 5000 {
		v := make([]int64, r.IntN(40))
		scale := []int64{1000, 1 << 50, 1 << 53, 1 << 60}[r.IntN(4)]
		for i := range v {
			v[i] = r.Int64N(2*scale) - scale
		}
		var want float64
		for _, x := range v {
			want += float64(x)
		}
		if got := exactSum(v); got != want {
			t.Fatalf("exactSum(%v) = %v, want %v", v, got, want)
		}
	}
}

// at returns an instant in UTC.
func at(y int, m time.Month, d, h int) time.Time { return time.Date(y, m, d, h, 0, 0, 0, time.UTC) }

// TestForecastIdleDays checks the linear run rate through now against the
// cloud budget products' formula:
//
//   - AWS Budgets' CalculatedSpend
//     (https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_budgets_CalculatedSpend.html):
//     "if it's the 20th of the month and you have spent 50 dollars on
//     Amazon EC2, your actualSpend is 50 USD, and your forecastedSpend is
//     75 USD", which is 50 / 20 days × 30 days: the days count through the
//     20th whether or not they had spend.
//   - Oracle Cloud's budget alert rules
//     (https://docs.oracle.com/en-us/iaas/Content/Billing/Tasks/tag-budget.htm):
//     "(Actual Spend / Days processed from the start of the budget period)
//   - Days of the budget period", needing "at least three days".
//
// So a day without records counts as a day without spend once it is over.
func TestForecastIdleDays(t *testing.T) {
	april := daily("r", day(2026, time.April, 1), 10000, 10000, 10000) // 100.00 a day, then idle
	june := daily("r", day(2026, time.June, 1), 1000, 1000, 1000, 1000, 1000)
	tests := []struct {
		name, reason string
		through      Observation
		records      []Record
		now          time.Time
		want         string // the forecast, or the reason for none
	}{
		{"idle days count once over", "300.00 over the 10 days through April 10, times 30 days",
			ThroughNow, april, at(2026, time.April, 11, 0), "900.00 USD"},
		{"the last record instead", "300.00 over the 3 days with records, times 30 days",
			ThroughLastRecord, april, at(2026, time.April, 11, 0), "3000.00 USD"},
		{"the AWS Budgets example", "50 spent by the end of June 20 of a 30-day month",
			ThroughNow, june, at(2026, time.June, 21, 0), "75.00 USD"},
		{"hours of today", "228 hours observed at noon on April 10: 300 × 720 / 228, rounded half to even",
			ThroughNow, april, at(2026, time.April, 10, 12), "947.37 USD"},
		{"three days through now", "72 hours observed at the start of April 4",
			ThroughNow, april[:1], at(2026, time.April, 4, 0), "1000.00 USD"},
		{"less than three days", "71 hours observed are too few to extend",
			ThroughNow, april[:1], at(2026, time.April, 3, 23), reasonLinearDays},
	}
	for _, tt := range tests {
		b := &Budget{ID: "b", Amount: usd("5000.00"), Start: day(2026, 1, 1), ForecastThrough: tt.through}
		st, _, err := evaluate(b, nil, tt.records, State{}, tt.now)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		got := st.Forecast.Reason
		if st.Forecast.Available() {
			got = st.Forecast.Amount.String()
		}
		if got != tt.want {
			t.Errorf("%s: forecast %s, want %s (%s)", tt.name, got, tt.want, tt.reason)
		}
	}
}

// TestForecastAlertFallsBack checks that a forecast alert raised by a burst
// of spend falls back once the idle days bring the forecast below the
// threshold, and fires again when spend returns; through the last record
// it stays raised.
func TestForecastAlertFallsBack(t *testing.T) {
	recs := daily("r", day(2026, time.April, 1), 10000, 10000, 10000)
	later := append(recs[:3:3], daily("s", day(2026, time.April, 11), 60000)...)
	type step struct {
		at       time.Time
		records  []Record
		forecast string // through now
		above    bool   // through now
		nowKeys  []string
		lastKeys []string
	}
	table := []step{
		{at(2026, time.April, 4, 0), recs, "3000.00 USD", true, []string{"b/2026-04-01/forecast/gt/100/1"}, []string{"b/2026-04-01/forecast/gt/100/1"}},
		{at(2026, time.April, 9, 0), recs, "1125.00 USD", true, nil, nil},
		// Exactly the amount is not more than 100%.
		{at(2026, time.April, 10, 0), recs, "1000.00 USD", false, nil, nil},
		{at(2026, time.April, 11, 0), recs, "900.00 USD", false, nil, nil},
		// Spend returns: 900.00 over 11 days is 2454.55 for the month.
		{at(2026, time.April, 12, 0), later, "2454.55 USD", true, []string{"b/2026-04-01/forecast/gt/100/2"}, nil},
	}
	for _, through := range []Observation{ThroughNow, ThroughLastRecord} {
		b := &Budget{ID: "b", Amount: usd("1000.00"), Start: day(2026, 1, 1), ForecastThrough: through,
			Thresholds: []Threshold{{Percent: 10000, Basis: Forecasted, Comparison: Greater}}}
		var prev State
		for _, s := range table {
			st, next, err := evaluate(b, nil, s.records, prev, s.at)
			if err != nil {
				t.Fatal(err)
			}
			want := s.nowKeys
			if through == ThroughLastRecord {
				want = s.lastKeys
			} else {
				if got := st.Forecast.Amount.String(); got != s.forecast {
					t.Errorf("%v at %v: forecast %s, want %s", through, s.at, got, s.forecast)
				}
				if above := len(next.Marks) == 1 && next.Marks[0].Above; above != s.above {
					t.Errorf("%v at %v: above %v, want %v", through, s.at, above, s.above)
				}
			}
			if diff := cmp.Diff(want, alertKeys(st)); diff != "" {
				t.Errorf("%v at %v: alerts (-want +got):\n%s", through, s.at, diff)
			}
			prev = next
		}
		if through == ThroughLastRecord && !prev.Marks[0].Above {
			t.Error("through the last record, the alert fell back though no record said spend stopped")
		}
	}
}

// TestTrendIdleDays checks that the trend, too, reads days without records
// as idle once they are over: the line through a busy week followed by an
// idle one falls, and forecasts less than the line through the busy days.
func TestTrendIdleDays(t *testing.T) {
	recs := daily("r", day(2026, time.February, 22), repeat(10000, 10)...) // Feb 22 to Mar 3
	now := at(2026, time.March, 11, 0)
	forecast := func(through Observation) Forecast {
		b := &Budget{ID: "b", Amount: usd("5000.00"), Start: day(2026, 1, 1), Forecast: Trend, ForecastThrough: through}
		st, _, err := evaluate(b, nil, recs, State{}, now)
		if err != nil {
			t.Fatal(err)
		}
		return st.Forecast
	}
	idle, last := forecast(ThroughNow), forecast(ThroughLastRecord)
	if !idle.Available() || !last.Available() {
		t.Fatalf("no forecast: %q, %q", idle.Reason, last.Reason)
	}
	// Through the last record: 300.00 so far and 100.00 a day for the 28
	// days after March 3.
	if got := last.Amount.String(); got != "3100.00 USD" {
		t.Errorf("through the last record: %s, want 3100.00 USD", got)
	}
	// Through now the line falls to zero within the period: the forecast
	// is at least the 300.00 spent and well below the busy line.
	if idle.Amount.Minor() < 30000 || idle.Amount.Minor() >= last.Amount.Minor()/2 {
		t.Errorf("through now: %v, want between 300.00 and half of %v", idle.Amount, last.Amount)
	}
}
