package dunning

import (
	"errors"
	"github.com/riskkit/riskkit/internal/enum"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/riskkit/riskkit/internal/decode"
	"github.com/riskkit/riskkit/risk"
)

// ActionKind is what an action asks the host to do. The first eight are the
// actions a stage can name; the others are emitted by evaluation itself.
type ActionKind string

// Stage actions.
const (
	// Remind sends the customer a reminder, using the stage action's
	// Template.
	Remind ActionKind = "reminder"
	// RetryPayment charges the customer's payment method again for the
	// unpaid balance in the action's currency.
	RetryPayment ActionKind = "retry_payment"
	// RestrictPurchases stops new purchases; running services go on.
	RestrictPurchases ActionKind = "restrict_purchases"
	// SuspendSubscriptions suspends the customer's subscriptions.
	SuspendSubscriptions ActionKind = "suspend_subscriptions"
	// DisableAccess disables the customer's access to the account.
	DisableAccess ActionKind = "disable_access"
	// Cancel cancels the subscriptions, immediately or at the end of the
	// paid term (the stage action's Cancel).
	Cancel ActionKind = "cancel"
	// SendToCollections hands the unpaid balance to collections.
	SendToCollections ActionKind = "send_to_collections"
	// WriteOff writes off the unpaid invoices listed in the action; the
	// host marks them written off in the ledger, which ends dunning for
	// them.
	WriteOff ActionKind = "write_off"
)

// Actions emitted by evaluation.
const (
	// LiftRestriction, ResumeSubscriptions and EnableAccess undo
	// RestrictPurchases, SuspendSubscriptions and DisableAccess when the
	// account moves to a stage without them.
	LiftRestriction     ActionKind = "lift_restriction"
	ResumeSubscriptions ActionKind = "resume_subscriptions"
	EnableAccess        ActionKind = "enable_access"
	// Reinstate tells the customer their account is current again.
	Reinstate ActionKind = "reinstate"
	// CreditBlockedTime credits a subscription the prorated price of the
	// days service was blocked, when the schedule credits blocked time.
	CreditBlockedTime ActionKind = "credit_blocked_time"
	// CampaignAttempt is one attempt of a collection campaign.
	CampaignAttempt ActionKind = "campaign_attempt"
	// CampaignFinished says a campaign made all its attempts and the
	// balance is still unpaid.
	CampaignFinished ActionKind = "campaign_finished"
)

var actionKinds = enum.New("dunning", "action kind", "", append(slices.Clone(stageKinds), LiftRestriction, ResumeSubscriptions, EnableAccess,
	Reinstate, CreditBlockedTime, CampaignAttempt, CampaignFinished)...)

// stageKinds are the kinds a stage may name, in the order Describe lists
// them.
var stageKinds = []ActionKind{Remind, RetryPayment, RestrictPurchases, SuspendSubscriptions, DisableAccess, Cancel, SendToCollections, WriteOff}

// String returns the kind's name.
func (k ActionKind) String() string { return actionKinds.Name(k) }

// MarshalText implements [encoding.TextMarshaler].
func (k ActionKind) MarshalText() ([]byte, error) { return actionKinds.Text(k) }

// UnmarshalText accepts the kinds' names.
func (k *ActionKind) UnmarshalText(b []byte) (err error) {
	*k, err = actionKinds.Parse(b)
	return err
}

// blocks reports whether an action blocks service while in force, which is
// the time a schedule that credits blocked time pays back.
func (k ActionKind) blocks() bool { return k == SuspendSubscriptions || k == DisableAccess }

// effect reports whether an action stays in force while the account is in
// its stage, and is lifted when it leaves, rather than happening once.
func (k ActionKind) effect() bool {
	return k == RestrictPurchases || k == SuspendSubscriptions || k == DisableAccess
}

// lift returns the action that undoes an effect.
func (k ActionKind) lift() ActionKind {
	switch k {
	case RestrictPurchases:
		return LiftRestriction
	case SuspendSubscriptions:
		return ResumeSubscriptions
	}
	return EnableAccess
}

// CancelWhen says when a Cancel action takes effect.
type CancelWhen string

// Cancellation times. There is no default: a cancel action must say which.
const (
	CancelImmediately CancelWhen = "immediately"
	CancelAtTermEnd   CancelWhen = "end_of_term"
)

