package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/riskkit/riskkit/onboarding"
	"github.com/riskkit/riskkit/risk"
)

// seed fixes the output; change it only together with the committed file.
const seed1, seed2 = 2026_11_25, 0x0b0a4d

// ordinary is the number of drawn sign-ups after the named paths.
const ordinary = 24

// day is the day of every sign-up.
var day = time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC)

// generate returns the file's bytes and the number of applicants.
func generate() ([]byte, int, error) {
	r := rand.New(rand.NewPCG(seed1, seed2))
	apps := paths()
	at := day
	for i := range ordinary {
		at = at.Add(time.Duration(10+r.IntN(30)) * time.Minute)
		apps = append(apps, draw(r, i+1, at))
	}
	var b bytes.Buffer
	for i := range apps {
		if err := apps[i].Validate(); err != nil {
			return nil, 0, fmt.Errorf("applicant %d: %w", i, err)
		}
		line, err := json.Marshal(&apps[i])
		if err != nil {
			return nil, 0, err
		}
		b.Write(line)
		b.WriteByte('\n')
	}
	return b.Bytes(), len(apps), nil
}

// quiet are the velocities of a person signing up once.
func quiet() risk.Signals {
	return risk.Signals{
		AccountsPerIP1h: risk.Known(0), AccountsPerIP24h: risk.Known(0),
		AccountsPerDevice1h: risk.Known(0), AccountsPerDevice24h: risk.Known(0),
		AccountsPerCard1h: risk.Known(0), AccountsPerCard24h: risk.Known(0),
		DistinctCards24h: risk.Known(1), FailedPayments24h: risk.Known(0),
	}
}

