package risk

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

// UnmarshalText accepts the instrument type names or the empty string.
func (t *InstrumentType) UnmarshalText(b []byte) (err error) {
	*t, err = parseEnum("instrument type", b, Card, BankTransfer, DirectDebit, Wallet, InvoiceTerms)
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

// UnmarshalText accepts the funding names or the empty string.
func (f *Funding) UnmarshalText(b []byte) (err error) {
	*f, err = parseEnum("funding", b, Credit, Debit, Prepaid, StoredValue)
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

// UnmarshalText accepts "pass", "fail", "unavailable", "unchecked" or the
// empty string (unchecked).
func (c *CheckResult) UnmarshalText(b []byte) (err error) {
	if string(b) == "unchecked" {
		*c = Unchecked
		return nil
	}
	*c, err = parseEnum("check result", b, Pass, Fail, Unavailable)
	return err
}

// String returns the result's name; the zero value is "unchecked".
func (c CheckResult) String() string {
	if c == Unchecked {
		return "unchecked"
	}
	return string(c)
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