var cancelWhens = enum.New("dunning", "cancel time", "", CancelImmediately, CancelAtTermEnd)

// String returns "immediately" or "end_of_term", or "" for the zero value,
// which a cancel action may not have.
func (c CancelWhen) String() string { return cancelWhens.Name(c) }

// MarshalText returns the [CancelWhen.String] form, and an error for a
// value that is not a cancellation time.
func (c CancelWhen) MarshalText() ([]byte, error) { return cancelWhens.Text(c) }

// UnmarshalText accepts "immediately", "end_of_term", and the empty
// string.
func (c *CancelWhen) UnmarshalText(b []byte) (err error) {
	*c, err = cancelWhens.Parse(b)
	return err
}

// Measure says which of a customer's unpaid money a balance threshold
// counts: every unpaid invoice, or only those past their due date.
type Measure string

// Measures. The zero value is the default of the field that holds it:
// [Overdue] for a [Campaign], [Unpaid] for a [Stage].
const (
	// Unpaid counts every unpaid invoice: open, issued, with a balance
	// above zero, whether or not it is due yet.
	Unpaid Measure = "unpaid"
	// Overdue counts only the unpaid invoices past their due date, and
	// past the schedule's grace period after it ([Schedule.GraceDays]):
	// an invoice due on the 6th is overdue from the 7th with no grace
	// period. Money not yet due is never asked for early.
	Overdue Measure = "overdue"
)

var measures = enum.New("dunning", "measure", "", Unpaid, Overdue)

// String returns the measure's name, or "" for the zero value.
func (m Measure) String() string { return measures.Name(m) }

// MarshalText implements [encoding.TextMarshaler].
func (m Measure) MarshalText() ([]byte, error) { return measures.Text(m) }

// UnmarshalText accepts "unpaid", "overdue", or the empty string for the
// zero value.
func (m *Measure) UnmarshalText(b []byte) (err error) {
	*m, err = measures.Parse(b)
	return err
}

// or returns m, or def when m is the zero value.
func (m Measure) or(def Measure) Measure {
	if m == "" {
		return def
	}
	return m
}

// Amounts are amounts in several currencies, at most one each, such as a
// stage's minimum balances. A document may write a single amount alone,
// "20.00 USD", for a list of one.
type Amounts []risk.Money

// UnmarshalText reads a single amount, such as "20.00 USD".
func (a *Amounts) UnmarshalText(b []byte) error {
	m, err := risk.ParseMoney(string(b))
	if err != nil {
		return err
	}
	*a = Amounts{m}
	return nil
}

// StageAction is one action a stage names.
type StageAction struct {
	Kind ActionKind `json:"kind"`
	// Template is the message template of a reminder.
	Template string `json:"template,omitzero"`
	// Cancel says when a cancel action takes effect.
	Cancel CancelWhen `json:"cancel,omitzero"`
}

// Stage is one step of a schedule. An account is in the stage when, for at
// least one currency, all of its conditions hold: at least AfterDays calendar
// days since the earliest unpaid invoice (counted from its issue or due date,
// as the schedule says), a balance of at least MinBalance in that currency
// and at least MinInvoices invoices, both of the stage's [Measure], and the
// When condition.
type Stage struct {
	// ID names the stage in states, transitions and idempotency keys:
	// lower-case letters, digits, '-' and '_'. "current" is reserved.
	ID string `json:"id"`
	// Name is the stage as a customer reads it, such as "Suspended".
	Name string `json:"name,omitzero"`
	// AfterDays is the least number of days since the earliest unpaid
	// invoice. The boundary day counts: with AfterDays 10, an invoice
	// issued on the 1st puts the account in the stage on the 11th.
	AfterDays int `json:"after_days"`
	// MinBalance is the least balance of the stage's Measure, one amount
	// per currency. Empty means any such balance. When it is set, a ledger
	// with an unpaid balance in a currency it does not list is an error at
	// evaluation, rather than a customer silently never dunned.
	MinBalance Amounts `json:"min_balance,omitempty"`
	// MinInvoices is the least number of invoices of the stage's Measure;
	// 0 means 1.
	MinInvoices int `json:"min_invoices,omitzero"`
	// Measure is what MinBalance and MinInvoices count; the zero value is
	// [Unpaid], every unpaid invoice. With [Overdue] a stage holds only
	// while enough money is past due, whatever else is unpaid.
	Measure Measure `json:"measure,omitzero"`
	// When is an optional CEL condition over the variables customer and
	// account (see [Schedule]).
	When string `json:"when,omitzero"`
	// Actions are what entering the stage does. Reminders, retries,
	// cancellation, collections and write-offs happen once on entry.
	// Restrictions (restrict_purchases, suspend_subscriptions,
	// disable_access) stay in force in this stage and every more severe
	// one, and are lifted when the account moves to a stage without them.
	Actions []StageAction `json:"actions,omitempty"`
}

