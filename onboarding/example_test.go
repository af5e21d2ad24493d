package onboarding_test

import (
	"fmt"
	"strings"
	"time"

	"github.com/riskkit/riskkit/dunning"
	"github.com/riskkit/riskkit/onboarding"
	"github.com/riskkit/riskkit/risk"
)

const examplePolicyYAML = `
id: onboarding-example
version: "1"
outcomes: [reject, review, pending, step_up, approve_with_controls, approve]
bands:
  - {min_score: 60, outcome: review}
lists:
  refused_funding: [prepaid, stored_value]
  high_risk_regions: [NG, VN]
rules:
  - id: sms_not_verified
    when: signup.sms != "verified"
    action: step_up
    reason: SMS_NOT_VERIFIED
  - id: high_risk_region
    when: country in lists.high_risk_regions || signup.ip_country in lists.high_risk_regions
    action: approve_with_controls
    reason: HIGH_RISK_REGION
  - id: admin_before_controls
    when: admin_access && !(mfa && identity.status == "verified")
    action: approve_with_controls
    reason: ADMIN_BEFORE_CONTROLS
  - id: signup_burst
    when: signals.accounts_per_ip_1h >= 3
    score: 60
    reason: IP_SIGNUP_BURST
controls:
  currencies: [USD]
  review: {within: 24h, on_expiry: reject}
  credit_limit:
    bands: {A: 5000.00 USD, B: 2000.00 USD}
    no_report: 0.00 USD
    prepayment_multiple: 100%
  tiers:
    - {id: new, monthly_cap: 500.00 USD, hold: [gpu_compute]}
    - id: established
      requires: {tenure_days: 30, invoices_paid: 1, amount_paid: 200.00 USD, verified: [identity]}
      monthly_cap: 2500.00 USD
  rules:
    sms_not_verified: {step_up: [sms]}
    high_risk_region: {prepayment: 500.00 USD, no_credit: true}
    admin_before_controls: {admin: restricted}
`

