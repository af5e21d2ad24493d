package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/riskkit/riskkit/examples"
	"github.com/riskkit/riskkit/onboarding"
)

// exampleApplicantLine returns the line of the example applicant with the
// given id.
func exampleApplicantLine(t *testing.T, id string) string {
	t.Helper()
	data, err := examples.Data("applicants.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(string(data), "\n") {
		if strings.Contains(l, `"id":"`+id+`"`) {
			return l
		}
	}
	t.Fatalf("no applicant %s in the example data", id)
	return ""
}

func TestOnboard(t *testing.T) {
	region := exampleApplicantLine(t, "region-prepay")
	pending := exampleApplicantLine(t, "id-pending")
	two := writeTemp(t, "two.jsonl", region+"\n\n"+pending+"\n")
	malformed := writeTemp(t, "bad.jsonl", region+"\n"+`{"id": "x", "currency": "USD", "signup": {"bot": 3}}`+"\n"+pending+"\n")
	noTime := writeTemp(t, "notime.jsonl", `{"id": "x", "currency": "USD"}`+"\n")
	broken := strings.Replace(mustExample(t), "signup.sms != \"verified\"", "signup.smss != \"verified\"", 1)
	brokenPolicy := writeTemp(t, "policy.yaml", broken)
	brokenLine := strconv.Itoa(strings.Count(broken[:strings.Index(broken, "signup.smss")], "\n") + 1)
	schedule := writeTemp(t, "schedule.yaml", "id: short\nstages:\n  - id: remind\n    after_days: 3\n    actions: [{reminder: overdue}]\n")
	runInvocations(t, []invocation{
		{
			name: "embedded sample", reason: "the default input is the embedded sample, as a table with a summary",
			args: []string{"onboard"},
			stdout: []string{
				"LINE  ID",
				"region-prepay  approve_with_controls  -",
				"500.00 USD  0.00 USD     500.00 USD  gpu_compute",
				"id-pending     pending                pending:identity",
				"33 applicants: reject 5, pending 7, step_up 3, approve_with_controls 13, approve 5\n",
				"every customer is shown collections policy cloud-reseller-standard 2026.11 to acknowledge",
			},
		},
		{
			name: "file and blank lines", reason: "blank lines are skipped; line numbers are the file's",
			args:   []string{"onboard", two},
			stdout: []string{"1     region-prepay", "3     id-pending", "2 applicants: pending 1, approve_with_controls 1\n"},
		},
		{
			name: "stdin", reason: "- reads the applicants from standard input",
			stdin: pending + "\n", args: []string{"onboard", "-"},
			stdout: []string{"id-pending", "1 applicant: pending 1"},
		},
		{
			name: "detail", reason: "-detail writes each control and the collections policy",
			args: []string{"onboard", "-detail", two},
			stdout: []string{
				"region-prepay: approve_with_controls (score 30)",
				"prepayment    500.00 USD due of 500.00 USD required (no_credit_report, high_risk_region, prepayment_before_first_bill)",
				"credit limit  0.00 USD: no credit while high_risk_region",
				"spending cap  500.00 USD a month from 2026-11-01, alerts at 80%, 100%",
				"rule high_risk_region to stop firing",
				"collections policy to acknowledge (cloud-reseller-standard 2026.11):",
				"id-pending: pending (score 0)",
				"waiting for   identity verification",
			},
		},
		{
			name: "another schedule", reason: "-schedule picks the collections policy shown",
			args:   []string{"onboard", "-detail", "-schedule", schedule, two},
			stdout: []string{"collections policy to acknowledge (short ):", "3 days after the due date"},
			absent: []string{"cloud-reseller-standard"},
		},
		{
			name: "no schedule", reason: "-schedule none shows no collections policy",
			args:   []string{"onboard", "-schedule", "none", two},
			absent: []string{"collections policy"},
		},
		{
			name: "time zone and time", reason: "the cap's month starts in -tz; -at replaces the sign-up time",
			args:   []string{"onboard", "-detail", "-tz", "America/New_York", "-at", "2026-12-01T03:00:00Z", two},
			stdout: []string{"a month from 2026-11-01"},
		},
		{
			name: "host email lists", reason: "-deny adds a disposable domain the policy then scores",
			args:   []string{"onboard", "-deny", "example.org,burner.example", two},
			stdout: []string{"DISPOSABLE_EMAIL"},
		},
		{
			name: "malformed line stops", reason: "a bad applicant is reported with its line, column and field",
			args: []string{"onboard", malformed}, code: 1,
			stderr: []string{malformed + `:2:43: signup.bot: unknown key "bot"`},
		},
		{
			name: "malformed line skipped", reason: "-on-error skip reports the line and goes on",
			args:   []string{"onboard", "-on-error", "skip", malformed},
			stdout: []string{"2 applicants: pending 1, approve_with_controls 1; 1 line skipped"},
			stderr: []string{"onboard: skipped " + malformed + ":2:43", "onboard: 1 malformed line skipped, 2 assessments"},
		},
		{
			name: "no sign-up time", reason: "without signup.at or -at there is no instant to assess at",
			args: []string{"onboard", noTime}, code: 1,
			stderr: []string{noTime + ":1: signup.at: no sign-up time; give one, or assess every applicant at -at"},
		},
		{
			name: "broken policy", reason: "the policy's problems come with file, line and column",
			args: []string{"onboard", "-policy", brokenPolicy, two}, code: 1,
			stderr: []string{brokenPolicy + ": 1 problem", brokenPolicy + ":" + brokenLine + ":17: rule sms_not_verified: undefined field 'smss'"},
		},
		{
			name: "unreadable file", reason: "the OS error names the path",
			args: []string{"onboard", filepath.Join(t.TempDir(), "missing.jsonl")}, code: 1,
			stderr: []string{"missing.jsonl: no such file or directory"},
		},
		{
			name: "unknown embedded file", reason: "embedded names are listed",
			args: []string{"onboard", "embedded:nope.jsonl"}, code: 1,
			stderr: []string{`no data file "nope.jsonl"`},
		},
		{name: "bad flag", reason: "unknown flags are usage errors", args: []string{"onboard", "-bogus"}, code: 2,
			stderr: []string{"flag provided but not defined: -bogus"}},
		{name: "bad zone", reason: "-tz must be a zone", args: []string{"onboard", "-tz", "Mars/Olympus"}, code: 2,
			stderr: []string{`-tz "Mars/Olympus"`}},
		{name: "bad time", reason: "-at is a time or a date", args: []string{"onboard", "-at", "tomorrow"}, code: 2,
			stderr: []string{`"tomorrow" is neither RFC 3339`}},
		{name: "two outputs", reason: "-detail and -json exclude each other", args: []string{"onboard", "-detail", "-json"}, code: 2},
		{name: "two inputs", reason: "one applicants file", args: []string{"onboard", two, two}, code: 2},
		{name: "two stdins", reason: "stdin can feed one input", args: []string{"onboard", "-policy", "-", "-"}, code: 2,
			stderr: []string{"only one of the policy, the schedule and the applicants can come from stdin"}},
		{name: "bad email list", reason: "list entries must be domains", args: []string{"onboard", "-deny", "not a domain", two}, code: 2,
			stderr: []string{`deny[0]: "not a domain" is not a domain`}},
		{name: "help", reason: "-h explains the command", args: []string{"onboard", "-h"},
			stderr: []string{"usage: riskctl onboard", "Assesses each applicant"}},
	})
}

