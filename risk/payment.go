package risk

import "github.com/riskkit/riskkit/internal/enum"

// InstrumentType is the kind of payment instrument.
type InstrumentType string

// Instrument types.
const (
	Card         InstrumentType = "card"
	BankTransfer InstrumentType = "bank_transfer"
	DirectDebit  InstrumentType = "direct_debit"
	Wallet       InstrumentType = "wallet"
	InvoiceTerms InstrumentType = "invoice"
)

var instrumentTypes = enum.New("risk", "instrument type", "", Card, BankTransfer, DirectDebit, Wallet, InvoiceTerms)

// String returns the type's name; the zero value's is "".
func (t InstrumentType) String() string { return instrumentTypes.Name(t) }

// MarshalText returns the type's name.
func (t InstrumentType) MarshalText() ([]byte, error) { return instrumentTypes.Text(t) }

// UnmarshalText accepts the instrument type names or the empty string.
func (t *InstrumentType) UnmarshalText(b []byte) (err error) {
	*t, err = instrumentTypes.Parse(b)
	return err
}

// Funding is how a card is funded. The zero value means unknown.
type Funding string

// Card funding sources. Prepaid and stored-value cards are the high-risk
// instruments the source guidance advises refusing.
const (
	Credit      Funding = "credit"
	Debit       Funding = "debit"
	Prepaid     Funding = "prepaid"
	StoredValue Funding = "stored_value"
)

var fundings = enum.New("risk", "funding", "", Credit, Debit, Prepaid, StoredValue)

// String returns the funding's name; the zero value's is "".
func (f Funding) String() string { return fundings.Name(f) }

// MarshalText returns the funding's name.
func (f Funding) MarshalText() ([]byte, error) { return fundings.Text(f) }

// UnmarshalText accepts the funding names or the empty string.
func (f *Funding) UnmarshalText(b []byte) (err error) {
	*f, err = fundings.Parse(b)
	return err
}

// CheckResult is the result of a card verification check (CVC, address,
// 3-D Secure). The zero value means the check was not performed.
type CheckResult string

// Check results.
const (
	Unchecked   CheckResult = ""
	Pass        CheckResult = "pass"
	Fail        CheckResult = "fail"
	Unavailable CheckResult = "unavailable"
)

var checkResults = enum.New("risk", "check result", "unchecked", Pass, Fail, Unavailable)

// String returns the result's name; the zero value's is "unchecked".
func (c CheckResult) String() string { return checkResults.Name(c) }

// MarshalText returns the result's name.
func (c CheckResult) MarshalText() ([]byte, error) { return checkResults.Text(c) }

// UnmarshalText accepts "pass", "fail", "unavailable", "unchecked" or the
// empty string (unchecked).
func (c *CheckResult) UnmarshalText(b []byte) (err error) {
	*c, err = checkResults.Parse(b)
	return err
}

// PaymentInstrument is the instrument offered for a transaction.
type PaymentInstrument struct {
	Type    InstrumentType `json:"type,omitzero"`
	Funding Funding        `json:"funding,omitzero"`
	// IssuingCountry is the ISO 3166-1 alpha-2 country of the issuer.
	IssuingCountry string `json:"issuing_country,omitzero"`
	// CVC, Address and ThreeDS are the results of the card checks.
	CVC     CheckResult `json:"cvc,omitzero"`
	Address CheckResult `json:"address,omitzero"`
	ThreeDS CheckResult `json:"three_ds,omitzero"`
	// Fingerprint identifies the instrument across customers without
	// revealing its number.
	Fingerprint string `json:"fingerprint,omitzero"`
}
