package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"text/tabwriter"
	"time"
	_ "time/tzdata" // budgets name IANA zones; the binary carries the database

	"github.com/riskkit/riskkit/budget"
	"github.com/riskkit/riskkit/examples"
	"github.com/riskkit/riskkit/internal/text"
	"github.com/riskkit/riskkit/risk"
)

const budgetHelp = `Evaluates each budget against its customer's spend: the spend so far in the
period, the percentage used, the forecast for the period's end and the day
the budget runs out, the threshold alerts due and the unusual days.

Spend is JSON lines of budget.Record with the customer's id, as in
  {"customer_id":"cus_acme","id":"u1","day":"2026-03-01","amount":"12.50 USD"}
A budget with a customer_id reads that customer's records; one without reads
them all. With -state, alerts already sent are remembered between runs.
`

func runBudget(e *env, args []string) error {
	fs := newFlags(e, "budget", "")
	budgetsSpec := fs.String("budgets", embeddedPrefix+"budgets.yaml", "budgets `file` (YAML or JSON; - for stdin, embedded:NAME for an example)")
	spendSpec := fs.String("spend", embeddedPrefix+"spend_2026q1.jsonl", "spend `file`, JSON lines (- for stdin, embedded:NAME for an example)")
	id := fs.String("id", "", "evaluate only the budget with this `id`")
	at := addAtFlag(fs, "the end of the budget's last day with spend")
	replay := fs.Bool("replay", false, "evaluate at the end of every day of the period up to -at, carrying alerts forward")
	statePath := fs.String("state", "", "alert state `file` (JSON) to read if it exists and rewrite, so each alert is reported once across runs")
	asJSON := fs.Bool("json", false, "write JSON lines instead of a table")
	usage := fs.Usage
	fs.Usage = func() { usage(); fmt.Fprint(e.stderr, "\n"+budgetHelp) }
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError("budget takes no arguments, got %q", fs.Args())
	}
	if *budgetsSpec == "-" && *spendSpec == "-" {
		return usageError("-budgets and -spend cannot both read standard input")
	}
	budgets, err := loadBudgets(e, *budgetsSpec, *id)
	if err != nil {
		return err
	}
	spend, err := loadSpend(e, *spendSpec)
	if err != nil {
		return err
	}
	states := map[string]budget.State{}
	if *statePath != "" {
		if states, err = readStates(*statePath); err != nil {
			return err
		}
	}
	fmt.Fprintf(e.stderr, "riskctl budget: %s and %d spend records from %s\n",
		text.Plural(len(budgets), "budget"), spend.count, displayName(*spendSpec))

	var runs []budgetRun
	for i := range budgets {
		r, err := evaluateBudget(&budgets[i], spend, states[budgets[i].ID], at, *replay)
		if err != nil {
			return err
		}
		runs = append(runs, r)
		if r.err == nil && len(r.days) > 0 {
			states[budgets[i].ID] = r.state
		}
	}
	if *statePath != "" {
		if err := writeStates(*statePath, states); err != nil {
			return err
		}
	}
	switch {
	case *asJSON:
		return writeBudgetJSON(e.stdout, runs)
	case *replay:
		return writeReplay(e.stdout, runs)
	}
	return writeBudgetTable(e.stdout, runs)
}

func loadBudgets(e *env, spec, id string) ([]budget.Budget, error) {
	src, err := readSource(e, spec, examples.Policy)
	if err != nil {
		return nil, err
	}
	bs, err := budget.ParseBudgets(src)
	if err != nil {
		var ve *risk.DocumentError
		if !errors.As(err, &ve) {
			return nil, err
		}
		var b strings.Builder
		fmt.Fprintf(&b, "budgets %s have %s:", displayName(spec), text.Plural(len(ve.Issues), "problem"))
		for _, i := range ve.Issues {
			b.WriteString("\n\t")
			b.WriteString(displayName(spec))
			b.WriteString(":")
			b.WriteString(i.String())
		}
		return nil, errors.New(b.String())
	}
	if id == "" {
		return bs, nil
	}
	for _, b := range bs {
		if b.ID == id {
			return []budget.Budget{b}, nil
		}
	}
	ids := make([]string, len(bs))
	for i, b := range bs {
		ids[i] = b.ID
	}
	return nil, usageError("no budget %q in %s (have %s)", id, displayName(spec), strings.Join(ids, ", "))
}

// spendLine is one line of a spend file.
type spendLine struct {
	CustomerID string `json:"customer_id"`
	budget.Record
}

// spendBook is the spend read from a file, by customer.
type spendBook struct {
	byCustomer map[string][]budget.Record
	all        []budget.Record
	count      int
}

