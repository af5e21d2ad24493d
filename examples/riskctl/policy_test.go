package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/riskkit/riskkit/examples"
	"github.com/riskkit/riskkit/risk"
)

func TestCheck(t *testing.T) {
	runInvocations(t, []invocation{{
		name:   "yaml policy",
		reason: "a policy that compiles reports its rule count, shadow rules included",
		args:   []string{"check", "-policy", "testdata/policy.yaml"},
		stdout: []string{"ok: 5 rules (1 shadow) in checkout policy fixture version 1\n"},
	}, {
		name:   "disabled rules are counted",
		reason: "the engine drops disabled rules, but a person checking the file wants them counted",
		args:   []string{"check", "-policy", "testdata/policy_v2.yaml"},
		stdout: []string{"ok: 6 rules (1 shadow, 1 disabled)"},
	}, {
		name:   "json policy",
		reason: "policies may be written in JSON",
		args:   []string{"check", "-policy", "testdata/policy.json"},
		stdout: []string{"ok: 1 rule in checkout policy fixture-json version 1\n"},
	}, {
		name:   "embedded policy",
		reason: "embedded:NAME reads an example policy shipped in the binary",
		args:   []string{"check", "-policy", "embedded:checkout.yaml"},
		stdout: []string{"ok: ", "in checkout policy checkout version "},
	}, {
		name:   "policy from stdin",
		reason: "- reads the policy from standard input",
		stdin:  readFile(t, "testdata/policy.yaml"),
		args:   []string{"check", "-policy", "-"},
		stdout: []string{"ok: 5 rules"},
	}, {
		name:       "compile errors",
		reason:     "every problem is printed as FILE:LINE:COL: rule ID: message, in source order, and the exit status is 1",
		args:       []string{"check", "-policy", "testdata/bad.yaml"},
		code:       1,
		stderr:     []string{"riskctl check: checkout policy testdata/bad.yaml has 4 problems\n"},
		goldenFile: "check_bad.txt",
	}, {
		name:   "yaml syntax error",
		reason: "a document that is not YAML is reported with the decoder's line",
		args:   []string{"check", "-policy", "testdata/broken.yaml"},
		code:   1,
		stdout: []string{"testdata/broken.yaml:2: syntax error: did not find expected ',' or ']'\n"},
	}, {
		name:   "unknown key",
		reason: "a misspelt key is a problem on its line, not silently ignored",
		args:   []string{"check", "-policy", "testdata/unknown_key.yaml"},
		code:   1,
		stdout: []string{"testdata/unknown_key.yaml:6:5: rules[0].scor: unknown key \"scor\"; did you mean \"score\"?\n"},
	}, {
		name:   "missing file",
		reason: "an unreadable policy fails with its path",
		args:   []string{"check", "-policy", "testdata/no-such-policy.yaml"},
		code:   1,
		stderr: []string{"testdata/no-such-policy.yaml", "no such file"},
	}, {
		name:   "directory",
		reason: "a directory is not a policy; the message names it",
		args:   []string{"check", "-policy", "testdata"},
		code:   1,
		stderr: []string{"testdata", "is a directory"},
	}, {
		name:   "unknown embedded policy",
		reason: "the message lists the embedded policies there are",
		args:   []string{"check", "-policy", "embedded:nope.yaml"},
		code:   1,
		stderr: []string{`"nope.yaml"`, "checkout.yaml"},
	}, {
		name:   "no policy",
		reason: "-policy is required",
		args:   []string{"check"},
		code:   2,
		stderr: []string{"-policy is required"},
	}, {
		name:   "bad flag",
		reason: "unknown flags are usage errors",
		args:   []string{"check", "-policy", "testdata/policy.yaml", "-verbose"},
		code:   2,
		stderr: []string{"flag provided but not defined: -verbose"},
	}, {
		name:   "extra argument",
		reason: "check reads only -policy",
		args:   []string{"check", "-policy", "testdata/policy.yaml", "more.yaml"},
		code:   2,
		stderr: []string{"check takes no arguments"},
	}, {
		name:   "help",
		reason: "-h prints the flags and succeeds",
		args:   []string{"check", "-h"},
		stderr: []string{"usage: riskctl check", "-policy"},
	}})
}

func TestCheckJSON(t *testing.T) {
	code, stdout, _ := riskctl(t, "", "check", "-json", "-policy", "testdata/bad.yaml")
	if code != 1 {
		t.Fatalf("exit %d, want 1", code)
	}
	var got []problem
	for line := range strings.Lines(stdout) {
		var p problem
		if err := json.Unmarshal([]byte(line), &p); err != nil {
			t.Fatalf("line %q is not JSON: %v", line, err)
		}
		got = append(got, p)
	}
	want := []problem{
		{File: "testdata/bad.yaml", Line: 6, Column: 11, RuleID: "not_bool", Msg: "condition must be bool, not int"},
		{File: "testdata/bad.yaml", Line: 12, Column: 12, RuleID: "typo", Msg: "undefined field 'ip_contry'"},
		{File: "testdata/bad.yaml", Line: 15, Column: 5, RuleID: "not_bool", Msg: "duplicate rule id"},
		{File: "testdata/bad.yaml", Line: 15, Column: 5, RuleID: "not_bool", Msg: `action "hold" is not an outcome of the policy (want one of [reject approve])`},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("problems mismatch (-want +got):\n%s", diff)
	}

	code, stdout, _ = riskctl(t, "", "check", "-json", "-policy", "testdata/policy_v2.yaml")
	if code != 0 || stdout != `{"command":"check","type":"summary","ok":true,"file":"testdata/policy_v2.yaml","kind":"checkout","policy_id":"fixture","policy_version":"2","rules":6,"shadow":1,"disabled":1}`+"\n" {
		t.Errorf("exit %d, stdout %q", code, stdout)
	}
}

