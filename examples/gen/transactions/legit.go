package main

import (
	"time"

	"github.com/riskkit/riskkit/risk"
)

// Stages of a customer's life at the reseller.
const (
	established = iota // more than three months of paid invoices
	settled            // a week to three months in
	newcomer           // signed up minutes to days ago, buying for the first time
)

// legit emits one checkout by a customer who will pay.
func (g *gen) legit() {
	g.emit(g.customerCheckout(g.pick(45, 20, 35)), false)
}

// customerCheckout builds a checkout by an ordinary customer at the given
// stage, with the noise real customers bring: travellers, expatriates,
// mistyped security codes, offices sharing one address, late invoices,
// hosts that do not supply every signal.
func (g *gen) customerCheckout(stage int) risk.Checkout {
	c := g.country()
	cid, tid := g.ids()
	business := g.chance(0.25)

	var created time.Time
	var kind risk.TransactionKind
	switch stage {
	case established:
		created = g.ago(90*day, 1800*day)
		kind = oneOf(g, []risk.TransactionKind{risk.Renewal, risk.Upgrade, risk.SeatAdd}, 70, 20, 10)
	case settled:
		created = g.ago(7*day, 90*day)
		kind = oneOf(g, []risk.TransactionKind{risk.Renewal, risk.Upgrade, risk.SeatAdd}, 60, 30, 10)
	default:
		switch g.pick(40, 30, 30) {
		case 0:
			created = g.ago(10*time.Minute, time.Hour)
		case 1:
			created = g.ago(time.Hour, day)
		default:
			created = g.ago(day, 5*day)
		}
		kind = risk.FirstPurchase
	}
	age := g.now.Sub(created)

	cust := risk.Customer{ID: cid, Kind: risk.Individual, Country: c.code, CreatedAt: created}
	if business {
		cust.Kind = risk.Business
	}
	g.verify(&cust, stage, business)
	monthly := g.history(&cust, stage, c.currency, business)

	pay := g.customerPayment(c.code, business, kind)
	txn := g.customerTxn(tid, cid, c, kind, stage, business)
	sig := g.customerSignals(age, business, pay.Type == risk.Card)
	if sig != nil {
		sig.UnbilledUsage = g.unbilled(stage, monthly, &cust, c.currency)
		if stage == newcomer && !cust.History.FirstPaymentAt.IsZero() {
			// A prepaid newcomer may already be using what they paid for.
			sig.UnbilledUsage = g.money(int64(g.between(0, 3000)), c.currency)
		}
	}
	in := risk.Checkout{Customer: cust, Payment: pay, Transaction: txn}
	if sig != nil {
		in.Signals = *sig
	}
	return in
}

// verify fills in the onboarding checks.
func (g *gen) verify(cust *risk.Customer, stage int, business bool) {
	states := []risk.Verification{risk.Verified, risk.Pending, risk.NotRun, risk.Failed}
	cust.Email = oneOf(g, states, 96, 3, 1, 0)
	phoneVerified := 85
	if stage == established {
		phoneVerified = 93
	}
	cust.Phone = oneOf(g, states, phoneVerified, 8, 100-phoneVerified-8, 0)
	cust.MFA = g.chance(0.55)
	cust.Identity = oneOf(g, states, 350, 40, 607, 3)
	bands := []string{"A", "B", "C", "D", "E"}
	if business {
		cust.MFA = g.chance(0.7)
		cust.BusinessRegistration = oneOf(g, states, 85, 10, 3, 2)
		if g.chance(0.75) {
			cust.Credit = risk.CreditCheck{Status: risk.Verified, Band: oneOf(g, bands, 20, 35, 30, 10, 5)}
		}
		cust.PersonalContact = g.chance(0.35)
		return
	}
	if g.chance(0.2) {
		cust.Credit = risk.CreditCheck{Status: risk.Verified, Band: oneOf(g, bands, 15, 35, 30, 15, 5)}
	}
	cust.PersonalContact = g.chance(0.03)
}

