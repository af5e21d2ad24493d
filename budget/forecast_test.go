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
		method: Linear, amount: "1000.00", records: append(daily("r", march, 2400, 2400, 2400), hourly(day(2026, 3, 4), 12, 100)...), now: day(2026, 3, 4),
		want: want{Forecast: Forecast{Method: Linear, Amount: usd("744.00"), Low: usd("744.00"), High: usd("744.00"), Percent: 7440, Days: 4}},
	}, {
		name: "linear run-out day", reason: "10.00 a day reaches 100.00 at the end of the tenth",
		method: Linear, amount: "100.00", records: daily("r", march, repeat(1000, 5)...), now: day(2026, 3, 5),
		want: want{Forecast: Forecast{Method: Linear, Amount: usd("310.00"), Low: usd("310.00"), High: usd("310.00"), Percent: 31000, Days: 5}, RunOut: day(2026, 3, 10)},
	}, {
		name: "linear with lagging data", reason: "days with no data yet are not counted as zero spend",
		method: Linear, amount: "1000.00", records: daily("r", march, repeat(1000, 5)...), now: day(2026, 3, 9),
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
		method: Trend, amount: "1000.00", records: append(daily("r", march, repeat(2400, 14)...), hourly(day(2026, 3, 15), 12, 100)...), now: day(2026, 3, 15),
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
			b := &Budget{ID: "b", Amount: usd(tt.amount), Start: day(2026, 1, 1), Forecast: tt.method}
			st, _, err := b.Evaluate(nil, tt.records, State{}, endOf(tt.now, time.UTC))
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
			st, _, err := b.Evaluate(nil, recs, State{}, endOf(day(2026, 3, d), time.UTC))
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
