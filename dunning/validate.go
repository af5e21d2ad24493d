package dunning

import (
	"errors"
	"strconv"
	"time"

	"github.com/riskkit/riskkit/internal/decode"
	"github.com/riskkit/riskkit/internal/text"
	"github.com/riskkit/riskkit/risk"
	"go.yaml.in/yaml/v3"
)

// ParseLedger reads a ledger from JSON or YAML and validates it. Unknown
// fields are errors. Every problem is reported in a *[risk.DocumentError]
// with its field
// path and line and column, such as
//
//	12:17: invoices[1].due_date: 2026-02-28 is before issue_date 2026-03-01
func ParseLedger(src []byte) (*Ledger, error) {
	var l Ledger
	doc, list := decode.Parse(src)
	if doc != nil {
		list = doc.Into(&l)
	}
	if len(list) > 0 {
		return nil, risk.NewDocumentError("dunning", ErrInvalidDocument, ledgerSubject(l.Customer.ID), list)
	}
	is := issues{decode.Collector{Doc: doc}}
	l.validate(&is, "")
	if err := is.err(ledgerSubject(l.Customer.ID)); err != nil {
		return nil, err
	}
	return &l, nil
}

// ledgerSubject names a ledger in errors.
func ledgerSubject(customer string) string {
	if customer == "" {
		return "ledger"
	}
	return "ledger of customer " + strconv.Quote(customer)
}

// ParseLedgers reads the ledgers of many customers from a list of ledgers,
// or one ledger from a mapping, and validates each as [ParseLedger] does.
// Problems name the ledger by index, as in "[3].invoices[0].amount".
func ParseLedgers(src []byte) ([]*Ledger, error) {
	doc, list := decode.Parse(src)
	if doc == nil {
		return nil, risk.NewDocumentError("dunning", ErrInvalidDocument, "ledgers", list)
	}
	if doc.Root().Kind != yaml.SequenceNode {
		l, err := ParseLedger(src)
		if err != nil {
			return nil, err
		}
		return []*Ledger{l}, nil
	}
	var ls []*Ledger
	if list := doc.Into(&ls); len(list) > 0 {
		return nil, risk.NewDocumentError("dunning", ErrInvalidDocument, "ledgers", list)
	}
	is := issues{decode.Collector{Doc: doc}}
	for i, l := range ls {
		p := "[" + strconv.Itoa(i) + "]"
		if l == nil {
			is.add(p, "ledger is null")
			continue
		}
		l.validate(&is, p+".")
	}
	if err := is.err("ledgers"); err != nil {
		return nil, err
	}
	return ls, nil
}

// Validate checks that the ledger makes sense on its own and returns every
// problem in a *[risk.DocumentError]: missing or duplicate ids, amounts that are
// missing, negative or in the wrong currency, impossible dates, entries that
// name invoices or entries that do not exist or come later, and controls
// that end before they begin. A ledger that validates can still fail when
// its entries are applied on a given day, for example when a chargeback is
// larger than what is left of its payment.
func (l *Ledger) Validate() error {
	if l == nil {
		return errNilLedger
	}
	var is issues
	l.validate(&is, "")
	return is.err(ledgerSubject(l.Customer.ID))
}

// errNilLedger is returned for a nil *Ledger.
var errNilLedger = errors.New("dunning: nil *Ledger")

