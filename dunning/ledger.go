package dunning

import (
	"github.com/riskkit/riskkit/internal/enum"
	"time"

	"github.com/riskkit/riskkit/risk"
)

// InvoiceState is where an invoice stands in its life. The zero value is
// [Open], the state of an issued invoice that the customer owes.
type InvoiceState string

// Invoice states. Only an Open invoice can be unpaid: a Draft has not been
// issued, a Void one was cancelled, a WrittenOff one was given up on (which
// ends dunning for it), and a Disputed one is held out of dunning until the
// dispute is settled.
const (
	Open       InvoiceState = ""
	Draft      InvoiceState = "draft"
	Void       InvoiceState = "void"
	WrittenOff InvoiceState = "written_off"
	Disputed   InvoiceState = "disputed"
)

var invoiceStates = enum.New("dunning", "invoice state", "open", Draft, Void, WrittenOff, Disputed)

// String returns the state's name; the zero value is "open".
func (s InvoiceState) String() string { return invoiceStates.Name(s) }

// MarshalText implements [encoding.TextMarshaler] with the [InvoiceState.String] form.
func (s InvoiceState) MarshalText() ([]byte, error) { return invoiceStates.Text(s) }

// UnmarshalText accepts "open", "draft", "void", "written_off", "disputed",
// or the empty string for open.
func (s *InvoiceState) UnmarshalText(b []byte) (err error) {
	*s, err = invoiceStates.Parse(b)
	return err
}

// EntryKind says what a ledger entry is. The zero value is not a kind: an
// entry without one is rejected.
type EntryKind string

// Entry kinds.
const (
	// Payment is money received. It pays the invoice it names, or the
	// oldest open invoices first when it names none; what is left over
	// stays as credit that pays the next open invoices.
	Payment EntryKind = "payment"
	// Credit is a credit note: it settles invoices exactly like a payment,
	// but no money moved, so it cannot be charged back.
	Credit EntryKind = "credit"
	// Refund is money given back, out of the payment or credit it names (its
	// unapplied part first, then what it paid, newest first, which reopens
	// those invoices), or out of the customer's unapplied credit when it
	// names none.
	Refund EntryKind = "refund"
	// Chargeback is money the customer's bank took back from a payment. It
	// takes the payment's unapplied part first, then reopens what the
	// payment had paid, newest first.
	Chargeback EntryKind = "chargeback"
	// ChargebackReversal returns money a chargeback took: it pays again the
	// invoices the chargeback reopened, and any rest is credit.
	ChargebackReversal EntryKind = "chargeback_reversal"
)

var entryKinds = enum.New("dunning", "entry kind", "", Payment, Credit, Refund, Chargeback, ChargebackReversal)

// String returns the kind's name.
func (k EntryKind) String() string { return entryKinds.Name(k) }

// MarshalText implements [encoding.TextMarshaler].
func (k EntryKind) MarshalText() ([]byte, error) { return entryKinds.Text(k) }

// UnmarshalText accepts the kinds' names.
func (k *EntryKind) UnmarshalText(b []byte) (err error) {
	*k, err = entryKinds.Parse(b)
	return err
}

// AttemptResult is the outcome of one attempt to collect a payment. The zero
// value is not a result: an attempt without one is rejected.
type AttemptResult string

// Attempt results. A hard decline (stolen card, closed account) stops
// payment retries until an attempt succeeds; a soft decline (insufficient
// funds, issuer unavailable) is retried on the schedule's retry plan.
const (
	Succeeded   AttemptResult = "succeeded"
	SoftDecline AttemptResult = "soft_decline"
	HardDecline AttemptResult = "hard_decline"
)

var attemptResults = enum.New("dunning", "attempt result", "", Succeeded, SoftDecline, HardDecline)

// String returns the result's name.
func (r AttemptResult) String() string { return attemptResults.Name(r) }

// MarshalText implements [encoding.TextMarshaler].
func (r AttemptResult) MarshalText() ([]byte, error) { return attemptResults.Text(r) }

// UnmarshalText accepts the results' names.
func (r *AttemptResult) UnmarshalText(b []byte) (err error) {
	*r, err = attemptResults.Parse(b)
	return err
}

// ControlKind is a way a person can hold or stop dunning for a customer. The
// zero value is not a kind: a control without one is rejected.
type ControlKind string

// Control kinds.
const (
	// Pause holds dunning: the account does not move to a more severe
	// stage and no reminders, retries or collection attempts go out, but a
	// payment still brings it back to current. The day count is frozen at
	// the day before the pause began; it does not extend the schedule, so
	// when the pause ends the account takes the stage its facts give.
	Pause ControlKind = "pause"
	// Promise is a promise to pay: it holds dunning like a pause, for the
	// time the customer was given.
	Promise ControlKind = "promise"
	// Exemption forces the account to current while it lasts, lifting any
	// restriction, such as for a strategic account in negotiation.
	Exemption ControlKind = "exemption"
)

var controlKinds = enum.New("dunning", "control kind", "", Pause, Promise, Exemption)

// String returns the kind's name.
func (k ControlKind) String() string { return controlKinds.Name(k) }

// MarshalText implements [encoding.TextMarshaler].
func (k ControlKind) MarshalText() ([]byte, error) { return controlKinds.Text(k) }

// UnmarshalText accepts the kinds' names.
func (k *ControlKind) UnmarshalText(b []byte) (err error) {
	*k, err = controlKinds.Parse(b)
	return err
}