func TestEval(t *testing.T) {
	checkouts := readFile(t, "testdata/checkouts.jsonl")
	runInvocations(t, []invocation{{
		name:       "table",
		reason:     "one row per input line with line number, id, outcome, score and reasons, then the outcome mix",
		args:       []string{"eval", "-policy", "testdata/policy.yaml", "testdata/checkouts.jsonl"},
		goldenFile: "eval_table.txt",
	}, {
		name:   "stdin",
		reason: "without a file, eval reads standard input",
		stdin:  checkouts,
		args:   []string{"eval", "-policy", "testdata/policy.yaml"},
		stdout: []string{"6 decisions: reject 1, review 1, challenge 1, approve 3\n"},
	}, {
		name:   "dash is stdin",
		reason: "- names standard input",
		stdin:  checkouts,
		args:   []string{"eval", "-policy", "testdata/policy.yaml", "-"},
		stdout: []string{"6 decisions"},
	}, {
		name:   "policy from stdin",
		reason: "the policy may come from stdin when the input is a file",
		stdin:  readFile(t, "testdata/policy.yaml"),
		args:   []string{"eval", "-policy", "-", "testdata/checkouts.jsonl"},
		stdout: []string{"6 decisions"},
	}, {
		name:   "both from stdin",
		reason: "stdin can be read once",
		args:   []string{"eval", "-policy", "-"},
		code:   2,
		stderr: []string{"cannot both come from stdin"},
	}, {
		name:   "json policy",
		reason: "a JSON policy evaluates like a YAML one",
		args:   []string{"eval", "-policy", "testdata/policy.json", "testdata/checkouts.jsonl"},
		stdout: []string{"6 decisions: reject 1, approve 5\n"},
	}, {
		name:   "embedded policy",
		reason: "the example policy runs on a person's own file",
		args:   []string{"eval", "-policy", "embedded:checkout.yaml", "testdata/checkouts.jsonl"},
		stdout: []string{"t-reject", "HIGH_RISK_INSTRUMENT ->reject", "6 decisions"},
	}, {
		name:   "stop at malformed line",
		reason: "by default the first malformed line fails the run, naming its line and field; earlier decisions are kept",
		args:   []string{"eval", "-policy", "testdata/policy.yaml", "testdata/malformed.jsonl"},
		code:   1,
		stdout: []string{"1     m1", "1 decision: approve 1\n"},
		stderr: []string{`riskctl eval: testdata/malformed.jsonl:2:82: txn.amount: parse money "20.00 XXQ": unknown currency "XXQ"`},
		absent: []string{"m4", "skipped"},
	}, {
		name:   "skip malformed lines",
		reason: "with -on-error=skip each malformed line is reported on stderr and the count is printed at the end",
		args:   []string{"eval", "-policy", "testdata/policy.yaml", "-on-error", "skip", "testdata/malformed.jsonl"},
		stdout: []string{"2 decisions: reject 1, approve 1; 4 lines skipped\n"},
		stderr: []string{
			"eval: skipped testdata/malformed.jsonl:2:82: txn.amount: parse money",
			"eval: skipped testdata/malformed.jsonl:3:73: the document ends inside a JSON value",
			`eval: skipped testdata/malformed.jsonl:5:71: txn.ip_contry: unknown key "ip_contry"; did you mean "ip_country"?`,
			`eval: skipped testdata/malformed.jsonl:6:59: txn.amount: parse money "20": want an amount, one space and a currency code`,
			"eval: 4 malformed lines skipped, 2 decisions\n",
		},
	}, {
		name:   "bad -on-error",
		reason: "only stop and skip are accepted",
		args:   []string{"eval", "-policy", "testdata/policy.yaml", "-on-error", "ignore", "testdata/checkouts.jsonl"},
		code:   2,
		stderr: []string{`want stop or skip, not "ignore"`},
	}, {
		name:   "bad flag",
		reason: "unknown flags are usage errors",
		args:   []string{"eval", "-polcy", "testdata/policy.yaml"},
		code:   2,
		stderr: []string{"flag provided but not defined: -polcy"},
	}, {
		name:   "no policy",
		reason: "-policy is required",
		args:   []string{"eval", "testdata/checkouts.jsonl"},
		code:   2,
		stderr: []string{"-policy is required"},
	}, {
		name:   "two inputs",
		reason: "eval reads one input",
		args:   []string{"eval", "-policy", "testdata/policy.yaml", "testdata/checkouts.jsonl", "testdata/malformed.jsonl"},
		code:   2,
		stderr: []string{"eval reads one input file, got 2"},
	}, {
		name:   "missing input",
		reason: "an unreadable input fails with its path",
		args:   []string{"eval", "-policy", "testdata/policy.yaml", "testdata/no-such-input.jsonl"},
		code:   1,
		stderr: []string{"testdata/no-such-input.jsonl", "no such file"},
	}, {
		name:   "missing policy",
		reason: "an unreadable policy fails with its path",
		args:   []string{"eval", "-policy", "testdata/no-such-policy.yaml", "testdata/checkouts.jsonl"},
		code:   1,
		stderr: []string{"testdata/no-such-policy.yaml", "no such file"},
	}, {
		name:   "policy with problems",
		reason: "a policy that does not compile is reported with every problem before any input is read",
		args:   []string{"eval", "-policy", "testdata/bad.yaml", "testdata/checkouts.jsonl"},
		code:   1,
		stderr: []string{"policy testdata/bad.yaml has 4 problems:", "\ttestdata/bad.yaml:6:11: rule not_bool: condition must be bool, not int"},
	}, {
		name:   "unknown embedded data",
		reason: "the message lists the embedded data there is",
		args:   []string{"eval", "-policy", "testdata/policy.yaml", "embedded:nope.jsonl"},
		code:   1,
		stderr: []string{`no data file "nope.jsonl"`},
	}})
}

