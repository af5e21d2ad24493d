package dunning

import (
	"cmp"
	"errors"
	"fmt"
	"github.com/riskkit/riskkit/internal/enum"
	"math/bits"
	"slices"
	"strconv"
	"time"

	"github.com/riskkit/riskkit/internal/checked"
	"github.com/riskkit/riskkit/risk"
)

// AgeFrom says which date of an invoice its age is counted from. The zero
// value is [FromDueDate].
type AgeFrom string

// Ages.
const (
	// FromDueDate counts days past due: an invoice is 0 days old on its
	// due date, and younger invoices are not yet due.
	FromDueDate AgeFrom = ""
	// FromIssueDate counts days since the invoice was issued.
	FromIssueDate AgeFrom = "issue_date"
)

var ageFroms = enum.New("dunning", "age_from", "due_date", FromIssueDate)

// String returns "due_date" or "issue_date".
func (a AgeFrom) String() string { return ageFroms.Name(a) }

// MarshalText returns the [AgeFrom.String] form, and an error for a value
// that is not an AgeFrom.
func (a AgeFrom) MarshalText() ([]byte, error) { return ageFroms.Text(a) }

// UnmarshalText accepts "due_date", "issue_date", or the empty string for
// due_date.
func (a *AgeFrom) UnmarshalText(b []byte) (err error) {
	*a, err = ageFroms.Parse(b)
	return err
}

// defaultBounds are the bucket bounds of an [AgingConfig] that sets none.
// An array, so that no caller can change them.
var defaultBounds = [...]int{0, 30, 60, 90}

// DefaultBounds returns the bucket bounds of an [AgingConfig] that sets
// none, [0 30 60 90]: current, 1-30, 31-60, 61-90 and 90+ days.
func DefaultBounds() []int { return slices.Clone(defaultBounds[:]) }

// AgingConfig says how to age receivables. Its zero value is the common
// report: ages from the due date, in the buckets current, 1-30, 31-60, 61-90
// and 90+.
type AgingConfig struct {
	// From is the date ages count from.
	From AgeFrom `json:"from,omitzero"`
	// Bounds are the inclusive upper ages, in days, of every bucket but the
	// last, which takes everything older. They must be increasing and at
	// least 0. Empty means [DefaultBounds]. An age at or below Bounds[0] is
	// in the first bucket, labelled "current" when Bounds[0] is 0.
	Bounds []int `json:"bounds,omitempty"`
}

// Labels returns the bucket labels, such as "current", "1-30" and "90+".
func (c AgingConfig) Labels() []string {
	bounds := c.bounds()
	labels := make([]string, 0, len(bounds)+1)
	for i, b := range bounds {
		switch {
		case i > 0:
			labels = append(labels, strconv.Itoa(bounds[i-1]+1)+"-"+strconv.Itoa(b))
		case b == 0:
			labels = append(labels, "current")
		default:
			labels = append(labels, "up to "+strconv.Itoa(b))
		}
	}
	return append(labels, strconv.Itoa(bounds[len(bounds)-1])+"+")
}

func (c AgingConfig) bounds() []int {
	if len(c.Bounds) == 0 {
		return defaultBounds[:]
	}
	return c.Bounds
}

func (c AgingConfig) validate() error {
	switch c.From {
	case FromDueDate, FromIssueDate:
	default:
		return fmt.Errorf("dunning: aging: unknown age_from %q", string(c.From))
	}
	for i, b := range c.Bounds {
		if b < 0 || b > 36600 {
			return fmt.Errorf("dunning: aging: bound %d is outside 0 to 36600 days", b)
		}
		if i > 0 && b <= c.Bounds[i-1] {
			return fmt.Errorf("dunning: aging: bounds %v are not increasing", c.Bounds)
		}
	}
	if len(c.Bounds) > 64 {
		return errors.New("dunning: aging: more than 64 bounds")
	}
	return nil
}

// AgingRow is the receivables of one customer (or, in totals, of all) in
// one currency.
type AgingRow struct {
	// CustomerID is empty in totals.
	CustomerID string `json:"customer_id,omitzero"`
	Currency   string `json:"currency"`
	// Buckets are the unpaid balances by age, one per label of the report.
	Buckets []risk.Money `json:"buckets"`
	// Total is the sum of Buckets.
	Total risk.Money `json:"total"`
	// Invoices counts the unpaid invoices.
	Invoices int `json:"invoices"`
	// Disputed is the balance of disputed invoices, held out of the
	// buckets.
	Disputed risk.Money `json:"disputed"`
	// Credit is money received and not yet applied.
	Credit risk.Money `json:"credit"`
}

