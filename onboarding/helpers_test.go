package onboarding_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/riskkit/riskkit/onboarding"
	"github.com/riskkit/riskkit/risk"
)

// testPolicy is a small policy whose rules each exercise one effect, so
// that tests can switch effects on and off one at a time.
const testPolicy = `
id: test-onboarding
version: "1"
outcomes: [reject, review, pending, step_up, approve_with_controls, approve]
bands:
  - {min_score: 90, outcome: reject}
  - {min_score: 60, outcome: review}
  - {min_score: 30, outcome: approve_with_controls}
lists:
  refused_funding: [prepaid, stored_value]
  risky: [NG]
params:
  bot: 90
rules:
  - id: bot
    when: signup.bot_score >= params.bot
    action: reject
    reason: BOT
  - id: sms
    when: signup.sms != "verified"
    action: step_up
    reason: SMS
  - id: three_ds
    when: payment.type == "card" && payment.three_ds == "unchecked" && payment.issuing_country != signup.ip_country
    action: step_up
    reason: THREE_DS
  - id: refused
    when: payment.funding in lists.refused_funding
    action: step_up
    reason: REFUSED
  - id: identity_pending
    when: identity.status == "pending"
    action: pending
    reason: IDENTITY_PENDING
  - id: identity_failed
    when: identity.status == "failed"
    action: review
    reason: IDENTITY_FAILED
  - id: scored
    when: signals.accounts_per_ip_1h >= 3
    score: 65
    reason: IP_BURST
  - id: region
    when: country in lists.risky
    action: approve_with_controls
    reason: REGION
  - id: no_report
    when: credit.status == "not_run" && business.status == "not_run"
    action: approve_with_controls
    reason: NO_REPORT
  - id: disposable
    when: email_check.disposable
    score: 30
    reason: DISPOSABLE
  - id: admin
    when: admin_access && !(mfa && identity.status == "verified")
    action: approve_with_controls
    reason: ADMIN
  - id: canada
    when: country == "CA"
    score: 10
    reason: CANADA
  - id: watch
    when: country == "FR"
    score: 10
    reason: WATCH
    mode: shadow
controls:
  currencies: [USD, EUR]
  review: {within: 48h, on_expiry: reject}
  credit_limit:
    bands:
      A: [5000.00 USD, 4600.00 EUR]
      B: [2000.00 USD, 1840.00 EUR]
      C: [500.00 USD, 460.00 EUR]
    no_report: [0.00 USD, 0.00 EUR]
    prepayment_multiple: 150%
    net_worth_share: 5%
  monthly_cap: {alerts: [80%, 100%]}
  tiers:
    - {id: new, name: New, monthly_cap: [500.00 USD, 460.00 EUR], hold: [gpu_compute, bare_metal]}
    - id: established
      requires: {tenure_days: 30, invoices_paid: 1, amount_paid: [200.00 USD, 184.00 EUR], max_chargebacks: 0, verified: [identity]}
      monthly_cap: [2500.00 USD, 2300.00 EUR]
      hold: [bare_metal]
    - id: trusted
      name: Trusted
      requires: {tenure_days: 90, invoices_paid: 3, amount_paid: [1500.00 USD, 1380.00 EUR], max_late_payments: 1, mfa: true, personal_contact: true}
      monthly_cap: [10000.00 USD, 9200.00 EUR]
  rules:
    sms: {step_up: [sms]}
    three_ds: {step_up: [three_ds]}
    refused: {step_up: [payment_method]}
    region: {prepayment: [500.00 USD, 460.00 EUR], max_tier: new, hold: [vpn], no_credit: true}
    no_report: {prepayment: [100.00 USD, 92.00 EUR]}
    disposable: {prepayment: [150.00 USD, 138.00 EUR]}
    admin: {admin: restricted}
    identity_failed: {admin: none}
`

// Fixed instants of the tests.
var (
	t0 = time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
)

func compile(tb testing.TB, src string) *onboarding.Policy {
	tb.Helper()
	p, err := onboarding.Compile([]byte(src))
	if err != nil {
		tb.Fatal(err)
	}
	return p
}

func assessor(tb testing.TB, src string, o onboarding.Options) *onboarding.Assessor {
	tb.Helper()
	as, err := onboarding.NewAssessor(compile(tb, src), o)
	if err != nil {
		tb.Fatal(err)
	}
	return as
}

// clean returns an applicant no rule of testPolicy objects to: verified
// phone and identity, a band B credit report, a domestic credit card.
func clean() onboarding.Applicant {
	return onboarding.Applicant{
		ID: "app-1", Kind: risk.Individual, Country: "US", Currency: "USD",
		Signup: onboarding.Signup{At: t0, IP: "192.0.2.10", IPCountry: "US", DeviceID: "dev-1",
			EmailDomain: "example.com", Email: risk.Verified, Phone: "+14155550100", SMS: risk.Verified,
			FormSeconds: risk.Known(48), BotScore: risk.Known(4)},
		Identity: onboarding.Check{Status: risk.Verified, Provider: "idv"},
		Credit:   onboarding.Check{Status: risk.Verified, Provider: "bureau", Band: "B"},
		Payment:  risk.PaymentInstrument{Type: risk.Card, Funding: risk.Credit, IssuingCountry: "US", CVC: risk.Pass, Address: risk.Pass},
		Services: []string{"vm_compute"},
		Signals: risk.Signals{AccountsPerIP1h: risk.Known(0), AccountsPerIP24h: risk.Known(0),
			AccountsPerDevice1h: risk.Known(0), AccountsPerDevice24h: risk.Known(0),
			AccountsPerCard1h: risk.Known(0), AccountsPerCard24h: risk.Known(0),
			DistinctCards24h: risk.Known(1), FailedPayments24h: risk.Known(0)},
	}
}

func usd(s string) risk.Money { return risk.MustMoney(s + " USD") }

// eq compares the package's values: Money and Signal have unexported
// fields and compare with ==.
var eq = cmp.Options{cmpopts.EquateComparable(risk.Money{}, risk.Signal{}), cmpopts.EquateEmpty()}

// issueText compares issues by what they say and where, not by their
// underlying errors, which the tests that need them check with errors.Is.
var issueText = cmpopts.IgnoreFields(risk.Issue{}, "Err")

// signUp is the first evaluation of an applicant.
func signUp(as *onboarding.Assessor, a *onboarding.Applicant, now time.Time) (onboarding.Assessment, error) {
	r, err := as.Evaluate(onboarding.Assessment{}, onboarding.Event{Applicant: a}, now)
	return r.Assessment, err
}

// reassess is a later evaluation with facts.
func reassess(as *onboarding.Assessor, prev *onboarding.Assessment, f onboarding.Facts, now time.Time) (onboarding.Assessment, []onboarding.Change, error) {
	r, err := as.Evaluate(*prev, onboarding.Event{Facts: f}, now)
	return r.Assessment, r.Changes, err
}
