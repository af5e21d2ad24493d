package risk

import (
	"time"

	"github.com/riskkit/riskkit/internal/enum"
)

// CustomerKind says whether a customer is a person or an organisation.
// The zero value means the host did not say.
type CustomerKind string

// Customer kinds.
const (
	Individual CustomerKind = "individual"
	Business   CustomerKind = "business"
)

var customerKinds = enum.New("risk", "customer kind", "", Individual, Business)

// String returns the kind's name; the zero value's is "".
func (k CustomerKind) String() string { return customerKinds.Name(k) }

// MarshalText returns the kind's name.
func (k CustomerKind) MarshalText() ([]byte, error) { return customerKinds.Text(k) }

// UnmarshalText accepts "individual", "business" or the empty string.
func (k *CustomerKind) UnmarshalText(b []byte) (err error) {
	*k, err = customerKinds.Parse(b)
	return err
}

// Verification is the state of one verification step (email, phone,
// identity, business registration, credit check). The zero value means the
// step was not run, which is different from a step that is still pending.
type Verification string

// Verification states.
const (
	NotRun   Verification = ""
	Pending  Verification = "pending"
	Verified Verification = "verified"
	Failed   Verification = "failed"
)

var verifications = enum.New("risk", "verification", "not_run", Verified, Failed, Pending)

// String returns the state's name; the zero value's is "not_run".
func (v Verification) String() string { return verifications.Name(v) }

// MarshalText returns the state's name.
func (v Verification) MarshalText() ([]byte, error) { return verifications.Text(v) }

// UnmarshalText accepts "verified", "failed", "pending", "not_run" or the
// empty string (not run).
func (v *Verification) UnmarshalText(b []byte) (err error) {
	*v, err = verifications.Parse(b)
	return err
}

// CreditCheck is the result of a credit bureau or business commercial report.
type CreditCheck struct {
	// Status is the state of the check.
	Status Verification `json:"status,omitzero"`
	// Band is the bureau's score band, "A" (strongest) to "E" (weakest);
	// empty when the check was not completed.
	Band string `json:"band,omitzero"`
}

// PaymentHistory summarises how a customer has paid so far.
type PaymentHistory struct {
	// InvoicesPaid counts invoices paid in full.
	InvoicesPaid int64 `json:"invoices_paid,omitzero"`
	// InvoicesPaidLate counts invoices paid after their due date.
	InvoicesPaidLate int64 `json:"invoices_paid_late,omitzero"`
	// AmountPaid is the total the customer has paid.
	AmountPaid Money `json:"amount_paid,omitzero"`
	// Chargebacks counts payments the customer disputed with their bank.
	Chargebacks int64 `json:"chargebacks,omitzero"`
	// FirstPaymentAt is when the first payment arrived; the zero time means
	// none has arrived yet.
	FirstPaymentAt time.Time `json:"first_payment_at,omitzero"`
}

// Customer is an account holder as the host knows them at decision time.
//
// Money fields left at their zero value mean "not supplied" and read as
// missing inputs in policies, never as zero.
type Customer struct {
	ID        string       `json:"id"`
	Kind      CustomerKind `json:"kind,omitzero"`
	Country   string       `json:"country,omitzero"` // ISO 3166-1 alpha-2
	CreatedAt time.Time    `json:"created_at,omitzero"`

	// Email is the state of email address verification.
	Email Verification `json:"email,omitzero"`
	// Phone is the state of phone verification by SMS code.
	Phone Verification `json:"phone,omitzero"`
	// MFA reports whether multi-factor authentication is enrolled.
	MFA bool `json:"mfa,omitzero"`
	// Identity is the state of identity verification by a digital identity
	// service or document check.
	Identity Verification `json:"identity,omitzero"`
	// BusinessRegistration is the state of the business registry check.
	BusinessRegistration Verification `json:"business_registration,omitzero"`
	// Credit is the credit bureau or business report result.
	Credit CreditCheck `json:"credit,omitzero"`
	// PersonalContact reports whether someone spoke to the customer, for
	// example by phone.
	PersonalContact bool `json:"personal_contact,omitzero"`

	// History summarises payments so far.
	History PaymentHistory `json:"history,omitzero"`
	// CreditLimit is the amount the customer may owe before paying.
	CreditLimit Money `json:"credit_limit,omitzero"`
	// PrepaidBalance is prepayment not yet consumed.
	PrepaidBalance Money `json:"prepaid_balance,omitzero"`
	// OutstandingBalance is what the customer owes now.
	OutstandingBalance Money `json:"outstanding_balance,omitzero"`
}
