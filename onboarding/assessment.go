package onboarding

import (
	"time"

	"github.com/riskkit/riskkit/budget"
	"github.com/riskkit/riskkit/risk"
)

// Assessment is the decision on an applicant and the controls the customer
// starts under. It is plain data that round-trips through encoding/json; a
// host stores it and hands it back to [Assessor.Evaluate] with new facts.
type Assessment struct {
	// ApplicantID is the applicant's id.
	ApplicantID string `json:"applicant_id"`
	// Sequence counts assessments of the applicant: 1 at sign-up, one more
	// at each reassessment. It makes change keys unique per reassessment.
	Sequence int64 `json:"sequence"`
	// At is when the assessment was made.
	At time.Time `json:"at"`
	// Outcome is the decision.
	Outcome Outcome `json:"outcome"`
	// Decision is the policy's decision with every rule that fired, every
	// shadow rule that fired, every rule that erred and every rule that
	// lacked an input. Outcome differs from Decision.Outcome only when a
	// review was decided or expired (see [ReviewStatus]).
	Decision risk.Decision `json:"decision"`
	// StepUps are the step-ups asked for, in the order of [Method]'s
	// constants; none when the outcome is Reject.
	StepUps []StepUpRequest `json:"step_ups,omitempty"`
	// Outstanding are the third-party verifications still pending
	// (identity, credit, business), whatever the outcome.
	Outstanding []CheckName `json:"outstanding,omitempty"`
	// Review is set when the policy sent the applicant to review.
	Review *ReviewStatus `json:"review,omitempty"`
	// Tier is the trust tier and what unlocks the next.
	Tier TierStatus `json:"tier"`
	// Controls are what the customer may do, how much, and under what
	// terms.
	Controls Controls `json:"controls"`
	// Input is everything the policy read, kept so that a reassessment
	// starts from the same facts.
	Input Input `json:"input"`
}

// StepUpRequest is one step-up and the rules that asked for it.
type StepUpRequest struct {
	Method Method   `json:"method"`
	Rules  []string `json:"rules"`
}

// ReviewStatus is a review: when it must be decided by, what happens if it
// is not, and what was decided.
type ReviewStatus struct {
	// Deadline is when the review must be decided by. A reassessment keeps
	// the deadline of the review it continues.
	Deadline time.Time `json:"deadline"`
	// OnExpiry is the outcome once the deadline passes undecided.
	OnExpiry Outcome `json:"on_expiry"`
	// Rules are the active rules whose action is review; empty when the
	// score band alone sent the applicant to review.
	Rules []string `json:"rules,omitempty"`
	// Decision is the reviewer's outcome, once recorded with
	// [Facts.ReviewDecision], even after the deadline. It holds while the
	// rules sending the applicant to review are among those reviewed and
	// the score is no higher than the one reviewed; otherwise a new review
	// opens with a new deadline.
	Decision Outcome `json:"decision,omitzero"`
	// Reviewed are the rules the reviewer saw, and ReviewedScore the score:
	// a rule that starts sending the applicant to review later, or a higher
	// score, needs a new review.
	Reviewed      []string `json:"reviewed,omitempty"`
	ReviewedScore int64    `json:"reviewed_score,omitzero"`
	// Expired reports whether the deadline passed with no decision, so
	// that the outcome is OnExpiry.
	Expired bool `json:"expired,omitzero"`
}

// TierStatus is the tier a customer is in and what unlocks the next.
type TierStatus struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	// Index is the tier's position in the policy's table, from 0.
	Index int `json:"index"`
	// HeldBy are rules that keep the customer below a tier their record
	// has earned.
	HeldBy []string `json:"held_by,omitempty"`
	// Next is the next tier, or nil in the highest.
	Next *NextTier `json:"next,omitempty"`
}

// NextTier is the tier above and each thing it requires.
type NextTier struct {
	ID         string     `json:"id"`
	Name       string     `json:"name"`
	MonthlyCap risk.Money `json:"monthly_cap"`
	// Requirements are all of the tier's requirements, met or not, and a
	// requirement for each rule that caps the tier below it.
	Requirements []Requirement `json:"requirements"`
}

