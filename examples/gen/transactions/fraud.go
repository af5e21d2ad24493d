package main

import (
	"time"

	"github.com/riskkit/riskkit/risk"
)

// Every pattern below leaves some of its checkouts looking clean, as real
// fraud does, so that no policy catches all of it.

// fraudAccount is a freshly made account of someone who does not intend to
// pay: verified email (disposable addresses verify fine), rarely a verified
// phone, almost never MFA or a verified identity.
func (g *gen) fraudAccount(cid, country string, created time.Time) risk.Customer {
	states := []risk.Verification{risk.Verified, risk.Pending, risk.NotRun, risk.Failed}
	c := risk.Customer{ID: cid, Kind: risk.Individual, Country: country, CreatedAt: created,
		Email:    oneOf(g, states, 75, 20, 5, 0),
		Phone:    oneOf(g, states, 45, 30, 25, 0),
		MFA:      g.chance(0.1),
		Identity: oneOf(g, states, 3, 10, 80, 7),
	}
	if g.chance(0.12) {
		c.Kind = risk.Business
		c.BusinessRegistration = oneOf(g, states, 0, 40, 50, 10)
	}
	cur := currencyOf(country)
	c.CreditLimit = g.money(oneOf(g, []int64{0, 10000}, 70, 30), cur)
	c.PrepaidBalance = g.money(0, cur)
	c.OutstandingBalance = g.money(0, cur)
	return c
}

// stolenCard: a card bought on a carding forum, used from the fraudster's
// country or through a proxy in the victim's, on a new account, often
// after testing several cards.
func (g *gen) stolenCard() {
	cid, tid := g.ids()
	victim := victims[g.r.IntN(len(victims))]
	origin := fraudOrigins[g.r.IntN(len(fraudOrigins))]
	created := g.ago(3*time.Minute, 20*time.Hour)
	if g.chance(0.2) {
		created = g.ago(day, 10*day) // aged a little to look less new
	}
	home := victim
	if g.chance(0.4) {
		home = origin
	}
	cust := g.fraudAccount(cid, home, created)
	cur := currencyOf(home)
	checks := []risk.CheckResult{risk.Pass, risk.Fail, risk.Unavailable, risk.Unchecked}
	pay := risk.PaymentInstrument{Type: risk.Card, IssuingCountry: victim, Fingerprint: "fp-" + g.hex(8),
		Funding: oneOf(g, []risk.Funding{risk.Credit, risk.Debit}, 85, 15),
		CVC:     oneOf(g, checks, 75, 20, 5, 0),
		ThreeDS: oneOf(g, checks, 20, 10, 25, 45),
	}
	if hasAVS(victim) {
		pay.Address = oneOf(g, checks, 40, 45, 15, 0)
	} else {
		pay.Address = oneOf(g, checks, 20, 10, 70, 0)
	}
	txn := risk.Transaction{ID: tid, Time: g.now, DeviceID: "dev-" + g.hex(8),
		Kind: oneOf(g, []risk.TransactionKind{risk.FirstPurchase, risk.Upgrade}, 85, 15)}
	if g.chance(0.4) {
		txn.LineItems, txn.Amount = g.basket(gpus, 1, cur, false)
	} else {
		txn.LineItems, txn.Amount = g.basket(services[:3], g.between(1, 2), cur, false)
	}
	switch g.pick(45, 40, 15) {
	case 0:
		txn.IP = g.homeIP() // a residential proxy
	case 1:
		txn.IP = g.hostingIP()
	default:
		txn.IP = g.torIP()
	}
	txn.IPCountry = origin
	if g.chance(0.45) {
		txn.IPCountry = victim
	}
	txn.Billing.Country = victim
	if g.chance(0.25) {
		txn.Billing.Country = origin
	}
	in := risk.Checkout{Customer: cust, Payment: pay, Transaction: txn}
	careful := g.chance(0.25)
	if careful {
		// A careful fraudster with the victim's full details, a proxy in
		// the victim's town and a card the issuer waves through.
		in.Customer.Country, in.Customer.Phone = victim, risk.Verified
		in.Payment.CVC, in.Payment.Address = risk.Pass, risk.Pass
		in.Payment.ThreeDS = oneOf(g, checks, 50, 0, 0, 50)
		in.Transaction.IP, in.Transaction.IPCountry = g.homeIP(), victim
		in.Transaction.Billing.Country = victim
	}
	if !g.chance(0.05) {
		in.Signals = risk.Signals{
			AccountsPerIP1h:      known(g.between(1, 3)),
			AccountsPerIP24h:     known(g.between(1, 6)),
			AccountsPerDevice1h:  known(g.between(1, 2)),
			AccountsPerDevice24h: known(g.between(1, 4)),
			AccountsPerCard1h:    known(1 + g.pick(80, 15, 5)),
			AccountsPerCard24h:   known(g.between(1, 4)),
			Purchases24h:         known(g.between(1, 4)),
			DistinctCards24h:     known(g.between(1, 5)),
			FailedPayments24h:    known(g.between(0, 5)),
			UnbilledUsage:        g.money(0, cur),
		}
		if careful {
			in.Signals.DistinctCards24h, in.Signals.FailedPayments24h = known(1), known(0)
		}
	}
	g.emit(in, true)
}

