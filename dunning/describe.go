package dunning

import (
	"fmt"
	"github.com/riskkit/riskkit/internal/text"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/riskkit/riskkit/risk"
)

// Describe renders the schedule as the collections policy a customer reads
// at onboarding, in plain English: each stage from the first to the last,
// when it starts, what happens, and what it does to the customer's access;
// then how failed payments are retried, how collection campaigns run, and
// how the account gets back to current. The text is plain, one paragraph or
// list item per line, so that a host can show it as is or as Markdown.
func (s *Schedule) Describe() string {
	var b strings.Builder
	title := s.Name
	if title == "" {
		title = s.ID
	}
	b.WriteString("Collections policy: " + title)
	if s.Version != "" {
		b.WriteString(" (version " + s.Version + ")")
	}
	b.WriteString("\n\n")
	if s.Description != "" {
		b.WriteString(strings.TrimSpace(s.Description) + "\n\n")
	}
	from := "the due date of your oldest unpaid invoice"
	if s.AgeFrom == FromIssueDate {
		from = "the date of your oldest unpaid invoice"
	}
	fmt.Fprintf(&b, "If an invoice is not paid, these steps follow. Days are calendar days in your time zone, counted from %s.\n\n", from)
	// Stages are listed most severe first; a customer reads them in the
	// order they happen.
	for i := len(s.Stages) - 1; i >= 0; i-- {
		st := &s.Stages[i]
		fmt.Fprintf(&b, "- %s: %s. %s\n", s.stageStart(st), stageTitle(st), stageEffects(st, s.effectsAt(i)))
	}
	if days := s.Retries.Days(); len(days) > 0 {
		fmt.Fprintf(&b, "\nFailed payments: we retry a failed payment %s %s after it first fails, unless your bank declines it outright. A successful payment ends the retries.\n",
			listText(intStrings(days), "and"), text.Noun(days[len(days)-1], "day"))
	}
	for i := range s.Campaigns {
		c := &s.Campaigns[i]
		name := c.Name
		if name == "" {
			name = "Collections"
		}
		fmt.Fprintf(&b, "\n%s: when at least %s %s", name, listText(moneyStrings(c.Thresholds), "or"), s.measureText(c.Measure.or(Overdue)))
		if c.FromStage != "" {
			if st, ok := s.Stage(c.FromStage); ok {
				fmt.Fprintf(&b, " and your account has reached the step %q", stageTitle(st))
			}
		}
		fmt.Fprintf(&b, ", we make up to %s to collect it, more than %s apart.\n", text.Plural(c.MaxAttempts, "attempt"), intervalText(c.MinInterval))
	}
	b.WriteString("\nGetting back to current: as soon as you pay what is unpaid, we lift every restriction and restore your access.")
	if s.CreditBlockedTime {
		b.WriteString(" We credit you the price of your subscriptions, pro rata, for the days they were suspended or your access was disabled.")
	}
	b.WriteString(" An invoice you dispute does not count while the dispute is open, and we can pause these steps while you arrange payment.\n")
	return b.String()
}

// stageStart says when a stage begins, as in "14 days after the due date,
// when at least 50.00 USD is unpaid".
func (s *Schedule) stageStart(st *Stage) string {
	date := "the due date"
	if s.AgeFrom == FromIssueDate {
		date = "the invoice date"
	}
	when := "From " + date
	if st.AfterDays > 0 {
		when = text.Plural(st.AfterDays, "day") + " after " + date
	}
	var conds []string
	m := st.Measure.or(Unpaid)
	if len(st.MinBalance) > 0 {
		conds = append(conds, "at least "+listText(moneyStrings(st.MinBalance), "or")+" "+s.measureText(m))
	}
	if n := st.minInvoices(); n > 1 {
		conds = append(conds, "at least "+strconv.Itoa(n)+" invoices are "+strings.TrimPrefix(s.measureText(m), "is "))
	} else if m == Overdue && len(st.MinBalance) == 0 {
		conds = append(conds, "an invoice "+s.measureText(m))
	}
	if st.When != "" {
		conds = append(conds, "further conditions in your agreement are met")
	}
	if len(conds) > 0 {
		when += ", when " + listText(conds, "and")
	}
	return when
}

// measureText says what a measure counts, as in "is overdue".
func (s *Schedule) measureText(m Measure) string {
	switch {
	case m == Unpaid:
		return "is unpaid"
	case s.GraceDays > 0:
		return "is more than " + text.Plural(s.GraceDays, "day") + " overdue"
	}
	return "is overdue"
}

func stageTitle(st *Stage) string {
	if st.Name != "" {
		return st.Name
	}
	return st.ID
}

// stageEffects says what a stage does and what it does to access, given the
// restrictions in force in it.
func stageEffects(st *Stage, effects []ActionKind) string {
	var does []string
	for _, k := range stageKinds {
		for _, a := range st.Actions {
			if a.Kind != k {
				continue
			}
			switch k {
			case Remind:
				does = append(does, "we send you a reminder")
			case RetryPayment:
				does = append(does, "we retry your payment method")
			case Cancel:
				if a.Cancel == CancelImmediately {
					does = append(does, "your subscriptions are cancelled immediately")
				} else {
					does = append(does, "your subscriptions are cancelled at the end of the term you paid for")
				}
			case SendToCollections:
				does = append(does, "your unpaid balance is sent to a collections agency")
			case WriteOff:
				does = append(does, "your unpaid invoices are written off")
			}
		}
	}
	var out string
	if len(does) > 0 {
		out = capitalize(listText(does, "and")) + ". "
	}
	restrict := slices.Contains(effects, RestrictPurchases)
	suspend := slices.Contains(effects, SuspendSubscriptions)
	disable := slices.Contains(effects, DisableAccess)
	var access []string
	if disable {
		access = append(access, "access to your account is disabled")
	}
	if suspend {
		access = append(access, "your subscriptions are suspended")
	}
	if restrict {
		access = append(access, "you cannot buy new services")
	}
	switch {
	case len(access) == 0 && st.has(Cancel):
		return strings.TrimSpace(out)
	case len(access) == 0:
		out += "Your access is not affected."
	case restrict && !suspend && !disable:
		out += "You cannot buy new services; the services you have keep running."
	default:
		out += capitalize(listText(access, "and")) + "."
	}
	return out
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// listText joins items as "a", "a and b" or "a, b and c".
func listText(items []string, conj string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " " + conj + " " + items[len(items)-1]
}

func intStrings(ns []int) []string {
	out := make([]string, len(ns))
	for i, n := range ns {
		out[i] = strconv.Itoa(n)
	}
	return out
}

func moneyStrings(ms []risk.Money) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.String()
	}
	return out
}

// intervalText writes an interval for people: "7 days", "36 hours", or a
// Go duration.
func intervalText(d time.Duration) string {
	switch {
	case d%(24*time.Hour) == 0:
		return text.Plural(int(d/(24*time.Hour)), "day")
	case d%time.Hour == 0:
		return text.Plural(int(d/time.Hour), "hour")
	}
	return d.String()
}
