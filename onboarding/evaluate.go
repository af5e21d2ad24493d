package onboarding

import (
	"reflect"
	"time"
)

// Event is what the host learnt since the last assessment: the sign-up
// itself, or facts about the customer since.
type Event struct {
	// Applicant is the sign-up. It is required for the first evaluation,
	// whose prev is the zero Assessment, and must be nil after it.
	Applicant *Applicant `json:"applicant,omitempty"`
	// Facts are what changed since prev. They must be zero at sign-up;
	// the zero Facts after it only let time pass.
	Facts Facts `json:"facts,omitzero"`
}

// Result is one evaluation: the new assessment, what changed, and when
// time alone would change it.
type Result struct {
	// Assessment is the new state: store it, and pass it back as prev
	// with the next event.
	Assessment Assessment `json:"assessment"`
	// Changes are the differences from prev, each with why and an
	// idempotency key; none at sign-up.
	Changes []Change `json:"changes,omitempty"`
	// Next is the earliest instant at which evaluating again with no new
	// facts may change the assessment: an open review's deadline, or the
	// next whole day of tenure when the policy's rules or the next tier
	// read tenure. Zero when time alone changes nothing.
	Next time.Time `json:"next,omitzero"`
}

// Evaluate assesses a customer at now, in the assessor's time zone. With
// the zero prev it decides on the sign-up in in.Applicant: the account
// opens at now, with no tenure and no payments. With an earlier assessment
// it assesses the customer again with in.Facts applied: tenure counts from
// the account's opening, payments and verifications come from the facts,
// a review keeps its deadline, and every change from prev is listed with
// why. It is a pure function of its arguments, so a host can replay it.
//
// The error reports a missing or extra applicant, an invalid applicant or
// facts (a *[risk.DocumentError] naming each field), now before the
// previous assessment, a billing currency the policy's controls do not
// cover (wrapping [ErrCurrency]), or an arithmetic overflow in the
// controls; the policy's own rule errors are not errors of Evaluate but
// part of the decision.
func (as *Assessor) Evaluate(prev Assessment, in Event, now time.Time) (Result, error) {
	if as == nil || as.policy == nil {
		return Result{}, errorf("Evaluate needs an Assessor from NewAssessor")
	}
	var r Result
	var err error
	switch {
	case prev.Sequence == 0 && in.Applicant == nil:
		return Result{}, errorf("the first evaluation needs the applicant")
	case prev.Sequence == 0:
		if !reflect.ValueOf(in.Facts).IsZero() {
			return Result{}, errorf("applicant %q: facts come after the sign-up; give the applicant alone", in.Applicant.ID)
		}
		r.Assessment, err = as.signUp(in.Applicant, now)
	case in.Applicant != nil:
		return Result{}, errorf("applicant %q was assessed already (assessment %d); give facts, not the applicant", prev.ApplicantID, prev.Sequence)
	default:
		r.Assessment, r.Changes, err = as.reassess(&prev, in.Facts, now)
	}
	if err != nil {
		return Result{}, err
	}
	r.Next = as.next(&r.Assessment)
	return r, nil
}

// next returns when time alone may change a, or the zero time.
func (as *Assessor) next(a *Assessment) time.Time {
	var next time.Time
	earlier := func(t time.Time) {
		if next.IsZero() || t.Before(next) {
			next = t
		}
	}
	if r := a.Review; r != nil && r.Decision == "" && !r.Expired {
		earlier(r.Deadline)
	}
	acct := &a.Input.Account
	if as.policy.readsTenure || as.tierWaitsOnTenure(a) {
		earlier(acct.OpenedAt.Add(time.Duration(acct.TenureDays+1) * 24 * time.Hour))
	}
	return next
}

// tierWaitsOnTenure reports whether a tier above a's needs more tenure than
// the customer has.
func (as *Assessor) tierWaitsOnTenure(a *Assessment) bool {
	for _, t := range as.policy.terms.Tiers {
		if t.Requires.TenureDays > a.Input.Account.TenureDays {
			return true
		}
	}
	return false
}
