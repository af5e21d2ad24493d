// Package onboarding turns the signals a host collected at sign-up into a
// decision and the concrete controls a new customer starts under: what they
// may do, how much, and what unlocks more.
//
// A host compiles an onboarding policy once, builds an [Assessor], and
// assesses each applicant in-process, without I/O:
//
//	policy, err := onboarding.Compile(policyYAML) // rules and controls
//	as, err := onboarding.NewAssessor(policy, onboarding.Options{
//		Email:       onboarding.EmailLists{Deny: hostDeny, Allow: hostAllow},
//		Collections: onboarding.CollectionsFrom(schedule), // a *dunning.Schedule
//		Location:    customerLocation,
//	})
//	r, err := as.Evaluate(onboarding.Assessment{}, onboarding.Event{Applicant: &applicant}, now)
//	a := r.Assessment
//	// a.Outcome, a.StepUps, a.Review, a.Outstanding
//	// a.Controls.Prepayment.Due, a.Controls.CreditLimit.Limit,
//	// a.Controls.MonthlyCap (a budget.Budget), a.Controls.Held,
//	// a.Controls.Admin.Level, a.Controls.Collections.Text
//	// a.Tier.ID and a.Tier.Next.Requirements
//	// r.Next: when time alone may change the assessment
//
// [Assessor.Evaluate] has the shape of every riskkit state machine:
// Evaluate(prev, in, now) returns the new state inside its result. Later,
// with what the host learnt since, it gives the next assessment and every
// change with why:
//
//	r, err = as.Evaluate(a, onboarding.Event{Facts: onboarding.Facts{
//		Identity: &onboarding.Check{Status: risk.Verified},
//		History:  &risk.PaymentHistory{InvoicesPaid: 1, AmountPaid: paid},
//	}}, now)
//	// r.Assessment, r.Changes
//
// # Applicants
//
// An [Applicant] is the customer (individual or business), the [Signup]
// context (IP address and its country, device, email domain, phone and its
// SMS verification, how long the form took, the host's bot score), the
// identity, credit and business checks ([Check]: verified, failed, pending
// or not run, with a band and, for reports, revenue and net worth), whether
// someone spoke with the applicant, the [risk.PaymentInstrument], the
// services requested and whether admin access is requested. A check that was not run
// is not a pending one, and a signal not supplied is not a zero: policies
// never read a missing input as a clean one. [DecodeApplicant] reads one
// from JSON or YAML with the path, line and column of every problem.
//
// # Policies
//
// An onboarding policy is a risk policy (see package risk) over
// [InputSchema], whose outcomes are onboarding outcomes ([Outcome]), with one more
// top-level key, controls, holding the [Terms]:
//
//   - currencies: the billing currencies; every amount is given in each;
//   - review: how long a review may take, and the outcome when it expires;
//   - credit_limit: the initial credit limit formula ([CreditTerms]);
//   - monthly_cap: the alerts of the monthly spending cap;
//   - tiers: the trust tiers, each with its monthly cap, the services held
//     back in it and what it requires (tenure, invoices and amount paid,
//     chargebacks, late payments, verifications, MFA, personal contact);
//   - rules: what a rule adds when it fires ([Effect]): step-ups, a
//     prepayment, services held, an admin cap, a tier cap, no credit.
//
// [Compile] returns every problem at once, rules and controls, each with its
// line and column. The policy's list refused_funding names the card funding
// types refused ([RefusedFundingList]).
//
// # Decisions
//
// The outcome is the policy's, most severe first: [Reject], [Review] (with a
// deadline and the outcome if nobody decides in time: [ReviewStatus]),
// [Pending] (the verifications still running are in
// [Assessment.Outstanding]), [StepUp] (which ones, and the rules that asked:
// [Assessment.StepUps]), [ApproveWithControls] and [Approve].
// [Assessment.Decision] lists every rule that fired, every shadow rule,
// every rule error and every rule that lacked an input.
//
// # Controls
//
// [Controls] say what the customer starts under: the prepayment required
// before the first bill and what is still due; the initial credit limit with
// the terms of its formula; the monthly spending cap as a [budget.Budget]
// the host evaluates with package budget; the services held back and the
// tier that releases each; the admin level (restricted until MFA and
// identity verification are done, in the example policy); the refused
// funding types; and the collections policy text from a dunning schedule
// ([CollectionsFrom]), to be shown and acknowledged.
//
// A customer is in the highest tier whose requirements, and those of every
// tier before it, they meet, unless a rule that fired caps the tier.
// [TierStatus.Next] lists each requirement of the next tier, met or not.
//
// # Reassessment
//
// Reassessing with [Assessor.Evaluate] is a pure function: the previous [Assessment], new
// [Facts] (verifications completed, payments made, a reviewer's decision)
// and now give the next assessment and the list of changes ([Change]),
// each with the fact and rule changes that caused it and a stable
// idempotency key. Tenure is counted in whole days from the account's
// opening; a review keeps its deadline, and expires to its on_expiry
// outcome when now passes it.
//
// # Disposable email
//
// [EmailCheck] tells disposable-mail domains from others, with the host's
// allow and deny lists over a small built-in list
// ([DefaultDisposableDomains]); policies read its verdict as email_check.
//
// # Concurrency
//
// A [Policy], an [EmailCheck] and an [Assessor] are immutable once built and
// safe for concurrent use. Assessments, facts and changes are plain values.
package onboarding
