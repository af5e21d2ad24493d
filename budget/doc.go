// Package budget computes where a customer's spending budget stands: spend
// so far against the amount, a forecast for the period's end, threshold
// alerts that fire once, and days of unusual spend.
//
// A host that has agreed a monthly budget with a customer, as the Partner
// Center's customer budgets and the budgets of cloud cost tools do, keeps
// the budget, the customer's spend records and a small [State] per budget,
// and evaluates the budget whenever spend arrives or on a schedule:
//
//	start, _ := risk.ParseDate("2026-01-01") // a calendar day, no time zone
//	b := budget.Budget{
//		ID:         "acme-monthly",
//		Amount:     risk.MustMoney("5000.00 USD"),
//		Start:      start,
//		TimeZone:   "America/New_York",
//		Thresholds: []budget.Threshold{{Percent: 8000}, {Percent: 10000, Basis: budget.Forecasted}},
//	}
//	loc, _ := time.LoadLocation(b.TimeZone) // the host loads time zones
//	t, err := budget.NewTracker(b, loc)     // once, while the budget stays the same
//	...
//	r, err := t.Evaluate(prev, records, now)
//	for _, a := range r.Status.Alerts {
//		notify(a.Key, a) // the key makes a retried notification harmless
//	}
//	save(r.State)  // the prev of the next evaluation
//	wakeAt(r.Next) // nothing changes before then but new records
//
// The package is pure: it reads no clock, files, time zone database or
// environment, and keeps no state of its own. Every function is safe for
// concurrent use.
//
// # Budgets and periods
//
// A [Budget] has an amount in one currency (a [risk.Money]), a [Period]
// (monthly, quarterly, annual or a custom range), a start and an optional
// end (each a [risk.Date], the calendar day type dunning uses too), a time
// zone and [Threshold]s. A threshold is an exact [Percent], in
// hundredths of a percent from 0.01% to 1000%, of actual or forecast spend,
// met by reaching or by exceeding it. Periods begin and end at local midnight
// in the budget's time zone, whatever the month's length, leap years or
// daylight-saving changes; [Tracker.Window] returns the period containing an
// instant. An auto-adjusting budget ([Budget.AutoAdjust]) takes as its
// amount the average spend of its last completed periods.
//
// [Budget.Validate] reports every problem with a budget, naming each field;
// [ParseBudgets] reads a YAML or JSON document of budgets and adds the line
// and column of each problem.
//
// # Spend records
//
// A [Record] is an amount for a day or an hour. Records may arrive late,
// twice, or corrected by a higher revision; each id counts once, at its
// highest revision received by the evaluation's now. Amounts are exact
// integers of minor units: mixing currencies, or a total that would
// overflow, is an error rather than a wrong total.
//
// # Evaluation
//
// [NewTracker] checks a budget once and binds it to its time zone; the
// [Tracker]'s Evaluate takes the previous [State], the records and now, and
// returns a [Result]: the [Status], the next State and the instant at which
// time alone would change the status. The status has the spend
// so far, what remains, the exact percentage used with its rounding stated,
// the [Forecast] with its method and range, the day the budget runs out,
// the [Alert]s due and the [Anomaly]s found. An alert on actual spend fires
// once per period; an alert on forecast spend fires when the forecast
// crosses the threshold and again only after it has fallen back below.
// Every alert and anomaly has a stable idempotency key, and evaluating
// again with the same inputs emits nothing new.
//
// # Forecasts
//
// The [Linear] method extends the spend rate observed so far and needs three
// days of the period observed; the [Trend] method fits a least-squares line
// to the last 14 complete days and needs seven. Both give an approximate 95%
// range. Without enough data there is no forecast, [Forecast.Reason] says
// why, and no forecast threshold fires.
//
// # Idle days
//
// By default a forecast observes the period through now ([ThroughNow]): a
// day or hour without records counts as no spend once it is over, as in the
// run rate of the cloud budget products (AWS Budgets' example: 50 spent by
// the 20th of a 30-day month forecasts 75). A customer who spent 100 a day
// for three days and then went idle has a linear forecast of 900 on day 10
// of 30, not 3,000, and a forecast alert it raised falls back below its
// threshold and can fire again when spend returns. A host whose spend feed
// arrives a day or two late sets [Budget.ForecastThrough] to
// [ThroughLastRecord], which measures only up to the last record, so that
// days not yet reported do not read as idle. Anomaly detection differs on
// purpose: it scores only days that have a record, treating a day without
// one as missing data.
//
// # Anomalies
//
// Each complete day is compared with what its trailing history led to
// expect, robustly and with weekly patterns in mind, once at least 14 days
// of history exist; see [Anomaly] for the method and [AnomalySettings] for
// the sensitivity.
package budget
