package risk

import (
	"bytes"
	"fmt"
	"strconv"
)

// Signal is a count the host computed, such as accounts created from one IP
// address in the last hour. The zero Signal means "not supplied", which is
// different from a supplied zero: policies see a missing signal as a missing
// input, and a rule that needs it does not fire.
type Signal struct {
	n     int64
	known bool
}

// Known returns a supplied signal with value n.
func Known(n int64) Signal { return Signal{n: n, known: true} }

// Get returns the value and whether it was supplied.
func (s Signal) Get() (int64, bool) { return s.n, s.known }

// IsZero reports whether the signal was not supplied, so that
// `json:",omitzero"` leaves it out.
func (s Signal) IsZero() bool { return !s.known }

// String returns the value, or "unknown" when it was not supplied.
func (s Signal) String() string {
	if !s.known {
		return "unknown"
	}
	return strconv.FormatInt(s.n, 10)
}

// MarshalJSON encodes a supplied signal as a number and a missing one as null.
func (s Signal) MarshalJSON() ([]byte, error) {
	if !s.known {
		return []byte("null"), nil
	}
	return strconv.AppendInt(nil, s.n, 10), nil
}

// UnmarshalJSON decodes a number, or null for a missing signal.
func (s *Signal) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if string(b) == "null" {
		*s = Signal{}
		return nil
	}
	n, err := strconv.ParseInt(string(b), 10, 64)
	if err != nil {
		return fmt.Errorf("risk: signal %s is not an integer", b)
	}
	*s = Known(n)
	return nil
}

// Signals are velocities and aggregates the host computes from its own
// records before asking for a decision. Each is optional.
type Signals struct {
	AccountsPerIP1h      Signal `json:"accounts_per_ip_1h,omitzero"`
	AccountsPerIP24h     Signal `json:"accounts_per_ip_24h,omitzero"`
	AccountsPerDevice1h  Signal `json:"accounts_per_device_1h,omitzero"`
	AccountsPerDevice24h Signal `json:"accounts_per_device_24h,omitzero"`
	AccountsPerCard1h    Signal `json:"accounts_per_card_1h,omitzero"`
	AccountsPerCard24h   Signal `json:"accounts_per_card_24h,omitzero"`
	Purchases24h         Signal `json:"purchases_24h,omitzero"`
	DistinctCards24h     Signal `json:"distinct_cards_24h,omitzero"`
	FailedPayments24h    Signal `json:"failed_payments_24h,omitzero"`
	// UnbilledUsage is service consumed and not yet billed; the zero Money
	// means not supplied.
	UnbilledUsage Money `json:"unbilled_usage,omitzero"`
}

// Checkout is the input of a checkout policy: who is buying, with what, what,
// and what the host's velocity counters say. Policies see its parts as the
// variables customer, payment, txn and signals.
type Checkout struct {
	Customer    Customer          `json:"customer"`
	Payment     PaymentInstrument `json:"payment"`
	Transaction Transaction       `json:"txn"`
	Signals     Signals           `json:"signals,omitzero"`
}
