// Package dunning keeps a customer's receivables, ages them, and walks an
// unpaid account through a dunning schedule, one pure evaluation at a time.
//
// The host keeps the facts, a [Ledger] of invoices, payments, credits,
// refunds, chargebacks, payment attempts and controls, and the [State] the
// last evaluation returned. It evaluates whenever the ledger changes and at
// the instant the last result named, carries out the actions, and stores
// the new state. The schedule is data; a [Dunner] is the schedule
// compiled, once, for the customers of one location:
//
//	schedule, err := dunning.ParseSchedule(yamlBytes)     // once, at start-up
//	dunner, err := dunning.NewDunner(schedule, location) // once per location
//	...
//	res, err := dunner.Evaluate(state, ledger, now)
//	for _, a := range res.Actions {
//		outbox.Put(a.Key, a) // the key makes a retried delivery harmless
//	}
//	state = res.State     // store it with the customer
//	wakeAt(res.Next)      // nothing can change before then but new facts
//
// # Ledgers and balances
//
// A payment or credit pays the invoice it names, or the oldest open
// invoices first; what is left over is credit that pays the next ones. A
// chargeback takes its payment's unapplied part first and then reopens what
// the payment had paid, newest first; a reversal pays it again. Every
// amount is a [risk.Money] in exact minor units, and every invoice's balance
// is its amount less what was applied to it. [Ledger.Balances] shows the
// result on any day; [Ledger.Validate] and [ParseLedger] report every
// problem with a ledger at once, with field paths and, for JSON, lines and
// columns.
//
// An invoice is unpaid when it is open (not a draft, void, written off or
// disputed), its balance is above zero and it was issued on or before the
// evaluation day. An unpaid invoice is overdue from the day after its due
// date, or [Schedule.GraceDays] days later: due on the 6th, it is overdue
// on the 7th. Entries count from the day they fall on in the customer's
// calendar ([risk.DateOf] in the location the caller passes); later ones are
// left out. Issue and due dates are [risk.Date] values, the calendar day
// type that budgets use too.
//
// # Aging
//
// [Age] and the [Aging] builder, which reuses its scratch space from one
// ledger to the next, report unpaid receivables
// by age bucket and currency for one customer or many, aged from the due
// date or the issue date ([AgingConfig]), with totals.
// [DaysSalesOutstanding] relates receivables to the sales of a period.
//
// # Schedules
//
// A [Schedule] lists its stages from most to least severe. A stage holds
// when, for some currency, the earliest unpaid invoice is at least
// AfterDays old (issued on the 1st with AfterDays 10: in the stage on the
// 11th), the unpaid balance and count reach the stage's minimums, and its
// optional CEL condition, compiled by the risk policy engine, holds. The
// first stage that holds is the account's stage; when none does it is
// current. [ParseSchedule] reads YAML or JSON and reports problems by line
// and column; [Schedule.Validate] checks one built in Go, and [NewDunner]
// checks the schedule it compiles. Every problem of a document comes back
// at once in a *[risk.DocumentError]. [Schedule.Describe]
// renders the schedule as the collections policy a customer reads at
// onboarding.
//
// # Evaluation
//
// [Dunner.Evaluate] is a pure function of the schedule, the ledger, the
// previous state and now. Entering a stage does its actions once (each with
// an idempotency key), staying does nothing, and returning to current lifts
// the restrictions and, when the schedule says so, credits the prorated
// price of the days service was blocked. The stage depends on the ledger
// and the day only, so daily and one-shot evaluation agree, and
// [Result.Next] is the exact next instant at which time alone could change
// the result.
//
// # Bounded state
//
// A [State] keeps only what evaluation needs and an audit window of the
// last [AuditWindow] transitions, so a customer dunned for years keeps a
// state of a few kilobytes. Blocked time not yet credited is kept as its
// exact share of a month, a year and a day ([BlockedTime]), not as a list
// of spans, so credits stay exact. A transition pushed out of the window
// is returned once in [Result.Archived]; a host that stores the result's
// state archives those transitions with it and has the whole history.
//
// # Controls, retries and campaigns
//
// A [Control] pauses dunning, records a promise to pay, or exempts the
// account. A [RetryPlan] retries failed payments on set days, never after a
// hard decline, starting over after a success. A [Campaign] makes a bounded
// number of collection attempts per currency, more than an interval apart.
//
// # Overdue balances
//
// Campaigns follow Lago's dunning campaigns: their thresholds and attempts
// count the overdue balance only ([Overdue], the default [Measure] of a
// [Campaign]), so money not yet due is never asked for early; an invoice on
// net-2 terms issued on the 4th triggers no attempt before it falls due on
// the 6th, and the first on the 7th. A stage's MinBalance and MinInvoices
// count every unpaid invoice unless the stage sets [Overdue] too, and stage
// conditions read both balances. Stage days still count from the earliest
// unpaid invoice.
//
// # Concurrency
//
// Schedules are immutable once made and safe for concurrent use. Ledgers
// and states are plain values that this package only reads. An [Aging] is
// not safe for concurrent use; use one per goroutine.
package dunning
