package main

// The policy commands run policies of every kind (checkout, onboarding and
// enforcement; see kinds.go) on files a person gives them:
//
//	riskctl check    -policy FILE                      compile, list every problem
//	riskctl eval     -policy FILE [INPUT.jsonl]        one decision per input line
//	riskctl test     -policy FILE -tests FILE          run the policy's test cases
//	riskctl backtest -policy FILE [-compare OTHER] DATA.jsonl
//
// Every file argument may also be "-" for standard input or embedded:NAME for
// an example shipped with riskkit, so that each command can be tried without
// files: riskctl eval -policy embedded:checkout.yaml embedded:transactions.jsonl.

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"iter"
	"os"
	"reflect"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/riskkit/riskkit/examples"
	"github.com/riskkit/riskkit/examples/internal/policyissues"
	"github.com/riskkit/riskkit/examples/internal/strictjson"
	"github.com/riskkit/riskkit/risk"
	"github.com/riskkit/riskkit/risk/risktest"
	"go.yaml.in/yaml/v3"
)

// policyUsage documents -policy, which every policy command takes.
const policyUsage = "policy `file` (YAML or JSON; - for stdin, embedded:NAME for an example such as embedded:checkout.yaml)"

// embeddedPrefix names an example file shipped inside the binary.
const embeddedPrefix = "embedded:"

// tableHoldRows is how many rows a streamed table holds to size its
// columns before it starts writing; see [streamTable].
const tableHoldRows = 256

// maxLineSize bounds one input line, so that a file without newlines cannot
// exhaust memory; a longer line is reported like any other malformed line.
const maxLineSize = 16 << 20

// displayName is how messages name a file argument.
func displayName(spec string) string {
	if readsStdin(spec) {
		return "<stdin>"
	}
	return spec
}

// openSource opens a file argument: a path, "-" (or empty) for standard
// input, or embedded:NAME looked up with embedded.
func openSource(e *env, spec string, embedded func(string) ([]byte, error)) (io.Reader, func() error, error) {
	noClose := func() error { return nil }
	switch {
	case readsStdin(spec):
		if e.stdinTerminal {
			// Otherwise a person who forgot the file sees nothing happen.
			fmt.Fprintln(e.stderr, "riskctl: reading standard input from the terminal; type or paste the input and end it with Ctrl-D, or give a file")
		}
		return e.stdin, noClose, nil
	case strings.HasPrefix(spec, embeddedPrefix):
		b, err := embedded(strings.TrimPrefix(spec, embeddedPrefix))
		if err != nil {
			return nil, nil, err
		}
		return bytes.NewReader(b), noClose, nil
	}
	// os errors name the path, which is what a person needs to fix it.
	f, err := os.Open(spec)
	if err != nil {
		return nil, nil, err
	}
	return f, f.Close, nil
}

// readSource reads a whole file argument.
func readSource(e *env, spec string, embedded func(string) ([]byte, error)) ([]byte, error) {
	r, closeFn, err := openSource(e, spec, embedded)
	if err != nil {
		return nil, err
	}
	defer closeFn()
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", displayName(spec), err)
	}
	return b, nil
}

// readsStdin reports whether a file argument is standard input.
func readsStdin(spec string) bool { return spec == "" || spec == "-" }

// policyFlags defines -policy and -kind, which every policy command takes.
func policyFlags(fs *flag.FlagSet) (*string, *kindFlag) {
	spec := fs.String("policy", "", policyUsage)
	k := new(kindFlag)
	fs.Var(k, "kind", kindUsage)
	return spec, k
}

// requirePolicy checks the -policy flag every policy command needs.
func requirePolicy(spec string) error {
	if spec == "" {
		return usageError("-policy is required (a file, - for stdin, or embedded:checkout.yaml)")
	}
	return nil
}

// problem is one thing wrong with a policy file, located as precisely as
// the policy package could.
type problem struct {
	File   string `json:"file"`
	Line   int    `json:"line,omitempty"`
	Column int    `json:"column,omitempty"`
	RuleID string `json:"rule_id,omitempty"`
	Msg    string `json:"message"`
}

// String formats the problem as FILE:LINE:COL: rule ID: message, the form
// editors and terminals turn into links; unknown positions are left out.
func (p problem) String() string {
	var b strings.Builder
	b.WriteString(p.File)
	if p.Line > 0 {
		fmt.Fprintf(&b, ":%d", p.Line)
		if p.Column > 0 {
			fmt.Fprintf(&b, ":%d", p.Column)
		}
	}
	b.WriteString(": ")
	if p.RuleID != "" {
		fmt.Fprintf(&b, "rule %s: ", p.RuleID)
	}
	b.WriteString(p.Msg)
	return b.String()
}

