package onboarding_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/riskkit/riskkit/onboarding"
	"github.com/riskkit/riskkit/risk"
)

const applicantJSON = `{"id": "app-1", "kind": "individual", "country": "US", "currency": "USD",
 "signup": {"at": "2026-11-25T10:00:00Z", "ip": "192.0.2.10", "ip_country": "US", "device_id": "dev-1",
  "email_domain": "example.com", "email": "verified", "phone": "+14155550100", "sms": "verified",
  "form_seconds": 48, "bot_score": 4},
 "identity": {"status": "verified", "provider": "idv"},
 "credit": {"status": "verified", "provider": "bureau", "band": "B"},
 "payment": {"type": "card", "funding": "credit", "issuing_country": "US", "cvc": "pass", "address": "pass"},
 "services": ["vm_compute"],
 "signals": {"accounts_per_ip_1h": 0, "accounts_per_ip_24h": 0, "accounts_per_device_1h": 0,
  "accounts_per_device_24h": 0, "accounts_per_card_1h": 0, "accounts_per_card_24h": 0,
  "distinct_cards_24h": 1, "failed_payments_24h": 0}}`

func TestDecodeApplicant(t *testing.T) {
	got, err := onboarding.DecodeApplicant([]byte(applicantJSON))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(clean(), got, eq); diff != "" {
		t.Errorf("decoded applicant (-want +got):\n%s", diff)
	}
	yamlForm := `
id: app-2
currency: EUR
kind: business
signup:
  bot_score: null      # not supplied
  sms: not_run
business: {status: pending}
payment: {cvc: unchecked}
`
	got, err = onboarding.DecodeApplicant([]byte(yamlForm))
	if err != nil {
		t.Fatal(err)
	}
	want := onboarding.Applicant{ID: "app-2", Currency: "EUR", Kind: risk.Business, Business: onboarding.Check{Status: risk.Pending}}
	if diff := cmp.Diff(want, got, eq); diff != "" {
		t.Errorf("decoded YAML applicant (-want +got):\n%s", diff)
	}
}

