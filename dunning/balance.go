package dunning

import (
	"cmp"
	"fmt"
	"github.com/riskkit/riskkit/internal/calendar"
	"slices"
	"time"

	"github.com/riskkit/riskkit/internal/checked"
	"github.com/riskkit/riskkit/risk"
)

// InvoiceBalance is one invoice on the as-of day of [Balances].
type InvoiceBalance struct {
	ID        string       `json:"id"`
	State     InvoiceState `json:"state"`
	IssueDate risk.Date    `json:"issue_date"`
	DueDate   risk.Date    `json:"due_date"`
	Amount    risk.Money   `json:"amount"`
	// Applied is what payments and credits have paid on the invoice, net of
	// refunds and chargebacks that reopened it.
	Applied risk.Money `json:"applied"`
	// Balance is Amount minus Applied.
	Balance risk.Money `json:"balance"`
	// Unpaid reports whether the invoice counts as unpaid: open, issued on
	// or before the as-of day, with a balance above zero.
	Unpaid bool `json:"unpaid"`
}

// CurrencyBalance sums a ledger's receivables in one currency.
type CurrencyBalance struct {
	Currency string `json:"currency"`
	// Invoiced is the total of the invoices issued by the as-of day that
	// are open, disputed or written off.
	Invoiced risk.Money `json:"invoiced"`
	// Applied is what payments and credits have paid on those invoices.
	Applied risk.Money `json:"applied"`
	// Unpaid is the balance of the unpaid invoices, the amount dunning
	// acts on.
	Unpaid risk.Money `json:"unpaid"`
	// UnpaidInvoices counts the unpaid invoices.
	UnpaidInvoices int `json:"unpaid_invoices"`
	// Disputed and WrittenOff are the balances held out of dunning.
	Disputed   risk.Money `json:"disputed"`
	WrittenOff risk.Money `json:"written_off"`
	// Credit is money received and not applied to any invoice, such as an
	// overpayment.
	Credit risk.Money `json:"credit"`
}

// Balances is the state of a ledger's receivables at the end of one day in
// the customer's calendar. Invoice balances always equal their amounts minus
// what was applied to them.
type Balances struct {
	AsOf risk.Date `json:"as_of"`
	// Invoices are the ledger's invoices issued by AsOf that are open,
	// disputed or written off, in ledger order. Drafts, void invoices and
	// invoices issued after AsOf are left out.
	Invoices []InvoiceBalance `json:"invoices"`
	// Currencies are the totals per currency, sorted by code.
	Currencies []CurrencyBalance `json:"currencies"`
}

// Balances applies the ledger's entries dated up to the end of asOf, as the
// customer's calendar in loc counts days, and returns every invoice's balance
// and the totals per currency. It returns an error if the ledger is not
// valid (see [Ledger.Validate]) or an entry takes back more than there is to
// take, such as a chargeback larger than what is left of its payment.
func (l *Ledger) Balances(asOf risk.Date, loc *time.Location) (*Balances, error) {
	if err := l.Validate(); err != nil {
		return nil, err
	}
	if loc == nil {
		return nil, errNilLocation
	}
	var b book
	if err := b.run(l, ord(asOf), loc); err != nil {
		return nil, err
	}
	out := &Balances{AsOf: asOf}
	type sums struct{ invoiced, applied, unpaid, disputed, writtenOff, credit checked.Sum }
	per := make([]sums, len(b.curs))
	counts := make([]int, len(b.curs))
	for i := range l.Invoices {
		r := &b.inv[i]
		if !r.in {
			continue
		}
		inv := &l.Invoices[i]
		cur := b.curs[r.cur]
		s := &per[r.cur]
		s.invoiced.Add(r.amount)
		s.applied.Add(r.amount - r.bal) // both fit and have one sign: cannot wrap
		unpaid := r.unpaid()
		switch {
		case unpaid:
			s.unpaid.Add(r.bal)
			counts[r.cur]++
		case inv.State == Disputed:
			s.disputed.Add(r.bal)
		case inv.State == WrittenOff:
			s.writtenOff.Add(r.bal)
		}
		out.Invoices = append(out.Invoices, InvoiceBalance{
			ID: inv.ID, State: inv.State, IssueDate: inv.IssueDate, DueDate: inv.Due(),
			Amount: inv.Amount, Applied: money(r.amount-r.bal, cur), Balance: money(r.bal, cur), Unpaid: unpaid,
		})
	}
	for i := range b.ent {
		if e := &b.ent[i]; e.in && e.remaining > 0 {
			per[e.cur].credit.Add(e.remaining)
		}
	}
	for c, code := range b.curs {
		s := &per[c]
		cb := CurrencyBalance{Currency: code, UnpaidInvoices: counts[c]}
		for _, f := range []struct {
			name string
			sum  *checked.Sum
			dst  *risk.Money
		}{
			{"invoiced", &s.invoiced, &cb.Invoiced}, {"applied", &s.applied, &cb.Applied}, {"unpaid", &s.unpaid, &cb.Unpaid},
			{"disputed", &s.disputed, &cb.Disputed}, {"written-off", &s.writtenOff, &cb.WrittenOff}, {"credit", &s.credit, &cb.Credit},
		} {
			v, ok := f.sum.Value()
			if !ok {
				return nil, overflowError("balances", l, code, f.name)
			}
			*f.dst = money(v, code)
		}
		out.Currencies = append(out.Currencies, cb)
	}
	slices.SortFunc(out.Currencies, func(a, b CurrencyBalance) int { return cmp.Compare(a.Currency, b.Currency) })
	return out, nil
}