// policyProblems turns an error of compiling a policy into problems in
// source order; see policyissues.
func policyProblems(file string, err error) []problem {
	var ps []problem
	for _, i := range policyissues.Of(err) {
		ps = append(ps, problem{File: file, Line: i.Line, Column: i.Column, RuleID: i.RuleID, Msg: joinPath(i.Path, i.Msg)})
	}
	return ps
}

// joinPath prefixes a message with the field it is about, if any.
func joinPath(path, msg string) string {
	if path == "" {
		return msg
	}
	return path + ": " + msg
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}

// ---- check

func runCheck(e *env, args []string) error {
	fs := newFlags(e, "check", "")
	policySpec, k := policyFlags(fs)
	asJSON := fs.Bool("json", false, "print JSON lines instead of text")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := requirePolicy(*policySpec); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError("check takes no arguments, got %q", fs.Args())
	}
	src, err := readSource(e, *policySpec, examples.Policy)
	if err != nil {
		return err
	}
	name := displayName(*policySpec)
	p, err := compilePolicy(src, kind(*k))
	if err != nil {
		ps := policyProblems(name, err)
		for _, p := range ps {
			if *asJSON {
				if err := writeJSON(e.stdout, p); err != nil {
					return err
				}
			} else {
				fmt.Fprintln(e.stdout, p)
			}
		}
		return fmt.Errorf("%s policy %s has %s", p.Kind(), name, plural(len(ps), "problem"))
	}
	// The rules are counted from the document, so that the disabled ones,
	// which the engine leaves out, are counted too.
	var doc struct {
		Rules []risk.Rule `yaml:"rules"`
	}
	if err := yaml.Unmarshal(src, &doc); err != nil {
		return fmt.Errorf("%s: %v", name, err)
	}
	var shadow, disabled int
	for _, r := range doc.Rules {
		switch {
		case !r.IsEnabled():
			disabled++
		case r.Mode == risk.Shadow:
			shadow++
		}
	}
	if *asJSON {
		return writeJSON(e.stdout, struct {
			OK       bool   `json:"ok"`
			File     string `json:"file"`
			Kind     kind   `json:"kind"`
			PolicyID string `json:"policy_id"`
			Version  string `json:"policy_version"`
			Rules    int    `json:"rules"`
			Shadow   int    `json:"shadow"`
			Disabled int    `json:"disabled"`
		}{true, name, p.Kind(), p.ID(), p.Version(), len(doc.Rules), shadow, disabled})
	}
	fmt.Fprintf(e.stdout, "ok: %s", plural(len(doc.Rules), "rule"))
	var notes []string
	if shadow > 0 {
		notes = append(notes, fmt.Sprintf("%d shadow", shadow))
	}
	if disabled > 0 {
		notes = append(notes, fmt.Sprintf("%d disabled", disabled))
	}
	if len(notes) > 0 {
		fmt.Fprintf(e.stdout, " (%s)", strings.Join(notes, ", "))
	}
	fmt.Fprintf(e.stdout, " in %s policy %s version %s\n", p.Kind(), p.ID(), p.Version())
	return nil
}

// writeJSON writes v as one JSON line, with <, > and & as they are: the
// output is read by programs and people, not embedded in HTML.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// ---- reading JSON lines

// onError says what to do with an input line that cannot be decoded.
type onError string

const (
	stopOnError onError = "stop"
	skipOnError onError = "skip"
)

func (o *onError) String() string { return string(*o) }

func (o *onError) Set(s string) error {
	switch onError(s) {
	case stopOnError, skipOnError:
		*o = onError(s)
		return nil
	}
	return fmt.Errorf("want stop or skip, not %q", s)
}

// lineReader reads JSON lines one at a time, so that files of any length
// can be evaluated, and keeps the counts a person needs to trust the result.
type lineReader struct {
	name string
	r    *bufio.Reader
	mode onError
	// warn receives one line per skipped input line.
	warn   io.Writer
	prefix string

	line    int // number of the line last read, 1-based
	skipped int
	err     error // why reading stopped early, if it did
}

func newLineReader(name string, r io.Reader, mode onError, warn io.Writer, prefix string) *lineReader {
	return &lineReader{name: name, r: bufio.NewReaderSize(r, 64<<10), mode: mode, warn: warn, prefix: prefix}
}

