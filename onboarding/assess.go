package onboarding

import (
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/riskkit/riskkit/budget"
	"github.com/riskkit/riskkit/risk"
)

// Options configure an [Assessor]. The zero value checks email domains
// against the built-in disposable list only and shows no collections
// policy.
type Options struct {
	// Email are the host's additions to the disposable-email check.
	Email EmailLists
	// Collections is the collections policy every assessment shows; build
	// it from a dunning schedule with [CollectionsFrom].
	Collections Collections
	// Location is the customers' time zone, in which the monthly spending
	// cap's periods begin; nil means UTC. It must be a named location such
	// as Europe/Paris (not time.Local), since the cap's budget names it. A
	// host whose customers live in several zones builds one Assessor per
	// zone; an Assessor is cheap next to its compiled policy.
	Location *time.Location
}

// Assessor assesses applicants with one policy. It is immutable and safe for
// concurrent use; build one with [NewAssessor] and share it. The zero value
// is not usable.
type Assessor struct {
	policy      *Policy
	email       *EmailCheck
	collections Collections
	loc         *time.Location
	zone        string // loc's name for budgets; empty for UTC
}

// NewAssessor returns an assessor for a compiled policy, bound to its
// options. The error reports a nil policy, a malformed email list or a time
// zone the cap's budget cannot name.
func NewAssessor(p *Policy, o Options) (*Assessor, error) {
	if p == nil {
		return nil, errorf("NewAssessor needs a compiled policy")
	}
	email, err := NewEmailCheck(o.Email)
	if err != nil {
		return nil, err
	}
	zone, err := zoneName(o.Location)
	if err != nil {
		return nil, err
	}
	loc := o.Location
	if loc == nil {
		loc = time.UTC
	}
	return &Assessor{policy: p, email: email, collections: o.Collections, loc: loc, zone: zone}, nil
}

// Policy returns the assessor's policy.
func (as *Assessor) Policy() *Policy { return as.policy }

// Collections returns the collections policy every assessment shows.
func (as *Assessor) Collections() Collections { return as.collections }

// signUp assesses a new applicant: the account opens at now, with no
// tenure and no payments.
func (as *Assessor) signUp(a *Applicant, now time.Time) (Assessment, error) {
	var is issues
	a.validate(&is, "", slices.Contains(as.policy.terms.Currencies, a.Currency))
	if err := is.errOf("applicant ", a.ID); err != nil {
		return Assessment{}, err
	}
	in := Input{Applicant: *a, Account: Account{OpenedAt: now}}
	in.Services = slices.Clone(a.Services)
	in.EmailCheck = as.email.Check(a.Signup.EmailDomain)
	return as.assess(&in, nil, Facts{}, now)
}

// errorf is fmt.Errorf with the package's prefix.
func errorf(format string, args ...any) error {
	return fmt.Errorf("onboarding: "+format, args...)
}

