package risk

import (
	"errors"
	"net/netip"
	"strconv"

	"github.com/riskkit/riskkit/internal/decode"
	"github.com/riskkit/riskkit/internal/text"
)

// DecodeCheckout reads one checkout from JSON or YAML, in the field names of
// [Checkout]'s JSON tags, and validates it with [Checkout.Validate].
// Unknown and repeated keys, values of the wrong shape, unknown enumeration
// names, malformed amounts and times, and everything Validate rejects come
// back at once in a *[DocumentError], each with its path (such as
// "txn.line_items[2].amount"), line and column. JSON is read as
// encoding/json reads it, so a key that differs from its field's name only
// in case, and is not repeated, is taken as that field. It never panics.
func DecodeCheckout(data []byte) (Checkout, error) {
	var c Checkout
	if issues := decode.Decode(data, &c); len(issues) > 0 {
		return Checkout{}, NewDocumentError("risk", ErrInvalidCheckout, c.subject(), issues)
	}
	var v decode.Collector
	c.validate(&v)
	decode.Place(data, v.Issues)
	if err := NewDocumentError("risk", ErrInvalidCheckout, c.subject(), v.Issues); err != nil {
		return Checkout{}, err
	}
	return c, nil
}

// ErrInvalidCheckout is wrapped by every problem [DecodeCheckout] and
// [Checkout.Validate] report; the error is a *[DocumentError].
var ErrInvalidCheckout = errors.New("risk: invalid checkout")

// Validate reports every problem with c as a *[DocumentError]: ids that are
// too long or hold control characters, countries that are not ISO 3166-1
// alpha-2 codes, unknown enumeration values, an IP address that does not
// parse, negative amounts and counts, line items in another currency than
// the transaction or more of them than policies read (100), and a
// transaction whose customer_id is not the customer's id. Fields left at
// their zero value are missing inputs, not problems.
func (c *Checkout) Validate() error {
	if c == nil {
		return NewDocumentError("risk", ErrInvalidCheckout, "checkout", []Issue{{Msg: "the checkout is nil"}})
	}
	var v decode.Collector
	c.validate(&v)
	return NewDocumentError("risk", ErrInvalidCheckout, c.subject(), v.Issues)
}

func (c *Checkout) subject() string {
	if c.Transaction.ID != "" && text.CheckID(c.Transaction.ID) == "" {
		return "checkout " + strconv.Quote(c.Transaction.ID)
	}
	return "checkout"
}

