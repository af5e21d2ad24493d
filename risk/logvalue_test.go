package risk_test

import (
	"bytes"
	"log/slog"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/riskkit/riskkit/risk"
)

func TestDecisionLogValue(t *testing.T) {
	tests := []struct {
		name string
		d    risk.Decision
		want string
	}{
		{
			name: "quiet",
			d:    risk.Decision{PolicyID: "checkout", PolicyVersion: "3", Outcome: "approve", Basis: risk.ByDefault},
			want: "level=INFO msg=decided d.policy=checkout d.version=3 d.outcome=approve d.basis=default d.score=0\n",
		},
		{
			name: "everything",
			d: risk.Decision{PolicyID: "checkout", PolicyVersion: "3", Outcome: "review", Basis: risk.ByScore, Score: 55,
				Hits:    []risk.Hit{{RuleID: "a", Reason: "A", Score: 25, Message: "secret detail"}, {RuleID: "b", Reason: "B", Score: 30}},
				Shadow:  []risk.Hit{{RuleID: "s", Reason: "S"}},
				Errors:  []risk.RuleError{{RuleID: "e", Err: "currency mismatch"}},
				Missing: []risk.MissingInputs{{RuleID: "m1", Inputs: risk.NewInputSet("signals.x")}, {RuleID: "m2"}}},
			want: "level=INFO msg=decided d.policy=checkout d.version=3 d.outcome=review d.basis=score d.score=55 d.reasons=A,B d.shadow=s d.errors=e d.missing=m1,m2\n",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			log := slog.New(slog.NewTextHandler(&b, &slog.HandlerOptions{ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
				if a.Key == slog.TimeKey && len(groups) == 0 {
					return slog.Attr{}
				}
				return a
			}}))
			log.Info("decided", "d", tc.d)
			if diff := cmp.Diff(tc.want, b.String()); diff != "" {
				t.Errorf("value (-want +got):\n%s", diff)
			}
			b.Reset()
			log.Info("decided", "d", &tc.d)
			if diff := cmp.Diff(tc.want, b.String()); diff != "" {
				t.Errorf("pointer (-want +got):\n%s", diff)
			}
		})
	}
}
