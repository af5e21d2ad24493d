package dunning

import (
	"cmp"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/riskkit/riskkit/internal/calendar"
	"github.com/riskkit/riskkit/internal/checked"
	"github.com/riskkit/riskkit/internal/text"
	"github.com/riskkit/riskkit/risk"
)

var (
	// ErrStateAhead is wrapped by the error of an evaluation whose now is
	// before the previous state's evaluation: a clock that went back, or
	// states stored out of order.
	ErrStateAhead = errors.New("dunning: state evaluated after now")

	// ErrUnknownStage is wrapped by the error of an evaluation whose
	// previous state is in a stage the schedule does not have, as after a
	// stage was removed from the schedule; the host decides where such
	// accounts stand.
	ErrUnknownStage = errors.New("dunning: state in a stage the schedule does not have")
)

// Dunner is a [Schedule] compiled for the customers of one location: its
// conditions compiled, its retry days and stage order worked out, and its
// days counted in the location's calendar. It is immutable and safe for
// concurrent use; build one with [NewDunner] per schedule and location, and
// evaluate every customer of that location with it.
type Dunner struct {
	s          Schedule
	loc        *time.Location
	conditions *risk.Engine[conditionInput]
	retryDays  []int
	severity   map[string]int // stage id -> index
}

// NewDunner checks s as [Schedule.Validate] does and compiles it for
// customers whose calendar days are those of loc. It returns every problem
// of s at once in a *[risk.DocumentError]. The Dunner keeps a copy of s:
// changing s afterwards changes nothing.
func NewDunner(s *Schedule, loc *time.Location) (*Dunner, error) {
	switch {
	case s == nil:
		return nil, errNilSchedule
	case loc == nil:
		return nil, errNilLocation
	}
	d := &Dunner{s: s.clone(), loc: loc}
	eng, err := d.s.check(nil)
	if err != nil {
		return nil, err
	}
	d.conditions = eng
	d.retryDays = d.s.Retries.Days()
	d.severity = make(map[string]int, len(d.s.Stages))
	for i, st := range d.s.Stages {
		d.severity[st.ID] = i
	}
	return d, nil
}

// Schedule returns a copy of the schedule d evaluates.
func (d *Dunner) Schedule() *Schedule {
	if d == nil {
		return nil
	}
	c := d.s.clone()
	return &c
}

// Location returns the location whose calendar days d counts.
func (d *Dunner) Location() *time.Location {
	if d == nil {
		return nil
	}
	return d.loc
}

// Evaluate runs the schedule for one customer: from the state the previous
// evaluation returned, the ledger and the instant now, it returns the new
// state, the actions due now and the next instant to evaluate
// ([Result.Next]). Days are calendar days in the Dunner's location.
//
// Evaluate is a pure function: it reads its arguments, changes none of
// them, and the same arguments always give the same result. The stage is a
// function of the ledger and the day alone, so a host that evaluates every
// day and one that evaluates once reach the same stage; the state only
// remembers what was already done, so that entering a stage acts once,
// staying acts no more, and returning to current reinstates.
//
// It returns an error when d or the ledger is nil, the ledger is not valid
// (a *[risk.DocumentError]), its entries cannot be applied, the state names
// a stage the schedule does not have ([ErrUnknownStage]), now is before the
// state's last evaluation ([ErrStateAhead]), or a stage with minimum
// balances has none for a currency the customer owes in.
func (d *Dunner) Evaluate(prev State, l *Ledger, now time.Time) (Result, error) {
	switch {
	case d == nil:
		return Result{}, errors.New("dunning: nil *Dunner; make one with NewDunner")
	case l == nil:
		return Result{}, errNilLedger
	case now.IsZero():
		return Result{}, errors.New("dunning: now is the zero time")
	case now.Before(prev.EvaluatedAt):
		return Result{}, fmt.Errorf("%w: now %s is before the state's last evaluation at %s",
			ErrStateAhead, now.Format(time.RFC3339Nano), prev.EvaluatedAt.Format(time.RFC3339Nano))
	}
	if prev.Stage != "" {
		if _, ok := d.severity[prev.Stage]; !ok {
			return Result{}, fmt.Errorf("%w: the state is in stage %q, which schedule %q does not have", ErrUnknownStage, prev.Stage, d.s.ID)
		}
	}
	if err := l.Validate(); err != nil {
		return Result{}, err
	}
	ev := &evaluator{d: d, s: &d.s, l: l, loc: d.loc, cust: url.PathEscape(l.Customer.ID)}
	res, f, err := ev.step(&prev, now)
	if err != nil {
		return Result{}, err
	}
	res.Next, err = ev.next(&res.State, f, now)
	if err != nil {
		return Result{}, err
	}
	return res, nil
}