// robotBurst: a script creates accounts one after another from one address,
// often one device, each buying a small machine to mine on. The counters
// grow through the burst, so its first accounts look like anyone else.
func (g *gen) robotBurst() {
	origin := fraudOrigins[g.r.IntN(len(fraudOrigins))]
	var ip string
	switch g.pick(55, 35, 10) {
	case 0:
		ip = g.hostingIP()
	case 1:
		ip = g.homeIP()
	default:
		ip = g.torIP()
	}
	sharedDevice := g.chance(0.5)
	device := "dev-" + g.hex(8)
	claimed := oneOf(g, []string{"US", origin}, 60, 40)
	earlier := g.pick(70, 20, 10) // accounts the script made before this hour
	k := g.between(4, 9)
	for i := range k {
		if i > 0 {
			g.tick(40*time.Second, 6*time.Minute)
		}
		cid, tid := g.ids()
		cust := g.fraudAccount(cid, claimed, g.ago(time.Minute, 15*time.Minute))
		cur := currencyOf(claimed)
		if !sharedDevice {
			device = "dev-" + g.hex(8)
		}
		checks := []risk.CheckResult{risk.Pass, risk.Fail, risk.Unavailable, risk.Unchecked}
		pay := risk.PaymentInstrument{Type: risk.Card, Fingerprint: "fp-" + g.hex(8),
			Funding:        oneOf(g, []risk.Funding{risk.Credit, risk.Debit, risk.Prepaid}, 50, 25, 25),
			IssuingCountry: oneOf(g, []string{victims[g.r.IntN(len(victims))], claimed}, 60, 40),
			CVC:            oneOf(g, checks, 85, 10, 5, 0),
			Address:        oneOf(g, checks, 40, 25, 35, 0),
			ThreeDS:        oneOf(g, checks, 5, 5, 30, 60),
		}
		txn := risk.Transaction{ID: tid, Kind: risk.FirstPurchase, Time: g.now,
			IP: ip, IPCountry: claimed, DeviceID: device, Billing: risk.Address{Country: claimed}}
		if g.chance(0.25) {
			txn.LineItems, txn.Amount = g.basket(gpus[:1], 1, cur, false)
		} else {
			txn.LineItems, txn.Amount = g.basket(services[:1], 1, cur, false)
		}
		dev1h, dev24h := 1, 1
		if sharedDevice {
			dev1h, dev24h = i+1, i+1+earlier
		}
		in := risk.Checkout{Customer: cust, Payment: pay, Transaction: txn, Signals: risk.Signals{
			AccountsPerIP1h:      known(i + 1),
			AccountsPerIP24h:     known(i + 1 + earlier),
			AccountsPerDevice1h:  known(dev1h),
			AccountsPerDevice24h: known(dev24h),
			AccountsPerCard1h:    known(1),
			AccountsPerCard24h:   known(1),
			Purchases24h:         known(1),
			DistinctCards24h:     known(1),
			FailedPayments24h:    known(g.pick(70, 20, 10)),
			UnbilledUsage:        g.money(0, cur),
		}}
		g.emit(in, true)
		if len(g.out) == records {
			return
		}
	}
}