// history fills in payments so far, the credit limit and the balances, and
// returns the customer's typical monthly spend in US cents.
func (g *gen) history(cust *risk.Customer, stage int, cur string, business bool) int64 {
	monthly := int64(g.between(20, 400)) * 100
	if business {
		monthly = int64(g.between(100, 2000)) * 100
	}
	h := &cust.History
	switch stage {
	case newcomer:
		cust.CreditLimit = g.money(oneOf(g, []int64{0, 10000, 25000}, 50, 30, 20), cur)
		cust.OutstandingBalance = g.money(0, cur)
		cust.PrepaidBalance = g.money(0, cur)
		if g.chance(0.4) {
			// Asked to prepay before the first purchase.
			paid := int64(g.between(5, 30)) * 1000
			cust.PrepaidBalance = g.money(paid, cur)
			h.AmountPaid = g.money(paid, cur)
			h.FirstPaymentAt = cust.CreatedAt.Add(time.Duration(g.between(2, 9)) * time.Minute)
			if h.FirstPaymentAt.After(g.now) {
				h.FirstPaymentAt = g.now
			}
		}
		return monthly
	}
	age := g.now.Sub(cust.CreatedAt)
	months := int64(age / (30 * day))
	h.InvoicesPaid = months
	lateRate := g.r.Float64() * 0.12
	for range months {
		if g.chance(lateRate) {
			h.InvoicesPaidLate++
		}
	}
	if g.chance(0.01) {
		h.Chargebacks = 1
	}
	h.FirstPaymentAt = cust.CreatedAt.Add(time.Duration(g.between(10, 2880)) * time.Minute)
	if h.FirstPaymentAt.After(g.now) {
		h.FirstPaymentAt = g.now
	}
	h.AmountPaid = g.money(monthly*max(months, 1), cur)
	limit := monthly * int64(g.between(10, 30)) / 10 / 10000 * 10000
	if stage == settled {
		limit = min(limit, 100000)
	}
	limit = max(limit, 10000)
	cust.CreditLimit = g.money(limit, cur)
	cust.PrepaidBalance = g.money(0, cur)
	owed := monthly * int64(g.between(0, 80)) / 100
	if g.chance(0.02) {
		owed = limit + monthly*int64(g.between(5, 50))/100 // a late payer
	}
	cust.OutstandingBalance = g.money(owed, cur)
	return monthly
}

// unbilled is the usage accrued since the last invoice.
func (g *gen) unbilled(stage int, monthly int64, cust *risk.Customer, cur string) risk.Money {
	if stage == newcomer {
		// A newcomer tries things out within the credit they were given.
		if limit := cust.CreditLimit.Minor(); limit > 0 && g.chance(0.5) {
			return g.money(int64(g.between(100, int(limit))), cur)
		}
		return g.money(0, cur)
	}
	return g.money(monthly*int64(g.between(5, 60))/100, cur)
}

// customerPayment is the instrument an ordinary customer pays with.
func (g *gen) customerPayment(country string, business bool, kind risk.TransactionKind) risk.PaymentInstrument {
	types := []risk.InstrumentType{risk.Card, risk.Wallet, risk.DirectDebit, risk.InvoiceTerms, risk.BankTransfer}
	var p risk.PaymentInstrument
	if business {
		p.Type = oneOf(g, types, 50, 0, 10, 25, 15)
	} else {
		p.Type = oneOf(g, types, 92, 5, 3, 0, 0)
	}
	if p.Type != risk.Card {
		return p
	}
	p.Funding = oneOf(g, []risk.Funding{risk.Credit, risk.Debit, risk.Prepaid}, 680, 318, 2)
	p.IssuingCountry = country
	if g.chance(0.04) {
		p.IssuingCountry = elsewhere[g.r.IntN(len(elsewhere))] // an expatriate's home card
	}
	p.Fingerprint = "fp-" + g.hex(8)
	checks := []risk.CheckResult{risk.Pass, risk.Fail, risk.Unavailable, risk.Unchecked}
	if kind == risk.Renewal && g.chance(0.7) {
		// Renewals charge the card on file without its security code.
		p.CVC = risk.Unchecked
	} else {
		p.CVC = oneOf(g, checks, 965, 15, 20, 0)
	}
	if hasAVS(p.IssuingCountry) {
		p.Address = oneOf(g, checks, 92, 3, 5, 0)
	} else {
		p.Address = oneOf(g, checks, 28, 2, 70, 0)
	}
	switch {
	case kind == risk.Renewal:
		p.ThreeDS = risk.Unchecked // merchant-initiated
	case usesSCA(p.IssuingCountry):
		p.ThreeDS = oneOf(g, checks, 90, 2, 8, 0)
	default:
		p.ThreeDS = oneOf(g, checks, 40, 0, 10, 50)
	}
	return p
}

