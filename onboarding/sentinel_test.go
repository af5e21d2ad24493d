package onboarding_test

import (
	"errors"
	"testing"

	"github.com/riskkit/riskkit/onboarding"
	"github.com/riskkit/riskkit/risk"
)

// TestSentinels checks that a policy's problems, found by onboarding or by
// the risk compiler, come back as one *risk.DocumentError wrapping both
// packages' sentinels.
func TestSentinels(t *testing.T) {
	_, err := onboarding.Compile([]byte("id: x\nversion: \"1\"\noutcomes: [reject, approve]\nrules:\n  - id: r\n    when: applicant.nope\n    action: reject\n    reason: R\n"))
	var de *risk.DocumentError
	if !errors.As(err, &de) || !errors.Is(err, onboarding.ErrInvalidDocument) || !errors.Is(err, risk.ErrInvalidPolicy) {
		t.Fatalf("%v: want a DocumentError wrapping onboarding.ErrInvalidDocument and risk.ErrInvalidPolicy", err)
	}
}
