package onboarding_test

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/riskkit/riskkit/budget"
	"github.com/riskkit/riskkit/onboarding"
	"github.com/riskkit/riskkit/risk"
)

// decision is the part of an assessment the outcome tests compare.
type decision struct {
	Outcome     onboarding.Outcome
	Hits        []string
	StepUps     []onboarding.StepUpRequest
	Outstanding []onboarding.CheckName
	Missing     []string
	Review      *onboarding.ReviewStatus
}

func decisionOf(a *onboarding.Assessment) decision {
	d := decision{Outcome: a.Outcome, StepUps: a.StepUps, Outstanding: a.Outstanding, Review: a.Review}
	for _, h := range a.Decision.Hits {
		d.Hits = append(d.Hits, h.RuleID)
	}
	for _, m := range a.Decision.Missing {
		d.Missing = append(d.Missing, m.RuleID)
	}
	return d
}

func TestAssessOutcome(t *testing.T) {
	as := assessor(t, testPolicy, onboarding.Options{})
	review := func(rules ...string) *onboarding.ReviewStatus {
		return &onboarding.ReviewStatus{Deadline: t0.Add(48 * time.Hour), OnExpiry: onboarding.Reject, Rules: rules}
	}
	tests := []struct {
		name, reason string
		mod          func(a *onboarding.Applicant)
		want         decision
	}{
		{
			name: "clean", reason: "nothing objects, so the default outcome applies",
			mod:  func(a *onboarding.Applicant) {},
			want: decision{Outcome: onboarding.Approve},
		},
		{
			name: "sms pending", reason: "a code sent but not entered is not a verified phone",
			mod: func(a *onboarding.Applicant) { a.Signup.SMS = risk.Pending },
			want: decision{Outcome: onboarding.StepUp, Hits: []string{"sms"},
				StepUps: []onboarding.StepUpRequest{{Method: onboarding.SMS, Rules: []string{"sms"}}}},
		},
		{
			name: "two step-ups in method order", reason: "the list follows the Method constants, not the rules",
			mod: func(a *onboarding.Applicant) {
				a.Signup.SMS = risk.NotRun
				a.Payment.IssuingCountry = "GB"
			},
			want: decision{Outcome: onboarding.StepUp, Hits: []string{"sms", "three_ds"},
				StepUps: []onboarding.StepUpRequest{
					{Method: onboarding.SMS, Rules: []string{"sms"}},
					{Method: onboarding.ThreeDS, Rules: []string{"three_ds"}}}},
		},
		{
			name: "prepaid card", reason: "a refused instrument asks for another payment method",
			mod: func(a *onboarding.Applicant) { a.Payment.Funding = risk.Prepaid },
			want: decision{Outcome: onboarding.StepUp, Hits: []string{"refused"},
				StepUps: []onboarding.StepUpRequest{{Method: onboarding.PaymentMethod, Rules: []string{"refused"}}}},
		},
		{
			name: "identity pending", reason: "a check still running waits, and is listed as outstanding",
			mod: func(a *onboarding.Applicant) { a.Identity.Status = risk.Pending },
			want: decision{Outcome: onboarding.Pending, Hits: []string{"identity_pending"},
				Outstanding: []onboarding.CheckName{onboarding.CheckIdentity}},
		},
		{
			name: "identity not run", reason: "a check never run is not pending: nothing waits for it",
			mod:  func(a *onboarding.Applicant) { a.Identity.Status = risk.NotRun },
			want: decision{Outcome: onboarding.Approve},
		},
		{
			name: "pending credit and business", reason: "every pending third-party check is outstanding, whichever rule fired",
			mod: func(a *onboarding.Applicant) {
				a.Credit = onboarding.Check{Status: risk.Pending}
				a.Business = onboarding.Check{Status: risk.Pending}
			},
			want: decision{Outcome: onboarding.Approve,
				Outstanding: []onboarding.CheckName{onboarding.CheckCredit, onboarding.CheckBusiness}},
		},
		{
			name: "bot score missing", reason: "a signal not supplied never fires a rule; the decision lists it",
			mod:  func(a *onboarding.Applicant) { a.Signup.BotScore = risk.Signal{} },
			want: decision{Outcome: onboarding.Approve, Missing: []string{"bot"}},
		},
		{
			name: "bot score at the threshold", reason: "90 is in the rule (>=)",
			mod: func(a *onboarding.Applicant) {
				a.Signup.BotScore = risk.Known(90)
				a.Signup.SMS = risk.NotRun
			},
			want: decision{Outcome: onboarding.Reject, Hits: []string{"bot", "sms"}},
		},
		{
			name: "bot score below the threshold", reason: "89 is not",
			mod:  func(a *onboarding.Applicant) { a.Signup.BotScore = risk.Known(89) },
			want: decision{Outcome: onboarding.Approve},
		},
		{
			name: "review by score", reason: "the score band alone sends to review: no review rules are named",
			mod:  func(a *onboarding.Applicant) { a.Signals.AccountsPerIP1h = risk.Known(3) },
			want: decision{Outcome: onboarding.Review, Hits: []string{"scored"}, Review: review()},
		},
		{
			name: "review by rule", reason: "a rule whose action is review is named in the review",
			mod:  func(a *onboarding.Applicant) { a.Identity.Status = risk.Failed },
			want: decision{Outcome: onboarding.Review, Hits: []string{"identity_failed"}, Review: review("identity_failed")},
		},
		{
			name: "step-up under review", reason: "step-ups are still listed for a reviewer",
			mod: func(a *onboarding.Applicant) {
				a.Identity.Status = risk.Failed
				a.Signup.SMS = risk.Failed
			},
			want: decision{Outcome: onboarding.Review, Hits: []string{"sms", "identity_failed"}, Review: review("identity_failed"),
				StepUps: []onboarding.StepUpRequest{{Method: onboarding.SMS, Rules: []string{"sms"}}}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := clean()
			tt.mod(&a)
			got, err := signUp(as, &a, t0)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, decisionOf(&got), eq); diff != "" {
				t.Errorf("%s: mismatch (-want +got):\n%s", tt.reason, diff)
			}
		})
	}
}

