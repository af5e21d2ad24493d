package dunning

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"

	"github.com/riskkit/riskkit/risk"
)

// Current is the stage of an account in no stage of its schedule: nothing
// is unpaid long enough, or an exemption is in force. In a [State] it is
// written as the empty string; transitions spell it out.
const Current = "current"

// State is what dunning remembers about one customer between evaluations:
// the stage, the restrictions in force, the blocked time not yet credited,
// the progress of payment retries and collection campaigns, and the latest
// transitions. It is plain data that round-trips through JSON; the host
// stores it with the customer and passes it to the next
// [Dunner.Evaluate]. The zero State is a current account that was never
// evaluated.
//
// A State stays small however long the customer is dunned: it keeps what
// evaluation needs (blocked time as three exact sums, one accrual per
// subscription of the ledger, one entry per campaign and currency, one per
// currency with failed payments) and an audit window of the last
// [AuditWindow] transitions. Older transitions leave the state in the
// [Result.Archived] of the evaluation that pushes them out, for the host to
// archive; a customer who always pays late keeps a state of about 3 KB.
type State struct {
	// Stage is the id of the account's stage, or "" when it is current.
	Stage string `json:"stage,omitzero"`
	// Since is when the account entered Stage.
	Since time.Time `json:"since,omitzero"`
	// EvaluatedAt is the instant of the last evaluation. Evaluating at an
	// earlier instant is an error.
	EvaluatedAt time.Time `json:"evaluated_at,omitzero"`
	// Seq counts the transitions so far; idempotency keys of stage
	// actions carry it, so that re-entering a stage acts again.
	Seq int `json:"seq,omitzero"`
	// Effects are the restrictions in force: restrict_purchases,
	// suspend_subscriptions and disable_access.
	Effects []ActionKind `json:"effects,omitempty"`
	// BlockedFrom is the day service was suspended or disabled, while it
	// is.
	BlockedFrom risk.Date `json:"blocked_from,omitzero"`
	// Uncredited is the time service was blocked that has not been
	// credited yet, credited when the account returns to current.
	Uncredited BlockedTime `json:"uncredited,omitzero"`
	// Credits keeps, per subscription, the blocked time credited so far,
	// so that rounding never loses or invents a minor unit.
	Credits []CreditAccrual `json:"credits,omitempty"`
	// Retries is the progress of payment retries, per currency with
	// failed attempts.
	Retries []RetryState `json:"retries,omitempty"`
	// Campaigns is the progress of collection campaigns, per campaign and
	// currency.
	Campaigns []CampaignState `json:"campaigns,omitempty"`
	// Transitions are the latest transitions, oldest first, at most
	// [AuditWindow] of them; earlier ones were handed to the host in
	// [Result.Archived].
	Transitions []Transition `json:"transitions,omitempty"`
}

// StageName returns the stage id, or "current".
func (s *State) StageName() string {
	if s.Stage == "" {
		return Current
	}
	return s.Stage
}

// AuditWindow is the number of latest transitions a [State] keeps. Older
// ones are returned once, in [Result.Archived], and never kept again.
const AuditWindow = 16

// BlockedTime is blocked service time not yet credited. It is kept as the
// exact share of each kind of billing period that the blocked days add up
// to, which is all a prorated credit needs, so it takes the same room after
// one blocked day or a thousand, and no fraction is lost. The zero value is
// no blocked time.
type BlockedTime struct {
	// Days counts the blocked days: the share of a daily price, and in
	// sevenths the share of a weekly one.
	Days int64 `json:"days,omitzero"`
	// MonthUnits sums each day's share of its month, in units of
	// 1/377580 of a month (377580 is the least common multiple of 28, 29,
	// 30 and 31, so every day's share is whole).
	MonthUnits int64 `json:"month_units,omitzero"`
	// YearUnits sums each day's share of its year, in units of 1/133590
	// of a year (the least common multiple of 365 and 366).
	YearUnits int64 `json:"year_units,omitzero"`
}

// IsZero reports whether b holds no blocked time.
func (b BlockedTime) IsZero() bool { return b == BlockedTime{} }

// add adds the days from from up to, not including, until.
func (b *BlockedTime) add(from, until risk.Date) {
	for d := from; d.Before(until); d = d.AddDays(1) {
		b.Days++
		m, _ := dayUnits(Monthly, d)
		y, _ := dayUnits(Yearly, d)
		b.MonthUnits += m
		b.YearUnits += y
	}
}

// legacySpans bounds the blocked time read from the list of spans that
// states held before BlockedTime: it was never more than a few spans.
const (
	legacySpans    = 1000
	legacySpanDays = 3660
)

// UnmarshalJSON reads a BlockedTime, or the list of spans of blocked days
// ({"from": day, "until": day}, until excluded) that states stored before,
// which it adds up, so that a stored state keeps its uncredited days.
func (b *BlockedTime) UnmarshalJSON(data []byte) error {
	if t := bytes.TrimLeft(data, " \t\r\n"); len(t) == 0 || t[0] != '[' {
		type plain BlockedTime
		return json.Unmarshal(data, (*plain)(b))
	}
	var spans []struct {
		From  risk.Date `json:"from"`
		Until risk.Date `json:"until"`
	}
	if err := json.Unmarshal(data, &spans); err != nil {
		return err
	}
	if len(spans) > legacySpans {
		return fmt.Errorf("dunning: %d spans of blocked time; at most %d", len(spans), legacySpans)
	}
	*b = BlockedTime{}
	for _, sp := range spans {
		if n := sp.Until.DaysSince(sp.From); sp.From.IsZero() || n < 0 || n > legacySpanDays {
			return fmt.Errorf("dunning: blocked span %s to %s is not 0 to %d days", sp.From, sp.Until, legacySpanDays)
		}
		b.add(sp.From, sp.Until)
	}
	return nil
}

