package main

import (
	"flag"
	"fmt"
	"io"
	"runtime"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/riskkit/riskkit/examples"
	"github.com/riskkit/riskkit/internal/text"
	"github.com/riskkit/riskkit/risk"
)

// backtestResult is what a backtest found, for whichever output writes it.
type backtestResult struct {
	Policy  policy
	Data    string // the data file's name
	Report  *risk.Report
	Skipped int         // malformed lines skipped
	Compare *comparison // nil without -compare
}

// backtestOutputs are the outputs other files add to backtest. Each
// registers its flags and returns a writer that, when its flags ask for
// it, writes the result and reports true; the tables are written when
// none does.
var backtestOutputs = []func(fs *flag.FlagSet) func(e *env, res *backtestResult) (bool, error){htmlOutput}

func runBacktest(e *env, args []string) error {
	fs := newFlags(e, "backtest", "DATA.jsonl")
	policySpec, k := policyFlags(fs)
	compare := fs.String("compare", "", "another policy `file`, usually the one in production, to list the inputs whose outcome changes (OTHER -> POLICY)")
	flagged := fs.String("flagged", "", "comma-separated `outcomes` counted as predicting fraud (default: all but the policy's default outcome)")
	asJSON := fs.Bool("json", false, "print the report as one JSON line instead of tables")
	quiet := fs.Bool("q", false, "no progress on a terminal")
	workers := fs.Int("workers", runtime.GOMAXPROCS(0), "goroutines evaluating the policy (default one per core); the report is the same for any number")
	mode := stopOnError
	fs.Var(&mode, "on-error", "`mode` for a malformed data line: stop (fail) or skip (report it on stderr and go on)")
	var outputs []func(*env, *backtestResult) (bool, error)
	for _, register := range backtestOutputs {
		outputs = append(outputs, register(fs))
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := requirePolicy(*policySpec); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageError("backtest reads one data file (JSON lines of {\"id\", \"fraud\", \"input\"}; - for stdin), got %d", fs.NArg())
	}
	data := fs.Arg(0)
	stdinUsers := 0
	for _, s := range []string{*policySpec, *compare, data} {
		if s == "-" {
			stdinUsers++
		}
	}
	if stdinUsers > 1 {
		return usageError("only one of -policy, -compare and the data can come from stdin")
	}
	eng, err := loadPolicy(e, *policySpec, kind(*k))
	if err != nil {
		return err
	}
	var flags []risk.Outcome
	if *flagged != "" {
		known := eng.Outcomes()
		for _, s := range strings.Split(*flagged, ",") {
			o := risk.Outcome(strings.TrimSpace(s))
			if !slices.Contains(known, o) {
				return usageError("-flagged: %q is not an outcome of policy %s (it has %v)", o, eng.ID(), known)
			}
			flags = append(flags, o)
		}
	}
	var other policy
	if *compare != "" {
		if other, err = loadPolicy(e, *compare, eng.Kind()); err != nil {
			return err
		}
	}
	r, closeFn, err := openSource(e, data, examples.Data)
	if err != nil {
		return err
	}
	defer closeFn()

	prog := newProgress(e, "backtest", "records", r, !*quiet)
	lines := newLineReader(displayName(data), prog.reader(), mode, e.stderr, "backtest")
	rep, changes, err := eng.backtest(lines, flags, other, *workers, prog.tick)
	prog.done()
	if err != nil {
		return err
	}
	if lines.skipped > 0 {
		fmt.Fprintf(e.stderr, "backtest: %s skipped, %s evaluated\n", text.Plural(lines.skipped, "malformed line"), text.Plural(rep.Inputs, "record"))
	}
	if lines.err != nil {
		return lines.err
	}
	res := &backtestResult{Policy: eng, Data: displayName(data), Report: rep, Skipped: lines.skipped}
	if other != nil {
		res.Compare = compareReports(rep, other, displayName(*compare), changes)
	}
	for _, out := range outputs {
		if done, err := out(e, res); done || err != nil {
			return err
		}
	}
	if *asJSON {
		return writeJSON(e.stdout, "backtest", "report", backtestJSON(rep, lines.skipped, res.Compare))
	}
	writeReport(e.stdout, rep, lines.skipped)
	if res.Compare != nil {
		fmt.Fprintln(e.stdout)
		writeComparison(e.stdout, res.Compare)
	}
	return nil
}

