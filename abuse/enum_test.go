package abuse_test

import (
	"encoding"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/riskkit/riskkit/abuse"
)

// textEnum is an enum with a text encoding.
type textEnum interface {
	encoding.TextMarshaler
	String() string
}

func TestEnumText(t *testing.T) {
	type tc struct {
		name   string
		values []textEnum
		zero   string
		decode func([]byte) (textEnum, error)
	}
	dec := func(p interface {
		encoding.TextUnmarshaler
		textEnum
	}) func([]byte) (textEnum, error) {
		return func(b []byte) (textEnum, error) { err := p.UnmarshalText(b); return p, err }
	}
	var (
		src abuse.Source
		dir abuse.Direction
		pro abuse.Protocol
		ver abuse.Verdict
		cls abuse.DomainClass
		kin abuse.EventKind
		cat abuse.Category
		lvl abuse.Level
		act abuse.Enforcement
	)
	sources := func() (out []textEnum) {
		for _, s := range abuse.Sources() {
			out = append(out, s)
		}
		return
	}
	categories := func() (out []textEnum) {
		for _, c := range abuse.Categories() {
			out = append(out, c)
		}
		return
	}
	for _, c := range []tc{
		{"telemetry source", sources(), "unknown", dec(&src)},
		{"direction", []textEnum{abuse.Inbound, abuse.Outbound}, "none", dec(&dir)},
		{"protocol", []textEnum{abuse.TCP, abuse.UDP, abuse.ICMP, abuse.Other}, "unknown", dec(&pro)},
		{"verdict", []textEnum{abuse.Clean, abuse.Suspicious, abuse.Malicious}, "not_scanned", dec(&ver)},
		{"domain class", []textEnum{abuse.Benign, abuse.MalwareDomain, abuse.CommandAndCtl, abuse.Phishing}, "unclassified", dec(&cls)},
		{"event kind", []textEnum{abuse.RoleGrant, abuse.AdminGrant, abuse.Deployment, abuse.KeyCreated}, "unknown", dec(&kin)},
		{"category", categories(), "unknown", dec(&cat)},
		{"level", []textEnum{abuse.Low, abuse.Medium, abuse.High}, "unrated", dec(&lvl)},
		{"action", []textEnum{abuse.Notify, abuse.Throttle, abuse.Suspend}, "none", dec(&act)},
	} {
		for _, v := range c.values {
			b, err := v.MarshalText()
			if err != nil || string(b) != v.String() {
				t.Errorf("%s %v: MarshalText = %q, %v", c.name, v, b, err)
			}
			got, err := c.decode(b)
			if err != nil || got.String() != v.String() {
				t.Errorf("%s %v: UnmarshalText(%q) = %v, %v", c.name, v, b, got, err)
			}
		}
		for _, zero := range []string{"", c.zero} {
			got, err := c.decode([]byte(zero))
			if err != nil || got.String() != c.zero {
				t.Errorf("%s: UnmarshalText(%q) = %v, %v; want the zero value %q", c.name, zero, got, err, c.zero)
			}
		}
		if _, err := c.decode([]byte("bogus")); err == nil || !strings.Contains(err.Error(), `abuse: unknown `+c.name+` "bogus" (want `) {
			t.Errorf("%s: UnmarshalText(bogus) error = %v, want it to name the type and the values", c.name, err)
		}
	}
}

func TestSeverityLevels(t *testing.T) {
	for _, tc := range []struct {
		s     abuse.Severity
		level abuse.Level
		valid bool
	}{
		{0, abuse.Unrated, false}, {9, abuse.Unrated, false}, {10, abuse.Low, true}, {39, abuse.Low, true},
		{40, abuse.Medium, true}, {69, abuse.Medium, true}, {70, abuse.High, true}, {89, abuse.High, true},
		{90, abuse.High, false}, {-10, abuse.Unrated, false},
	} {
		if got := tc.s.Level(); got != tc.level {
			t.Errorf("Severity(%v).Level() = %v, want %v", tc.s, got, tc.level)
		}
		if got := tc.s.Valid(); got != tc.valid {
			t.Errorf("Severity(%v).Valid() = %v, want %v", tc.s, got, tc.valid)
		}
	}
	if s := abuse.Severity(70).String(); s != "7.0" {
		t.Errorf("String() = %q, want 7.0", s)
	}
}

