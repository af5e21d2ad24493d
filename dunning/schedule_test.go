package dunning

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/riskkit/riskkit/risk"
)

func TestParseScheduleErrors(t *testing.T) {
	tests := []struct {
		name, reason, src string
		want              []string // issues, as risk.Issue.String gives them
	}{
		{
			name: "syntax", reason: "a YAML syntax error has its line, counted from 1",
			src:  "id: x\nstages: [\n",
			want: []string{"3: syntax error: did not find expected node content"},
		},
		{
			name: "types and keys", reason: "every problem is reported at once, each at its position",
			src: `id: x
stages:
  - id: a
    after_days: ten
    colour: red
    min_balance: ["12,00 USD"]
    actions: [reminder, {cancel: soon}, fly]
`,
			want: []string{
				`4:17: stages[0].after_days: "ten" is not a whole number`,
				`5:5: stages[0].colour: unknown key "colour"`,
				`6:19: stages[0].min_balance[0]: parse money "12,00 USD": invalid character ',' in amount "12,00"`,
				`7:15: stages[0].actions[0]: write a reminder with its template, as in {reminder: overdue-notice}`,
			},
		},
		{
			name: "semantics", reason: "checks after decoding still point at the field",
			src: `id: x
retries: {offsets_days: [3, 2]}
stages:
  - {id: a, after_days: 10, actions: [{cancel: soon}]}
  - {id: a, after_days: 20, actions: [fly]}
  - {id: Bad Id, after_days: -1}
campaigns:
  - {id: c, thresholds: ["0.00 USD"], max_attempts: 0, min_interval: 7d, from_stage: nope}
`,
			want: []string{
				`4:39: stages[0].actions[0]: cancel needs immediately or end_of_term (got "soon")`,
				`5:10: stages[1].id: stage "a" is also stages[0]`,
				`5:39: stages[1].actions[0]: unknown action "fly" (want one of [reminder retry_payment restrict_purchases suspend_subscriptions disable_access cancel send_to_collections write_off])`,
				`6:10: stages[2].id: stage id "Bad Id": use lower-case letters, digits, '-' and '_'`,
				`6:30: stages[2].after_days: after_days -1 is outside 0 to 3660`,
				`5:5: stages[1]: stage "a" can never be reached: stage "a", listed before it as more severe, holds whenever it does`,
				`2:29: retries.offsets_days[1]: retry days must increase (2 after 3)`,
				`8:26: campaigns[0].thresholds[0]: amount 0.00 USD must be above zero`,
				`8:53: campaigns[0].max_attempts: max_attempts 0 is outside 1 to 1000`,
				`8:86: campaigns[0].from_stage: no stage "nope" in the schedule`,
			},
		},
		{
			name: "condition", reason: "a condition that does not compile is reported at its when",
			src: `id: x
stages:
  - id: a
    after_days: 1
    when: account.nonsense > 3
`,
			want: []string{`5:11: stages[0].when: undefined field 'nonsense'`},
		},
		{
			name: "overdue measure", reason: "grace days and measures are checked where they are written",
			src: `id: x
stages:
  - {id: a, after_days: 1, measure: late}
campaigns:
  - {id: c, thresholds: ["5.00 USD"], measure: due, max_attempts: 1, min_interval: 7d}
`,
			want: []string{
				`3:37: stages[0].measure: unknown measure "late" (want one of unpaid, overdue)`,
				`5:48: campaigns[0].measure: unknown measure "due" (want one of unpaid, overdue)`,
			},
		},
		{
			name: "grace days", reason: "a grace period is a number of days, not negative",
			src:  "id: x\ngrace_days: -1\nstages: [{id: a, after_days: 1}]\n",
			want: []string{`2:13: grace_days: grace_days -1 is outside 0 to 3660`},
		},
		{
			name: "empty", reason: "an empty document is an error, not an empty schedule",
			src:  "",
			want: []string{"the document is empty"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseSchedule([]byte(tt.src))
			var verr *risk.DocumentError
			if !errors.As(err, &verr) {
				t.Fatalf("error %v is not a *risk.DocumentError", err)
			}
			var got []string
			for _, is := range verr.Issues {
				got = append(got, is.String())
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("%s (-want +got):\n%s", tt.reason, diff)
			}
		})
	}
}

func TestUnreachableStage(t *testing.T) {
	_, err := ParseSchedule([]byte(`
id: x
stages:
  - {id: remind, after_days: 1}
  - {id: suspend, after_days: 30}
`))
	if err == nil || !strings.Contains(err.Error(), `stage "suspend" can never be reached`) {
		t.Errorf("a stage listed after a weaker one: error %v", err)
	}
	// A minimum balance that the earlier stage does not reach makes the
	// later stage reachable.
	_, err = ParseSchedule([]byte(`
id: x
stages:
  - {id: big, after_days: 1, min_balance: ["500.00 USD"]}
  - {id: small, after_days: 1, min_balance: ["5.00 USD"]}
`))
	if err != nil {
		t.Errorf("a stage with a lower minimum after one with a higher: %v", err)
	}
	// The overdue balance is at most the unpaid one: a stage on the
	// overdue measure does not hide a later one on the unpaid measure, but
	// a stage on the unpaid measure hides a later one on the overdue
	// measure with the same minimums.
	_, err = ParseSchedule([]byte(`
id: x
stages:
  - {id: overdue, after_days: 1, measure: overdue}
  - {id: unpaid, after_days: 1}
`))
	if err != nil {
		t.Errorf("an unpaid stage after an overdue one: %v", err)
	}
	_, err = ParseSchedule([]byte(`
id: x
stages:
  - {id: unpaid, after_days: 1}
  - {id: overdue, after_days: 1, measure: overdue}
`))
	if err == nil || !strings.Contains(err.Error(), `stage "overdue" can never be reached`) {
		t.Errorf("an overdue stage after an unpaid one: error %v", err)
	}
}

