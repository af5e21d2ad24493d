package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/riskkit/riskkit/abuse"
	"github.com/riskkit/riskkit/examples"
)

// window is one line of telemetry for the tests' own files.
const abuseWindow = `{"subscription":"sub-x","resource":"vm-1","window":{"start":"2026-11-20T10:00:00Z","end":"2026-11-20T11:00:00Z"},` +
	`"collected":["flows","dns","processes","cpu","gpu","auth","hosted"],` +
	`"processes":[{"time":"2026-11-20T10:01:00Z","name":"xmrig","command_line":"xmrig -o stratum+tcp://pool.supportxmr.com:3333"}],` +
	`"dns":[{"time":"2026-11-20T10:01:00Z","name":"pool.supportxmr.com"}]}`

func TestAbuseCommand(t *testing.T) {
	policy, err := examples.Policy("abuse.yaml")
	if err != nil {
		t.Fatal(err)
	}
	telemetry := writeTemp(t, "t.jsonl", abuseWindow+"\n")
	trusted := writeTemp(t, "c.json", `{"sub-x": {"id": "cust-x", "trusted": true}}`)
	runInvocations(t, []invocation{
		{
			name:   "embedded example",
			reason: "without files the command reads the embedded telemetry, customers and state",
			args:   []string{"abuse"},
			stdout: []string{"SUBSCRIPTION", "mining.activity", "8.5 high", "suspend", "dos.outbound_flood",
				"not fully checked (missing telemetry is not clean):", "sub-027"},
			stderr: []string{"read 282 windows from embedded:telemetry.jsonl", "282 windows of 47 subscriptions: 29 findings"},
		},
		{
			name:   "one subscription",
			reason: "-subscription narrows the table",
			args:   []string{"abuse", "-subscription", "sub-024"},
			stdout: []string{"sub-024", "mining.activity", "throttle"},
			absent: []string{"sub-023", "not fully checked"},
		},
		{
			name:   "a file",
			reason: "a telemetry file without customers or state: the customer is untrusted",
			args:   []string{"abuse", telemetry},
			stdout: []string{"sub-x", "vm-1", "mining.activity", "suspend", "11-20 12:00"},
			stderr: []string{"read 1 window from " + telemetry},
		},
		{
			name:   "trusted customer",
			reason: "the policy enforces a step softer for a trusted customer",
			args:   []string{"abuse", "-customers", trusted, telemetry},
			stdout: []string{"mining.activity", "throttle"},
			absent: []string{"suspend"},
		},
		{
			name:   "stdin and now",
			reason: "- reads standard input; -at moves the deadline",
			stdin:  abuseWindow,
			args:   []string{"abuse", "-at", "2026-11-21T00:00:00Z", "-"},
			stdout: []string{"mining.activity", "11-21 01:00"},
		},
		{
			name:   "policy from a file",
			reason: "a policy that never acts leaves the default outcome",
			args: []string{"abuse", "-policy", writeTemp(t, "p.yaml", "id: lax\nversion: \"1\"\noutcomes: [notify, none]\n"+
				"rules:\n  - {id: never, when: 'finding.count < 0', action: notify, reason: NEVER}\n"), telemetry},
			stdout: []string{"mining.activity", "none", " -  "},
		},
		{
			name:   "clean input",
			reason: "no findings is said in words",
			stdin:  strings.NewReplacer("xmrig", "nginx", "stratum+tcp://", "https://", "pool.supportxmr.com", "www.example.com").Replace(abuseWindow),
			args:   []string{"abuse", "-"},
			stdout: []string{"no findings"},
		},
		{
			name:   "bad flag",
			reason: "an unknown flag is a usage error",
			args:   []string{"abuse", "-nope"},
			code:   2,
			stderr: []string{"flag provided but not defined: -nope"},
		},
		{
			name:   "bad now",
			reason: "-at must be a time or a date",
			args:   []string{"abuse", "-at", "tomorrow", telemetry},
			code:   2,
			stderr: []string{`"tomorrow" is neither RFC 3339`},
		},
		{
			name:   "two stdins",
			reason: "standard input can be read once",
			args:   []string{"abuse", "-policy", "-", "-"},
			code:   2,
			stderr: []string{"only one of the files can be standard input"},
		},
		{
			name:   "unreadable file",
			reason: "a missing file is named",
			args:   []string{"abuse", filepath.Join(t.TempDir(), "missing.jsonl")},
			code:   1,
			stderr: []string{"missing.jsonl: no such file or directory"},
		},
		{
			name:   "malformed telemetry",
			reason: "bad input is located by record, line, column and field",
			stdin:  abuseWindow + "\n" + strings.Replace(abuseWindow, `"cpu"`, `"cpus"`, 1),
			args:   []string{"abuse", "-"},
			code:   1,
			stderr: []string{`riskctl abuse: <stdin>: abuse: telemetry record 2: 2:`, `collected[3]: unknown telemetry source "cpus"`},
		},
		{
			name:   "malformed customers",
			reason: "an unknown field in the customers file is an error",
			args:   []string{"abuse", "-customers", writeTemp(t, "bad.json", `{"sub-x": {"id": "c", "vip": true}}`), telemetry},
			code:   1,
			stderr: []string{`bad.json: json: unknown field "vip"`},
		},
		{
			name:   "policy that does not compile",
			reason: "the policy's problems are reported",
			stdin:  string(policy) + "  - {id: broken, when: 'finding.nope', action: notify, reason: X}\n",
			args:   []string{"abuse", "-policy", "-", telemetry},
			code:   1,
			stderr: []string{"rule broken", "nope"},
		},
		{
			name:   "policy with outcomes that are not actions",
			reason: "enforcement outcomes must be actions",
			args: []string{"abuse", "-policy", writeTemp(t, "p.yaml", "id: p\nversion: \"1\"\noutcomes: [reject, approve]\n"+
				"rules:\n  - {id: r, when: 'true', action: reject, reason: R}\n"), telemetry},
			code:   1,
			stderr: []string{`outcome "reject" is not an action`},
		},
	})
}

