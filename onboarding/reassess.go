package onboarding

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/riskkit/riskkit/risk"
)

// Facts are what a host learnt about a customer since the last assessment.
// A field left at its zero value (nil, empty, the zero Money or time)
// leaves that fact as it was, so a host reports only what changed. The zero
// value changes nothing: reassessing with it only lets time pass.
type Facts struct {
	// Identity, Credit and Business replace the results of those checks,
	// for example when a pending verification completes.
	Identity *Check `json:"identity,omitempty"`
	Credit   *Check `json:"credit,omitempty"`
	Business *Check `json:"business,omitempty"`
	// Email and SMS are new states of the sign-up verifications.
	Email risk.Verification `json:"email,omitzero"`
	SMS   risk.Verification `json:"sms,omitzero"`
	// MFA and PersonalContact replace those facts.
	MFA             *bool `json:"mfa,omitempty"`
	PersonalContact *bool `json:"personal_contact,omitempty"`
	// Payment replaces the payment instrument, for example after a refused
	// card was replaced or 3-D Secure passed.
	Payment *risk.PaymentInstrument `json:"payment,omitempty"`
	// Services and AdminAccess replace what the customer asks for.
	Services    []string `json:"services,omitempty"`
	AdminAccess *bool    `json:"admin_access,omitempty"`
	// History replaces the payment summary, and Prepaid the total
	// prepayment received.
	History *risk.PaymentHistory `json:"history,omitempty"`
	Prepaid risk.Money           `json:"prepaid,omitzero"`
	// ReviewDecision is a reviewer's decision on an assessment in review:
	// reject, approve or approve_with_controls.
	ReviewDecision Outcome `json:"review_decision,omitzero"`
	// AcknowledgedCollections is when the customer acknowledged the
	// collections policy shown.
	AcknowledgedCollections time.Time `json:"acknowledged_collections,omitzero"`
}

// Change is one difference between an assessment and the next, and why.
type Change struct {
	// Field names what changed: a fact (such as "identity.status" or
	// "tenure_days"), a rule ("rule.<id>"), the outcome, the tier, a
	// control (such as "controls.monthly_cap" or "controls.held.gpu_compute"),
	// a step-up ("step_up.sms"), an outstanding check ("outstanding.identity")
	// or the review.
	Field string `json:"field"`
	// From and To are the old and new values as text.
	From string `json:"from"`
	To   string `json:"to"`
	// Why lists the rule and fact changes that caused it; facts and rules
	// themselves have none.
	Why []string `json:"why,omitempty"`
	// Key is a stable idempotency key: the applicant, the sequence of the
	// new assessment and the field. Reassessing the same assessment with
	// the same facts gives the same keys, so a host that retries applies
	// each change once.
	Key string `json:"key"`
}

// reassess assesses a customer again: the previous assessment's facts with
// f applied, at now. Tenure is counted from the account's opening, payments
// and verifications come from f, and a review keeps its deadline.
func (as *Assessor) reassess(prev *Assessment, f Facts, now time.Time) (Assessment, []Change, error) {
	if now.Before(prev.At) {
		return Assessment{}, nil, errorf("applicant %q: now %v is before the previous assessment at %v", prev.ApplicantID, now, prev.At)
	}
	in := prev.Input
	in.Services = slices.Clone(in.Services)
	var is issues
	f.validate(&is, prev, in.Currency)
	if err := is.errOf("facts for applicant ", prev.ApplicantID); err != nil {
		return Assessment{}, nil, err
	}
	f.apply(&in)
	if err := in.Validate(); err != nil {
		return Assessment{}, nil, err
	}
	in.Account.validate(&is, "account", in.Currency)
	if err := is.errOf("account of applicant ", prev.ApplicantID); err != nil {
		return Assessment{}, nil, err
	}
	// The host's lists may have changed since sign-up; the current ones
	// apply.
	in.EmailCheck = as.email.Check(in.Signup.EmailDomain)
	next, err := as.assess(&in, prev, f, now)
	if err != nil {
		return Assessment{}, nil, err
	}
	return next, diff(as.policy, prev, &next), nil
}