// evalLineJSON is what eval -json writes for one input.
type evalLineJSON struct {
	Line     int           `json:"line"`
	ID       string        `json:"id"`
	Decision risk.Decision `json:"decision"`
}

func TestEvalJSON(t *testing.T) {
	code, stdout, stderr := riskctl(t, "", "eval", "-json", "-policy", "testdata/policy.yaml", "testdata/checkouts.jsonl")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	type row struct {
		Line    int
		ID      string
		Outcome risk.Outcome
		Score   int64
		Rules   []string
	}
	var got []row
	for line := range strings.Lines(stdout) {
		var l evalLineJSON
		if err := json.Unmarshal([]byte(line), &l); err != nil {
			t.Fatalf("line %q is not JSON: %v", line, err)
		}
		r := row{l.Line, l.ID, l.Decision.Outcome, l.Decision.Score, nil}
		for _, h := range l.Decision.Hits {
			r.Rules = append(r.Rules, h.RuleID)
		}
		got = append(got, r)
	}
	want := []row{
		{1, "t-approve", risk.Approve, 0, nil},
		{2, "t-challenge", risk.Challenge, 30, []string{"cnp_mismatch"}},
		{4, "t-review", risk.Review, 55, []string{"cnp_mismatch", "large"}},
		{5, "t-reject", risk.Reject, 40, []string{"prepaid", "card_shared"}},
		{6, "t-euro", risk.Approve, 0, nil},
		{7, "lab-1", risk.Approve, 0, nil},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("decisions mismatch (-want +got):\n%s", diff)
	}
}

func TestEvalJSONSkipKeepsStdoutClean(t *testing.T) {
	code, stdout, stderr := riskctl(t, "", "eval", "-json", "-on-error", "skip", "-policy", "testdata/policy.yaml", "testdata/malformed.jsonl")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var lines []int
	for line := range strings.Lines(stdout) {
		var l evalLineJSON
		if err := json.Unmarshal([]byte(line), &l); err != nil {
			t.Fatalf("stdout line %q is not a decision: %v", line, err)
		}
		lines = append(lines, l.Line)
	}
	if diff := cmp.Diff([]int{1, 4}, lines); diff != "" {
		t.Errorf("decided lines mismatch (-want +got):\n%s", diff)
	}
	if !strings.HasSuffix(stderr, "eval: 4 malformed lines skipped, 2 decisions\n") {
		t.Errorf("stderr does not end with the count:\n%s", stderr)
	}
}

