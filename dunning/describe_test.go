package dunning

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestDescribe(t *testing.T) {
	s := mustSchedule(t, `
id: standard
name: Standard collections
version: "2026.11"
credit_blocked_time: true
retries:
  offsets_days: [1, 3, 5]
stages:
  - id: collections
    name: Sent to collections
    after_days: 60
    min_invoices: 2
    actions: [send_to_collections, {cancel: end_of_term}]
  - id: suspend
    name: Suspended
    after_days: 30
    min_balance: ["20.00 USD", "18.00 EUR"]
    actions: [restrict_purchases, suspend_subscriptions, {reminder: suspended}]
  - id: restrict
    name: Purchases restricted
    after_days: 14
    actions: [restrict_purchases, {reminder: restricted}]
  - id: remind
    name: Reminder
    after_days: 1
    actions: [{reminder: overdue}, retry_payment]
campaigns:
  - id: recovery
    name: Collection calls
    thresholds: ["100.00 USD", "90.00 EUR"]
    max_attempts: 3
    min_interval: 7d
    from_stage: suspend
`)
	want := `Collections policy: Standard collections (version 2026.11)

If an invoice is not paid, these steps follow. Days are calendar days in your time zone, counted from the due date of your oldest unpaid invoice.

- 1 day after the due date: Reminder. We send you a reminder and we retry your payment method. Your access is not affected.
- 14 days after the due date: Purchases restricted. We send you a reminder. You cannot buy new services; the services you have keep running.
- 30 days after the due date, when at least 20.00 USD or 18.00 EUR is unpaid: Suspended. We send you a reminder. Your subscriptions are suspended and you cannot buy new services.
- 60 days after the due date, when at least 2 invoices are unpaid: Sent to collections. Your subscriptions are cancelled at the end of the term you paid for and your unpaid balance is sent to a collections agency. Your subscriptions are suspended and you cannot buy new services.

Failed payments: we retry a failed payment 1, 3 and 5 days after it first fails, unless your bank declines it outright. A successful payment ends the retries.

Collection calls: when at least 100.00 USD or 90.00 EUR is overdue and your account has reached the step "Suspended", we make up to 3 attempts to collect it, more than 7 days apart.

Getting back to current: as soon as you pay what is unpaid, we lift every restriction and restore your access. We credit you the price of your subscriptions, pro rata, for the days they were suspended or your access was disabled. An invoice you dispute does not count while the dispute is open, and we can pause these steps while you arrange payment.
`
	if diff := cmp.Diff(want, s.Describe()); diff != "" {
		t.Errorf("Describe (-want +got):\n%s", diff)
	}
}