func Example() {
	policy, err := onboarding.Compile([]byte(examplePolicyYAML))
	if err != nil {
		fmt.Println(err)
		return
	}
	as, err := onboarding.NewAssessor(policy, onboarding.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	a := onboarding.Applicant{
		ID: "ana", Kind: risk.Individual, Country: "NG", Currency: "USD",
		Signup:      onboarding.Signup{At: now, IPCountry: "NG", EmailDomain: "example.com", Email: risk.Verified, SMS: risk.Verified},
		Identity:    onboarding.Check{Status: risk.Verified},
		Credit:      onboarding.Check{Status: risk.Verified, Band: "B"},
		Payment:     risk.PaymentInstrument{Type: risk.Card, Funding: risk.Debit, IssuingCountry: "NG"},
		Services:    []string{"vm_compute", "gpu_compute"},
		AdminAccess: true,
		Signals:     risk.Signals{AccountsPerIP1h: risk.Known(1)},
	}
	r, err := as.Evaluate(onboarding.Assessment{}, onboarding.Event{Applicant: &a}, now)
	if err != nil {
		fmt.Println(err)
		return
	}
	res := r.Assessment
	c := res.Controls
	fmt.Println("outcome:", res.Outcome, res.Decision.Reasons())
	fmt.Println("prepayment due:", c.Prepayment.Due)
	fmt.Println("credit limit:", c.CreditLimit.Limit, "no credit while", c.CreditLimit.NoCreditRules)
	fmt.Println("monthly cap:", c.MonthlyCap.Amount, "from", c.MonthlyCap.Start)
	for _, h := range c.Held {
		fmt.Println("held:", h.Service, "until tier", h.Until)
	}
	fmt.Println("admin:", c.Admin.Level)
	fmt.Println("tier:", res.Tier.ID, "next:", res.Tier.Next.ID)
	for _, r := range res.Tier.Next.Requirements {
		fmt.Printf("  %-17s need %-10s have %-10s met %v\n", r.Name, r.Need, r.Have, r.Met)
	}
	// Output:
	// outcome: approve_with_controls [HIGH_RISK_REGION ADMIN_BEFORE_CONTROLS]
	// prepayment due: 500.00 USD
	// credit limit: 0.00 USD no credit while [high_risk_region]
	// monthly cap: 500.00 USD from 2026-11-01
	// held: gpu_compute until tier established
	// admin: restricted
	// tier: new next: established
	//   tenure_days       need 30         have 0          met false
	//   invoices_paid     need 1          have 0          met false
	//   amount_paid       need 200.00 USD have 0.00 USD   met false
	//   verified.identity need verified   have verified   met true
}

func ExampleAssessor_Evaluate_reassess() {
	policy, _ := onboarding.Compile([]byte(examplePolicyYAML))
	as, _ := onboarding.NewAssessor(policy, onboarding.Options{})
	signup := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	a := onboarding.Applicant{
		ID: "ben", Kind: risk.Individual, Country: "US", Currency: "USD",
		Signup:   onboarding.Signup{At: signup, IPCountry: "US", SMS: risk.Pending},
		Identity: onboarding.Check{Status: risk.Verified},
		Signals:  risk.Signals{AccountsPerIP1h: risk.Known(1)},
	}
	r, _ := as.Evaluate(onboarding.Assessment{}, onboarding.Event{Applicant: &a}, signup)
	first := r.Assessment
	fmt.Println("sign-up:", first.Outcome, first.StepUps[0].Method)

	// Thirty days later: the phone is verified and a first invoice paid.
	r, err := as.Evaluate(first, onboarding.Event{Facts: onboarding.Facts{
		SMS:     risk.Verified,
		History: &risk.PaymentHistory{InvoicesPaid: 1, AmountPaid: risk.MustMoney("240.00 USD")},
	}}, signup.Add(30*24*time.Hour))
	if err != nil {
		fmt.Println(err)
		return
	}
	next, changes := r.Assessment, r.Changes
	fmt.Println("now:", next.Outcome, "tier", next.Tier.ID)
	for _, c := range changes {
		if strings.HasPrefix(c.Field, "tier") || strings.HasPrefix(c.Field, "controls.") || c.Field == "outcome" {
			fmt.Printf("%s: %s → %s because %s\n", c.Field, c.From, c.To, strings.Join(c.Why, "; "))
		}
	}
	// Output:
	// sign-up: step_up sms
	// now: approve tier established
	// outcome: step_up → approve because rule sms_not_verified stopped firing (SMS_NOT_VERIFIED)
	// tier: new → established because signup.sms: pending → verified; tenure_days: 0 → 30; history.invoices_paid: 0 → 1; history.amount_paid: none → 240.00 USD
	// controls.monthly_cap: 500.00 USD → 2500.00 USD because tier new → established
	// controls.held.gpu_compute: held → available because tier new → established
}

func ExampleNewEmailCheck() {
	check, err := onboarding.NewEmailCheck(onboarding.EmailLists{
		Deny:  []string{"burner.example"}, // the host's own finds
		Allow: []string{"yopmail.com"},    // a built-in entry the host disagrees with
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, address := range []string{"x@mailinator.com", "y@mx.burner.example", "z@yopmail.com", "w@example.com"} {
		v := check.Check(address)
		fmt.Println(v.Domain, v.Disposable, v.Source)
	}
	// Output:
	// mailinator.com true built_in
	// mx.burner.example true host_deny
	// yopmail.com false host_allow
	// example.com false unlisted
}

func ExampleCollectionsFrom() {
	schedule, err := dunning.ParseSchedule([]byte(`
id: standard
version: "2026.11"
name: Standard collections
stages:
  - id: suspend
    name: Suspended
    after_days: 30
    actions: [suspend_subscriptions, {reminder: suspended}]
  - id: remind
    name: Reminder
    after_days: 1
    actions: [{reminder: overdue}]
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	c := onboarding.CollectionsFrom(schedule)
	fmt.Println(c.ScheduleID, c.Version)
	fmt.Print(c.Text)
	// Output:
	// standard 2026.11
	// Collections policy: Standard collections (version 2026.11)
	//
	// If an invoice is not paid, these steps follow. Days are calendar days in your time zone, counted from the due date of your oldest unpaid invoice.
	//
	// - 1 day after the due date: Reminder. We send you a reminder. Your access is not affected.
	// - 30 days after the due date: Suspended. We send you a reminder. Your subscriptions are suspended.
	//
	// Getting back to current: as soon as you pay what is unpaid, we lift every restriction and restore your access. An invoice you dispute does not count while the dispute is open, and we can pause these steps while you arrange payment.
}
