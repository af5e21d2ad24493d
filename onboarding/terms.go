package onboarding

import (
	"time"

	"github.com/riskkit/riskkit/risk"
)

// Terms are the controls section of an onboarding policy: the currencies it
// covers, how reviews expire, the credit limit formula, the spending cap's
// alerts, the trust tiers, and the controls each rule adds when it fires.
// In the policy document they are the value of the key "controls", in the
// field names of the JSON tags:
//
//	controls:
//	  currencies: [USD, EUR]
//	  review: {within: 48h, on_expiry: reject}
//	  credit_limit:
//	    bands: {A: [5000.00 USD, 4600.00 EUR], B: [2000.00 USD, 1840.00 EUR]}
//	    no_report: [0.00 USD, 0.00 EUR]
//	    prepayment_multiple: 100%
//	    net_worth_share: 5%
//	  monthly_cap: {alerts: [80%, 100%]}
//	  tiers:
//	    - {id: new, monthly_cap: [500.00 USD, 460.00 EUR], hold: [gpu_compute]}
//	    - id: established
//	      requires: {tenure_days: 30, invoices_paid: 1, amount_paid: [200.00 USD, 184.00 EUR]}
//	      monthly_cap: [2500.00 USD, 2300.00 EUR]
//	  rules:
//	    sms_not_verified: {step_up: [sms]}
//	    high_risk_region: {prepayment: [500.00 USD, 460.00 EUR], max_tier: new}
//
// Every amount is given once per currency the terms cover, so that a
// customer billed in any of them gets controls without an exchange rate.
type Terms struct {
	// Currencies are the billing currencies the terms cover. Every amount
	// list names each of them exactly once.
	Currencies []string `json:"currencies"`
	// Review says how long a review may take and what happens after.
	Review ReviewTerms `json:"review"`
	// CreditLimit is the initial credit limit formula.
	CreditLimit CreditTerms `json:"credit_limit"`
	// MonthlyCap configures the spending cap's budget.
	MonthlyCap CapTerms `json:"monthly_cap,omitzero"`
	// Tiers are the trust tiers, from the one every customer starts in.
	Tiers []Tier `json:"tiers"`
	// Rules are the controls a rule adds when it fires, by rule id.
	Rules map[string]Effect `json:"rules,omitempty"`
}

// ReviewTerms say how long a person has to review a sign-up.
type ReviewTerms struct {
	// Within is the time from the assessment to the review's deadline,
	// written as "48h" or "2d".
	Within time.Duration `json:"within"`
	// OnExpiry is the outcome when the deadline passes with no decision:
	// reject, or approve_with_controls for a host that prefers to let
	// customers in under controls.
	OnExpiry Outcome `json:"on_expiry"`
}

// CreditTerms are the initial credit limit formula:
//
//	limit = min(band amount + prepaid × prepayment_multiple,
//	            net worth × net_worth_share)
//
// The band amount comes from Bands for the band of the verified credit
// report (a business's commercial report first), or NoReport when there is
// none. The net worth cap applies only when a verified report states a net
// worth and NetWorthShare is set. Each product is rounded down to a whole
// minor unit, so the limit never exceeds what the formula allows.
type CreditTerms struct {
	// Bands are the amounts by report band, "A" to "E".
	Bands map[string]Amounts `json:"bands"`
	// NoReport is the amount when no verified report gives a band.
	NoReport Amounts `json:"no_report"`
	// PrepaymentMultiple is how much limit each unit of prepayment buys,
	// as a percentage: 100% adds the prepayment itself.
	PrepaymentMultiple risk.Percent `json:"prepayment_multiple,omitzero"`
	// NetWorthShare caps the limit at a share of stated net worth; zero
	// means no cap.
	NetWorthShare risk.Percent `json:"net_worth_share,omitzero"`
}

// CapTerms configure the monthly spending cap's budget.
type CapTerms struct {
	// Alerts are the percentages of the cap at which the host is told;
	// none means the budget package's default, 80% of actual spend.
	Alerts []risk.Percent `json:"alerts,omitempty"`
}

// Tier is a level of trust, with the spending cap and the services held
// back at that level. A customer is in the highest tier whose requirements,
// and those of every tier before it, they meet.
type Tier struct {
	// ID names the tier: lower-case letters, digits, '-' and '_'.
	ID string `json:"id"`
	// Name is the tier as people read it; it defaults to the id.
	Name string `json:"name,omitzero"`
	// Requires is what a customer needs to reach the tier. The first tier
	// requires nothing.
	Requires Requirements `json:"requires,omitzero"`
	// MonthlyCap is the monthly spending cap in the tier.
	MonthlyCap Amounts `json:"monthly_cap"`
	// Hold are the services held back in the tier, such as gpu_compute.
	Hold []string `json:"hold,omitempty"`
}

// Requirements are what a customer must have to reach a tier. The zero
// value requires nothing.
type Requirements struct {
	// TenureDays is the least number of whole days since sign-up.
	TenureDays int64 `json:"tenure_days,omitzero"`
	// InvoicesPaid is the least number of invoices paid in full.
	InvoicesPaid int64 `json:"invoices_paid,omitzero"`
	// AmountPaid is the least total paid, one amount per currency.
	AmountPaid Amounts `json:"amount_paid,omitempty"`
	// MaxChargebacks, when set, is the most chargebacks allowed.
	MaxChargebacks *int64 `json:"max_chargebacks,omitempty"`
	// MaxLatePayments, when set, is the most invoices paid late allowed.
	MaxLatePayments *int64 `json:"max_late_payments,omitempty"`
	// Verified are the verifications that must have succeeded.
	Verified []CheckName `json:"verified,omitempty"`
	// MFA requires a second factor enrolled.
	MFA bool `json:"mfa,omitzero"`
	// PersonalContact requires that someone has spoken with the customer.
	PersonalContact bool `json:"personal_contact,omitzero"`
}

// Effect is what a rule adds to the controls when it fires as an active
// rule. The zero value adds nothing.
type Effect struct {
	// StepUp are the step-ups the rule asks for; the rule's action must be
	// step_up.
	StepUp []Method `json:"step_up,omitempty"`
	// Prepayment is a prepayment required before the first bill, one
	// amount per currency; the largest of the rules that fired applies.
	Prepayment Amounts `json:"prepayment,omitempty"`
	// Hold are services held back while the rule fires, whatever the tier.
	Hold []string `json:"hold,omitempty"`
	// Admin, when set, is the most administrative access allowed while the
	// rule fires.
	Admin *AdminLevel `json:"admin,omitempty"`
	// MaxTier, when set, is the highest tier reachable while the rule
	// fires.
	MaxTier string `json:"max_tier,omitzero"`
	// NoCredit sets the credit limit to zero while the rule fires: the
	// customer pays in advance.
	NoCredit bool `json:"no_credit,omitzero"`
}

// Amounts are one amount per currency. In documents a single amount may be
// written without the list.
type Amounts []risk.Money

// In returns the amount in a currency, and whether there is one.
func (a Amounts) In(currency string) (risk.Money, bool) {
	for _, m := range a {
		if m.Currency() == currency {
			return m, true
		}
	}
	return risk.Money{}, false
}
