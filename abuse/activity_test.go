package abuse_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"
	"github.com/riskkit/riskkit/abuse"
	"github.com/riskkit/riskkit/risk"
)

func rec(at time.Time, op abuse.ActivityOp, changes ...func(*abuse.ActivityRecord)) abuse.ActivityRecord {
	r := abuse.ActivityRecord{Time: at, Subscription: "sub-1", Op: op, Actor: "admin@c.example"}
	for _, c := range changes {
		c(&r)
	}
	return r
}

func times(n int, start time.Time, step time.Duration, op abuse.ActivityOp) []abuse.ActivityRecord {
	var out []abuse.ActivityRecord
	for i := range n {
		out = append(out, rec(start.Add(time.Duration(i)*step), op, func(r *abuse.ActivityRecord) { r.Target = "u" + string(rune('a'+i)) }))
	}
	return out
}

func usd(t testing.TB, s string) risk.Money {
	m, err := risk.ParseMoney(s)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestActivityDetectors checks every rule at its threshold and one below.
func TestActivityDetectors(t *testing.T) {
	d, err := abuse.NewActivityDetector(abuse.ActivityConfig{})
	if err != nil {
		t.Fatal(err)
	}
	history := abuse.ActivityState{Baselines: []abuse.ActivityBaseline{{Subscription: "sub-1", Countries: []string{"GB"}, Regions: []string{"westeurope"},
		Spend: usd(t, "700.00 USD"), SpendDays: 7}}}
	later := t0.AddDate(0, 1, 0) // after every record
	tests := []struct {
		name    string
		records []abuse.ActivityRecord
		want    []string // type severity
	}{
		{"global admin", []abuse.ActivityRecord{rec(t0, abuse.OpGlobalAdminGrant, func(r *abuse.ActivityRecord) { r.Target = "x@evil.example" })},
			[]string{"activity.global_admin 7.0"}},
		{"admin role", []abuse.ActivityRecord{rec(t0, abuse.OpRoleGrant, func(r *abuse.ActivityRecord) { r.Role = "Owner" })}, []string{"activity.admin_grant 4.5"}},
		{"reader role is no finding", []abuse.ActivityRecord{rec(t0, abuse.OpRoleGrant, func(r *abuse.ActivityRecord) { r.Role = "Reader" })}, nil},
		{"MFA off alone", []abuse.ActivityRecord{rec(t0, abuse.OpMFADisabled)}, []string{"activity.mfa_disabled 6.5"}},
		{"MFA off right after a reset", []abuse.ActivityRecord{rec(t0, abuse.OpPasswordReset), rec(t1, abuse.OpSecurityDefaultsOff)},
			[]string{"activity.mfa_disabled 8.0"}},
		{"MFA off an hour and a nanosecond after a reset", []abuse.ActivityRecord{rec(t0, abuse.OpPasswordReset), rec(t1.Add(1), abuse.OpMFADisabled)},
			[]string{"activity.mfa_disabled 6.5"}},
		{"5 resets in an hour", times(5, t0, 14*time.Minute, abuse.OpPasswordReset), []string{"activity.password_reset_burst 6.0"}},
		{"5 resets spread over an hour", times(5, t0, 15*time.Minute, abuse.OpPasswordReset), nil},
		{"4 resets", times(4, t0, time.Minute, abuse.OpPasswordReset), nil},
		{"3 credentials", times(3, t0, time.Minute, abuse.OpCredentialCreated), []string{"activity.credential_burst 6.5"}},
		{"10 users in a day", times(10, t0, time.Hour, abuse.OpUserCreated), []string{"activity.bulk_users 5.0"}},
		{"9 users", times(9, t0, time.Minute, abuse.OpUserCreated), nil},
		{"3 subscriptions", times(3, t0, time.Hour, abuse.OpSubscriptionCreated), []string{"activity.bulk_subscriptions 6.0"}},
		{"quota increase", []abuse.ActivityRecord{rec(t0, abuse.OpQuotaIncrease)}, []string{"activity.quota_increase 3.5"}},
		{"new region", []abuse.ActivityRecord{rec(t0, abuse.OpDeployment, func(r *abuse.ActivityRecord) { r.Region = "BrazilSouth" }),
			rec(t1, abuse.OpDeployment, func(r *abuse.ActivityRecord) { r.Region = "brazilsouth" })}, []string{"activity.new_region 4.0"}},
		{"known region", []abuse.ActivityRecord{rec(t0, abuse.OpDeployment, func(r *abuse.ActivityRecord) { r.Region = "westeurope" })}, nil},
		{"new country then triple spend", []abuse.ActivityRecord{
			rec(t0, abuse.OpSignIn, func(r *abuse.ActivityRecord) { r.Country = "ng" }),
			rec(t0.Add(24*time.Hour), abuse.OpSpend, func(r *abuse.ActivityRecord) { r.Amount = usd(t, "300.00 USD") })},
			[]string{"activity.new_country_spend 7.5"}},
		{"new country then a little less than triple", []abuse.ActivityRecord{
			rec(t0, abuse.OpSignIn, func(r *abuse.ActivityRecord) { r.Country = "NG" }),
			rec(t0.Add(24*time.Hour), abuse.OpSpend, func(r *abuse.ActivityRecord) { r.Amount = usd(t, "299.99 USD") })}, nil},
		{"known country then triple spend", []abuse.ActivityRecord{
			rec(t0, abuse.OpSignIn, func(r *abuse.ActivityRecord) { r.Country = "GB" }),
			rec(t0.Add(24*time.Hour), abuse.OpSpend, func(r *abuse.ActivityRecord) { r.Amount = usd(t, "900.00 USD") })}, nil},
		{"new country too long before the jump", []abuse.ActivityRecord{
			rec(t0, abuse.OpSignIn, func(r *abuse.ActivityRecord) { r.Country = "NG" }),
			rec(t0.Add(48*time.Hour+1), abuse.OpSpend, func(r *abuse.ActivityRecord) { r.Amount = usd(t, "900.00 USD") })}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := d.Evaluate(history, tc.records, later)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range res.Findings {
				got = append(got, f.Type+" "+f.Severity.String())
				if err := abuse.CheckFinding(&f.Finding, abuse.Interval{Start: f.FirstSeen, End: f.LastSeen}); err != nil {
					t.Error(err)
				}
				if len(f.Unchecked) == 0 {
					t.Errorf("%s says nothing about what it could not check", f.Type)
				}
			}
			if diff := gocmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestActivityBaselinesAndGaps(t *testing.T) {
	d, _ := abuse.NewActivityDetector(abuse.ActivityConfig{})
	rs := []abuse.ActivityRecord{
		rec(t0, abuse.OpDeployment, func(r *abuse.ActivityRecord) { r.Region = "westeurope" }),
		rec(t0, abuse.OpSignIn, func(r *abuse.ActivityRecord) { r.Country = "gb" }),
		rec(t0, abuse.OpSpend, func(r *abuse.ActivityRecord) { r.Amount = usd(t, "10.00 USD") }),
		rec(t1, abuse.OpSpend, func(r *abuse.ActivityRecord) { r.Amount = usd(t, "20.00 USD") }),
	}
	res, err := d.Evaluate(abuse.ActivityState{}, rs, t1)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Findings) != 0 {
		t.Errorf("findings without history: %+v", res.Findings)
	}
	want := []abuse.ActivityBaseline{{Subscription: "sub-1", Countries: []string{"GB"}, Regions: []string{"westeurope"}, Spend: usd(t, "30.00 USD"), SpendDays: 2}}
	if diff := cmpDiff(want, res.State.Baselines); diff != "" {
		t.Errorf("baselines (-want +got):\n%s", diff)
	}
	var checks []string
	for _, g := range res.Unchecked {
		checks = append(checks, g.Check)
	}
	if diff := gocmp.Diff([]string{"activity.new_region", "activity.new_country_spend"}, checks); diff != "" {
		t.Errorf("unchecked (-want +got):\n%s", diff)
	}
	if _, err := d.Evaluate(res.State, []abuse.ActivityRecord{rec(t2, abuse.OpSpend, func(r *abuse.ActivityRecord) { r.Amount = usd(t, "1.00 EUR") })}, t2); err == nil ||
		!strings.Contains(err.Error(), "currenc") {
		t.Errorf("spend in another currency: %v", err)
	}
	if _, err := d.Evaluate(abuse.ActivityState{}, []abuse.ActivityRecord{{Op: "teleport"}}, t2); !errors.Is(err, abuse.ErrInvalidActivity) {
		t.Errorf("an invalid record: %v, want ErrInvalidActivity", err)
	}
	_, err = d.Evaluate(abuse.ActivityState{}, []abuse.ActivityRecord{rec(t2, abuse.OpSignIn)}, t1)
	if !errors.Is(err, abuse.ErrInvalidActivity) || !strings.Contains(err.Error(), "[0].time: activity record 0 at 2026-11-20T12:00:00Z is after now") {
		t.Errorf("a record after now: %v, want ErrInvalidActivity at [0].time", err)
	}
	var nilDetector *abuse.ActivityDetector
	if _, err := nilDetector.Evaluate(abuse.ActivityState{}, nil, t1); err == nil {
		t.Error("a nil detector evaluated")
	}
	if _, err := d.Evaluate(abuse.ActivityState{}, nil, time.Time{}); err == nil {
		t.Error("a zero now was accepted")
	}
}

// TestActivityFromAuditRecords maps the documented audit records.
func TestActivityFromAuditRecords(t *testing.T) {
	ns, err := abuse.ParseNotices(abuse.FromAuditRecord, noticeDoc(t, "audit_records.json"))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for i := range ns {
		if r, ok := abuse.ActivityFromNotice(&ns[i]); ok {
			got = append(got, string(r.Op)+" "+r.Subscription+" "+r.Actor)
		}
	}
	want := []string{
		"password_reset 9c1a3e2b-5f0d-4e4a-8d6e-1f2b3c4d5e6f admin@partner.onmicrosoft.com",
		"subscription_created 5c8f0f2a-1e1b-4d52-9a3c-8f4c6e2d1b90 admin@partner.onmicrosoft.com",
	}
	if diff := gocmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	grant := abuse.Notice{Source: abuse.FromAuditRecord, ID: "g", Kind: "create_customer_directory_role_member", ResourceType: "customer_directory_role",
		NewValue: `{"roleName":"Global Administrator"}`, CustomerTenant: "tn", DetectedAt: t0}
	if r, ok := abuse.ActivityFromNotice(&grant); !ok || r.Op != abuse.OpGlobalAdminGrant {
		t.Errorf("grant: %+v %v", r, ok)
	}
	failed := ns[0]
	failed.Details = map[string]string{"operationStatus": "failed"}
	if _, ok := abuse.ActivityFromNotice(&failed); ok {
		t.Error("a failed operation counted")
	}
}