func TestTest(t *testing.T) {
	runInvocations(t, []invocation{{
		name:   "all pass",
		reason: "quiet by default: only the summary",
		args:   []string{"test", "-policy", "testdata/policy.yaml", "-tests", "testdata/tests.yaml"},
		stdout: []string{"3 passed, 0 failed\n"},
		absent: []string{"PASS"},
	}, {
		name:   "all pass, verbose",
		reason: "with -v each case is listed with PASS, then the summary",
		args:   []string{"test", "-v", "-policy", "testdata/policy.yaml", "-tests", "testdata/tests.yaml"},
		stdout: []string{"PASS  domestic card is approved\n", "PASS  prepaid card is rejected\n", "3 passed, 0 failed\n"},
	}, {
		name:   "run filters cases",
		reason: "-run picks cases by a regexp of their names, and the summary says how many matched",
		args:   []string{"test", "-v", "-policy", "testdata/policy.yaml", "-tests", "testdata/tests.yaml", "-run", "prepaid"},
		stdout: []string{"PASS  prepaid card is rejected\n", "1 passed, 0 failed (1 of 3 cases match -run prepaid)\n"},
		absent: []string{"domestic card"},
	}, {
		name:   "run matches nothing",
		reason: "a filter that selects no case tests nothing and must not pass",
		args:   []string{"test", "-policy", "testdata/policy.yaml", "-tests", "testdata/tests.yaml", "-run", "^nothing$"},
		code:   1,
		stderr: []string{"no test case matches -run ^nothing$"},
	}, {
		name:   "bad run regexp",
		reason: "a -run that is not a regexp is a usage error",
		args:   []string{"test", "-policy", "testdata/policy.yaml", "-tests", "testdata/tests.yaml", "-run", "("},
		code:   2,
		stderr: []string{"-run: error parsing regexp"},
	}, {
		name:   "coverage",
		reason: "-coverage lists the rules no case fires",
		args:   []string{"test", "-coverage", "-policy", "testdata/policy.yaml", "-tests", "testdata/tests.yaml"},
		stdout: []string{"coverage: "},
	}, {
		name:   "flags after the files",
		reason: "flags may follow other flags' values and file arguments",
		args:   []string{"test", "-policy", "testdata/policy.yaml", "-tests", "testdata/tests.yaml", "-v"},
		stdout: []string{"PASS  domestic card is approved\n"},
	}, {
		name:       "a failure",
		reason:     "a failing case shows its line, the decision and the (-want +got) diff, and the exit status is 1",
		args:       []string{"test", "-policy", "testdata/policy.yaml", "-tests", "testdata/tests_failing.yaml"},
		code:       1,
		stderr:     []string{"riskctl test: 1 of 2 test cases failed\n"},
		goldenFile: "test_failing.txt",
	}, {
		name:   "malformed test file",
		reason: "a case whose input does not decode is an error naming the case's field and its line",
		args:   []string{"test", "-policy", "testdata/policy.yaml", "-tests", "testdata/tests_malformed.yaml"},
		code:   1,
		stderr: []string{`testdata/tests_malformed.yaml: risktest: test file: 4:70: tests[0].input.txn.colour: unknown key "colour"`},
	}, {
		name:   "no cases",
		reason: "a test file without cases tests nothing and must not pass",
		stdin:  "tests: []\n",
		args:   []string{"test", "-policy", "testdata/policy.yaml", "-tests", "-"},
		code:   1,
		stdout: []string{"0 passed, 0 failed\n"},
		stderr: []string{"<stdin> has no test cases"},
	}, {
		name:   "missing tests file",
		reason: "an unreadable test file fails with its path",
		args:   []string{"test", "-policy", "testdata/policy.yaml", "-tests", "testdata/no-such-tests.yaml"},
		code:   1,
		stderr: []string{"testdata/no-such-tests.yaml", "no such file"},
	}, {
		name:   "no -tests",
		reason: "-tests is required",
		args:   []string{"test", "-policy", "testdata/policy.yaml"},
		code:   2,
		stderr: []string{"-tests is required"},
	}, {
		name:   "bad flag",
		reason: "unknown flags are usage errors",
		args:   []string{"test", "-policy", "testdata/policy.yaml", "-tests", "testdata/tests.yaml", "-nosuch", "x"},
		code:   2,
		stderr: []string{"flag provided but not defined: -nosuch"},
	}, {
		name:   "both from stdin",
		reason: "stdin can be read once",
		args:   []string{"test", "-policy", "-", "-tests", "-"},
		code:   2,
		stderr: []string{"cannot both come from stdin"},
	}})
}

func TestTestJSON(t *testing.T) {
	code, stdout, _ := riskctl(t, "", "test", "-json", "-policy", "testdata/policy.yaml", "-tests", "testdata/tests_failing.yaml")
	if code != 1 {
		t.Fatalf("exit %d, want 1", code)
	}
	type result struct {
		Name   string `json:"name"`
		Line   int    `json:"line"`
		Passed bool   `json:"passed"`
		Diff   string `json:"diff"`
	}
	var got []result
	for line := range strings.Lines(stdout) {
		var r result
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatalf("line %q is not JSON: %v", line, err)
		}
		got = append(got, r)
	}
	if len(got) != 2 || !got[0].Passed || got[1].Passed || got[1].Line != 9 || !strings.Contains(got[1].Diff, `"challenge"`) {
		t.Errorf("results = %+v", got)
	}
}

func TestTestEmbeddedExamples(t *testing.T) {
	if _, err := examples.Policy("checkout_tests.yaml"); err != nil {
		t.Skipf("the example test cases are not embedded: %v", err)
	}
	code, stdout, stderr := riskctl(t, "", "test", "-policy", "embedded:checkout.yaml", "-tests", "embedded:checkout_tests.yaml")
	if code != 0 || !strings.Contains(stdout, " passed, 0 failed\n") {
		t.Errorf("the example policy fails its own test cases: exit %d\n%s%s", code, stdout, stderr)
	}
}