func mustExample(t *testing.T) string {
	t.Helper()
	src, err := examples.Policy("onboarding.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return string(src)
}

func TestOnboardJSON(t *testing.T) {
	code, stdout, stderr := riskctl(t, "", "onboard", "-json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	sc := bufio.NewScanner(strings.NewReader(stdout))
	sc.Buffer(nil, 1<<20)
	n := 0
	for sc.Scan() {
		n++
		var l struct {
			Command    string                `json:"command"`
			Type       string                `json:"type"`
			Line       int                   `json:"line"`
			Assessment onboarding.Assessment `json:"assessment"`
		}
		dec := json.NewDecoder(bytes.NewReader(sc.Bytes()))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&l); err != nil {
			t.Fatalf("line %d: %v", n, err)
		}
		if l.Command != "onboard" || l.Type != "assessment" || l.Line != n || l.Assessment.ApplicantID == "" || l.Assessment.Outcome == "" {
			t.Errorf("line %d: %+v", n, l)
		}
		if l.Assessment.Controls.Collections.ScheduleID != "cloud-reseller-standard" {
			t.Errorf("line %d: no collections policy", n)
		}
	}
	if n != 33 {
		t.Errorf("%d JSON lines, want one per applicant (33)", n)
	}
}

func TestOnboardDemo(t *testing.T) {
	var b bytes.Buffer
	if err := onboardDemo(&b); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"applicant region-prepay from NG, signed up 2026-11-25T10:10:00Z",
		"region-prepay: approve_with_controls (score 30)",
		"prepayment    500.00 USD due of 500.00 USD required",
		"spending cap  500.00 USD a month from 2026-11-01, alerts at 80%, 100%",
		"held back     gpu_compute (requested) until tier established while high_risk_region",
		"collections policy to acknowledge (cloud-reseller-standard 2026.11), first lines:",
		"- 3 days after the due date: Payment reminder.",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("demo lacks %q:\n%s", want, out)
		}
	}
	if n := strings.Count(out, "\n"); n > 40 {
		t.Errorf("the demo section has %d lines, want at most 40", n)
	}
	// The demo runs first.
	code, stdout, _ := riskctl(t, "", "demo")
	if code != 0 || !strings.HasPrefix(stdout, "== Onboarding: a new customer's decision, controls and collections policy\n") {
		t.Errorf("demo exit %d, starts with %.80q", code, stdout)
	}
}

// BenchmarkOnboard measures the command on the embedded sample, decoding
// and table included.
func BenchmarkOnboard(b *testing.B) {
	var out bytes.Buffer
	for b.Loop() {
		out.Reset()
		if code := run(&env{stdin: strings.NewReader(""), stdout: &out, stderr: &out}, []string{"onboard"}); code != 0 {
			b.Fatalf("exit %d: %s", code, out.String())
		}
	}
}
