package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
	_ "time/tzdata" // -tz names IANA zones; the binary carries the database

	"github.com/riskkit/riskkit/dunning"
	"github.com/riskkit/riskkit/examples"
	"github.com/riskkit/riskkit/internal/text"
	"github.com/riskkit/riskkit/risk"
)

const dunningHelp = `Evaluates a dunning schedule on customer ledgers: the stage each customer is
in, the actions due, when to evaluate next, and an aging report of what is
unpaid. LEDGER is one ledger (a JSON object) or many (a JSON array), a file,
- for stdin or embedded:NAME for an example (default embedded:dunning_ledger.json).

With -from and -to it evaluates at the end of every day of the range,
carrying the state from day to day, and lists the days on which something
happened. With -state, the state is read from the file if it exists and
written back, so that actions are not repeated across runs.
`

// dunningRun is the evaluations of one ledger.
type dunningRun struct {
	ledger *dunning.Ledger
	evals  []dunningEval
}

// dunningEval is one evaluation.
type dunningEval struct {
	at  time.Time
	res dunning.Result
}

func runDunning(e *env, args []string) error {
	fs := newFlags(e, "dunning", "[LEDGER]")
	scheduleSpec := fs.String("schedule", embeddedPrefix+"dunning.yaml", "schedule `file` (YAML or JSON; - for stdin, embedded:NAME for an example)")
	at := addAtFlag(fs, "now")
	tz := fs.String("tz", "UTC", "the customers' time `zone`, an IANA name such as Europe/Berlin")
	fromFlag := fs.String("from", "", "with -to, evaluate at the end of every day from this `date` (YYYY-MM-DD)")
	toFlag := fs.String("to", "", "the last `date` to evaluate with -from")
	statePath := fs.String("state", "", "state `file` (JSON, customer id to state) to read if it exists and rewrite")
	describe := fs.Bool("describe", false, "print the schedule as the collections policy a customer reads, and stop")
	asJSON := fs.Bool("json", false, "write JSON lines instead of tables")
	usage := fs.Usage
	fs.Usage = func() { usage(); fmt.Fprint(e.stderr, "\n"+dunningHelp) }
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 1 {
		return usageError("dunning takes at most one ledger file, got %q", fs.Args())
	}
	ledgerSpec := embeddedPrefix + "dunning_ledger.json"
	if fs.NArg() == 1 {
		ledgerSpec = fs.Arg(0)
	}
	if readsStdin(ledgerSpec) && readsStdin(*scheduleSpec) {
		return usageError("the schedule and the ledger cannot both be read from standard input")
	}
	loc, err := time.LoadLocation(*tz)
	if err != nil {
		return usageError("-tz %q: %v", *tz, err)
	}
	times, err := dunningTimes(at, *fromFlag, *toFlag, loc)
	if err != nil {
		return err
	}

	s, err := loadSchedule(e, *scheduleSpec)
	if err != nil {
		return err
	}
	if *describe {
		if *asJSON {
			return writeJSON(e.stdout, "dunning", "policy", map[string]string{"schedule": s.ID, "text": s.Describe()})
		}
		_, err := io.WriteString(e.stdout, s.Describe())
		return err
	}
	ledgers, err := loadLedgers(e, ledgerSpec)
	if err != nil {
		return err
	}
	states := map[string]dunning.State{}
	if *statePath != "" {
		if states, err = readDunningStates(*statePath); err != nil {
			return err
		}
	}
	fmt.Fprintf(e.stderr, "riskctl dunning: %s from %s, schedule %s, %s\n",
		text.Plural(len(ledgers), "ledger"), displayName(ledgerSpec), s.ID, text.Plural(len(times), "evaluation"))

	d, err := dunning.NewDunner(s, loc)
	if err != nil {
		return err
	}
	runs := make([]dunningRun, len(ledgers))
	for i, l := range ledgers {
		runs[i].ledger = l
		st := states[l.Customer.ID]
		for _, t := range times {
			res, err := d.Evaluate(st, l, t)
			if err != nil {
				return fmt.Errorf("customer %s at %s: %w", l.Customer.ID, t.Format(time.RFC3339), err)
			}
			runs[i].evals = append(runs[i].evals, dunningEval{at: t, res: res})
			st = res.State
		}
		states[l.Customer.ID] = st
	}
	asOf := risk.DateOf(times[len(times)-1], loc)
	report, err := dunning.Age(dunning.AgingConfig{From: s.AgeFrom}, asOf, loc, ledgers...)
	if err != nil {
		return err
	}
	dso, err := dunning.DaysSalesOutstanding(asOf.AddDays(1-dsoDays), asOf, loc, ledgers...)
	if err != nil {
		return err
	}
	if *statePath != "" {
		if err := writeDunningStates(*statePath, states); err != nil {
			return err
		}
	}
	if *asJSON {
		return writeDunningJSON(e.stdout, runs, report, dso)
	}
	if len(times) > 1 {
		err = writeDunningSteps(e.stdout, runs, report, loc)
	} else {
		err = writeDunningTables(e.stdout, runs, report, loc)
	}
	if err != nil {
		return err
	}
	return writeDSO(e.stdout, dso)
}

