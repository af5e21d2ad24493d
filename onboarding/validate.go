package onboarding

import (
	"net/netip"
	"strconv"

	"github.com/riskkit/riskkit/internal/decode"
	"github.com/riskkit/riskkit/risk"
)

// maxServices bounds the services an applicant may request, so that the
// policy engine can bound the cost of rules that look through them.
const maxServices = 64

// Validate reports every problem with a, as a *[risk.DocumentError] whose issues name
// the field, such as "signup.ip" or "credit.band". It returns nil for a
// valid applicant and does not allocate then.
func (a *Applicant) Validate() error {
	var is issues
	a.validate(&is, "", false)
	if len(is.Issues) == 0 {
		return nil
	}
	return is.err("applicant " + strconv.Quote(a.ID))
}

// validate adds a's problems to is, their paths prefixed with prefix.
// knownCurrency skips looking the currency up, for a caller that has already
// matched it against currencies it knows.
func (a *Applicant) validate(is *issues, prefix string, knownCurrency bool) {
	switch {
	case a.ID == "":
		is.Add(prefix+"id", "missing")
	case len(a.ID) > 100:
		is.Add(prefix+"id", "longer than 100 bytes")
	default:
		for i := range len(a.ID) {
			if !idChar(a.ID[i]) {
				is.Add(prefix+"id", "%q has the character %q; use letters, digits and ._:@-", a.ID, a.ID[i])
				break
			}
		}
	}
	switch a.Kind {
	case "", risk.Individual, risk.Business:
	default:
		is.Add(prefix+"kind", "unknown kind %q (want individual or business)", string(a.Kind))
	}
	country(is, prefix, "country", a.Country)
	switch {
	case a.Currency == "":
		is.Add(prefix+"currency", "missing; the ISO 4217 code the customer is billed in, such as USD")
	case knownCurrency:
	default:
		if _, err := risk.CurrencyExponent(a.Currency); err != nil {
			is.Add(prefix+"currency", "%s", decode.Message(err))
		}
	}

	s := &a.Signup
	if s.IP != "" {
		if _, err := netip.ParseAddr(s.IP); err != nil {
			is.Add(prefix+"signup.ip", "%q is not an IP address", s.IP)
		}
	}
	country(is, prefix, "signup.ip_country", s.IPCountry)
	if s.EmailDomain != "" && !isDomain(normalizeDomain(s.EmailDomain)) {
		is.Add(prefix+"signup.email_domain", "%q is not a domain such as example.com", s.EmailDomain)
	}
	verification(is, prefix, "signup.email", s.Email)
	verification(is, prefix, "signup.sms", s.SMS)
	if n, ok := s.FormSeconds.Get(); ok && n < 0 {
		is.Add(prefix+"signup.form_seconds", "%d is negative", n)
	}
	if n, ok := s.BotScore.Get(); ok && (n < 0 || n > 100) {
		is.Add(prefix+"signup.bot_score", "%d is outside 0 to 100", n)
	}

	a.Identity.validate(is, prefix+"identity", a.Currency)
	a.Credit.validate(is, prefix+"credit", a.Currency)
	a.Business.validate(is, prefix+"business", a.Currency)

	p := &a.Payment
	switch p.Type {
	case "", risk.Card, risk.BankTransfer, risk.DirectDebit, risk.Wallet, risk.InvoiceTerms:
	default:
		is.Add(prefix+"payment.type", "unknown instrument type %q", string(p.Type))
	}
	switch p.Funding {
	case "", risk.Credit, risk.Debit, risk.Prepaid, risk.StoredValue:
	default:
		is.Add(prefix+"payment.funding", "unknown funding %q", string(p.Funding))
	}
	country(is, prefix, "payment.issuing_country", p.IssuingCountry)
	checkResult(is, prefix, "payment.cvc", p.CVC)
	checkResult(is, prefix, "payment.address", p.Address)
	checkResult(is, prefix, "payment.three_ds", p.ThreeDS)

	if len(a.Services) > maxServices {
		is.Add(prefix+"services", "%d services; at most %d", len(a.Services), maxServices)
	}
	for i, svc := range a.Services {
		if svc == "" || len(svc) > 100 {
			is.Add(prefix+"services["+strconv.Itoa(i)+"]", "a service is 1 to 100 bytes")
		}
	}

	g := &a.Signals
	for _, sig := range []struct {
		name string
		s    risk.Signal
	}{
		{"accounts_per_ip_1h", g.AccountsPerIP1h}, {"accounts_per_ip_24h", g.AccountsPerIP24h},
		{"accounts_per_device_1h", g.AccountsPerDevice1h}, {"accounts_per_device_24h", g.AccountsPerDevice24h},
		{"accounts_per_card_1h", g.AccountsPerCard1h}, {"accounts_per_card_24h", g.AccountsPerCard24h},
		{"purchases_24h", g.Purchases24h}, {"distinct_cards_24h", g.DistinctCards24h},
		{"failed_payments_24h", g.FailedPayments24h},
	} {
		if n, ok := sig.s.Get(); ok && n < 0 {
			is.Add(prefix+"signals."+sig.name, "%d is negative", n)
		}
	}
	if g.UnbilledUsage.Sign() < 0 {
		is.Add(prefix+"signals.unbilled_usage", "%v is negative", g.UnbilledUsage)
	}
}

