package abuse_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/riskkit/riskkit/abuse"
	"github.com/riskkit/riskkit/risk"
)

// examplePolicy reads the enforcement policy shipped in examples/policies.
func examplePolicy(t testing.TB) []byte {
	t.Helper()
	src, err := os.ReadFile(filepath.Join("..", "examples", "policies", "abuse.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	return src
}

func mustEnforcer(t testing.TB, src []byte) *abuse.Enforcer {
	t.Helper()
	e, err := abuse.NewEnforcer(src)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func finding(sev abuse.Severity, cat abuse.Category, dir abuse.Direction) abuse.Finding {
	return abuse.Finding{ID: "ab-1", Type: "test." + string(cat), Category: cat, Subscription: "sub-1", Severity: sev,
		Confidence: 80, Direction: dir, FirstSeen: t0, LastSeen: t0.Add(time.Minute), Count: 1, Windows: 1}
}

func TestExamplePolicyLadder(t *testing.T) {
	e := mustEnforcer(t, examplePolicy(t))
	now := t1
	type rec struct {
		Action   abuse.Enforcement
		Steps    []abuse.Step
		Reasons  []string
		Deadline time.Time
		Key      string
	}
	cases := []struct {
		name, reason string
		f            abuse.Finding
		c            abuse.CustomerRecord
		want         rec
	}{
		{"high", "high severity suspends now, due within the hour",
			finding(80, abuse.CryptoMining, abuse.Outbound), abuse.CustomerRecord{Customer: risk.Customer{ID: "c"}},
			rec{abuse.Suspend, []abuse.Step{abuse.StepSuspend, abuse.StepNotifyCustomer, abuse.StepNotifyPartner},
				[]string{"HIGH_SEVERITY"}, now.Add(time.Hour), "abuse:ab-1:suspend"}},
		{"high, trusted", "a trusted customer gets a step softer: throttling that stops the mining",
			finding(70, abuse.CryptoMining, abuse.Outbound), abuse.CustomerRecord{Customer: risk.Customer{ID: "c"}, Trusted: true},
			rec{abuse.Throttle, []abuse.Step{abuse.StepCapGPUQuota, abuse.StepBlockPoolPorts, abuse.StepNotifyCustomer, abuse.StepNotifyPartner},
				[]string{"HIGH_SEVERITY_TRUSTED"}, now.Add(time.Hour), "abuse:ab-1:throttle"}},
		{"medium spam", "medium severity throttles: port 25 is blocked; due within 24 hours",
			finding(69, abuse.Spam, abuse.Outbound), abuse.CustomerRecord{Customer: risk.Customer{ID: "c"}},
			rec{abuse.Throttle, []abuse.Step{abuse.StepBlockPort25, abuse.StepNotifyCustomer, abuse.StepNotifyPartner},
				[]string{"MEDIUM_SEVERITY"}, now.Add(24 * time.Hour), "abuse:ab-1:throttle"}},
		{"medium, trusted", "a trusted customer is notified",
			finding(40, abuse.Spam, abuse.Outbound), abuse.CustomerRecord{Customer: risk.Customer{ID: "c"}, Trusted: true},
			rec{abuse.Notify, []abuse.Step{abuse.StepNotifyCustomer, abuse.StepNotifyPartner},
				[]string{"MEDIUM_SEVERITY_TRUSTED"}, now.Add(24 * time.Hour), "abuse:ab-1:notify"}},
		{"medium, repeat offender", "two earlier violations make a medium finding a suspension",
			finding(50, abuse.Hacking, abuse.Outbound), abuse.CustomerRecord{Customer: risk.Customer{ID: "c"}, PriorViolations: 2},
			rec{abuse.Suspend, []abuse.Step{abuse.StepSuspend, abuse.StepNotifyCustomer, abuse.StepNotifyPartner},
				[]string{"MEDIUM_SEVERITY", "REPEAT_OFFENDER"}, now.Add(24 * time.Hour), "abuse:ab-1:suspend"}},
		{"low", "low severity notifies",
			finding(39, abuse.Hacking, abuse.Inbound), abuse.CustomerRecord{Customer: risk.Customer{ID: "c"}},
			rec{abuse.Notify, []abuse.Step{abuse.StepNotifyCustomer, abuse.StepNotifyPartner},
				[]string{"LOW_SEVERITY"}, now.Add(24 * time.Hour), "abuse:ab-1:notify"}},
	}
	for _, tc := range cases {
		r := e.Recommend(tc.f, tc.c, now)
		got := rec{r.Action, r.Steps, r.Reasons, r.Deadline, r.IdempotencyKey}
		if diff := cmpDiff(tc.want, got); diff != "" {
			t.Errorf("%s: %s (-want +got):\n%s", tc.name, tc.reason, diff)
		}
		if again := e.Recommend(tc.f, tc.c, now.Add(time.Hour)); again.IdempotencyKey != r.IdempotencyKey {
			t.Errorf("%s: the idempotency key changed on a retry: %s then %s", tc.name, r.IdempotencyKey, again.IdempotencyKey)
		}
	}
}

func TestPlan(t *testing.T) {
	e := mustEnforcer(t, examplePolicy(t))
	a := finding(30, abuse.Hacking, abuse.Inbound)
	b := finding(80, abuse.DenialOfService, abuse.Outbound)
	b.ID = "ab-2"
	c := finding(50, abuse.Spam, abuse.Outbound)
	c.ID = "ab-3"
	p := e.Plan([]abuse.Finding{a, b, c}, abuse.CustomerRecord{Customer: risk.Customer{ID: "c"}}, t1)
	var order []string
	for _, r := range p.Recommendations {
		order = append(order, r.FindingID+":"+r.Action.String())
	}
	if p.Action != abuse.Suspend || !p.Deadline.Equal(t1.Add(time.Hour)) || strings.Join(order, ",") != "ab-2:suspend,ab-3:throttle,ab-1:notify" {
		t.Errorf("plan = %v due %v with %v; want suspend due in an hour, harshest first", p.Action, p.Deadline, order)
	}
}

func TestNewEnforcerErrors(t *testing.T) {
	base := "id: p\nversion: \"1\"\n"
	rule := "rules:\n  - {id: r, when: 'finding.level == \"high\"', action: suspend, reason: R}\n"
	for _, tc := range []struct {
		name, src, want string
	}{
		{"outcome not an action", base + "outcomes: [suspend, review]\n" + rule, `outcome "review" is not an action`},
		{"outcomes out of order", base + "outcomes: [notify, suspend]\n" + rule, `"suspend" is out of order`},
		{"bad deadline", base + "outcomes: [suspend, notify]\nparams:\n  deadline_high: soon\n" + rule, `5:18: params.deadline_high: soon is not a positive duration`},
		{"negative deadline", base + "outcomes: [suspend, notify]\nparams:\n  deadline_other: -1h\n" + rule, `params.deadline_other`},
		{"unknown field", base + "outcomes: [suspend, notify]\nrules:\n  - {id: r, when: 'finding.colour == \"red\"', action: suspend, reason: R}\n",
			"colour"},
	} {
		_, err := abuse.NewEnforcer([]byte(tc.src))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error = %v, want it to mention %q", tc.name, err, tc.want)
		}
		if own := tc.name != "unknown field"; errors.Is(err, abuse.ErrInvalidPolicy) != own {
			t.Errorf("%s: errors.Is(err, ErrInvalidPolicy) = %v, want %v", tc.name, !own, own)
		}
	}
	e, err := abuse.NewEnforcer([]byte(base + "outcomes: [suspend, notify]\nparams:\n  deadline_high: 15m\n" + rule))
	if err != nil {
		t.Fatal(err)
	}
	if r := e.Recommend(finding(75, abuse.Malware, ""), abuse.CustomerRecord{}, t1); !r.Deadline.Equal(t1.Add(15 * time.Minute)) {
		t.Errorf("deadline = %v, want the policy's 15 minutes", r.Deadline)
	}
}