// overflowError is the error of a per-currency total of one ledger that does
// not fit in int64 minor units. Balances, Age and Evaluate all report it this
// way, wrapping [risk.ErrOverflow].
func overflowError(op string, l *Ledger, code, total string) error {
	return fmt.Errorf("dunning: %s: ledger of customer %q: %s %s total: %w", op, l.Customer.ID, code, total, risk.ErrOverflow)
}

// money returns minor units of a currency the ledger already validated.
func money(minor int64, code string) risk.Money {
	m, _ := risk.NewMoney(minor, code)
	return m
}

// invRow is an invoice as the book sees it on the as-of day.
type invRow struct {
	amount, bal int64
	issue, due  int32
	cur         int16
	in          bool // issued by the as-of day and open, disputed or written off
	open        bool // in and Open: the only invoices unallocated money pays
}

// unpaid reports whether the invoice counts as unpaid.
func (r *invRow) unpaid() bool { return r.open && r.bal > 0 }

// entRow is an entry as the book sees it.
type entRow struct {
	day int32
	cur int16
	in  bool // dated on or before the as-of day
	// remaining is the unapplied part of a payment or credit.
	remaining int64
	// live is what a payment or credit still stands for: its amount less
	// refunds and chargebacks, plus reversals.
	live int64
	// left is the part of a chargeback not yet reversed.
	left int64
	// pooled reports whether the entry is in the book's pool, at poolPos.
	pooled  bool
	poolPos int32
}

// app records that a source paid amt on an invoice (or, in reopened, that a
// chargeback reopened amt of an invoice).
type app struct {
	src, inv int32
	amt      int64
}

// book applies a ledger's entries to its invoices. Its slices are scratch
// space kept between ledgers, so that aging many ledgers allocates only
// while the largest ledger is still growing them.
type book struct {
	asOf int32
	curs []string
	inv  []invRow
	ent  []entRow
	// eorder is the processing order of the entries dated by the as-of day.
	eorder []int32
	// iorder lists the open invoices grouped by currency, oldest first
	// within each; ipos is each invoice's position in it.
	iorder []int32
	ipos   []int32
	// Per currency: the range of iorder holding its invoices, and the first
	// position that may still have a balance.
	cstart, cend, cfirst []int32
	// pool lists payments and credits in the order they got unapplied
	// money; phead is, per currency, the first position that may still have
	// some.
	pool     []int32
	phead    []int32
	apps     []app
	reopened []app
	invByID  idIndex
	entByID  idIndex
	// entIndexed reports whether entByID is built, and entUnique whether
	// the entry ids were unique when it was.
	entIndexed, entUnique bool
	// ledger is the ledger being applied, read by invKey and entKey.
	ledger *Ledger
	// invKey and entKey read ids for the indexes; made once, so that
	// passing them does not allocate.
	invKey, entKey func(int32) string
	zone           calendar.Zone
}