// prepaidCard: an anonymous prepaid or stored-value card that will be empty
// by the time the first invoice is due.
func (g *gen) prepaidCard() {
	c := g.country()
	cid, tid := g.ids()
	cust := g.fraudAccount(cid, c.code, g.ago(10*time.Minute, 3*day))
	pay := risk.PaymentInstrument{Type: risk.Card, IssuingCountry: c.code, Fingerprint: "fp-" + g.hex(8),
		Funding: oneOf(g, []risk.Funding{risk.Prepaid, risk.StoredValue}, 70, 30),
		CVC:     risk.Pass,
		Address: oneOf(g, []risk.CheckResult{risk.Pass, risk.Unavailable}, 50, 50),
		ThreeDS: risk.Unchecked,
	}
	txn := risk.Transaction{ID: tid, Kind: risk.FirstPurchase, Time: g.now,
		IP: g.homeIP(), IPCountry: c.code, DeviceID: "dev-" + g.hex(8), Billing: risk.Address{Country: c.code}}
	txn.LineItems, txn.Amount = g.basket(services, g.between(1, 2), c.currency, false)
	in := risk.Checkout{Customer: cust, Payment: pay, Transaction: txn, Signals: risk.Signals{
		AccountsPerIP1h:      known(1),
		AccountsPerIP24h:     known(g.between(1, 2)),
		AccountsPerDevice1h:  known(1),
		AccountsPerDevice24h: known(1),
		AccountsPerCard1h:    known(1),
		AccountsPerCard24h:   known(g.between(1, 2)),
		Purchases24h:         known(1),
		DistinctCards24h:     known(g.between(1, 2)),
		FailedPayments24h:    known(g.pick(80, 20)),
		UnbilledUsage:        g.money(0, c.currency),
	}}
	g.emit(in, true)
}

// gpuNewAccount: GPU capacity bought within days of sign-up, to mine until
// the card is reported stolen or the invoice goes unpaid. Some wait out the
// new-account window first.
func (g *gen) gpuNewAccount() {
	origin := fraudOrigins[g.r.IntN(len(fraudOrigins))]
	cid, tid := g.ids()
	created := g.ago(20*time.Minute, 60*time.Hour)
	if g.chance(0.3) {
		created = g.ago(73*time.Hour, 7*day)
	}
	home := oneOf(g, []string{"US", "GB", "DE", origin}, 40, 10, 10, 40)
	cust := g.fraudAccount(cid, home, created)
	cur := currencyOf(home)
	checks := []risk.CheckResult{risk.Pass, risk.Fail, risk.Unavailable, risk.Unchecked}
	pay := risk.PaymentInstrument{Type: risk.Card, Fingerprint: "fp-" + g.hex(8), Funding: risk.Credit,
		IssuingCountry: home,
		CVC:            oneOf(g, checks, 90, 5, 5, 0),
		Address:        oneOf(g, checks, 60, 15, 25, 0),
		ThreeDS:        oneOf(g, checks, 30, 0, 20, 50),
	}
	if g.chance(0.5) {
		pay.IssuingCountry = victims[g.r.IntN(len(victims))]
	}
	txn := risk.Transaction{ID: tid, Kind: risk.FirstPurchase, Time: g.now,
		DeviceID: "dev-" + g.hex(8), IPCountry: home, Billing: risk.Address{Country: home}}
	txn.LineItems, txn.Amount = g.basket(gpus[1:], g.between(1, 2), cur, false)
	switch g.pick(55, 35, 10) {
	case 0:
		txn.IP = g.homeIP()
	case 1:
		txn.IP = g.hostingIP()
	default:
		txn.IP = g.torIP()
	}
	in := risk.Checkout{Customer: cust, Payment: pay, Transaction: txn, Signals: risk.Signals{
		AccountsPerIP1h:      known(g.between(1, 2)),
		AccountsPerIP24h:     known(g.between(1, 4)),
		AccountsPerDevice1h:  known(1),
		AccountsPerDevice24h: known(g.between(1, 3)),
		AccountsPerCard1h:    known(1),
		AccountsPerCard24h:   known(g.between(1, 2)),
		Purchases24h:         known(g.between(1, 3)),
		DistinctCards24h:     known(g.between(1, 3)),
		FailedPayments24h:    known(g.between(0, 2)),
		UnbilledUsage:        g.money(int64(g.between(0, 20000)), cur),
	}}
	g.emit(in, true)
}