// validate checks the ledger, its problems' paths prefixed with prefix,
// such as "[3]." in a list of ledgers.
func (l *Ledger) validate(c *issues, prefix string) {
	is := c
	if prefix != "" {
		is = &issues{}
		defer func() {
			for _, i := range is.Issues {
				c.Add(prefix+i.Path, "%s", i.Msg)
			}
		}()
	}
	switch {
	case l.Customer.ID == "":
		is.add("customer.id", "customer id is required")
	case text.CheckID(l.Customer.ID) != "":
		is.add("customer.id", "customer id %s", text.CheckID(l.Customer.ID))
	}
	invs := make(map[string]int, len(l.Invoices))
	for i := range l.Invoices {
		inv := &l.Invoices[i]
		p := "invoices[" + strconv.Itoa(i) + "]"
		is.uniqueID(invs, "invoices", "invoice", inv.ID, i)
		switch {
		case inv.Amount.IsZero():
			is.add(p+".amount", "amount is required, as in \"120.00 USD\"")
		case inv.Amount.Sign() < 0:
			is.add(p+".amount", "amount %s is negative; record money owed back as a credit", inv.Amount)
		}
		if inv.IssueDate.IsZero() {
			is.add(p+".issue_date", "issue date is required")
		}
		if !inv.DueDate.IsZero() {
			if inv.NetDays != 0 {
				is.add(p+".net_days", "set due_date or net_days, not both")
			}
			if inv.DueDate.Before(inv.IssueDate) {
				is.add(p+".due_date", "%s is before issue_date %s", inv.DueDate, inv.IssueDate)
			}
		}
		if inv.NetDays < 0 || inv.NetDays > 3660 {
			is.add(p+".net_days", "net days %d is outside 0 to 3660", inv.NetDays)
		}
		switch inv.State {
		case Open, Draft, Void, WrittenOff, Disputed:
		default:
			is.add(p+".state", "unknown invoice state %q", string(inv.State))
		}
	}

	ents := make(map[string]int, len(l.Entries))
	for i := range l.Entries {
		e := &l.Entries[i]
		p := "entries[" + strconv.Itoa(i) + "]"
		if e.ID == "" {
			is.add(p+".id", "entry id is required")
		} else if msg := text.CheckID(e.ID); msg != "" {
			is.add(p+".id", "entry id %s", msg)
		} else if j, dup := ents[e.ID]; dup {
			is.add(p+".id", "entry %q is also entries[%d]", e.ID, j)
		}
		checkInstant(is, p+".at", e.At)
		switch e.Kind {
		case Payment, Credit, Refund, Chargeback:
			if e.Amount.IsZero() || e.Amount.Sign() <= 0 {
				is.add(p+".amount", "a %s needs an amount above zero, as in \"120.00 USD\"", e.Kind)
			}
		case ChargebackReversal:
			if !e.Amount.IsZero() && e.Amount.Sign() <= 0 {
				is.add(p+".amount", "amount %s must be above zero, or left out to reverse the whole chargeback", e.Amount)
			}
		case "":
			is.add(p+".kind", "kind is required: payment, credit, refund, chargeback or chargeback_reversal")
		default:
			is.add(p+".kind", "unknown entry kind %q", string(e.Kind))
		}
		if e.Invoice != "" {
			if e.Kind != Payment && e.Kind != Credit {
				is.add(p+".invoice", "only a payment or credit names an invoice")
			} else if j, ok := invs[e.Invoice]; !ok {
				is.add(p+".invoice", "no invoice %q in the ledger", e.Invoice)
			} else if c := l.Invoices[j].Amount.Currency(); c != "" && !e.Amount.IsZero() && c != e.Amount.Currency() {
				is.add(p+".amount", "currency %s differs from invoice %s in %s", e.Amount.Currency(), e.Invoice, c)
			}
		}
		checkRef(is, l, ents, i, p)
		if e.ID != "" {
			if _, dup := ents[e.ID]; !dup {
				ents[e.ID] = i
			}
		}
	}

	atts := map[string]int{}
	for i := range l.Attempts {
		a := &l.Attempts[i]
		p := "attempts[" + strconv.Itoa(i) + "]"
		is.uniqueID(atts, "attempts", "attempt", a.ID, i)
		checkInstant(is, p+".at", a.At)
		if a.Amount.IsZero() {
			is.add(p+".amount", "amount is required: its currency says which balance the attempt was for")
		}
		switch a.Result {
		case Succeeded, SoftDecline, HardDecline:
		default:
			is.add(p+".result", "result %q is not succeeded, soft_decline or hard_decline", string(a.Result))
		}
	}

	for i := range l.Controls {
		c := &l.Controls[i]
		p := "controls[" + strconv.Itoa(i) + "]"
		switch c.Kind {
		case Pause, Promise, Exemption:
		default:
			is.add(p+".kind", "kind %q is not pause, promise or exemption", string(c.Kind))
		}
		if c.From.IsZero() {
			is.add(p+".from", "from is required: the first day the %s is in force", c.Kind)
		}
		if c.Until.IsZero() {
			if c.Kind != Exemption {
				is.add(p+".until", "a %s needs until, the day dunning resumes", c.Kind)
			}
		} else if !c.Until.After(c.From) {
			is.add(p+".until", "until %s is not after from %s", c.Until, c.From)
		}
		if c.Reason == "" {
			is.add(p+".reason", "reason is required, for the audit trail")
		}
	}

	subs := map[string]int{}
	for i := range l.Subscriptions {
		s := &l.Subscriptions[i]
		p := "subscriptions[" + strconv.Itoa(i) + "]"
		is.uniqueID(subs, "subscriptions", "subscription", s.ID, i)
		if s.Price.IsZero() || s.Price.Sign() <= 0 {
			is.add(p+".price", "price must be above zero, as in \"49.00 USD\"")
		}
		switch s.Period {
		case Monthly, Yearly, Weekly, Daily:
		default:
			is.add(p+".period", "period %q is not monthly, yearly, weekly or daily", string(s.Period))
		}
	}
}

