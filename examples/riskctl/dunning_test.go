package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// squeeze turns every run of spaces into one, so that tests do not depend
// on column widths.
func squeeze(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.Join(strings.Fields(l), " ")
	}
	return strings.Join(lines, "\n")
}

// standardPolicy is what the standard schedule in
// examples/policies/dunning.yaml tells a customer at onboarding.
const standardPolicy = `Collections policy: Standard collections for cloud subscriptions (version 2026.11)

Invoices are due 14 days after they are issued. We charge the payment method on file on the due date.

If an invoice is not paid, these steps follow. Days are calendar days in your time zone, counted from the due date of your oldest unpaid invoice.

- 3 days after the due date: Payment reminder. We send you a reminder. Your access is not affected.
- 14 days after the due date: New purchases restricted. We send you a reminder and we retry your payment method. You cannot buy new services; the services you have keep running.
- 30 days after the due date, when at least 20.00 USD, 20.00 EUR or 15.00 GBP is unpaid: Subscriptions suspended. We send you a reminder and we retry your payment method. Your subscriptions are suspended and you cannot buy new services.
- 45 days after the due date, when at least 20.00 USD, 20.00 EUR or 15.00 GBP is unpaid: Access disabled. We send you a reminder. Access to your account is disabled, your subscriptions are suspended and you cannot buy new services.
- 60 days after the due date, when at least 50.00 USD, 50.00 EUR or 40.00 GBP is unpaid: Sent to collections. We send you a reminder, your subscriptions are cancelled at the end of the term you paid for and your unpaid balance is sent to a collections agency. Access to your account is disabled, your subscriptions are suspended and you cannot buy new services.

Failed payments: we retry a failed payment 1, 3, 5 and 7 days after it first fails, unless your bank declines it outright. A successful payment ends the retries.

Collection calls: when at least 400.00 USD, 400.00 EUR or 350.00 GBP is overdue and your account has reached the step "Subscriptions suspended", we make up to 3 attempts to collect it, more than 7 days apart.

Getting back to current: as soon as you pay what is unpaid, we lift every restriction and restore your access. We credit you the price of your subscriptions, pro rata, for the days they were suspended or your access was disabled. An invoice you dispute does not count while the dispute is open, and we can pause these steps while you arrange payment.
`

func TestDunningDescribe(t *testing.T) {
	code, out, errOut := subcommand(t, "dunning", "", "-describe")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if diff := cmp.Diff(standardPolicy, out); diff != "" {
		t.Errorf("the collections policy of the standard schedule (-want +got):\n%s", diff)
	}
}