// Requirement is one condition of a tier.
type Requirement struct {
	// Name is the requirement: tenure_days, invoices_paid, amount_paid,
	// max_chargebacks, max_late_payments, verified.<check>, mfa,
	// personal_contact, or rule.<id> for a rule that must stop firing.
	Name string `json:"name"`
	// Need and Have are what is needed and what there is, as text such as
	// "30" and "12", or "200.00 USD" and "50.00 USD".
	Need string `json:"need"`
	Have string `json:"have"`
	Met  bool   `json:"met"`
}

// Controls are the limits a customer starts under.
type Controls struct {
	// Prepayment is what must be paid before the first bill.
	Prepayment Prepayment `json:"prepayment"`
	// CreditLimit is the initial credit limit and how it was computed.
	CreditLimit CreditLimit `json:"credit_limit"`
	// MonthlyCap is the spending cap as a budget the host can evaluate
	// with package budget: the tier's cap, monthly, from the first of the
	// current month in the customer's time zone, with the policy's alerts.
	MonthlyCap budget.Budget `json:"monthly_cap"`
	// Held are the services held back, requested or not.
	Held []HeldService `json:"held,omitempty"`
	// Admin is the administrative access granted.
	Admin Admin `json:"admin"`
	// RefusedFunding are the card funding types refused (the policy's
	// refused_funding list).
	RefusedFunding []risk.Funding `json:"refused_funding,omitempty"`
	// InstrumentRefused reports whether the payment instrument offered is
	// one of them.
	InstrumentRefused bool `json:"instrument_refused,omitzero"`
	// Collections is the collections policy to show and have acknowledged.
	Collections Collections `json:"collections"`
}

// Prepayment is a prepayment required before the first bill.
type Prepayment struct {
	// Required is the largest prepayment a rule that fired asks for, or
	// zero in the billing currency.
	Required risk.Money `json:"required"`
	// Paid is the prepayment received so far.
	Paid risk.Money `json:"paid"`
	// Due is what remains to pay: Required less Paid, at least zero.
	Due risk.Money `json:"due"`
	// Rules are the rules that asked for a prepayment.
	Rules []string `json:"rules,omitempty"`
}

// CreditLimit is the initial credit limit with the terms of its formula
// (see [CreditTerms]).
type CreditLimit struct {
	// Limit is what the customer may owe before paying.
	Limit risk.Money `json:"limit"`
	// Band is the report band used, empty when no verified report gave
	// one, and Source the report it came from.
	Band   string    `json:"band,omitzero"`
	Source CheckName `json:"source,omitzero"`
	// BandAmount is the band's amount (or the no-report amount).
	BandAmount risk.Money `json:"band_amount"`
	// PrepaymentPart is the prepayment received times the multiple.
	PrepaymentPart risk.Money `json:"prepayment_part"`
	// NetWorthCap is the share of stated net worth, when there is one.
	NetWorthCap risk.Money `json:"net_worth_cap,omitzero"`
	// Capped reports whether the net worth cap lowered the limit.
	Capped bool `json:"capped,omitzero"`
	// NoCreditRules are rules that set the limit to zero.
	NoCreditRules []string `json:"no_credit_rules,omitempty"`
}

// HeldService is a service held back.
type HeldService struct {
	Service string `json:"service"`
	// Requested reports whether the applicant asked for it.
	Requested bool `json:"requested,omitzero"`
	// Until is the first higher tier that releases it, when the tier holds
	// it; empty when no tier does.
	Until string `json:"until,omitzero"`
	// Rules are rules that hold it whatever the tier.
	Rules []string `json:"rules,omitempty"`
}

// Admin is the administrative access granted.
type Admin struct {
	// Requested reports whether the applicant asked for admin access.
	Requested bool `json:"requested,omitzero"`
	// Level is the access granted: none when not requested, otherwise full
	// unless a rule restricts it.
	Level AdminLevel `json:"level"`
	// Rules are the rules that restrict it.
	Rules []string `json:"rules,omitempty"`
}

// Collections is the collections policy a customer is shown and
// acknowledges at sign-up: how unpaid invoices are chased and when access is
// restricted, suspended or disabled.
type Collections struct {
	// ScheduleID and Version identify the dunning schedule the text
	// describes.
	ScheduleID string `json:"schedule_id,omitzero"`
	Version    string `json:"version,omitzero"`
	// Text is the policy as the customer reads it.
	Text string `json:"text,omitzero"`
	// AcknowledgedAt is when the customer acknowledged this version, from
	// [Facts.AcknowledgedCollections]; zero until then.
	AcknowledgedAt time.Time `json:"acknowledged_at,omitzero"`
}
