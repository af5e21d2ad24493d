package budget_test

import (
	"fmt"
	"time"

	"github.com/riskkit/riskkit/budget"
	"github.com/riskkit/riskkit/risk"
)

// A host tracks a customer's monthly budget, evaluates it as spend arrives
// and sends each alert once, keyed by its idempotency key. The tracker is
// built once; each evaluation takes the previous state, the records and
// the time, and says when time alone would change the status.
func Example() {
	b := budget.Budget{
		ID:     "acme-monthly",
		Amount: risk.MustMoney("100.65 USD"),
		Start:  day(2026, time.January, 1),
		Thresholds: []budget.Threshold{
			{Percent: 5000},
			{Percent: 8000, Comparison: budget.Greater},
			{Percent: 10000, Basis: budget.Forecasted},
		},
	}
	records := []budget.Record{
		{ID: "u1", Day: day(2026, time.March, 1), Amount: risk.MustMoney("30.00 USD")},
		{ID: "u2", Day: day(2026, time.March, 2), Amount: risk.MustMoney("25.50 USD")},
		{ID: "u3", Day: day(2026, time.March, 3), Amount: risk.MustMoney("25.39 USD")},
		{ID: "u3", Day: day(2026, time.March, 3), Amount: risk.MustMoney("25.39 USD")}, // resent
	}
	now := time.Date(2026, time.March, 3, 23, 0, 0, 0, time.UTC)

	t, err := budget.NewTracker(b, time.UTC) // once, while the budget stays the same
	if err != nil {
		fmt.Println(err)
		return
	}
	var state budget.State // stored by the host between evaluations
	r, err := t.Evaluate(state, records, now)
	if err != nil {
		fmt.Println(err)
		return
	}
	status, state := r.Status, r.State
	fmt.Printf("spent %v of %v (%v), %v remaining\n", status.Spent, status.Amount, status.PercentUsed, status.Remaining)
	fmt.Printf("forecast %v (%v) by the %v method, runs out %v\n", status.Forecast.Amount, status.Forecast.Percent, status.Forecast.Method, status.RunOut)
	for _, a := range status.Alerts {
		fmt.Println("alert", a.Key, a.Percent)
	}

	fmt.Println("next:", r.Next.Format(time.DateTime))

	// The same evaluation again, with the state it returned, emits nothing.
	again, _ := t.Evaluate(state, records, now)
	fmt.Println("alerts on retry:", len(again.Status.Alerts))
	// Output:
	// spent 80.89 USD of 100.65 USD (80.37%), 19.76 USD remaining
	// forecast 835.86 USD (830.46%) by the linear method, runs out 2026-03-04
	// alert acme-monthly/2026-03-01/actual/gte/50/1 80.37%
	// alert acme-monthly/2026-03-01/actual/gt/80/1 80.37%
	// alert acme-monthly/2026-03-01/forecast/gte/100/1 830.46%
	// next: 2026-03-04 00:00:00
	// alerts on retry: 0
}

func ExampleParseBudgets() {
	src := []byte(`
budgets:
  - id: acme-monthly
    amount: 5000.00 USD
    start: 2026-01-01
    time_zone: America/New_York
    thresholds:
      - {percent: 80}
      - {percent: 100, basis: forecast, comparison: gt}
  - id: globex
    amount: -10.00 USD
    start: 2026-01-15
`)
	_, err := budget.ParseBudgets(src)
	fmt.Println(err)
	// Output:
	// budget: budgets has 2 problems
	// 	11:13: budgets[1].amount: must be positive, got -10.00 USD
	// 	12:12: budgets[1].start: 2026-01-15 is not the first of a month; a monthly budget starts on the first
}

func ExampleTracker_Window() {
	b := budget.Budget{ID: "b", Amount: risk.MustMoney("1.00 USD"), Start: day(2026, time.January, 1), TimeZone: "America/New_York"}
	ny, err := time.LoadLocation(b.TimeZone)
	if err != nil {
		fmt.Println(err)
		return
	}
	t, err := budget.NewTracker(b, ny)
	if err != nil {
		fmt.Println(err)
		return
	}
	w, err := t.Window(time.Date(2026, time.March, 20, 12, 0, 0, 0, time.UTC))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(w.Start, "to", w.End, "-", w.Days(), "days,", w.EndsAt.Sub(w.StartsAt).Hours(), "hours")
	// Output: 2026-03-01 to 2026-03-31 - 31 days, 743 hours
}

// day returns the given day; the examples name only days that exist. A
// host reading dates from text uses risk.ParseDate, or decodes them from
// JSON or YAML.
func day(y int, m time.Month, d int) risk.Date {
	v, err := risk.NewDate(y, m, d)
	if err != nil {
		panic(err)
	}
	return v
}

// A customer spends 100.00 a day for three days and then nothing. On day 10
// of a 30-day month the run rate, measured through now as the cloud budget
// products measure it, forecasts 900.00; measured only through the last
// record, as for a feed that arrives late, it would still be 3,000.00.
func ExampleObservation() {
	b := budget.Budget{ID: "idle", Amount: risk.MustMoney("5000.00 USD"), Start: day(2026, time.January, 1)}
	var records []budget.Record
	for d := 1; d <= 3; d++ {
		records = append(records, budget.Record{ID: fmt.Sprint("u", d), Day: day(2026, time.April, d), Amount: risk.MustMoney("100.00 USD")})
	}
	now := time.Date(2026, time.April, 11, 0, 0, 0, 0, time.UTC) // the end of April 10
	for _, through := range []budget.Observation{budget.ThroughNow, budget.ThroughLastRecord} {
		b.ForecastThrough = through
		t, err := budget.NewTracker(b, time.UTC)
		if err != nil {
			fmt.Println(err)
			return
		}
		r, err := t.Evaluate(budget.State{}, records, now)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("through %v: forecast %v over %d days, next %s\n", through, r.Status.Forecast.Amount, r.Status.Forecast.Days, r.Next.Format(time.DateTime))
	}
	// Output:
	// through now: forecast 900.00 USD over 10 days, next 2026-04-11 01:00:00
	// through last_record: forecast 3000.00 USD over 3 days, next 2026-05-01 00:00:00
}