// dsoDays is the period days sales outstanding is reported over, ending on
// the as-of day.
const dsoDays = 90

func writeDSO(w io.Writer, dso []dunning.SalesOutstanding) error {
	for _, d := range dso {
		if _, err := fmt.Fprintf(w, "days sales outstanding, %s to %s, %s: %s (receivables %s, sales %s)\n",
			d.From, d.To, d.Currency, d.String(), d.Receivables, d.Sales); err != nil {
			return err
		}
	}
	return nil
}

// dunningTimes returns the instants to evaluate at.
func dunningTimes(at *atFlag, from, to string, loc *time.Location) ([]time.Time, error) {
	if from != "" || to != "" {
		if at.set() {
			return nil, usageError("use -at, or -from and -to, not both")
		}
		if from == "" || to == "" {
			return nil, usageError("-from and -to go together")
		}
		f, err := risk.ParseDate(from)
		if err != nil {
			return nil, usageError("-from: %v", err)
		}
		t, err := risk.ParseDate(to)
		if err != nil {
			return nil, usageError("-to: %v", err)
		}
		if t.Before(f) {
			return nil, usageError("-to %s is before -from %s", t, f)
		}
		if t.DaysSince(f) > 3660 {
			return nil, usageError("-from %s to -to %s is more than ten years of days", f, t)
		}
		var out []time.Time
		for d := f; !d.After(t); d = d.AddDays(1) {
			out = append(out, endOfDay(d, loc))
		}
		return out, nil
	}
	if !at.set() {
		return []time.Time{time.Now()}, nil
	}
	return []time.Time{at.in(loc)}, nil
}

func loadSchedule(e *env, spec string) (*dunning.Schedule, error) {
	src, err := readSource(e, spec, examples.Policy)
	if err != nil {
		return nil, err
	}
	s, err := dunning.ParseSchedule(src)
	if err != nil {
		return nil, dunningProblems(displayName(spec), err)
	}
	return s, nil
}

func loadLedgers(e *env, spec string) ([]*dunning.Ledger, error) {
	src, err := readSource(e, spec, examples.Data)
	if err != nil {
		return nil, err
	}
	ls, err := dunning.ParseLedgers(src)
	if err != nil {
		return nil, dunningProblems(displayName(spec), err)
	}
	return ls, nil
}

// dunningProblems formats a document's problems one per line as
// FILE:LINE:COL: path: message.
func dunningProblems(file string, err error) error {
	var verr *risk.DocumentError
	if !errors.As(err, &verr) {
		return fmt.Errorf("%s: %w", file, err)
	}
	return issuesError(file, verr.Issues)
}

func readDunningStates(path string) (map[string]dunning.State, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return map[string]dunning.State{}, nil
	}
	if err != nil {
		return nil, err
	}
	states := map[string]dunning.State{}
	if err := json.Unmarshal(b, &states); err != nil {
		return nil, fmt.Errorf("%s: not a JSON object of customer ids to states: %v", path, err)
	}
	return states, nil
}

