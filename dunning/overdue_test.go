package dunning

import (
	"strings"
	"testing"
	"time"
)

// The overdue measure follows Lago's dunning campaigns, the anchor the
// campaign design follows:
//
//   - Lago's documentation (https://getlago.com/docs/guide/dunning/automatic-dunning)
//     sets an "overdue balance threshold" per currency: "When a customer
//     reaches the specified threshold in their invoiced currency, the dunning
//     campaign is triggered", and a currency the campaign does not list is
//     not eligible.
//   - getlago/lago-api app/services/dunning_campaigns/bulk_process_service.rb
//     picks the campaign threshold with amount_cents <= the customer's
//     overdue_balance_cents (reaching the threshold is enough), makes no
//     attempt once max_attempts is reached, and waits days_between_attempts
//     after the last attempt.
//   - app/jobs/clock/mark_invoices_as_payment_overdue_job.rb marks a
//     finalized, unpaid invoice payment_overdue when its payment_due_date (a
//     date) is before the current day, so an invoice is not overdue on its
//     due date, only from the day after.
//   - app/services/dunning_campaigns/process_attempt_service.rb requests
//     payment of the payment_overdue invoices in the threshold's currency:
//     the attempt asks for the overdue balance, not for money not yet due.

// TestCampaignOverdueOnly is the case of the issue: an invoice on net-2
// terms issued on the 4th falls due on the 6th and must not be asked for
// before then; by Lago's reading it is overdue, and the campaign attempts,
// on the 7th.
func TestCampaignOverdueOnly(t *testing.T) {
	s := mustSchedule(t, `
id: c
stages:
  - {id: remind, after_days: 30, actions: [{reminder: r}]}
campaigns:
  - {id: calls, thresholds: ["10.00 USD"], max_attempts: 2, min_interval: 1d}
`)
	l := ledger(inv("N2", "50.00 USD", "2026-03-04", 2))
	runSteps(t, s, l, time.UTC, []evalStep{
		{at: "2026-03-04T09:00:00Z", stage: "current", next: "2026-03-07T00:00:00Z"},
		{at: "2026-03-05T12:00:00Z", stage: "current", next: "2026-03-07T00:00:00Z"},
		// The due date itself: due, not overdue.
		{at: "2026-03-06T23:59:59Z", stage: "current", next: "2026-03-07T00:00:00Z"},
		{at: "2026-03-07T00:00:00Z", stage: "current", actions: []string{"campaign_attempt calls#1 50.00 USD"},
			next: "2026-03-08T00:00:00.000000001Z"},
		{at: "2026-03-08T00:00:00.000000001Z", stage: "current", actions: []string{"campaign_attempt calls#2 50.00 USD"},
			next: "2026-03-09T00:00:00.000000002Z"},
	})
}

// TestCampaignOverdueThreshold checks that money not yet due neither
// reaches a threshold nor is asked for, and that paying the overdue
// balance ends the run even while newer invoices are unpaid.
func TestCampaignOverdueThreshold(t *testing.T) {
	s := mustSchedule(t, `
id: c
stages:
  - {id: remind, after_days: 1, actions: [{reminder: r}]}
campaigns:
  - {id: calls, thresholds: ["100.00 USD"], max_attempts: 3, min_interval: 7d}
`)
	l := ledger(inv("OLD", "60.00 USD", "2026-03-01", 0), inv("NEW", "500.00 USD", "2026-03-02", 30))
	runSteps(t, s, l, time.UTC, []evalStep{
		// 560.00 unpaid, but only 60.00 overdue: below the threshold.
		{at: "2026-03-02T10:00:00Z", stage: "remind", actions: []string{"reminder r"}, next: "2026-04-02T00:00:00Z"},
		// NEW is overdue from April 2: 560.00 overdue, all asked for.
		{at: "2026-04-02T00:00:00Z", stage: "remind", actions: []string{"campaign_attempt calls#1 560.00 USD"},
			next: "2026-04-09T00:00:00.000000001Z"},
		// OLD and NEW are paid; a third invoice, not yet due, is unpaid.
		{at: "2026-04-05T00:00:00Z", facts: func(l *Ledger) {
			l.Entries = append(l.Entries, pay("p1", "2026-04-04T10:00:00Z", "560.00 USD", ""))
			l.Invoices = append(l.Invoices, inv("THIRD", "900.00 USD", "2026-04-04", 14))
		}, stage: "current", actions: []string{"reinstate"}, next: "2026-04-19T00:00:00Z"},
		// THIRD is overdue: a new run, with new keys, and the stage clock
		// counts from its due date.
		{at: "2026-04-19T00:00:00Z", stage: "remind", actions: []string{"reminder r", "campaign_attempt calls#1 900.00 USD"},
			next: "2026-04-26T00:00:00.000000001Z"},
	})
}

