package onboarding

import (
	"github.com/riskkit/riskkit/internal/enum"
	"github.com/riskkit/riskkit/risk"
)

// Outcome is what an assessment decides. The zero value means "not
// assessed"; an assessment always has one of the named outcomes.
type Outcome string

// Outcomes, from the most severe. An onboarding policy lists some of them,
// in this order, as its outcomes; the last it lists is its default.
const (
	// Reject refuses the sign-up.
	Reject Outcome = "reject"
	// Review sends the sign-up to a person, with a deadline and what
	// happens when nobody decides in time ([Review]).
	Review Outcome = "review"
	// Pending waits for a verification that is still running
	// ([Assessment.Outstanding] says which).
	Pending Outcome = "pending"
	// StepUp asks the applicant for more proof ([Assessment.StepUps] says
	// which).
	StepUp Outcome = "step_up"
	// ApproveWithControls approves under controls that rules added on top
	// of the tier's: a prepayment, a restriction, a service held back.
	ApproveWithControls Outcome = "approve_with_controls"
	// Approve approves under the tier's standard controls.
	Approve Outcome = "approve"
)

// outcomes are the known outcomes, most severe first.
var outcomes = [...]Outcome{Reject, Review, Pending, StepUp, ApproveWithControls, Approve}

// severity ranks an outcome: 0 for Reject up to 5 for Approve, and -1 for an
// unknown one.
func (o Outcome) severity() int {
	for i, k := range outcomes {
		if k == o {
			return i
		}
	}
	return -1
}

var outcomeSet = enum.New("onboarding", "outcome", "none", outcomes[:]...)

// String returns the outcome's name; the zero value's is "none".
func (o Outcome) String() string { return outcomeSet.Name(o) }

// MarshalText returns the outcome's name.
func (o Outcome) MarshalText() ([]byte, error) { return outcomeSet.Text(o) }

// UnmarshalText accepts the outcomes' names, "none" and the empty string.
func (o *Outcome) UnmarshalText(b []byte) (err error) {
	*o, err = outcomeSet.Parse(b)
	return err
}

// Method is a step-up an applicant is asked to complete.
type Method string

// Step-up methods. The zero value is not a method.
const (
	// SMS asks for the code sent to the phone number.
	SMS Method = "sms"
	// Email asks the applicant to verify the email address.
	Email Method = "email"
	// PhoneCall has someone call the applicant, which also establishes the
	// personal contact the source guidance recommends.
	PhoneCall Method = "phone_call"
	// IdentityDocument asks for an identity document checked by a digital
	// identity service.
	IdentityDocument Method = "identity_document"
	// ThreeDS asks the card holder to authenticate with 3-D Secure.
	ThreeDS Method = "three_ds"
	// PaymentMethod asks for another payment method, when the one offered
	// is refused.
	PaymentMethod Method = "payment_method"
)

var methods = [...]Method{SMS, Email, PhoneCall, IdentityDocument, ThreeDS, PaymentMethod}

var methodSet = enum.New("onboarding", "step-up", "none", methods[:]...)

// String returns the method's name; the zero value's is "none".
func (m Method) String() string { return methodSet.Name(m) }

// MarshalText returns the method's name.
func (m Method) MarshalText() ([]byte, error) { return methodSet.Text(m) }

// UnmarshalText accepts the methods' names, "none" and the empty string.
func (m *Method) UnmarshalText(b []byte) (err error) {
	*m, err = methodSet.Parse(b)
	return err
}

// AdminLevel is how much administrative access a customer has. The zero
// value is AdminNone.
type AdminLevel string

// Admin levels, from the least.
const (
	// AdminNone is no administrative access: the customer uses services
	// but manages no users, roles, billing or security settings.
	AdminNone AdminLevel = ""
	// AdminRestricted is administrative access without the actions that
	// let an account be taken over or run up costs unseen: no new users or
	// roles, no changes to billing, security or spending caps.
	AdminRestricted AdminLevel = "restricted"
	// AdminFull is full administrative access.
	AdminFull AdminLevel = "full"
)

func (l AdminLevel) rank() int {
	switch l {
	case AdminRestricted:
		return 1
	case AdminFull:
		return 2
	}
	return 0
}

var adminLevels = enum.New("onboarding", "admin level", "none", AdminRestricted, AdminFull)

// String returns the level's name; the zero value's is "none".
func (l AdminLevel) String() string { return adminLevels.Name(l) }

// MarshalText returns the level's name.
func (l AdminLevel) MarshalText() ([]byte, error) { return adminLevels.Text(l) }

// UnmarshalText accepts "none", "restricted", "full" or the empty string
// (none).
func (l *AdminLevel) UnmarshalText(b []byte) (err error) {
	*l, err = adminLevels.Parse(b)
	return err
}

// CheckName names a verification an applicant goes through, in tier
// requirements and in [Assessment.Outstanding].
type CheckName string

// Verifications.
const (
	CheckIdentity CheckName = "identity"
	CheckCredit   CheckName = "credit"
	CheckBusiness CheckName = "business"
	CheckSMS      CheckName = "sms"
	CheckEmail    CheckName = "email"
)

var checkNames = [...]CheckName{CheckIdentity, CheckCredit, CheckBusiness, CheckSMS, CheckEmail}

var checkNameSet = enum.New("onboarding", "verification", "none", checkNames[:]...)

// String returns the verification's name; the zero value's is "none".
func (c CheckName) String() string { return checkNameSet.Name(c) }

// MarshalText returns the verification's name.
func (c CheckName) MarshalText() ([]byte, error) { return checkNameSet.Text(c) }

// UnmarshalText accepts the verifications' names, "none" and the empty
// string.
func (c *CheckName) UnmarshalText(b []byte) (err error) {
	*c, err = checkNameSet.Parse(b)
	return err
}

// status returns the state of the named verification of an applicant.
func (c CheckName) status(a *Applicant) risk.Verification {
	switch c {
	case CheckIdentity:
		return a.Identity.Status
	case CheckCredit:
		return a.Credit.Status
	case CheckBusiness:
		return a.Business.Status
	case CheckSMS:
		return a.Signup.SMS
	case CheckEmail:
		return a.Signup.Email
	}
	return risk.NotRun
}
