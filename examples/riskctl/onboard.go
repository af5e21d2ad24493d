package main

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/riskkit/riskkit/examples"
	"github.com/riskkit/riskkit/internal/text"
	"github.com/riskkit/riskkit/onboarding"
	"github.com/riskkit/riskkit/risk"
)

const onboardHelp = `Assesses each applicant (one onboarding.Applicant JSON object per line) with
an onboarding policy: the decision, what is asked of the applicant (step-ups,
verifications still pending, a review and its deadline), and the controls the
customer starts under: prepayment due, credit limit, monthly spending cap,
services held back, admin access, and the tier with what unlocks the next.
APPLICANTS is a file, - for stdin or embedded:NAME for an example (default
embedded:applicants.jsonl).

Each applicant is assessed at -at, or at the time of its sign-up (signup.at)
when -at is not given. With -detail each assessment is written out in full,
with the collections policy the customer is shown and acknowledges.
`

func runOnboard(e *env, args []string) error {
	fs := newFlags(e, "onboard", "[APPLICANTS.jsonl]")
	policySpec := fs.String("policy", embeddedPrefix+"onboarding.yaml", "onboarding policy `file` (YAML or JSON; - for stdin, embedded:NAME for an example)")
	scheduleSpec := fs.String("schedule", embeddedPrefix+"dunning.yaml", "dunning schedule `file` whose collections policy is shown, or none")
	atFlag := addAtFlag(fs, "each applicant's signup.at")
	tz := fs.String("tz", "UTC", "the customers' time `zone`, an IANA name such as Europe/Berlin, for the spending cap's months")
	deny := fs.String("deny", "", "comma-separated email `domains` to treat as disposable, on top of the built-in list")
	allow := fs.String("allow", "", "comma-separated email `domains` never to treat as disposable")
	detail := fs.Bool("detail", false, "write each assessment in full instead of a table")
	asJSON := fs.Bool("json", false, "write JSON lines, one assessment per applicant")
	mode := stopOnError
	fs.Var(&mode, "on-error", "`mode` for a malformed applicant: stop (fail) or skip (report it on stderr and go on)")
	usage := fs.Usage
	fs.Usage = func() { usage(); fmt.Fprint(e.stderr, "\n"+onboardHelp) }
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 1 {
		return usageError("onboard reads one applicants file, got %d", fs.NArg())
	}
	if *detail && *asJSON {
		return usageError("-detail and -json are two different outputs; choose one")
	}
	input := embeddedPrefix + "applicants.jsonl"
	if fs.NArg() == 1 {
		input = fs.Arg(0)
	}
	if n := countStdin(*policySpec, *scheduleSpec, input); n > 1 {
		return usageError("only one of the policy, the schedule and the applicants can come from stdin")
	}
	loc, err := time.LoadLocation(*tz)
	if err != nil {
		return usageError("-tz %q: %v", *tz, err)
	}
	at := atFlag.in(loc)
	as, err := loadAssessor(e, *policySpec, *scheduleSpec, splitList(*deny), splitList(*allow), loc)
	if err != nil {
		return err
	}

	r, closeFn, err := openSource(e, input, examples.Data)
	if err != nil {
		return err
	}
	defer closeFn()
	lines := newLineReader(displayName(input), r, mode, e.stderr, "onboard")
	var (
		counts = map[onboarding.Outcome]int{}
		order  []onboarding.Outcome
		n      int
		tw     *tabwriter.Writer
	)
	if !*asJSON && !*detail {
		tw = tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "LINE\tID\tOUTCOME\tASKS\tTIER\tPREPAY DUE\tCREDIT\tCAP/MONTH\tHELD\tADMIN\tREASONS")
	}
	for line, a := range records(lines, decodeApplicantLine) {
		when := at
		if when.IsZero() {
			when = a.Signup.At
		}
		if when.IsZero() {
			le := &lineError{Path: "signup.at", Msg: "no sign-up time; give one, or assess every applicant at -at"}
			if !lines.malformed(le) {
				break
			}
			continue
		}
		r, err := as.Evaluate(onboarding.Assessment{}, onboarding.Event{Applicant: &a}, when)
		res := r.Assessment
		if err != nil {
			if !lines.malformed(&lineError{Msg: strings.TrimPrefix(err.Error(), "onboarding: ")}) {
				break
			}
			continue
		}
		n++
		if counts[res.Outcome] == 0 {
			order = append(order, res.Outcome)
		}
		counts[res.Outcome]++
		switch {
		case *asJSON:
			if err := writeJSON(e.stdout, "onboard", "assessment", struct {
				Line       int                   `json:"line"`
				Assessment onboarding.Assessment `json:"assessment"`
			}{line, res}); err != nil {
				return err
			}
		case *detail:
			if n > 1 {
				fmt.Fprintln(e.stdout)
			}
			if err := writeAssessment(e.stdout, &res, true); err != nil {
				return err
			}
		default:
			c := &res.Controls
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", line, res.ApplicantID, res.Outcome, asksText(&res),
				res.Tier.ID, amountOrDash(c.Prepayment.Due), c.CreditLimit.Limit, c.MonthlyCap.Amount, heldText(c.Held),
				adminText(c.Admin), reasonCodes(&res.Decision))
		}
	}
	if tw != nil {
		if err := tw.Flush(); err != nil {
			return err
		}
		writeTally(e.stdout, n, "applicant", []onboarding.Outcome{onboarding.Reject, onboarding.Review, onboarding.Pending,
			onboarding.StepUp, onboarding.ApproveWithControls, onboarding.Approve}, counts, lines.skipped)
		if col := as.Collections(); col.Text != "" {
			fmt.Fprintf(e.stdout, "every customer is shown collections policy %s %s to acknowledge (see -detail)\n", col.ScheduleID, col.Version)
		}
	}
	if lines.skipped > 0 {
		fmt.Fprintf(e.stderr, "onboard: %s skipped, %s\n", text.Plural(lines.skipped, "malformed line"), text.Plural(n, "assessment"))
	}
	return lines.err
}

