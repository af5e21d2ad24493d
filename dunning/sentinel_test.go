package dunning_test

import (
	"errors"
	"testing"

	"github.com/riskkit/riskkit/dunning"
	"github.com/riskkit/riskkit/risk"
)

// TestSentinels checks that every document problem is one
// *risk.DocumentError that errors.Is finds dunning's sentinel in, beside
// the cause of an issue that has one.
func TestSentinels(t *testing.T) {
	_, err := dunning.ParseSchedule([]byte("id: s\nstages: [{name: x, after_days: -1}]\nbogus: 1\n"))
	var de *risk.DocumentError
	if !errors.As(err, &de) || !errors.Is(err, dunning.ErrInvalidDocument) {
		t.Fatalf("schedule: %v is not a DocumentError wrapping ErrInvalidDocument", err)
	}
	_, err = dunning.ParseLedger([]byte(`{"customer_id": "c", "invoices": [{"id": "i", "amount": "10.00 XXQ"}]}`))
	if !errors.Is(err, dunning.ErrInvalidDocument) || !errors.Is(err, risk.ErrUnknownCurrency) {
		t.Fatalf("ledger: %v does not wrap both ErrInvalidDocument and ErrUnknownCurrency", err)
	}
}

// TestDefaultBounds checks the documented default buckets and that the
// slice returned is the caller's.
func TestDefaultBounds(t *testing.T) {
	b := dunning.DefaultBounds()
	if len(b) == 0 || b[0] != 0 {
		t.Fatalf("DefaultBounds() = %v, want buckets starting at current (0)", b)
	}
	b[0] = 99
	if dunning.DefaultBounds()[0] != 0 {
		t.Error("changing the returned bounds changed the defaults")
	}
}