// useBeforePay: an account that ran up usage on credit for weeks and is now
// asked to pay its first bill with a card that keeps failing.
func (g *gen) useBeforePay() {
	c := g.country()
	cid, tid := g.ids()
	cust := g.fraudAccount(cid, c.code, g.ago(5*day, 45*day))
	cust.Email, cust.Phone = risk.Verified, oneOf(g, []risk.Verification{risk.Verified, risk.Pending}, 60, 40)
	limit := int64(g.between(1, 5)) * 10000
	cust.CreditLimit = g.money(limit, c.currency)
	usage := limit * int64(g.between(20, 80)) / 10
	if g.chance(0.3) {
		usage = limit * int64(g.between(5, 10)) / 10
	}
	owed := limit * int64(g.between(5, 25)) / 10
	cust.OutstandingBalance = g.money(owed, c.currency)
	checks := []risk.CheckResult{risk.Pass, risk.Fail, risk.Unavailable, risk.Unchecked}
	pay := risk.PaymentInstrument{Type: risk.Card, IssuingCountry: c.code, Fingerprint: "fp-" + g.hex(8),
		Funding: oneOf(g, []risk.Funding{risk.Credit, risk.Debit}, 60, 40),
		CVC:     oneOf(g, checks, 70, 20, 10, 0),
		Address: oneOf(g, checks, 60, 20, 20, 0),
		ThreeDS: risk.Unchecked,
	}
	txn := risk.Transaction{ID: tid, Time: g.now, DeviceID: "dev-" + g.hex(8),
		Kind:      oneOf(g, []risk.TransactionKind{risk.Renewal, risk.Upgrade}, 60, 40),
		IPCountry: c.code, Billing: risk.Address{Country: c.code}}
	txn.LineItems, txn.Amount = g.basket(services[:3], g.between(1, 2), c.currency, false)
	txn.IP = g.homeIP()
	if g.chance(0.3) {
		txn.IP = g.hostingIP()
	}
	in := risk.Checkout{Customer: cust, Payment: pay, Transaction: txn, Signals: risk.Signals{
		Purchases24h:      known(g.between(1, 4)),
		DistinctCards24h:  known(g.between(1, 3)),
		FailedPayments24h: known(g.between(1, 5)),
		UnbilledUsage:     g.money(usage, c.currency),
	}}
	g.emit(in, true)
}

// quietFraud is fraud a checkout policy cannot see: a long-standing account
// taken over to buy capacity, or a customer who passes every check and
// simply never pays.
func (g *gen) quietFraud() {
	if g.chance(0.5) {
		in := g.customerCheckout(established)
		in.Transaction.Kind = risk.Upgrade
		in.Transaction.DeviceID = "dev-" + g.hex(8)
		if g.chance(0.6) {
			in.Transaction.LineItems, in.Transaction.Amount = g.basket(gpus, g.between(1, 2), in.Transaction.Amount.Currency(), false)
		}
		if g.chance(0.5) {
			in.Transaction.IPCountry = fraudOrigins[g.r.IntN(len(fraudOrigins))]
		}
		if g.chance(0.3) {
			in.Transaction.IP = g.hostingIP()
		}
		g.emit(in, true)
		return
	}
	g.emit(g.customerCheckout(newcomer), true)
}