// minInvoices returns MinInvoices with its default.
func (st *Stage) minInvoices() int { return max(st.MinInvoices, 1) }

// minBalance returns the minimum for a currency and whether one is set;
// a stage with no minimums has a minimum of one minor unit in every
// currency.
func (st *Stage) minBalance(code string) (int64, bool) {
	if len(st.MinBalance) == 0 {
		return 1, true
	}
	for _, m := range st.MinBalance {
		if m.Currency() == code {
			return max(m.Minor(), 1), true
		}
	}
	return 0, false
}

// has reports whether the stage names an action of kind k.
func (st *Stage) has(k ActionKind) bool {
	for _, a := range st.Actions {
		if a.Kind == k {
			return true
		}
	}
	return false
}

// effectKinds are the actions that stay in force, in the order they are
// applied; they are lifted in the opposite order.
var effectKinds = []ActionKind{RestrictPurchases, SuspendSubscriptions, DisableAccess}

// effectsAt returns the restrictions in force in stage i: those it names
// and those of every less severe stage, so that a customer who skips
// straight to a severe stage is restricted as one who went through them all.
func (s *Schedule) effectsAt(i int) []ActionKind {
	if i < 0 {
		return nil
	}
	var out []ActionKind
	for _, k := range effectKinds {
		for j := i; j < len(s.Stages); j++ {
			if s.Stages[j].has(k) {
				out = append(out, k)
				break
			}
		}
	}
	return out
}

// RetryPlan says when a failed payment is retried: on the given days after
// the first failed attempt, or Tries times spread evenly within WithinDays.
// Set one form or the other. The zero plan retries nothing.
type RetryPlan struct {
	// OffsetsDays are the days after the first failure, increasing.
	OffsetsDays []int `json:"offsets_days,omitempty"`
	// Tries retries within WithinDays days: try i of n is on day
	// ceil(i × WithinDays / n), so the last is on day WithinDays.
	Tries      int `json:"tries,omitzero"`
	WithinDays int `json:"within_days,omitzero"`
}

// Days returns the retry days after the first failure.
func (p RetryPlan) Days() []int {
	if len(p.OffsetsDays) > 0 || p.Tries <= 0 {
		return slices.Clone(p.OffsetsDays)
	}
	days := make([]int, p.Tries)
	for i := range days {
		days[i] = ((i+1)*p.WithinDays + p.Tries - 1) / p.Tries
	}
	return days
}

// Campaign is a collection campaign: while the overdue balance in a
// currency is at least its threshold, it makes up to MaxAttempts collection
// attempts for that balance, each more than MinInterval after the one
// before, then emits a finished action once. Paying the currency's overdue
// balance in full resets the count.
//
// Campaigns follow Lago's dunning campaigns: attempts and thresholds
// consider overdue balances only, so an invoice on net-2 terms issued on
// the 4th is not asked for before it falls due on the 6th, nor, by default,
// before the 7th, the first day it is past due. A campaign whose Measure is
// [Unpaid] counts every unpaid invoice instead.
type Campaign struct {
	// ID names the campaign in actions and idempotency keys.
	ID   string `json:"id"`
	Name string `json:"name,omitzero"`
	// Thresholds are the least balance of the campaign's Measure for an
	// attempt, one per currency; the campaign runs only in the currencies
	// listed.
	Thresholds Amounts `json:"thresholds"`
	// Measure is what the thresholds count and the attempts ask for; the
	// zero value is [Overdue].
	Measure     Measure `json:"measure,omitzero"`
	MaxAttempts int     `json:"max_attempts"`
	// MinInterval is the time between attempts, which must be exceeded:
	// with 7 days, an attempt at noon allows the next one just after noon
	// seven days later. Written "7d" or as a Go duration such as "36h" in
	// documents; a day there is 24 hours.
	MinInterval time.Duration `json:"min_interval"`
	// FromStage, when set, runs the campaign only while the account is in
	// that stage or a more severe one.
	FromStage string `json:"from_stage,omitzero"`
	// Template is the message template of the attempts, if they send one.
	Template string `json:"template,omitzero"`
}

