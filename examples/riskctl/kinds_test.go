package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/riskkit/riskkit/examples"
)

func TestDetectKind(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want kind
	}{
		{"checkout example", "embedded:checkout.yaml", kindCheckout},
		{"onboarding example", "embedded:onboarding.yaml", kindOnboarding},
		{"enforcement example", "embedded:abuse.yaml", kindEnforcement},
		{"enforcement outcomes, some left out", "outcomes: [suspend, none]\n", kindEnforcement},
		{"checkout outcomes", "outcomes: [reject, approve]\n", kindCheckout},
		{"one outcome that is not an action", "outcomes: [suspend, review]\n", kindCheckout},
		{"not YAML", "outcomes: [\n", kindCheckout},
		{"controls make it onboarding", "controls: {currencies: [USD]}\noutcomes: [suspend]\n", kindOnboarding},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			src := []byte(tc.src)
			if name, ok := strings.CutPrefix(tc.src, embeddedPrefix); ok {
				var err error
				if src, err = examples.Policy(name); err != nil {
					t.Fatal(err)
				}
			}
			if got := detectKind(src); got != tc.want {
				t.Errorf("detectKind = %s, want %s", got, tc.want)
			}
		})
	}
}

// labelledApplicants turns the example applicants into backtest records,
// every fifth labelled fraud.
func labelledApplicants(t *testing.T) string {
	t.Helper()
	data, err := examples.Data("applicants.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	i := 0
	for l := range bytes.Lines(data) {
		rec, err := json.Marshal(struct {
			Fraud bool            `json:"fraud"`
			Input json.RawMessage `json:"input"`
		}{i%5 == 0, bytes.TrimSpace(l)})
		if err != nil {
			t.Fatal(err)
		}
		b.Write(rec)
		b.WriteByte('\n')
		i++
	}
	return b.String()
}

func TestEveryKind(t *testing.T) {
	applicants := labelledApplicants(t)
	runInvocations(t, []invocation{{
		name:   "onboarding check",
		reason: "an onboarding policy is recognised by its controls section",
		args:   []string{"check", "-policy", "embedded:onboarding.yaml"},
		stdout: []string{"ok: 35 rules (1 shadow) in onboarding policy onboarding version "},
	}, {
		name:   "onboarding test cases",
		reason: "the onboarding policy's 47 test cases run from the command line",
		args:   []string{"test", "-coverage", "-policy", "embedded:onboarding.yaml", "-tests", "embedded:onboarding_tests.yaml"},
		stdout: []string{"coverage: 35 of 35 rules fire in some case\n", "47 passed, 0 failed\n"},
	}, {
		name:   "onboarding eval",
		reason: "applicants are onboarding inputs without email_check and account",
		args:   []string{"eval", "-policy", "embedded:onboarding.yaml", "embedded:applicants.jsonl"},
		stdout: []string{"app-0001", "33 decisions: "},
	}, {
		name:   "onboarding backtest",
		reason: "labelled onboarding inputs backtest like checkouts",
		stdin:  applicants,
		args:   []string{"backtest", "-policy", "embedded:onboarding.yaml", "-"},
		stdout: []string{"policy onboarding version 2026.11.1: 33 inputs, 7 labelled fraud", "approve_with_controls"},
	}, {
		name:   "enforcement check",
		reason: "an enforcement policy is recognised by its outcomes",
		args:   []string{"check", "-policy", "embedded:abuse.yaml"},
		stdout: []string{"ok: 8 rules (1 shadow) in enforcement policy abuse-enforcement version "},
	}, {
		name:   "enforcement test",
		reason: "enforcement cases are abuse.Case inputs",
		args:   []string{"test", "-v", "-coverage", "-policy", "embedded:abuse.yaml", "-tests", "testdata/abuse_tests.yaml"},
		stdout: []string{"PASS  a repeat offender's medium finding is suspended\n", "coverage: 6 of 8 rules fire in some case; never: medium_trusted, low\n", "4 passed, 0 failed\n"},
	}, {
		name:   "enforcement checks beyond the engine",
		reason: "check reports what NewEnforcer refuses beyond the rules, such as a deadline that is not a duration",
		stdin:  "id: x\noutcomes: [suspend, none]\nparams: {deadline_high: soon}\nrules: [{id: r, when: 'true', action: suspend, reason: R}]\n",
		args:   []string{"check", "-policy", "-"},
		code:   1,
		stdout: []string{"<stdin>:3:25: params.deadline_high: soon is not a positive duration"},
	}, {
		name:   "kind given",
		reason: "-kind overrides what the document shows, and the compiler says why it does not fit",
		args:   []string{"check", "-kind", "checkout", "-policy", "embedded:onboarding.yaml"},
		code:   1,
		stdout: []string{`unknown key "controls"`},
		stderr: []string{"checkout policy embedded:onboarding.yaml has 1 problem"},
	}, {
		name:   "bad kind",
		reason: "an unknown -kind is a usage error",
		args:   []string{"check", "-kind", "refund", "-policy", "embedded:checkout.yaml"},
		code:   2,
		stderr: []string{"want checkout, onboarding or enforcement"},
	}, {
		name:   "compare across kinds",
		reason: "-compare needs a policy of the same kind",
		stdin:  applicants,
		args:   []string{"backtest", "-policy", "embedded:onboarding.yaml", "-compare", "embedded:checkout.yaml", "-"},
		code:   1,
		stderr: []string{"onboarding policy embedded:checkout.yaml has"},
	}})
}

func TestFlagsAfterArguments(t *testing.T) {
	runInvocations(t, []invocation{{
		name:   "flag after the input",
		reason: "eval INPUT -policy P works as eval -policy P INPUT",
		args:   []string{"eval", "embedded:transactions.jsonl", "-policy", "embedded:checkout.yaml", "-json"},
		stdout: []string{`"decision":{"policy_id":"checkout"`},
	}, {
		name:   "double dash ends the flags",
		reason: "after --, an argument that looks like a flag is a file",
		args:   []string{"eval", "-policy", "embedded:checkout.yaml", "--", "-json"},
		code:   1,
		stderr: []string{"open -json: no such file"},
	}, {
		name:   "two inputs",
		reason: "flags between files still leave too many files an error",
		args:   []string{"eval", "a.jsonl", "-policy", "embedded:checkout.yaml", "b.jsonl"},
		code:   2,
		stderr: []string{"eval reads one input file, got 2"},
	}})
}

func TestStdinOnATerminal(t *testing.T) {
	for _, terminal := range []bool{false, true} {
		t.Run(fmt.Sprint("terminal=", terminal), func(t *testing.T) {
			var out, errOut strings.Builder
			e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errOut, stdinTerminal: terminal}
			run(e, []string{"eval", "-policy", "embedded:checkout.yaml"})
			said := strings.Contains(errOut.String(), "reading standard input from the terminal")
			if said != terminal {
				t.Errorf("stderr %q; want the notice only on a terminal", errOut.String())
			}
		})
	}
}