func TestAbuseJSON(t *testing.T) {
	code, stdout, stderr := riskctl(t, "", "abuse", "-json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var findings, gaps int
	sc := bufio.NewScanner(strings.NewReader(stdout))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var line struct {
			Command        string                `json:"command"`
			Type           string                `json:"type"`
			Finding        *abuse.Finding        `json:"finding"`
			Recommendation *abuse.Recommendation `json:"recommendation"`
			Unchecked      *struct {
				Subscription string         `json:"subscription"`
				Resource     string         `json:"resource"`
				Detector     string         `json:"detector"`
				Missing      []abuse.Source `json:"missing"`
				Partial      bool           `json:"partial"`
				Gaps         []string       `json:"gaps"`
			} `json:"unchecked"`
		}
		dec := json.NewDecoder(bytes.NewReader(sc.Bytes()))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&line); err != nil {
			t.Fatalf("line %q: %v", sc.Text(), err)
		}
		if line.Command != "abuse" || line.Type == "" {
			t.Fatalf("line %q lacks the envelope", sc.Text())
		}
		switch {
		case line.Finding != nil:
			findings++
			r := line.Recommendation
			if r == nil || r.FindingID != line.Finding.ID || r.IdempotencyKey == "" || (r.Action != abuse.NoAction && r.Deadline.IsZero()) {
				t.Errorf("finding %s has recommendation %+v", line.Finding.ID, r)
			}
		case line.Unchecked != nil:
			gaps++
			if len(line.Unchecked.Missing) == 0 && len(line.Unchecked.Gaps) == 0 {
				t.Errorf("unchecked line without missing sources or gaps: %s", sc.Text())
			}
		default:
			t.Errorf("line is neither a finding nor a gap: %s", sc.Text())
		}
	}
	if findings != 29 || gaps == 0 {
		t.Errorf("%d findings and %d gaps, want 29 and some", findings, gaps)
	}
}

func TestAbuseDemo(t *testing.T) {
	var out bytes.Buffer
	if err := abuseDemo(&out); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	for _, want := range []string{
		"sub-001/vm-web, labelled clean", "no findings, and every detector saw all the telemetry it reads",
		"sub-023/vm-gpu, labelled [crypto_mining]", "mining.activity: severity 8.5 (high)", "-> suspend by 12:00 UTC because HIGH_SEVERITY",
		"idempotency key: abuse:ab-", "the whole sample: 29 findings",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("demo lacks %q:\n%s", want, got)
		}
	}
	if n := strings.Count(got, "\n"); n > 40 {
		t.Errorf("demo section has %d lines, want at most 40", n)
	}
}

// TestAbuseStoodDown runs the hold-out set, whose state grants an
// authorised scanner an allowance, and checks that the scans it covers are
// reported as stood down, with the allowance, instead of as findings.
func TestAbuseStoodDown(t *testing.T) {
	code, stdout, stderr := riskctl(t, "", "abuse", "-json", "-subscription", "hc-10", "-state", "embedded:abuse_hard_state.json",
		"-customers", "embedded:abuse_hard_customers.json", "embedded:abuse_hard.jsonl")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var stood, scans int
	for _, l := range strings.Split(strings.TrimSpace(stdout), "\n") {
		var line struct {
			Finding   *abuse.Finding   `json:"finding"`
			StoodDown *abuse.StandDown `json:"stood_down"`
		}
		if err := json.Unmarshal([]byte(l), &line); err != nil {
			t.Fatalf("line %q: %v", l, err)
		}
		if line.StoodDown != nil && line.StoodDown.Allowance.ID == "scan-hc-10" && line.StoodDown.Finding.Type == "hacking.port_scan" {
			stood++
		}
		if line.Finding != nil && line.Finding.Category == abuse.Hacking {
			scans++
		}
	}
	if stood == 0 || scans != 0 {
		t.Errorf("%d scans stood down and %d reported as findings, want some and none:\n%s", stood, scans, stdout)
	}
}