func pct(f float64) string { return fmt.Sprintf("%.1f%%", 100*f) }

func share(n, of int) string {
	if of == 0 {
		return "-"
	}
	return pct(float64(n) / float64(of))
}

// writeReport prints a backtest report as tables for a person.
func writeReport(w io.Writer, rep *risk.Report, skipped int) {
	fmt.Fprintf(w, "policy %s version %s: %s, %d labelled fraud (%s)",
		rep.PolicyID, rep.PolicyVersion, text.Plural(rep.Inputs, "input"), rep.Fraud, share(rep.Fraud, rep.Inputs))
	if skipped > 0 {
		fmt.Fprintf(w, "; %s skipped", text.Plural(skipped, "malformed line"))
	}
	fmt.Fprintln(w)

	fmt.Fprintln(w)
	names := leftAligned("OUTCOME", len(rep.Outcomes), func(i int) string { return string(rep.Outcomes[i].Outcome) })
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "%s\tCOUNT\tSHARE\t\n", names[0])
	for i, o := range rep.Outcomes {
		fmt.Fprintf(tw, "%s\t%d\t%s\t\n", names[i+1], o.Count, share(o.Count, rep.Inputs))
	}
	tw.Flush()

	c := rep.Confusion
	fmt.Fprintln(w)
	fmt.Fprintf(w, "flagged as fraud: %s\n", joinOutcomes(rep.Flagged))
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "           \tFRAUD\tLEGITIMATE\t")
	fmt.Fprintf(tw, "flagged    \t%d\t%d\t\n", c.TruePositives, c.FalsePositives)
	fmt.Fprintf(tw, "not flagged\t%d\t%d\t\n", c.FalseNegatives, c.TrueNegatives)
	tw.Flush()
	fmt.Fprintf(w, "precision %s  recall %s  false positive rate %s\n", pct(c.Precision()), pct(c.Recall()), pct(c.FalsePositiveRate()))

	fmt.Fprintln(w)
	ids := leftAligned("RULE", len(rep.Rules), func(i int) string {
		if rep.Rules[i].Shadow {
			return rep.Rules[i].RuleID + " (shadow)"
		}
		return rep.Rules[i].RuleID
	})
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "%s\tHITS\tHIT RATE\tFRAUD HITS\tPRECISION\tERRORS\tMISSING\t\n", ids[0])
	for i, s := range rep.Rules {
		prec := "-"
		if s.Hits > 0 {
			prec = pct(s.Precision())
		}
		fmt.Fprintf(tw, "%s\t%d\t%s\t%d\t%s\t%d\t%d\t\n", ids[i+1], s.Hits, share(s.Hits, rep.Inputs), s.FraudHits, prec, s.Errors, s.Missing)
	}
	tw.Flush()
}

// leftAligned returns header and the n cells of a first column padded to
// one width, so that the column reads left-aligned in a table whose
// number columns are right-aligned.
func leftAligned(header string, n int, cell func(int) string) []string {
	col := make([]string, n+1)
	col[0] = header
	for i := range n {
		col[i+1] = cell(i)
	}
	width := 0
	for _, c := range col {
		width = max(width, len(c))
	}
	for i, c := range col {
		col[i] = c + strings.Repeat(" ", width-len(c))
	}
	return col
}

func joinOutcomes(outcomes []risk.Outcome) string {
	s := make([]string, len(outcomes))
	for i, o := range outcomes {
		s[i] = string(o)
	}
	return strings.Join(s, ", ")
}

// comparison is what changes when one policy replaces another on the same
// data.
type comparison struct {
	File          string          `json:"file"`
	PolicyID      string          `json:"policy_id"`
	PolicyVersion string          `json:"policy_version"`
	Changed       int             `json:"changed"`
	Before        risk.Confusion  `json:"before"`
	After         risk.Confusion  `json:"after"`
	Changes       []risk.Change   `json:"changes"`
	flagged       map[string]bool // by outcome name, from the backtested policy
}