// evaluator evaluates one schedule over one ledger.
type evaluator struct {
	d    *Dunner
	s    *Schedule
	l    *Ledger
	loc  *time.Location
	cust string // the customer id as it appears in keys
	b    book
}

// dayFacts are the facts of a ledger on one day.
type dayFacts struct {
	today int32
	// clock is the day stage conditions count to: today, or while dunning
	// is held by a pause or promise, the day before the hold began.
	clock  int32
	exempt *Control
	// hold is the run of pauses and promises in force, if any.
	hold       bool
	holdText   string
	holdBounds []risk.Date // From and Until of every control, for next
	curs       []curFacts
}

// curFacts are the facts of one currency.
type curFacts struct {
	code       string
	unpaid     int64
	count      int
	earliest   int32 // the earliest unpaid invoice's issue or due day
	earliestID string
	unpaidIDs  []string
	// overdue and overdueCount are the Overdue measure: the unpaid
	// invoices past their due date and the schedule's grace period.
	overdue      int64
	overdueCount int
	disputed     int64
	credit       int64
	// The current run of failed payment attempts.
	failed     int64
	hard       bool
	episode    string
	episodeDay int32
}

func (c *curFacts) money(minor int64) risk.Money { return money(minor, c.code) }

// measured returns the balance and count of measure m.
func (c *curFacts) measured(m Measure) (int64, int) {
	if m == Overdue {
		return c.overdue, c.overdueCount
	}
	return c.unpaid, c.count
}

// facts computes the facts on day today.
func (ev *evaluator) facts(today int32) (*dayFacts, error) {
	l := ev.l
	f := &dayFacts{today: today, clock: today}
	ev.controls(f)
	if err := ev.b.run(l, today, ev.loc); err != nil {
		return nil, err
	}
	b := &ev.b
	idx := func(code string) *curFacts {
		for i := range f.curs {
			if f.curs[i].code == code {
				return &f.curs[i]
			}
		}
		f.curs = append(f.curs, curFacts{code: code})
		return &f.curs[len(f.curs)-1]
	}
	// Every sum is checked: invoices of MaxInt64, MaxInt64 and 2 minor
	// units would otherwise read as nothing unpaid.
	var overflow error
	add := func(dst *int64, x int64, c *curFacts, total string) {
		v, ok := checked.Add(*dst, x)
		if !ok && overflow == nil {
			overflow = overflowError("evaluate", l, c.code, total)
		}
		*dst = v
	}
	for i := range l.Invoices {
		r := &b.inv[i]
		c := idx(b.curs[r.cur])
		switch {
		case r.unpaid() && r.issue <= f.clock:
			day := r.due
			if ev.s.AgeFrom == FromIssueDate {
				day = r.issue
			}
			add(&c.unpaid, r.bal, c, "unpaid")
			c.count++
			if f.clock > r.due+int32(ev.s.GraceDays) {
				add(&c.overdue, r.bal, c, "overdue")
				c.overdueCount++
			}
			c.unpaidIDs = append(c.unpaidIDs, l.Invoices[i].ID)
			if c.earliest == 0 || day < c.earliest {
				c.earliest, c.earliestID = day, l.Invoices[i].ID
			}
		case r.in && l.Invoices[i].State == Disputed:
			add(&c.disputed, r.bal, c, "disputed")
		}
	}
	for i := range b.ent {
		if e := &b.ent[i]; e.in && e.remaining > 0 {
			c := idx(b.curs[e.cur])
			add(&c.credit, e.remaining, c, "credit")
		}
	}
	if overflow != nil {
		return nil, overflow
	}
	ev.attempts(f, idx)
	slices.SortFunc(f.curs, func(a, b curFacts) int { return cmp.Compare(a.code, b.code) })
	return f, nil
}