func TestDecodeApplicantErrors(t *testing.T) {
	tests := []struct {
		name, reason, src string
		want              []risk.Issue
	}{
		{name: "empty", reason: "nothing to decode", src: "",
			want: []risk.Issue{{Msg: "the document is empty"}}},
		{name: "syntax", reason: "YAML's own message, with its line", src: "{\"id\": \"a\",\n \"currency\": [}",
			want: []risk.Issue{{Line: 2, Msg: "syntax error: did not find expected node content"}}},
		{name: "two documents", reason: "one applicant per document", src: "id: a\ncurrency: USD\n---\nid: b\n",
			want: []risk.Issue{{Line: 3, Column: 1, Msg: "a second document; give one"}}},
		{name: "not a mapping", reason: "an applicant is an object", src: `["a"]`,
			want: []risk.Issue{{Line: 1, Column: 1, Msg: "want a mapping of keys to values"}}},
		{name: "unknown key", reason: "strict decoding catches typos", src: `{"id": "a", "currency": "USD", "sigup": {}}`,
			want: []risk.Issue{{Path: "sigup", Line: 1, Column: 32, Msg: `unknown key "sigup"; did you mean "signup"?`}}},
		{name: "repeated key", reason: "the second would silently win", src: "id: a\nid: b\ncurrency: USD\n",
			want: []risk.Issue{{Path: "id", Line: 2, Column: 1, Msg: `repeated key "id"`}}},
		{name: "wrong types", reason: "every problem at once, each where it is",
			src: `{"id": "a", "currency": "USD", "mfa": "yes", "signup": {"bot_score": 4.5, "form_seconds": "12"}, "services": "gpu"}`,
			want: []risk.Issue{
				{Path: "mfa", Line: 1, Column: 39, Msg: `"yes" is not true or false`},
				{Path: "signup.bot_score", Line: 1, Column: 70, Msg: "signal 4.5 is not an integer"},
				{Path: "signup.form_seconds", Line: 1, Column: 91, Msg: `signal "12" is not an integer`},
				{Path: "services", Line: 1, Column: 110, Msg: "want a list"}}},
		{name: "unknown enum", reason: "states are a closed set", src: `{"id": "a", "currency": "USD", "identity": {"status": "ok"}}`,
			want: []risk.Issue{{Path: "identity.status", Line: 1, Column: 55,
				Msg: `unknown verification "ok" (want one of verified, failed, pending, not_run)`}}},
		{name: "bad money and time", reason: "amounts and times are parsed",
			src: "id: a\ncurrency: USD\ncredit: {net_worth: 12 dollars}\nsignup: {at: yesterday}\n",
			want: []risk.Issue{
				{Path: "credit.net_worth", Line: 3, Column: 21, Msg: `parse money "12 dollars": unknown currency "dollars": want 3 upper-case letters`},
				{Path: "signup.at", Line: 4, Column: 14, Msg: `parsing time "yesterday" as "2006-01-02T15:04:05Z07:00": cannot parse "yesterday" as "2006"`}}},
		{name: "validation with positions", reason: "Validate's problems point at the field",
			src: "id: a b\ncurrency: USD\nsignup:\n  ip: 300.1.1.1\n  bot_score: 101\ncredit: {band: F, net_worth: 10.00 EUR}\n",
			want: []risk.Issue{
				{Path: "id", Line: 1, Column: 5, Msg: `"a b" has the character ' '; use letters, digits and ._:@-`},
				{Path: "signup.ip", Line: 4, Column: 7, Msg: `"300.1.1.1" is not an IP address`},
				{Path: "signup.bot_score", Line: 5, Column: 14, Msg: "101 is outside 0 to 100"},
				{Path: "credit.band", Line: 6, Column: 16, Msg: `"F" is not a band from A (strongest) to E (weakest)`},
				{Path: "credit.net_worth", Line: 6, Column: 30, Msg: "10.00 EUR is not in the billing currency USD; convert it first"}}},
		{name: "missing currency", reason: "controls need the billing currency", src: `{"id": "a"}`,
			want: []risk.Issue{{Path: "currency", Line: 1, Column: 1, Msg: "missing; the ISO 4217 code the customer is billed in, such as USD"}}},
		{name: "alias loop", reason: "aliases are followed a bounded number of times",
			src:  "id: &a a\ncurrency: USD\nservices: *a\n",
			want: []risk.Issue{{Path: "services", Line: 1, Column: 5, Msg: "want a list"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := onboarding.DecodeApplicant([]byte(tt.src))
			var oe *risk.DocumentError
			if !errors.As(err, &oe) {
				t.Fatalf("%s: got %v, want a *risk.DocumentError", tt.reason, err)
			}
			if diff := cmp.Diff(tt.want, oe.Issues, issueText); diff != "" {
				t.Errorf("%s: issues (-want +got):\n%s", tt.reason, diff)
			}
		})
	}
}

func TestValidateGoValues(t *testing.T) {
	a := clean()
	a.Kind = "robot"
	a.Payment.Funding = "gift"
	a.Signup.SMS = "maybe"
	a.Services = []string{""}
	a.Signals.FailedPayments24h = risk.Known(-1)
	err := a.Validate()
	want := `onboarding: applicant "app-1" has 5 problems
	kind: unknown kind "robot" (want individual or business)
	signup.sms: unknown verification state "maybe" (want verified, failed, pending or not_run)
	payment.funding: unknown funding "gift"
	services[0]: a service is 1 to 100 bytes
	signals.failed_payments_24h: -1 is negative`
	if err == nil || err.Error() != want {
		t.Errorf("got\n%v\nwant\n%s", err, want)
	}
	c := clean()
	if err := c.Validate(); err != nil {
		t.Errorf("clean applicant: %v", err)
	}
	if n := testing.AllocsPerRun(100, func() { _ = c.Validate() }); n != 0 {
		t.Errorf("validating a valid applicant allocates %v times", n)
	}
}

func FuzzDecodeApplicant(f *testing.F) {
	f.Add([]byte(applicantJSON))
	f.Add([]byte("id: a\ncurrency: USD\nsignup: {bot_score: null, form_seconds: 3}\n"))
	f.Add([]byte(`{"id": "b", "currency": "JPY", "credit": {"status": "pending", "net_worth": "100 JPY"}, "services": ["gpu_compute"]}`))
	f.Add([]byte(`{"id": "c", "currency": "EUR", "payment": {"funding": "prepaid"}, "signals": {"accounts_per_ip_1h": 9}}`))
	f.Add([]byte("id: &x a\ncurrency: *x\n"))
	f.Add([]byte("[1, 2"))
	f.Fuzz(func(t *testing.T, data []byte) {
		a, err := onboarding.DecodeApplicant(data)
		if err != nil {
			var oe *risk.DocumentError
			if !errors.As(err, &oe) || len(oe.Issues) == 0 {
				t.Fatalf("error %v is not an *Error with issues", err)
			}
			return
		}
		if err := a.Validate(); err != nil {
			t.Fatalf("a decoded applicant must be valid: %v", err)
		}
		b, err := json.Marshal(a)
		if err != nil {
			t.Fatal(err)
		}
		again, err := onboarding.DecodeApplicant(b)
		if err != nil {
			t.Fatalf("re-decoding %s: %v", b, err)
		}
		if diff := cmp.Diff(a, again, eq); diff != "" {
			t.Fatalf("round trip through %s (-first +second):\n%s", b, diff)
		}
		var viaJSON onboarding.Applicant
		if err := json.Unmarshal(b, &viaJSON); err != nil {
			t.Fatalf("encoding/json cannot read %s: %v", b, err)
		}
		if diff := cmp.Diff(a, viaJSON, eq); diff != "" && !strings.Contains(diff, "Signal") {
			t.Fatalf("encoding/json reads %s differently (-decoder +encoding/json):\n%s", b, diff)
		}
	})
}
