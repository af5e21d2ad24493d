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
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/riskkit/riskkit/risk"
	"go.yaml.in/yaml/v3"
)

// File is a test file.
type File struct {
	Tests []Case `yaml:"tests"`
}

// Case is one test case.
type Case struct {
	Name    string       `yaml:"name"`
	Input   yaml.Node    `yaml:"input"`
	Outcome risk.Outcome `yaml:"outcome"`
	Rules   []string     `yaml:"rules"`
	Score   *int64       `yaml:"score,omitempty"`
	Missing []string     `yaml:"missing,omitempty"`
	Errors  []string     `yaml:"errors,omitempty"`
	Shadow  []string     `yaml:"shadow,omitempty"`
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

// Check parses a test file and runs every case against the engine. It
// returns an error only when the file itself is malformed: not YAML, a case
// without a name or outcome, or an input that does not decode into T. Such
// errors name the case and its line.
func Check[T any](e *risk.Engine[T], src []byte) ([]Result, error) {
	var f File
	dec := yaml.NewDecoder(bytes.NewReader(src))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errors.New("risktest: test file is empty")
		}
		return nil, fmt.Errorf("risktest: %v", err)
	}
	var doc yaml.Node
	_ = yaml.Unmarshal(src, &doc)
	lines := caseLines(&doc)
	results := make([]Result, 0, len(f.Tests))
	seen := map[string]bool{}
	for i, c := range f.Tests {
		line := 0
		if i < len(lines) {
			line = lines[i]
		}
		if c.Name == "" {
			return nil, fmt.Errorf("risktest: line %d: case %d has no name", line, i+1)
		}
		if seen[c.Name] {
			return nil, fmt.Errorf("risktest: line %d: case %q appears twice", line, c.Name)
		}
		seen[c.Name] = true
		if c.Outcome == "" {
			return nil, fmt.Errorf("risktest: line %d: case %q has no outcome", line, c.Name)
		}
		in, err := decodeInput[T](&c.Input)
		if err != nil {
			return nil, fmt.Errorf("risktest: line %d: case %q: input: %v", line, c.Name, err)
		}
		d := e.Evaluate(in)
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
		results = append(results, Result{Name: c.Name, Line: line, Diff: cmp.Diff(want, got, cmpopts.EquateEmpty()), Decision: d})
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

// decodeInput converts a YAML input into T through JSON, so that T's JSON
// tags and decoders apply and unknown keys are errors.
func decodeInput[T any](n *yaml.Node) (*T, error) {
	in := new(T)
	if n.Kind == 0 {
		return in, nil
	}
	var v any
	if err := n.Decode(&v); err != nil {
		return nil, err
	}
	b, err := json.Marshal(jsonable(v))
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(in); err != nil {
		return nil, err
	}
	return in, nil
}

// jsonable turns the map[any]any that YAML can produce into maps JSON can
// encode.
func jsonable(v any) any {
	switch v := v.(type) {
	case map[string]any:
		for k, e := range v {
			v[k] = jsonable(e)
		}
		return v
	case map[any]any:
		m := make(map[string]any, len(v))
		for k, e := range v {
			m[fmt.Sprint(k)] = jsonable(e)
		}
		return m
	case []any:
		for i, e := range v {
			v[i] = jsonable(e)
		}
	}
	return v
}

func caseLines(doc *yaml.Node) []int {
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		return nil
	}
	m := doc.Content[0]
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == "tests" {
			var lines []int
			for _, c := range m.Content[i+1].Content {
				lines = append(lines, c.Line)
			}
			return lines
		}
	}
	return nil
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