// controls finds the exemption and the run of holds in force on f.today.
func (ev *evaluator) controls(f *dayFacts) {
	type span struct {
		from, until int32 // until 0: open-ended
		c           *Control
	}
	var holds []span
	for i := range ev.l.Controls {
		c := &ev.l.Controls[i]
		f.holdBounds = append(f.holdBounds, c.From, c.Until)
		in := ord(c.From) <= f.today && (c.Until.IsZero() || f.today < ord(c.Until))
		switch c.Kind {
		case Exemption:
			if in && (f.exempt == nil || ord(c.From) < ord(f.exempt.From)) {
				f.exempt = c
			}
		case Pause, Promise:
			holds = append(holds, span{ord(c.From), ord(c.Until), c})
		}
	}
	if len(holds) == 0 {
		return
	}
	// Holds that overlap or touch make one run; the clock stops at the day
	// before the run began.
	slices.SortFunc(holds, func(a, b span) int { return cmp.Compare(a.from, b.from) })
	for i := 0; i < len(holds); {
		from, until := holds[i].from, holds[i].until
		j := i + 1
		for j < len(holds) && holds[j].from <= until {
			until = max(until, holds[j].until)
			j++
		}
		if from <= f.today && f.today < until {
			f.hold = true
			f.clock = from - 1
			var parts []string
			for _, h := range holds[i:j] {
				parts = append(parts, fmt.Sprintf("%s from %s until %s: %s", h.c.Kind, h.c.From, h.c.Until, h.c.Reason))
			}
			f.holdText = strings.Join(parts, "; ")
			return
		}
		i = j
	}
}

// attempts finds, per currency, the run of failed payment attempts since
// the last success.
func (ev *evaluator) attempts(f *dayFacts, idx func(string) *curFacts) {
	as := ev.l.Attempts
	if len(as) == 0 {
		return
	}
	order := make([]int, 0, len(as))
	for i := range as {
		if ord(risk.DateOf(as[i].At, ev.loc)) <= f.today {
			order = append(order, i)
		}
	}
	slices.SortStableFunc(order, func(x, y int) int { return as[x].At.Compare(as[y].At) })
	for _, i := range order {
		a := &as[i]
		c := idx(a.Amount.Currency())
		if a.Result == Succeeded {
			c.failed, c.hard, c.episode, c.episodeDay = 0, false, "", 0
			continue
		}
		if c.episode == "" {
			c.episode, c.episodeDay = a.ID, ord(risk.DateOf(a.At, ev.loc))
		}
		c.failed++
		c.hard = c.hard || a.Result == HardDecline
	}
}

