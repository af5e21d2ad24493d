package dunning

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/riskkit/riskkit/risk"
)

// ParseLedger reads a ledger from JSON and validates it. Unknown fields are
// errors. Every problem is reported in a *[ValidationError] with its field
// path and line and column, such as
//
//	12:17: invoices[1].due_date: 2026-02-28 is before issue_date 2026-03-01
func ParseLedger(src []byte) (*Ledger, error) {
	var l Ledger
	if is := decodeJSON(src, &l); is != nil {
		return nil, &ValidationError{Doc: "ledger", Issues: []risk.Issue{*is}}
	}
	err := l.Validate()
	if verr, ok := err.(*ValidationError); ok {
		for i := range verr.Issues {
			is := &verr.Issues[i]
			is.Line, is.Column = locate(src, is.Path)
		}
	}
	if err != nil {
		return nil, err
	}
	return &l, nil
}

// ParseLedgers reads the ledgers of many customers from a JSON array of
// ledgers, or one ledger from a JSON object, and validates each as
// [ParseLedger] does. Problems name the ledger by index, as in
// "[3].invoices[0].amount".
func ParseLedgers(src []byte) ([]*Ledger, error) {
	if t := bytes.TrimLeft(src, " \t\r\n"); len(t) == 0 || t[0] != '[' {
		l, err := ParseLedger(src)
		if err != nil {
			return nil, err
		}
		return []*Ledger{l}, nil
	}
	var ls []*Ledger
	if is := decodeJSON(src, &ls); is != nil {
		return nil, &ValidationError{Doc: "ledgers", Issues: []risk.Issue{*is}}
	}
	var all []risk.Issue
	for i, l := range ls {
		if l == nil {
			all = append(all, risk.Issue{Path: "[" + strconv.Itoa(i) + "]", Msg: "ledger is null"})
			continue
		}
		var verr *ValidationError
		if errors.As(l.Validate(), &verr) {
			for _, is := range verr.Issues {
				is.Path = "[" + strconv.Itoa(i) + "]." + is.Path
				all = append(all, is)
			}
		}
	}
	if len(all) > 0 {
		for i := range all {
			all[i].Line, all[i].Column = locate(src, all[i].Path)
		}
		return nil, &ValidationError{Doc: "ledgers", Issues: all}
	}
	return ls, nil
}