func writeDunningStates(path string, states map[string]dunning.State) error {
	b, err := json.MarshalIndent(states, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}

// actionText writes an action for people: its kind and what it is about.
func actionText(a dunning.Action) string {
	parts := []string{string(a.Kind)}
	if a.Template != "" && a.Campaign == "" {
		parts = append(parts, a.Template)
	}
	if a.Cancel != "" {
		parts = append(parts, string(a.Cancel))
	}
	if a.Campaign != "" {
		parts = append(parts, a.Campaign+" #"+strconv.Itoa(a.Attempt))
	} else if a.Kind == dunning.RetryPayment && a.Attempt > 0 {
		parts = append(parts, "retry "+strconv.Itoa(a.Attempt))
	}
	if a.Subscription != "" {
		parts = append(parts, a.Subscription)
	}
	if !a.Amount.IsZero() {
		parts = append(parts, a.Amount.String())
	}
	if len(a.Invoices) > 0 {
		parts = append(parts, strings.Join(a.Invoices, ","))
	}
	return strings.Join(parts, " ")
}

// unpaidText returns the unpaid and overdue balances and the days of the
// earliest unpaid invoice, per currency.
func unpaidText(res *dunning.Result) (unpaid, overdue, days string) {
	var u, o, d []string
	for _, c := range res.Currencies {
		if c.UnpaidInvoices == 0 {
			continue
		}
		u = append(u, c.Unpaid.String())
		o = append(o, c.Overdue.String())
		d = append(d, strconv.Itoa(c.Days))
	}
	if len(u) == 0 {
		return "-", "-", "-"
	}
	return strings.Join(u, ", "), strings.Join(o, ", "), strings.Join(d, ", ")
}

func nextText(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return "on new facts"
	}
	return t.In(loc).Format(time.RFC3339Nano)
}

func writeDunningTables(w io.Writer, runs []dunningRun, report *dunning.AgingReport, loc *time.Location) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "customer\tstage\tsince\tunpaid\toverdue\tdays\tnext evaluation\thold")
	for _, r := range runs {
		ev := r.evals[len(r.evals)-1]
		since := "-"
		if !ev.res.State.Since.IsZero() {
			since = ev.res.State.Since.In(loc).Format("2006-01-02")
		}
		unpaid, overdue, days := unpaidText(&ev.res)
		hold := ev.res.Hold
		if hold == "" {
			hold = "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.ledger.Customer.ID, ev.res.State.StageName(), since, unpaid, overdue, days,
			nextText(ev.res.Next, loc), hold)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	var n int
	for _, r := range runs {
		n += len(r.evals[len(r.evals)-1].res.Actions)
	}
	if n > 0 {
		fmt.Fprintln(w)
		fmt.Fprintln(tw, "customer\taction\tkey")
		for _, r := range runs {
			for _, a := range r.evals[len(r.evals)-1].res.Actions {
				fmt.Fprintf(tw, "%s\t%s\t%s\n", r.ledger.Customer.ID, actionText(a), a.Key)
			}
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	for _, r := range runs {
		for _, p := range r.evals[len(r.evals)-1].res.Problems {
			fmt.Fprintf(w, "problem: %s: %s\n", r.ledger.Customer.ID, p)
		}
	}
	fmt.Fprintln(w)
	return writeAging(w, report)
}

func writeDunningSteps(w io.Writer, runs []dunningRun, report *dunning.AgingReport, loc *time.Location) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "customer\tday\tstage\tactions")
	for _, r := range runs {
		prev := ""
		for i, ev := range r.evals {
			stage := ev.res.State.StageName()
			if i > 0 && stage == prev && len(ev.res.Actions) == 0 {
				continue
			}
			acts := make([]string, len(ev.res.Actions))
			for k, a := range ev.res.Actions {
				acts[k] = actionText(a)
			}
			text := strings.Join(acts, "; ")
			if text == "" {
				text = "-"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.ledger.Customer.ID, ev.at.In(loc).Format("2006-01-02"), stage, text)
			prev = stage
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w)
	fmt.Fprintln(tw, "customer\tstage on the last day\tnext evaluation")
	for _, r := range runs {
		ev := r.evals[len(r.evals)-1]
		fmt.Fprintf(tw, "%s\t%s\t%s\n", r.ledger.Customer.ID, ev.res.State.StageName(), nextText(ev.res.Next, loc))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w)
	return writeAging(w, report)
}

func writeAging(w io.Writer, r *dunning.AgingReport) error {
	fmt.Fprintf(w, "aging as of %s, from the %s\n", r.AsOf, strings.ReplaceAll(r.From.String(), "_", " "))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "customer\tcurrency\t%s\ttotal\tinvoices\tdisputed\tcredit\t\n", strings.Join(r.Buckets, "\t"))
	row := func(who string, a dunning.AgingRow) {
		cells := make([]string, len(a.Buckets))
		for i, m := range a.Buckets {
			cells[i] = amountOnly(m)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%s\t%s\t\n", who, a.Currency, strings.Join(cells, "\t"), amountOnly(a.Total), a.Invoices,
			amountOnly(a.Disputed), amountOnly(a.Credit))
	}
	for _, a := range r.Rows {
		row(a.CustomerID, a)
	}
	for _, a := range r.Totals {
		row("total", a)
	}
	return tw.Flush()
}

