package main

import (
	"fmt"
	"math/rand/v2"
	"net/netip"
	"slices"
	"time"

	"github.com/riskkit/riskkit/abuse"
	"github.com/riskkit/riskkit/examples/internal/abusemeasure"
	"github.com/riskkit/riskkit/examples/internal/gendata"
	"github.com/riskkit/riskkit/risk"
)

// The seeds of the PCG source; every byte of the output follows from them.
const (
	seed1 = 0x68617264636173 // "hardcas"
	seed2 = 1105
)

// begin is the start of the first window: a Monday at midnight.
var begin = time.Date(2026, 10, 5, 0, 0, 0, 0, time.UTC)

// world collects one generation.
type world struct {
	r         *rand.Rand
	subs      int
	windows   []abuse.Telemetry
	labels    []abusemeasure.Label
	customers map[string]abuse.CustomerRecord
	state     abuse.State
}

// names are the files of the set.
var names = abusemeasure.Names{Telemetry: "abuse_hard.jsonl", Labels: "abuse_hard_labels.json",
	Customers: "abuse_hard_customers.json", State: "abuse_hard_state.json"}

func generate() ([]gendata.File, error) {
	w := &world{r: rand.New(rand.NewPCG(seed1, seed2)), customers: map[string]abuse.CustomerRecord{}}
	for _, c := range cases {
		w.subs++
		sub := fmt.Sprintf("hc-%02d", w.subs)
		cust := abuse.CustomerRecord{Customer: risk.Customer{ID: "cust-" + sub, Kind: risk.Business, CreatedAt: begin.AddDate(0, -6-w.r.IntN(30), 0)}}
		c.build(w, sub, &cust)
		w.customers[sub] = cust
	}
	return abusemeasure.Set{Windows: w.windows, Labels: w.labels, Customers: w.customers, State: w.state}.Encode(names)
}

// label records the truth about a subscription or resource.
func (w *world) label(sub, res, scenario, note string, cats ...abuse.Category) {
	if cats == nil {
		cats = []abuse.Category{}
	}
	w.labels = append(w.labels, abusemeasure.Label{Subscription: sub, Resource: res, Scenario: scenario, Categories: cats, Note: note})
}

// hourly adds n hourly windows of a resource (or, with res empty, of the
// subscription) from begin, filled by fill, with every source of its kind
// collected.
func (w *world) hourly(sub, res string, n int, fill func(h int, t *abuse.Telemetry)) {
	for h := range n {
		t := abuse.Telemetry{Subscription: sub, Resource: res,
			Window: abuse.Interval{Start: begin.Add(time.Duration(h) * time.Hour), End: begin.Add(time.Duration(h+1) * time.Hour)}}
		if res == "" {
			t.Collected = []abuse.Source{abuse.SourceSignIns, abuse.SourceActivity, abuse.SourceAccount}
		} else {
			t.Collected = []abuse.Source{abuse.SourceCPU, abuse.SourceGPU, abuse.SourceFlows, abuse.SourceDNS,
				abuse.SourceProcesses, abuse.SourceAuth, abuse.SourceHosted}
		}
		fill(h, &t)
		w.windows = append(w.windows, t)
	}
}

// history gives a resource a month of hourly history without mail.
func (w *world) history(sub, res string) *abuse.Baseline {
	w.state.Baselines = append(w.state.Baselines, abuse.Baseline{Subscription: sub, Resource: res, Windows: 720, Through: begin})
	return &w.state.Baselines[len(w.state.Baselines)-1]
}

// octets are first octets of public IPv4 space the remote addresses come
// from.
var octets = []byte{2, 5, 37, 46, 78, 89, 94, 109, 128, 176, 188, 195, 213, 217}

// remote returns a random public address.
func (w *world) remote() netip.Addr {
	return netip.AddrFrom4([4]byte{octets[w.r.IntN(len(octets))], byte(w.r.IntN(256)), byte(w.r.IntN(256)), byte(1 + w.r.IntN(254))})
}

// in returns a random instant of the window, in whole seconds, at least
// margin before its end.
func (w *world) in(t *abuse.Telemetry, margin time.Duration) time.Time {
	span := int((time.Hour - margin) / time.Second)
	return t.Window.Start.Add(time.Duration(w.r.IntN(max(span, 1))) * time.Second)
}