func TestBacktest(t *testing.T) {
	runInvocations(t, []invocation{{
		name:       "report",
		reason:     "the outcome mix, the confusion matrix with precision, recall and FPR, and per-rule stats in policy order",
		args:       []string{"backtest", "-policy", "testdata/policy.yaml", "testdata/labeled.jsonl"},
		goldenFile: "backtest.txt",
	}, {
		name:       "compare",
		reason:     "with -compare, the other policy's rates and the inputs whose outcome changed follow the report",
		args:       []string{"backtest", "-policy", "testdata/policy_v2.yaml", "-compare", "testdata/policy.yaml", "testdata/labeled.jsonl"},
		goldenFile: "backtest_compare.txt",
	}, {
		name:   "flagged",
		reason: "-flagged chooses the outcomes that count as predicting fraud",
		args:   []string{"backtest", "-policy", "testdata/policy.yaml", "-flagged", "reject, review", "testdata/labeled.jsonl"},
		stdout: []string{"flagged as fraud: reject, review\n", "precision 100.0%  recall 66.7%  false positive rate 0.0%\n"},
	}, {
		name:   "stdin",
		reason: "- reads the data from standard input",
		stdin:  readFile(t, "testdata/labeled.jsonl"),
		args:   []string{"backtest", "-policy", "testdata/policy.yaml", "-"},
		stdout: []string{"policy fixture version 1: 7 inputs, 3 labelled fraud (42.9%)\n"},
	}, {
		name:   "unknown flagged outcome",
		reason: "an outcome the policy does not have is a usage error",
		args:   []string{"backtest", "-policy", "testdata/policy.yaml", "-flagged", "reject,hold", "testdata/labeled.jsonl"},
		code:   2,
		stderr: []string{`-flagged: "hold" is not an outcome of policy fixture`},
	}, {
		name:   "no data",
		reason: "backtest needs a data file",
		args:   []string{"backtest", "-policy", "testdata/policy.yaml"},
		code:   2,
		stderr: []string{"backtest reads one data file"},
	}, {
		name:   "bad flag",
		reason: "unknown flags are usage errors",
		args:   []string{"backtest", "-policy", "testdata/policy.yaml", "-progress", "testdata/labeled.jsonl"},
		code:   2,
		stderr: []string{"flag provided but not defined: -progress"},
	}, {
		name:   "missing data",
		reason: "an unreadable data file fails with its path",
		args:   []string{"backtest", "-policy", "testdata/policy.yaml", "testdata/no-such-data.jsonl"},
		code:   1,
		stderr: []string{"testdata/no-such-data.jsonl", "no such file"},
	}, {
		name:   "missing compare policy",
		reason: "an unreadable -compare policy fails with its path",
		args:   []string{"backtest", "-policy", "testdata/policy.yaml", "-compare", "testdata/no-such-policy.yaml", "testdata/labeled.jsonl"},
		code:   1,
		stderr: []string{"testdata/no-such-policy.yaml", "no such file"},
	}, {
		name:   "compare policy with problems",
		reason: "the other policy must compile too",
		args:   []string{"backtest", "-policy", "testdata/policy.yaml", "-compare", "testdata/bad.yaml", "testdata/labeled.jsonl"},
		code:   1,
		stderr: []string{"policy testdata/bad.yaml has 4 problems"},
	}, {
		name:   "stop at malformed record",
		reason: "a record without a label would count as legitimate and skew the rates, so it stops the run",
		args:   []string{"backtest", "-policy", "testdata/policy.yaml", "testdata/labeled_malformed.jsonl"},
		code:   1,
		stderr: []string{`testdata/labeled_malformed.jsonl:2: no "fraud" label`},
		absent: []string{"precision"},
	}, {
		name:   "skip malformed records",
		reason: "skipped records are reported one by one, counted on stderr and in the report",
		args:   []string{"backtest", "-policy", "testdata/policy.yaml", "-on-error", "skip", "testdata/labeled_malformed.jsonl"},
		stdout: []string{"policy fixture version 1: 2 inputs, 1 labelled fraud (50.0%); 2 malformed lines skipped\n"},
		stderr: []string{
			`backtest: skipped testdata/labeled_malformed.jsonl:2: no "fraud" label`,
			`backtest: skipped testdata/labeled_malformed.jsonl:4:2: payment: unknown key "payment" (and 1 other problem); backtest records put the checkout under "input"`,
			"backtest: 2 malformed lines skipped, 2 records evaluated\n",
		},
	}, {
		name:   "plain checkouts",
		reason: "eval's input lacks labels; the message says what a backtest record looks like",
		args:   []string{"backtest", "-policy", "testdata/policy.yaml", "testdata/checkouts.jsonl"},
		code:   1,
		stderr: []string{`testdata/checkouts.jsonl:1:2: payment: unknown key "payment"`, `backtest records put the checkout under "input"`},
	}})
}

func TestBacktestJSON(t *testing.T) {
	code, stdout, stderr := riskctl(t, "", "backtest", "-json", "-policy", "testdata/policy_v2.yaml", "-compare", "testdata/policy.yaml", "testdata/labeled.jsonl")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if strings.Count(stdout, "\n") != 1 {
		t.Fatalf("want one JSON line, got:\n%s", stdout)
	}
	var got struct {
		Inputs    int     `json:"inputs"`
		Precision float64 `json:"precision"`
		Recall    float64 `json:"recall"`
		Rules     []struct {
			RuleID    string  `json:"rule_id"`
			Hits      int     `json:"hits"`
			HitRate   float64 `json:"hit_rate"`
			Precision float64 `json:"precision"`
		} `json:"rules"`
		Compare struct {
			Changed int           `json:"changed"`
			Changes []risk.Change `json:"changes"`
		} `json:"compare"`
	}
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatal(err)
	}
	if got.Inputs != 7 || got.Precision != 0.5 || got.Recall != 1 {
		t.Errorf("inputs %d precision %v recall %v, want 7 0.5 1", got.Inputs, got.Precision, got.Recall)
	}
	if r := got.Rules[2]; r.RuleID != "large" || r.Hits != 4 || r.HitRate != 4.0/7 || r.Precision != 0.5 {
		t.Errorf("rule large = %+v", r)
	}
	wantChanges := []risk.Change{
		{ID: "l2", Before: risk.Approve, After: risk.Challenge},
		{ID: "l3", Fraud: true, Before: risk.Challenge, After: risk.Review},
		{ID: "l7", Before: risk.Approve, After: risk.Challenge},
	}
	if diff := cmp.Diff(wantChanges, got.Compare.Changes); diff != "" || got.Compare.Changed != 3 {
		t.Errorf("changed %d, changes mismatch (-want +got):\n%s", got.Compare.Changed, diff)
	}
}