// ledgerError is a problem applying one entry.
func ledgerError(l *Ledger, i int32, format string, args ...any) error {
	e := &l.Entries[i]
	return fmt.Errorf("dunning: ledger of customer %q: entries[%d] (%s %s): %s", l.Customer.ID, i, e.Kind, e.ID, fmt.Sprintf(format, args...))
}

// curIndex returns the index of a currency code, adding it if new.
func (b *book) curIndex(code string) int16 {
	for i, c := range b.curs {
		if c == code {
			return int16(i)
		}
	}
	b.curs = append(b.curs, code)
	return int16(len(b.curs) - 1)
}

// run applies the entries of ledger l dated up to day asOf. It checks what
// the arithmetic depends on as it goes, and when anything is wrong returns
// the full account of [Ledger.Validate].
func (b *book) run(l *Ledger, asOf int32, loc *time.Location) error {
	if l == nil {
		return errNilLedger
	}
	defer b.forget()
	if !b.load(l, asOf, loc) {
		if err := l.Validate(); err != nil {
			return err
		}
		return fmt.Errorf("dunning: ledger of customer %q is not valid", l.Customer.ID)
	}
	return b.process(l)
}

// forget drops the book's reference to the caller's ledger, so that the
// scratch space kept between ledgers does not keep one alive.
func (b *book) forget() { b.ledger = nil }

// load fills the invoice and entry rows and reports whether the ledger is
// valid in every way the arithmetic depends on.
func (b *book) load(l *Ledger, asOf int32, loc *time.Location) bool {
	b.asOf = asOf
	b.zone.Use(loc)
	b.curs = b.curs[:0]
	b.inv = slices.Grow(b.inv[:0], len(l.Invoices))[:len(l.Invoices)]
	b.ent = slices.Grow(b.ent[:0], len(l.Entries))[:len(l.Entries)]
	b.apps, b.reopened, b.pool = b.apps[:0], b.reopened[:0], b.pool[:0]
	if b.invKey == nil {
		b.invKey = func(i int32) string { return b.ledger.Invoices[i].ID }
		b.entKey = func(i int32) string { return b.ledger.Entries[i].ID }
	}
	b.ledger = l
	b.invByID.reset(len(l.Invoices))
	b.entIndexed = false
	if l.Customer.ID == "" {
		return false
	}

	nopen := 0
	for i := range l.Invoices {
		inv := &l.Invoices[i]
		issue := ord(inv.IssueDate)
		due := ord(inv.DueDate)
		if due == 0 {
			if inv.NetDays < 0 || inv.NetDays > 3660 {
				return false
			}
			due = ord(inv.IssueDate.AddDays(inv.NetDays))
		} else if inv.NetDays != 0 {
			return false
		}
		amount := inv.Amount.Minor()
		if inv.ID == "" || issue == 0 || due < issue || amount < 0 || inv.Amount.IsZero() {
			return false
		}
		if !b.invByID.insert(inv.ID, int32(i), b.invKey) {
			return false // a duplicate id
		}
		var in bool
		switch inv.State {
		case Open, Disputed, WrittenOff:
			in = issue <= asOf
		case Draft, Void:
		default:
			return false
		}
		r := invRow{amount: amount, issue: issue, due: due, cur: b.curIndex(inv.Amount.Currency()), in: in, open: in && inv.State == Open}
		if in {
			r.bal = amount
		}
		if r.open {
			nopen++
		}
		b.inv[i] = r
	}
	// Entries in the order of their instants; also usually sorted already.
	b.eorder = slices.Grow(b.eorder[:0], len(l.Entries))
	sorted := true
	for i := range l.Entries {
		e := &l.Entries[i]
		if !b.entryValid(l, int32(i)) {
			return false
		}
		day := int32(b.zone.Day(e.At) + unixOffset)
		b.ent[i] = entRow{day: day, in: day <= asOf}
		if e.Amount.IsZero() {
			b.ent[i].cur = b.ent[b.entIndex(l, e.Ref)].cur // a whole reversal
		} else {
			b.ent[i].cur = b.curIndex(e.Amount.Currency())
		}
		if !b.ent[i].in {
			continue
		}
		if n := len(b.eorder); n > 0 && e.At.Before(l.Entries[b.eorder[n-1]].At) {
			sorted = false
		}
		b.eorder = append(b.eorder, int32(i))
	}
	if !sorted {
		slices.SortStableFunc(b.eorder, func(x, y int32) int { return l.Entries[x].At.Compare(l.Entries[y].At) })
	}
	b.sortInvoices(nopen)
	return true
}

