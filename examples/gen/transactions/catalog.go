package main

import (
	"fmt"

	"github.com/riskkit/riskkit/risk"
)

// country is where a customer lives, the currency they are billed in, and how
// common such customers are (weights out of 1000).
type country struct {
	code, currency string
	weight         int
}

// countries is the reseller's customer base: mostly North America and
// Europe, billed in USD unless a local price list exists.
var countries = []country{
	{"US", "USD", 440}, {"CA", "USD", 50}, {"GB", "GBP", 90}, {"DE", "EUR", 70},
	{"FR", "EUR", 50}, {"NL", "EUR", 30}, {"ES", "EUR", 20}, {"IE", "EUR", 10},
	{"JP", "JPY", 50}, {"AU", "USD", 40}, {"IN", "USD", 40}, {"BR", "USD", 30},
	{"SG", "USD", 20}, {"MX", "USD", 10}, {"NG", "USD", 15}, {"PK", "USD", 10},
	{"ID", "USD", 10}, {"VN", "USD", 10}, {"GH", "USD", 5},
}

// elsewhere are the countries travellers and fraudsters buy from when they
// are not where the card is.
var elsewhere = []string{"US", "GB", "DE", "FR", "ES", "IT", "NL", "MX", "TH", "AE", "JP", "PT", "CA", "TR"}

// fraudOrigins are where the fraud in the sample is run from. The policy's
// high-risk list names only some of them, as a real list would.
var fraudOrigins = []string{"VN", "ID", "NG", "BR", "RU", "UA", "RO", "PH", "US", "IN", "PK", "GH"}

// victims are the countries stolen cards in the sample were issued in.
var victims = []string{"US", "US", "US", "GB", "DE", "CA", "AU", "FR"}

func (g *gen) country() country {
	w := make([]int, len(countries))
	for i, c := range countries {
		w[i] = c.weight
	}
	return countries[g.pick(w...)]
}

// currencyOf returns the billing currency of customers in a country.
func currencyOf(code string) string {
	for _, c := range countries {
		if c.code == code {
			return c.currency
		}
	}
	return "USD"
}

// usesSCA reports whether cards from the country are usually authenticated
// with 3-D Secure, as strong customer authentication requires in Europe.
func usesSCA(code string) bool {
	switch code {
	case "GB", "DE", "FR", "NL", "ES", "IE", "IT", "PT":
		return true
	}
	return false
}

// hasAVS reports whether card issuers in the country check billing
// addresses; elsewhere the check usually comes back unavailable.
func hasAVS(code string) bool { return code == "US" || code == "GB" || code == "CA" }

// money converts a price list amount in US cents to the customer's currency
// at fixed list rates, truncating to the currency's minor unit.
func (g *gen) money(usdCents int64, cur string) risk.Money {
	minor := usdCents
	switch cur {
	case "EUR":
		minor = usdCents * 92 / 100
	case "GBP":
		minor = usdCents * 79 / 100
	case "JPY":
		minor = usdCents * 150 / 100 // 150 yen to the dollar, no minor unit
	}
	m, err := risk.NewMoney(minor, cur)
	if err != nil && g.err == nil {
		g.err = err
	}
	return m
}

// sku is a product of the price list, priced in US cents per unit.
type sku struct {
	id, category string
	usd          int64
	maxQty       int
}

var services = []sku{
	{"vm.std.2x", risk.CategoryCompute, 6000, 4},
	{"vm.std.8x", risk.CategoryCompute, 24000, 3},
	{"vm.mem.16x", risk.CategoryCompute, 41000, 2},
	{"obj.1tb", risk.CategoryStorage, 2300, 5},
	{"block.500g", risk.CategoryStorage, 5000, 4},
	{"egress.10tb", risk.CategoryNetwork, 9000, 2},
	{"lb.std", risk.CategoryNetwork, 2500, 2},
	{"seat.office", risk.CategorySoftware, 1250, 25},
	{"seat.security", risk.CategorySoftware, 600, 25},
}

var gpus = []sku{
	{"gpu.t4.1x", risk.CategoryGPUCompute, 26000, 2},
	{"gpu.a10.1x", risk.CategoryGPUCompute, 78000, 2},
	{"gpu.a100.1x", risk.CategoryGPUCompute, 220000, 2},
}

// basket returns n line items from the list and their total in cur. A
// small basket buys one unit of each, as newcomers trying a service do.
func (g *gen) basket(list []sku, n int, cur string, small bool) ([]risk.LineItem, risk.Money) {
	items := make([]risk.LineItem, n)
	var total int64
	for i := range items {
		s := list[g.r.IntN(len(list))]
		q := 1
		if !small {
			q = g.between(1, s.maxQty)
		}
		amount := g.money(s.usd*int64(q), cur)
		items[i] = risk.LineItem{SKU: s.id, Category: s.category, Quantity: int64(q), Amount: amount}
		total += amount.Minor()
	}
	m, err := risk.NewMoney(total, cur)
	if err != nil && g.err == nil {
		g.err = err
	}
	return items, m
}

// All addresses come from ranges reserved for documentation, benchmarking
// or carrier-grade NAT, so the sample names no real host. The example policy
// lists the hosting and Tor ranges below in its cidrs.

// homeIP is a consumer or office address.
func (g *gen) homeIP() string {
	if g.chance(0.07) {
		return fmt.Sprintf("2001:db8:1:%x::%x", g.r.IntN(0x10000), 1+g.r.IntN(0xfffe))
	}
	return fmt.Sprintf("100.%d.%d.%d", 64+g.r.IntN(64), g.r.IntN(256), 1+g.r.IntN(254))
}

// hostingIP is a datacenter address: a VM, a VPN or a proxy.
func (g *gen) hostingIP() string {
	switch g.pick(5, 4, 1) {
	case 0:
		return fmt.Sprintf("198.51.100.%d", 1+g.r.IntN(254))
	case 1:
		return fmt.Sprintf("198.%d.%d.%d", 18+g.r.IntN(2), g.r.IntN(256), 1+g.r.IntN(254))
	}
	return fmt.Sprintf("2001:db8:dc%02x::%x", g.r.IntN(256), 1+g.r.IntN(0xfffe))
}

// torIP is a Tor exit node.
func (g *gen) torIP() string {
	return fmt.Sprintf("203.0.113.%d", 1+g.r.IntN(254))
}