// assess evaluates the policy on in and derives the controls. prev is the
// assessment this one continues, or nil at sign-up; f are the facts of a
// reassessment, for the reviewer's decision and the acknowledgement.
func (as *Assessor) assess(in *Input, prev *Assessment, f Facts, now time.Time) (Assessment, error) {
	p := as.policy
	t := &p.terms
	cur := in.Currency
	ci := slices.Index(t.Currencies, cur)
	if ci < 0 {
		return Assessment{}, fmt.Errorf("%w: applicant %q is billed in %s; the policy covers %v", ErrCurrency, in.ID, cur, t.Currencies)
	}
	zone, loc := as.zone, as.loc
	if now.Before(in.Account.OpenedAt) {
		return Assessment{}, errorf("applicant %q: now %v is before the account was opened at %v", in.ID, now, in.Account.OpenedAt)
	}
	in.Account.TenureDays = int64(now.Sub(in.Account.OpenedAt) / (24 * time.Hour))
	zero := p.zeros[ci]

	d := p.engine.Evaluate(in)
	out := Assessment{ApplicantID: in.ID, Sequence: 1, At: now, Outcome: Outcome(d.Outcome), Decision: d}
	if prev != nil {
		out.Sequence = prev.Sequence + 1
	}

	// Walk the hits once, gathering what their effects ask for.
	var (
		c                     = &out.Controls
		prepay                risk.Money
		adminCap              = AdminFull
		maxTier               = len(t.Tiers) - 1
		reviewRules           []string
		stepUps               [len(methods)][]string
		ruleHolds             []HeldService
		noCredit, prepayRules []string
		adminRules            []string
		hitsWithTierCap       []string
		hitTierCaps           []int
		anyStepUp             bool
	)
	for _, h := range d.Hits {
		if Outcome(h.Action) == Review {
			reviewRules = append(reviewRules, h.RuleID)
		}
		e := p.effects[h.RuleID]
		if e == nil {
			continue
		}
		for _, m := range e.StepUp {
			i := slices.Index(methods[:], m)
			stepUps[i] = append(stepUps[i], h.RuleID)
			anyStepUp = true
		}
		if amt, ok := e.Prepayment.In(cur); ok {
			prepayRules = append(prepayRules, h.RuleID)
			if prepay.IsZero() || amt.Minor() > prepay.Minor() {
				prepay = amt
			}
		}
		for _, s := range e.Hold {
			k := slices.IndexFunc(ruleHolds, func(x HeldService) bool { return x.Service == s })
			if k < 0 {
				ruleHolds = append(ruleHolds, HeldService{Service: s})
				k = len(ruleHolds) - 1
			}
			ruleHolds[k].Rules = append(ruleHolds[k].Rules, h.RuleID)
		}
		if e.Admin != nil {
			adminRules = append(adminRules, h.RuleID)
			if e.Admin.rank() < adminCap.rank() {
				adminCap = *e.Admin
			}
		}
		if e.MaxTier != "" {
			k := p.tiers[e.MaxTier]
			hitsWithTierCap = append(hitsWithTierCap, h.RuleID)
			hitTierCaps = append(hitTierCaps, k)
			maxTier = min(maxTier, k)
		}
		if e.NoCredit {
			noCredit = append(noCredit, h.RuleID)
		}
	}

	// Review: a deadline, and the reviewer's decision or the expiry.
	if out.Outcome == Review {
		r := &ReviewStatus{Deadline: now.Add(t.Review.Within), OnExpiry: t.Review.OnExpiry, Rules: reviewRules}
		if pr := prevReview(prev); pr != nil {
			switch {
			case pr.Decision == "":
				// The same review goes on, expired or not.
				r.Deadline = pr.Deadline
			case subset(r.Rules, pr.Reviewed) && d.Score <= pr.ReviewedScore:
				r.Deadline, r.Decision, r.Reviewed, r.ReviewedScore = pr.Deadline, pr.Decision, pr.Reviewed, pr.ReviewedScore
			}
			// Otherwise the decision no longer covers the reasons: a new
			// review, with a new deadline.
		}
		if f.ReviewDecision != "" {
			r.Decision, r.Reviewed, r.ReviewedScore = f.ReviewDecision, slices.Clone(r.Rules), d.Score
		}
		switch {
		case r.Decision != "":
			out.Outcome = r.Decision
		case !now.Before(r.Deadline):
			r.Expired = true
			out.Outcome = r.OnExpiry
		}
		out.Review = r
	}

	if out.Outcome != Reject && anyStepUp {
		for i, rules := range stepUps {
			if len(rules) > 0 {
				out.StepUps = append(out.StepUps, StepUpRequest{Method: methods[i], Rules: rules})
			}
		}
	}
	for _, k := range [...]CheckName{CheckIdentity, CheckCredit, CheckBusiness} {
		if k.status(&in.Applicant) == risk.Pending {
			out.Outstanding = append(out.Outstanding, k)
		}
	}

	// Tier.
	earned := 0
	for i := 1; i < len(t.Tiers); i++ {
		if !meets(&t.Tiers[i].Requires, in, cur) {
			break
		}
		earned = i
	}
	tier := min(earned, maxTier)
	tr := &t.Tiers[tier]
	out.Tier = TierStatus{ID: tr.ID, Name: tierName(tr), Index: tier}
	for i, k := range hitTierCaps {
		if k < earned {
			out.Tier.HeldBy = append(out.Tier.HeldBy, hitsWithTierCap[i])
		}
	}
	if tier+1 < len(t.Tiers) {
		nt := &t.Tiers[tier+1]
		capAmt, _ := nt.MonthlyCap.In(cur)
		next := &NextTier{ID: nt.ID, Name: tierName(nt), MonthlyCap: capAmt}
		next.Requirements = requirements(&nt.Requires, p.needs[tier+1][ci], in, cur, zero, len(hitTierCaps))
		for i, k := range hitTierCaps {
			if k <= tier {
				next.Requirements = append(next.Requirements, Requirement{Name: "rule." + hitsWithTierCap[i], Need: "not firing", Have: "fires"})
			}
		}
		out.Tier.Next = next
	}

	// Prepayment.
	if prepay.IsZero() {
		prepay = zero
	}
	paid := in.Account.Prepaid
	if paid.IsZero() {
		paid = zero
	}
	due, err := prepay.Sub(paid)
	if err != nil {
		return Assessment{}, errorf("applicant %q: prepayment: %w", in.ID, err)
	}
	if due.Sign() < 0 {
		due = zero
	}
	c.Prepayment = Prepayment{Required: prepay, Paid: paid, Due: due, Rules: prepayRules}

	// Credit limit.
	if err := creditLimit(&c.CreditLimit, &t.CreditLimit, in, paid, zero); err != nil {
		return Assessment{}, errorf("applicant %q: credit limit: %w", in.ID, err)
	}
	if len(noCredit) > 0 {
		c.CreditLimit.Limit = zero
		c.CreditLimit.NoCreditRules = noCredit
	}

	// Monthly cap.
	capAmt, _ := tr.MonthlyCap.In(cur)
	// The cap runs in calendar months from the first of this one.
	today := risk.DateOf(now, loc)
	_, _, dom := today.Parts()
	c.MonthlyCap = budget.Budget{
		ID:          "cap:" + in.ID,
		CustomerID:  in.ID,
		Description: p.capNames[tier],
		Amount:      capAmt,
		Start:       today.AddDays(1 - dom),
		TimeZone:    zone,
	}
	if n := len(t.MonthlyCap.Alerts); n > 0 {
		c.MonthlyCap.Thresholds = make([]budget.Threshold, n)
		for i, pc := range t.MonthlyCap.Alerts {
			c.MonthlyCap.Thresholds[i] = budget.Threshold{Percent: pc}
		}
	}

	// Services held back: the tier's, then the rules'.
	if n := len(tr.Hold) + len(ruleHolds); n > 0 {
		c.Held = make([]HeldService, 0, n)
	}
	for _, s := range tr.Hold {
		h := HeldService{Service: s, Requested: slices.Contains(in.Services, s)}
		for j := tier + 1; j < len(t.Tiers); j++ {
			if !slices.Contains(t.Tiers[j].Hold, s) {
				h.Until = t.Tiers[j].ID
				break
			}
		}
		c.Held = append(c.Held, h)
	}
	for _, rh := range ruleHolds {
		if k := slices.IndexFunc(c.Held, func(x HeldService) bool { return x.Service == rh.Service }); k >= 0 {
			c.Held[k].Rules = rh.Rules
			continue
		}
		rh.Requested = slices.Contains(in.Services, rh.Service)
		c.Held = append(c.Held, rh)
	}

	// Admin access.
	if in.AdminAccess {
		c.Admin = Admin{Requested: true, Level: adminCap, Rules: adminRules}
	}

	c.RefusedFunding = slices.Clone(p.refused)
	c.InstrumentRefused = in.Payment.Funding != "" && slices.Contains(p.refused, in.Payment.Funding)

	c.Collections = as.collections
	if prev != nil {
		pc := prev.Controls.Collections
		if !pc.AcknowledgedAt.IsZero() && pc.ScheduleID == c.Collections.ScheduleID && pc.Version == c.Collections.Version {
			c.Collections.AcknowledgedAt = pc.AcknowledgedAt
		}
	}
	if !f.AcknowledgedCollections.IsZero() {
		c.Collections.AcknowledgedAt = f.AcknowledgedCollections
	}

	out.Input = *in
	return out, nil
}