// BillingPeriod is the billing period of a subscription's price. The zero
// value is [Monthly].
type BillingPeriod string

// Billing periods.
const (
	Monthly BillingPeriod = "" // written "monthly"
	Yearly  BillingPeriod = "yearly"
	Weekly  BillingPeriod = "weekly"
	Daily   BillingPeriod = "daily"
)

var billingPeriods = enum.New("dunning", "billing period", "monthly", Yearly, Weekly, Daily)

// String returns the period's name; the zero value is "monthly".
func (p BillingPeriod) String() string { return billingPeriods.Name(p) }

// MarshalText implements [encoding.TextMarshaler] with the [BillingPeriod.String] form.
func (p BillingPeriod) MarshalText() ([]byte, error) { return billingPeriods.Text(p) }

// UnmarshalText accepts "monthly", "yearly", "weekly", "daily", or the empty
// string for monthly.
func (p *BillingPeriod) UnmarshalText(b []byte) (err error) {
	*p, err = billingPeriods.Parse(b)
	return err
}

// Invoice is a bill sent to the customer.
type Invoice struct {
	// ID names the invoice in entries, actions and reports; unique within
	// a ledger.
	ID string `json:"id"`
	// Amount is what the invoice is for, zero or more; its currency is the
	// invoice's currency. An invoice of zero never counts as unpaid.
	Amount risk.Money `json:"amount"`
	// IssueDate is the day the invoice was issued, in the customer's
	// calendar. An invoice issued after the evaluation day does not count
	// yet.
	IssueDate risk.Date `json:"issue_date"`
	// DueDate is the day payment is due. When it is the zero Date, the
	// invoice is due NetDays after IssueDate (on the issue date itself when
	// NetDays is 0). Set at most one of the two.
	DueDate risk.Date `json:"due_date,omitzero"`
	// NetDays are the payment terms in days, as in "net 30".
	NetDays int `json:"net_days,omitzero"`
	// State is where the invoice stands; the zero value is Open.
	State InvoiceState `json:"state,omitzero"`
}

// Due returns the day the invoice is due: DueDate if set, else IssueDate
// plus NetDays.
func (inv *Invoice) Due() risk.Date {
	if !inv.DueDate.IsZero() {
		return inv.DueDate
	}
	return inv.IssueDate.AddDays(inv.NetDays)
}

// Entry is money moving for or against the customer's invoices: a payment,
// credit note, refund, chargeback or chargeback reversal. Entries take effect
// on the day they fall in the customer's calendar, and in the order of their
// instants (entries at the same instant in ledger order).
type Entry struct {
	// ID names the entry; unique within a ledger.
	ID   string    `json:"id"`
	Kind EntryKind `json:"kind"`
	// At is when the entry happened.
	At time.Time `json:"at"`
	// Amount is how much, more than zero. A chargeback reversal may leave
	// it zero to return all that the chargeback took.
	Amount risk.Money `json:"amount,omitzero"`
	// Invoice is the invoice a payment or credit is for; empty for an
	// unallocated one, which pays the oldest open invoices first.
	Invoice string `json:"invoice,omitzero"`
	// Ref is the entry this one acts on: the payment or credit a refund
	// comes out of (empty: the customer's unapplied credit), the payment a
	// chargeback takes back, the chargeback a reversal undoes.
	Ref string `json:"ref,omitzero"`
}

// Attempt is one attempt to collect a payment, such as charging the card on
// file. Attempts drive payment retries; the money they collect is recorded
// separately as a Payment entry.
type Attempt struct {
	ID string `json:"id"`
	// At is when the attempt was made.
	At time.Time `json:"at"`
	// Amount is what was asked for; its currency says which balance the
	// attempt was for.
	Amount risk.Money    `json:"amount"`
	Result AttemptResult `json:"result"`
	// Code is the processor's decline code, for people reading the ledger.
	Code string `json:"code,omitzero"`
}

// Control is a pause, a promise to pay or an exemption that a person put on
// the account. It is in force from the start of From to the start of Until
// in the customer's calendar, so a promise to pay by March 15 has Until
// March 16. Only an exemption may leave Until zero, meaning until further
// notice.
type Control struct {
	Kind   ControlKind `json:"kind"`
	From   risk.Date   `json:"from"`
	Until  risk.Date   `json:"until,omitzero"`
	Reason string      `json:"reason"`
}

// Subscription is a service the customer pays for periodically. When a
// schedule credits blocked time, each subscription gets the prorated share of
// its price for the days service was suspended or disabled.
type Subscription struct {
	ID string `json:"id"`
	// Price is what one period costs, more than zero.
	Price  risk.Money    `json:"price"`
	Period BillingPeriod `json:"period,omitzero"`
}

// Ledger is everything a host knows about one customer's receivables: the
// facts that dunning and aging are computed from. It is plain data that
// round-trips through JSON; the host keeps it and passes it in.
//
// A Ledger is read, never changed, by this package, so one Ledger may be
// read by many goroutines at once.
type Ledger struct {
	// Customer is the account holder; its ID is used in idempotency keys,
	// and conditions in a schedule can read its other fields.
	Customer      risk.Customer  `json:"customer"`
	Invoices      []Invoice      `json:"invoices,omitempty"`
	Entries       []Entry        `json:"entries,omitempty"`
	Attempts      []Attempt      `json:"attempts,omitempty"`
	Controls      []Control      `json:"controls,omitempty"`
	Subscriptions []Subscription `json:"subscriptions,omitempty"`
}