// AgingReport is the unpaid receivables of one or more customers at the end
// of one day, by age and currency. Only invoices that are unpaid on that day
// count (open, issued by then, with a balance above zero); entries dated
// after it are left out.
type AgingReport struct {
	AsOf    risk.Date `json:"as_of"`
	From    AgeFrom   `json:"age_from"`
	Buckets []string  `json:"buckets"`
	// Rows has one row per customer and currency with anything to report,
	// customers in the order they were added, currencies by code.
	Rows []AgingRow `json:"rows"`
	// Totals has one row per currency, by code.
	Totals []AgingRow `json:"totals"`
}

// Aging builds an [AgingReport] over many ledgers. It keeps scratch space
// between ledgers, so that aging a large book allocates little more than the
// report itself; create one per report with [NewAging], add each ledger,
// then take the report.
//
// An Aging is not safe for concurrent use. Its zero value is not usable.
type Aging struct {
	cfg    AgingConfig
	bounds []int
	asOf   risk.Date
	loc    *time.Location
	b      book
	report AgingReport
	// Per currency of the ledger being added: the bucket sums, then the
	// total, unpaid count, disputed and credit.
	sums []int64
	// Totals per currency, in the order first seen.
	totCur  []string
	totSums []int64
	// chunk backs the Buckets of rows, so rows do not allocate one by one.
	chunk []risk.Money
	// units holds one minor unit of each currency seen: multiplying it
	// makes an amount without looking the currency up again.
	units []risk.Money
}

// money returns minor units of a currency the ledgers already validated.
func (a *Aging) money(minor int64, code string) risk.Money {
	for _, u := range a.units {
		if u.Currency() == code {
			m, _ := u.Mul(minor) // one unit times an int64 always fits
			return m
		}
	}
	u := money(1, code)
	a.units = append(a.units, u)
	m, _ := u.Mul(minor)
	return m
}

// NewAging returns an Aging that reports as of the end of asOf in the
// customer's calendar in loc.
func NewAging(cfg AgingConfig, asOf risk.Date, loc *time.Location) (*Aging, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	if loc == nil {
		return nil, errNilLocation
	}
	if asOf.IsZero() {
		return nil, errors.New("dunning: aging: as-of date is required")
	}
	a := &Aging{cfg: cfg, bounds: slices.Clone(cfg.bounds()), asOf: asOf, loc: loc}
	a.report = AgingReport{AsOf: asOf, From: cfg.From, Buckets: cfg.Labels()}
	return a, nil
}

// width is the number of int64 sums kept per currency.
func (a *Aging) width() int { return len(a.bounds) + 5 }

// Add ages one ledger into the report. It returns an error, and adds
// nothing, if the ledger is not valid or its entries cannot be applied (see
// [Ledger.Balances]), or a total overflows.
func (a *Aging) Add(l *Ledger) error {
	if a == nil {
		return errors.New("dunning: nil *Aging; make one with NewAging")
	}
	if err := a.b.run(l, ord(a.asOf), a.loc); err != nil {
		return err
	}
	w := a.width()
	nb := len(a.bounds) + 1
	nc := len(a.b.curs)
	a.sums = slices.Grow(a.sums[:0], nc*w)[:nc*w]
	clear(a.sums)
	basis := a.cfg.From
	for i := range a.b.inv {
		r := &a.b.inv[i]
		if !r.in || r.bal <= 0 {
			continue
		}
		s := a.sums[int(r.cur)*w : int(r.cur)*w+w]
		if !r.open {
			if l.Invoices[i].State == Disputed {
				var ok bool
				if s[nb+2], ok = checked.Add(s[nb+2], r.bal); !ok {
					return a.overflow(l, a.b.curs[r.cur], "disputed")
				}
			}
			continue
		}
		from := r.due
		if basis == FromIssueDate {
			from = r.issue
		}
		age := int(ord(a.asOf) - from)
		k := 0
		for k < len(a.bounds) && age > a.bounds[k] {
			k++
		}
		// A ledger's balances are each at most its invoice amount, and the
		// book checked that amounts fit; sums of many could still overflow.
		var ok bool
		if s[k], ok = checked.Add(s[k], r.bal); !ok {
			return a.overflow(l, a.b.curs[r.cur], "bucket")
		}
		if s[nb], ok = checked.Add(s[nb], r.bal); !ok {
			return a.overflow(l, a.b.curs[r.cur], "unpaid")
		}
		s[nb+1]++
	}
	for i := range a.b.ent {
		if e := &a.b.ent[i]; e.in && e.remaining > 0 {
			s := a.sums[int(e.cur)*w : int(e.cur)*w+w]
			var ok bool
			if s[nb+3], ok = checked.Add(s[nb+3], e.remaining); !ok {
				return a.overflow(l, a.b.curs[e.cur], "credit")
			}
		}
	}
	// Check every total before changing any, so that an overflow adds
	// nothing.
	for c, code := range a.b.curs {
		if i := a.totIndex(code); i >= 0 {
			t, s := a.totSums[i*w:i*w+w], a.sums[c*w:c*w+w]
			for k := range w {
				if _, ok := checked.Add(t[k], s[k]); !ok {
					return a.overflow(l, code, "report")
				}
			}
		}
	}
	for c, code := range a.b.curs {
		i := a.totIndex(code)
		if i < 0 {
			i = len(a.totCur)
			a.totCur = append(a.totCur, code)
			a.totSums = append(a.totSums, make([]int64, w)...)
		}
		t, s := a.totSums[i*w:i*w+w], a.sums[c*w:c*w+w]
		for k := range w {
			t[k] += s[k]
		}
	}
	a.appendRows(l.Customer.ID)
	return nil
}