// threshold returns the campaign's threshold in a currency.
func (c *Campaign) threshold(code string) (int64, bool) {
	for _, m := range c.Thresholds {
		if m.Currency() == code {
			return max(m.Minor(), 1), true
		}
	}
	return 0, false
}

// Schedule is a dunning schedule: the stages an unpaid account goes through,
// from most to least severe, and how payments are retried and collection
// campaigns run. Read one with [ParseSchedule] or build one in Go and check
// it with [Schedule.Validate]; [NewDunner] compiles it to evaluate.
//
// A stage's When condition is CEL, compiled by the risk policy engine, over
// two variables:
//
//	customer  riskkit.Customer: id, kind, country, created_at,
//	          personal_contact, credit_limit, outstanding_balance,
//	          credit (status, band), history (invoices_paid,
//	          invoices_paid_late, amount_paid, chargebacks)
//	account   riskkit.DunningAccount, for the currency being evaluated:
//	          currency, unpaid (Money), unpaid_invoices, overdue (Money,
//	          the [Overdue] measure), overdue_invoices, disputed (Money),
//	          credit (Money), failed_attempts (in the current run of
//	          failed payment attempts), hard_declined
//
// Conditions read only the ledger, never the day count, the time or the
// previous stage. Time stays in AfterDays: that is what lets evaluation
// compute the exact next instant at which the result can change, and what
// makes the stage a function of the facts, reached the same whether the
// host evaluates every day or once.
//
// A Schedule is data: it is read by [ParseSchedule] or built in Go, and
// checked by [Schedule.Validate]. [NewDunner] compiles it, with the
// customer's location, into the [Dunner] that evaluates it.
type Schedule struct {
	ID          string `json:"id"`
	Version     string `json:"version,omitzero"`
	Name        string `json:"name,omitzero"`
	Description string `json:"description,omitzero"`
	// AgeFrom is the date of the earliest unpaid invoice that stage days
	// count from; the zero value is the due date.
	AgeFrom AgeFrom `json:"age_from,omitzero"`
	// GraceDays is the grace period of the [Overdue] measure: an unpaid
	// invoice is overdue from GraceDays days after the day after its due
	// date. With 0 an invoice due on the 6th is overdue on the 7th; with 3,
	// on the 10th. 0 to 3660.
	GraceDays int `json:"grace_days,omitzero"`
	// CreditBlockedTime says whether the account is credited, when it
	// returns to current, the prorated price of its subscriptions for the
	// days service was suspended or disabled.
	CreditBlockedTime bool `json:"credit_blocked_time,omitzero"`
	// Stages are listed from most to least severe; the first whose
	// condition holds is the account's stage.
	Stages    []Stage    `json:"stages"`
	Retries   RetryPlan  `json:"retries,omitzero"`
	Campaigns []Campaign `json:"campaigns,omitempty"`
}

// maxInterval is the longest interval between campaign attempts, ten
// years, as for the schedule's day counts.
const maxInterval = 3660 * 24 * time.Hour