// paths are the named sign-ups, one per path of the onboarding policy.
func paths() []onboarding.Applicant {
	verified := onboarding.Check{Status: risk.Verified, Provider: "idv-example"}
	out := []onboarding.Applicant{
		{
			ID: "biz-northwind", Kind: risk.Business, Country: "DE", Currency: "EUR",
			Signup: onboarding.Signup{At: day.Add(5 * time.Minute), IP: "192.0.2.40", IPCountry: "DE", DeviceID: "dev-7f31",
				EmailDomain: "northwind.example", Email: risk.Verified, Phone: "+493055501234", SMS: risk.Verified,
				FormSeconds: risk.Known(212), BotScore: risk.Known(2)},
			Identity: verified,
			Business: onboarding.Check{Status: risk.Verified, Provider: "registry-example", Band: "A",
				Revenue: risk.MustMoney("4800000.00 EUR"), NetWorth: risk.MustMoney("1200000.00 EUR")},
			PersonalContact: true, MFA: true,
			Payment:     risk.PaymentInstrument{Type: risk.Card, Funding: risk.Credit, IssuingCountry: "DE", CVC: risk.Pass, Address: risk.Pass, ThreeDS: risk.Pass, Fingerprint: "fp-nw-01"},
			Services:    []string{"vm_compute", "storage", "gpu_compute"},
			AdminAccess: true,
			Signals:     quiet(),
		},
		{
			ID: "ind-ana-lima", Kind: risk.Individual, Country: "US", Currency: "USD",
			Signup: onboarding.Signup{At: day.Add(12 * time.Minute), IP: "2001:db8:1::25", IPCountry: "US", DeviceID: "dev-a11c",
				EmailDomain: "example.com", Email: risk.Verified, Phone: "+14155550123", SMS: risk.Verified,
				FormSeconds: risk.Known(74), BotScore: risk.Known(6)},
			Identity: verified,
			Credit:   onboarding.Check{Status: risk.Verified, Provider: "bureau-example", Band: "B"},
			Payment:  risk.PaymentInstrument{Type: risk.Card, Funding: risk.Credit, IssuingCountry: "US", CVC: risk.Pass, Address: risk.Pass, Fingerprint: "fp-al-01"},
			Services: []string{"vm_compute", "gpu_compute"},
			Signals:  quiet(),
		},
	}
	// A burst of robotic sign-ups: one datacenter address, one device, a
	// disposable domain, forms faster than anyone types.
	for i := range 4 {
		s := quiet()
		s.AccountsPerIP1h, s.AccountsPerIP24h = risk.Known(int64(3+i)), risk.Known(int64(3+i))
		s.AccountsPerDevice1h, s.AccountsPerDevice24h = risk.Known(int64(3+i)), risk.Known(int64(3+i))
		out = append(out, onboarding.Applicant{
			ID: fmt.Sprintf("bot-burst-%d", i+1), Kind: risk.Individual, Country: "US", Currency: "USD",
			Signup: onboarding.Signup{At: day.Add(time.Duration(40*60+7*i) * time.Second), IP: "198.51.100.23", IPCountry: "US",
				DeviceID: "dev-0000", EmailDomain: "mailinator.com", Email: risk.Pending, SMS: risk.NotRun,
				FormSeconds: risk.Known(int64(1 + i%2)), BotScore: risk.Known(int64(78 + 5*i))},
			Payment:  risk.PaymentInstrument{Type: risk.Card, Funding: risk.Debit, IssuingCountry: "US", CVC: risk.Pass, Fingerprint: fmt.Sprintf("fp-bot-%02d", i)},
			Services: []string{"vm_compute", "gpu_compute"},
			Signals:  s,
		})
	}
	stolen := quiet()
	stolen.AccountsPerCard24h, stolen.DistinctCards24h, stolen.FailedPayments24h = risk.Known(3), risk.Known(4), risk.Known(2)
	out = append(out,
		onboarding.Applicant{
			ID: "card-stolen", Kind: risk.Individual, Country: "GB", Currency: "GBP",
			Signup: onboarding.Signup{At: day.Add(95 * time.Minute), IP: "192.0.2.77", IPCountry: "GB", DeviceID: "dev-5e9d",
				EmailDomain: "example.net", Email: risk.Verified, Phone: "+447700900123", SMS: risk.Verified,
				FormSeconds: risk.Known(31), BotScore: risk.Known(22)},
			Identity: onboarding.Check{Status: risk.NotRun},
			Credit:   onboarding.Check{Status: risk.NotRun},
			Payment:  risk.PaymentInstrument{Type: risk.Card, Funding: risk.Credit, IssuingCountry: "US", CVC: risk.Fail, Address: risk.Fail, Fingerprint: "fp-st-01"},
			Services: []string{"gpu_compute"},
			Signals:  stolen,
		},
		onboarding.Applicant{
			ID: "region-prepay", Kind: risk.Individual, Country: "NG", Currency: "USD",
			Signup: onboarding.Signup{At: day.Add(130 * time.Minute), IP: "192.0.2.120", IPCountry: "NG", DeviceID: "dev-c0de",
				EmailDomain: "example.org", Email: risk.Verified, Phone: "+2348031234567", SMS: risk.Verified,
				FormSeconds: risk.Known(96), BotScore: risk.Known(9)},
			Identity: verified,
			Payment:  risk.PaymentInstrument{Type: risk.Card, Funding: risk.Debit, IssuingCountry: "NG", CVC: risk.Pass, Address: risk.Pass, ThreeDS: risk.Pass, Fingerprint: "fp-rp-01"},
			Services: []string{"vm_compute", "gpu_compute"},
			Signals:  quiet(),
		},
		onboarding.Applicant{
			ID: "id-pending", Kind: risk.Individual, Country: "FR", Currency: "EUR",
			Signup: onboarding.Signup{At: day.Add(150 * time.Minute), IP: "192.0.2.150", IPCountry: "FR", DeviceID: "dev-f00d",
				EmailDomain: "example.fr", Email: risk.Verified, Phone: "+33612345678", SMS: risk.Verified,
				FormSeconds: risk.Known(88), BotScore: risk.Known(3)},
			Identity: onboarding.Check{Status: risk.Pending, Provider: "idv-example"},
			Credit:   onboarding.Check{Status: risk.Verified, Provider: "bureau-example", Band: "A"},
			Payment:  risk.PaymentInstrument{Type: risk.Card, Funding: risk.Credit, IssuingCountry: "FR", CVC: risk.Pass, Address: risk.Pass, Fingerprint: "fp-ip-01"},
			Services: []string{"vm_compute"},
			Signals:  quiet(),
		},
	)
	return out
}

// regions are where ordinary sign-ups come from, with their currency and a
// phone prefix, weighted by repetition.
var regions = []struct{ country, currency, phone string }{
	{"US", "USD", "+1415555"}, {"US", "USD", "+1212555"}, {"US", "USD", "+1312555"},
	{"CA", "USD", "+1416555"}, {"GB", "GBP", "+4477009"}, {"GB", "GBP", "+4477009"},
	{"DE", "EUR", "+4930555"}, {"FR", "EUR", "+3361234"}, {"NL", "EUR", "+3161234"},
}