func (a *Aging) overflow(l *Ledger, code, total string) error {
	return overflowError("aging", l, code, total)
}

func (a *Aging) totIndex(code string) int {
	for i, c := range a.totCur {
		if c == code {
			return i
		}
	}
	return -1
}

// appendRows adds the rows of the ledger just summed, currencies by code.
func (a *Aging) appendRows(customer string) {
	w := a.width()
	nb := len(a.bounds) + 1
	first := len(a.report.Rows)
	for c, code := range a.b.curs {
		s := a.sums[c*w : c*w+w]
		if s[nb] == 0 && s[nb+2] == 0 && s[nb+3] == 0 {
			continue
		}
		if len(a.chunk) < nb {
			a.chunk = make([]risk.Money, max(nb*256, 2*cap(a.chunk)))
		}
		buckets := a.chunk[:nb:nb]
		a.chunk = a.chunk[nb:]
		for k := range nb {
			buckets[k] = a.money(s[k], code)
		}
		a.report.Rows = append(a.report.Rows, AgingRow{CustomerID: customer, Currency: code, Buckets: buckets,
			Total: a.money(s[nb], code), Invoices: int(s[nb+1]), Disputed: a.money(s[nb+2], code), Credit: a.money(s[nb+3], code)})
	}
	if rows := a.report.Rows[first:]; len(rows) > 1 {
		slices.SortFunc(rows, func(x, y AgingRow) int { return cmp.Compare(x.Currency, y.Currency) })
	}
}

// Report returns the report of the ledgers added so far, with the totals
// per currency. The Aging can go on adding ledgers; a later Report includes
// them.
func (a *Aging) Report() *AgingReport {
	w := a.width()
	nb := len(a.bounds) + 1
	r := a.report
	// The caller may append to the rows; the full slice expression makes
	// that copy them rather than write over rows added later.
	r.Rows = r.Rows[:len(r.Rows):len(r.Rows)]
	r.Totals = make([]AgingRow, 0, len(a.totCur))
	for i, code := range a.totCur {
		t := a.totSums[i*w : i*w+w]
		buckets := make([]risk.Money, nb)
		for k := range nb {
			buckets[k] = money(t[k], code)
		}
		r.Totals = append(r.Totals, AgingRow{Currency: code, Buckets: buckets, Total: money(t[nb], code),
			Invoices: int(t[nb+1]), Disputed: money(t[nb+2], code), Credit: money(t[nb+3], code)})
	}
	slices.SortFunc(r.Totals, func(x, y AgingRow) int { return cmp.Compare(x.Currency, y.Currency) })
	return &r
}

// Age returns the aging report of the given ledgers as of the end of asOf in
// loc. See [Aging] to build one ledger at a time.
func Age(cfg AgingConfig, asOf risk.Date, loc *time.Location, ledgers ...*Ledger) (*AgingReport, error) {
	a, err := NewAging(cfg, asOf, loc)
	if err != nil {
		return nil, err
	}
	for _, l := range ledgers {
		if err := a.Add(l); err != nil {
			return nil, err
		}
	}
	return a.Report(), nil
}