// stageOf returns the index of the first stage whose conditions hold on
// the facts, or -1, with the reason and any condition problems.
func (ev *evaluator) stageOf(f *dayFacts) (int, string, []string, error) {
	s := ev.s
	for i := range s.Stages {
		st := &s.Stages[i]
		for j := range f.curs {
			c := &f.curs[j]
			if _, ok := st.minBalance(c.code); !ok && c.count > 0 {
				return 0, "", nil, fmt.Errorf("dunning: schedule %q: stage %q has min_balance amounts but none in %s, which customer %q owes",
					s.ID, st.ID, c.code, ev.l.Customer.ID)
			}
		}
	}
	if f.exempt != nil {
		return -1, "exempt: " + controlText(f.exempt), nil, nil
	}
	var problems []string
	var decisions []*risk.Decision
	for i := range s.Stages {
		st := &s.Stages[i]
		for j := range f.curs {
			c := &f.curs[j]
			if c.count == 0 {
				continue
			}
			days := int(f.clock - c.earliest)
			minBal, _ := st.minBalance(c.code)
			bal, count := c.measured(st.Measure.or(Unpaid))
			if days < st.AfterDays || count < st.minInvoices() || bal < minBal {
				continue
			}
			if st.When != "" {
				if decisions == nil {
					decisions = make([]*risk.Decision, len(f.curs))
				}
				if decisions[j] == nil {
					decisions[j] = ev.decide(c)
				}
				d := decisions[j]
				for _, e := range d.Errors {
					if e.RuleID == st.ID {
						problems = append(problems, fmt.Sprintf("stage %s, %s: condition failed: %s", st.ID, c.code, e.Err))
					}
				}
				for _, m := range d.Missing {
					if m.RuleID == st.ID {
						problems = append(problems, fmt.Sprintf("stage %s, %s: condition needs %s, which the ledger does not give",
							st.ID, c.code, m.Inputs))
					}
				}
				if !d.Fired(st.ID) {
					continue
				}
			}
			return i, ev.factText(f, c), problems, nil
		}
	}
	for j := range f.curs {
		if f.curs[j].count > 0 {
			return -1, "no stage applies: " + ev.factText(f, &f.curs[j]), problems, nil
		}
	}
	return -1, "nothing is unpaid", problems, nil
}

// decide evaluates the stage conditions for one currency.
func (ev *evaluator) decide(c *curFacts) *risk.Decision {
	in := conditionInput{Customer: &ev.l.Customer, Account: accountFacts{
		Currency: c.code, Unpaid: c.money(c.unpaid), UnpaidInvoices: int64(c.count),
		Overdue: c.money(c.overdue), OverdueInvoices: int64(c.overdueCount),
		Disputed: c.money(c.disputed), Credit: c.money(c.credit), FailedAttempts: c.failed, HardDeclined: c.hard,
	}}
	d := ev.d.conditions.Evaluate(&in)
	return &d
}

// factText describes one currency's position for the audit trail.
func (ev *evaluator) factText(f *dayFacts, c *curFacts) string {
	verb := "was due on"
	if ev.s.AgeFrom == FromIssueDate {
		verb = "was issued on"
	}
	return fmt.Sprintf("%s: %s since invoice %s %s %s; %s unpaid in %s", c.code,
		text.Plural(int(f.clock-c.earliest), "day"), c.earliestID, verb, dateAt(c.earliest), c.money(c.unpaid), text.Plural(c.count, "invoice"))
}

func controlText(c *Control) string {
	if c.Until.IsZero() {
		return fmt.Sprintf("%s from %s until further notice: %s", c.Kind, c.From, c.Reason)
	}
	return fmt.Sprintf("%s from %s until %s: %s", c.Kind, c.From, c.Until, c.Reason)
}

// key builds an idempotency key from its parts.
func (ev *evaluator) key(parts ...string) string {
	return "dunning/" + ev.cust + "/" + strings.Join(parts, "/")
}