// countStdin counts the file arguments that read standard input.
func countStdin(specs ...string) int {
	n := 0
	for _, s := range specs {
		if readsStdin(s) {
			n++
		}
	}
	return n
}

func splitList(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// loadAssessor compiles the policy, reads the dunning schedule whose
// collections policy is shown (none for no schedule) and builds the email
// check.
func loadAssessor(e *env, policySpec, scheduleSpec string, deny, allow []string, loc *time.Location) (*onboarding.Assessor, error) {
	src, err := readSource(e, policySpec, examples.Policy)
	if err != nil {
		return nil, err
	}
	p, err := onboarding.Compile(src)
	if err != nil {
		return nil, onboardingProblems(displayName(policySpec), err)
	}
	o := onboarding.Options{Email: onboarding.EmailLists{Deny: deny, Allow: allow}, Location: loc}
	if scheduleSpec != "none" {
		s, err := loadSchedule(e, scheduleSpec)
		if err != nil {
			return nil, err
		}
		o.Collections = onboarding.CollectionsFrom(s)
	}
	as, err := onboarding.NewAssessor(p, o)
	if err != nil {
		return nil, usageError("%v", strings.TrimPrefix(err.Error(), "onboarding: "))
	}
	return as, nil
}

// onboardingProblems formats a policy's problems one per line as
// FILE:LINE:COL: path: message.
func onboardingProblems(file string, err error) error {
	var oe *risk.DocumentError
	if !errors.As(err, &oe) {
		return fmt.Errorf("%s: %w", file, err)
	}
	return issuesError(file, oe.Issues)
}

// decodeApplicantLine decodes one applicant strictly; the error names the
// column and field of the first problem and lists the others.
func decodeApplicantLine(b []byte) (onboarding.Applicant, *lineError) {
	a, err := onboarding.DecodeApplicant(b)
	if err == nil {
		return a, nil
	}
	var oe *risk.DocumentError
	if !errors.As(err, &oe) || len(oe.Issues) == 0 {
		return a, &lineError{Msg: err.Error()}
	}
	first := oe.Issues[0]
	le := &lineError{Column: first.Column, Path: first.Path, Msg: first.Msg}
	for _, is := range oe.Issues[1:] {
		le.Msg += "; " + strings.TrimPrefix(is.String(), "1:")
	}
	return a, le
}

// asksText says what the applicant is waiting on: step-ups, verifications
// still pending, or a review's deadline.
func asksText(a *onboarding.Assessment) string {
	var parts []string
	for _, s := range a.StepUps {
		parts = append(parts, string(s.Method))
	}
	for _, c := range a.Outstanding {
		parts = append(parts, "pending:"+string(c))
	}
	if r := a.Review; r != nil {
		switch {
		case r.Decision != "":
			parts = append(parts, "reviewed")
		case r.Expired:
			parts = append(parts, "review expired")
		default:
			parts = append(parts, "review by "+r.Deadline.UTC().Format("01-02 15:04"))
		}
	}
	if len(parts) == 0 {
		return "-"
	}
	return strings.Join(parts, ",")
}

func amountOrDash(m risk.Money) string {
	if m.IsZero() || m.Sign() == 0 {
		return "-"
	}
	return m.String()
}

func heldText(held []onboarding.HeldService) string {
	var parts []string
	for _, h := range held {
		if h.Requested {
			parts = append(parts, h.Service)
		}
	}
	if len(parts) == 0 {
		return "-"
	}
	return strings.Join(parts, ",")
}

func adminText(a onboarding.Admin) string {
	if !a.Requested {
		return "-"
	}
	return a.Level.String()
}

// reasonCodes lists the reason codes of the rules that fired, and how many
// rules lacked an input.
func reasonCodes(d *risk.Decision) string {
	codes := d.Reasons()
	if n := len(d.Missing); n > 0 {
		codes = append(codes, fmt.Sprintf("missing:%d", n))
	}
	if len(codes) == 0 {
		return "-"
	}
	return strings.Join(codes, ",")
}

// writeAssessment writes one assessment for a person: the decision and why,
// what is asked, each control, and, with collections, the collections
// policy to acknowledge.
func writeAssessment(w io.Writer, a *onboarding.Assessment, collections bool) error {
	d := &a.Decision
	fmt.Fprintf(w, "%s: %s (score %d)\n", a.ApplicantID, a.Outcome, d.Score)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	row := func(k, v string) { fmt.Fprintf(tw, "  %s\t%s\n", k, v) }
	for _, h := range d.Hits {
		row("because", h.Reason+" "+hitEffect(h)+": "+h.Message)
	}
	for _, h := range d.Shadow {
		row("shadow", h.Reason+" "+hitEffect(h)+" (watched, not counted)")
	}
	if len(d.Missing) > 0 {
		ids := make([]string, len(d.Missing))
		for i, m := range d.Missing {
			ids[i] = m.RuleID
		}
		row("undecided", "no input for "+strings.Join(ids, ", "))
	}
	for _, s := range a.StepUps {
		row("step-up", string(s.Method)+" (asked by "+strings.Join(s.Rules, ", ")+")")
	}
	for _, o := range a.Outstanding {
		row("waiting for", string(o)+" verification")
	}
	if r := a.Review; r != nil {
		row("review", fmt.Sprintf("by %s, else %s", r.Deadline.UTC().Format(time.RFC3339), r.OnExpiry))
	}
	c := &a.Controls
	p := c.Prepayment
	if p.Required.Sign() > 0 {
		row("prepayment", fmt.Sprintf("%s due of %s required (%s)", p.Due, p.Required, strings.Join(p.Rules, ", ")))
	} else {
		row("prepayment", "none")
	}
	cl := c.CreditLimit
	basis := "no verified report"
	if cl.Band != "" {
		basis = "band " + cl.Band + " from the " + string(cl.Source) + " report"
	}
	switch {
	case len(cl.NoCreditRules) > 0:
		row("credit limit", fmt.Sprintf("%s: no credit while %s", cl.Limit, strings.Join(cl.NoCreditRules, ", ")))
	case cl.Capped:
		row("credit limit", fmt.Sprintf("%s (%s, capped at a share of net worth)", cl.Limit, basis))
	default:
		row("credit limit", fmt.Sprintf("%s (%s)", cl.Limit, basis))
	}
	var alerts []string
	for _, t := range c.MonthlyCap.Thresholds {
		alerts = append(alerts, t.Percent.String())
	}
	capText := fmt.Sprintf("%s a month from %s", c.MonthlyCap.Amount, c.MonthlyCap.Start)
	if len(alerts) > 0 {
		capText += ", alerts at " + strings.Join(alerts, ", ")
	}
	row("spending cap", capText)
	for _, h := range c.Held {
		s := h.Service
		if h.Requested {
			s += " (requested)"
		}
		if h.Until != "" {
			s += " until tier " + h.Until
		}
		if len(h.Rules) > 0 {
			s += " while " + strings.Join(h.Rules, ", ")
		}
		row("held back", s)
	}
	if c.Admin.Requested {
		s := c.Admin.Level.String()
		if len(c.Admin.Rules) > 0 {
			s += " (" + strings.Join(c.Admin.Rules, ", ") + ")"
		}
		row("admin access", s)
	}
	if len(c.RefusedFunding) > 0 {
		f := make([]string, len(c.RefusedFunding))
		for i, x := range c.RefusedFunding {
			f[i] = string(x)
		}
		s := strings.Join(f, ", ") + " cards refused"
		if c.InstrumentRefused {
			s += "; the card offered is one"
		}
		row("instruments", s)
	}
	t := a.Tier
	tier := t.Name
	if len(t.HeldBy) > 0 {
		tier += " (held by " + strings.Join(t.HeldBy, ", ") + ")"
	}
	if t.Next != nil {
		var needs []string
		for _, r := range t.Next.Requirements {
			switch {
			case r.Met:
			case strings.HasPrefix(r.Name, "rule."):
				needs = append(needs, "rule "+strings.TrimPrefix(r.Name, "rule.")+" to stop firing")
			default:
				needs = append(needs, r.Name+" "+r.Have+"/"+r.Need)
			}
		}
		tier += "; " + t.Next.Name + " (" + t.Next.MonthlyCap.String() + " a month) needs " + strings.Join(needs, ", ")
	}
	row("tier", tier)
	if err := tw.Flush(); err != nil {
		return err
	}
	if col := c.Collections; collections && col.Text != "" {
		fmt.Fprintf(w, "  collections policy to acknowledge (%s %s):\n", col.ScheduleID, col.Version)
		for _, l := range strings.Split(strings.TrimRight(col.Text, "\n"), "\n") {
			if l == "" {
				continue
			}
			fmt.Fprintln(w, "    "+l)
		}
	}
	return nil
}

// onboardDemo assesses the sign-up from a high-risk region in the example
// data: approved, under controls, with the collections policy it is shown.
func onboardDemo(w io.Writer) error {
	e := &env{stdout: w, stderr: io.Discard}
	as, err := loadAssessor(e, embeddedPrefix+"onboarding.yaml", embeddedPrefix+"dunning.yaml", nil, nil, time.UTC)
	if err != nil {
		return err
	}
	data, err := examples.Data("applicants.jsonl")
	if err != nil {
		return err
	}
	var a onboarding.Applicant
	found := false
	for _, l := range strings.Split(string(data), "\n") {
		if strings.Contains(l, `"id":"region-prepay"`) {
			if a, err = onboarding.DecodeApplicant([]byte(l)); err != nil {
				return err
			}
			found = true
			break
		}
	}
	if !found {
		return errors.New("applicant region-prepay is not in embedded:applicants.jsonl")
	}
	fmt.Fprintf(w, "policy %s %s; applicant %s from %s, signed up %s\n\n", as.Policy().Engine().PolicyID(),
		as.Policy().Engine().PolicyVersion(), a.ID, a.Country, a.Signup.At.UTC().Format(time.RFC3339))
	r, err := as.Evaluate(onboarding.Assessment{}, onboarding.Event{Applicant: &a}, a.Signup.At)
	if err != nil {
		return err
	}
	res := r.Assessment
	if err := writeAssessment(w, &res, false); err != nil {
		return err
	}
	col := res.Controls.Collections
	fmt.Fprintf(w, "  collections policy to acknowledge (%s %s), first lines:\n", col.ScheduleID, col.Version)
	shown := 0
	for _, l := range strings.Split(col.Text, "\n") {
		if l == "" || !strings.HasPrefix(l, "- ") {
			continue
		}
		fmt.Fprintln(w, "    "+l)
		if shown++; shown == 3 {
			break
		}
	}
	fmt.Fprintln(w, "\nmore: riskctl onboard (all "+strconv.Itoa(strings.Count(string(data), "\n"))+" sample sign-ups), riskctl onboard -detail")
	return nil
}