// maxChangesShown bounds the changed inputs a table lists.
const maxChangesShown = 20

// compareReports works out the other policy's confusion matrix from the
// backtested one and the changes: inputs whose outcome did not change count
// the same under both, so only the changed ones move between cells. Both
// sides count the same outcomes as flagged, those of the backtest.
func compareReports(rep *risk.Report, other policy, file string, changes []risk.Change) *comparison {
	c := &comparison{File: file, PolicyID: other.ID(), PolicyVersion: other.Version(),
		Changed: len(changes), After: rep.Confusion, Before: rep.Confusion, Changes: changes, flagged: map[string]bool{}}
	for _, o := range rep.Flagged {
		c.flagged[string(o)] = true
	}
	for _, ch := range changes {
		*cell(&c.Before, c.flagged[string(ch.After)], ch.Fraud)--
		*cell(&c.Before, c.flagged[string(ch.Before)], ch.Fraud)++
	}
	return c
}

func cell(c *risk.Confusion, flagged, fraud bool) *int {
	switch {
	case flagged && fraud:
		return &c.TruePositives
	case flagged:
		return &c.FalsePositives
	case fraud:
		return &c.FalseNegatives
	}
	return &c.TrueNegatives
}

func writeComparison(w io.Writer, c *comparison) {
	fmt.Fprintf(w, "compared with policy %s version %s (%s): %s changed outcome\n",
		c.PolicyID, c.PolicyVersion, c.File, text.Plural(c.Changed, "input"))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "                   \tOTHER\tTHIS POLICY\t")
	fmt.Fprintf(tw, "precision          \t%s\t%s\t\n", pct(c.Before.Precision()), pct(c.After.Precision()))
	fmt.Fprintf(tw, "recall             \t%s\t%s\t\n", pct(c.Before.Recall()), pct(c.After.Recall()))
	fmt.Fprintf(tw, "false positive rate\t%s\t%s\t\n", pct(c.Before.FalsePositiveRate()), pct(c.After.FalsePositiveRate()))
	tw.Flush()
	if c.Changed == 0 {
		return
	}
	fmt.Fprintln(w)
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  ID\tFRAUD\tOTHER\tTHIS POLICY")
	for _, ch := range c.Changes[:min(len(c.Changes), maxChangesShown)] {
		fraud := "no"
		if ch.Fraud {
			fraud = "yes"
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", orDash(ch.ID), fraud, ch.Before, ch.After)
	}
	tw.Flush()
	if n := c.Changed - maxChangesShown; n > 0 {
		fmt.Fprintf(w, "  ... and %d more (-json lists them all)\n", n)
	}
}

// ruleJSON adds the derived rates to a rule's counts.
type ruleJSON struct {
	risk.RuleStats
	HitRate       float64 `json:"hit_rate"`
	RulePrecision float64 `json:"precision"`
}

// reportJSON is the report with the rates a program would otherwise have
// to recompute. Its Rules shadow the report's.
type reportJSON struct {
	*risk.Report
	Rules             []ruleJSON  `json:"rules"`
	Precision         float64     `json:"precision"`
	Recall            float64     `json:"recall"`
	FalsePositiveRate float64     `json:"false_positive_rate"`
	SkippedLines      int         `json:"skipped_lines"`
	Compare           *comparison `json:"compare,omitempty"`
}

func backtestJSON(rep *risk.Report, skipped int, c *comparison) reportJSON {
	out := reportJSON{Report: rep, SkippedLines: skipped, Compare: c,
		Precision: rep.Confusion.Precision(), Recall: rep.Confusion.Recall(), FalsePositiveRate: rep.Confusion.FalsePositiveRate()}
	for _, s := range rep.Rules {
		out.Rules = append(out.Rules, ruleJSON{RuleStats: s, HitRate: s.HitRate(rep.Inputs), RulePrecision: s.Precision()})
	}
	return out
}
