// Command riskctl evaluates, tests and backtests riskkit policies, and walks
// through a demo of every package on the embedded example data.
//
// Usage:
//
//	riskctl demo                      the guided demo on embedded data
//	riskctl <command> -h              help for one command
//
// Output is a table for people, or JSON lines with -json for programs.
// Long work reports progress on stderr.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"time"
)

// command is one subcommand. Each lives in its own file and registers itself
// from init, so that the command table is assembled without one shared list.
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

var commands = map[string]*command{}

func register(c *command) {
	if _, dup := commands[c.name]; dup {
		panic("riskctl: command registered twice: " + c.name)
	}
	commands[c.name] = c
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
	c, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(e.stderr, "riskctl: unknown command %q\n\n", args[0])
		usage(e.stderr)
		return 2
	}
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
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-10s %s\n", n, commands[n].summary)
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

// demoStep is one section of `riskctl demo`. Sections register from init
// and run in order.
type demoStep struct {
	order int
	title string
	run   func(w io.Writer) error
}

var demoSteps []demoStep

func registerDemo(order int, title string, run func(w io.Writer) error) {
	demoSteps = append(demoSteps, demoStep{order, title, run})
}

func init() {
	register(&command{name: "demo", summary: "walk one customer through every package on the embedded data", run: runDemo})
}

func runDemo(e *env, args []string) error {
	fs := newFlags(e, "demo", "")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError("demo takes no arguments")
	}
	steps := append([]demoStep(nil), demoSteps...)
	sort.SliceStable(steps, func(i, j int) bool { return steps[i].order < steps[j].order })
	for i, s := range steps {
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
