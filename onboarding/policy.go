package onboarding

import (
	"errors"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/riskkit/riskkit/budget"
	"github.com/riskkit/riskkit/internal/decode"
	"github.com/riskkit/riskkit/risk"
	"go.yaml.in/yaml/v3"
)

// Policy is a compiled onboarding policy: the rules, compiled by the risk
// policy engine against [InputSchema], and the [Terms] of its controls
// section. It is immutable and safe for concurrent use. The zero value is
// not usable; build one with [Compile].
type Policy struct {
	engine   *risk.Engine[Input]
	terms    Terms
	effects  map[string]*Effect
	tiers    map[string]int
	refused  []risk.Funding
	outcomes []Outcome
	// zeros are zero amounts in terms.Currencies, in the same order, made
	// once so that assessments need not look currencies up.
	zeros []risk.Money
	// needs are each tier's requirements with what they need, by tier and
	// currency; capNames describe each tier's spending cap.
	needs    [][][]Requirement
	capNames []string
	// readsTenure is set when a rule's condition mentions the account's
	// tenure or opening, so that assessments change as days pass.
	readsTenure bool
}

// RefusedFundingList is the name of the policy list whose entries are the
// card funding types refused at sign-up, such as prepaid and stored_value.
// Rules read it as lists.refused_funding; the assessment reports it in
// [Controls.RefusedFunding] so that the host's payment form refuses the
// same cards.
const RefusedFundingList = "refused_funding"

// Compile reads an onboarding policy, YAML or JSON: a risk policy (see
// [risk.Policy]) over [InputSchema] with one more top-level key, controls,
// holding the [Terms]. The policy's outcomes must be onboarding outcomes
// (see [Outcome]), most severe first.
//
// Compile returns every problem at once in a *[risk.DocumentError]: those of the rules
// as the risk engine reports them, with their rule id, line and column, and
// those of the controls with their path, line and column. Options are passed
// to the risk engine.
func Compile(src []byte, opts ...risk.Option) (*Policy, error) {
	doc, list := decode.Parse(src)
	if doc == nil {
		return nil, risk.NewDocumentError("onboarding", ErrInvalidDocument, "policy", list)
	}
	root := doc.Root()
	what := "policy"
	if id := doc.Node("id"); id != nil && id.Kind == yaml.ScalarNode {
		what = "policy " + strconv.Quote(id.Value)
	}
	var is issues
	var terms Terms
	found, list := doc.Field("controls", &terms)
	if !found && root.Kind == yaml.MappingNode {
		is.Issues = append(is.Issues, risk.Issue{Path: "controls", Line: root.Line, Column: root.Column,
			Msg: "missing; an onboarding policy has a controls section with its currencies, review terms, credit limit and tiers"})
	}
	is.Issues = append(is.Issues, list...)

	rp, err := risk.ParsePolicy(src, "controls")
	if err != nil {
		var de *risk.DocumentError
		if errors.As(err, &de) {
			is.Issues = append(is.Issues, de.Issues...)
		} else {
			is.Issues = append(is.Issues, risk.Issue{Msg: decode.Message(err)})
		}
		return nil, is.err(what)
	}
	p := &Policy{terms: terms}
	p.readsTenure = slices.ContainsFunc(rp.Rules, func(r risk.Rule) bool {
		return strings.Contains(r.When, "tenure_days") || strings.Contains(r.When, "opened_at")
	})
	is.Doc = doc
	if len(is.Issues) == 0 {
		p.check(rp, &is)
	}
	is.Doc = nil
	p.engine, err = risk.CompilePolicy(rp, InputSchema(), opts...)
	var ce *risk.DocumentError
	switch {
	case errors.As(err, &ce):
		is.Issues = append(is.Issues, ce.Issues...)
	case err != nil:
		is.Add("", "%s", decode.Message(err))
	}
	if err := is.err(what); err != nil {
		return nil, err
	}
	return p, nil
}