// minInstant and maxInstant bound the instants of a valid ledger: the years
// 0002 to 9998, so that the calendar day in any zone is a valid date.
const (
	minInstant = -62104060800 // 0002-01-01T00:00:00Z
	maxInstant = 253370764800 // 9999-01-01T00:00:00Z
)

// entryValid reports whether entry i is valid as far as the arithmetic
// goes, given the entries before it.
func (b *book) entryValid(l *Ledger, i int32) bool {
	e := &l.Entries[i]
	if sec := e.At.Unix(); e.ID == "" || e.At.IsZero() || sec < minInstant || sec > maxInstant {
		return false
	}
	switch e.Kind {
	case Payment, Credit, Refund, Chargeback:
		if e.Amount.IsZero() || e.Amount.Sign() <= 0 {
			return false
		}
	case ChargebackReversal:
		if !e.Amount.IsZero() && e.Amount.Sign() <= 0 {
			return false
		}
	default:
		return false
	}
	if e.Invoice != "" {
		j, ok := b.invByID.find(e.Invoice, b.invKey)
		if !ok || (e.Kind != Payment && e.Kind != Credit) || l.Invoices[j].Amount.Currency() != e.Amount.Currency() {
			return false
		}
	}
	if e.Ref == "" {
		return e.Kind == Refund || e.Kind == Payment || e.Kind == Credit
	}
	if !b.indexEntries(l) {
		return false
	}
	j, ok := b.entByID.find(e.Ref, b.entKey)
	if !ok || j >= i {
		return false
	}
	r := &l.Entries[j]
	switch e.Kind {
	case Refund:
		ok = r.Kind == Payment || r.Kind == Credit
	case Chargeback:
		ok = r.Kind == Payment
	case ChargebackReversal:
		ok = r.Kind == Chargeback
	default:
		ok = false
	}
	return ok && !e.At.Before(r.At) && (e.Amount.IsZero() || e.Amount.Currency() == r.Amount.Currency())
}

// sortInvoices lists the open invoices oldest first within each currency
// and sets up the per-currency pointers.
func (b *book) sortInvoices(nopen int) {
	// Open invoices, oldest first within each currency. Ledgers usually
	// list them in that order already; checking is cheaper than sorting.
	b.iorder = slices.Grow(b.iorder[:0], nopen)
	sorted := true
	for i := range b.inv {
		if !b.inv[i].open {
			continue
		}
		if n := len(b.iorder); n > 0 && b.invLess(int32(i), b.iorder[n-1]) {
			sorted = false
		}
		b.iorder = append(b.iorder, int32(i))
	}
	if !sorted {
		slices.SortStableFunc(b.iorder, func(x, y int32) int {
			if b.invLess(x, y) {
				return -1
			}
			if b.invLess(y, x) {
				return 1
			}
			return 0
		})
	}
	b.ipos = slices.Grow(b.ipos[:0], len(b.inv))[:len(b.inv)]
	nc := len(b.curs)
	b.cstart = slices.Grow(b.cstart[:0], nc)[:nc]
	b.cend = slices.Grow(b.cend[:0], nc)[:nc]
	b.cfirst = slices.Grow(b.cfirst[:0], nc)[:nc]
	b.phead = slices.Grow(b.phead[:0], nc)[:nc]
	for c := range nc {
		b.cstart[c], b.cend[c], b.phead[c] = 0, 0, 0
	}
	for p, i := range b.iorder {
		b.ipos[i] = int32(p)
		c := b.inv[i].cur
		if p == 0 || b.inv[b.iorder[p-1]].cur != c {
			b.cstart[c] = int32(p)
		}
		b.cend[c] = int32(p + 1)
	}
	copy(b.cfirst, b.cstart)
}

