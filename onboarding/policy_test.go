package onboarding_test

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/riskkit/riskkit/examples"
	"github.com/riskkit/riskkit/onboarding"
	"github.com/riskkit/riskkit/risk"
	"github.com/riskkit/riskkit/risk/risktest"
)

func examplePolicy(tb testing.TB) []byte {
	tb.Helper()
	src, err := examples.Policy("onboarding.yaml")
	if err != nil {
		tb.Fatal(err)
	}
	return src
}

func TestExamplePolicyCompiles(t *testing.T) {
	p, err := onboarding.Compile(examplePolicy(t))
	if err != nil {
		t.Fatal(err)
	}
	terms := p.Terms()
	if len(terms.Tiers) != 3 || len(terms.Currencies) != 3 {
		t.Errorf("terms: %d tiers, %d currencies", len(terms.Tiers), len(terms.Currencies))
	}
}

// mini is a valid policy whose lines the error tests count on: the controls
// section sits between the outcomes and the rules, so that the rules'
// positions are checked where the risk engine reads the policy around it.
const mini = `id: mini
outcomes: [reject, step_up, approve]
controls:
  currencies: [USD]
  review: {within: 24h, on_expiry: reject}
  credit_limit:
    bands: {A: 100.00 USD}
    no_report: 0.00 USD
  tiers:
    - {id: new, monthly_cap: 100.00 USD}
  rules:
    sms: {step_up: [sms]}
rules:
  - id: sms
    when: signup.sms != "verified"
    action: step_up
    reason: SMS
`