func (f *Facts) validate(is *issues, prev *Assessment, cur string) {
	for _, c := range []struct {
		path string
		c    *Check
	}{{"identity", f.Identity}, {"credit", f.Credit}, {"business", f.Business}} {
		if c.c != nil {
			c.c.validate(is, c.path, cur)
		}
	}
	verification(is, "", "email", f.Email)
	verification(is, "", "sms", f.SMS)
	if f.History != nil {
		a := Account{History: *f.History}
		a.validate(is, "", cur)
	}
	amount(is, "", "prepaid", f.Prepaid, cur)
	switch f.ReviewDecision {
	case "":
	case Reject, Approve, ApproveWithControls:
		if prev.Review == nil {
			is.Add("review_decision", "the assessment is not in review")
		}
	default:
		is.Add("review_decision", "%q is not a reviewer's decision (want reject, approve or approve_with_controls)", string(f.ReviewDecision))
	}
}

func (f *Facts) apply(in *Input) {
	if f.Identity != nil {
		in.Identity = *f.Identity
	}
	if f.Credit != nil {
		in.Credit = *f.Credit
	}
	if f.Business != nil {
		in.Business = *f.Business
	}
	if f.Email != risk.NotRun {
		in.Signup.Email = f.Email
	}
	if f.SMS != risk.NotRun {
		in.Signup.SMS = f.SMS
	}
	if f.MFA != nil {
		in.MFA = *f.MFA
	}
	if f.PersonalContact != nil {
		in.PersonalContact = *f.PersonalContact
	}
	if f.Payment != nil {
		in.Payment = *f.Payment
	}
	if f.Services != nil {
		in.Services = slices.Clone(f.Services)
	}
	if f.AdminAccess != nil {
		in.AdminAccess = *f.AdminAccess
	}
	if f.History != nil {
		in.Account.History = *f.History
	}
	if !f.Prepaid.IsZero() {
		in.Account.Prepaid = f.Prepaid
	}
}

// differ collects changes in a fixed order.
type differ struct {
	prefix string
	out    []Change
}

func (d *differ) add(field, from, to string, why []string) {
	if from == to {
		return
	}
	d.out = append(d.out, Change{Field: field, From: from, To: to, Why: why, Key: d.prefix + field})
}