// jitter returns x varied by up to frac either way.
func (w *world) jitter(x float64, frac float64) float64 { return x * (1 + frac*(2*w.r.Float64()-1)) }

// samples adds a utilisation reading a minute around mean.
func (w *world) samples(s *[]abuse.Sample, t *abuse.Telemetry, mean, spread float64) {
	for m := range 60 {
		*s = append(*s, abuse.Sample{Time: t.Window.Start.Add(time.Duration(m) * time.Minute), Percent: min(100, max(0, w.jitter(mean, spread/mean)))})
	}
}

// browse adds the ordinary traffic of a server: some clients in, some
// calls out, a few lookups.
func (w *world) browse(t *abuse.Telemetry, clients int) {
	for range clients {
		p := 20 + w.r.Int64N(300)
		t.Flows = append(t.Flows, abuse.Flow{Time: w.in(t, time.Minute), Seconds: 1 + w.r.Int64N(20), Direction: abuse.Inbound, Remote: w.remote(),
			Port: 443, Protocol: abuse.TCP, Packets: p, Bytes: p * 900, Flows: 1})
	}
	for range 3 {
		p := 10 + w.r.Int64N(80)
		t.Flows = append(t.Flows, abuse.Flow{Time: w.in(t, time.Minute), Seconds: 1 + w.r.Int64N(5), Direction: abuse.Outbound, Remote: w.remote(),
			Port: 443, Protocol: abuse.TCP, Packets: p, Bytes: p * 700, Flows: 1})
	}
	t.DNS = append(t.DNS, abuse.DNSQuery{Time: w.in(t, 0), Name: "api.segment.io", Count: 4}, abuse.DNSQuery{Time: w.in(t, 0), Name: "sentry.io", Count: 2})
}

// account returns the account of a customer in good standing.
func (w *world) account(sub string, c *abuse.CustomerRecord, country string) abuse.AccountFacts {
	return abuse.AccountFacts{
		Tenant: "t-" + sub, CreatedAt: c.CreatedAt, FirstPaymentAt: c.CreatedAt.Add(48 * time.Hour), PaymentsChecked: true,
		CreditLimit:           risk.MustMoney(fmt.Sprintf("%d.00 EUR", 2000+1000*w.r.IntN(5))),
		Unbilled:              risk.MustMoney(fmt.Sprintf("%d.%02d EUR", 100+w.r.IntN(900), w.r.IntN(100))),
		AccountsSharingDevice: risk.Known(0), AccountsSharingCard: risk.Known(0), AccountsSharingAddress: risk.Known(0),
		BillingCountry: country, IPCountry: country, PhoneCountry: country, CardCountry: country,
		Profile: abuse.Profile{Kind: risk.Business, Seats: int64(5 + w.r.IntN(30)), Countries: []string{country}},
	}
}

// subscription adds six hourly subscription-wide windows with the account
// and a few sign-ins of the customer's own staff, which change may adjust.
func (w *world) subscription(sub string, c *abuse.CustomerRecord, scenario, note string, change func(h int, t *abuse.Telemetry), cats ...abuse.Category) {
	country := []string{"DE", "FR", "NL", "SE", "IE", "US", "GB"}[w.r.IntN(7)]
	a := w.account(sub, c, country)
	w.hourly(sub, "", 6, func(h int, t *abuse.Telemetry) {
		acct := a
		acct.Profile.Countries = slices.Clone(a.Profile.Countries)
		t.Account = &acct
		for i := range 1 + w.r.IntN(3) {
			t.SignIns = append(t.SignIns, abuse.SignIn{Time: w.in(t, 0), User: fmt.Sprintf("staff%d@%s", i, sub), Tenant: a.Tenant, Country: country})
		}
		if change != nil {
			change(h, t)
		}
	})
	w.label(sub, "", scenario, note, cats...)
}

// standing adds a subscription in good standing.
func (w *world) standing(sub string, c *abuse.CustomerRecord) {
	w.subscription(sub, c, "good-standing", "an account in good standing", nil)
}