func TestCompileErrors(t *testing.T) {
	tests := []struct {
		name, reason string
		old, new     string // a replacement in mini
		want         []risk.Issue
	}{
		{
			name: "rule error keeps its position", reason: "the risk engine reads the document around the controls",
			old: `signup.sms != "verified"`, new: `signup.smss != "verified"`,
			want: []risk.Issue{{RuleID: "sms", Line: 15, Column: 17, Msg: "undefined field 'smss'"}},
		},
		{
			name: "misspelt policy key", reason: "the policy's own keys are decoded strictly beside the controls",
			old: "outcomes: [reject, step_up, approve]\n", new: "outcomes: [reject, step_up, approve]\nbandz: []\n",
			want: []risk.Issue{{Path: "bandz", Line: 3, Column: 1, Msg: `unknown key "bandz"; did you mean "bands"?`}},
		},
		{
			name: "unknown controls key", reason: "the controls are decoded strictly",
			old: "  currencies: [USD]\n", new: "  currencies: [USD]\n  currency: USD\n",
			want: []risk.Issue{{Path: "controls.currency", Line: 5, Column: 3, Msg: `unknown key "currency"`}},
		},
		{
			name: "malformed amount", reason: "amounts are parsed with their currency",
			old: "bands: {A: 100.00 USD}", new: "bands: {A: 100.00 USDX}",
			want: []risk.Issue{{Path: "controls.credit_limit.bands.A", Line: 7, Column: 16,
				Msg: `parse money "100.00 USDX": unknown currency "USDX": want 3 upper-case letters`}},
		},
		{
			name: "amount in an uncovered currency", reason: "every amount list names the currencies of the terms",
			old: "no_report: 0.00 USD", new: "no_report: 0.00 EUR",
			want: []risk.Issue{
				{Path: "controls.credit_limit.no_report[0]", Line: 8, Column: 16, Msg: "EUR is not one of controls.currencies [USD]"},
				{Path: "controls.credit_limit.no_report", Line: 8, Column: 16, Msg: "no amount in USD"}},
		},
		{
			name: "step-up on a rule that does not step up", reason: "the effect would never show",
			old: "action: step_up", new: "action: reject",
			want: []risk.Issue{{Path: "controls.rules.sms.step_up", Line: 12, Column: 20,
				Msg: `rule sms has action "reject"; only a rule whose action is step_up asks for a step-up`}},
		},
		{
			name: "effect of an unknown rule", reason: "a typo in a rule id is caught",
			old: "    sms: {step_up: [sms]}", new: "    smss: {step_up: [sms]}",
			want: []risk.Issue{{Path: "controls.rules.smss", Line: 12, Column: 11, Msg: `no rule "smss" in the policy`}},
		},
		{
			name: "unknown step-up", reason: "methods are a closed set",
			old: "step_up: [sms]", new: "step_up: [carrier_pigeon]",
			want: []risk.Issue{{Path: "controls.rules.sms.step_up[0]", Line: 12, Column: 21,
				Msg: `unknown step-up "carrier_pigeon" (want one of sms, email, phone_call, identity_document, three_ds, payment_method, none)`}},
		},
		{
			name: "empty step-up", reason: "the zero method asks for nothing, so a list of step-ups cannot hold it",
			old: "step_up: [sms]", new: `step_up: [""]`,
			want: []risk.Issue{{Path: "controls.rules.sms.step_up[0]", Line: 12, Column: 21,
				Msg: "empty; name a step-up such as sms"}},
		},
		{
			name: "outcome not an onboarding outcome", reason: "the assessment's outcomes are fixed",
			old: "outcomes: [reject, step_up, approve]", new: "outcomes: [reject, challenge, approve]",
			want: []risk.Issue{
				{Path: "outcomes", Line: 2, Column: 11, Msg: `"challenge" is not an onboarding outcome (want some of [reject review pending step_up approve_with_controls approve], in that order)`},
				{RuleID: "sms", Line: 14, Column: 5, Msg: `action "step_up" is not an outcome of the policy (want one of [reject challenge approve])`}},
		},
		{
			name: "outcomes out of order", reason: "most severe first",
			old: "outcomes: [reject, step_up, approve]", new: "outcomes: [step_up, reject, approve]",
			want: []risk.Issue{{Path: "outcomes", Line: 2, Column: 11,
				Msg: `"reject" is out of order; onboarding outcomes run [reject review pending step_up approve_with_controls approve]`}},
		},
		{
			name: "first tier requires something", reason: "everyone starts in the first tier",
			old: "- {id: new, monthly_cap: 100.00 USD}", new: "- {id: new, monthly_cap: 100.00 USD, requires: {tenure_days: 1}}",
			want: []risk.Issue{{Path: "controls.tiers[0].requires", Line: 10, Column: 52,
				Msg: "the first tier is where every customer starts; it requires nothing"}},
		},
		{
			name: "review expiring to review", reason: "an expired review cannot be a review",
			old: "on_expiry: reject", new: "on_expiry: review",
			want: []risk.Issue{{Path: "controls.review.on_expiry", Line: 5, Column: 36,
				Msg: "review cannot follow an expired review; use reject or an approval"}},
		},
		{
			name: "bad duration", reason: "durations are written 48h or 2d",
			old: "within: 24h", new: "within: a day",
			want: []risk.Issue{
				{Path: "controls.review.within", Line: 5, Column: 20, Msg: `"a day" is not a duration such as 36h or 7d`}},
		},
		{
			name: "no controls", reason: "an onboarding policy needs its terms",
			old: "controls:\n  currencies: [USD]\n  review: {within: 24h, on_expiry: reject}\n  credit_limit:\n    bands: {A: 100.00 USD}\n    no_report: 0.00 USD\n  tiers:\n    - {id: new, monthly_cap: 100.00 USD}\n  rules:\n    sms: {step_up: [sms]}\n",
			new: "",
			want: []risk.Issue{{Path: "controls", Line: 1, Column: 1,
				Msg: "missing; an onboarding policy has a controls section with its currencies, review terms, credit limit and tiers"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(mini, tt.old) {
				t.Fatalf("%q is not in the policy", tt.old)
			}
			_, err := onboarding.Compile([]byte(strings.Replace(mini, tt.old, tt.new, 1)))
			var oe *risk.DocumentError
			if !errors.As(err, &oe) {
				t.Fatalf("%s: got %v, want a *risk.DocumentError", tt.reason, err)
			}
			if diff := cmp.Diff(tt.want, oe.Issues, issueText); diff != "" {
				t.Errorf("%s: issues mismatch (-want +got):\n%s", tt.reason, diff)
			}
		})
	}
	if _, err := onboarding.Compile([]byte(mini)); err != nil {
		t.Errorf("the base policy must compile: %v", err)
	}
}

func TestCompileJSON(t *testing.T) {
	controls := `"controls": {"currencies": ["USD"], "review": {"within": "24h", "on_expiry": "reject"},
 "credit_limit": {"bands": {"A": "100.00 USD"}, "no_report": "0.00 USD"},
 "tiers": [{"id": "new", "monthly_cap": "100.00 USD"}]}`
	rules := `"rules": [{"id": "sms", "when": "signup.smss == \"x\"", "action": "step_up", "reason": "SMS"}]`
	tests := []struct {
		name, reason, src string
	}{
		{name: "controls in the middle", reason: "the entry and its comma are blanked",
			src: "{\"id\": \"j\", \"outcomes\": [\"reject\", \"step_up\", \"approve\"],\n" + controls + ",\n" + rules + "}\n"},
		{name: "controls last", reason: "the comma before it may stay: YAML allows a trailing one",
			src: "{\"id\": \"j\", \"outcomes\": [\"reject\", \"step_up\", \"approve\"],\n" + rules + ",\n" + controls + "}\n"},
		{name: "one line", reason: "columns count characters, so a blanked é keeps the rule's column",
			src: `{"id": "j", "outcomes": ["reject", "step_up", "approve"], ` +
				strings.ReplaceAll(strings.Replace(controls, `"id": "new"`, `"id": "new", "name": "Nouveau né"`, 1), "\n", "") + ", " + rules + "}"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// The engine reports an unknown field at the dot before it.
			at := strings.Index(tt.src, "signup.smss")
			line := strings.Count(tt.src[:at], "\n") + 1
			col := utf8.RuneCountInString(tt.src[strings.LastIndex(tt.src[:at], "\n")+1:at]) + 1 + len("signup")
			_, err := onboarding.Compile([]byte(tt.src))
			var oe *risk.DocumentError
			if !errors.As(err, &oe) || len(oe.Issues) != 1 {
				t.Fatalf("%s: got %v, want one issue", tt.reason, err)
			}
			if is := oe.Issues[0]; is.Line != line || is.Column != col || is.Msg != "undefined field 'smss'" {
				t.Errorf("%s: got %v, want %d:%d: undefined field 'smss'", tt.reason, is, line, col)
			}
			fixed := strings.Replace(tt.src, "signup.smss", "signup.sms", 1)
			if _, err := onboarding.Compile([]byte(fixed)); err != nil {
				t.Errorf("%s: the fixed policy: %v", tt.reason, err)
			}
		})
	}
}