// Engine returns the compiled rules, for backtests and for running the
// policy's test cases with package risktest.
func (p *Policy) Engine() *risk.Engine[Input] { return p.engine }

// Terms returns a copy of the policy's controls section, which the caller
// may change without changing the policy.
func (p *Policy) Terms() Terms {
	t := p.terms
	t.Currencies = slices.Clone(t.Currencies)
	t.CreditLimit.Bands = cloneMap(t.CreditLimit.Bands, func(a Amounts) Amounts { return slices.Clone(a) })
	t.CreditLimit.NoReport = slices.Clone(t.CreditLimit.NoReport)
	t.MonthlyCap.Alerts = slices.Clone(t.MonthlyCap.Alerts)
	t.Tiers = slices.Clone(t.Tiers)
	for i := range t.Tiers {
		tr := &t.Tiers[i]
		tr.MonthlyCap, tr.Hold = slices.Clone(tr.MonthlyCap), slices.Clone(tr.Hold)
		r := &tr.Requires
		r.AmountPaid, r.Verified = slices.Clone(r.AmountPaid), slices.Clone(r.Verified)
		r.MaxChargebacks, r.MaxLatePayments = clonePtr(r.MaxChargebacks), clonePtr(r.MaxLatePayments)
	}
	t.Rules = cloneMap(t.Rules, func(e Effect) Effect {
		e.StepUp, e.Prepayment, e.Hold, e.Admin = slices.Clone(e.StepUp), slices.Clone(e.Prepayment), slices.Clone(e.Hold), clonePtr(e.Admin)
		return e
	})
	return t
}

func cloneMap[V any](m map[string]V, clone func(V) V) map[string]V {
	if m == nil {
		return nil
	}
	out := make(map[string]V, len(m))
	for k, v := range m {
		out[k] = clone(v)
	}
	return out
}

func clonePtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

// maxReview is the longest a review may take, about ten years.
const maxReview = 3660 * 24 * time.Hour

