package onboarding

import (
	"time"

	"github.com/riskkit/riskkit/risk"
)

// Applicant is what a host knows about someone signing up: who they say they
// are, how they signed up, what the verification services and bureaus
// answered, how they want to pay, and what they asked for.
//
// Every check has an explicit state: a check that was not run
// ([risk.NotRun], the zero value) is different from one that is still
// pending, and a [risk.Signal] the host did not supply is different from a
// supplied zero. Policies never read a missing input as a clean one.
//
// An Applicant is plain data that round-trips through encoding/json;
// [DecodeApplicant] reads one strictly, with the line and column of every
// problem, and [Applicant.Validate] checks one built in Go. Its zero value
// is not a valid applicant: it has no id and no billing currency.
type Applicant struct {
	// ID is the host's id for the applicant: 1 to 100 letters, digits and
	// ._:@- characters, so that it can name the spending budget and the
	// idempotency keys derived from it.
	ID string `json:"id"`
	// Kind is individual or business.
	Kind risk.CustomerKind `json:"kind,omitzero"`
	// Country is the country the applicant states, ISO 3166-1 alpha-2.
	Country string `json:"country,omitzero"`
	// Currency is the ISO 4217 currency the customer will be billed in;
	// every amount of the controls is in it.
	Currency string `json:"currency"`
	// Signup is how the applicant signed up.
	Signup Signup `json:"signup"`
	// Identity is the digital identity service's or document check's
	// result, for the person signing up.
	Identity Check `json:"identity,omitzero"`
	// Credit is the credit bureau report: a consumer report for an
	// individual, a commercial one for a business.
	Credit Check `json:"credit,omitzero"`
	// Business is the business registration and commercial report check.
	Business Check `json:"business,omitzero"`
	// PersonalContact reports whether someone at the host has spoken with
	// the applicant, for example by phone.
	PersonalContact bool `json:"personal_contact,omitzero"`
	// MFA reports whether the applicant has enrolled a second factor.
	MFA bool `json:"mfa,omitzero"`
	// Payment is the payment instrument offered, with the card checks'
	// results.
	Payment risk.PaymentInstrument `json:"payment,omitzero"`
	// Services are the service categories or SKUs requested, such as
	// "gpu_compute" ([risk.CategoryGPUCompute]).
	Services []string `json:"services,omitempty"`
	// AdminAccess reports whether the applicant asked for administrative
	// access to the account.
	AdminAccess bool `json:"admin_access,omitzero"`
	// Signals are the velocities the host counted: accounts created from the
	// same IP address, device or card, cards tried, failed payments.
	Signals risk.Signals `json:"signals,omitzero"`
}

// Signup is the context of the sign-up form.
type Signup struct {
	// At is when the form was submitted.
	At time.Time `json:"at,omitzero"`
	// IP is the address the form came from, and IPCountry its country as
	// the host's geolocation resolved it.
	IP        string `json:"ip,omitzero"`
	IPCountry string `json:"ip_country,omitzero"`
	// DeviceID is the host's device fingerprint.
	DeviceID string `json:"device_id,omitzero"`
	// EmailDomain is the domain of the email address, such as
	// "example.com"; [DomainOf] extracts it from an address.
	EmailDomain string `json:"email_domain,omitzero"`
	// Email is the state of email verification by link or code.
	Email risk.Verification `json:"email,omitzero"`
	// Phone is the phone number in E.164 form, such as "+14155550100".
	Phone string `json:"phone,omitzero"`
	// SMS is the state of phone verification by SMS code, the
	// multi-factor check at sign-up.
	SMS risk.Verification `json:"sms,omitzero"`
	// FormSeconds is how long the form took to complete, in whole seconds.
	FormSeconds risk.Signal `json:"form_seconds,omitzero"`
	// BotScore is the host's bot-detection score, from 0 (a person) to 100
	// (a bot).
	BotScore risk.Signal `json:"bot_score,omitzero"`
}

// Check is the result of one verification: identity, a credit report, or a
// business registration and commercial report.
type Check struct {
	// Status is verified, failed, pending or not run (the zero value).
	Status risk.Verification `json:"status,omitzero"`
	// Provider names the service that ran the check, for people reading
	// the assessment.
	Provider string `json:"provider,omitzero"`
	// Band is the provider's score band, "A" (strongest) to "E" (weakest);
	// empty when the check has none or is not complete.
	Band string `json:"band,omitzero"`
	// Revenue is the annual revenue the report states, when known.
	Revenue risk.Money `json:"revenue,omitzero"`
	// NetWorth is the net worth the report states, when known; it caps the
	// initial credit limit.
	NetWorth risk.Money `json:"net_worth,omitzero"`
}

// Account is what has happened since sign-up: when the account was opened
// and how the customer has paid. It is zero for a new sign-up.
type Account struct {
	// OpenedAt is when the account was opened: the time of the first
	// assessment.
	OpenedAt time.Time `json:"opened_at,omitzero"`
	// TenureDays is the number of whole 24-hour days from OpenedAt to the
	// assessment. The assessment computes it; a value given is replaced.
	TenureDays int64 `json:"tenure_days,omitzero"`
	// History summarises the payments so far.
	History risk.PaymentHistory `json:"history,omitzero"`
	// Prepaid is the prepayment received so far, in the applicant's
	// currency; the zero Money means none.
	Prepaid risk.Money `json:"prepaid,omitzero"`
}

// Input is what an onboarding policy reads: the applicant's fields as
// variables of their own (id, kind, country, currency, signup, identity,
// credit, business, personal_contact, mfa, payment, services, admin_access,
// signals), the disposable-email verdict as email_check, and the account as
// account. Its JSON is the applicant's with those two keys added, which is
// the shape of a policy test case's input.
type Input struct {
	Applicant
	EmailCheck EmailVerdict `json:"email_check,omitzero"`
	Account    Account      `json:"account,omitzero"`
}