func TestAssessShadowRules(t *testing.T) {
	as := assessor(t, testPolicy, onboarding.Options{})
	a := clean()
	a.Country = "FR"
	got, err := signUp(as, &a, t0)
	if err != nil {
		t.Fatal(err)
	}
	if got.Outcome != onboarding.Approve || len(got.Decision.Shadow) != 1 || got.Decision.Shadow[0].RuleID != "watch" {
		t.Errorf("a shadow rule is reported and changes nothing; got %s, shadow %v", got.Outcome, got.Decision.Shadow)
	}
}

func TestCreditLimit(t *testing.T) {
	as := assessor(t, testPolicy, onboarding.Options{})
	zero := usd("0.00")
	tests := []struct {
		name, reason string
		mod          func(a *onboarding.Applicant)
		prepaid      risk.Money
		want         onboarding.CreditLimit
	}{
		{
			name: "band B", reason: "the band's amount",
			mod:  func(a *onboarding.Applicant) {},
			want: onboarding.CreditLimit{Limit: usd("2000.00"), Band: "B", Source: onboarding.CheckCredit, BandAmount: usd("2000.00"), PrepaymentPart: zero},
		},
		{
			name: "net worth cap exactly at the band", reason: "5% of 100000.00 is 5000.00, equal to band A: not capped",
			mod: func(a *onboarding.Applicant) {
				a.Credit = onboarding.Check{Status: risk.Verified, Band: "A", NetWorth: usd("100000.00")}
			},
			want: onboarding.CreditLimit{Limit: usd("5000.00"), Band: "A", Source: onboarding.CheckCredit, BandAmount: usd("5000.00"),
				PrepaymentPart: zero, NetWorthCap: usd("5000.00")},
		},
		{
			name: "net worth cap one cent below", reason: "5% of 99999.99 is 4999.9995, rounded down to 4999.99, and caps",
			mod: func(a *onboarding.Applicant) {
				a.Credit = onboarding.Check{Status: risk.Verified, Band: "A", NetWorth: usd("99999.99")}
			},
			want: onboarding.CreditLimit{Limit: usd("4999.99"), Band: "A", Source: onboarding.CheckCredit, BandAmount: usd("5000.00"),
				PrepaymentPart: zero, NetWorthCap: usd("4999.99"), Capped: true},
		},
		{
			name: "net worth of an unverified report", reason: "only a verified report's net worth caps the limit",
			mod: func(a *onboarding.Applicant) {
				a.Credit = onboarding.Check{Status: risk.Pending, NetWorth: usd("10.00")}
				a.Business = onboarding.Check{Status: risk.Pending}
			},
			want: onboarding.CreditLimit{Limit: zero, BandAmount: zero, PrepaymentPart: zero},
		},
		{
			name: "prepayment multiple", reason: "150% of 100.00 prepaid adds 150.00",
			mod:     func(a *onboarding.Applicant) {},
			prepaid: usd("100.00"),
			want: onboarding.CreditLimit{Limit: usd("2150.00"), Band: "B", Source: onboarding.CheckCredit, BandAmount: usd("2000.00"),
				PrepaymentPart: usd("150.00")},
		},
		{
			name: "prepayment multiple rounds down", reason: "150% of 0.03 is 0.045, rounded down to 0.04",
			mod:     func(a *onboarding.Applicant) {},
			prepaid: usd("0.03"),
			want: onboarding.CreditLimit{Limit: usd("2000.04"), Band: "B", Source: onboarding.CheckCredit, BandAmount: usd("2000.00"),
				PrepaymentPart: usd("0.04")},
		},
		{
			name: "business report first", reason: "a business's commercial report outranks the credit report",
			mod: func(a *onboarding.Applicant) {
				a.Kind = risk.Business
				a.Business = onboarding.Check{Status: risk.Verified, Band: "A", NetWorth: usd("20000.00")}
				a.Credit.Band = "C"
			},
			want: onboarding.CreditLimit{Limit: usd("1000.00"), Band: "A", Source: onboarding.CheckBusiness, BandAmount: usd("5000.00"),
				PrepaymentPart: zero, NetWorthCap: usd("1000.00"), Capped: true},
		},
		{
			name: "band without an amount", reason: "a band the table does not list gets the no-report amount",
			mod:  func(a *onboarding.Applicant) { a.Credit.Band = "E" },
			want: onboarding.CreditLimit{Limit: zero, Band: "E", Source: onboarding.CheckCredit, BandAmount: zero, PrepaymentPart: zero},
		},
		{
			name: "no credit while a rule fires", reason: "the region rule sets the limit to zero and is named",
			mod: func(a *onboarding.Applicant) { a.Country = "NG" },
			want: onboarding.CreditLimit{Limit: zero, Band: "B", Source: onboarding.CheckCredit, BandAmount: usd("2000.00"),
				PrepaymentPart: zero, NoCreditRules: []string{"region"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := clean()
			tt.mod(&a)
			prev, err := signUp(as, &a, t0)
			if err != nil {
				t.Fatal(err)
			}
			got := prev
			if !tt.prepaid.IsZero() {
				got, _, err = reassess(as, &prev, onboarding.Facts{Prepaid: tt.prepaid}, t0)
				if err != nil {
					t.Fatal(err)
				}
			}
			if diff := cmp.Diff(tt.want, got.Controls.CreditLimit, eq); diff != "" {
				t.Errorf("%s: mismatch (-want +got):\n%s", tt.reason, diff)
			}
		})
	}
}

func TestPrepayment(t *testing.T) {
	as := assessor(t, testPolicy, onboarding.Options{})
	tests := []struct {
		name, reason string
		mod          func(a *onboarding.Applicant)
		prepaid      risk.Money
		want         onboarding.Prepayment
	}{
		{
			name: "none", reason: "no rule asks, so zero in the billing currency",
			mod:  func(a *onboarding.Applicant) {},
			want: onboarding.Prepayment{Required: usd("0.00"), Paid: usd("0.00"), Due: usd("0.00")},
		},
		{
			name: "one rule", reason: "no credit or business report",
			mod: func(a *onboarding.Applicant) {
				a.Credit = onboarding.Check{}
			},
			want: onboarding.Prepayment{Required: usd("100.00"), Paid: usd("0.00"), Due: usd("100.00"), Rules: []string{"no_report"}},
		},
		{
			name: "largest of several", reason: "the region's 500.00 outweighs the missing report's 100.00",
			mod: func(a *onboarding.Applicant) {
				a.Credit = onboarding.Check{}
				a.Country = "NG"
			},
			want: onboarding.Prepayment{Required: usd("500.00"), Paid: usd("0.00"), Due: usd("500.00"), Rules: []string{"region", "no_report"}},
		},
		{
			name: "part paid", reason: "what remains is due",
			mod:     func(a *onboarding.Applicant) { a.Country = "NG" },
			prepaid: usd("120.00"),
			want:    onboarding.Prepayment{Required: usd("500.00"), Paid: usd("120.00"), Due: usd("380.00"), Rules: []string{"region"}},
		},
		{
			name: "exactly paid", reason: "nothing is due at exactly the amount",
			mod:     func(a *onboarding.Applicant) { a.Country = "NG" },
			prepaid: usd("500.00"),
			want:    onboarding.Prepayment{Required: usd("500.00"), Paid: usd("500.00"), Due: usd("0.00"), Rules: []string{"region"}},
		},
		{
			name: "overpaid", reason: "due never goes below zero",
			mod:     func(a *onboarding.Applicant) { a.Country = "NG" },
			prepaid: usd("600.00"),
			want:    onboarding.Prepayment{Required: usd("500.00"), Paid: usd("600.00"), Due: usd("0.00"), Rules: []string{"region"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := clean()
			tt.mod(&a)
			got, err := signUp(as, &a, t0)
			if err != nil {
				t.Fatal(err)
			}
			if !tt.prepaid.IsZero() {
				got, _, err = reassess(as, &got, onboarding.Facts{Prepaid: tt.prepaid}, t0)
				if err != nil {
					t.Fatal(err)
				}
			}
			if diff := cmp.Diff(tt.want, got.Controls.Prepayment, eq); diff != "" {
				t.Errorf("%s: mismatch (-want +got):\n%s", tt.reason, diff)
			}
		})
	}
}

func TestMonthlyCap(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skip("no time zone database:", err)
	}
	a := clean()
	// 02:00 UTC on the 1st of December is still the 30th of November in
	// New York: the cap's period starts on the 1st of November there.
	now := time.Date(2026, 12, 1, 2, 0, 0, 0, time.UTC)
	as := assessor(t, testPolicy, onboarding.Options{Location: ny})
	got, err := signUp(as, &a, now)
	if err != nil {
		t.Fatal(err)
	}
	want := budget.Budget{
		ID: "cap:app-1", CustomerID: "app-1", Description: "Monthly spending cap of the New tier",
		Amount: usd("500.00"), Start: date(2026, time.November, 1), TimeZone: "America/New_York",
		Thresholds: []budget.Threshold{{Percent: 8000}, {Percent: 10000}},
	}
	if diff := cmp.Diff(want, got.Controls.MonthlyCap, eq); diff != "" {
		t.Errorf("monthly cap mismatch (-want +got):\n%s", diff)
	}
	if err := got.Controls.MonthlyCap.Validate(); err != nil {
		t.Errorf("the cap is not a valid budget: %v", err)
	}
	tr, err := budget.NewTracker(got.Controls.MonthlyCap, ny)
	if err != nil {
		t.Fatalf("the budget package cannot track the cap: %v", err)
	}
	r, err := tr.Evaluate(budget.State{}, []budget.Record{{ID: "r1", Day: date(2026, time.November, 29), Amount: usd("420.00")}}, now)
	if err != nil {
		t.Fatalf("the budget package cannot evaluate the cap: %v", err)
	}
	if len(r.Status.Alerts) != 1 {
		t.Errorf("420.00 of a 500.00 cap should raise the 80%% alert; got %d alerts", len(r.Status.Alerts))
	}

	if _, err := onboarding.NewAssessor(compile(t, testPolicy), onboarding.Options{Location: time.Local}); err == nil {
		t.Error("time.Local is not the customer's time zone, and the cap's budget cannot name it")
	}
}

func TestHeldServicesAndAdmin(t *testing.T) {
	as := assessor(t, testPolicy, onboarding.Options{})
	tests := []struct {
		name, reason string
		mod          func(a *onboarding.Applicant)
		held         []onboarding.HeldService
		admin        onboarding.Admin
	}{
		{
			name: "tier holds", reason: "the first tier holds GPUs until established and bare metal until trusted",
			mod: func(a *onboarding.Applicant) { a.Services = []string{"gpu_compute"} },
			held: []onboarding.HeldService{
				{Service: "gpu_compute", Requested: true, Until: "established"},
				{Service: "bare_metal", Until: "trusted"}},
		},
		{
			name: "rule holds", reason: "a rule holds a service no tier holds; it has no tier that releases it",
			mod: func(a *onboarding.Applicant) { a.Country = "NG"; a.Services = []string{"vpn"} },
			held: []onboarding.HeldService{
				{Service: "gpu_compute", Until: "established"},
				{Service: "bare_metal", Until: "trusted"},
				{Service: "vpn", Requested: true, Rules: []string{"region"}}},
		},
		{
			name: "admin full", reason: "requested, with MFA and a verified identity",
			mod: func(a *onboarding.Applicant) { a.AdminAccess = true; a.MFA = true },
			held: []onboarding.HeldService{
				{Service: "gpu_compute", Until: "established"}, {Service: "bare_metal", Until: "trusted"}},
			admin: onboarding.Admin{Requested: true, Level: onboarding.AdminFull},
		},
		{
			name: "admin before MFA", reason: "restricted until MFA is enrolled",
			mod: func(a *onboarding.Applicant) { a.AdminAccess = true },
			held: []onboarding.HeldService{
				{Service: "gpu_compute", Until: "established"}, {Service: "bare_metal", Until: "trusted"}},
			admin: onboarding.Admin{Requested: true, Level: onboarding.AdminRestricted, Rules: []string{"admin"}},
		},
		{
			name: "admin with a failed identity", reason: "the strictest cap wins: none",
			mod: func(a *onboarding.Applicant) { a.AdminAccess = true; a.Identity.Status = risk.Failed },
			held: []onboarding.HeldService{
				{Service: "gpu_compute", Until: "established"}, {Service: "bare_metal", Until: "trusted"}},
			admin: onboarding.Admin{Requested: true, Level: onboarding.AdminNone, Rules: []string{"identity_failed", "admin"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := clean()
			tt.mod(&a)
			got, err := signUp(as, &a, t0)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.held, got.Controls.Held, eq); diff != "" {
				t.Errorf("%s: held mismatch (-want +got):\n%s", tt.reason, diff)
			}
			if diff := cmp.Diff(tt.admin, got.Controls.Admin, eq); diff != "" {
				t.Errorf("%s: admin mismatch (-want +got):\n%s", tt.reason, diff)
			}
		})
	}
}

func TestRefusedFunding(t *testing.T) {
	as := assessor(t, testPolicy, onboarding.Options{})
	for _, f := range []risk.Funding{"", risk.Credit, risk.Debit, risk.Prepaid, risk.StoredValue} {
		a := clean()
		a.Payment.Funding = f
		got, err := signUp(as, &a, t0)
		if err != nil {
			t.Fatal(err)
		}
		want := f == risk.Prepaid || f == risk.StoredValue
		if got.Controls.InstrumentRefused != want {
			t.Errorf("funding %q: instrument refused %v, want %v", f, got.Controls.InstrumentRefused, want)
		}
		if diff := cmp.Diff([]risk.Funding{risk.Prepaid, risk.StoredValue}, got.Controls.RefusedFunding, eq); diff != "" {
			t.Errorf("refused funding (-want +got):\n%s", diff)
		}
	}
}

func TestAssessErrors(t *testing.T) {
	as := assessor(t, testPolicy, onboarding.Options{})
	tests := []struct {
		name, reason string
		mod          func(a *onboarding.Applicant)
		want         string
		is           error
	}{
		{name: "currency not covered", reason: "the policy has no amounts in GBP",
			mod: func(a *onboarding.Applicant) { a.Currency = "GBP" }, want: `onboarding: currency not covered by the policy: applicant "app-1" is billed in GBP; the policy covers [USD EUR]`,
			is: onboarding.ErrCurrency},
		{name: "invalid applicant", reason: "Assess validates what it is given",
			mod: func(a *onboarding.Applicant) { a.Signup.IP = "300.1.1.1" }, want: `onboarding: applicant "app-1": signup.ip: "300.1.1.1" is not an IP address`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := clean()
			tt.mod(&a)
			_, err := signUp(as, &a, t0)
			if err == nil || err.Error() != tt.want {
				t.Fatalf("%s: got error %v, want %s", tt.reason, err, tt.want)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("error does not wrap %v", tt.is)
			}
		})
	}
}