var tierIDRE = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]*$`)

// check validates the terms against the rules and fills the lookups.
func (p *Policy) check(rp *risk.Policy, is *issues) {
	t := &p.terms
	// Outcomes.
	last := -1
	for _, o := range rp.Outcomes {
		s := Outcome(o).severity()
		switch {
		case s < 0:
			is.Add("outcomes", "%q is not an onboarding outcome (want some of %v, in that order)", o, outcomes)
		case s <= last:
			is.Add("outcomes", "%q is out of order; onboarding outcomes run %v", o, outcomes)
			p.outcomes = append(p.outcomes, Outcome(o))
		default:
			last = s
			p.outcomes = append(p.outcomes, Outcome(o))
		}
	}
	if l, ok := rp.Lists[RefusedFundingList]; ok {
		for i, f := range l {
			var v risk.Funding
			if err := v.UnmarshalText([]byte(f)); err != nil || v == "" {
				is.Add("lists."+RefusedFundingList+"["+strconv.Itoa(i)+"]", "%q is not a card funding type (want credit, debit, prepaid or stored_value)", f)
				continue
			}
			p.refused = append(p.refused, v)
		}
	}

	// Currencies.
	cur := map[string]bool{}
	if len(t.Currencies) == 0 {
		is.Add("controls.currencies", "missing; list the billing currencies the controls cover, such as [USD, EUR]")
	}
	for i, c := range t.Currencies {
		path := "controls.currencies[" + strconv.Itoa(i) + "]"
		zero, err := risk.NewMoney(0, c)
		switch {
		case err != nil:
			is.Add(path, "%s", decode.Message(err))
		case cur[c]:
			is.Add(path, "%s is listed twice", c)
		}
		cur[c] = true
		p.zeros = append(p.zeros, zero)
	}
	amounts := func(path string, a Amounts, required, allowZero bool) {
		if len(a) == 0 {
			if required {
				is.Add(path, "missing; give one amount per currency of controls.currencies")
			}
			return
		}
		seen := map[string]bool{}
		for i, m := range a {
			mp := path + "[" + strconv.Itoa(i) + "]"
			switch {
			case m.IsZero():
				is.Add(mp, "amount is required, as in \"500.00 USD\"")
			case m.Sign() < 0 || m.Sign() == 0 && !allowZero:
				is.Add(mp, "%v must be above zero", m)
			case !cur[m.Currency()]:
				is.Add(mp, "%s is not one of controls.currencies %v", m.Currency(), t.Currencies)
			case seen[m.Currency()]:
				is.Add(mp, "%s is given twice", m.Currency())
			}
			seen[m.Currency()] = true
		}
		for _, c := range t.Currencies {
			if cur[c] && !seen[c] {
				is.Add(path, "no amount in %s", c)
			}
		}
	}

	// Review.
	switch w := t.Review.Within; {
	case w == 0 && (is.Doc == nil || is.Doc.Node("controls.review.within") == nil):
		is.Add("controls.review.within", "missing; how long a review may take, such as 48h")
	case w <= 0:
		is.Add("controls.review.within", "duration %q must be above zero", w)
	case w > maxReview:
		is.Add("controls.review.within", "%v is longer than a review may take (3660d)", w)
	}
	switch o := t.Review.OnExpiry; {
	case o == "":
		is.Add("controls.review.on_expiry", "missing; the outcome when nobody reviews in time, such as reject")
	case o == Review || o == Pending:
		is.Add("controls.review.on_expiry", "%s cannot follow an expired review; use reject or an approval", o)
	case !slices.Contains(p.outcomes, o):
		is.Add("controls.review.on_expiry", "%s is not an outcome of the policy %v", o, p.outcomes)
	}

	// Credit limit.
	c := &t.CreditLimit
	if len(c.Bands) == 0 {
		is.Add("controls.credit_limit.bands", "missing; give an amount list for each report band A to E")
	}
	for _, band := range sortedKeys(c.Bands) {
		path := "controls.credit_limit.bands." + band
		if len(band) != 1 || band[0] < 'A' || band[0] > 'E' {
			is.Add(path, "%q is not a band from A to E", band)
			continue
		}
		amounts(path, c.Bands[band], true, true)
	}
	amounts("controls.credit_limit.no_report", c.NoReport, true, true)
	if c.PrepaymentMultiple < 0 || c.PrepaymentMultiple > 100000 {
		is.Add("controls.credit_limit.prepayment_multiple", "%v is outside 0%% to 1000%%", c.PrepaymentMultiple)
	}
	if c.NetWorthShare < 0 || c.NetWorthShare > 10000 {
		is.Add("controls.credit_limit.net_worth_share", "%v is outside 0%% to 100%%", c.NetWorthShare)
	}

	// Monthly cap alerts.
	for i, a := range t.MonthlyCap.Alerts {
		if a < budget.MinThreshold || a > budget.MaxThreshold {
			is.Add("controls.monthly_cap.alerts["+strconv.Itoa(i)+"]", "%v is outside %v to %v", a, budget.MinThreshold, budget.MaxThreshold)
		}
	}

	// Tiers.
	p.tiers = map[string]int{}
	if len(t.Tiers) == 0 {
		is.Add("controls.tiers", "missing; list the trust tiers, starting with the one every customer starts in")
	}
	for i := range t.Tiers {
		tr := &t.Tiers[i]
		path := "controls.tiers[" + strconv.Itoa(i) + "]"
		switch {
		case tr.ID == "":
			is.Add(path+".id", "missing")
		case !tierIDRE.MatchString(tr.ID):
			is.Add(path+".id", "%q: use lower-case letters, digits, '-' and '_'", tr.ID)
		default:
			if j, dup := p.tiers[tr.ID]; dup {
				is.Add(path+".id", "%q is also controls.tiers[%d]", tr.ID, j)
			}
			p.tiers[tr.ID] = i
		}
		if !utf8.ValidString(tr.Name) {
			is.Add(path+".name", "not valid UTF-8")
		}
		amounts(path+".monthly_cap", tr.MonthlyCap, true, false)
		if i > 0 && len(t.Tiers[i-1].MonthlyCap) > 0 {
			for _, m := range tr.MonthlyCap {
				if prev, ok := t.Tiers[i-1].MonthlyCap.In(m.Currency()); ok && m.Minor() < prev.Minor() {
					is.Add(path+".monthly_cap", "%v is below the previous tier's %v; caps rise with trust", m, prev)
				}
			}
		}
		services(is, path+".hold", tr.Hold)
		r := &tr.Requires
		if i == 0 && !reflect.ValueOf(*r).IsZero() {
			is.Add(path+".requires", "the first tier is where every customer starts; it requires nothing")
		}
		if r.TenureDays < 0 || r.TenureDays > 36600 {
			is.Add(path+".requires.tenure_days", "%d is outside 0 to 36600", r.TenureDays)
		}
		if r.InvoicesPaid < 0 {
			is.Add(path+".requires.invoices_paid", "%d is negative", r.InvoicesPaid)
		}
		amounts(path+".requires.amount_paid", r.AmountPaid, false, false)
		for k, v := range r.Verified {
			if v == "" {
				is.Add(path+".requires.verified["+strconv.Itoa(k)+"]", "empty; name a verification such as identity")
			}
		}
		if r.MaxChargebacks != nil && *r.MaxChargebacks < 0 {
			is.Add(path+".requires.max_chargebacks", "%d is negative", *r.MaxChargebacks)
		}
		if r.MaxLatePayments != nil && *r.MaxLatePayments < 0 {
			is.Add(path+".requires.max_late_payments", "%d is negative", *r.MaxLatePayments)
		}
	}

	for i := range t.Tiers {
		tr := &t.Tiers[i]
		p.capNames = append(p.capNames, "Monthly spending cap of the "+tierName(tr)+" tier")
		byCur := make([][]Requirement, len(t.Currencies))
		for k, c := range t.Currencies {
			byCur[k] = requirementTemplate(&tr.Requires, c)
		}
		p.needs = append(p.needs, byCur)
	}

	// Rule effects.
	rules := map[string]*risk.Rule{}
	for i := range rp.Rules {
		rules[rp.Rules[i].ID] = &rp.Rules[i]
	}
	p.effects = make(map[string]*Effect, len(t.Rules))
	for _, id := range sortedKeys(t.Rules) {
		e := t.Rules[id]
		path := "controls.rules." + id
		r, ok := rules[id]
		if !ok {
			is.Add(path, "no rule %q in the policy", id)
			continue
		}
		if len(e.StepUp) > 0 && Outcome(r.Action) != StepUp {
			is.Add(path+".step_up", "rule %s has action %q; only a rule whose action is step_up asks for a step-up", id, r.Action)
		}
		for k, m := range e.StepUp {
			switch {
			case m == "":
				is.Add(path+".step_up["+strconv.Itoa(k)+"]", "empty; name a step-up such as sms")
			case slices.Contains(e.StepUp[:k], m):
				is.Add(path+".step_up["+strconv.Itoa(k)+"]", "%s is listed twice", m)
			}
		}
		amounts(path+".prepayment", e.Prepayment, false, false)
		services(is, path+".hold", e.Hold)
		if e.MaxTier != "" {
			if _, ok := p.tiers[e.MaxTier]; !ok {
				is.Add(path+".max_tier", "no tier %q in controls.tiers", e.MaxTier)
			}
		}
		if reflect.ValueOf(e).IsZero() {
			is.Add(path, "the rule adds no control; remove the entry")
		}
		p.effects[id] = &e
	}
}

func services(is *issues, path string, s []string) {
	for i, svc := range s {
		switch {
		case svc == "" || len(svc) > 100:
			is.Add(path+"["+strconv.Itoa(i)+"]", "a service is 1 to 100 bytes")
		case slices.Contains(s[:i], svc):
			is.Add(path+"["+strconv.Itoa(i)+"]", "%q is listed twice", svc)
		}
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