func (s *spendBook) records(b *budget.Budget) []budget.Record {
	if b.CustomerID == "" {
		return s.all
	}
	return s.byCustomer[b.CustomerID]
}

func loadSpend(e *env, spec string) (*spendBook, error) {
	r, closeFn, err := openSource(e, spec, examples.Data)
	if err != nil {
		return nil, err
	}
	defer closeFn()
	book := &spendBook{byCustomer: map[string][]budget.Record{}}
	sc := bufio.NewScanner(r)
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		raw := bytes.TrimSpace(sc.Bytes())
		if len(raw) == 0 {
			continue
		}
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.DisallowUnknownFields()
		var l spendLine
		if err := dec.Decode(&l); err != nil {
			return nil, fmt.Errorf("%s:%d: %v", displayName(spec), n, err)
		}
		if dec.More() {
			return nil, fmt.Errorf("%s:%d: more than one JSON value on the line", displayName(spec), n)
		}
		book.byCustomer[l.CustomerID] = append(book.byCustomer[l.CustomerID], l.Record)
		book.all = append(book.all, l.Record)
		book.count++
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", displayName(spec), err)
	}
	return book, nil
}

// budgetRun is the outcome of evaluating one budget: one status, or one
// per day when replaying, and the state after the last.
type budgetRun struct {
	b     *budget.Budget
	loc   *time.Location
	days  []budget.Status
	state budget.State
	daily []int64 // spend per day of the last period, for the sparkline
	err   error   // why the budget could not be evaluated at that time
}

func evaluateBudget(b *budget.Budget, book *spendBook, prev budget.State, at *atFlag, replay bool) (budgetRun, error) {
	run := budgetRun{b: b}
	zone := b.TimeZone
	if zone == "" {
		zone = "UTC"
	}
	loc, err := time.LoadLocation(zone)
	if err != nil {
		return run, fmt.Errorf("budget %s: time zone: %w", b.ID, err)
	}
	run.loc = loc
	tr, err := budget.NewTracker(*b, loc)
	if err != nil {
		return run, err
	}
	recs := book.records(b)
	lastDay := b.Start
	for _, r := range recs {
		d := r.Day
		if d.IsZero() {
			d = risk.DateOf(r.Hour, loc)
		}
		if d.After(lastDay) {
			lastDay = d
		}
	}
	if !b.End.IsZero() && lastDay.After(b.End) {
		lastDay = b.End
	}
	now := at.in(loc)
	if !at.set() {
		now = endOfDay(lastDay, loc)
	}
	moments := []time.Time{now}
	if replay {
		w, err := tr.Window(now)
		if err != nil {
			if errors.Is(err, budget.ErrNotInEffect) {
				run.err = err
				return run, nil
			}
			return run, err
		}
		moments = moments[:0]
		for d := w.Start; risk.DateOf(now, loc).After(d); d = d.AddDays(1) {
			moments = append(moments, endOfDay(d, loc))
		}
		moments = append(moments, now)
	}
	state := prev
	for _, m := range moments {
		r, err := tr.Evaluate(state, recs, m)
		if errors.Is(err, budget.ErrNotInEffect) {
			run.err = err
			return run, nil
		}
		if err != nil {
			return run, err
		}
		run.days = append(run.days, r.Status)
		state = r.State
	}
	run.state = state
	run.daily = dailySpend(tr, recs, run.days[len(run.days)-1])
	return run, nil
}

// dailySpend returns the spend of each day of st's period up to st.At. It
// evaluates the budget at the end of each day rather than summing records
// itself, so that duplicates and corrections count as the budget counts
// them.
func dailySpend(tr *budget.Tracker, recs []budget.Record, st budget.Status) []int64 {
	loc := tr.Location()
	var out []int64
	var before int64
	today := risk.DateOf(st.At, loc)
	for d := st.Period.Start; !d.After(today); d = d.AddDays(1) {
		at := endOfDay(d, loc)
		if d == today {
			at = st.At
		}
		r, err := tr.Evaluate(budget.State{}, recs, at)
		if err != nil {
			return out
		}
		out = append(out, r.Status.Spent.Minor()-before)
		before = r.Status.Spent.Minor()
	}
	return out
}

// sparkline draws one mark per day: how much of the amount the spend so
// far has used, in eighths, and "!" once it is over.
func sparkline(daily []int64, amount int64) string {
	marks := []rune("▁▂▃▄▅▆▇█")
	var b strings.Builder
	var sum int64
	for _, v := range daily {
		sum += v
		switch {
		case sum > amount:
			b.WriteRune('!')
		case sum <= 0:
			b.WriteRune(' ')
		default:
			i := int((sum*int64(len(marks)) - 1) / amount)
			b.WriteRune(marks[min(i, len(marks)-1)])
		}
	}
	return b.String()
}

