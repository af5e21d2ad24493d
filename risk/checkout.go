package risk

import "time"

// CheckoutSchema describes [Checkout] to the policy engine. Checkout policies
// read these variables (field names are the JSON names):
//
//	customer  riskkit.Customer: id, kind, country, created_at, email, phone,
//	          mfa, identity, business_registration, credit (status, band),
//	          personal_contact, history (invoices_paid, invoices_paid_late,
//	          amount_paid, chargebacks, first_payment_at), credit_limit,
//	          prepaid_balance, outstanding_balance
//	payment   riskkit.PaymentInstrument: type, funding, issuing_country, cvc,
//	          address, three_ds, fingerprint
//	txn       riskkit.Transaction: id, customer_id, amount, kind,
//	          card_present, line_items (sku, category, quantity, amount;
//	          at most 100), ip, ip_country, device_id, billing (line1, city,
//	          postal_code, country), time
//	signals   riskkit.Signals: accounts_per_ip_1h, accounts_per_ip_24h,
//	          accounts_per_device_1h, accounts_per_device_24h,
//	          accounts_per_card_1h, accounts_per_card_24h, purchases_24h,
//	          distinct_cards_24h, failed_payments_24h, unbilled_usage
//
// Enumerations read as strings; a verification that was not run reads as
// "not_run" and a card check that was not performed as "unchecked". Money
// fields, timestamps and signals that were not supplied are missing inputs.
func CheckoutSchema() *Object[Checkout] {
	credit := NewObject[CreditCheck]("riskkit.CreditCheck").
		String("status", func(c *CreditCheck) string { return c.Status.String() }).
		String("band", func(c *CreditCheck) string { return c.Band })
	history := NewObject[PaymentHistory]("riskkit.PaymentHistory").
		Int("invoices_paid", func(h *PaymentHistory) int64 { return h.InvoicesPaid }).
		Int("invoices_paid_late", func(h *PaymentHistory) int64 { return h.InvoicesPaidLate }).
		Money("amount_paid", func(h *PaymentHistory) Money { return h.AmountPaid }).
		Int("chargebacks", func(h *PaymentHistory) int64 { return h.Chargebacks }).
		Time("first_payment_at", func(h *PaymentHistory) time.Time { return h.FirstPaymentAt })
	customer := NewObject[Customer]("riskkit.Customer").
		String("id", func(c *Customer) string { return c.ID }).
		String("kind", func(c *Customer) string { return string(c.Kind) }).
		String("country", func(c *Customer) string { return c.Country }).
		Time("created_at", func(c *Customer) time.Time { return c.CreatedAt }).
		String("email", func(c *Customer) string { return c.Email.String() }).
		String("phone", func(c *Customer) string { return c.Phone.String() }).
		Bool("mfa", func(c *Customer) bool { return c.MFA }).
		String("identity", func(c *Customer) string { return c.Identity.String() }).
		String("business_registration", func(c *Customer) string { return c.BusinessRegistration.String() }).
		Bool("personal_contact", func(c *Customer) bool { return c.PersonalContact }).
		Money("credit_limit", func(c *Customer) Money { return c.CreditLimit }).
		Money("prepaid_balance", func(c *Customer) Money { return c.PrepaidBalance }).
		Money("outstanding_balance", func(c *Customer) Money { return c.OutstandingBalance })
	ObjectField(customer, "credit", credit, func(c *Customer) *CreditCheck { return &c.Credit })
	ObjectField(customer, "history", history, func(c *Customer) *PaymentHistory { return &c.History })

	payment := NewObject[PaymentInstrument]("riskkit.PaymentInstrument").
		String("type", func(p *PaymentInstrument) string { return string(p.Type) }).
		String("funding", func(p *PaymentInstrument) string { return string(p.Funding) }).
		String("issuing_country", func(p *PaymentInstrument) string { return p.IssuingCountry }).
		String("cvc", func(p *PaymentInstrument) string { return p.CVC.String() }).
		String("address", func(p *PaymentInstrument) string { return p.Address.String() }).
		String("three_ds", func(p *PaymentInstrument) string { return p.ThreeDS.String() }).
		String("fingerprint", func(p *PaymentInstrument) string { return p.Fingerprint })

	item := NewObject[LineItem]("riskkit.LineItem").
		String("sku", func(l *LineItem) string { return l.SKU }).
		String("category", func(l *LineItem) string { return l.Category }).
		Int("quantity", func(l *LineItem) int64 { return l.Quantity }).
		Money("amount", func(l *LineItem) Money { return l.Amount })
	address := NewObject[Address]("riskkit.Address").
		String("line1", func(a *Address) string { return a.Line1 }).
		String("city", func(a *Address) string { return a.City }).
		String("postal_code", func(a *Address) string { return a.PostalCode }).
		String("country", func(a *Address) string { return a.Country })
	txn := NewObject[Transaction]("riskkit.Transaction").
		String("id", func(t *Transaction) string { return t.ID }).
		String("customer_id", func(t *Transaction) string { return t.CustomerID }).
		Money("amount", func(t *Transaction) Money { return t.Amount }).
		String("kind", func(t *Transaction) string { return string(t.Kind) }).
		Bool("card_present", func(t *Transaction) bool { return t.CardPresent }).
		String("ip", func(t *Transaction) string { return t.IP }).
		String("ip_country", func(t *Transaction) string { return t.IPCountry }).
		String("device_id", func(t *Transaction) string { return t.DeviceID }).
		Time("time", func(t *Transaction) time.Time { return t.Time })
	ObjectList(txn, "line_items", item, maxLineItems, func(t *Transaction) []LineItem { return t.LineItems })
	ObjectField(txn, "billing", address, func(t *Transaction) *Address { return &t.Billing })

	signals := NewObject[Signals]("riskkit.Signals").
		Signal("accounts_per_ip_1h", func(s *Signals) Signal { return s.AccountsPerIP1h }).
		Signal("accounts_per_ip_24h", func(s *Signals) Signal { return s.AccountsPerIP24h }).
		Signal("accounts_per_device_1h", func(s *Signals) Signal { return s.AccountsPerDevice1h }).
		Signal("accounts_per_device_24h", func(s *Signals) Signal { return s.AccountsPerDevice24h }).
		Signal("accounts_per_card_1h", func(s *Signals) Signal { return s.AccountsPerCard1h }).
		Signal("accounts_per_card_24h", func(s *Signals) Signal { return s.AccountsPerCard24h }).
		Signal("purchases_24h", func(s *Signals) Signal { return s.Purchases24h }).
		Signal("distinct_cards_24h", func(s *Signals) Signal { return s.DistinctCards24h }).
		Signal("failed_payments_24h", func(s *Signals) Signal { return s.FailedPayments24h }).
		Money("unbilled_usage", func(s *Signals) Money { return s.UnbilledUsage })

	root := NewObject[Checkout]("riskkit.Checkout")
	ObjectField(root, "customer", customer, func(c *Checkout) *Customer { return &c.Customer })
	ObjectField(root, "payment", payment, func(c *Checkout) *PaymentInstrument { return &c.Payment })
	ObjectField(root, "txn", txn, func(c *Checkout) *Transaction { return &c.Transaction })
	ObjectField(root, "signals", signals, func(c *Checkout) *Signals { return &c.Signals })
	return root
}

// maxLineItems bounds the line items a checkout rule may iterate over.
const maxLineItems = 100
