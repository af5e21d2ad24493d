package abuse_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/riskkit/riskkit/abuse"
	"github.com/riskkit/riskkit/risk"
)

// signIns adds sign-ins from users of tenants in countries, one sign-in per
// user; user i belongs to tenant i%tenants and country i%len(countries).
func signIns(users, tenants int, countries ...string) func(*abuse.Telemetry) {
	return func(t *abuse.Telemetry) {
		for i := range users {
			t.SignIns = append(t.SignIns, abuse.SignIn{Time: t.Window.Start.Add(time.Duration(i) * time.Minute),
				User: fmt.Sprintf("user%d", i), Tenant: fmt.Sprintf("tenant-%d", i%tenants), Country: countries[i%len(countries)]})
		}
	}
}

func account(a abuse.AccountFacts) func(*abuse.Telemetry) {
	return func(t *abuse.Telemetry) { t.Account, t.Resource = &a, "" }
}

func TestResaleThresholds(t *testing.T) {
	own := account(abuse.AccountFacts{Tenant: "tenant-0"})
	cases := []detectorCase{
		{
			name:   "at the threshold",
			reason: "5 foreign tenants from 4 countries",
			tel:    with(window(t0), own, signIns(12, 6, "DE", "BR", "VN", "US")),
			want:   []brief{{"resale.many_tenants", 60, 65, "", 5}},
		},
		{
			name:   "own tenant does not count",
			reason: "6 tenants of which one is the subscription's own: 5 foreign is still the threshold, 4 is not",
			tel:    with(window(t0), own, signIns(12, 5, "DE", "BR", "VN", "US")),
		},
		{
			name:   "one country short",
			reason: "many tenants from 3 countries can be one multinational customer",
			tel:    with(window(t0), own, signIns(12, 6, "DE", "BR", "VN")),
		},
		{
			name:   "twice the thresholds",
			reason: "10 foreign tenants from 8 countries is high",
			tel:    with(window(t0), own, signIns(22, 11, "DE", "BR", "VN", "US", "NG", "IN", "FR", "JP")),
			want:   []brief{{"resale.many_tenants", 75, 80, "", 10}},
		},
		{
			name:   "role grants count as tenants",
			reason: "granting roles to other tenants' users shares the subscription as surely as their signing in",
			tel: with(window(t0), own, signIns(4, 1, "DE", "BR", "VN", "US"), func(t *abuse.Telemetry) {
				for i := range 5 {
					t.Activity = append(t.Activity, abuse.ActivityEvent{Time: t0.Add(time.Minute), Kind: abuse.RoleGrant,
						Principal: fmt.Sprintf("p%d", i), PrincipalTenant: fmt.Sprintf("other-%d", i)})
				}
			}),
			want: []brief{{"resale.many_tenants", 60, 65, "", 5}},
		},
		{
			name:   "users over declared seats",
			reason: "15 users against 5 declared seats is three times the profile",
			tel:    with(window(t0), account(abuse.AccountFacts{Tenant: "tenant-0", Profile: abuse.Profile{Seats: 5}}), signIns(15, 1, "DE")),
			want:   []brief{{"resale.profile_mismatch", 40, 55, "", 1}},
		},
		{
			name:   "users one short of the factor",
			reason: "14 users against 5 seats is within the profile",
			tel:    with(window(t0), account(abuse.AccountFacts{Tenant: "tenant-0", Profile: abuse.Profile{Seats: 5}}), signIns(14, 1, "DE")),
		},
		{
			name:   "undeclared countries and GPUs",
			reason: "3 countries outside the declared ones and GPU deployments without declared GPU work",
			tel: with(window(t0), account(abuse.AccountFacts{Tenant: "tenant-0", Profile: abuse.Profile{Kind: risk.Business, Countries: []string{"DE"}}}),
				signIns(4, 1, "DE", "BR", "VN", "US"), func(t *abuse.Telemetry) {
					t.Activity = append(t.Activity, abuse.ActivityEvent{Time: t0.Add(time.Minute), Kind: abuse.Deployment, SKU: "gpu-a100", Count: 2, GPUs: 8})
				}),
			want: []brief{{"resale.profile_mismatch", 45, 65, "", 2}},
		},
		{
			name:   "no profile, no mismatch",
			reason: "a customer that declared nothing cannot contradict its profile",
			tel:    with(window(t0), account(abuse.AccountFacts{Tenant: "tenant-0"}), signIns(40, 1, "DE", "BR", "VN", "US")),
		},
	}
	runCases(t, "resale", cases)
}
