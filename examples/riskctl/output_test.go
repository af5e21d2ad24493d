package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/riskkit/riskkit/risk"
)

func TestIssuesError(t *testing.T) {
	tests := []struct {
		name, reason string
		issues       []risk.Issue
		want         string
	}{
		{"everything", "position, rule and path each have their place",
			[]risk.Issue{{RuleID: "sms", Path: "controls.rules.sms", Line: 12, Column: 11, Msg: "unknown step-up"}},
			"p.yaml: 1 problem\n  p.yaml:12:11: rule sms: controls.rules.sms: unknown step-up"},
		{"line only", "a YAML syntax error names a line but no column",
			[]risk.Issue{{Line: 3, Msg: "found a tab character"}},
			"p.yaml: 1 problem\n  p.yaml:3: found a tab character"},
		{"no position", "a problem found after decoding has only a path",
			[]risk.Issue{{Path: "[2]", Msg: "ledger is null"}, {Msg: "document is empty"}},
			"p.yaml: 2 problems\n  p.yaml: [2]: ledger is null\n  p.yaml: document is empty"},
		{"rule without position", "a policy built in Go has no lines",
			[]risk.Issue{{RuleID: "r1", Msg: "undeclared reference"}},
			"p.yaml: 1 problem\n  p.yaml: rule r1: undeclared reference"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := issuesError("p.yaml", tt.issues).Error()
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("issuesError (-want +got):\n%s%s", diff, tt.reason)
			}
		})
	}
}

func TestWriteJSONKeepsHTMLCharacters(t *testing.T) {
	var b strings.Builder
	if err := writeJSON(&b, "eval", "decision", map[string]string{"msg": "a < b && c > d"}); err != nil {
		t.Fatal(err)
	}
	if got, want := b.String(), `{"command":"eval","type":"decision","msg":"a < b && c > d"}`+"\n"; got != want {
		t.Errorf("writeJSON wrote %q, want %q", got, want)
	}
	b.Reset()
	if err := writeJSON(&b, "check", "summary", struct{}{}); err != nil || b.String() != `{"command":"check","type":"summary"}`+"\n" {
		t.Errorf("an empty object: %q, %v", b.String(), err)
	}
	if err := writeJSON(&b, "check", "summary", []int{1}); err == nil {
		t.Error("a JSON array was written as an envelope")
	}
}

// TestJSONEnvelope checks that every subcommand's -json lines begin with
// the one envelope: the command and the type of the line.
func TestJSONEnvelope(t *testing.T) {
	for _, args := range [][]string{
		{"check", "-json", "-policy", "embedded:checkout.yaml"},
		{"eval", "-json", "-policy", "embedded:checkout.yaml", "embedded:transactions.jsonl"},
		{"test", "-json", "-policy", "embedded:checkout.yaml", "-tests", "embedded:checkout_tests.yaml"},
		{"backtest", "-q", "-json", "-policy", "embedded:checkout.yaml", "embedded:transactions.jsonl"},
		{"onboard", "-json"},
		{"budget", "-json"},
		{"dunning", "-json", "-at", "2026-03-17"},
		{"abuse", "-json"},
		{"notices", "-json"},
	} {
		code, stdout, stderr := riskctl(t, "", args...)
		if code != 0 || stdout == "" {
			t.Errorf("riskctl %v: exit %d, %s", args, code, stderr)
			continue
		}
		prefix := `{"command":"` + args[0] + `","type":"`
		for line := range strings.Lines(stdout) {
			if !strings.HasPrefix(line, prefix) || !json.Valid([]byte(line)) {
				t.Errorf("riskctl %v wrote %.120q, not a JSON line beginning %s", args, line, prefix)
				break
			}
		}
	}
}