// diff lists the changes from a to b: facts, rules, then decisions and
// controls, each with the fact and rule changes that explain it.
func diff(p *Policy, a, b *Assessment) []Change {
	d := &differ{prefix: b.ApplicantID + "/" + strconv.FormatInt(b.Sequence, 10) + "/"}
	was, now := &a.Input, &b.Input

	// Facts.
	var facts, tierFacts []string
	fact := func(field, from, to string, tierRelated bool) {
		if from == to {
			return
		}
		d.add(field, from, to, nil)
		why := field + ": " + from + " → " + to
		facts = append(facts, why)
		if tierRelated {
			tierFacts = append(tierFacts, why)
		}
	}
	for _, c := range []struct {
		name string
		x, y *Check
	}{{"identity", &was.Identity, &now.Identity}, {"credit", &was.Credit, &now.Credit}, {"business", &was.Business, &now.Business}} {
		fact(c.name+".status", c.x.Status.String(), c.y.Status.String(), true)
		fact(c.name+".band", orNone(c.x.Band), orNone(c.y.Band), false)
		fact(c.name+".net_worth", moneyText(c.x.NetWorth), moneyText(c.y.NetWorth), false)
	}
	fact("signup.email", was.Signup.Email.String(), now.Signup.Email.String(), true)
	fact("signup.sms", was.Signup.SMS.String(), now.Signup.SMS.String(), true)
	fact("mfa", strconv.FormatBool(was.MFA), strconv.FormatBool(now.MFA), true)
	fact("personal_contact", strconv.FormatBool(was.PersonalContact), strconv.FormatBool(now.PersonalContact), true)
	fact("payment", instrumentText(&was.Payment), instrumentText(&now.Payment), false)
	fact("services", strings.Join(was.Services, ","), strings.Join(now.Services, ","), false)
	fact("admin_access", strconv.FormatBool(was.AdminAccess), strconv.FormatBool(now.AdminAccess), false)
	ah, bh := &was.Account.History, &now.Account.History
	fact("tenure_days", strconv.FormatInt(was.Account.TenureDays, 10), strconv.FormatInt(now.Account.TenureDays, 10), true)
	fact("history.invoices_paid", strconv.FormatInt(ah.InvoicesPaid, 10), strconv.FormatInt(bh.InvoicesPaid, 10), true)
	fact("history.invoices_paid_late", strconv.FormatInt(ah.InvoicesPaidLate, 10), strconv.FormatInt(bh.InvoicesPaidLate, 10), true)
	fact("history.amount_paid", moneyText(ah.AmountPaid), moneyText(bh.AmountPaid), true)
	fact("history.chargebacks", strconv.FormatInt(ah.Chargebacks, 10), strconv.FormatInt(bh.Chargebacks, 10), true)
	fact("prepaid", moneyText(was.Account.Prepaid), moneyText(now.Account.Prepaid), false)
	fact("email_check.disposable", strconv.FormatBool(was.EmailCheck.Disposable), strconv.FormatBool(now.EmailCheck.Disposable), false)

	// Rules: every active rule that started or stopped firing.
	type ruleChange struct {
		id, why string
		hit     risk.Hit
	}
	var rules []ruleChange
	fired := func(dec *risk.Decision, id string) (risk.Hit, bool) {
		for _, h := range dec.Hits {
			if h.RuleID == id {
				return h, true
			}
		}
		return risk.Hit{}, false
	}
	for _, h := range a.Decision.Hits {
		if _, ok := fired(&b.Decision, h.RuleID); !ok {
			rules = append(rules, ruleChange{h.RuleID, "rule " + h.RuleID + " stopped firing (" + h.Reason + ")", h})
			d.add("rule."+h.RuleID, "fires", "not firing", nil)
		}
	}
	for _, h := range b.Decision.Hits {
		if _, ok := fired(&a.Decision, h.RuleID); !ok {
			rules = append(rules, ruleChange{h.RuleID, "rule " + h.RuleID + " started firing (" + h.Reason + ")", h})
			d.add("rule."+h.RuleID, "not firing", "fires", nil)
		}
	}
	ruleWhy := func(keep func(h risk.Hit) bool) []string {
		var out []string
		for _, r := range rules {
			if keep(r.hit) {
				out = append(out, r.why)
			}
		}
		return out
	}
	effectWhy := func(keep func(e *Effect) bool) []string {
		return ruleWhy(func(h risk.Hit) bool {
			e := p.effects[h.RuleID]
			return e != nil && keep(e)
		})
	}

	// The outcome and the review.
	why := ruleWhy(func(h risk.Hit) bool { return h.Action != "" || h.Score != 0 })
	if a.Decision.Score != b.Decision.Score {
		why = append(why, "score "+strconv.FormatInt(a.Decision.Score, 10)+" → "+strconv.FormatInt(b.Decision.Score, 10))
	}
	if rs := reviewText(b.Review); rs != reviewText(a.Review) {
		d.add("review", reviewText(a.Review), rs, why)
		why = append(why, "review "+rs)
	}
	d.add("outcome", string(a.Outcome), string(b.Outcome), why)

	// Step-ups and outstanding checks.
	for _, m := range methods {
		asked := func(x *Assessment) string {
			for _, s := range x.StepUps {
				if s.Method == m {
					return "asked"
				}
			}
			return "not asked"
		}
		d.add("step_up."+string(m), asked(a), asked(b), append(effectWhy(func(e *Effect) bool { return slices.Contains(e.StepUp, m) }),
			outcomeWhy(a, b)...))
	}
	for _, k := range [...]CheckName{CheckIdentity, CheckCredit, CheckBusiness} {
		st := func(x *Assessment) string {
			if slices.Contains(x.Outstanding, k) {
				return "pending"
			}
			return "done"
		}
		d.add("outstanding."+string(k), st(a), st(b), []string{string(k) + ".status: " + k.status(&was.Applicant).String() + " → " + k.status(&now.Applicant).String()})
	}

	// Tier and the controls that follow it.
	tierWhy := append(slices.Clone(tierFacts), effectWhy(func(e *Effect) bool { return e.MaxTier != "" })...)
	d.add("tier", a.Tier.ID, b.Tier.ID, tierWhy)
	tierChange := []string(nil)
	if a.Tier.ID != b.Tier.ID {
		tierChange = []string{"tier " + a.Tier.ID + " → " + b.Tier.ID}
	}
	ac, bc := &a.Controls, &b.Controls
	d.add("controls.monthly_cap", moneyText(ac.MonthlyCap.Amount), moneyText(bc.MonthlyCap.Amount), tierChange)
	d.add("controls.prepayment.required", moneyText(ac.Prepayment.Required), moneyText(bc.Prepayment.Required),
		effectWhy(func(e *Effect) bool { return len(e.Prepayment) > 0 }))
	d.add("controls.prepayment.due", moneyText(ac.Prepayment.Due), moneyText(bc.Prepayment.Due),
		append(effectWhy(func(e *Effect) bool { return len(e.Prepayment) > 0 }), factsAbout(facts, "prepaid")...))
	creditWhy := append(effectWhy(func(e *Effect) bool { return e.NoCredit }), factsAbout(facts, "prepaid", "identity.", "credit.", "business.")...)
	d.add("controls.credit_limit", moneyText(ac.CreditLimit.Limit), moneyText(bc.CreditLimit.Limit), creditWhy)

	held := func(x *Assessment, s string) string {
		for _, h := range x.Controls.Held {
			if h.Service == s {
				return "held"
			}
		}
		return "available"
	}
	var services []string
	for _, x := range [...]*Assessment{a, b} {
		for _, h := range x.Controls.Held {
			if !slices.Contains(services, h.Service) {
				services = append(services, h.Service)
			}
		}
	}
	for _, s := range services {
		d.add("controls.held."+s, held(a, s), held(b, s),
			append(slices.Clone(tierChange), effectWhy(func(e *Effect) bool { return slices.Contains(e.Hold, s) })...))
	}
	d.add("controls.admin", ac.Admin.Level.String(), bc.Admin.Level.String(),
		append(effectWhy(func(e *Effect) bool { return e.Admin != nil }), factsAbout(facts, "admin_access")...))
	d.add("controls.instrument_refused", strconv.FormatBool(ac.InstrumentRefused), strconv.FormatBool(bc.InstrumentRefused),
		factsAbout(facts, "payment"))
	d.add("controls.collections.acknowledged", ackText(ac.Collections), ackText(bc.Collections), nil)
	return d.out
}