var idRE = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]*$`)

// Validate checks a schedule built in Go, as [ParseSchedule] checks one it
// reads, and compiles its conditions to check them too. It returns every
// problem at once in a *[risk.DocumentError], with field paths such as
// "stages[1].after_days". [NewDunner] validates the schedule it is given,
// so calling Validate first is needed only to check a schedule alone.
func (s *Schedule) Validate() error {
	if s == nil {
		return errNilSchedule
	}
	_, err := s.check(nil)
	return err
}

var errNilSchedule = errors.New("dunning: nil *Schedule")

// check validates s and compiles its conditions; doc, when not nil,
// locates the problems in the source document.
func (s *Schedule) check(doc *decode.Document) (*risk.Engine[conditionInput], error) {
	is := issues{decode.Collector{Doc: doc}}
	s.validate(&is)
	var eng *risk.Engine[conditionInput]
	if len(is.Issues) == 0 {
		eng = s.compile(&is)
	}
	if err := is.err(scheduleSubject(s.ID)); err != nil {
		return nil, err
	}
	return eng, nil
}

// clone returns a copy of s that shares nothing the caller could change.
func (s *Schedule) clone() Schedule {
	c := *s
	c.Stages = slices.Clone(c.Stages)
	for i := range c.Stages {
		c.Stages[i].MinBalance = slices.Clone(c.Stages[i].MinBalance)
		c.Stages[i].Actions = slices.Clone(c.Stages[i].Actions)
	}
	c.Campaigns = slices.Clone(c.Campaigns)
	for i := range c.Campaigns {
		c.Campaigns[i].Thresholds = slices.Clone(c.Campaigns[i].Thresholds)
	}
	c.Retries.OffsetsDays = slices.Clone(c.Retries.OffsetsDays)
	return c
}

func (s *Schedule) validate(is *issues) {
	if s.ID == "" {
		is.add("id", "schedule id is required")
	}
	switch s.AgeFrom {
	case FromDueDate, FromIssueDate:
	default:
		is.add("age_from", "age_from %q is not due_date or issue_date", string(s.AgeFrom))
	}
	if s.GraceDays < 0 || s.GraceDays > 3660 {
		is.add("grace_days", "grace_days %d is outside 0 to 3660", s.GraceDays)
	}
	if len(s.Stages) == 0 {
		is.add("stages", "a schedule needs at least one stage")
	}
	seen := map[string]int{}
	for i := range s.Stages {
		st := &s.Stages[i]
		p := "stages[" + strconv.Itoa(i) + "]"
		switch {
		case st.ID == "":
			is.add(p+".id", "stage id is required")
		case st.ID == "current":
			is.add(p+".id", `"current" is the state of an account in no stage; choose another id`)
		case !idRE.MatchString(st.ID):
			is.add(p+".id", "stage id %q: use lower-case letters, digits, '-' and '_'", st.ID)
		default:
			if j, dup := seen[st.ID]; dup {
				is.add(p+".id", "stage %q is also stages[%d]", st.ID, j)
			}
			seen[st.ID] = i
		}
		if st.AfterDays < 0 || st.AfterDays > 3660 {
			is.add(p+".after_days", "after_days %d is outside 0 to 3660", st.AfterDays)
		}
		if st.MinInvoices < 0 {
			is.add(p+".min_invoices", "min_invoices %d is negative", st.MinInvoices)
		}
		checkAmounts(is, p+".min_balance", st.MinBalance)
		checkMeasure(is, p+".measure", st.Measure)
		kinds := map[ActionKind]bool{}
		for k, a := range st.Actions {
			ap := p + ".actions[" + strconv.Itoa(k) + "]"
			if !slices.Contains(stageKinds, a.Kind) {
				is.add(ap, "unknown action %q (want one of %v)", string(a.Kind), stageKinds)
				continue
			}
			if kinds[a.Kind] {
				is.add(ap, "stage names %s twice", a.Kind)
			}
			kinds[a.Kind] = true
			if (a.Kind == Remind) != (a.Template != "") {
				if a.Kind == Remind {
					is.add(ap, "a reminder needs a template id")
				} else {
					is.add(ap, "only a reminder has a template")
				}
			}
			switch {
			case a.Kind == Cancel && a.Cancel != CancelImmediately && a.Cancel != CancelAtTermEnd:
				is.add(ap, "cancel needs immediately or end_of_term (got %q)", string(a.Cancel))
			case a.Kind != Cancel && a.Cancel != "":
				is.add(ap, "only cancel says when")
			}
		}
	}
	for j := range s.Stages {
		for i := range j {
			if s.Stages[i].dominates(&s.Stages[j]) {
				is.add("stages["+strconv.Itoa(j)+"]",
					"stage %q can never be reached: stage %q, listed before it as more severe, holds whenever it does",
					s.Stages[j].ID, s.Stages[i].ID)
				break
			}
		}
	}

	r := s.Retries
	switch {
	case len(r.OffsetsDays) > 0 && (r.Tries != 0 || r.WithinDays != 0):
		is.add("retries", "set offsets_days, or tries and within_days, not both")
	case len(r.OffsetsDays) > 0:
		for k, d := range r.OffsetsDays {
			if d < 1 || d > 3660 {
				is.add("retries.offsets_days["+strconv.Itoa(k)+"]", "retry day %d is outside 1 to 3660", d)
			} else if k > 0 && d <= r.OffsetsDays[k-1] {
				is.add("retries.offsets_days["+strconv.Itoa(k)+"]", "retry days must increase (%d after %d)", d, r.OffsetsDays[k-1])
			}
		}
	case r.Tries != 0 || r.WithinDays != 0:
		if r.Tries < 1 || r.Tries > 100 {
			is.add("retries.tries", "tries %d is outside 1 to 100", r.Tries)
		}
		if r.WithinDays < r.Tries || r.WithinDays > 3660 {
			is.add("retries.within_days", "within_days %d must be at least tries (%d), so that no two tries fall on one day, and at most 3660", r.WithinDays, r.Tries)
		}
	}

	cids := map[string]int{}
	for i := range s.Campaigns {
		c := &s.Campaigns[i]
		p := "campaigns[" + strconv.Itoa(i) + "]"
		switch {
		case c.ID == "":
			is.add(p+".id", "campaign id is required")
		case !idRE.MatchString(c.ID):
			is.add(p+".id", "campaign id %q: use lower-case letters, digits, '-' and '_'", c.ID)
		default:
			if j, dup := cids[c.ID]; dup {
				is.add(p+".id", "campaign %q is also campaigns[%d]", c.ID, j)
			}
			cids[c.ID] = i
		}
		if len(c.Thresholds) == 0 {
			is.add(p+".thresholds", "a campaign needs a threshold in at least one currency")
		}
		checkAmounts(is, p+".thresholds", c.Thresholds)
		checkMeasure(is, p+".measure", c.Measure)
		if c.MaxAttempts < 1 || c.MaxAttempts > 1000 {
			is.add(p+".max_attempts", "max_attempts %d is outside 1 to 1000", c.MaxAttempts)
		}
		if c.MinInterval <= 0 || c.MinInterval > maxInterval {
			is.add(p+".min_interval", "min_interval must be above zero and at most 3660 days, as in 7d")
		}
		if c.FromStage != "" {
			if _, ok := seen[c.FromStage]; !ok {
				is.add(p+".from_stage", "no stage %q in the schedule", c.FromStage)
			}
		}
	}
}

// checkMeasure checks a measure set in Go.
func checkMeasure(is *issues, path string, m Measure) {
	switch m {
	case "", Unpaid, Overdue:
	default:
		is.add(path, "measure %q is not unpaid or overdue", string(m))
	}
}

// checkAmounts checks a list of per-currency amounts.
func checkAmounts(is *issues, path string, ms []risk.Money) {
	curs := map[string]bool{}
	for k, m := range ms {
		mp := path + "[" + strconv.Itoa(k) + "]"
		switch {
		case m.IsZero():
			is.add(mp, "amount is required, as in \"50.00 USD\"")
		case m.Sign() <= 0:
			is.add(mp, "amount %s must be above zero", m)
		case curs[m.Currency()]:
			is.add(mp, "%s is listed twice", m.Currency())
		}
		curs[m.Currency()] = true
	}
}

// dominates reports whether stage st holds whenever o does, so that o,
// listed after st, can never be reached.
func (st *Stage) dominates(o *Stage) bool {
	if st.When != "" || st.AfterDays > o.AfterDays || st.minInvoices() > o.minInvoices() {
		return false
	}
	// The overdue balance and count never exceed the unpaid ones, so a
	// stage on the unpaid measure holds whenever the same minimums hold on
	// the overdue one, but not the other way round.
	if st.Measure.or(Unpaid) == Overdue && o.Measure.or(Unpaid) == Unpaid {
		return false
	}
	if len(st.MinBalance) == 0 {
		return true
	}
	if len(o.MinBalance) == 0 {
		return false
	}
	for _, m := range o.MinBalance {
		t, ok := st.minBalance(m.Currency())
		if !ok || t > max(m.Minor(), 1) {
			return false
		}
	}
	return true
}

// compile compiles the stages' conditions with the risk policy engine. It
// returns nil when no stage has a condition.
func (s *Schedule) compile(is *issues) *risk.Engine[conditionInput] {
	p := &risk.Policy{ID: s.ID, Version: s.Version, Outcomes: []risk.Outcome{"holds", "does_not_hold"}}
	index := map[string]int{}
	for i, st := range s.Stages {
		if strings.TrimSpace(st.When) == "" {
			continue
		}
		index[st.ID] = i
		p.Rules = append(p.Rules, risk.Rule{ID: st.ID, When: st.When, Action: "holds", Reason: "STAGE_CONDITION"})
	}
	if len(p.Rules) == 0 {
		return nil
	}
	eng, err := risk.CompilePolicy(p, conditionSchema())
	if err == nil {
		return eng
	}
	var cerr *risk.DocumentError
	if !errors.As(err, &cerr) {
		is.add("stages", "%v", err)
		return nil
	}
	for _, iss := range cerr.Issues {
		path := "stages"
		if i, ok := index[iss.RuleID]; ok {
			path = "stages[" + strconv.Itoa(i) + "].when"
		}
		is.add(path, "%s", iss.Msg)
	}
	return nil
}

// Stage returns the stage with the given id.
func (s *Schedule) Stage(id string) (*Stage, bool) {
	for i := range s.Stages {
		if s.Stages[i].ID == id {
			return &s.Stages[i], true
		}
	}
	return nil, false
}

// conditionInput is what a stage condition reads: the variables customer
// and account.
type conditionInput struct {
	Customer *risk.Customer
	Account  accountFacts
}

// accountFacts are the facts of one currency of an account.
type accountFacts struct {
	Currency        string
	Unpaid          risk.Money
	UnpaidInvoices  int64
	Overdue         risk.Money
	OverdueInvoices int64
	Disputed        risk.Money
	Credit          risk.Money
	FailedAttempts  int64
	HardDeclined    bool
}

// conditionSchema describes conditionInput to the policy engine.
func conditionSchema() *risk.Object[conditionInput] {
	credit := risk.NewObject[risk.CreditCheck]("riskkit.CreditCheck").
		String("status", func(c *risk.CreditCheck) string { return c.Status.String() }).
		String("band", func(c *risk.CreditCheck) string { return c.Band })
	history := risk.NewObject[risk.PaymentHistory]("riskkit.PaymentHistory").
		Int("invoices_paid", func(h *risk.PaymentHistory) int64 { return h.InvoicesPaid }).
		Int("invoices_paid_late", func(h *risk.PaymentHistory) int64 { return h.InvoicesPaidLate }).
		Money("amount_paid", func(h *risk.PaymentHistory) risk.Money { return h.AmountPaid }).
		Int("chargebacks", func(h *risk.PaymentHistory) int64 { return h.Chargebacks })
	customer := risk.NewObject[risk.Customer]("riskkit.Customer").
		String("id", func(c *risk.Customer) string { return c.ID }).
		String("kind", func(c *risk.Customer) string { return string(c.Kind) }).
		String("country", func(c *risk.Customer) string { return c.Country }).
		Time("created_at", func(c *risk.Customer) time.Time { return c.CreatedAt }).
		Bool("personal_contact", func(c *risk.Customer) bool { return c.PersonalContact }).
		Money("credit_limit", func(c *risk.Customer) risk.Money { return c.CreditLimit }).
		Money("outstanding_balance", func(c *risk.Customer) risk.Money { return c.OutstandingBalance })
	risk.ObjectField(customer, "credit", credit, func(c *risk.Customer) *risk.CreditCheck { return &c.Credit })
	risk.ObjectField(customer, "history", history, func(c *risk.Customer) *risk.PaymentHistory { return &c.History })
	account := risk.NewObject[accountFacts]("riskkit.DunningAccount").
		String("currency", func(a *accountFacts) string { return a.Currency }).
		Money("unpaid", func(a *accountFacts) risk.Money { return a.Unpaid }).
		Int("unpaid_invoices", func(a *accountFacts) int64 { return a.UnpaidInvoices }).
		Money("overdue", func(a *accountFacts) risk.Money { return a.Overdue }).
		Int("overdue_invoices", func(a *accountFacts) int64 { return a.OverdueInvoices }).
		Money("disputed", func(a *accountFacts) risk.Money { return a.Disputed }).
		Money("credit", func(a *accountFacts) risk.Money { return a.Credit }).
		Int("failed_attempts", func(a *accountFacts) int64 { return a.FailedAttempts }).
		Bool("hard_declined", func(a *accountFacts) bool { return a.HardDeclined })
	root := risk.NewObject[conditionInput]("riskkit.DunningInput")
	risk.ObjectField(root, "customer", customer, func(in *conditionInput) *risk.Customer { return in.Customer })
	risk.ObjectField(root, "account", account, func(in *conditionInput) *accountFacts { return &in.Account })
	return root
}