func TestNewDunner(t *testing.T) {
	spec := Schedule{ID: "go", Stages: []Stage{{ID: "late", AfterDays: 3, Actions: []StageAction{{Kind: Remind, Template: "late"}}}},
		Campaigns: []Campaign{{ID: "c", Thresholds: []risk.Money{usd("10.00")}, MaxAttempts: 1, MinInterval: 48 * time.Hour}}}
	if err := spec.Validate(); err != nil {
		t.Fatal(err)
	}
	d, err := NewDunner(&spec, time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	spec.Stages[0].AfterDays = 99
	spec.Stages[0].Actions[0].Template = "changed"
	spec.Campaigns[0].Thresholds[0] = usd("99.00")
	s := d.Schedule()
	if s.Stages[0].AfterDays != 3 || s.Stages[0].Actions[0].Template != "late" || s.Campaigns[0].Thresholds[0] != usd("10.00") {
		t.Error("NewDunner shares its stages with the caller's schedule")
	}
	s.Stages[0].AfterDays = 50
	if d.Schedule().Stages[0].AfterDays != 3 {
		t.Error("Schedule shares its stages with the Dunner")
	}
	if d.Location() != time.UTC {
		t.Errorf("Location = %v", d.Location())
	}
	for name, err := range map[string]error{
		"Validate": (&Schedule{ID: "go"}).Validate(),
		"NewDunner": func() error {
			_, err := NewDunner(&Schedule{ID: "go"}, time.UTC)
			return err
		}(),
	} {
		var de *risk.DocumentError
		if !errors.As(err, &de) || !strings.Contains(err.Error(), "stages: a schedule needs at least one stage") {
			t.Errorf("%s with no stages: %v", name, err)
		}
	}
	if _, err := NewDunner(nil, time.UTC); err == nil {
		t.Error("NewDunner(nil) succeeded")
	}
	if _, err := NewDunner(&spec, nil); err == nil || !strings.Contains(err.Error(), "nil *time.Location") {
		t.Errorf("NewDunner without a location: %v", err)
	}
	if err := (*Schedule)(nil).Validate(); err == nil {
		t.Error("a nil schedule validates")
	}
	if got := intervalText(48 * time.Hour); got != "2 days" {
		t.Errorf("intervalText = %q", got)
	}
}

func TestMinInterval(t *testing.T) {
	doc := func(interval string) []byte {
		return []byte("id: x\nstages: [{id: a, after_days: 1}]\ncampaigns: [{id: c, thresholds: [\"5.00 USD\"], max_attempts: 1, min_interval: '" + interval + "'}]\n")
	}
	for in, want := range map[string]time.Duration{"7d": 7 * 24 * time.Hour, "36h": 36 * time.Hour, "90m": 90 * time.Minute, "3660d": 3660 * 24 * time.Hour} {
		s, err := ParseSchedule(doc(in))
		if err != nil {
			t.Errorf("min_interval %q: %v", in, err)
			continue
		}
		if got := s.Campaigns[0].MinInterval; got != want {
			t.Errorf("min_interval %q = %v; want %v", in, got, want)
		}
	}
	for _, in := range []string{"", "d", "0d", "-1d", "7 days", "1.5d", "3661d"} {
		if _, err := ParseSchedule(doc(in)); err == nil {
			t.Errorf("min_interval %q accepted", in)
		}
	}
}

// TestSingleAmount checks that a document may write one amount alone where
// a list of amounts goes.
func TestSingleAmount(t *testing.T) {
	s, err := ParseSchedule([]byte("id: o\nstages: [{id: a, after_days: 1, min_balance: '5.00 USD'}]\ncampaigns: [{id: c, thresholds: '7.00 EUR', max_attempts: 2, min_interval: 1d}]"))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(Amounts{usd("5.00")}, s.Stages[0].MinBalance, equateValues); diff != "" {
		t.Errorf("min_balance (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(Amounts{eur("7.00")}, s.Campaigns[0].Thresholds, equateValues); diff != "" {
		t.Errorf("thresholds (-want +got):\n%s", diff)
	}
	_, err = ParseSchedule([]byte("id: o\nstages: [{id: a, after_days: 1, min_balance: '5,00 USD'}]\n"))
	if err == nil || !strings.Contains(err.Error(), `2:46: stages[0].min_balance: parse money "5,00 USD"`) {
		t.Errorf("a malformed single amount: %v", err)
	}
}