// draw returns the n-th ordinary sign-up.
func draw(r *rand.Rand, n int, at time.Time) onboarding.Applicant {
	reg := regions[r.IntN(len(regions))]
	a := onboarding.Applicant{
		ID: fmt.Sprintf("app-%04d", n), Kind: risk.Individual, Country: reg.country, Currency: reg.currency,
		Signup: onboarding.Signup{At: at, IP: fmt.Sprintf("192.0.2.%d", 160+n), IPCountry: reg.country,
			DeviceID: fmt.Sprintf("dev-%04x", r.IntN(1<<16)), EmailDomain: "example.com", Email: risk.Verified,
			Phone: fmt.Sprintf("%s%04d", reg.phone, r.IntN(10000)), SMS: risk.Verified,
			FormSeconds: risk.Known(int64(20 + r.IntN(160))), BotScore: risk.Known(int64(r.IntN(30)))},
		Identity: onboarding.Check{Status: pick(r, []risk.Verification{risk.Verified, risk.Verified, risk.Verified, risk.Verified,
			risk.Verified, risk.Verified, risk.Verified, risk.Verified, risk.Pending, risk.NotRun}), Provider: "idv-example"},
		MFA:      r.IntN(10) < 6,
		Payment:  risk.PaymentInstrument{Type: risk.Card, Funding: pick(r, []risk.Funding{risk.Credit, risk.Credit, risk.Debit}), IssuingCountry: reg.country, CVC: risk.Pass, Address: risk.Pass, Fingerprint: fmt.Sprintf("fp-%04d", n)},
		Services: []string{"vm_compute"},
		Signals:  quiet(),
	}
	if a.Identity.Status == risk.NotRun {
		a.Identity.Provider = ""
	}
	bands := []string{"A", "B", "B", "C", "C", "D"}
	if r.IntN(10) < 3 {
		a.Kind = risk.Business
		a.Signup.EmailDomain = fmt.Sprintf("co%d.example", n)
		a.AdminAccess = r.IntN(10) < 6
		a.PersonalContact = r.IntN(10) < 4
		switch k := r.IntN(10); {
		case k < 7:
			a.Business = onboarding.Check{Status: risk.Verified, Provider: "registry-example", Band: bands[r.IntN(4)],
				Revenue: money(int64(200_000+r.IntN(5_000_000)), reg.currency), NetWorth: money(int64(50_000+r.IntN(2_000_000)), reg.currency)}
		case k < 8:
			a.Business = onboarding.Check{Status: risk.Pending, Provider: "registry-example"}
		}
		if r.IntN(4) == 0 {
			a.Payment = risk.PaymentInstrument{Type: risk.BankTransfer}
		}
	} else {
		a.AdminAccess = r.IntN(10) < 2
		switch k := r.IntN(10); {
		case k < 6:
			a.Credit = onboarding.Check{Status: risk.Verified, Provider: "bureau-example", Band: bands[r.IntN(len(bands))]}
		case k < 7:
			a.Credit = onboarding.Check{Status: risk.Pending, Provider: "bureau-example"}
		}
	}
	if r.IntN(4) == 0 {
		a.Services = append(a.Services, "gpu_compute")
	}
	if r.IntN(6) == 0 {
		a.Services = append(a.Services, "storage")
	}
	switch k := r.IntN(20); {
	case k == 0:
		a.Signup.SMS = risk.Pending
	case k == 1:
		a.Signup.EmailDomain = "yopmail.com"
	case k == 2 && a.Payment.Type == risk.Card:
		a.Payment.IssuingCountry = "GB"
		if a.Country == "GB" {
			a.Payment.IssuingCountry = "IE"
		}
	case k == 3:
		// A host that did not supply its velocity counters.
		a.Signals = risk.Signals{}
	}
	return a
}

func pick[T any](r *rand.Rand, from []T) T { return from[r.IntN(len(from))] }

// money returns whole units of a two-decimal currency.
func money(units int64, currency string) risk.Money {
	m, err := risk.NewMoney(units*100, currency)
	if err != nil {
		panic(err) // the currencies above are fixed and known
	}
	return m
}
