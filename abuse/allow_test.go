package abuse_test

import (
	"errors"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/riskkit/riskkit/abuse"
)

func TestAllowances(t *testing.T) {
	authorised := netip.MustParsePrefix("203.0.113.0/28")
	pentest := abuse.Allowance{ID: "PT-7", Subscription: "sub-1", Resource: "vm-1", Category: abuse.Hacking,
		Targets: []netip.Prefix{authorised}, From: t0, Until: t1, Reason: "penetration test of the customer's own hosts"}
	mailer := abuse.Allowance{ID: "MAIL-2", Subscription: "sub-1", Category: abuse.Spam, Until: t3, Reason: "vetted mail sender"}
	cdn := abuse.Allowance{ID: "CDN-1", Subscription: "sub-1", Category: abuse.DenialOfService, Until: t3, Reason: "known CDN node"}
	scan := func(start time.Time, host netip.Addr) func(*abuse.Telemetry) {
		return func(t *abuse.Telemetry) {
			for p := range 20 {
				t.Flows = append(t.Flows, failed(start.Add(time.Duration(p)*time.Second), abuse.Outbound, host, uint16(1+p)))
			}
		}
	}
	type want struct {
		findings []string // types reported
		downs    []string // "allowance type"
	}
	cases := []struct {
		name, reason string
		cfg          []abuse.Allowance
		state        []abuse.Allowance
		tel          *abuse.Telemetry
		want         want
	}{
		{
			name:   "authorised penetration test",
			reason: "a scan of an authorised target inside the test's hours stands down, and the report says why",
			cfg:    []abuse.Allowance{pentest},
			tel:    with(window(t0), scan(t0.Add(time.Minute), public(3))),
			want:   want{downs: []string{"PT-7 hacking.port_scan"}},
		},
		{
			name:   "a target outside the test",
			reason: "the test covers its targets only: a scan of another host is still reported",
			cfg:    []abuse.Allowance{pentest},
			tel:    with(window(t0), scan(t0.Add(time.Minute), public(3)), scan(t0.Add(10*time.Minute), public(40))),
			want:   want{findings: []string{"hacking.port_scan"}},
		},
		{
			name:   "expired test",
			reason: "the allowance ended at t1: the next hour's scan is reported",
			cfg:    []abuse.Allowance{pentest},
			tel:    with(window(t1), scan(t1.Add(time.Minute), public(3))),
			want:   want{findings: []string{"hacking.port_scan"}},
		},
		{
			name:   "another subscription's test",
			reason: "an allowance covers its own subscription only",
			cfg:    []abuse.Allowance{{ID: "PT-8", Subscription: "sub-2", Category: abuse.Hacking, Until: t3}},
			tel:    with(window(t0), scan(t0.Add(time.Minute), public(3))),
			want:   want{findings: []string{"hacking.port_scan"}},
		},
		{
			name:   "vetted mail sender in the state",
			reason: "the host vetted the sender: its first bulk mail stands down",
			state:  []abuse.Allowance{mailer},
			tel:    with(window(t0), smtp(300, 40)),
			want:   want{downs: []string{"MAIL-2 spam.first_smtp"}},
		},
		{
			name:   "known CDN",
			reason: "a known CDN node's flood-shaped traffic stands down",
			state:  []abuse.Allowance{cdn},
			tel:    with(window(t0), withFlows(flood(t0.Add(time.Minute), 10, "198.51.100.9", 30000, 1, 0)...)),
			want:   want{downs: []string{"CDN-1 dos.outbound_flood"}},
		},
		{
			name:   "other categories stay",
			reason: "a mail allowance does not cover a scan",
			state:  []abuse.Allowance{mailer},
			tel:    with(window(t0), scan(t0.Add(time.Minute), public(3))),
			want:   want{findings: []string{"hacking.port_scan"}},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := mustMonitor(t, abuse.Config{Allowances: tc.cfg})
			st, rep, err := evaluate(m, abuse.State{Allowances: tc.state}, tc.tel, tc.tel.Window.End)
			if err != nil {
				t.Fatal(err)
			}
			var got want
			for _, f := range rep.Findings {
				got.findings = append(got.findings, f.Type)
			}
			for _, d := range rep.StoodDown {
				got.downs = append(got.downs, d.Allowance.ID+" "+d.Finding.Type)
				if d.Finding.Subscription != "sub-1" || d.Allowance.Reason == "" {
					t.Errorf("stand-down %+v lacks the finding's subscription or the allowance's reason", d)
				}
			}
			if diff := cmpDiff(tc.want.findings, got.findings); diff != "" {
				t.Errorf("%s\nfindings (-want +got):\n%s", tc.reason, diff)
			}
			if diff := cmpDiff(tc.want.downs, got.downs); diff != "" {
				t.Errorf("%s\nstood down (-want +got):\n%s", tc.reason, diff)
			}
			if diff := cmpDiff(tc.state, st.Allowances); diff != "" {
				t.Errorf("the state's allowances changed (-before +after):\n%s", diff)
			}
		})
	}
}

func TestAllowanceErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		a    abuse.Allowance
		want string
	}{
		{"no expiry", abuse.Allowance{ID: "A", Subscription: "sub-1", Category: abuse.Spam}, "until is required"},
		{"reversed", abuse.Allowance{ID: "A", Subscription: "sub-1", Category: abuse.Spam, From: t1, Until: t0}, "until 2026-11-20T10:00:00Z is not after from"},
		{"no id", abuse.Allowance{Subscription: "sub-1", Category: abuse.Spam, Until: t1}, "id is required"},
		{"bad category", abuse.Allowance{ID: "A", Subscription: "sub-1", Category: "ddos", Until: t1}, `category "ddos"`},
		{"no subscription", abuse.Allowance{ID: "A", Category: abuse.Spam, Until: t1}, "subscription is required"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := abuse.New(abuse.Config{Allowances: []abuse.Allowance{tc.a}})
			if !errors.Is(err, abuse.ErrInvalidConfig) || !strings.Contains(err.Error(), "config: Allowances[0]: "+tc.want) {
				t.Errorf("New: %v, want an error containing %q", err, tc.want)
			}
			m := mustMonitor(t, abuse.Config{})
			prev := abuse.State{Allowances: []abuse.Allowance{tc.a}}
			_, _, err = evaluate(m, prev, window(t0), t1)
			if !errors.Is(err, abuse.ErrInvalidState) || !strings.Contains(err.Error(), "state: allowances[0]: "+tc.want) {
				t.Errorf("Detect: %v, want an error containing %q", err, tc.want)
			}
		})
	}
}
