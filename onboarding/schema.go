package onboarding

import (
	"time"

	"github.com/riskkit/riskkit/risk"
)

// InputSchema describes [Input] to the policy engine. Onboarding policies
// read these variables (field names are the JSON names):
//
//	id, kind, country, currency   strings
//	signup        riskkit.Signup: at, ip, ip_country, device_id,
//	              email_domain, email, phone, sms, form_seconds, bot_score
//	identity, credit, business
//	              riskkit.Check: status, provider, band, revenue, net_worth
//	personal_contact, mfa, admin_access
//	              bools
//	payment       riskkit.PaymentInstrument: type, funding,
//	              issuing_country, cvc, address, three_ds, fingerprint
//	services      list(string), at most 64
//	signals       riskkit.Signals: accounts_per_ip_1h, accounts_per_ip_24h,
//	              accounts_per_device_1h, accounts_per_device_24h,
//	              accounts_per_card_1h, accounts_per_card_24h,
//	              purchases_24h, distinct_cards_24h, failed_payments_24h,
//	              unbilled_usage
//	email_check   riskkit.EmailVerdict: domain, disposable, source
//	account       riskkit.Account: opened_at, tenure_days, prepaid, history
//	              (invoices_paid, invoices_paid_late, amount_paid,
//	              chargebacks, first_payment_at)
//
// Enumerations read as strings: a verification that was not run reads as
// "not_run", a card check not performed as "unchecked", an email verdict no
// list decided as "unlisted". Signals (form_seconds, bot_score and the
// velocities), amounts and times that were not supplied are missing
// inputs: a rule that needs one does not fire and the decision lists it.
//
// Each call builds a new description; compile policies with it once.
func InputSchema() *risk.Object[Input] {
	signup := risk.NewObject[Signup]("riskkit.Signup").
		Time("at", func(s *Signup) time.Time { return s.At }).
		String("ip", func(s *Signup) string { return s.IP }).
		String("ip_country", func(s *Signup) string { return s.IPCountry }).
		String("device_id", func(s *Signup) string { return s.DeviceID }).
		String("email_domain", func(s *Signup) string { return s.EmailDomain }).
		String("email", func(s *Signup) string { return s.Email.String() }).
		String("phone", func(s *Signup) string { return s.Phone }).
		String("sms", func(s *Signup) string { return s.SMS.String() }).
		Signal("form_seconds", func(s *Signup) risk.Signal { return s.FormSeconds }).
		Signal("bot_score", func(s *Signup) risk.Signal { return s.BotScore })
	check := risk.NewObject[Check]("riskkit.Check").
		String("status", func(c *Check) string { return c.Status.String() }).
		String("provider", func(c *Check) string { return c.Provider }).
		String("band", func(c *Check) string { return c.Band }).
		Money("revenue", func(c *Check) risk.Money { return c.Revenue }).
		Money("net_worth", func(c *Check) risk.Money { return c.NetWorth })
	payment := risk.NewObject[risk.PaymentInstrument]("riskkit.PaymentInstrument").
		String("type", func(p *risk.PaymentInstrument) string { return string(p.Type) }).
		String("funding", func(p *risk.PaymentInstrument) string { return string(p.Funding) }).
		String("issuing_country", func(p *risk.PaymentInstrument) string { return p.IssuingCountry }).
		String("cvc", func(p *risk.PaymentInstrument) string { return p.CVC.String() }).
		String("address", func(p *risk.PaymentInstrument) string { return p.Address.String() }).
		String("three_ds", func(p *risk.PaymentInstrument) string { return p.ThreeDS.String() }).
		String("fingerprint", func(p *risk.PaymentInstrument) string { return p.Fingerprint })
	signals := risk.NewObject[risk.Signals]("riskkit.Signals").
		Signal("accounts_per_ip_1h", func(s *risk.Signals) risk.Signal { return s.AccountsPerIP1h }).
		Signal("accounts_per_ip_24h", func(s *risk.Signals) risk.Signal { return s.AccountsPerIP24h }).
		Signal("accounts_per_device_1h", func(s *risk.Signals) risk.Signal { return s.AccountsPerDevice1h }).
		Signal("accounts_per_device_24h", func(s *risk.Signals) risk.Signal { return s.AccountsPerDevice24h }).
		Signal("accounts_per_card_1h", func(s *risk.Signals) risk.Signal { return s.AccountsPerCard1h }).
		Signal("accounts_per_card_24h", func(s *risk.Signals) risk.Signal { return s.AccountsPerCard24h }).
		Signal("purchases_24h", func(s *risk.Signals) risk.Signal { return s.Purchases24h }).
		Signal("distinct_cards_24h", func(s *risk.Signals) risk.Signal { return s.DistinctCards24h }).
		Signal("failed_payments_24h", func(s *risk.Signals) risk.Signal { return s.FailedPayments24h }).
		Money("unbilled_usage", func(s *risk.Signals) risk.Money { return s.UnbilledUsage })
	email := risk.NewObject[EmailVerdict]("riskkit.EmailVerdict").
		String("domain", func(e *EmailVerdict) string { return e.Domain }).
		Bool("disposable", func(e *EmailVerdict) bool { return e.Disposable }).
		String("source", func(e *EmailVerdict) string { return e.Source.String() })
	history := risk.NewObject[risk.PaymentHistory]("riskkit.PaymentHistory").
		Int("invoices_paid", func(h *risk.PaymentHistory) int64 { return h.InvoicesPaid }).
		Int("invoices_paid_late", func(h *risk.PaymentHistory) int64 { return h.InvoicesPaidLate }).
		Money("amount_paid", func(h *risk.PaymentHistory) risk.Money { return h.AmountPaid }).
		Int("chargebacks", func(h *risk.PaymentHistory) int64 { return h.Chargebacks }).
		Time("first_payment_at", func(h *risk.PaymentHistory) time.Time { return h.FirstPaymentAt })
	account := risk.NewObject[Account]("riskkit.Account").
		Time("opened_at", func(a *Account) time.Time { return a.OpenedAt }).
		Int("tenure_days", func(a *Account) int64 { return a.TenureDays }).
		Money("prepaid", func(a *Account) risk.Money { return a.Prepaid })
	risk.ObjectField(account, "history", history, func(a *Account) *risk.PaymentHistory { return &a.History })

	root := risk.NewObject[Input]("riskkit.OnboardingInput").
		String("id", func(in *Input) string { return in.ID }).
		String("kind", func(in *Input) string { return string(in.Kind) }).
		String("country", func(in *Input) string { return in.Country }).
		String("currency", func(in *Input) string { return in.Currency }).
		Bool("personal_contact", func(in *Input) bool { return in.PersonalContact }).
		Bool("mfa", func(in *Input) bool { return in.MFA }).
		Bool("admin_access", func(in *Input) bool { return in.AdminAccess }).
		Strings("services", maxServices, func(in *Input) []string { return in.Services })
	risk.ObjectField(root, "signup", signup, func(in *Input) *Signup { return &in.Signup })
	risk.ObjectField(root, "identity", check, func(in *Input) *Check { return &in.Identity })
	risk.ObjectField(root, "credit", check, func(in *Input) *Check { return &in.Credit })
	risk.ObjectField(root, "business", check, func(in *Input) *Check { return &in.Business })
	risk.ObjectField(root, "payment", payment, func(in *Input) *risk.PaymentInstrument { return &in.Payment })
	risk.ObjectField(root, "signals", signals, func(in *Input) *risk.Signals { return &in.Signals })
	risk.ObjectField(root, "email_check", email, func(in *Input) *EmailVerdict { return &in.EmailCheck })
	risk.ObjectField(root, "account", account, func(in *Input) *Account { return &in.Account })
	return root
}
