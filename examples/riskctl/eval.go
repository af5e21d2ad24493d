package main

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/riskkit/riskkit/examples"
	"github.com/riskkit/riskkit/internal/text"
	"github.com/riskkit/riskkit/risk"
)

func runEval(e *env, args []string) error {
	fs := newFlags(e, "eval", "[INPUT.jsonl]")
	policy, k := policyFlags(fs)
	asJSON := fs.Bool("json", false, "print JSON lines instead of a table")
	mode := stopOnError
	fs.Var(&mode, "on-error", "`mode` for a malformed input line: stop (fail) or skip (report it on stderr and go on)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := requirePolicy(*policy); err != nil {
		return err
	}
	if fs.NArg() > 1 {
		return usageError("eval reads one input file, got %d", fs.NArg())
	}
	input := fs.Arg(0)
	if readsStdin(*policy) && readsStdin(input) {
		return usageError("the policy and the input cannot both come from stdin")
	}
	eng, err := loadPolicy(e, *policy, kind(*k))
	if err != nil {
		return err
	}
	r, closeFn, err := openSource(e, input, examples.Data)
	if err != nil {
		return err
	}
	defer closeFn()

	lines := newLineReader(displayName(input), r, mode, e.stderr, "eval")
	outcomes := eng.Outcomes()
	counts := make(map[risk.Outcome]int, len(outcomes))
	decided := 0
	var table *streamTable
	if !*asJSON {
		table = newStreamTable(e.stdout, "LINE", "ID", "OUTCOME", "SCORE", "REASONS")
	}
	for n, in := range eng.evaluate(lines) {
		d := in.decision
		decided++
		counts[d.Outcome]++
		if *asJSON {
			if err := writeJSON(e.stdout, "eval", "decision", struct {
				Line     int           `json:"line"`
				ID       string        `json:"id"`
				Decision risk.Decision `json:"decision"`
			}{n, in.id, d}); err != nil {
				return err
			}
			continue
		}
		table.row(strconv.Itoa(n), orDash(in.id), string(d.Outcome), strconv.FormatInt(d.Score, 10), reasons(&d))
	}
	if table != nil {
		table.flush()
		writeTally(e.stdout, decided, "decision", outcomes, counts, lines.skipped)
	}
	// The count goes to stderr as well, where the skipped lines were
	// reported, so that it survives -json and a failure later in the file.
	if lines.skipped > 0 {
		fmt.Fprintf(e.stderr, "eval: %s skipped, %s\n", text.Plural(lines.skipped, "malformed line"), text.Plural(decided, "decision"))
	}
	return lines.err
}

// streamTable writes a table whose rows arrive one at a time, so that
// evaluating a large file streams. It holds the first rows to size the
// columns, like text/tabwriter, then writes each row as it comes and only
// ever widens a column, so output stays aligned wherever the widths settle.
type streamTable struct {
	w       io.Writer
	widths  []int
	held    [][]string
	holding bool
}

func newStreamTable(w io.Writer, header ...string) *streamTable {
	t := &streamTable{w: w, widths: make([]int, len(header)), holding: true}
	t.row(header...)
	return t
}

func (t *streamTable) row(cells ...string) {
	for i, c := range cells {
		t.widths[i] = max(t.widths[i], len(c))
	}
	if !t.holding {
		t.write(cells)
		return
	}
	t.held = append(t.held, cells)
	if len(t.held) > tableHoldRows {
		t.flush()
	}
}

// flush writes the held rows and stops holding.
func (t *streamTable) flush() {
	for _, r := range t.held {
		t.write(r)
	}
	t.held, t.holding = nil, false
}

func (t *streamTable) write(cells []string) {
	var b strings.Builder
	for i, c := range cells {
		b.WriteString(c)
		if i < len(cells)-1 {
			b.WriteString(strings.Repeat(" ", t.widths[i]-len(c)+2))
		}
	}
	b.WriteByte('\n')
	io.WriteString(t.w, b.String())
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// reasons lists why a decision came out as it did, for a table cell:
// the reason codes of the rules that fired with their score or action,
// then shadow hits, rule errors and rules that lacked inputs.
func reasons(d *risk.Decision) string {
	var parts []string
	for _, h := range d.Hits {
		parts = append(parts, hitText(h))
	}
	for _, h := range d.Shadow {
		parts = append(parts, "shadow:"+hitText(h))
	}
	for _, x := range d.Errors {
		parts = append(parts, "error:"+x.RuleID)
	}
	// A host that does not supply some signals leaves the same rules
	// undecided on every line; their names would crowd out the reasons.
	switch n := len(d.Missing); {
	case n > 2:
		parts = append(parts, fmt.Sprintf("missing:%d rules", n))
	case n > 0:
		ids := make([]string, n)
		for i, m := range d.Missing {
			ids[i] = m.RuleID
		}
		parts = append(parts, "missing:"+strings.Join(ids, "+"))
	}
	if len(parts) == 0 {
		return "-"
	}
	return strings.Join(parts, ", ")
}

func hitText(h risk.Hit) string {
	if e := hitEffect(h); e != "" {
		return h.Reason + " " + e
	}
	return h.Reason
}

// hitEffect is what a hit did to the decision: its score, its action, or
// both, such as "+30 ->review".
func hitEffect(h risk.Hit) string {
	var parts []string
	if h.Score != 0 {
		parts = append(parts, fmt.Sprintf("%+d", h.Score))
	}
	if h.Action != "" {
		parts = append(parts, "->"+string(h.Action))
	}
	return strings.Join(parts, " ")
}