// step evaluates at now from prev without computing Next.
func (ev *evaluator) step(prev *State, now time.Time) (Result, *dayFacts, error) {
	s := ev.s
	today := ord(risk.DateOf(now, ev.loc))
	f, err := ev.facts(today)
	if err != nil {
		return Result{}, nil, err
	}
	idx, why, problems, err := ev.stageOf(f)
	if err != nil {
		return Result{}, nil, err
	}
	next := prev.clone()
	next.EvaluatedAt = now.UTC()
	var acts []Action
	newID := ""
	if idx >= 0 {
		newID = s.Stages[idx].ID
	}
	if newID != prev.Stage {
		acts = ev.transition(&next, prev, f, idx, why, now)
	}
	if f.exempt == nil && !f.hold {
		// A stage that retries the payment on entry stands in for a plan
		// retry due the same day: one charge, not two.
		var retried []string
		for _, a := range acts {
			if a.Kind == RetryPayment {
				retried = append(retried, a.Currency)
			}
		}
		acts = append(acts, ev.retries(&next, f, retried)...)
	}
	acts = append(acts, ev.campaigns(&next, f, idx, now)...)

	res := Result{State: next, Actions: acts, Problems: problems}
	if n := len(next.Transitions) - AuditWindow; n > 0 {
		// Copies, so that neither keeps the other's array alive.
		res.Archived = slices.Clone(next.Transitions[:n])
		res.State.Transitions = slices.Clone(next.Transitions[n:])
	}
	if res.Actions == nil {
		res.Actions = []Action{}
	}
	switch {
	case f.exempt != nil:
		res.Hold = controlText(f.exempt)
	case f.hold:
		res.Hold = f.holdText
	}
	for i := range f.curs {
		c := &f.curs[i]
		st := Status{Currency: c.code, Unpaid: c.money(c.unpaid), UnpaidInvoices: c.count,
			Overdue: c.money(c.overdue), OverdueInvoices: c.overdueCount, Earliest: c.earliestID,
			Disputed: c.money(c.disputed), Credit: c.money(c.credit)}
		if c.count > 0 {
			st.EarliestDate = dateAt(c.earliest)
			st.Days = int(f.clock - c.earliest)
		}
		res.Currencies = append(res.Currencies, st)
	}
	return res, f, nil
}

// clone returns a copy of s that shares nothing the evaluation changes.
func (s *State) clone() State {
	c := *s
	c.Effects = slices.Clone(s.Effects)
	c.Credits = slices.Clone(s.Credits)
	c.Retries = slices.Clone(s.Retries)
	c.Campaigns = slices.Clone(s.Campaigns)
	// Transitions are never changed, only appended to; Clip makes the
	// append copy rather than write into the caller's array.
	c.Transitions = slices.Clip(s.Transitions)
	return c
}