func TestDisposableEmailFromHostLists(t *testing.T) {
	as := assessor(t, testPolicy, onboarding.Options{Email: onboarding.EmailLists{Deny: []string{"burner.example"}, Allow: []string{"mailinator.com"}}})
	tests := []struct {
		domain string
		want   onboarding.EmailVerdict
	}{
		{"burner.example", onboarding.EmailVerdict{Domain: "burner.example", Disposable: true, Source: onboarding.HostDeny}},
		{"Mailinator.com", onboarding.EmailVerdict{Domain: "mailinator.com", Source: onboarding.HostAllow}},
		{"yopmail.com", onboarding.EmailVerdict{Domain: "yopmail.com", Disposable: true, Source: onboarding.BuiltInList}},
	}
	for _, tt := range tests {
		a := clean()
		a.Signup.EmailDomain = tt.domain
		got, err := signUp(as, &a, t0)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(tt.want, got.Input.EmailCheck, eq); diff != "" {
			t.Errorf("%s: verdict (-want +got):\n%s", tt.domain, diff)
		}
		if got.Decision.Fired("disposable") != tt.want.Disposable {
			t.Errorf("%s: the disposable rule fired %v", tt.domain, got.Decision.Fired("disposable"))
		}
	}
}

// date returns the given day; a test never names one that does not exist.
func date(y int, m time.Month, d int) risk.Date {
	v, err := risk.NewDate(y, m, d)
	if err != nil {
		panic(err)
	}
	return v
}
