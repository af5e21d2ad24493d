package abuse

import (
	"slices"
	"strings"

	"github.com/riskkit/riskkit/internal/text"
)

// resaleDetector looks for a subscription resold or shared beyond its
// owner:
//
//   - "resale.many_tenants": sign-ins (and role grants) from at least
//     Tenants distinct tenants other than the subscription's own, from at
//     least Countries distinct countries, in one window; high severity at
//     twice both thresholds;
//   - "resale.profile_mismatch": usage that contradicts the declared
//     profile: more distinct users than SeatsFactor times the declared
//     seats, sign-ins from at least ForeignCountries countries outside the
//     declared ones, or GPU deployments by a customer that declared none.
//
// The profile test needs the account; without it only the first runs.
type resaleDetector struct{ cfg ResaleConfig }

func (d *resaleDetector) Name() string      { return "resale" }
func (d *resaleDetector) Sources() []Source { return []Source{SourceSignIns} }
func (d *resaleDetector) Traits() Traits {
	return Traits{Optional: []Source{SourceAccount, SourceActivity}, OrderIndependent: true, SubscriptionWide: true}
}

func (d *resaleDetector) Detect(in *DetectorInput) []Finding {
	t := in.Telemetry
	own := ""
	if t.Account != nil {
		own = t.Account.Tenant
	}
	var users, tenants, countries []string
	var when span
	for i := range t.SignIns {
		s := &t.SignIns[i]
		users = append(users, s.User)
		if s.Tenant != "" && s.Tenant != own {
			tenants = append(tenants, s.Tenant)
		}
		if s.Country != "" {
			countries = append(countries, strings.ToUpper(s.Country))
		}
		when.add(s.Time)
	}
	var gpuDeploys int64
	for i := range t.Activity {
		e := &t.Activity[i]
		switch e.Kind {
		case RoleGrant, AdminGrant:
			if e.PrincipalTenant != "" && e.PrincipalTenant != own {
				tenants = append(tenants, e.PrincipalTenant)
				when.add(e.Time)
			}
		case Deployment:
			if e.GPUs > 0 && e.Count > 0 {
				gpuDeploys = satAdd(gpuDeploys, e.Count)
			}
		}
	}
	users, tenants, countries = sortedUnique(users), sortedUnique(tenants), sortedUnique(countries)
	var out []Finding
	if len(tenants) >= d.cfg.Tenants && len(countries) >= d.cfg.Countries {
		sev, conf := Severity(60), 65
		if len(tenants) >= 2*d.cfg.Tenants && len(countries) >= 2*d.cfg.Countries {
			sev, conf = 75, 80
		}
		out = append(out, Finding{
			Type: "resale.many_tenants", Category: SubscriptionResale, Severity: sev, Confidence: conf,
			Summary: "used by " + text.Plural(len(tenants), "other tenant") + " from " +
				text.Plural(len(countries), "country") + ": " + strings.Join(samples(countries), ", "),
			Evidence: Evidence{
				Counts:  map[string]int64{"foreign_tenants": int64(len(tenants)), "countries": int64(len(countries)), "users": int64(len(users))},
				Samples: samples(tenants),
			},
			FirstSeen: when.first, LastSeen: when.last, Count: int64(len(tenants)),
		})
	}
	if t.Account == nil {
		return out
	}
	p := &t.Account.Profile
	var reasons []string
	counts := map[string]int64{}
	if p.Seats > 0 && int64(len(users)) >= satMul(p.Seats, d.cfg.SeatsFactor) {
		reasons = append(reasons, text.Plural(len(users), "user")+" against "+text.Plural(p.Seats, "declared seat"))
		counts["users"], counts["declared_seats"] = int64(len(users)), p.Seats
	}
	if len(p.Countries) > 0 {
		var foreign []string
		for _, c := range countries {
			if !slices.ContainsFunc(p.Countries, func(d string) bool { return strings.EqualFold(c, d) }) {
				foreign = append(foreign, c)
			}
		}
		if len(foreign) >= d.cfg.ForeignCountries {
			reasons = append(reasons, "sign-ins from "+text.Plural(len(foreign), "undeclared country")+" ("+strings.Join(samples(foreign), ", ")+")")
			counts["undeclared_countries"] = int64(len(foreign))
		}
	}
	declared := p.Kind != "" || p.Seats > 0 || len(p.Countries) > 0
	if declared && !p.GPU && gpuDeploys > 0 {
		reasons = append(reasons, text.Plural(gpuDeploys, "GPU instance")+" deployed without declared GPU work")
		counts["gpu_instances"] = gpuDeploys
	}
	if len(reasons) > 0 {
		if when.first.IsZero() {
			when = span{t.Window.Start, t.Window.End}
		}
		sev := Severity(40 + 5*(len(reasons)-1))
		out = append(out, Finding{
			Type: "resale.profile_mismatch", Category: SubscriptionResale, Severity: sev, Confidence: 45 + 10*len(reasons),
			Summary:   "usage does not fit the declared profile: " + strings.Join(reasons, "; "),
			Evidence:  Evidence{Counts: counts, Samples: samples(tenants)},
			FirstSeen: when.first, LastSeen: when.last, Count: int64(len(reasons)),
		})
	}
	return out
}

// satMul multiplies non-negative counts, stopping at the int64 limit.
func satMul(a, b int64) int64 {
	if a == 0 || b == 0 {
		return 0
	}
	if a > (1<<63-1)/b {
		return 1<<63 - 1
	}
	return a * b
}