// next returns the next non-blank line, or false at the end of the input
// or on a read error (left in l.err).
func (l *lineReader) next() ([]byte, bool) {
	for {
		b, err := l.readLine()
		if b == nil && err != nil {
			if !errors.Is(err, io.EOF) {
				l.err = fmt.Errorf("%s: line %d: %w", l.name, l.line+1, err)
			}
			return nil, false
		}
		l.line++
		if err != nil { // an over-long line
			if !l.malformed(&lineError{Msg: err.Error()}) {
				return nil, false
			}
			continue
		}
		if len(bytes.TrimSpace(b)) == 0 {
			continue
		}
		return b, true
	}
}

var errLineTooLong = fmt.Errorf("line longer than %d MiB", maxLineSize>>20)

// readLine reads up to the next newline. A line over maxLineSize is read to
// its end and dropped, returning errLineTooLong with a non-nil slice.
func (l *lineReader) readLine() ([]byte, error) {
	var line []byte
	tooLong := false
	for {
		chunk, err := l.r.ReadSlice('\n')
		if !tooLong {
			if len(line)+len(chunk) > maxLineSize {
				tooLong, line = true, nil
			} else {
				line = append(line, chunk...)
			}
		}
		switch {
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case err != nil && (len(line) > 0 || tooLong) && errors.Is(err, io.EOF):
			err = nil // a last line without a newline
		case err != nil:
			return nil, err
		}
		if tooLong {
			return []byte{}, errLineTooLong
		}
		return line, nil
	}
}

// malformed reports a line that could not be decoded and says whether to
// go on. Under stop it records the error; under skip it warns and counts.
func (l *lineReader) malformed(le *lineError) bool {
	le.File, le.Line = l.name, l.line
	if l.mode == skipOnError {
		l.skipped++
		fmt.Fprintf(l.warn, "%s: skipped %s\n", l.prefix, le)
		return true
	}
	l.err = le
	return false
}

// records decodes every line of l with decode, yielding each value with its
// line number.
func records[T any](l *lineReader, decode func([]byte) (T, *lineError)) iter.Seq2[int, T] {
	return func(yield func(int, T) bool) {
		for {
			b, ok := l.next()
			if !ok {
				return
			}
			v, le := decode(b)
			if le != nil {
				if !l.malformed(le) {
					return
				}
				continue
			}
			if !yield(l.line, v) {
				return
			}
		}
	}
}

// lineError is an input line that could not be decoded.
type lineError struct {
	File   string
	Line   int
	Column int    // byte column, 1-based; 0 when unknown
	Path   string // JSON path of the offending value, such as txn.amount
	Msg    string
}