// checkInstant rejects a missing instant and one outside the years 1 to
// 9999, whose calendar day cannot be told.
func checkInstant(is *issues, path string, t time.Time) {
	switch {
	case t.IsZero():
		is.add(path, "time is required, as in \"2026-03-01T10:00:00Z\"")
	case t.Unix() < minInstant || t.Unix() >= maxInstant:
		is.add(path, "time %s is outside the years 0002 to 9998", t.Format(time.RFC3339))
	}
}

// checkRef checks the entry an entry refers to: it must exist, come before,
// be of the right kind and be in the same currency.
func checkRef(is *issues, l *Ledger, ents map[string]int, i int, p string) {
	e := &l.Entries[i]
	var want []EntryKind
	switch e.Kind {
	case Refund:
		if e.Ref == "" {
			return
		}
		want = []EntryKind{Payment, Credit}
	case Chargeback:
		if e.Ref == "" {
			is.add(p+".ref", "a chargeback names the payment it takes back in ref")
			return
		}
		want = []EntryKind{Payment}
	case ChargebackReversal:
		if e.Ref == "" {
			is.add(p+".ref", "a chargeback reversal names its chargeback in ref")
			return
		}
		want = []EntryKind{Chargeback}
	default:
		if e.Ref != "" {
			is.add(p+".ref", "a %s does not refer to another entry", e.Kind)
		}
		return
	}
	j, ok := ents[e.Ref]
	if !ok {
		is.add(p+".ref", "no entry %q before this one in the ledger", e.Ref)
		return
	}
	r := &l.Entries[j]
	kindOK := false
	for _, k := range want {
		kindOK = kindOK || r.Kind == k
	}
	if !kindOK {
		is.add(p+".ref", "entry %q is a %s, not a %s", e.Ref, r.Kind, kindsText(want))
		return
	}
	if e.At.Before(r.At) {
		is.add(p+".at", "%s is before %s %q at %s", e.At.Format(time.RFC3339), r.Kind, e.Ref, r.At.Format(time.RFC3339))
	}
	if !e.Amount.IsZero() && !r.Amount.IsZero() && e.Amount.Currency() != r.Amount.Currency() {
		is.add(p+".amount", "currency %s differs from %s %q in %s", e.Amount.Currency(), r.Kind, e.Ref, r.Amount.Currency())
	}
}

func kindsText(ks []EntryKind) string {
	if len(ks) == 2 {
		return string(ks[0]) + " or " + string(ks[1])
	}
	return string(ks[0])
}

// uniqueID checks that element i of a list has an id that no earlier element
// has, and remembers it in seen.
func (is *issues) uniqueID(seen map[string]int, list, noun, id string, i int) {
	p := list + "[" + strconv.Itoa(i) + "].id"
	j, dup := seen[id]
	switch {
	case id == "":
		is.add(p, "%s id is required", noun)
	case text.CheckID(id) != "":
		is.add(p, "%s id %s", noun, text.CheckID(id))
	case dup:
		is.add(p, "%s %q is also %s[%d]", noun, id, list, j)
	default:
		seen[id] = i
	}
}
