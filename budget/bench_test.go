package budget

import (
	"fmt"
	"testing"
	"time"

	"github.com/riskkit/riskkit/risk"
)

// monthOfDays returns one daily record for each day of March 2026, with a
// weekly pattern, and the instant late on March 31 when the last arrives.
func monthOfDays() ([]Record, time.Time) {
	recs := make([]Record, 31)
	for i := range recs {
		amt := int64(15000 + 700*(i%7) + 37*i)
		recs[i] = Record{
			ID:     fmt.Sprintf("usage-2026-03-%02d", i+1),
			Day:    day(2026, time.March, i+1),
			Amount: risk.MustMoney(fmt.Sprintf("%d.%02d USD", amt/100, amt%100)),
		}
	}
	return recs, time.Date(2026, time.March, 31, 23, 0, 0, 0, time.UTC)
}

func benchBudget() *Budget {
	return &Budget{
		ID:     "acme-monthly",
		Amount: risk.MustMoney("5000.00 USD"),
		Start:  day(2026, time.January, 1),
		Thresholds: []Threshold{
			{Percent: 5000}, {Percent: 8000}, {Percent: 10000},
			{Percent: 10000, Basis: Forecasted, Comparison: Greater},
		},
	}
}

// BenchmarkEvaluate is the daily evaluation of a monthly budget with a month
// of daily records: the previous state is the one returned the day before,
// so one new day is checked for anomalies.
func BenchmarkEvaluate(b *testing.B) {
	bud := tracker(b, *benchBudget())
	recs, now := monthOfDays()
	r, err := bud.Evaluate(State{}, recs[:30], now.Add(-24*time.Hour))
	if err != nil {
		b.Fatal(err)
	}
	prev := r.State
	b.ReportAllocs()
	for b.Loop() {
		if _, err := bud.Evaluate(prev, recs, now); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEvaluateSteady re-evaluates with the state the same inputs
// returned, the case of a host polling more often than spend arrives.
func BenchmarkEvaluateSteady(b *testing.B) {
	bud := tracker(b, *benchBudget())
	recs, now := monthOfDays()
	r, err := bud.Evaluate(State{}, recs, now)
	if err != nil {
		b.Fatal(err)
	}
	prev := r.State
	b.ReportAllocs()
	for b.Loop() {
		if _, err := bud.Evaluate(prev, recs, now); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEvaluateCold evaluates with no previous state, so every
// threshold fires and every day with enough history is checked.
func BenchmarkEvaluateCold(b *testing.B) {
	bud := tracker(b, *benchBudget())
	recs, now := monthOfDays()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := bud.Evaluate(State{}, recs, now); err != nil {
			b.Fatal(err)
		}
	}
}

// TestEvaluateAllocations pins the promise of Evaluate's doc: a month of
// daily records costs no allocation beyond what it returns.
func TestEvaluateAllocations(t *testing.T) {
	spec := benchBudget()
	spec.Forecast = Trend
	bud := tracker(t, *spec)
	recs, now := monthOfDays()
	r, err := bud.Evaluate(State{}, recs[:30], now.Add(-24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	prev := r.State
	allocs := testing.AllocsPerRun(100, func() {
		r, err := bud.Evaluate(prev, recs, now)
		if err != nil || len(r.Status.Alerts)+len(r.Status.Anomalies) != 0 {
			t.Fatalf("unexpected result: %v, %v", r.Status.Alerts, err)
		}
	})
	if allocs != 0 {
		t.Errorf("Evaluate allocated %v times per run, want 0", allocs)
	}
}

// BenchmarkBaselineSum adds up the same month of records with checked
// Money arithmetic and nothing else: the least any evaluation must do,
// against which BenchmarkEvaluate's figure reads as a ratio that depends
// less on the machine.
func BenchmarkBaselineSum(b *testing.B) {
	recs, _ := monthOfDays()
	b.ReportAllocs()
	for b.Loop() {
		var total risk.Money
		for i := range recs {
			var err error
			if total, err = total.Add(recs[i].Amount); err != nil {
				b.Fatal(err)
			}
		}
		if total.Sign() <= 0 {
			b.Fatal(total)
		}
	}
}

// BenchmarkBaselineMapDedup is the obvious way to drop resent records: a
// map from id to record, then the sum. Evaluate does this and more without
// allocating.
func BenchmarkBaselineMapDedup(b *testing.B) {
	recs, _ := monthOfDays()
	b.ReportAllocs()
	for b.Loop() {
		seen := make(map[string]int, len(recs))
		for i := range recs {
			if j, ok := seen[recs[i].ID]; !ok || recs[i].Revision > recs[j].Revision {
				seen[recs[i].ID] = i
			}
		}
		var total risk.Money
		for _, i := range seen {
			var err error
			if total, err = total.Add(recs[i].Amount); err != nil {
				b.Fatal(err)
			}
		}
	}
}