// TestCompareReportsMatchesBacktest checks the shortcut the comparison
// takes: the other policy's confusion matrix, derived from this policy's
// and the changes, equals a backtest of the other policy.
func TestCompareReportsMatchesBacktest(t *testing.T) {
	data := loadLabeled(t, "testdata/labeled.jsonl")
	if sample, _, err := checkoutSample(); err == nil {
		data = append(data, sample...)
	}
	engines := map[string]*risk.Engine[risk.Checkout]{}
	policies := map[string]policy{}
	for _, p := range []string{"testdata/policy.yaml", "testdata/policy_v2.yaml", "testdata/policy.json", "embedded:checkout.yaml"} {
		pol, err := loadPolicy(&env{}, p, kindCheckout)
		if err != nil {
			t.Fatal(err)
		}
		engines[p], policies[p] = pol.(*typed[risk.Checkout]).eng, pol
	}
	for thisName, this := range engines {
		for otherName, other := range engines {
			for _, flagged := range [][]risk.Outcome{nil, {risk.Reject}, {risk.Reject, risk.Review}} {
				t.Run(fmt.Sprintf("%s vs %s flagging %v", thisName, otherName, flagged), func(t *testing.T) {
					rep := this.Backtest(slices.Values(data), flagged...)
					c := compareReports(rep, policies[otherName], otherName, risk.Compare(other, this, slices.Values(data)))
					want := other.Backtest(slices.Values(data), rep.Flagged...).Confusion
					if diff := cmp.Diff(want, c.Before); diff != "" {
						t.Errorf("derived confusion of the other policy mismatch (-want +got):\n%s", diff)
					}
				})
			}
		}
	}
}

func loadLabeled(t testing.TB, path string) []risk.Labeled[risk.Checkout] {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	lines := newLineReader(path, f, stopOnError, io.Discard, "test")
	var out []risk.Labeled[risk.Checkout]
	for _, l := range records(lines, decodeLabeledLine) {
		out = append(out, l)
	}
	if lines.err != nil {
		t.Fatal(lines.err)
	}
	return out
}

