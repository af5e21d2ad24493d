package dunning

import (
	"encoding"
	"strings"
	"testing"
)

// TestEnums checks the one idiom of every enumeration: the zero value's
// name, a round trip of each value through its text, and unknown names and
// values refused.
func TestEnums(t *testing.T) {
	type enumValue interface {
		encoding.TextMarshaler
		String() string
	}
	tests := []struct {
		name     string
		zero     enumValue
		zeroName string
		values   []enumValue
		parse    func([]byte) (enumValue, error)
		unknown  enumValue
	}{
		{"AgeFrom", FromDueDate, "due_date", []enumValue{FromIssueDate},
			func(b []byte) (enumValue, error) { var v AgeFrom; err := v.UnmarshalText(b); return v, err }, AgeFrom("paid_date")},
		{"InvoiceState", Open, "open", []enumValue{Draft, Void, WrittenOff, Disputed},
			func(b []byte) (enumValue, error) { var v InvoiceState; err := v.UnmarshalText(b); return v, err }, InvoiceState("lost")},
		{"BillingPeriod", Monthly, "monthly", []enumValue{Yearly, Weekly, Daily},
			func(b []byte) (enumValue, error) { var v BillingPeriod; err := v.UnmarshalText(b); return v, err }, BillingPeriod("hourly")},
		{"EntryKind", EntryKind(""), "", []enumValue{Payment, Credit, Refund, Chargeback, ChargebackReversal},
			func(b []byte) (enumValue, error) { var v EntryKind; err := v.UnmarshalText(b); return v, err }, EntryKind("gift")},
		{"AttemptResult", AttemptResult(""), "", []enumValue{Succeeded, SoftDecline, HardDecline},
			func(b []byte) (enumValue, error) { var v AttemptResult; err := v.UnmarshalText(b); return v, err }, AttemptResult("maybe")},
		{"ControlKind", ControlKind(""), "", []enumValue{Pause, Promise, Exemption},
			func(b []byte) (enumValue, error) { var v ControlKind; err := v.UnmarshalText(b); return v, err }, ControlKind("freeze")},
		{"Measure", Measure(""), "", []enumValue{Unpaid, Overdue},
			func(b []byte) (enumValue, error) { var v Measure; err := v.UnmarshalText(b); return v, err }, Measure("late")},
		{"CancelWhen", CancelWhen(""), "", []enumValue{CancelImmediately, CancelAtTermEnd},
			func(b []byte) (enumValue, error) { var v CancelWhen; err := v.UnmarshalText(b); return v, err }, CancelWhen("soon")},
		{"ActionKind", ActionKind(""), "", []enumValue{Remind, RetryPayment, RestrictPurchases, SuspendSubscriptions, DisableAccess, Cancel,
			SendToCollections, WriteOff, LiftRestriction, ResumeSubscriptions, EnableAccess, Reinstate, CreditBlockedTime, CampaignAttempt, CampaignFinished},
			func(b []byte) (enumValue, error) { var v ActionKind; err := v.UnmarshalText(b); return v, err }, ActionKind("fly")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.zero.String(); got != tt.zeroName {
				t.Errorf("zero value's String = %q, want %q", got, tt.zeroName)
			}
			for _, v := range append([]enumValue{tt.zero}, tt.values...) {
				text, err := v.MarshalText()
				if err != nil || string(text) != v.String() {
					t.Errorf("%v: MarshalText = %q, %v", v, text, err)
				}
				if back, err := tt.parse(text); err != nil || back != v {
					t.Errorf("%q reads back as %v, %v", text, back, err)
				}
			}
			if _, err := tt.unknown.MarshalText(); err == nil {
				t.Errorf("%v marshals", tt.unknown)
			}
			if _, err := tt.parse([]byte(tt.unknown.String())); err == nil || !strings.HasPrefix(err.Error(), "dunning: unknown ") {
				t.Errorf("%q: %v, want an unknown-name error", tt.unknown.String(), err)
			}
		})
	}
}
