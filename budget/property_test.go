package budget

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/riskkit/riskkit/risk"
)

// randomHistory returns a budget and spend records over 150 days from
// 2026-01-01 in loc: daily and hourly records, credits, resends,
// corrections and records that arrive days late.
func randomHistory(r *rand.Rand, loc *time.Location) (*Budget, []Record) {
	b := &Budget{
		ID:       "b",
		Amount:   risk.MustMoney(fmt.Sprintf("%d.00 USD", 100+r.IntN(5000))),
		Period:   []Period{Monthly, Quarterly}[r.IntN(2)],
		Start:    day(2026, 1, 1),
		TimeZone: loc.String(),
		Forecast: []ForecastMethod{Linear, Trend}[r.IntN(2)],
	}
	if r.IntN(4) == 0 {
		b.AutoAdjust = 1 + r.IntN(3)
	}
	for range 1 + r.IntN(5) {
		t := Threshold{Percent: risk.Percent(100 * (10 + 10*r.IntN(15))), Basis: []SpendBasis{Actual, Forecasted}[r.IntN(2)], Comparison: []Comparison{GreaterOrEqual, Greater}[r.IntN(2)]}
		dup := false
		for _, o := range b.Thresholds {
			dup = dup || o == t
		}
		if !dup {
			b.Thresholds = append(b.Thresholds, t)
		}
	}
	var recs []Record
	mean := b.Amount.Minor() / 30
	for d := range 150 {
		date := day(2026, 1, 1).AddDays(d)
		amount := func() risk.Money {
			v := mean/2 + r.Int64N(mean+1)
			if r.IntN(30) == 0 {
				v *= 5
			}
			if r.IntN(40) == 0 {
				v = -v / 3
			}
			m, _ := risk.NewMoney(v, "USD")
			return m
		}
		rec := Record{ID: fmt.Sprintf("d%d", d), Amount: amount()}
		if r.IntN(5) == 0 {
			rec.Hour = date.Start(loc).Add(time.Duration(r.IntN(23)) * time.Hour)
		} else {
			rec.Day = date
		}
		if r.IntN(8) == 0 {
			rec.Received = date.AddDays(1 + r.IntN(5)).Start(loc)
		}
		recs = append(recs, rec)
		if r.IntN(10) == 0 {
			recs = append(recs, rec) // resent
		}
		if r.IntN(10) == 0 {
			fix := rec
			fix.Revision = 1 + r.IntN(2)
			fix.Amount = amount()
			fix.Received = date.AddDays(r.IntN(10)).Start(loc)
			recs = append(recs, fix)
		}
	}
	r.Shuffle(len(recs), func(i, j int) { recs[i], recs[j] = recs[j], recs[i] })
	return b, recs
}

// TestAlertsNeverRepeat evaluates random budgets on random histories at
// random moments, carrying the state forward, and checks that no alert or
// anomaly key is ever emitted twice, that re-evaluating emits nothing, and
// that forecast alerts only fire with a forecast that meets them.
func TestAlertsNeverRepeat(t *testing.T) {
	r := rand.New(rand.NewPCG(20260301, 7))
	zones := []string{"UTC", "America/New_York", "Europe/London", "Australia/Lord_Howe"}
	for trial := range 200 {
		loc := mustLoad(t, zones[r.IntN(len(zones))])
		b, recs := randomHistory(r, loc)
		seen := map[string]string{}
		var state State
		now := day(2026, 1, 1).Start(loc)
		end := day(2026, 1, 1).AddDays(150).Start(loc)
		for step := 0; now.Before(end); step++ {
			st, next, err := evaluate(b, loc, recs, state, now)
			if err != nil {
				t.Fatalf("trial %d step %d at %v: %v", trial, step, now, err)
			}
			for _, a := range st.Alerts {
				if at, dup := seen[a.Key]; dup {
					t.Fatalf("trial %d: alert %s emitted at %v and again at %v", trial, a.Key, at, now)
				}
				seen[a.Key] = now.String()
				if a.Threshold.Basis == Forecasted && !st.Forecast.Available() {
					t.Fatalf("trial %d: forecast alert %s without a forecast", trial, a.Key)
				}
				if !meets(a.Value.Minor(), a.Amount.Minor(), a.Threshold.Percent, a.Threshold.Comparison) {
					t.Fatalf("trial %d: alert %s for %v, which does not meet %v of %v", trial, a.Key, a.Value, a.Threshold, a.Amount)
				}
			}
			for _, a := range st.Anomalies {
				if at, dup := seen[a.Key]; dup {
					t.Fatalf("trial %d: anomaly %s emitted at %v and again at %v", trial, a.Key, at, now)
				}
				seen[a.Key] = now.String()
			}
			if step%7 == 0 {
				data, err := json.Marshal(next)
				if err != nil {
					t.Fatal(err)
				}
				next = State{}
				if err := json.Unmarshal(data, &next); err != nil {
					t.Fatal(err)
				}
			}
			again, _, err := evaluate(b, loc, recs, next, now)
			if err != nil {
				t.Fatal(err)
			}
			if len(again.Alerts)+len(again.Anomalies) > 0 {
				t.Fatalf("trial %d: re-evaluating at %v emitted %d alerts and %d anomalies", trial, now, len(again.Alerts), len(again.Anomalies))
			}
			state = next
			now = now.Add(time.Duration(r.Int64N(int64(40 * time.Hour))))
		}
	}
}