func TestErrorText(t *testing.T) {
	_, err := onboarding.Compile([]byte(strings.Replace(mini, "within: 24h", "within: 0s", 1) + "  - {id: x}\n"))
	want := `onboarding: policy "mini" has 4 problems
	5:20: controls.review.within: duration "0s" must be above zero
	18:5: rule x: when is required
	18:5: rule x: reason is required
	18:5: rule x: rule has neither a score nor an action`
	if err == nil || err.Error() != want {
		t.Errorf("got\n%v\nwant\n%s", err, want)
	}
	_, err = onboarding.Compile([]byte(strings.Replace(mini, "within: 24h", "within: 0s", 1)))
	want = `onboarding: policy "mini": 5:20: controls.review.within: duration "0s" must be above zero`
	if err == nil || err.Error() != want {
		t.Errorf("got\n%v\nwant\n%s", err, want)
	}
}

func exampleCases(tb testing.TB) []byte {
	tb.Helper()
	src, err := examples.Policy("onboarding_tests.yaml")
	if err != nil {
		tb.Fatal(err)
	}
	return src
}

func TestExamplePolicyCases(t *testing.T) {
	p, err := onboarding.Compile(examplePolicy(t))
	if err != nil {
		t.Fatal(err)
	}
	risktest.Run(t, p.Engine(), exampleCases(t))
}

// TestExampleCasesCoverEveryRule keeps the test cases honest: every enabled
// rule, active or shadow, fires in at least one case, and every effect of
// the controls section belongs to a rule that does.
func TestExampleCasesCoverEveryRule(t *testing.T) {
	p, err := onboarding.Compile(examplePolicy(t))
	if err != nil {
		t.Fatal(err)
	}
	results, err := risktest.Check(p.Engine(), exampleCases(t))
	if err != nil {
		t.Fatal(err)
	}
	fired := map[string]bool{}
	for _, r := range results {
		for _, h := range append(r.Decision.Hits, r.Decision.Shadow...) {
			fired[h.RuleID] = true
		}
	}
	for _, id := range p.Engine().RuleIDs() {
		if !fired[id] {
			t.Errorf("rule %s fires in no test case", id)
		}
	}
	for id := range p.Terms().Rules {
		if !fired[id] {
			t.Errorf("the controls of rule %s are never exercised", id)
		}
	}
}

func TestTermsAreACopy(t *testing.T) {
	p := compile(t, testPolicy)
	terms := p.Terms()
	terms.Tiers[0].Hold[0] = "nothing"
	terms.Rules["region"].Hold[0] = "nothing"
	terms.CreditLimit.Bands["B"][0] = terms.CreditLimit.Bands["A"][0]
	if diff := cmp.Diff(p.Terms(), compile(t, testPolicy).Terms(), eq); diff != "" {
		t.Errorf("changing the returned terms changed the policy (-changed +fresh):\n%s", diff)
	}
}

func FuzzCompile(f *testing.F) {
	f.Add([]byte(mini))
	f.Add([]byte(testPolicy))
	f.Add(examplePolicy(f))
	f.Add([]byte(`{"id": "j", "outcomes": ["reject", "approve"], "rules": [{"id": "r", "when": "mfa", "action": "reject", "reason": "R"}], "controls": {"currencies": ["USD"]}}`))
	f.Add([]byte("controls: &c {tiers: [*c]}\n"))
	f.Add([]byte("id: x\ncontrols:\n  currencies: [USD]\n  tiers: [{id: a, monthly_cap: 1.00 USD}, {id: a, monthly_cap: 0.50 USD}]\n"))
	a := clean()
	f.Fuzz(func(t *testing.T, src []byte) {
		p, err := onboarding.Compile(src)
		if err != nil {
			var oe *risk.DocumentError
			if !errors.As(err, &oe) || len(oe.Issues) == 0 {
				t.Fatalf("error %v is not an *Error with issues", err)
			}
			return
		}
		as, err := onboarding.NewAssessor(p, onboarding.Options{})
		if err != nil {
			t.Fatal(err)
		}
		// Whatever a policy that compiles says, assessing never panics and
		// fails only for a currency it does not cover.
		got, err := signUp(as, &a, t0)
		if err != nil {
			if !errors.Is(err, onboarding.ErrCurrency) {
				t.Fatalf("assess: %v", err)
			}
			return
		}
		if got.Outcome == "" || got.Controls.MonthlyCap.Validate() != nil {
			t.Fatalf("assessment %s with cap %+v", got.Outcome, got.Controls.MonthlyCap)
		}
	})
}