// amountOnly writes an amount without its currency, for tables that have a
// currency column.
func amountOnly(m interface{ String() string }) string {
	s := m.String()
	if i := strings.LastIndexByte(s, ' '); i >= 0 {
		return s[:i]
	}
	return s
}

// dunningLine is one JSON line of output.
type dunningLine struct {
	Customer string                     `json:"customer,omitempty"`
	At       time.Time                  `json:"at,omitzero"`
	Stage    string                     `json:"stage,omitempty"`
	Result   *dunning.Result            `json:"result,omitempty"`
	Aging    *dunning.AgingReport       `json:"aging,omitempty"`
	DSO      []dunning.SalesOutstanding `json:"dso,omitempty"`
}

func writeDunningJSON(w io.Writer, runs []dunningRun, report *dunning.AgingReport, dso []dunning.SalesOutstanding) error {
	for _, r := range runs {
		for i := range r.evals {
			ev := &r.evals[i]
			if err := writeJSON(w, "dunning", "evaluation", dunningLine{Customer: r.ledger.Customer.ID, At: ev.at,
				Stage: ev.res.State.StageName(), Result: &ev.res}); err != nil {
				return err
			}
		}
	}
	if err := writeJSON(w, "dunning", "aging", dunningLine{Aging: report}); err != nil {
		return err
	}
	return writeJSON(w, "dunning", "dso", dunningLine{DSO: dso})
}

// dunningDemo evaluates the demo customer at each instant the previous
// evaluation names, from the day its February invoice is issued until it
// is reinstated.
func dunningDemo(w io.Writer) error {
	src, err := examples.Policy("dunning.yaml")
	if err != nil {
		return err
	}
	s, err := dunning.ParseSchedule(src)
	if err != nil {
		return err
	}
	b, err := examples.Data("dunning_ledger.json")
	if err != nil {
		return err
	}
	l, err := dunning.ParseLedger(b)
	if err != nil {
		return err
	}
	var steps []string
	for i := len(s.Stages) - 1; i >= 0; i-- {
		steps = append(steps, fmt.Sprintf("%s %dd", s.Stages[i].ID, s.Stages[i].AfterDays))
	}
	fmt.Fprintf(w, "Schedule %s (embedded:dunning.yaml), days after the due date: %s.\n", s.ID, strings.Join(steps, ", "))
	fmt.Fprintf(w, "Customer %s pays January, then its card is declined; it pays 480.00 USD on March 24.\n", l.Customer.ID)
	fmt.Fprintln(w, "Each evaluation runs at the instant the previous one named as next:")
	fmt.Fprintln(w)

	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "day\tstage\tactions")
	d, err := dunning.NewDunner(s, time.UTC)
	if err != nil {
		return err
	}
	var st dunning.State
	now := time.Date(2026, time.February, 1, 0, 0, 0, 0, time.UTC)
	var final dunning.Result
	for n := 0; !now.IsZero() && n < 50; n++ {
		res, err := d.Evaluate(st, l, now)
		if err != nil {
			return err
		}
		acts := make([]string, len(res.Actions))
		for i, a := range res.Actions {
			acts[i] = actionText(a)
		}
		if len(acts) > 0 || res.State.Stage != st.Stage {
			fmt.Fprintf(tw, "%s\t%s\t%s\n", now.Format("Jan 02"), res.State.StageName(), strings.Join(acts, "; "))
		}
		st, now, final = res.State, res.Next, res
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	eve := risk.DateOf(time.Date(2026, time.March, 23, 0, 0, 0, 0, time.UTC), time.UTC)
	r, err := dunning.Age(dunning.AgingConfig{}, eve, time.UTC, l)
	if err != nil {
		return err
	}
	var cells []string
	for i, m := range r.Totals[0].Buckets {
		if m.Sign() != 0 {
			cells = append(cells, m.String()+" "+r.Buckets[i]+" days past due")
		}
	}
	fmt.Fprintf(w, "\nAged on %s, the day before it paid: %s.\n", eve, strings.Join(cells, " and "))
	fmt.Fprintf(w, "Next evaluation: %s. The audit trail:\n", nextText(final.Next, time.UTC))
	for _, t := range final.State.Transitions {
		fmt.Fprintf(w, "  %s  %s -> %s: %s\n", t.At.Format("Jan 02"), t.From, t.To, t.Why)
	}
	return nil
}