func (c *Checkout) validate(v *decode.Collector) {
	cu, p, t := &c.Customer, &c.Payment, &c.Transaction
	checkID(v, "customer.id", cu.ID)
	checkEnum(v, "customer.kind", &cu.Kind)
	checkCountry(v, "customer.country", cu.Country)
	checkEnum(v, "customer.email", &cu.Email)
	checkEnum(v, "customer.phone", &cu.Phone)
	checkEnum(v, "customer.identity", &cu.Identity)
	checkEnum(v, "customer.business_registration", &cu.BusinessRegistration)
	checkEnum(v, "customer.credit.status", &cu.Credit.Status)
	if b := cu.Credit.Band; b != "" && (len(b) != 1 || b[0] < 'A' || b[0] > 'E') {
		v.Add("customer.credit.band", "%q is not a band from A (strongest) to E (weakest)", b)
	}
	h := &cu.History
	checkCount(v, "customer.history.invoices_paid", h.InvoicesPaid)
	checkCount(v, "customer.history.invoices_paid_late", h.InvoicesPaidLate)
	checkCount(v, "customer.history.chargebacks", h.Chargebacks)
	checkAmount(v, "customer.history.amount_paid", h.AmountPaid)
	checkAmount(v, "customer.credit_limit", cu.CreditLimit)
	checkAmount(v, "customer.prepaid_balance", cu.PrepaidBalance)

	checkEnum(v, "payment.type", &p.Type)
	checkEnum(v, "payment.funding", &p.Funding)
	checkCountry(v, "payment.issuing_country", p.IssuingCountry)
	checkEnum(v, "payment.cvc", &p.CVC)
	checkEnum(v, "payment.address", &p.Address)
	checkEnum(v, "payment.three_ds", &p.ThreeDS)
	checkID(v, "payment.fingerprint", p.Fingerprint)

	checkID(v, "txn.id", t.ID)
	checkID(v, "txn.customer_id", t.CustomerID)
	if t.CustomerID != "" && cu.ID != "" && t.CustomerID != cu.ID {
		v.Add("txn.customer_id", "%q is not the customer's id %q", t.CustomerID, cu.ID)
	}
	checkAmount(v, "txn.amount", t.Amount)
	checkEnum(v, "txn.kind", &t.Kind)
	if len(t.LineItems) > maxLineItems {
		v.Add("txn.line_items", "%d line items; policies read at most %d", len(t.LineItems), maxLineItems)
	}
	for i := range t.LineItems {
		li := &t.LineItems[i]
		path := "txn.line_items[" + strconv.Itoa(i) + "]"
		checkID(v, path+".sku", li.SKU)
		checkCount(v, path+".quantity", li.Quantity)
		checkAmount(v, path+".amount", li.Amount)
		if !li.Amount.IsZero() && !t.Amount.IsZero() && li.Amount.Currency() != t.Amount.Currency() {
			v.Add(path+".amount", "%v is not in the transaction's currency %s", li.Amount, t.Amount.Currency())
		}
	}
	if t.IP != "" {
		if _, err := netip.ParseAddr(t.IP); err != nil {
			v.Add("txn.ip", "%q is not an IP address", t.IP)
		}
	}
	checkCountry(v, "txn.ip_country", t.IPCountry)
	checkID(v, "txn.device_id", t.DeviceID)
	checkCountry(v, "txn.billing.country", t.Billing.Country)

	s := &c.Signals
	for _, sig := range []struct {
		name string
		s    Signal
	}{
		{"accounts_per_ip_1h", s.AccountsPerIP1h}, {"accounts_per_ip_24h", s.AccountsPerIP24h},
		{"accounts_per_device_1h", s.AccountsPerDevice1h}, {"accounts_per_device_24h", s.AccountsPerDevice24h},
		{"accounts_per_card_1h", s.AccountsPerCard1h}, {"accounts_per_card_24h", s.AccountsPerCard24h},
		{"purchases_24h", s.Purchases24h}, {"distinct_cards_24h", s.DistinctCards24h},
		{"failed_payments_24h", s.FailedPayments24h},
	} {
		if n, ok := sig.s.Get(); ok {
			checkCount(v, "signals."+sig.name, n)
		}
	}
	checkAmount(v, "signals.unbilled_usage", s.UnbilledUsage)
}

func checkID(v *decode.Collector, path, id string) {
	if msg := text.CheckID(id); msg != "" {
		v.Add(path, "%s", msg)
	}
}

func checkCountry(v *decode.Collector, path, c string) {
	if c != "" && !text.IsCountry(c) {
		v.Add(path, "%q is not an ISO 3166-1 alpha-2 code such as DE", c)
	}
}

func checkCount(v *decode.Collector, path string, n int64) {
	if n < 0 {
		v.Add(path, "%d is negative; a count is at least 0", n)
	}
}

func checkAmount(v *decode.Collector, path string, m Money) {
	if m.Sign() < 0 {
		v.Add(path, "%v is negative", m)
	}
}

// checkEnum checks a string enumeration built in Go against the names its
// UnmarshalText accepts.
func checkEnum[E ~string, P interface {
	*E
	UnmarshalText([]byte) error
}](v *decode.Collector, path string, e P) {
	check := *e
	if err := P(&check).UnmarshalText([]byte(*e)); err != nil {
		v.AddErr(path, err)
	}
}