// transition moves next from prev's stage to stage idx (-1: current) and
// returns the actions that go with it.
func (ev *evaluator) transition(next *State, prev *State, f *dayFacts, idx int, why string, now time.Time) []Action {
	s := ev.s
	next.Seq++
	seq := "t" + strconv.Itoa(next.Seq)
	to := Current
	var st *Stage
	if idx >= 0 {
		st = &s.Stages[idx]
		to = st.ID
	}
	var acts []Action
	want := s.effectsAt(idx)
	for i := len(prev.Effects) - 1; i >= 0; i-- {
		if k := prev.Effects[i]; !slices.Contains(want, k) {
			acts = append(acts, Action{Key: ev.key(seq, string(k.lift())), Kind: k.lift()})
		}
	}
	if st == nil && prev.Stage != "" {
		acts = append(acts, Action{Key: ev.key(seq, string(Reinstate)), Kind: Reinstate})
	}

	wasBlocked := slices.ContainsFunc(prev.Effects, ActionKind.blocks)
	isBlocked := slices.ContainsFunc(want, ActionKind.blocks)
	switch {
	case wasBlocked && !isBlocked:
		if !next.BlockedFrom.IsZero() {
			next.Uncredited.add(next.BlockedFrom, dateAt(f.today))
		}
		next.BlockedFrom = risk.Date{}
	case isBlocked && !wasBlocked:
		next.BlockedFrom = dateAt(f.today)
	}
	if st == nil {
		if s.CreditBlockedTime {
			acts = append(acts, ev.credits(next, seq)...)
		}
		next.Uncredited = BlockedTime{}
	}

	if st != nil {
		for _, k := range want {
			if !slices.Contains(prev.Effects, k) {
				acts = append(acts, Action{Key: ev.key(seq, st.ID, string(k)), Kind: k, Stage: st.ID})
			}
		}
		held := false
		for _, a := range st.Actions {
			if a.Kind.effect() {
				continue
			}
			if f.hold {
				held = true
				continue
			}
			switch a.Kind {
			case RetryPayment:
				for i := range f.curs {
					c := &f.curs[i]
					if c.unpaid > 0 && !c.hard {
						acts = append(acts, Action{Key: ev.key(seq, st.ID, string(a.Kind), c.code), Kind: a.Kind, Stage: st.ID,
							Currency: c.code, Amount: c.money(c.unpaid)})
					}
				}
			case WriteOff:
				for i := range f.curs {
					c := &f.curs[i]
					if c.count > 0 {
						acts = append(acts, Action{Key: ev.key(seq, st.ID, string(a.Kind), c.code), Kind: a.Kind, Stage: st.ID,
							Currency: c.code, Amount: c.money(c.unpaid), Invoices: slices.Clone(c.unpaidIDs)})
					}
				}
			default:
				acts = append(acts, Action{Key: ev.key(seq, st.ID, string(a.Kind)), Kind: a.Kind, Stage: st.ID,
					Template: a.Template, Cancel: a.Cancel})
			}
		}
		if held {
			why += "; one-time actions held by " + f.holdText
		}
	}
	next.Effects = want
	next.Stage = ""
	if st != nil {
		next.Stage = st.ID
	}
	next.Since = now.UTC()
	next.Transitions = append(next.Transitions, Transition{Seq: next.Seq, From: prev.StageName(), To: to, At: now.UTC(), Why: why})
	return acts
}

// Units of a day in each billing period: the least common multiple of the
// lengths a period can have, so that every day's share is a whole number of
// units and sums of shares are exact.
const (
	monthUnits = 377580 // lcm(28, 29, 30, 31)
	yearUnits  = 133590 // lcm(365, 366)
)

// dayUnits returns the share of a billing period that day d is, in units of
// 1/den of the period.
func dayUnits(p BillingPeriod, d risk.Date) (units, den int64) {
	y, m, _ := d.Parts()
	switch p {
	case Yearly:
		days := int64(365)
		if calendar.IsLeap(y) {
			days = 366
		}
		return yearUnits / days, yearUnits
	case Weekly:
		return 1, 7
	case Daily:
		return 1, 1
	}
	return monthUnits / int64(calendar.DaysIn(m, y)), monthUnits
}

// credits turns the uncredited blocked days into credit actions, one per
// subscription, and records them.
func (ev *evaluator) credits(next *State, seq string) []Action {
	if next.Uncredited.IsZero() {
		return nil
	}
	// Accruals of subscriptions the ledger no longer lists can never be
	// credited again: they are dropped, so that a customer who changes
	// subscriptions does not grow the state.
	next.Credits = slices.DeleteFunc(next.Credits, func(c CreditAccrual) bool {
		return !slices.ContainsFunc(ev.l.Subscriptions, func(s Subscription) bool { return s.ID == c.Subscription })
	})
	var acts []Action
	for i := range ev.l.Subscriptions {
		sub := &ev.l.Subscriptions[i]
		units, den := next.Uncredited.units(sub.Period)
		if units == 0 {
			continue
		}
		k := slices.IndexFunc(next.Credits, func(c CreditAccrual) bool { return c.Subscription == sub.ID })
		if k < 0 || next.Credits[k].Denominator != den || next.Credits[k].Credited.Currency() != sub.Price.Currency() {
			// A new subscription, or one whose period or currency changed:
			// start its accrual afresh.
			if k < 0 {
				next.Credits = append(next.Credits, CreditAccrual{})
				k = len(next.Credits) - 1
			}
			next.Credits[k] = CreditAccrual{Subscription: sub.ID, Denominator: den, Credited: money(0, sub.Price.Currency())}
		}
		acc := &next.Credits[k]
		sum, ok := checked.Add(acc.Units, units)
		if !ok || units < 0 {
			continue // only a state that was tampered with gets here
		}
		acc.Units = sum
		total, err := sub.Price.MulDiv(acc.Units, den, risk.RoundHalfEven)
		if err != nil {
			continue // a credit beyond int64 minor units cannot be paid anyway
		}
		credit, err := total.Sub(acc.Credited)
		if err != nil || credit.Sign() <= 0 {
			continue
		}
		acc.Credited = total
		acts = append(acts, Action{Key: ev.key(seq, string(CreditBlockedTime), sub.ID), Kind: CreditBlockedTime,
			Subscription: sub.ID, Currency: credit.Currency(), Amount: credit})
	}
	return acts
}