// customerTxn is what an ordinary customer buys and from where.
func (g *gen) customerTxn(tid, cid string, c country, kind risk.TransactionKind, stage int, business bool) risk.Transaction {
	t := risk.Transaction{ID: tid, Kind: kind, Time: g.now}
	gpuShare := 0.05
	if stage == settled {
		gpuShare = 0.04
	}
	n := 1 + g.pick(85, 15)
	if business && g.chance(0.2) {
		n++
	}
	if g.chance(gpuShare) {
		// Start-ups and research teams buy GPUs, some on their first day.
		t.LineItems, t.Amount = g.basket(gpus, 1, c.currency, stage == newcomer)
	} else {
		t.LineItems, t.Amount = g.basket(services, n, c.currency, stage == newcomer)
	}
	switch g.pick(965, 30, 5) {
	case 0:
		t.IP = g.homeIP()
	case 1:
		t.IP = g.hostingIP() // a developer on a VM or a corporate VPN
	default:
		t.IP = g.torIP()
	}
	t.IPCountry = c.code
	if g.chance(0.06) {
		t.IPCountry = g.other(c.code) // travelling
	}
	t.DeviceID = "dev-" + g.hex(8)
	t.Billing.Country = c.code
	if g.chance(0.02) {
		t.Billing.Country = g.other(c.code)
	}
	return t
}

// other returns a country from elsewhere that is not code.
func (g *gen) other(code string) string {
	for {
		if o := elsewhere[g.r.IntN(len(elsewhere))]; o != code {
			return o
		}
	}
}

// customerSignals are the counters the host supplies for an ordinary
// customer, or nil when the host supplied none. Sign-up counters count the
// customer's own account while it is younger than their window.
func (g *gen) customerSignals(age time.Duration, business, card bool) *risk.Signals {
	if g.chance(0.04) {
		return nil // the host's counter service did not answer
	}
	s := &risk.Signals{
		Purchases24h:      known(g.between(1, 3)),
		FailedPayments24h: known(g.pick(90, 7, 2, 1)),
	}
	if card {
		s.DistinctCards24h = known(1 + g.pick(94, 5, 1))
	} else {
		s.DistinctCards24h = known(0)
	}
	if age > 7*day && g.chance(0.9) {
		// Sign-up counters say nothing about an account that is weeks
		// old, so hosts rarely compute them for one.
		return s
	}
	own := func(window time.Duration) int {
		if age < window {
			return 1
		}
		return 0
	}
	ip1h := own(time.Hour) + g.pick(94, 5, 1)
	ip24h := max(ip1h, own(day)+g.pick(88, 10, 2))
	if business && g.chance(0.12) {
		ip24h += g.between(3, 10) // colleagues signing up from the office
	}
	s.AccountsPerIP1h, s.AccountsPerIP24h = known(ip1h), known(ip24h)
	dev1h := own(time.Hour)
	if g.chance(0.005) {
		dev1h++
	}
	dev24h := max(dev1h, own(day)+g.pick(950, 30, 15, 5))
	s.AccountsPerDevice1h, s.AccountsPerDevice24h = known(dev1h), known(dev24h)
	card1h := 1
	if g.chance(0.005) {
		card1h++
	}
	s.AccountsPerCard1h = known(card1h)
	s.AccountsPerCard24h = known(max(card1h, 1+g.pick(970, 27, 3)))
	return s
}