func writeBudgetTable(w io.Writer, runs []budgetRun) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "BUDGET\tPERIOD\tAMOUNT\tSPENT\tUSED\tFORECAST\tRANGE\tRUNS OUT")
	for _, r := range runs {
		if r.err != nil {
			fmt.Fprintf(tw, "%s\t-\t%v\t-\t-\t-\t-\t%s\n", r.b.ID, r.b.Amount, notInEffect(r.err))
			continue
		}
		st := r.days[len(r.days)-1]
		fmt.Fprintf(tw, "%s\t%v..%v\t%v\t%v\t%s\t%s\t%s\t%s\n", r.b.ID, st.Period.Start, st.Period.End,
			st.Amount, st.Spent, pctText(st.PercentUsed), forecastCell(st.Forecast), rangeCell(st.Forecast), orDash(st.RunOut.String()))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w, "\nspend so far against the amount, one mark a day (▁ to █ is up to 100%, ! over):")
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, r := range runs {
		if r.err == nil {
			st := r.days[len(r.days)-1]
			fmt.Fprintf(tw, "  %s\t%v\t%s\n", r.b.ID, st.Period.Start, sparkline(r.daily, st.Amount.Minor()))
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	writeEvents(w, runs)
	return nil
}

// writeEvents lists the alerts and anomalies of every status, in order.
func writeEvents(w io.Writer, runs []budgetRun) {
	var alerts, anomalies []string
	for _, r := range runs {
		for _, st := range r.days {
			for _, a := range st.Alerts {
				alerts = append(alerts, fmt.Sprintf("  %s\t%v\t%v of %v\t%s\t%v", a.Key, a.Threshold, a.Value, a.Amount, pctText(a.Percent), risk.DateOf(a.At, r.loc)))
			}
			for _, a := range st.Anomalies {
				anomalies = append(anomalies, anomalyLine(r.b.ID, a))
			}
		}
	}
	for _, sec := range []struct {
		title string
		lines []string
	}{{"alerts", alerts}, {"anomalies", anomalies}} {
		if len(sec.lines) == 0 {
			fmt.Fprintf(w, "\nno %s\n", sec.title)
			continue
		}
		fmt.Fprintf(w, "\n%s:\n", sec.title)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		for _, l := range sec.lines {
			fmt.Fprintln(tw, l)
		}
		tw.Flush()
	}
}

func anomalyLine(id string, a budget.Anomaly) string {
	sign := ""
	if a.Impact.Sign() > 0 {
		sign = "+"
	}
	kind := "recent days"
	if a.Weekly {
		kind = "same weekday"
	}
	return fmt.Sprintf("  %s\t%v\texpected %v (%s)\tactual %v\timpact %s%v\tscore %.1f", id, a.Day, a.Expected, kind, a.Actual, sign, a.Impact, a.Score)
}

func writeReplay(w io.Writer, runs []budgetRun) error {
	for i, r := range runs {
		if i > 0 {
			fmt.Fprintln(w)
		}
		if r.err != nil {
			fmt.Fprintf(w, "%s: %s\n", r.b.ID, notInEffect(r.err))
			continue
		}
		last := r.days[len(r.days)-1]
		fmt.Fprintf(w, "%s: %v a period from %v to %v (%s)\n", r.b.ID, last.Amount, last.Period.Start, last.Period.End, r.loc)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "DAY\tSPENT\tUSED\tFORECAST\tSPEND\tEVENTS")
		for j, st := range r.days {
			var events []string
			for _, a := range st.Alerts {
				events = append(events, "alert "+a.Threshold.String())
			}
			for _, a := range st.Anomalies {
				events = append(events, fmt.Sprintf("anomaly on %v (%+.1f)", a.Day, a.Score))
			}
			fmt.Fprintf(tw, "%v\t%v\t%s\t%s\t%s\t%s\n", risk.DateOf(st.At, r.loc), st.Spent, pctText(st.PercentUsed),
				forecastCell(st.Forecast), sparkline(r.daily[:min(j+1, len(r.daily))], st.Amount.Minor()), strings.Join(events, "; "))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	return nil
}

func writeBudgetJSON(w io.Writer, runs []budgetRun) error {
	for _, r := range runs {
		if r.err != nil {
			if err := writeJSON(w, "budget", "error", map[string]string{"budget_id": r.b.ID, "error": r.err.Error()}); err != nil {
				return err
			}
			continue
		}
		for _, st := range r.days {
			if err := writeJSON(w, "budget", "status", st); err != nil {
				return err
			}
		}
	}
	return nil
}

func forecastCell(f budget.Forecast) string {
	if !f.Available() {
		return "-"
	}
	return fmt.Sprintf("%v (%s)", f.Amount, pctText(f.Percent))
}

func rangeCell(f budget.Forecast) string {
	if !f.Available() {
		return f.Method.String() + ": " + f.Reason
	}
	return fmt.Sprintf("%s..%s %v", amountText(f.Low), amountText(f.High), f.Method)
}

// pctText writes a percentage with two decimals, so that a column of them
// lines up: 80.00% rather than risk.Percent's 80%.
func pctText(p risk.Percent) string {
	sign := ""
	if p < 0 {
		sign, p = "-", -p
	}
	return fmt.Sprintf("%s%d.%02d%%", sign, p/100, p%100)
}

// amountText is an amount without its currency code, for a range whose
// currency is next to it.
func amountText(m risk.Money) string { return strings.TrimSuffix(m.String(), " "+m.Currency()) }

func notInEffect(err error) string {
	return strings.TrimPrefix(err.Error(), budget.ErrNotInEffect.Error()+": ")
}

// readStates reads the states written by writeStates; a file that does not
// exist yet holds none.
func readStates(path string) (map[string]budget.State, error) {
	states := map[string]budget.State{}
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return states, nil
	}
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(b, &states); err != nil {
		return nil, fmt.Errorf("state %s: %w", path, err)
	}
	return states, nil
}

// writeStates writes the states by budget id; encoding/json sorts the ids,
// so the file changes only where a state does.
func writeStates(path string, states map[string]budget.State) error {
	b, err := json.MarshalIndent(states, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}

// budgetDemo replays Contoso's March: the spend crosses half, four fifths
// and all of the monthly budget, and each alert fires once, on the day it
// is reached.
func budgetDemo(w io.Writer) error {
	src, err := examples.Policy("budgets.yaml")
	if err != nil {
		return err
	}
	bs, err := budget.ParseBudgets(src)
	if err != nil {
		return err
	}
	i := slices.IndexFunc(bs, func(b budget.Budget) bool { return b.ID == "contoso-monthly" })
	if i < 0 {
		return errors.New("budgets.yaml has no contoso-monthly")
	}
	b := &bs[i]
	spend, err := loadSpend(&env{}, embeddedPrefix+"spend_2026q1.jsonl")
	if err != nil {
		return err
	}
	end, err := risk.NewDate(2026, time.March, 31)
	if err != nil {
		return err
	}
	r, err := evaluateBudget(b, spend, budget.State{}, &atFlag{day: end}, true)
	if err != nil {
		return err
	}
	if r.err != nil {
		return r.err
	}
	last := r.days[len(r.days)-1]
	fmt.Fprintf(w, "%s: %v a month for %s (%s), thresholds %s\n", b.ID, b.Amount, b.CustomerID, b.TimeZone, thresholdList(b.Thresholds))
	fmt.Fprintf(w, "March replayed day by day, alerts carried forward; only days with news shown:\n\n")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "DAY\tSPENT\tUSED\tFORECAST\tNEWS")
	for _, st := range r.days {
		var news []string
		for _, a := range st.Alerts {
			news = append(news, "alert "+a.Threshold.String())
		}
		for _, a := range st.Anomalies {
			news = append(news, fmt.Sprintf("anomaly: %v was %v, expected %v", a.Day, a.Actual, a.Expected))
		}
		if len(news) > 0 {
			fmt.Fprintf(tw, "%v\t%v\t%s\t%s\t%s\n", risk.DateOf(st.At, r.loc), st.Spent, pctText(st.PercentUsed), forecastCell(st.Forecast), strings.Join(news, "; "))
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(w, "\nspend by day against the amount: %s\n", sparkline(r.daily, last.Amount.Minor()))
	fmt.Fprintf(w, "end of March: %v spent of %v (%s); ran out on %v\n", last.Spent, last.Amount, pctText(last.PercentUsed), orDash(last.ReachedOn.String()))
	fmt.Fprintln(w, "\nmore: riskctl budget, riskctl budget -id contoso-monthly -replay")
	return nil
}

func thresholdList(ts []budget.Threshold) string {
	if len(ts) == 0 {
		ts = budget.DefaultThresholds()
	}
	s := make([]string, len(ts))
	for i, t := range ts {
		s[i] = t.String()
	}
	return strings.Join(s, ", ")
}