// retries emits the payment retries that came due, except in the
// currencies a stage just retried, where it only counts them done.
func (ev *evaluator) retries(next *State, f *dayFacts, retried []string) []Action {
	var kept []RetryState
	var acts []Action
	for i := range f.curs {
		c := &f.curs[i]
		if c.episode == "" {
			continue
		}
		rs := RetryState{Currency: c.code, Episode: c.episode}
		if k := slices.IndexFunc(next.Retries, func(r RetryState) bool { return r.Currency == c.code }); k >= 0 && next.Retries[k].Episode == c.episode {
			rs = next.Retries[k]
		}
		due := 0
		for _, d := range ev.d.retryDays {
			if c.episodeDay+int32(d) <= f.today {
				due++
			}
		}
		if due > rs.Done && !c.hard {
			if c.unpaid > 0 && !slices.Contains(retried, c.code) {
				acts = append(acts, Action{Key: ev.key("retry", c.code, url.PathEscape(c.episode), strconv.Itoa(due)), Kind: RetryPayment,
					Currency: c.code, Amount: c.money(c.unpaid), Attempt: due})
			}
			rs.Done = due
		}
		kept = append(kept, rs)
	}
	next.Retries = kept
	return acts
}

// campaigns runs the collection campaigns.
func (ev *evaluator) campaigns(next *State, f *dayFacts, idx int, now time.Time) []Action {
	// The progress of a campaign the schedule no longer has is of no use.
	next.Campaigns = slices.DeleteFunc(next.Campaigns, func(cs CampaignState) bool {
		return !slices.ContainsFunc(ev.s.Campaigns, func(c Campaign) bool { return c.ID == cs.Campaign })
	})
	var acts []Action
	active := f.exempt == nil && !f.hold
	for ci := range ev.s.Campaigns {
		cp := &ev.s.Campaigns[ci]
		inStage := cp.FromStage == "" || idx >= 0 && idx <= ev.d.severity[cp.FromStage]
		for i := range f.curs {
			c := &f.curs[i]
			threshold, ok := cp.threshold(c.code)
			if !ok {
				continue
			}
			k := slices.IndexFunc(next.Campaigns, func(s CampaignState) bool { return s.Campaign == cp.ID && s.Currency == c.code })
			bal, _ := c.measured(cp.Measure.or(Overdue))
			if bal == 0 {
				if k >= 0 {
					next.Campaigns[k].Attempts, next.Campaigns[k].LastAt, next.Campaigns[k].Finished = 0, time.Time{}, false
				}
				continue
			}
			if !active {
				continue
			}
			if k < 0 {
				if bal < threshold || !inStage {
					continue
				}
				next.Campaigns = append(next.Campaigns, CampaignState{Campaign: cp.ID, Currency: c.code})
				k = len(next.Campaigns) - 1
			}
			cs := &next.Campaigns[k]
			waited := cs.Attempts == 0 || now.Sub(cs.LastAt) > cp.MinInterval
			switch {
			case cs.Attempts < cp.MaxAttempts && waited && bal >= threshold && inStage:
				if cs.Attempts == 0 {
					cs.Run++
				}
				cs.Attempts++
				cs.LastAt = now.UTC()
				acts = append(acts, Action{Key: ev.key("campaign", cp.ID, c.code, strconv.Itoa(cs.Run), strconv.Itoa(cs.Attempts)),
					Kind: CampaignAttempt, Campaign: cp.ID, Attempt: cs.Attempts, Template: cp.Template,
					Currency: c.code, Amount: c.money(bal)})
			case cs.Attempts == cp.MaxAttempts && !cs.Finished && waited:
				cs.Finished = true
				acts = append(acts, Action{Key: ev.key("campaign", cp.ID, c.code, strconv.Itoa(cs.Run), "finished"),
					Kind: CampaignFinished, Campaign: cp.ID, Attempt: cs.Attempts, Currency: c.code, Amount: c.money(bal)})
			}
		}
	}
	return acts
}

