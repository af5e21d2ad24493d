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
// Each command is in a file of its name (check.go, eval.go, test.go,
// backtest.go); this file holds what they share, and lines.go reads their
// JSON lines.

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/riskkit/riskkit/examples/internal/policyissues"
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
