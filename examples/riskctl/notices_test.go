package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/riskkit/riskkit/abuse"
)

// oneEvent is a fraud events response with one new-model event for
// sub-023, the example's miner, detected during its telemetry.
const oneEvent = `[{"eventTime":"2026-11-16T09:30:00","eventId":"sub-023_e1","eventType":"NetworkConnectionsToCryptoMiningPools",` +
	`"subscriptionId":"sub-023","severity":"High","confidenceLevel":"high","eventStatus":"Active","resolvedReason":"None",` +
	`"resolvedOn":"9999-12-31T23:59:59.9970000","firstObserved":"2026-11-16T08:10:00","lastObserved":"2026-11-16T09:20:00",` +
	`"affectedResources":[{"azureResourceId":"/subscriptions/sub-023/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm-gpu"}],"IsTest":"false"}]`

func TestNoticesCommand(t *testing.T) {
	file := writeTemp(t, "n.jsonl", `{"source":"fraud_event","received":"2026-11-16T09:35:00Z","body":`+oneEvent+"}\n")
	bad := writeTemp(t, "bad.jsonl", `{"source":"fraud_event","body":[{"eventId":"e","subscriptionId":"s","eventTime":"soon"}]}`+"\n")
	decisions := writeTemp(t, "d.json", `[{"id":"d1","notice":"fraud_event:sub-023_e1","kind":"resolve","resolution":"fraud","by":"ana","at":"2026-11-16T10:00:00Z"}]`)
	runInvocations(t, []invocation{
		{
			name:   "embedded example",
			reason: "without files the command replays the embedded notices and decisions",
			args:   []string{"notices"},
			stdout: []string{"cases at 2026-11-18T23:59:59Z", "sub-023", "NetworkConnectionsToCryptoMiningPools", "also saw it",
				"sub-027", "fraud_event (old model)", "missed it", "resolved_fraud (reopened 1)", "credit for charges until 12-16",
				"acknowledge (overdue since 11-16 13:40)", "activity.password_reset_burst", "who asked for the resets",
				"detector hacking            0      1", "activity.bulk_subscriptions"},
			stderr: []string{"read 29 notices in 8 batches from embedded:notices.jsonl"},
			absent: []string{"sub-002"}, // a test alert opens no case
		},
		{
			name:   "replay",
			reason: "-replay prints every action when it falls due, by day",
			args:   []string{"notices", "-replay"},
			stdout: []string{"2026-11-16\n", "2026-11-17\n", "09:40  fetch_notices", "escalate               sub-027   not acknowledged within 1h0m0s",
				`{"eventIds":["sub-023_`, `"eventStatus":"Resolved","resolvedReason":"Fraud"}`, "09:10  acknowledge            sub-026"},
		},
		{
			name:   "a file with decisions",
			reason: "a file of one event is triaged against the example's findings and resolved",
			args:   []string{"notices", "-decisions", decisions, "-at", "2026-11-16T12:00:00Z", file},
			stdout: []string{"cases at 2026-11-16T12:00:00Z", "sub-023", "also saw it", "resolved_fraud", "detector mining"},
			stderr: []string{"read 1 notice in 1 batches from " + file},
		},
		{
			name:   "open case at a time",
			reason: "without decisions the case is overdue at its deadline",
			args:   []string{"notices", "-at", "2026-11-16T10:30:00Z", file},
			stdout: []string{"received", "acknowledge (overdue since 11-16 10:30)"},
		},
		{
			name:   "per subscription",
			reason: "-per-subscription groups the example's notices by subscription",
			args:   []string{"notices", "-per-subscription"},
			stdout: []string{"sub-023"},
		},
		{
			name:   "bad notice",
			reason: "a bad notice is reported with its path, line and column",
			args:   []string{"notices", bad},
			code:   1,
			stderr: []string{bad + ": abuse: notices: 1:81: [0].body[0].eventTime: \"soon\" is not a date-time"},
		},
		{
			name:   "bad now",
			reason: "-at must be a time or a date",
			args:   []string{"notices", "-at", "tomorrow"},
			code:   2,
			stderr: []string{`"tomorrow" is neither RFC 3339`},
		},
	})
}

func TestNoticesJSON(t *testing.T) {
	code, stdout, stderr := subcommand(t, "notices", "", "-json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	cases, activity, verdicts := 0, 0, 0
	sc := bufio.NewScanner(strings.NewReader(stdout))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var l struct {
			Command  string                 `json:"command"`
			Type     string                 `json:"type"`
			Case     *abuse.NoticeCase      `json:"case"`
			Activity *abuse.ActivityFinding `json:"activity"`
			Verdicts *abuse.VerdictCount    `json:"verdicts"`
		}
		dec := json.NewDecoder(bytes.NewReader(sc.Bytes()))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&l); err != nil {
			t.Fatalf("%v: %s", err, sc.Text())
		}
		if l.Command != "notices" || l.Type == "" {
			t.Fatalf("line lacks the envelope: %s", sc.Text())
		}
		switch {
		case l.Case != nil:
			cases++
		case l.Activity != nil:
			activity++
		case l.Verdicts != nil:
			verdicts++
		}
	}
	if cases != 11 || activity != 5 || verdicts == 0 {
		t.Errorf("%d cases, %d activity findings, %d verdict lines; want 11, 5 and some", cases, activity, verdicts)
	}
	code, stdout, _ = subcommand(t, "notices", "", "-json", "-replay")
	if code != 0 || !strings.Contains(stdout, `"action":{"key":"fetch:webhook:azure-fraud-event-detected@2026-11-16T09:38:12.1234567Z"`) {
		t.Errorf("replay JSON lacks the fetch action:\n%s", stdout[:min(len(stdout), 500)])
	}
}

func TestNoticesDemo(t *testing.T) {
	var out bytes.Buffer
	if err := noticesDemo(&out); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	for _, want := range []string{
		"29 notices from 6 sources in 8 batches", "fetch_notices: GET https://api.partnercenter.microsoft.com/v1/fraudEvents?SubscriptionId=sub-023",
		"recommend_enforcement: suspend", `"eventStatus":"Resolved","resolvedReason":"Fraud"`, "11 cases: 6 also seen by riskkit's detectors, 3 detection gaps",
		"sub-026: resolved, then reopened by the provider (1 time), now resolved_fraud", "the hacking detector: 1 of 1",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("demo lacks %q:\n%s", want, got)
		}
	}
	if n := strings.Count(got, "\n"); n > 40 {
		t.Errorf("demo section has %d lines, want at most 40", n)
	}
}