// next returns the first instant after now at which evaluating from state
// would give a different stage or emit an action, or the zero time.
func (ev *evaluator) next(state *State, f *dayFacts, now time.Time) (time.Time, error) {
	s := ev.s
	var days []int32
	addDay := func(d int32) {
		if d > f.today {
			days = append(days, d)
		}
	}
	// Every day on which some invoice could cross a stage's day count, or
	// some failed attempt could bring a retry due, is a candidate: a
	// superset of the days that matter, as payments can make any invoice
	// the earliest unpaid one and future attempts start new retry plans.
	// Each candidate is then checked by evaluating at it.
	l := ev.l
	for i := range l.Invoices {
		inv := &l.Invoices[i]
		base := ord(inv.Due())
		if s.AgeFrom == FromIssueDate {
			base = ord(inv.IssueDate)
		}
		for _, st := range s.Stages {
			addDay(base + int32(st.AfterDays))
		}
		// The first day the invoice counts as overdue.
		addDay(ord(inv.Due()) + 1 + int32(s.GraceDays))
	}
	for i := range l.Attempts {
		if l.Attempts[i].Result == Succeeded {
			continue
		}
		d := ord(risk.DateOf(l.Attempts[i].At, ev.loc))
		for _, r := range ev.d.retryDays {
			addDay(d + int32(r))
		}
	}
	for _, d := range f.holdBounds {
		if !d.IsZero() {
			addDay(ord(d))
		}
	}
	for i := range l.Invoices {
		addDay(ord(l.Invoices[i].IssueDate))
	}
	for i := range l.Entries {
		addDay(ord(risk.DateOf(l.Entries[i].At, ev.loc)))
	}
	for i := range l.Attempts {
		addDay(ord(risk.DateOf(l.Attempts[i].At, ev.loc)))
	}
	slices.Sort(days)
	days = slices.Compact(days)
	var instants []time.Time
	for _, d := range days {
		instants = append(instants, dateAt(d).Start(ev.loc))
	}
	for _, cs := range state.Campaigns {
		if cs.Attempts == 0 {
			continue
		}
		k := slices.IndexFunc(s.Campaigns, func(c Campaign) bool { return c.ID == cs.Campaign })
		if k < 0 {
			continue // a campaign the schedule no longer has
		}
		cp := &s.Campaigns[k]
		if cs.Attempts < cp.MaxAttempts || !cs.Finished {
			// "More than the interval": the first instant allowed is one
			// nanosecond after it.
			if t := cs.LastAt.Add(cp.MinInterval + time.Nanosecond); t.After(now) {
				instants = append(instants, t)
			}
		}
	}
	slices.SortFunc(instants, time.Time.Compare)
	instants = slices.CompactFunc(instants, time.Time.Equal)
	for _, t := range instants {
		res, _, err := ev.step(state, t)
		if err != nil {
			return time.Time{}, err
		}
		if res.State.Stage != state.Stage || len(res.Actions) > 0 {
			return t, nil
		}
	}
	return time.Time{}, nil
}
