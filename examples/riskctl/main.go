// Command riskctl evaluates, tests and backtests riskkit policies, and walks
// through a demo of every package on the embedded example data.
//
// Usage:
//
//	riskctl demo                      the guided demo on embedded data
//	riskctl <command> -h              help for one command
//
// Output is a table for people, or JSON lines with -json for programs:
// every line is an object that begins with "command" (the subcommand) and
// "type" (what the line is: decision, problem, summary, report, case, ...)
// and goes on with the line's own fields.
// Long work reports progress on stderr.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/riskkit/riskkit/examples/schema"
)

// command is one subcommand, listed in commandTable; each is written in a
// file of its own.
type command struct {
	name    string
	summary string
	run     func(env *env, args []string) error
}

// env is what a command reads and writes; tests replace it.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	// stdinTerminal and stderrTerminal say whether a person is at the
	// other end: reading a terminal's stdin is announced, and progress is
	// drawn only on a terminal.
	stdinTerminal, stderrTerminal bool
	// now is the clock progress reports use; nil means time.Now.
	now func() time.Time
}

// commandTable is every subcommand, in the order help lists them. It is
// a function rather than a variable because commands print the help.
func commandTable() []command {
	return []command{
		{"demo", "walk one customer through every package on the embedded data", runDemo},
		{"check", "compile a policy and list every problem with its line and column", runCheck},
		{"eval", "decide each checkout of a JSON lines file with a policy", runEval},
		{"explain", "for one input, every rule's result and the value of each of its sub-expressions", runExplain},
		{"expr", "evaluate one CEL expression on one input, as a policy rule would see it", runExpr},
		{"test", "run a policy's test cases and show a diff for each failure", runTest},
		{"backtest", "score labelled checkouts: outcome mix, precision, recall, rule hits", runBacktest},
		{"serve", "open a local policy workbench in the browser: edit, check, test, backtest, compare, explain", runServe},
		{"onboard", "assess sign-ups: decision, step-ups, and the controls each customer starts under", runOnboard},
		{"budget", "evaluate spending budgets: spend, forecast, alerts and anomalies", runBudget},
		{"abuse", "detect misuse in usage telemetry and recommend enforcement", runAbuse},
		{"notices", "triage the provider's fraud and misuse notices and track them as cases", runNotices},
		{"dunning", "evaluate dunning: stage, actions, next evaluation and aging of ledgers", runDunning},
		{"schema", "print the JSON Schema of an input or output: " + strings.Join(schema.Names(), ", "), runSchema},
		{"version", "print riskctl's module version, commit and Go version", runVersion},
	}
}

// demoSteps is the demo's tour, in order.
var demoSteps = []demoStep{
	{"Onboarding: a new customer's decision, controls and collections policy", onboardDemo},
	{"Checkout: scoring the sample with the checkout policy", checkoutDemo},
	{"Budget: monthly spend crosses 50/80/100%", budgetDemo},
	{"Abuse: a clean tenant and a crypto miner", abuseDemo},
	{"Notices: the provider's alerts, triaged against the detectors and answered", noticesDemo},
	{"Dunning: a customer slides into suspension and is reinstated", dunningDemo},
}

// errUsage marks errors caused by how the command was invoked; they exit 2.
var errUsage = errors.New("usage")

func usageError(format string, args ...any) error {
	return fmt.Errorf("%w: %s", errUsage, fmt.Sprintf(format, args...))
}

func main() {
	os.Exit(run(&env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr,
		stdinTerminal: isTerminal(os.Stdin), stderrTerminal: isTerminal(os.Stderr)}, os.Args[1:]))
}

// isTerminal reports whether f is a character device, as a terminal is.
func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// run executes one invocation and returns the exit status: 0 on success, 1
// when the work failed, 2 for bad usage.
func run(e *env, args []string) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(e.stderr)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	i := slices.IndexFunc(commandTable(), func(c command) bool { return c.name == args[0] })
	if i < 0 {
		fmt.Fprintf(e.stderr, "riskctl: unknown command %q\n\n", args[0])
		usage(e.stderr)
		return 2
	}
	c := commandTable()[i]
	if err := c.run(e, args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		fmt.Fprintf(e.stderr, "riskctl %s: %v\n", c.name, err)
		if errors.Is(err, errUsage) {
			return 2
		}
		return 1
	}
	return 0
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: riskctl <command> [flags] [args]")
	fmt.Fprintln(w, "\ncommands:")
	for _, c := range commandTable() {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nrun 'riskctl <command> -h' for a command's flags")
}

// newFlags returns a flag set that reports errors instead of exiting.
func newFlags(e *env, name, args string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "usage: riskctl %s [flags] %s\n", name, args)
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses args and wraps errors as usage errors. Flags may come
// after file arguments, as in `riskctl eval data.jsonl -policy p.yaml`:
// the standard flag package stops at the first argument, so parsing goes
// on after each one; "--" ends the flags, for a file whose name starts
// with a dash.
func parseFlags(fs *flag.FlagSet, args []string) error {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return err
			}
			return fmt.Errorf("%w: %v", errUsage, err)
		}
		rest := fs.Args()
		if len(rest) == 0 {
			break
		}
		// fs.Parse consumed a "--" if it stopped there; then the rest are
		// all files.
		if n := len(args) - len(rest); n > 0 && args[n-1] == "--" {
			positional = append(positional, rest...)
			break
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
	// Parsing "--" and the files leaves them as fs.Args for the command.
	return fs.Parse(append([]string{"--"}, positional...))
}

// demoStep is one section of `riskctl demo`, listed in demoSteps.
type demoStep struct {
	title string
	run   func(w io.Writer) error
}

func runDemo(e *env, args []string) error {
	fs := newFlags(e, "demo", "")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError("demo takes no arguments")
	}
	for i, s := range demoSteps {
		if i > 0 {
			fmt.Fprintln(e.stdout)
		}
		fmt.Fprintf(e.stdout, "== %s\n%s\n", s.title, strings.Repeat("-", len(s.title)+3))
		if err := s.run(e.stdout); err != nil {
			return fmt.Errorf("%s: %w", s.title, err)
		}
	}
	return nil
}