func (e *lineError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
		if e.Column > 0 {
			fmt.Fprintf(&b, ":%d", e.Column)
		}
	}
	b.WriteString(": ")
	if e.Path != "" {
		b.WriteString(e.Path)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// decodeStrict decodes one JSON value from line into v; see strictjson.
func decodeStrict(line []byte, v any) *lineError {
	is := strictjson.Decode(line, v)
	if is == nil {
		return nil
	}
	return &lineError{Column: is.Column, Path: is.Path, Msg: is.Msg}
}

// evalLine is one line eval reads: a checkout, or a backtest record whose
// label is ignored, so that one data file serves both eval and backtest.
type evalLine struct {
	risk.Checkout
	ID    *string        `json:"id"`
	Fraud *bool          `json:"fraud"`
	Input *risk.Checkout `json:"input"`
}

// evalInput is a decoded eval line: the input and the id to show for it.
type evalInput[T any] struct {
	id string
	in *T
}

func decodeEvalLine(b []byte) (evalInput[risk.Checkout], *lineError) {
	var l evalLine
	if err := decodeStrict(b, &l); err != nil {
		return evalInput[risk.Checkout]{}, err
	}
	if l.Input == nil {
		if l.ID != nil || l.Fraud != nil {
			return evalInput[risk.Checkout]{}, &lineError{Msg: `a labelled record needs "input" with the checkout; a plain checkout has only customer, payment, txn and signals`}
		}
		return evalInput[risk.Checkout]{id: l.Transaction.ID, in: &l.Checkout}, nil
	}
	if !reflect.ValueOf(l.Checkout).IsZero() {
		return evalInput[risk.Checkout]{}, &lineError{Msg: `both "input" and checkout fields at the top level; put the checkout under "input" only`}
	}
	id := l.Input.Transaction.ID
	if l.ID != nil && *l.ID != "" {
		id = *l.ID
	}
	return evalInput[risk.Checkout]{id: id, in: l.Input}, nil
}

// ---- eval

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
			if err := writeJSON(e.stdout, struct {
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
		fmt.Fprintf(e.stderr, "eval: %s skipped, %s\n", plural(lines.skipped, "malformed line"), plural(decided, "decision"))
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

// ---- test

func runTest(e *env, args []string) error {
	fs := newFlags(e, "test", "")
	policy, k := policyFlags(fs)
	tests := fs.String("tests", "", "test cases `file` (YAML; embedded:checkout_tests.yaml or embedded:onboarding_tests.yaml for the examples)")
	runRE := fs.String("run", "", "run only the cases whose name matches this `regexp`")
	verbose := fs.Bool("v", false, "list every case, not only the failures")
	coverage := fs.Bool("coverage", false, "list the rules that fire in no case run")
	asJSON := fs.Bool("json", false, "print JSON lines instead of text")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := requirePolicy(*policy); err != nil {
		return err
	}
	if *tests == "" {
		return usageError("-tests is required (a YAML file of test cases, or embedded:checkout_tests.yaml)")
	}
	if fs.NArg() > 0 {
		return usageError("test takes no arguments, got %q", fs.Args())
	}
	if readsStdin(*policy) && readsStdin(*tests) {
		return usageError("the policy and the tests cannot both come from stdin")
	}
	var filter *regexp.Regexp
	if *runRE != "" {
		var err error
		if filter, err = regexp.Compile(*runRE); err != nil {
			return usageError("-run: %v", err)
		}
	}
	eng, err := loadPolicy(e, *policy, kind(*k))
	if err != nil {
		return err
	}
	src, err := readSource(e, *tests, examples.Policy)
	if err != nil {
		return err
	}
	all, err := eng.test(src)
	if err != nil {
		return fmt.Errorf("%s: %v", displayName(*tests), err)
	}
	cases, err := testCases(src)
	if err != nil {
		return fmt.Errorf("%s: %v", displayName(*tests), err)
	}
	var results []risktest.Result
	var chosen []risktest.Case
	for i, r := range all {
		if filter == nil || filter.MatchString(r.Name) {
			results = append(results, r)
			if i < len(cases) {
				chosen = append(chosen, cases[i])
			}
		}
	}
	failed := 0
	for i, r := range results {
		if !r.Passed() {
			failed++
		}
		if *asJSON {
			if err := writeJSON(e.stdout, struct {
				Passed bool `json:"passed"`
				risktest.Result
			}{r.Passed(), r}); err != nil {
				return err
			}
			continue
		}
		if r.Passed() {
			if *verbose {
				fmt.Fprintf(e.stdout, "PASS  %s\n", r.Name)
			}
			continue
		}
		fmt.Fprintf(e.stdout, "FAIL  %s (%s:%d)\n", r.Name, displayName(*tests), r.Line)
		if i < len(chosen) && chosen[i].Name == r.Name {
			for _, l := range failureLines(&chosen[i], &r.Decision) {
				fmt.Fprintf(e.stdout, "      %s\n", l)
			}
		} else {
			for l := range strings.Lines(strings.TrimRight(r.Diff, "\n")) {
				fmt.Fprintf(e.stdout, "      %s", strings.ReplaceAll(l, "\u00a0", " "))
			}
			fmt.Fprintln(e.stdout)
		}
	}
	var unexercised []string
	if *coverage {
		fired := map[string]bool{}
		for _, r := range results {
			for _, h := range slices.Concat(r.Decision.Hits, r.Decision.Shadow) {
				fired[h.RuleID] = true
			}
		}
		for _, id := range eng.RuleIDs() {
			if !fired[id] {
				unexercised = append(unexercised, id)
			}
		}
		if *asJSON {
			if err := writeJSON(e.stdout, struct {
				Rules       int      `json:"rules"`
				Unexercised []string `json:"unexercised"`
			}{len(eng.RuleIDs()), append([]string{}, unexercised...)}); err != nil {
				return err
			}
		}
	}
	if !*asJSON {
		if *coverage {
			n := len(eng.RuleIDs())
			fmt.Fprintf(e.stdout, "coverage: %d of %s fire in some case", n-len(unexercised), plural(n, "rule"))
			if len(unexercised) > 0 {
				fmt.Fprintf(e.stdout, "; never: %s", strings.Join(unexercised, ", "))
			}
			fmt.Fprintln(e.stdout)
		}
		fmt.Fprintf(e.stdout, "%d passed, %d failed", len(results)-failed, failed)
		if filter != nil {
			fmt.Fprintf(e.stdout, " (%d of %d cases match -run %s)", len(results), len(all), *runRE)
		}
		fmt.Fprintln(e.stdout)
	}
	switch {
	case len(all) == 0:
		return fmt.Errorf("%s has no test cases", displayName(*tests))
	case len(results) == 0:
		return fmt.Errorf("no test case matches -run %s", *runRE)
	case failed > 0:
		return fmt.Errorf("%d of %s failed", failed, plural(len(results), "test case"))
	}
	return nil
}

// testCases reads the cases of a risktest file, for what they expect.
func testCases(src []byte) ([]risktest.Case, error) {
	f, err := risktest.Parse(src)
	if err != nil {
		return nil, err
	}
	return f.Tests, nil
}

// failureLines says how a decision differs from what a case expects, in
// the policy's terms: the outcome, the score, and the rules that fired
// that were not expected or were expected and did not.
func failureLines(c *risktest.Case, d *risk.Decision) []string {
	var out []string
	if c.Outcome != d.Outcome {
		out = append(out, fmt.Sprintf("outcome: want %s, got %s (%s)", c.Outcome, d.Outcome, basisText(d)))
	}
	if c.Score != nil && *c.Score != d.Score {
		out = append(out, fmt.Sprintf("score:   want %d, got %d", *c.Score, d.Score))
	}
	ids := func(hs []risk.Hit) []string {
		out := make([]string, len(hs))
		for i, h := range hs {
			out[i] = h.RuleID
		}
		return out
	}
	out = append(out, setDiff("rules fired", c.Rules, ids(d.Hits), func(id string) string {
		for _, h := range d.Hits {
			if h.RuleID == id {
				return hitEffect(h)
			}
		}
		return ""
	})...)
	if c.Shadow != nil {
		out = append(out, setDiff("shadow rules fired", c.Shadow, ids(d.Shadow), nil)...)
	}
	if c.Missing != nil {
		var got []string
		for _, m := range d.Missing {
			got = append(got, m.RuleID)
		}
		out = append(out, setDiff("rules missing inputs", c.Missing, got, nil)...)
	}
	if c.Errors != nil {
		var got []string
		for _, x := range d.Errors {
			got = append(got, x.RuleID)
		}
		out = append(out, setDiff("rules in error", c.Errors, got, nil)...)
	}
	out = append(out, "decision: "+d.String())
	return out
}

// basisText says what decided an outcome.
func basisText(d *risk.Decision) string {
	switch d.Basis {
	case risk.ByRule:
		return "by a rule's action"
	case risk.ByScore:
		return fmt.Sprintf("by the score band, score %d", d.Score)
	case risk.ByError:
		return "by a rule error under fail_closed"
	case risk.ByAllow:
		return "by an allow rule"
	}
	return "the default outcome"
}

// setDiff lists the ids expected but absent and present but not expected.
func setDiff(what string, want, got []string, effect func(string) string) []string {
	var out []string
	var missing, extra []string
	for _, w := range want {
		if !slices.Contains(got, w) {
			missing = append(missing, w)
		}
	}
	for _, g := range got {
		if !slices.Contains(want, g) {
			if effect != nil {
				if e := effect(g); e != "" {
					g += " (" + e + ")"
				}
			}
			extra = append(extra, g)
		}
	}
	if len(missing) > 0 {
		out = append(out, fmt.Sprintf("%s: expected, not in the decision: %s", what, strings.Join(missing, ", ")))
	}
	if len(extra) > 0 {
		out = append(out, fmt.Sprintf("%s: in the decision, not expected: %s", what, strings.Join(extra, ", ")))
	}
	return out
}

// ---- backtest

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
		fmt.Fprintf(e.stderr, "backtest: %s skipped, %s evaluated\n", plural(lines.skipped, "malformed line"), plural(rep.Inputs, "record"))
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
		return writeJSON(e.stdout, backtestJSON(rep, lines.skipped, res.Compare))
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
		rep.PolicyID, rep.PolicyVersion, plural(rep.Inputs, "input"), rep.Fraud, share(rep.Fraud, rep.Inputs))
	if skipped > 0 {
		fmt.Fprintf(w, "; %s skipped", plural(skipped, "malformed line"))
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
		c.PolicyID, c.PolicyVersion, c.File, plural(c.Changed, "input"))
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
