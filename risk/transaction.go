package risk

import (
	"time"

	"github.com/riskkit/riskkit/internal/enum"
)

// TransactionKind says why money is being taken.
type TransactionKind string

// Transaction kinds.
const (
	FirstPurchase TransactionKind = "first_purchase"
	Renewal       TransactionKind = "renewal"
	Upgrade       TransactionKind = "upgrade"
	SeatAdd       TransactionKind = "seat_add"
)

var transactionKinds = enum.New("risk", "transaction kind", "", FirstPurchase, Renewal, Upgrade, SeatAdd)

// String returns the kind's name; the zero value's is "".
func (k TransactionKind) String() string { return transactionKinds.Name(k) }

// MarshalText returns the kind's name.
func (k TransactionKind) MarshalText() ([]byte, error) { return transactionKinds.Text(k) }

// UnmarshalText accepts the transaction kind names or the empty string.
func (k *TransactionKind) UnmarshalText(b []byte) (err error) {
	*k, err = transactionKinds.Parse(b)
	return err
}

// Service categories that policies commonly single out. Categories are open:
// a host may use its own names.
const (
	CategoryGPUCompute = "gpu_compute"
	CategoryCompute    = "compute"
	CategoryStorage    = "storage"
	CategoryNetwork    = "network"
	CategorySoftware   = "software"
)

// LineItem is one product in a transaction.
type LineItem struct {
	SKU      string `json:"sku"`
	Category string `json:"category,omitzero"`
	Quantity int64  `json:"quantity,omitzero"`
	Amount   Money  `json:"amount,omitzero"`
}

// Address is a postal address.
type Address struct {
	Line1      string `json:"line1,omitzero"`
	City       string `json:"city,omitzero"`
	PostalCode string `json:"postal_code,omitzero"`
	Country    string `json:"country,omitzero"` // ISO 3166-1 alpha-2
}

// Transaction is a purchase to be scored at checkout.
type Transaction struct {
	ID         string          `json:"id"`
	CustomerID string          `json:"customer_id,omitzero"`
	Amount     Money           `json:"amount"`
	Kind       TransactionKind `json:"kind,omitzero"`
	// CardPresent reports whether the card was physically present; online
	// sales are card-not-present, the riskier case.
	CardPresent bool       `json:"card_present,omitzero"`
	LineItems   []LineItem `json:"line_items,omitzero"`
	// IP is the address the purchase came from, and IPCountry its country
	// as the host's geolocation resolved it.
	IP        string `json:"ip,omitzero"`
	IPCountry string `json:"ip_country,omitzero"`
	DeviceID  string `json:"device_id,omitzero"`
	// Billing is the billing address the customer gave.
	Billing Address `json:"billing,omitzero"`
	// Time is when the purchase was attempted; policies measure ages from it.
	Time time.Time `json:"time"`
}