// manyRecords repeats the labelled fixture to n lines.
func manyRecords(t testing.TB, n int) string {
	t.Helper()
	b, err := os.ReadFile("testdata/labeled.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	src := strings.Split(strings.TrimSpace(string(b)), "\n")
	var sb strings.Builder
	for i := range n {
		sb.WriteString(src[i%len(src)])
		sb.WriteByte('\n')
	}
	return sb.String()
}

func TestBacktestProgress(t *testing.T) {
	run1 := func(terminal bool, args ...string) (int, string, string) {
		var out, errOut strings.Builder
		clock := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		e := &env{stdin: strings.NewReader(manyRecords(t, 2500)), stdout: &out, stderr: &errOut, stderrTerminal: terminal,
			now: func() time.Time { clock = clock.Add(10 * time.Millisecond); return clock }}
		code := run(e, append([]string{"backtest", "-policy", "testdata/policy.yaml", "-compare", "testdata/policy_v2.yaml"}, append(args, "-")...))
		return code, out.String(), errOut.String()
	}
	code, stdout, stderr := run1(false)
	if code != 0 || stderr != "" {
		t.Fatalf("not a terminal: exit %d, stderr %q; want no progress", code, stderr)
	}
	if _, _, quiet := run1(true, "-q"); quiet != "" {
		t.Errorf("-q on a terminal: stderr %q, want nothing", quiet)
	}
	_, _, shown := run1(true)
	// The clock is read every 64 records and moves 10ms a read, so the
	// first redraw, 250ms in, comes at record 1600, at 6400 a second;
	// stdin here has a known size, so the time left is shown.
	for _, w := range []string{"\r\033[Kbacktest: 1600 records, 6400/s, ", "s left"} {
		if !strings.Contains(shown, w) {
			t.Errorf("progress lacks %q: %q", w, shown)
		}
	}
	if !strings.HasSuffix(shown, "\r\033[K") {
		t.Errorf("progress not cleared at the end: %q", shown)
	}
	for _, w := range []string{"2500 inputs", "... and "} {
		if !strings.Contains(stdout, w) {
			t.Errorf("stdout lacks %q:\n%s", w, stdout)
		}
	}
	// The change list shows the first 20 changes only.
	var listed int
	inList := false
	for l := range strings.Lines(stdout) {
		switch {
		case strings.HasPrefix(l, "  ID "):
			inList = true
		case inList && strings.HasPrefix(l, "  ..."):
			inList = false
		case inList:
			listed++
		}
	}
	if listed != maxChangesShown {
		t.Errorf("listed %d changes, want %d", listed, maxChangesShown)
	}
}

func TestStreamTable(t *testing.T) {
	var b bytes.Buffer
	table := newStreamTable(&b, "N", "ID", "NOTE")
	rows := tableHoldRows + 20
	for i := range rows {
		id := "a"
		if i == tableHoldRows+10 {
			id = "a-much-longer-id"
		}
		table.row(fmt.Sprint(i), id, "x")
	}
	table.flush()
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	if len(lines) != rows+1 {
		t.Fatalf("got %d lines, want %d", len(lines), rows+1)
	}
	noteAt := func(l string) int { return strings.LastIndex(l, " ") + 1 }
	// The held rows share the widths of the widest held row; a wider row
	// later widens the column from there on, never narrows it.
	for i, l := range lines {
		idWidth := len("ID")
		if i > tableHoldRows+10 {
			idWidth = len("a-much-longer-id")
		}
		want := len("276") + 2 + idWidth + 2
		if got := noteAt(l); got != want {
			t.Fatalf("line %d %q: last column at %d, want %d", i, l, got, want)
		}
	}
}

func TestLineReader(t *testing.T) {
	long := strings.Repeat("x", maxLineSize+10)
	tests := []struct {
		name, reason, input string
		want                []string
		skipped             int
		warn                string
	}{
		{"no final newline", "the last line counts without a newline", "a\nb", []string{"1:a\n", "2:b"}, 0, ""},
		{"blank lines", "blank and whitespace-only lines are ignored but keep their numbers", "\n  \t\na\r\n\n", []string{"3:a\r\n"}, 0, ""},
		{"long line", "a line over the limit is dropped as malformed, and reading goes on", "a\n" + long + "\nb\n", []string{"1:a\n", "3:b\n"}, 1, "in:2: line longer than 16 MiB"},
		{"long last line", "an over-long last line without newline is still reported", long, nil, 1, "in:1: line longer than 16 MiB"},
		{"empty", "no input, no lines", "", nil, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var warn bytes.Buffer
			l := newLineReader("in", strings.NewReader(tt.input), skipOnError, &warn, "t")
			var got []string
			for {
				b, ok := l.next()
				if !ok {
					break
				}
				got = append(got, fmt.Sprintf("%d:%s", l.line, b))
			}
			if l.err != nil {
				t.Fatal(l.err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("%s: lines mismatch (-want +got):\n%s", tt.reason, diff)
			}
			if l.skipped != tt.skipped || !strings.Contains(warn.String(), tt.warn) {
				t.Errorf("%s: skipped %d (want %d), warnings %q (want %q)", tt.reason, l.skipped, tt.skipped, warn.String(), tt.warn)
			}
		})
	}
}

func TestDecodeErrors(t *testing.T) {
	tests := []struct {
		name, reason, line string
		labelled           bool
		want               string
	}{
		{"syntax", "a syntax error has its column", `{"txn": {"id": "a",, }}`, false, "f:1:20: syntax error: invalid character ',' looking for beginning of object key string"},
		{"truncated", "a truncated line points past its end", `{"txn": {"id": "a"`, false, "f:1:19: the document ends inside a JSON value (truncated?)"},
		{"trailing data", "two objects on one line are an error, not a silently dropped second input", `{"txn": {"id": "a"}} {"txn": {}}`, false, "f:1:22: unexpected data after the JSON value (one value per document or line)"},
		{"not an object", "a line must be an object", `[1, 2]`, false, "f:1:1: want an object, got a JSON array"},
		{"unknown nested field", "a misspelt key names its path", `{"customer": {"history": {"invoices_payed": 3}}}`, false, `f:1:27: customer.history.invoices_payed: unknown key "invoices_payed"; did you mean "invoices_paid"?`},
		{"enum", "a wrong enum value names its field and the accepted values", `{"payment": {"funding": "gold"}}`, false, `f:1:25: payment.funding: unknown funding "gold" (want one of credit, debit, prepaid, stored_value)`},
		{"line item", "a bad value in a list names its index", `{"txn": {"line_items": [{"sku": "a"}, {"sku": "b", "amount": "1.00 ZZZ"}]}}`, false, `f:1:62: txn.line_items[1].amount: parse money "1.00 ZZZ": unknown currency "ZZZ"`},
		{"time", "a bad time names its field", `{"txn": {"time": "yesterday"}}`, false, `f:1:18: txn.time: parsing time "yesterday"`},
		{"signal", "a signal must be an integer", `{"signals": {"purchases_24h": 1.5}}`, false, `f:1:31: signals.purchases_24h: signal 1.5 is not an integer`},
		{"wrong type", "a number where a string belongs", `{"txn": {"id": 7}}`, false, "f:1:16: txn.id: want a string, got a JSON number"},
		{"label without input", "id and fraud outside a backtest record are an error", `{"id": "x", "txn": {"id": "a"}}`, false, `f:1: a labelled record needs "input"`},
		{"input and checkout", "a record with both shapes is ambiguous", `{"input": {"txn": {"id": "a"}}, "txn": {"id": "b"}}`, false, `f:1: both "input" and checkout fields`},
		{"no label", "a backtest record needs its label", `{"id": "x", "input": {}}`, true, `f:1: no "fraud" label`},
		{"no input", "a backtest record needs its input", `{"id": "x", "fraud": true}`, true, `f:1: no "input"`},
		{"label not bool", "fraud is true or false", `{"id": "x", "fraud": "yes", "input": {}}`, true, "f:1:22: fraud: want true or false, got a JSON string"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var le *lineError
			if tt.labelled {
				_, le = decodeLabeledLine([]byte(tt.line))
			} else {
				_, le = decodeEvalLine([]byte(tt.line))
			}
			if le == nil {
				t.Fatalf("%s: no error", tt.reason)
			}
			le.File, le.Line = "f", 1
			if got := le.Error(); !strings.HasPrefix(got, tt.want) {
				t.Errorf("%s:\n got %s\nwant %s...", tt.reason, got, tt.want)
			}
		})
	}
}

