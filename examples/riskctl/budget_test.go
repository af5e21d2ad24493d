package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/riskkit/riskkit/budget"
)

// fields normalizes the spacing of a table, so that tests do not depend on
// column widths.
func fields(s string) string { return strings.Join(strings.Fields(s), " ") }

func TestBudgetTable(t *testing.T) {
	code, out, errOut := subcommand(t, "budget", "")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{
		"BUDGET", "RUNS OUT",
		"contoso-monthly   2026-03-01..2026-03-31  6000.00 USD  7450.85 USD  124.18%",
		"fabrikam-monthly", "northwind-auto", "tailspin-launch   2026-02-15..2026-03-31  400000 JPY",
		"spend so far against the amount",
		"contoso-monthly/2026-03-01/actual/gte/100/1",
		"fabrikam-monthly/2026-03-01/actual/gte/80/1",
		"anomalies:", "contoso-monthly  2026-03-12",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if !strings.Contains(errOut, "4 budgets and 478 spend records from embedded:spend_2026q1.jsonl") {
		t.Errorf("progress on stderr: %q", errOut)
	}
}

func TestBudgetJSON(t *testing.T) {
	code, out, errOut := subcommand(t, "budget", "", "-json", "-at", "2026-03-20")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var ids []string
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		var st budget.Status
		if err := json.Unmarshal(sc.Bytes(), &st); err != nil {
			t.Fatalf("%v: %s", err, sc.Text())
		}
		ids = append(ids, st.BudgetID)
		if st.BudgetID == "contoso-monthly" && (st.Spent.String() != "4647.11 USD" || !st.Forecast.Available()) {
			t.Errorf("contoso on March 20: spent %v, forecast %+v", st.Spent, st.Forecast)
		}
	}
	if got := strings.Join(ids, ","); got != "contoso-monthly,fabrikam-monthly,northwind-auto,tailspin-launch" {
		t.Errorf("budgets %s", got)
	}
}

func TestBudgetReplay(t *testing.T) {
	code, out, errOut := subcommand(t, "budget", "", "-id", "contoso-monthly", "-replay")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2+31 {
		t.Fatalf("%d lines, want a title, a header and 31 days:\n%s", len(lines), out)
	}
	want := map[string]string{
		"2026-03-12": "alert forecast > 100%",
		"2026-03-13": "alert actual >= 50%",
		"2026-03-21": "alert actual >= 80%",
		"2026-03-25": "alert actual >= 100%",
	}
	for _, l := range lines[2:] {
		day := strings.Fields(l)[0]
		has := strings.Contains(l, "alert ")
		if w, ok := want[day]; ok != has || ok && !strings.Contains(l, w) {
			t.Errorf("day %s: %q, want alert %q", day, l, w)
		}
	}
}

func TestBudgetAt(t *testing.T) {
	tests := []struct {
		name string
		at   string
		want string
	}{
		{"a day", "2026-03-13", "contoso-monthly  2026-03-01..2026-03-31  6000.00 USD  3183.16 USD  53.05%"},
		{"an instant", "2026-03-14T03:59:00Z", "contoso-monthly  2026-03-01..2026-03-31  6000.00 USD  3183.16 USD  53.05%"},
		{"before the start", "2025-12-15", "contoso-monthly  -  6000.00 USD  -  -  -  -  budget \"contoso-monthly\" starts on 2026-01-01"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := subcommand(t, "budget", "", "-id", "contoso-monthly", "-at", tt.at)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			if !strings.Contains(fields(out), fields(tt.want)) {
				t.Errorf("output lacks %q:\n%s", tt.want, out)
			}
		})
	}
}

// TestBudgetState checks that -state remembers the alerts sent, so that a
// second run with the same data reports none.
func TestBudgetState(t *testing.T) {
	state := filepath.Join(t.TempDir(), "state.json")
	code, out, errOut := subcommand(t, "budget", "", "-state", state, "-at", "2026-03-21")
	if code != 0 || !strings.Contains(out, "contoso-monthly/2026-03-01/actual/gte/80/1") {
		t.Fatalf("first run: exit %d\n%s%s", code, out, errOut)
	}
	b, err := os.ReadFile(state)
	if err != nil {
		t.Fatal(err)
	}
	var states map[string]budget.State
	if err := json.Unmarshal(b, &states); err != nil || len(states) != 4 || len(states["contoso-monthly"].Marks) == 0 {
		t.Fatalf("state file: %v\n%s", err, b)
	}
	code, out, errOut = subcommand(t, "budget", "", "-state", state, "-at", "2026-03-21")
	if code != 0 || !strings.Contains(out, "no alerts") || !strings.Contains(out, "no anomalies") {
		t.Errorf("second run: exit %d\n%s%s", code, out, errOut)
	}
	code, out, _ = subcommand(t, "budget", "", "-state", state, "-at", "2026-03-25")
	if code != 0 || !strings.Contains(out, "contoso-monthly/2026-03-01/actual/gte/100/1") || strings.Contains(out, "gte/80/1") {
		t.Errorf("a later run reports only the new alerts:\n%s", out)
	}
	bad := writeTemp(t, "state.json", "{not json")
	if code, _, errOut := subcommand(t, "budget", "", "-state", bad); code != 1 || !strings.Contains(errOut, "state "+bad) {
		t.Errorf("bad state file: exit %d, %s", code, errOut)
	}
}