// prevReview returns the review of the previous assessment, if any.
func prevReview(prev *Assessment) *ReviewStatus {
	if prev == nil {
		return nil
	}
	return prev.Review
}

// zoneName returns the budget time zone name of loc: empty for UTC.
func zoneName(loc *time.Location) (string, error) {
	if loc == nil || loc == time.UTC {
		return "", nil
	}
	switch name := loc.String(); name {
	case "UTC":
		return "", nil
	case "Local", "":
		return "", errorf("the customer's time zone must be a named location such as Europe/Paris, not %q", name)
	default:
		return name, nil
	}
}

func tierName(t *Tier) string {
	if t.Name != "" {
		return t.Name
	}
	return t.ID
}

// subset reports whether every element of a is in b.
func subset(a, b []string) bool {
	for _, x := range a {
		if !slices.Contains(b, x) {
			return false
		}
	}
	return true
}

// meets reports whether the input meets every requirement.
func meets(r *Requirements, in *Input, cur string) bool {
	h := &in.Account.History
	if in.Account.TenureDays < r.TenureDays || h.InvoicesPaid < r.InvoicesPaid {
		return false
	}
	// Amounts paid are in the billing currency (Validate checks it), and
	// the zero Money counts as nothing paid.
	if need, ok := r.AmountPaid.In(cur); ok && h.AmountPaid.Minor() < need.Minor() {
		return false
	}
	if r.MaxChargebacks != nil && h.Chargebacks > *r.MaxChargebacks {
		return false
	}
	if r.MaxLatePayments != nil && h.InvoicesPaidLate > *r.MaxLatePayments {
		return false
	}
	for _, k := range r.Verified {
		if k.status(&in.Applicant) != risk.Verified {
			return false
		}
	}
	return (!r.MFA || in.MFA) && (!r.PersonalContact || in.PersonalContact)
}