// units returns the blocked time as units of 1/den of a billing period p.
func (b BlockedTime) units(p BillingPeriod) (units, den int64) {
	switch p {
	case Yearly:
		return b.YearUnits, yearUnits
	case Weekly:
		return b.Days, 7
	case Daily:
		return b.Days, 1
	}
	return b.MonthUnits, monthUnits
}

// CreditAccrual is the blocked time credited to one subscription: the
// blocked days in units of 1/Denominator of a billing period, and the
// amount credited for them. The amount is always the units' exact value
// rounded half to even, so each credit is the difference of two such
// roundings and no fraction is lost between credits.
type CreditAccrual struct {
	Subscription string     `json:"subscription"`
	Units        int64      `json:"units"`
	Denominator  int64      `json:"denominator"`
	Credited     risk.Money `json:"credited"`
}

// RetryState is the progress of payment retries in one currency.
type RetryState struct {
	Currency string `json:"currency"`
	// Episode is the id of the first failed attempt since the last
	// success; a new failure after a success starts a new episode.
	Episode string `json:"episode"`
	// Done is how many retries of the plan are behind: emitted, or passed
	// while nothing was unpaid.
	Done int `json:"done"`
}

// CampaignState is the progress of one collection campaign in one currency.
type CampaignState struct {
	Campaign string `json:"campaign"`
	Currency string `json:"currency"`
	// Run counts the times the campaign started in this currency; paying
	// the balance ends a run.
	Run int `json:"run"`
	// Attempts made in this run, and when the last was.
	Attempts int       `json:"attempts"`
	LastAt   time.Time `json:"last_at,omitzero"`
	// Finished reports whether the finished action was emitted this run.
	Finished bool `json:"finished,omitzero"`
}

// Transition is one change of stage, for the audit trail.
type Transition struct {
	Seq  int       `json:"seq"`
	From string    `json:"from"`
	To   string    `json:"to"`
	At   time.Time `json:"at"`
	// Why says what caused it, such as "USD: 31 days since invoice
	// INV-7 was due on 2026-01-15; 250.00 USD unpaid in 2 invoices".
	Why string `json:"why"`
}

// Action is something the host should do now. Hosts carry out actions
// through a queue or outbox keyed by Key: an evaluation that is repeated
// from the same state, because the host crashed before saving the new one,
// returns the same keys, so nothing is sent twice.
type Action struct {
	// Key is the idempotency key; no two actions ever share one.
	Key  string     `json:"key"`
	Kind ActionKind `json:"kind"`
	// Stage is the stage whose entry caused the action, if any.
	Stage string `json:"stage,omitzero"`
	// Template is the message template of a reminder or campaign attempt.
	Template string `json:"template,omitzero"`
	// Cancel says when a cancel action takes effect.
	Cancel CancelWhen `json:"cancel,omitzero"`
	// Currency and Amount are what the action is about: the unpaid balance
	// of a retry, write-off or campaign attempt, the amount of a credit.
	Currency string     `json:"currency,omitzero"`
	Amount   risk.Money `json:"amount,omitzero"`
	// Invoices are the invoices a write-off covers.
	Invoices []string `json:"invoices,omitempty"`
	// Subscription is the subscription a credit is for.
	Subscription string `json:"subscription,omitzero"`
	// Campaign and Attempt identify a campaign action.
	Campaign string `json:"campaign,omitzero"`
	Attempt  int    `json:"attempt,omitzero"`
}

// Status is one currency of an account as evaluation saw it.
type Status struct {
	Currency string `json:"currency"`
	// Unpaid and UnpaidInvoices count the unpaid invoices that stage
	// conditions see (while dunning is paused, those issued before the
	// pause).
	Unpaid         risk.Money `json:"unpaid"`
	UnpaidInvoices int        `json:"unpaid_invoices"`
	// Overdue and OverdueInvoices count those of them past their due date
	// and the schedule's grace period: the [Overdue] measure.
	Overdue         risk.Money `json:"overdue"`
	OverdueInvoices int        `json:"overdue_invoices"`
	// Earliest is the earliest unpaid invoice and Days the days since its
	// issue or due date (as the schedule ages), on the day the stage
	// clock reads.
	Earliest     string     `json:"earliest,omitzero"`
	EarliestDate risk.Date  `json:"earliest_date,omitzero"`
	Days         int        `json:"days"`
	Disputed     risk.Money `json:"disputed"`
	Credit       risk.Money `json:"credit"`
}

// Result is the outcome of one evaluation.
type Result struct {
	// State is the new state, to store in place of the previous one.
	State State `json:"state"`
	// Actions are the actions due now, in the order to perform them.
	Actions []Action `json:"actions"`
	// Next is the first instant after now at which time alone would change
	// the result: a stage boundary, a future-dated entry or invoice, a
	// control starting or ending, a retry or campaign attempt coming due.
	// A host that evaluates then, and whenever the ledger changes, misses
	// nothing. The zero time means only new facts can change the result.
	Next time.Time `json:"next,omitzero"`
	// Hold describes the control in force, such as
	// "pause until 2026-04-01: awaiting purchase order"; empty when none.
	Hold string `json:"hold,omitzero"`
	// Currencies are the facts per currency, by code.
	Currencies []Status `json:"currencies"`
	// Problems are stage conditions that failed to evaluate; such a
	// condition counts as not holding.
	Problems []string `json:"problems,omitempty"`
	// Archived are the transitions this evaluation moved out of the
	// state's audit window, oldest first, for the host to archive with the
	// customer's history. Each transition is archived exactly once, by the
	// evaluation whose state the host stores; none is lost between
	// Archived and State.Transitions.
	Archived []Transition `json:"archived,omitempty"`
}