// Validate checks that the ledger makes sense on its own and returns every
// problem in a *[ValidationError]: missing or duplicate ids, amounts that are
// missing, negative or in the wrong currency, impossible dates, entries that
// name invoices or entries that do not exist or come later, and controls
// that end before they begin. A ledger that validates can still fail when
// its entries are applied on a given day, for example when a chargeback is
// larger than what is left of its payment.
func (l *Ledger) Validate() error {
	var is issues
	if l.Customer.ID == "" {
		is.add("customer.id", 0, 0, "customer id is required")
	}
	invs := make(map[string]int, len(l.Invoices))
	for i := range l.Invoices {
		inv := &l.Invoices[i]
		p := "invoices[" + strconv.Itoa(i) + "]"
		is.uniqueID(invs, "invoices", "invoice", inv.ID, i)
		switch {
		case inv.Amount.IsZero():
			is.add(p+".amount", 0, 0, "amount is required, as in \"120.00 USD\"")
		case inv.Amount.Sign() < 0:
			is.add(p+".amount", 0, 0, "amount %s is negative; record money owed back as a credit", inv.Amount)
		}
		if inv.IssueDate.IsZero() {
			is.add(p+".issue_date", 0, 0, "issue date is required")
		}
		if !inv.DueDate.IsZero() {
			if inv.NetDays != 0 {
				is.add(p+".net_days", 0, 0, "set due_date or net_days, not both")
			}
			if inv.DueDate.Before(inv.IssueDate) {
				is.add(p+".due_date", 0, 0, "%s is before issue_date %s", inv.DueDate, inv.IssueDate)
			}
		}
		if inv.NetDays < 0 || inv.NetDays > 3660 {
			is.add(p+".net_days", 0, 0, "net days %d is outside 0 to 3660", inv.NetDays)
		}
		switch inv.State {
		case Open, Draft, Void, WrittenOff, Disputed:
		default:
			is.add(p+".state", 0, 0, "unknown invoice state %q", string(inv.State))
		}
	}

	ents := make(map[string]int, len(l.Entries))
	for i := range l.Entries {
		e := &l.Entries[i]
		p := "entries[" + strconv.Itoa(i) + "]"
		if e.ID == "" {
			is.add(p+".id", 0, 0, "entry id is required")
		} else if j, dup := ents[e.ID]; dup {
			is.add(p+".id", 0, 0, "entry %q is also entries[%d]", e.ID, j)
		}
		checkInstant(&is, p+".at", e.At)
		switch e.Kind {
		case Payment, Credit, Refund, Chargeback:
			if e.Amount.IsZero() || e.Amount.Sign() <= 0 {
				is.add(p+".amount", 0, 0, "a %s needs an amount above zero, as in \"120.00 USD\"", e.Kind)
			}
		case ChargebackReversal:
			if !e.Amount.IsZero() && e.Amount.Sign() <= 0 {
				is.add(p+".amount", 0, 0, "amount %s must be above zero, or left out to reverse the whole chargeback", e.Amount)
			}
		case "":
			is.add(p+".kind", 0, 0, "kind is required: payment, credit, refund, chargeback or chargeback_reversal")
		default:
			is.add(p+".kind", 0, 0, "unknown entry kind %q", string(e.Kind))
		}
		if e.Invoice != "" {
			if e.Kind != Payment && e.Kind != Credit {
				is.add(p+".invoice", 0, 0, "only a payment or credit names an invoice")
			} else if j, ok := invs[e.Invoice]; !ok {
				is.add(p+".invoice", 0, 0, "no invoice %q in the ledger", e.Invoice)
			} else if c := l.Invoices[j].Amount.Currency(); c != "" && !e.Amount.IsZero() && c != e.Amount.Currency() {
				is.add(p+".amount", 0, 0, "currency %s differs from invoice %s in %s", e.Amount.Currency(), e.Invoice, c)
			}
		}
		checkRef(&is, l, ents, i, p)
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
		checkInstant(&is, p+".at", a.At)
		if a.Amount.IsZero() {
			is.add(p+".amount", 0, 0, "amount is required: its currency says which balance the attempt was for")
		}
		switch a.Result {
		case Succeeded, SoftDecline, HardDecline:
		default:
			is.add(p+".result", 0, 0, "result %q is not succeeded, soft_decline or hard_decline", string(a.Result))
		}
	}

	for i := range l.Controls {
		c := &l.Controls[i]
		p := "controls[" + strconv.Itoa(i) + "]"
		switch c.Kind {
		case Pause, Promise, Exemption:
		default:
			is.add(p+".kind", 0, 0, "kind %q is not pause, promise or exemption", string(c.Kind))
		}
		if c.From.IsZero() {
			is.add(p+".from", 0, 0, "from is required: the first day the %s is in force", c.Kind)
		}
		if c.Until.IsZero() {
			if c.Kind != Exemption {
				is.add(p+".until", 0, 0, "a %s needs until, the day dunning resumes", c.Kind)
			}
		} else if !c.Until.After(c.From) {
			is.add(p+".until", 0, 0, "until %s is not after from %s", c.Until, c.From)
		}
		if c.Reason == "" {
			is.add(p+".reason", 0, 0, "reason is required, for the audit trail")
		}
	}

	subs := map[string]int{}
	for i := range l.Subscriptions {
		s := &l.Subscriptions[i]
		p := "subscriptions[" + strconv.Itoa(i) + "]"
		is.uniqueID(subs, "subscriptions", "subscription", s.ID, i)
		if s.Price.IsZero() || s.Price.Sign() <= 0 {
			is.add(p+".price", 0, 0, "price must be above zero, as in \"49.00 USD\"")
		}
		switch s.Period {
		case Monthly, Yearly, Weekly, Daily:
		default:
			is.add(p+".period", 0, 0, "period %q is not monthly, yearly, weekly or daily", string(s.Period))
		}
	}
	return is.err(fmt.Sprintf("ledger of customer %q", l.Customer.ID))
}

// checkInstant rejects a missing instant and one outside the years 1 to
// 9999, whose calendar day cannot be told.
func checkInstant(is *issues, path string, t time.Time) {
	switch {
	case t.IsZero():
		is.add(path, 0, 0, "time is required, as in \"2026-03-01T10:00:00Z\"")
	case t.Unix() < minInstant || t.Unix() >= maxInstant:
		is.add(path, 0, 0, "time %s is outside the years 0002 to 9998", t.Format(time.RFC3339))
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
			is.add(p+".ref", 0, 0, "a chargeback names the payment it takes back in ref")
			return
		}
		want = []EntryKind{Payment}
	case ChargebackReversal:
		if e.Ref == "" {
			is.add(p+".ref", 0, 0, "a chargeback reversal names its chargeback in ref")
			return
		}
		want = []EntryKind{Chargeback}
	default:
		if e.Ref != "" {
			is.add(p+".ref", 0, 0, "a %s does not refer to another entry", e.Kind)
		}
		return
	}
	j, ok := ents[e.Ref]
	if !ok {
		is.add(p+".ref", 0, 0, "no entry %q before this one in the ledger", e.Ref)
		return
	}
	r := &l.Entries[j]
	kindOK := false
	for _, k := range want {
		kindOK = kindOK || r.Kind == k
	}
	if !kindOK {
		is.add(p+".ref", 0, 0, "entry %q is a %s, not a %s", e.Ref, r.Kind, kindsText(want))
		return
	}
	if e.At.Before(r.At) {
		is.add(p+".at", 0, 0, "%s is before %s %q at %s", e.At.Format(time.RFC3339), r.Kind, e.Ref, r.At.Format(time.RFC3339))
	}
	if !e.Amount.IsZero() && !r.Amount.IsZero() && e.Amount.Currency() != r.Amount.Currency() {
		is.add(p+".amount", 0, 0, "currency %s differs from %s %q in %s", e.Amount.Currency(), r.Kind, e.Ref, r.Amount.Currency())
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
		is.add(p, 0, 0, "%s id is required", noun)
	case dup:
		is.add(p, 0, 0, "%s %q is also %s[%d]", noun, id, list, j)
	default:
		seen[id] = i
	}
}