func TestDunningTable(t *testing.T) {
	code, out, errOut := subcommand(t, "dunning", "", "-at", "2026-03-17")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{
		"cus_northwind suspend 2026-03-17 480.00 USD 480.00 USD 30 2026-03-24T00:00:00Z -",
		"cus_northwind suspend_subscriptions",
		"dunning/cus_northwind/t1/suspend/suspend_subscriptions",
		"cus_northwind campaign_attempt collection-calls #1 480.00 USD",
		"aging as of 2026-03-17, from the due date",
		"cus_northwind USD 0.00 480.00 0.00 0.00 0.00 480.00 2 0.00 0.00",
		// 480.00 owed over 720.00 of sales in the 90 days to March 17.
		"days sales outstanding, 2025-12-18 to 2026-03-17, USD: 60.00 (receivables 480.00 USD, sales 720.00 USD)",
	} {
		if !strings.Contains(squeeze(out), want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Count(out, "  retry_payment") != 1 {
		t.Errorf("the stage's retry and the plan's last retry should make one charge:\n%s", out)
	}
	if !strings.Contains(errOut, "1 ledger from embedded:dunning_ledger.json, schedule cloud-reseller-standard") {
		t.Errorf("stderr: %q", errOut)
	}
}

func TestDunningSteps(t *testing.T) {
	code, out, errOut := subcommand(t, "dunning", "", "-from", "2026-02-14", "-to", "2026-03-31", "-tz", "Europe/Berlin")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{
		"cus_northwind 2026-02-14 current -",
		"cus_northwind 2026-02-18 reminder reminder payment-overdue; retry_payment retry 2 240.00 USD",
		"cus_northwind 2026-03-17 suspend ",
		"cus_northwind 2026-03-24 current resume_subscriptions; lift_restriction; reinstate; credit_blocked_time vm-pool 54.19 USD",
		"cus_northwind current on new facts",
	} {
		if !strings.Contains(squeeze(out), want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestDunningJSON(t *testing.T) {
	code, out, errOut := subcommand(t, "dunning", "", "-json", "-from", "2026-03-16", "-to", "2026-03-18")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var types, stages []string
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var line struct {
			Type   string          `json:"type"`
			Stage  string          `json:"stage"`
			Result json.RawMessage `json:"result"`
			Aging  json.RawMessage `json:"aging"`
		}
		if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
			t.Fatalf("line %q: %v", sc.Text(), err)
		}
		types = append(types, line.Type)
		stages = append(stages, line.Stage)
	}
	if diff := cmp.Diff([]string{"evaluation", "evaluation", "evaluation", "aging", "dso"}, types); diff != "" {
		t.Errorf("line types (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"restrict", "suspend", "suspend", "", ""}, stages); diff != "" {
		t.Errorf("stages (-want +got):\n%s", diff)
	}
}

func TestDunningState(t *testing.T) {
	state := filepath.Join(t.TempDir(), "state.json")
	code, out, errOut := subcommand(t, "dunning", "", "-at", "2026-03-17T09:00:00Z", "-state", state)
	if code != 0 || !strings.Contains(out, "suspend_subscriptions") {
		t.Fatalf("first run: exit %d: %s%s", code, out, errOut)
	}
	// The same instant again: the actions were done, so none is due.
	code, out, _ = subcommand(t, "dunning", "", "-at", "2026-03-17T09:00:00Z", "-state", state)
	if code != 0 || strings.Contains(out, "suspend_subscriptions") {
		t.Errorf("second run repeated actions: exit %d:\n%s", code, out)
	}
	code, out, _ = subcommand(t, "dunning", "", "-at", "2026-03-24T16:00:00Z", "-state", state)
	if code != 0 || !strings.Contains(out, "credit_blocked_time vm-pool 54.19 USD") {
		t.Errorf("reinstatement: exit %d:\n%s", code, out)
	}
	// Going back in time is refused.
	code, _, errOut = subcommand(t, "dunning", "", "-at", "2026-03-20", "-state", state)
	if code != 1 || !strings.Contains(errOut, "before the state's last evaluation") {
		t.Errorf("evaluating before the stored state: exit %d: %s", code, errOut)
	}
	b, err := os.ReadFile(state)
	if err != nil || !bytes.Contains(b, []byte(`"cus_northwind"`)) {
		t.Errorf("state file: %s, %v", b, err)
	}
}

func TestDunningInputs(t *testing.T) {
	ledger := `{"customer": {"id": "c1"}, "invoices": [{"id": "A", "amount": "99.00 EUR", "issue_date": "2026-01-01", "net_days": 14}]}`
	code, out, errOut := subcommand(t, "dunning", ledger, "-at", "2026-02-20", "-")
	if code != 0 || !strings.Contains(squeeze(out), "c1 suspend") {
		t.Errorf("ledger from stdin: exit %d: %s%s", code, out, errOut)
	}
	many := "[" + ledger + `, {"customer": {"id": "c2"}}]`
	code, out, errOut = subcommand(t, "dunning", "", "-at", "2026-02-20", writeTemp(t, "many.json", many))
	if code != 0 || !strings.Contains(squeeze(out), "c2 current") {
		t.Errorf("two ledgers: exit %d: %s%s", code, out, errOut)
	}
	schedule := writeTemp(t, "s.yaml", "id: mini\nstages:\n  - {id: late, after_days: 1, actions: [{reminder: late}]}\n")
	code, out, errOut = subcommand(t, "dunning", ledger, "-schedule", schedule, "-at", "2026-01-16", "-")
	if code != 0 || !strings.Contains(out, "reminder late") {
		t.Errorf("own schedule: exit %d: %s%s", code, out, errOut)
	}
}

func TestDunningErrors(t *testing.T) {
	badLedger := writeTemp(t, "bad.json", `{
  "customer": {"id": "c1"},
  "invoices": [{"id": "A", "amount": "99,00 EUR", "issue_date": "2026-01-01"}]
}`)
	badSchedule := writeTemp(t, "bad.yaml", "id: x\nstages:\n  - {id: a, after_days: soon}\n")
	tests := []struct {
		name, reason string
		stdin        string
		args         []string
		code         int
		want         string
	}{
		{"unknown flag", "flags are checked", "", []string{"-nope"}, 2, "flag provided but not defined: -nope"},
		{"two ledgers", "one ledger file at most", "", []string{"a.json", "b.json"}, 2, "at most one ledger file"},
		{"bad at", "-at is a time or a date", "", []string{"-at", "soon"}, 2, `"soon" is neither RFC 3339`},
		{"bad zone", "-tz is an IANA zone", "", []string{"-tz", "Mars/Olympus"}, 2, `-tz "Mars/Olympus"`},
		{"from alone", "-from needs -to", "", []string{"-from", "2026-01-01"}, 2, "-from and -to go together"},
		{"at and range", "one way to say when", "", []string{"-at", "2026-01-01", "-from", "2026-01-01", "-to", "2026-01-02"}, 2, "not both"},
		{"range backwards", "-to is not before -from", "", []string{"-from", "2026-02-01", "-to", "2026-01-01"}, 2, "is before -from"},
		{"both stdin", "only one input can be stdin", "", []string{"-schedule", "-", "-"}, 2, "cannot both be read from standard input"},
		{"missing file", "an unreadable file is an error", "", []string{filepath.Join(t.TempDir(), "none.json")}, 1, "no such file"},
		{"missing embedded", "an unknown example names the ones there are", "", []string{"embedded:nope.json"}, 1, "dunning_ledger.json"},
		{"malformed ledger", "problems name the file, line and column", "", []string{"-at", "2026-02-01", badLedger}, 1,
			"bad.json:3:38: invoices[0].amount: parse money \"99,00 EUR\""},
		{"malformed schedule", "schedule problems too", "", []string{"-schedule", badSchedule}, 1,
			"bad.yaml:3:25: stages[0].after_days: \"soon\" is not a whole number"},
		{"empty stdin", "an empty ledger is an error", "", []string{"-at", "2026-02-01", "-"}, 1, "document is empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errOut := subcommand(t, "dunning", tt.stdin, tt.args...)
			if code != tt.code || !strings.Contains(errOut, tt.want) {
				t.Errorf("%s: exit %d, want %d; stderr %q does not contain %q", tt.reason, code, tt.code, errOut, tt.want)
			}
		})
	}
}

func TestDunningDemo(t *testing.T) {
	var b bytes.Buffer
	if err := dunningDemo(&b); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"Feb 16  current   retry_payment retry 1 240.00 USD",
		"Mar 17  suspend   suspend_subscriptions",
		"Mar 24  current   resume_subscriptions; lift_restriction; reinstate; credit_blocked_time vm-pool 54.19 USD",
		"Aged on 2026-03-23, the day before it paid: 240.00 USD 1-30 days past due and 240.00 USD 31-60 days past due.",
		"Mar 24  suspend -> current: nothing is unpaid",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("demo lacks %q:\n%s", want, out)
		}
	}
	if n := strings.Count(out, "\n"); n > 40 {
		t.Errorf("the demo section has %d lines, want at most 40", n)
	}
}
