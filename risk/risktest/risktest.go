// Package risktest runs a policy's test cases, written in YAML, from go test
// or from a program.
//
// A test file lists cases; each gives an input in the JSON shape of the
// policy's input type, the outcome expected, and the ids of the active rules
// expected to fire (all of them, in any order):
//
//	tests:
//	  - name: prepaid card is refused
//	    input:
//	      payment: {funding: prepaid}
//	      txn: {id: t1, amount: "20.00 USD", time: 2026-01-01T10:00:00Z}
//	    outcome: reject
//	    rules: [high_risk_funding]
//
// Optional keys check more: score (the exact total), missing (ids of rules
// that lacked an input), errors (ids of rules that errored) and shadow (ids
// of shadow rules that fired). In a test:
//
//	func TestCheckoutPolicy(t *testing.T) {
//		engine, err := risk.Compile(policy, risk.CheckoutSchema())
//		...
//		risktest.Run(t, engine, cases)
//	}
package risktest

import (
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/riskkit/riskkit/internal/decode"
	"github.com/riskkit/riskkit/risk"
)

// File is a test file.
type File struct {
	Tests []Case `json:"tests"`
}

// Case is one test case.
type Case struct {
	Name string `json:"name"`
	// Input is the case's input as JSON, in the shape of the policy's
	// input type; [Check] decodes it from the file itself, so that its
	// problems carry the file's lines.
	Input   json.RawMessage `json:"input,omitempty"`
	Outcome risk.Outcome    `json:"outcome"`
	Rules   []string        `json:"rules"`
	Score   *int64          `json:"score,omitempty"`
	Missing []string        `json:"missing,omitempty"`
	Errors  []string        `json:"errors,omitempty"`
	Shadow  []string        `json:"shadow,omitempty"`
	// Line is where the case starts in the test file.
	Line int `json:"-"`
}

// Result is the outcome of one case.
type Result struct {
	Name string `json:"name"`
	// Line is where the case starts in the test file.
	Line int `json:"line"`
	// Diff is empty when the case passed, and otherwise the difference
	// between what was expected and what the policy decided, as
	// (-want +got).
	Diff string `json:"diff,omitempty"`
	// Decision is what the policy decided.
	Decision risk.Decision `json:"decision"`
}

// Passed reports whether the case passed.
// ErrInvalidTests is wrapped by every problem found in a test file; the
// error is a *risk.DocumentError.
var ErrInvalidTests = errors.New("risktest: invalid test file")

func (r Result) Passed() bool { return r.Diff == "" }

// expectation is what a case checks, in the shape both sides are compared in.
type expectation struct {
	Outcome risk.Outcome
	Rules   []string
	Score   *int64
	Missing []string
	Errors  []string
	Shadow  []string
}

// Parse reads a test file, YAML or JSON. Every problem comes back at once
// in a *[risk.DocumentError], each with its path and line: a file that is
// not YAML, unknown keys, a case without a name or outcome, a name used
// twice.
func Parse(src []byte) (*File, error) {
	f, _, err := parse(src)
	return f, err
}

func parse(src []byte) (*File, *decode.Document, error) {
	doc, issues := decode.Parse(src)
	var f File
	if doc != nil {
		issues = doc.Into(&f)
	}
	if len(issues) > 0 {
		return nil, nil, risk.NewDocumentError("risktest", ErrInvalidTests, "test file", issues)
	}
	v := decode.Collector{Doc: doc}
	seen := map[string]bool{}
	for i := range f.Tests {
		c := &f.Tests[i]
		path := "tests[" + strconv.Itoa(i) + "]"
		c.Line, _ = doc.Pos(path)
		switch {
		case c.Name == "":
			v.Add(path+".name", "missing; every case has a name")
		case seen[c.Name]:
			v.Add(path+".name", "%q names two cases", c.Name)
		}
		seen[c.Name] = true
		if c.Outcome == "" {
			v.Add(path+".outcome", "missing; every case expects an outcome")
		}
	}
	if err := risk.NewDocumentError("risktest", ErrInvalidTests, "test file", v.Issues); err != nil {
		return nil, nil, err
	}
	return &f, doc, nil
}

// Check parses a test file and runs every case against the engine. It
// returns an error only when the file itself is malformed (see [Parse]) or
// an input does not decode into T; the error lists every such problem with
// its case's path and line.
func Check[T any](e *risk.Engine[T], src []byte) ([]Result, error) {
	f, doc, err := parse(src)
	if err != nil {
		return nil, err
	}
	inputs := make([]T, len(f.Tests))
	var issues []risk.Issue
	for i := range f.Tests {
		_, is := doc.Field("tests["+strconv.Itoa(i)+"].input", &inputs[i])
		issues = append(issues, is...)
	}
	if err := risk.NewDocumentError("risktest", ErrInvalidTests, "test file", issues); err != nil {
		return nil, err
	}
	results := make([]Result, 0, len(f.Tests))
	for i, c := range f.Tests {
		d := e.Evaluate(&inputs[i])
		want := expectation{Outcome: c.Outcome, Rules: sorted(c.Rules), Score: c.Score,
			Missing: sorted(c.Missing), Errors: sorted(c.Errors), Shadow: sorted(c.Shadow)}
		got := expectation{Outcome: d.Outcome, Rules: sorted(ids(d.Hits))}
		// Optional expectations are compared only when the case states them.
		if c.Score != nil {
			got.Score = &d.Score
		}
		if c.Missing != nil {
			for _, m := range d.Missing {
				got.Missing = append(got.Missing, m.RuleID)
			}
			got.Missing = sorted(got.Missing)
		}
		if c.Errors != nil {
			for _, x := range d.Errors {
				got.Errors = append(got.Errors, x.RuleID)
			}
			got.Errors = sorted(got.Errors)
		}
		if c.Shadow != nil {
			got.Shadow = sorted(ids(d.Shadow))
		}
		results = append(results, Result{Name: c.Name, Line: c.Line, Diff: cmp.Diff(want, got, cmpopts.EquateEmpty()), Decision: d})
	}
	return results, nil
}

// Run runs every case of the test file as a subtest of t, reporting each
// failure as a (-want +got) diff with the case's line.
func Run[T any](t *testing.T, e *risk.Engine[T], src []byte) {
	t.Helper()
	results, err := Check(e, src)
	if err != nil {
		t.Fatal(err)
	}
	if len(results) == 0 {
		t.Fatal("risktest: test file has no cases")
	}
	for _, r := range results {
		t.Run(r.Name, func(t *testing.T) {
			if !r.Passed() {
				t.Errorf("line %d: decision %s mismatch (-want +got):\n%s", r.Line, r.Decision.String(), r.Diff)
			}
		})
	}
}

func ids(hits []risk.Hit) []string {
	out := make([]string, len(hits))
	for i, h := range hits {
		out[i] = h.RuleID
	}
	return out
}

func sorted(s []string) []string {
	if s == nil {
		return nil
	}
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}