// SalesOutstanding is the days sales outstanding of one currency over a
// period: how many days of the period's sales the receivables at its end
// represent.
type SalesOutstanding struct {
	Currency string    `json:"currency"`
	From     risk.Date `json:"from"`
	To       risk.Date `json:"to"`
	// Receivables is what is owed at the end of To: the balances of open
	// and disputed invoices. Written-off invoices are no longer
	// receivables.
	Receivables risk.Money `json:"receivables"`
	// Sales is the total of the invoices issued from From to To that are
	// open, disputed or written off (drafts and void invoices are not
	// sales).
	Sales risk.Money `json:"sales"`
	// Days is the length of the period, From and To included.
	Days int `json:"days"`
	// Hundredths is Receivables / Sales × Days in hundredths of a day,
	// rounded half to even. It is meaningful only when Defined.
	Hundredths int64 `json:"hundredths"`
	// Defined reports whether there were sales to divide by.
	Defined bool `json:"defined"`
}

// String returns the figure in days with two decimals, such as "42.17", or
// "n/a" when there were no sales.
func (s SalesOutstanding) String() string {
	if !s.Defined {
		return "n/a"
	}
	neg := ""
	h := s.Hundredths
	if h < 0 {
		neg, h = "-", -h
	}
	return fmt.Sprintf("%s%d.%02d", neg, h/100, h%100)
}

// DaysSalesOutstanding returns the days sales outstanding of the given
// ledgers over the days from to to (both included) in loc, one per currency
// by code.
func DaysSalesOutstanding(from, to risk.Date, loc *time.Location, ledgers ...*Ledger) ([]SalesOutstanding, error) {
	if loc == nil {
		return nil, errNilLocation
	}
	if from.IsZero() || to.Before(from) {
		return nil, fmt.Errorf("dunning: days sales outstanding: period %s to %s is empty", from, to)
	}
	type acc struct{ rec, sales int64 }
	var curs []string
	var accs []acc
	idx := func(code string) int {
		for i, c := range curs {
			if c == code {
				return i
			}
		}
		curs = append(curs, code)
		accs = append(accs, acc{})
		return len(curs) - 1
	}
	var b book
	for _, l := range ledgers {
		if err := b.run(l, ord(to), loc); err != nil {
			return nil, err
		}
		for i := range b.inv {
			r := &b.inv[i]
			if !r.in {
				continue
			}
			a := &accs[idx(b.curs[r.cur])]
			var ok bool
			if r.issue >= ord(from) {
				if a.sales, ok = checked.Add(a.sales, r.amount); !ok {
					return nil, overflowError("days sales outstanding", l, b.curs[r.cur], "sales")
				}
			}
			if l.Invoices[i].State != WrittenOff {
				if a.rec, ok = checked.Add(a.rec, r.bal); !ok {
					return nil, overflowError("days sales outstanding", l, b.curs[r.cur], "receivables")
				}
			}
		}
	}
	days := to.DaysSince(from) + 1
	out := make([]SalesOutstanding, len(curs))
	for i, code := range curs {
		s := SalesOutstanding{Currency: code, From: from, To: to, Receivables: money(accs[i].rec, code),
			Sales: money(accs[i].sales, code), Days: days}
		if accs[i].sales > 0 {
			s.Defined = true
			s.Hundredths = mulDivHalfEven(accs[i].rec, int64(days)*100, accs[i].sales)
		}
		out[i] = s
	}
	slices.SortFunc(out, func(x, y SalesOutstanding) int { return cmp.Compare(x.Currency, y.Currency) })
	return out, nil
}

// mulDivHalfEven returns a*b/c rounded half to even, for a >= 0, b >= 0 and
// c > 0, computing the product in 128 bits. A quotient beyond int64 is
// capped, which a receivable of a few centuries of sales does not reach.
func mulDivHalfEven(a, b, c int64) int64 {
	hi, lo := bits.Mul64(uint64(a), uint64(b))
	if hi >= uint64(c) {
		return 1<<63 - 1
	}
	q, rem := bits.Div64(hi, lo, uint64(c))
	if 2*rem > uint64(c) || 2*rem == uint64(c) && q%2 == 1 {
		q++
	}
	if q > 1<<63-1 {
		return 1<<63 - 1
	}
	return int64(q)
}