func TestBudgetInputs(t *testing.T) {
	budgets := "budgets:\n  - {id: b, customer_id: c1, amount: 100.00 USD, start: 2026-01-01}\n"
	spend := `{"customer_id":"c1","id":"r1","day":"2026-03-01","amount":"85.00 USD"}
{"customer_id":"c1","id":"r1","day":"2026-03-01","amount":"85.00 USD"}
{"customer_id":"c2","id":"r2","day":"2026-03-01","amount":"1000.00 USD"}
`
	bf, sf := writeTemp(t, "b.yaml", budgets), writeTemp(t, "s.jsonl", spend)
	tests := []struct {
		name, stdin string
		args        []string
		code        int
		want        string // in stdout for status 0, else in stderr
	}{
		{"files", "", []string{"-budgets", bf, "-spend", sf}, 0, "b  2026-03-01..2026-03-31  100.00 USD  85.00 USD  85.00%"},
		{"budgets on stdin", budgets, []string{"-budgets", "-", "-spend", sf}, 0, "b/2026-03-01/actual/gte/80/1"},
		{"spend on stdin", spend, []string{"-budgets", bf, "-spend", "-"}, 0, "85.00 USD"},
		{"help", "", []string{"-h"}, 0, ""},
		{"unknown flag", "", []string{"-nope"}, 2, "flag provided but not defined"},
		{"arguments", "", []string{"extra"}, 2, "budget takes no arguments"},
		{"bad -at", "", []string{"-at", "yesterday"}, 2, `"yesterday" is neither RFC 3339`},
		{"unknown id", "", []string{"-id", "nope"}, 2, `no budget "nope" in embedded:budgets.yaml (have contoso-monthly, fabrikam-monthly`},
		{"two stdins", "", []string{"-budgets", "-", "-spend", "-"}, 2, "cannot both read standard input"},
		{"missing budgets file", "", []string{"-budgets", filepath.Join(t.TempDir(), "none.yaml")}, 1, "none.yaml: no such file"},
		{"missing spend file", "", []string{"-spend", filepath.Join(t.TempDir(), "none.jsonl")}, 1, "none.jsonl: no such file"},
		{"invalid budgets", "", []string{"-budgets", writeTemp(t, "bad.yaml", "budgets:\n  - id: b\n    amount: -1.00 USD\n    start: 2026-01-15\n")}, 1,
			"bad.yaml:3:13: budgets[0].amount: must be positive, got -1.00 USD"},
		{"malformed spend", "", []string{"-budgets", bf, "-spend", writeTemp(t, "bad.jsonl", spend+`{"customer_id":"c1","id":"r3","dya":"2026-03-02"}`+"\n")}, 1,
			`bad.jsonl:4: json: unknown field "dya"`},
		{"spend in another currency", "", []string{"-budgets", bf, "-spend", writeTemp(t, "eur.jsonl", `{"customer_id":"c1","id":"r9","day":"2026-03-02","amount":"5.00 EUR"}`+"\n")}, 1,
			"currency mismatch"},
		{"unknown time zone", "", []string{"-budgets", writeTemp(t, "tz.yaml", "budgets:\n  - {id: b, amount: 1.00 USD, start: 2026-01-01, time_zone: Mars/Olympus_Mons}\n"), "-spend", sf}, 1,
			"budget b: time zone"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := subcommand(t, "budget", tt.stdin, tt.args...)
			if code != tt.code {
				t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tt.code, out, errOut)
			}
			where := out
			if code != 0 || tt.name == "help" {
				where = errOut
			}
			if !strings.Contains(fields(where), fields(tt.want)) {
				t.Errorf("want %q in:\n%s", tt.want, where)
			}
		})
	}
}

func TestBudgetDemo(t *testing.T) {
	var buf bytes.Buffer
	if err := budgetDemo(&buf); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{"alert actual >= 50%", "alert actual >= 80%", "alert actual >= 100%", "alert forecast > 100%", "ran out on 2026-03-25"} {
		if !strings.Contains(out, want) {
			t.Errorf("demo lacks %q:\n%s", want, out)
		}
	}
	if n := strings.Count(out, "\n"); n > 40 {
		t.Errorf("demo is %d lines, want at most 40", n)
	}
}

func TestSparkline(t *testing.T) {
	tests := []struct {
		daily  []int64
		amount int64
		want   string
	}{
		{[]int64{10, 10, 30, 50, 1}, 100, "▁▂▄█!"},
		{[]int64{0, 1, -1}, 8, " ▁ "},
		{nil, 100, ""},
	}
	for _, tt := range tests {
		if got := sparkline(tt.daily, tt.amount); got != tt.want {
			t.Errorf("sparkline(%v, %d) = %q, want %q", tt.daily, tt.amount, got, tt.want)
		}
	}
}