// TestGraceDays checks the boundaries of the grace period: with 3 days an
// invoice due on the 6th is overdue on the 10th.
func TestGraceDays(t *testing.T) {
	s := mustSchedule(t, `
id: g
grace_days: 3
stages:
  - {id: remind, after_days: 60, actions: [{reminder: r}]}
campaigns:
  - {id: calls, thresholds: ["10.00 USD"], max_attempts: 1, min_interval: 1d}
`)
	l := ledger(inv("N2", "50.00 USD", "2026-03-04", 2))
	runSteps(t, s, l, time.UTC, []evalStep{
		{at: "2026-03-09T23:59:59Z", stage: "current", next: "2026-03-10T00:00:00Z"},
		{at: "2026-03-10T00:00:00Z", stage: "current", actions: []string{"campaign_attempt calls#1 50.00 USD"},
			next: "2026-03-11T00:00:00.000000001Z"},
	})
}

// TestStageOverdueMeasure checks min_balance and min_invoices on the
// overdue measure, against the same stage on the default unpaid measure.
func TestStageOverdueMeasure(t *testing.T) {
	const stages = `
stages:
  - {id: big, after_days: 1, min_balance: ["100.00 USD"], min_invoices: 2%s, actions: [{reminder: big}]}
  - {id: remind, after_days: 1, actions: [{reminder: r}]}
`
	overdue := mustSchedule(t, "id: o"+strings.Replace(stages, "%s", ", measure: overdue", 1))
	unpaid := mustSchedule(t, "id: u"+strings.Replace(stages, "%s", "", 1))
	facts := func() *Ledger {
		return ledger(inv("A", "60.00 USD", "2026-03-01", 0), inv("B", "60.00 USD", "2026-03-02", 10))
	}
	runSteps(t, unpaid, facts(), time.UTC, []evalStep{
		{at: "2026-03-02T00:00:00Z", stage: "big", actions: []string{"reminder big"}},
	})
	runSteps(t, overdue, facts(), time.UTC, []evalStep{
		// 120.00 unpaid in 2 invoices, 60.00 overdue in 1.
		{at: "2026-03-02T00:00:00Z", stage: "remind", actions: []string{"reminder r"}, next: "2026-03-13T00:00:00Z"},
		{at: "2026-03-12T23:59:59Z", stage: "remind", next: "2026-03-13T00:00:00Z"},
		{at: "2026-03-13T00:00:00Z", stage: "big", actions: []string{"reminder big"}},
	})
}

// TestConditionOverdue checks the CEL variables account.overdue and
// account.overdue_invoices, and the overdue figures of the result.
func TestConditionOverdue(t *testing.T) {
	s := mustSchedule(t, `
id: cel
stages:
  - id: review
    after_days: 1
    when: account.overdue.minor >= 10000 && account.overdue_invoices >= 2
    actions: [{reminder: account-manager}]
  - {id: remind, after_days: 1, actions: [{reminder: r}]}
`)
	l := ledger(inv("A", "60.00 USD", "2026-03-01", 0), inv("B", "60.00 USD", "2026-03-02", 10))
	runSteps(t, s, l, time.UTC, []evalStep{
		{at: "2026-03-02T00:00:00Z", stage: "remind", actions: []string{"reminder r"}, next: "2026-03-13T00:00:00Z"},
		{at: "2026-03-13T00:00:00Z", stage: "review", actions: []string{"reminder account-manager"}},
	})
	res, err := dunner(t, s, time.UTC).Evaluate(State{}, l, at("2026-03-05T00:00:00Z"))
	if err != nil {
		t.Fatal(err)
	}
	c := res.Currencies[0]
	if c.Unpaid != usd("120.00") || c.UnpaidInvoices != 2 || c.Overdue != usd("60.00") || c.OverdueInvoices != 1 {
		t.Errorf("status %+v, want 120.00 USD unpaid in 2 invoices, 60.00 USD overdue in 1", c)
	}
}