// outcomeWhy explains a step-up appearing or disappearing because the
// outcome became or stopped being reject.
func outcomeWhy(a, b *Assessment) []string {
	if (a.Outcome == Reject) != (b.Outcome == Reject) {
		return []string{"outcome " + string(a.Outcome) + " → " + string(b.Outcome)}
	}
	return nil
}

// factsAbout returns the fact changes whose field starts with one of the
// prefixes.
func factsAbout(facts []string, prefixes ...string) []string {
	var out []string
	for _, f := range facts {
		for _, p := range prefixes {
			if strings.HasPrefix(f, p) {
				out = append(out, f)
				break
			}
		}
	}
	return out
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

func moneyText(m risk.Money) string {
	if m.IsZero() {
		return "none"
	}
	return m.String()
}

func instrumentText(p *risk.PaymentInstrument) string {
	parts := []string{orNone(string(p.Type))}
	if p.Funding != "" {
		parts = append(parts, string(p.Funding))
	}
	if p.ThreeDS != risk.Unchecked {
		parts = append(parts, "3ds "+p.ThreeDS.String())
	}
	return strings.Join(parts, " ")
}

func reviewText(r *ReviewStatus) string {
	switch {
	case r == nil:
		return "none"
	case r.Decision != "":
		return "decided " + string(r.Decision)
	case r.Expired:
		return "expired, " + string(r.OnExpiry)
	}
	return "open until " + r.Deadline.UTC().Format(time.RFC3339)
}

func ackText(c Collections) string {
	if c.AcknowledgedAt.IsZero() {
		return "false"
	}
	return "true"
}