// validate checks a verification's result; path names it, such as
// "identity".
func (c *Check) validate(is *issues, path, currency string) {
	verification(is, path, ".status", c.Status)
	switch c.Band {
	case "", "A", "B", "C", "D", "E":
	default:
		is.Add(path+".band", "%q is not a band from A (strongest) to E (weakest)", c.Band)
	}
	amount(is, path, ".revenue", c.Revenue, currency)
	amount(is, path, ".net_worth", c.NetWorth, currency)
}

// validate checks an account's history against the applicant's currency.
func (a *Account) validate(is *issues, path, currency string) {
	if path != "" {
		path += "."
	}
	h := &a.History
	for _, n := range []struct {
		name string
		v    int64
	}{{"invoices_paid", h.InvoicesPaid}, {"invoices_paid_late", h.InvoicesPaidLate}, {"chargebacks", h.Chargebacks}} {
		if n.v < 0 {
			is.Add(path+"history."+n.name, "%d is negative", n.v)
		}
	}
	if h.InvoicesPaidLate > h.InvoicesPaid && h.InvoicesPaid >= 0 {
		is.Add(path+"history.invoices_paid_late", "%d late of %d paid", h.InvoicesPaidLate, h.InvoicesPaid)
	}
	amount(is, path, "history.amount_paid", h.AmountPaid, currency)
	amount(is, path, "prepaid", a.Prepaid, currency)
}

// The checks below take a field's path in two parts, joined only when there
// is a problem, so that validating a valid value allocates nothing.

// amount checks that an optional amount is not negative and is in the
// applicant's currency, since the controls compare it with amounts in that
// currency and converting needs a rate only the host has.
func amount(is *issues, path, field string, m risk.Money, currency string) {
	switch {
	case m.IsZero():
	case m.Sign() < 0:
		is.Add(path+field, "%v is negative", m)
	case currency != "" && m.Currency() != currency:
		is.Add(path+field, "%v is not in the billing currency %s; convert it first", m, currency)
	}
}

func country(is *issues, path, field, c string) {
	if c == "" {
		return
	}
	if len(c) != 2 || c[0] < 'A' || c[0] > 'Z' || c[1] < 'A' || c[1] > 'Z' {
		is.Add(path+field, "%q is not an ISO 3166-1 alpha-2 code such as DE", c)
	}
}

func verification(is *issues, path, field string, v risk.Verification) {
	switch v {
	case risk.NotRun, risk.Pending, risk.Verified, risk.Failed:
	default:
		is.Add(path+field, "unknown verification state %q (want verified, failed, pending or not_run)", string(v))
	}
}

func checkResult(is *issues, path, field string, c risk.CheckResult) {
	switch c {
	case risk.Unchecked, risk.Pass, risk.Fail, risk.Unavailable:
	default:
		is.Add(path+field, "unknown check result %q (want pass, fail, unavailable or unchecked)", string(c))
	}
}

// idChar reports whether c may appear in an applicant id, which also names
// a budget and idempotency keys.
func idChar(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
		c == '.' || c == '_' || c == ':' || c == '@' || c == '-'
}