// process applies the entries in order.
func (b *book) process(l *Ledger) error {
	for _, i := range b.eorder {
		if err := b.apply(l, i); err != nil {
			return err
		}
	}
	return nil
}

// invLess orders invoices by currency, then issue date, due date and ledger
// order.
func (b *book) invLess(x, y int32) bool {
	a, c := &b.inv[x], &b.inv[y]
	if a.cur != c.cur {
		return a.cur < c.cur
	}
	if a.issue != c.issue {
		return a.issue < c.issue
	}
	if a.due != c.due {
		return a.due < c.due
	}
	return x < y
}

// indexEntries indexes the entries by id the first time an entry refers to
// another, and reports whether the ids are unique. Only refunds, chargebacks
// and reversals name entries, so most ledgers never pay for the index; a
// duplicate id in a ledger without them changes no figure.
func (b *book) indexEntries(l *Ledger) bool {
	if b.entIndexed {
		return b.entUnique
	}
	b.entIndexed, b.entUnique = true, true
	b.entByID.reset(len(l.Entries))
	for i := range l.Entries {
		if !b.entByID.insert(l.Entries[i].ID, int32(i), b.entKey) {
			b.entUnique = false
		}
	}
	return b.entUnique
}

// entIndex returns the index of the entry with the given id, which a valid
// ledger has.
func (b *book) entIndex(l *Ledger, id string) int32 {
	b.indexEntries(l)
	i, _ := b.entByID.find(id, b.entKey)
	return i
}

// ref finds the entry with the given id.
func (b *book) ref(l *Ledger, id string) (int32, bool) {
	b.indexEntries(l)
	return b.entByID.find(id, b.entKey)
}

// apply applies entry i.
func (b *book) apply(l *Ledger, i int32) error {
	e := &l.Entries[i]
	r := &b.ent[i]
	amt := e.Amount.Minor()
	switch e.Kind {
	case Payment, Credit:
		r.live = amt
		r.remaining = amt
		if e.Invoice != "" {
			if j, ok := b.invByID.find(e.Invoice, b.invKey); ok && b.inv[j].in && b.inv[j].bal > 0 {
				b.pay(i, j, min(amt, b.inv[j].bal))
			}
		}
		if r.remaining > 0 {
			b.toPool(i)
			b.settle(r.cur)
		}
	case Refund:
		if e.Ref == "" {
			return b.refundCredit(l, i, amt)
		}
		s, ok := b.ref(l, e.Ref)
		if !ok || !b.ent[s].in {
			return ledgerError(l, i, "refunds %s, which is not in the ledger by %s", e.Ref, dateAt(r.day))
		}
		src := &b.ent[s]
		if amt > src.live {
			return ledgerError(l, i, "refunds %s, more than the %s left of %s", e.Amount, money(src.live, e.Amount.Currency()), e.Ref)
		}
		src.live -= amt
		b.takeBack(s, amt, -1)
		b.settle(r.cur)
	case Chargeback:
		s, ok := b.ref(l, e.Ref)
		if !ok || !b.ent[s].in {
			return ledgerError(l, i, "charges back %s, which is not in the ledger by %s", e.Ref, dateAt(r.day))
		}
		src := &b.ent[s]
		if amt > src.live {
			return ledgerError(l, i, "charges back %s, more than the %s left of payment %s", e.Amount, money(src.live, e.Amount.Currency()), e.Ref)
		}
		src.live -= amt
		r.left = amt
		b.takeBack(s, amt, i)
		b.settle(r.cur)
	case ChargebackReversal:
		c, ok := b.ref(l, e.Ref)
		if !ok || !b.ent[c].in {
			return ledgerError(l, i, "reverses %s, which is not in the ledger by %s", e.Ref, dateAt(r.day))
		}
		cb := &b.ent[c]
		if e.Amount.IsZero() {
			amt = cb.left
		}
		if amt > cb.left {
			return ledgerError(l, i, "reverses %s of chargeback %s, more than the %s not yet reversed", e.Amount, e.Ref, money(cb.left, b.curs[cb.cur]))
		}
		cb.left -= amt
		p, _ := b.ref(l, l.Entries[c].Ref)
		b.ent[p].live += amt
		// Pay back what the chargeback reopened, in the order it reopened.
		for k := range b.reopened {
			if amt == 0 {
				break
			}
			ro := &b.reopened[k]
			if ro.src != c || ro.amt == 0 {
				continue
			}
			y := min(ro.amt, b.inv[ro.inv].bal, amt)
			if y > 0 {
				b.pay(p, ro.inv, y)
				b.ent[p].remaining += y // pay took it from remaining
				ro.amt -= y
				amt -= y
			}
		}
		if amt > 0 {
			b.ent[p].remaining += amt
			b.toPool(p)
		}
		b.settle(r.cur)
	}
	return nil
}

