package risktest_test

import (
	"strings"
	"testing"

	"github.com/riskkit/riskkit/risk"
	"github.com/riskkit/riskkit/risk/risktest"
)

const policy = `
id: t
outcomes: [reject, review, approve]
bands: [{min_score: 50, outcome: review}]
rules:
  - id: prepaid
    when: payment.funding == "prepaid"
    action: reject
    reason: PREPAID
  - id: velocity
    when: signals.accounts_per_ip_1h > 3
    score: 50
    reason: VELOCITY
`

const cases = `
tests:
  - name: prepaid is rejected
    input:
      payment: {funding: prepaid}
      txn: {id: t1, amount: "20.00 USD", time: 2026-01-01T10:00:00Z}
    outcome: reject
    rules: [prepaid]
  - name: velocity reviews
    input:
      signals: {accounts_per_ip_1h: 4}
      txn: {id: t2, amount: "20.00 USD", time: 2026-01-01T10:00:00Z}
    outcome: review
    rules: [velocity]
    score: 50
  - name: missing signal
    input:
      txn: {id: t3, amount: "20.00 USD", time: 2026-01-01T10:00:00Z}
    outcome: approve
    missing: [velocity]
`

func compile(t *testing.T) *risk.Engine[risk.Checkout] {
	t.Helper()
	e, err := risk.Compile([]byte(policy), risk.CheckoutSchema())
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func TestRun(t *testing.T) {
	risktest.Run(t, compile(t), []byte(cases))
}

func TestCheckReportsFailures(t *testing.T) {
	wrong := strings.Replace(cases, "outcome: review", "outcome: approve", 1)
	results, err := risktest.Check(compile(t), []byte(wrong))
	if err != nil {
		t.Fatal(err)
	}
	var failed []string
	for _, r := range results {
		if !r.Passed() {
			failed = append(failed, r.Name)
			if !hasLine(r.Diff, "-", `"approve"`) || !hasLine(r.Diff, "+", `"review"`) {
				t.Errorf("diff does not show the outcomes as (-want +got):\n%s", r.Diff)
			}
			if r.Line != 9 {
				t.Errorf("line = %d, want 9", r.Line)
			}
		}
	}
	if len(failed) != 1 || failed[0] != "velocity reviews" {
		t.Errorf("failed = %v, want [velocity reviews]", failed)
	}
}

func TestCheckMalformed(t *testing.T) {
	for _, tt := range []struct{ name, src, want string }{
		{"empty", "", "empty"},
		{"unknown key", "tests:\n  - name: a\n    outcome: approve\n    ruels: []\n", "ruels"},
		{"no name", "tests:\n  - outcome: approve\n", "2:5: tests[0].name: missing"},
		{"no outcome", "tests:\n  - name: a\n", "2:5: tests[0].outcome: missing"},
		{"duplicate", "tests:\n  - {name: a, outcome: approve}\n  - {name: a, outcome: approve}\n", `3:12: tests[1].name: "a" names two cases`},
		{"bad input field", "tests:\n  - name: a\n    outcome: approve\n    input: {txn: {amount: 5 USD, nope: 1}}\n", `4:34: tests[0].input.txn.nope: unknown key "nope"`},
		{"every problem at once", "tests:\n  - name: a\n  - outcome: x\n", "has 2 problems"},
		{"bad money", "tests:\n  - name: a\n    outcome: approve\n    input: {txn: {amount: 5 usd}}\n", "unknown currency"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := risktest.Check(compile(t), []byte(tt.src))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

// hasLine reports whether a diff has a line starting with sign (after
// indentation) that contains text. go-cmp varies its whitespace on purpose,
// so the check does not depend on it.
func hasLine(diff, sign, text string) bool {
	for _, l := range strings.Split(diff, "\n") {
		l = strings.TrimLeft(l, " \t\u00a0")
		if strings.HasPrefix(l, sign) && strings.Contains(l, text) {
			return true
		}
	}
	return false
}

func TestParse(t *testing.T) {
	f, err := risktest.Parse([]byte(cases))
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Tests) != 3 || f.Tests[1].Name != "velocity reviews" || f.Tests[1].Line != 9 || *f.Tests[1].Score != 50 {
		t.Errorf("Parse = %+v", f.Tests)
	}
	if got := string(f.Tests[0].Input); !strings.Contains(got, `"funding":"prepaid"`) {
		t.Errorf("input as JSON = %s", got)
	}
}

func FuzzCheck(f *testing.F) {
	f.Add([]byte(cases))
	f.Add([]byte("tests:\n  - {name: a, outcome: approve, input: {signals: {accounts_per_ip_1h: null}}}\n"))
	f.Add([]byte("tests: [{name: a, outcome: reject, input: &i {txn: *i}}]\n"))
	e, err := risk.Compile([]byte(policy), risk.CheckoutSchema())
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		results, err := risktest.Check(e, src)
		if err == nil && len(results) == 0 {
			t.Fatal("no error and no results")
		}
	})
}