// requirementTemplate lists a tier's requirements with their names and what
// they need in one currency, in the order [requirements] fills them in; it is
// made once per policy so that assessments format only what the customer has.
func requirementTemplate(r *Requirements, cur string) []Requirement {
	var out []Requirement
	num := func(name string, need int64) {
		out = append(out, Requirement{Name: name, Need: strconv.FormatInt(need, 10)})
	}
	if r.TenureDays > 0 {
		num("tenure_days", r.TenureDays)
	}
	if r.InvoicesPaid > 0 {
		num("invoices_paid", r.InvoicesPaid)
	}
	if need, ok := r.AmountPaid.In(cur); ok {
		out = append(out, Requirement{Name: "amount_paid", Need: need.String()})
	}
	if r.MaxChargebacks != nil {
		num("max_chargebacks", *r.MaxChargebacks)
	}
	if r.MaxLatePayments != nil {
		num("max_late_payments", *r.MaxLatePayments)
	}
	for _, k := range r.Verified {
		out = append(out, Requirement{Name: "verified." + string(k), Need: "verified"})
	}
	if r.MFA {
		out = append(out, Requirement{Name: "mfa", Need: "true"})
	}
	if r.PersonalContact {
		out = append(out, Requirement{Name: "personal_contact", Need: "true"})
	}
	return out
}

// requirements fills in what the input has for each requirement of the
// template, leaving room for extra more.
func requirements(r *Requirements, tmpl []Requirement, in *Input, cur string, zero risk.Money, extra int) []Requirement {
	h := &in.Account.History
	out := make([]Requirement, len(tmpl), len(tmpl)+extra)
	copy(out, tmpl)
	i := 0
	num := func(have int64, met bool) {
		out[i].Have, out[i].Met = strconv.FormatInt(have, 10), met
		i++
	}
	if r.TenureDays > 0 {
		num(in.Account.TenureDays, in.Account.TenureDays >= r.TenureDays)
	}
	if r.InvoicesPaid > 0 {
		num(h.InvoicesPaid, h.InvoicesPaid >= r.InvoicesPaid)
	}
	if need, ok := r.AmountPaid.In(cur); ok {
		have := h.AmountPaid
		if have.IsZero() {
			have = zero
		}
		out[i].Have, out[i].Met = have.String(), have.Minor() >= need.Minor()
		i++
	}
	if r.MaxChargebacks != nil {
		num(h.Chargebacks, h.Chargebacks <= *r.MaxChargebacks)
	}
	if r.MaxLatePayments != nil {
		num(h.InvoicesPaidLate, h.InvoicesPaidLate <= *r.MaxLatePayments)
	}
	for _, k := range r.Verified {
		st := k.status(&in.Applicant)
		out[i].Have, out[i].Met = st.String(), st == risk.Verified
		i++
	}
	if r.MFA {
		out[i].Have, out[i].Met = strconv.FormatBool(in.MFA), in.MFA
		i++
	}
	if r.PersonalContact {
		out[i].Have, out[i].Met = strconv.FormatBool(in.PersonalContact), in.PersonalContact
	}
	return out
}

// creditLimit applies the formula of [CreditTerms].
func creditLimit(cl *CreditLimit, ct *CreditTerms, in *Input, paid, zero risk.Money) error {
	cur := in.Currency
	var report *Check
	switch {
	case in.Kind == risk.Business && in.Business.Status == risk.Verified && in.Business.Band != "":
		report, cl.Source = &in.Business, CheckBusiness
	case in.Credit.Status == risk.Verified && in.Credit.Band != "":
		report, cl.Source = &in.Credit, CheckCredit
	}
	bandAmt, _ := ct.NoReport.In(cur)
	if report != nil {
		cl.Band = report.Band
		if a, ok := ct.Bands[report.Band].In(cur); ok {
			bandAmt = a
		}
	}
	if bandAmt.IsZero() {
		bandAmt = zero
	}
	part, err := paid.MulDiv(int64(ct.PrepaymentMultiple), 10000, risk.RoundDown)
	if err != nil {
		return err
	}
	limit, err := bandAmt.Add(part)
	if err != nil {
		return err
	}
	cl.BandAmount, cl.PrepaymentPart = bandAmt, part
	if report != nil && !report.NetWorth.IsZero() && ct.NetWorthShare > 0 {
		capAmt, err := report.NetWorth.MulDiv(int64(ct.NetWorthShare), 10000, risk.RoundDown)
		if err != nil {
			return err
		}
		cl.NetWorthCap = capAmt
		if capAmt.Minor() < limit.Minor() {
			limit, cl.Capped = capAmt, true
		}
	}
	cl.Limit = limit
	return nil
}