func TestDecodeEvalLineShapes(t *testing.T) {
	plain, le := decodeEvalLine([]byte(`{"txn": {"id": "t1", "amount": "5.00 EUR"}}`))
	if le != nil || plain.id != "t1" || plain.in.Transaction.Amount.String() != "5.00 EUR" {
		t.Errorf("plain checkout: %+v, %v", plain, le)
	}
	labelled, le := decodeEvalLine([]byte(`{"id": "r1", "fraud": true, "input": {"txn": {"id": "t1"}}}`))
	if le != nil || labelled.id != "r1" || labelled.in.Transaction.ID != "t1" {
		t.Errorf("labelled record: %+v, %v", labelled, le)
	}
	unnamed, le := decodeEvalLine([]byte(`{"fraud": false, "input": {"txn": {"id": "t2"}}}`))
	if le != nil || unnamed.id != "t2" {
		t.Errorf("labelled record without id: %+v, %v", unnamed, le)
	}
}

func TestCheckoutDemo(t *testing.T) {
	var registered bool
	for _, s := range demoSteps {
		if s.title == "Checkout: scoring the sample with the checkout policy" {
			registered = true
		}
	}
	if !registered {
		t.Error("the checkout section is not registered with the demo")
	}
	var a, b bytes.Buffer
	if err := checkoutDemo(&a); err != nil {
		t.Fatal(err)
	}
	if err := checkoutDemo(&b); err != nil {
		t.Fatal(err)
	}
	out := a.String()
	if out != b.String() {
		t.Error("the demo section differs between two runs")
	}
	for _, w := range []string{"policy checkout ", " checkouts from embedded:transactions.jsonl, ", " labelled fraud\n",
		"  reject ", "  review ", "  challenge ", "  approve ", "counting reject, review, challenge as flagged: precision ",
		", recall ", ", false positive rate ", "three decisions and why:", "(labelled legitimate): approve, score ",
		"(labelled fraud): reject, score ", "\nmore: riskctl backtest"} {
		if !strings.Contains(out, w) {
			t.Errorf("demo lacks %q:\n%s", w, out)
		}
	}
	if !strings.Contains(out, "): review, score") && !strings.Contains(out, "): challenge, score") {
		t.Errorf("demo shows no review or challenge:\n%s", out)
	}
	if n := strings.Count(out, "\n"); n > 35 {
		t.Errorf("demo section has %d lines, want at most 35:\n%s", n, out)
	}
	if strings.Contains(out, " in the sample)") {
		t.Errorf("demo misses an example decision:\n%s", out)
	}
}

func FuzzDecodeEvalLine(f *testing.F) {
	for _, path := range []string{"testdata/checkouts.jsonl", "testdata/malformed.jsonl", "testdata/labeled.jsonl"} {
		b, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		sc := bufio.NewScanner(bytes.NewReader(b))
		for sc.Scan() {
			f.Add(sc.Bytes())
		}
	}
	f.Add([]byte(`{"signals": {"purchases_24h": null}}`))
	f.Add([]byte(`{"txn": {"line_items": [{"amount": "1 JPY"}]}}`))
	f.Fuzz(func(t *testing.T, line []byte) {
		in, le := decodeEvalLine(line)
		if le != nil {
			if le.Msg == "" {
				t.Fatalf("error without a message for %q", line)
			}
			return
		}
		// A decoded checkout encodes and decodes to the same checkout.
		first, err := json.Marshal(in.in)
		if err != nil {
			t.Fatalf("decoded %q but cannot encode it: %v", line, err)
		}
		again, le := decodeEvalLine(first)
		if le != nil {
			t.Fatalf("re-decoding %s: %v", first, le)
		}
		second, err := json.Marshal(again.in)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(first, second) {
			t.Fatalf("round trip changed the checkout:\n%s\n%s", first, second)
		}
	})
}

func BenchmarkEval(b *testing.B) {
	input := manyRecords(b, 1000)
	for _, format := range []string{"table", "json"} {
		b.Run(format, func(b *testing.B) {
			args := []string{"eval", "-policy", "embedded:checkout.yaml", "-json=" + fmt.Sprint(format == "json"), "-"}
			b.ReportAllocs()
			b.SetBytes(int64(len(input)))
			for b.Loop() {
				e := &env{stdin: strings.NewReader(input), stdout: io.Discard, stderr: io.Discard}
				if code := run(e, args); code != 0 {
					b.Fatalf("exit %d", code)
				}
			}
		})
	}
}

func BenchmarkDecodeEvalLine(b *testing.B) {
	line := []byte(strings.SplitN(manyRecords(b, 1), "\n", 2)[0])
	b.ReportAllocs()
	b.SetBytes(int64(len(line)))
	for b.Loop() {
		if _, le := decodeEvalLine(line); le != nil {
			b.Fatal(le)
		}
	}
}