// TestSeverityText checks the text and JSON forms of a severity: a
// decimal of tenths, 7.5, that reads back to the same value.
func TestSeverityText(t *testing.T) {
	for in, want := range map[string]abuse.Severity{
		"7.5": 75, "7": 70, "7.50": 75, "8.9": 89, "0.0": 0, "-1.5": -15, "10": 100,
	} {
		var s abuse.Severity
		if err := s.UnmarshalText([]byte(in)); err != nil || s != want {
			t.Errorf("UnmarshalText(%q) = %d, %v; want %d", in, s, err, want)
		}
	}
	for _, bad := range []string{"", "7.55", "x", "7.", ".5", "1e1", "+", "-", "99999", "7,5", " 7.5"} {
		var s abuse.Severity
		if err := s.UnmarshalText([]byte(bad)); err == nil {
			t.Errorf("UnmarshalText(%q) = %d, want an error", bad, s)
		}
	}
	for _, s := range []abuse.Severity{10, 75, 89, -15, 0} {
		b, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		var back abuse.Severity
		if err := json.Unmarshal(b, &back); err != nil || back != s {
			t.Errorf("%d marshals as %s and reads back as %d, %v", s, b, back, err)
		}
	}
	if b, _ := json.Marshal(abuse.Finding{Severity: 75}); !strings.Contains(string(b), `"severity":7.5`) {
		t.Errorf("a finding's severity is not the JSON number 7.5: %s", b)
	}
	var s abuse.Severity
	if err := json.Unmarshal([]byte(`"8.5"`), &s); err != nil || s != 85 {
		t.Errorf(`"8.5" reads as %d, %v`, s, err)
	}
}

func TestThrottleSteps(t *testing.T) {
	e := mustEnforcer(t, []byte("id: p\nversion: \"1\"\noutcomes: [throttle, none]\nrules:\n  - {id: r, when: 'true', action: throttle, reason: R}\n"))
	for _, tc := range []struct {
		cat  abuse.Category
		typ  string
		dir  abuse.Direction
		want string
	}{
		{abuse.Spam, "spam.first_smtp", abuse.Outbound, "block_outbound_port_25"},
		{abuse.Spam, "spam.submission_spread", abuse.Outbound, "block_outbound_submission_ports"},
		{abuse.CryptoMining, "mining.activity", abuse.Outbound, "cap_gpu_quota,block_mining_pool_ports"},
		{abuse.DenialOfService, "dos.outbound_flood", abuse.Outbound, "rate_limit_egress"},
		{abuse.Hacking, "hacking.port_scan", abuse.Outbound, "restrict_egress_ports"},
		{abuse.Hacking, "hacking.brute_force", abuse.Inbound, ""},
		{abuse.Malware, "malware.hosted", "", "quarantine_hosted_content"},
		{abuse.Malware, "malware.c2_lookup", abuse.Outbound, "block_listed_domains"},
		{abuse.SubscriptionResale, "resale.many_tenants", "", "block_foreign_tenant_sign_ins"},
		{abuse.TheftOfService, "theft.exposure", "", "hold_new_provisioning,require_prepayment"},
	} {
		f := finding(50, tc.cat, tc.dir)
		f.Type = tc.typ
		r := e.Recommend(f, abuse.CustomerRecord{}, t1)
		var got []string
		for _, s := range r.Steps {
			if s != abuse.StepNotifyCustomer && s != abuse.StepNotifyPartner {
				got = append(got, string(s))
			}
		}
		if strings.Join(got, ",") != tc.want || len(r.Steps) != len(got)+2 {
			t.Errorf("%s: steps %v, want %s and the two notices", tc.typ, r.Steps, tc.want)
		}
		if !r.Deadline.Equal(t1.Add(24 * time.Hour)) {
			t.Errorf("%s: deadline %v, want 24 hours for medium", tc.typ, r.Deadline)
		}
	}
}