// toPool records that source s has unapplied money.
func (b *book) toPool(s int32) {
	src := &b.ent[s]
	if !src.pooled {
		src.pooled, src.poolPos = true, int32(len(b.pool))
		b.pool = append(b.pool, s)
		return
	}
	if src.poolPos < b.phead[src.cur] {
		b.phead[src.cur] = src.poolPos
	}
}

// pay applies amt of source s to invoice j.
func (b *book) pay(s, j int32, amt int64) {
	b.ent[s].remaining -= amt
	b.inv[j].bal -= amt
	b.apps = append(b.apps, app{src: s, inv: j, amt: amt})
}

// takeBack removes amt from source s: its unapplied part first, then what
// it paid, newest first, reopening those invoices. When cb is not -1 the
// reopened amounts are recorded for chargeback cb.
func (b *book) takeBack(s int32, amt int64, cb int32) {
	src := &b.ent[s]
	y := min(src.remaining, amt)
	src.remaining -= y
	amt -= y
	for k := len(b.apps) - 1; k >= 0 && amt > 0; k-- {
		a := &b.apps[k]
		if a.src != s || a.amt == 0 {
			continue
		}
		y := min(a.amt, amt)
		a.amt -= y
		amt -= y
		b.inv[a.inv].bal += y
		b.reopen(a.inv)
		if cb >= 0 {
			b.reopened = append(b.reopened, app{src: cb, inv: a.inv, amt: y})
		}
	}
}

// reopen moves the currency's first-open pointer back to invoice j if needed.
func (b *book) reopen(j int32) {
	r := &b.inv[j]
	if !r.open {
		return
	}
	if p := b.ipos[j]; p < b.cfirst[r.cur] {
		b.cfirst[r.cur] = p
	}
}

// refundCredit takes a refund that names no payment out of the unapplied
// credit in its currency, oldest first.
func (b *book) refundCredit(l *Ledger, i int32, amt int64) error {
	c := b.ent[i].cur
	var avail int64
	for _, s := range b.pool[b.phead[c]:] {
		if b.ent[s].cur == c && b.ent[s].remaining > 0 {
			avail += b.ent[s].remaining
		}
	}
	if amt > avail {
		return ledgerError(l, i, "refunds %s, more than the %s of unapplied credit", l.Entries[i].Amount, money(avail, b.curs[c]))
	}
	for _, s := range b.pool[b.phead[c]:] {
		src := &b.ent[s]
		if amt == 0 {
			break
		}
		if src.cur != c || src.remaining == 0 {
			continue
		}
		y := min(src.remaining, amt)
		src.remaining -= y
		src.live -= y
		amt -= y
	}
	return nil
}

// settle pays the open invoices of currency c, oldest first, from the
// unapplied money in the pool, oldest first.
func (b *book) settle(c int16) {
	for b.phead[c] < int32(len(b.pool)) {
		s := b.pool[b.phead[c]]
		src := &b.ent[s]
		if src.cur != c || src.remaining == 0 {
			b.phead[c]++
			continue
		}
		for b.cfirst[c] < b.cend[c] && b.inv[b.iorder[b.cfirst[c]]].bal == 0 {
			b.cfirst[c]++
		}
		if b.cfirst[c] == b.cend[c] {
			return
		}
		j := b.iorder[b.cfirst[c]]
		b.pay(s, j, min(src.remaining, b.inv[j].bal))
	}
}
