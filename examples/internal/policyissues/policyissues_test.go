package policyissues_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/riskkit/riskkit/abuse"
	"github.com/riskkit/riskkit/examples"
	"github.com/riskkit/riskkit/examples/internal/policyissues"
	"github.com/riskkit/riskkit/onboarding"
	"github.com/riskkit/riskkit/risk"
)

func policy(t *testing.T, name string) string {
	t.Helper()
	b, err := examples.Policy(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestOf(t *testing.T) {
	checkout := policy(t, "checkout.yaml")
	tests := []struct {
		name    string
		compile func() error
		want    []risk.Issue
	}{
		{"none", func() error { return nil }, nil},
		{
			name: "checkout rule that does not type-check",
			compile: func() error {
				_, err := risk.Compile([]byte(strings.Replace(checkout, "payment.funding in lists.high_risk_funding", "payment.fundin in lists.high_risk_funding", 1)), risk.CheckoutSchema())
				return err
			},
		},
		{
			name: "YAML that does not parse",
			compile: func() error {
				_, err := risk.Compile([]byte("id: x\nrules:\n  - id: [\n"), risk.CheckoutSchema())
				return err
			},
			want: []risk.Issue{{Line: 4, Msg: "syntax error: did not find expected node content"}},
		},
		{
			name: "unknown key",
			compile: func() error {
				_, err := risk.Compile([]byte("id: x\nrulez: []\n"), risk.CheckoutSchema())
				return err
			},
			want: []risk.Issue{{Line: 2, Column: 1, Path: "rulez", Msg: `unknown key "rulez"; did you mean "rules"?`}},
		},
		{
			name: "onboarding controls",
			compile: func() error {
				_, err := onboarding.Compile([]byte(strings.Replace(policy(t, "onboarding.yaml"), "currencies: [", "currencies: [XXQ, ", 1)))
				return err
			},
		},
		{
			name: "abuse deadline",
			compile: func() error {
				_, err := abuse.NewEnforcer([]byte(strings.Replace(policy(t, "abuse.yaml"), "deadline_high: ", "deadline_high: x", 1)))
				return err
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.compile()
			got := policyissues.Of(err)
			if tc.want != nil || err == nil {
				if diff := cmp.Diff(tc.want, got, cmpopts.IgnoreFields(risk.Issue{}, "Err")); diff != "" {
					t.Errorf("(-want +got):\n%s", diff)
				}
				return
			}
			if len(got) == 0 {
				t.Fatalf("no issues from %v", err)
			}
			for _, i := range got {
				if i.Line == 0 || i.Msg == "" {
					t.Errorf("issue without a line or message: %+v (from %v)", i, err)
				}
			}
		})
	}
}
