package main

import (
	"fmt"
	"math/rand/v2"
	"net/netip"
	"time"

	"github.com/riskkit/riskkit/abuse"
	"github.com/riskkit/riskkit/examples/internal/abusemeasure"
	"github.com/riskkit/riskkit/examples/internal/gendata"
	"github.com/riskkit/riskkit/risk"
)

// seed1 and seed2 seed the PCG source; every byte of the output follows
// from them.
const (
	seed1 = 0x74656c656d657472 // "telemetr"
	seed2 = 2026
)

// hours is the number of hourly windows per resource.
const hours = 3

// start is the start of the first window.
var start = time.Date(2026, 11, 16, 8, 0, 0, 0, time.UTC)

// Label says what is truly going on in one subscription or resource.
type Label = abusemeasure.Label

// gen collects the output of one generation.
type gen struct {
	r         *rand.Rand
	subs      int
	miners    int // miner scenarios built so far
	windows   []abuse.Telemetry
	labels    []Label
	customers map[string]abuse.CustomerRecord // by subscription
	// baselines are the histories the host had built before the first
	// window, by subscription and resource.
	baselines map[[2]string]*abuse.Baseline
}

// generate returns the four files, deterministically.
func generate() ([]gendata.File, error) {
	g := &gen{r: rand.New(rand.NewPCG(seed1, seed2)), baselines: map[[2]string]*abuse.Baseline{}, customers: map[string]abuse.CustomerRecord{}}
	for _, s := range scenarios {
		for range s.count {
			g.subs++
			sub := fmt.Sprintf("sub-%03d", g.subs)
			c := abuse.CustomerRecord{Customer: risk.Customer{ID: fmt.Sprintf("cust-%03d", g.subs), Kind: "business", CreatedAt: start.Add(-time.Duration(400+g.r.IntN(900)) * 24 * time.Hour)}}
			s.build(g, sub, &c)
			g.customers[sub] = c
		}
	}
	var state abuse.State
	for _, b := range g.baselines {
		state.Baselines = append(state.Baselines, *b)
	}
	return abusemeasure.Set{Windows: g.windows, Labels: g.labels, Customers: g.customers, State: state}.Encode(names)
}

// names are the files of the sample.
var names = abusemeasure.Names{Telemetry: "telemetry.jsonl", Labels: "telemetry_labels.json",
	Customers: "telemetry_customers.json", State: "telemetry_state.json"}

// label records the truth about a subscription or resource.
func (g *gen) label(sub, res, scenario, note string, cats ...abuse.Category) {
	if cats == nil {
		cats = []abuse.Category{}
	}
	g.labels = append(g.labels, Label{Subscription: sub, Resource: res, Scenario: scenario, Categories: cats, Note: note})
}

// resourceSources are what an agent-equipped VM reports.
func resourceSources() []abuse.Source {
	return []abuse.Source{abuse.SourceCPU, abuse.SourceGPU, abuse.SourceFlows, abuse.SourceDNS, abuse.SourceProcesses,
		abuse.SourceAuth, abuse.SourceHosted}
}

// subscriptionSources are the subscription-wide facts.
func subscriptionSources() []abuse.Source {
	return []abuse.Source{abuse.SourceSignIns, abuse.SourceActivity, abuse.SourceAccount}
}

// historyWindows is how many hourly windows of history a resource that
// existed before the sample has: 30 days.
const historyWindows = 30 * 24

// baseline returns the history of a resource, creating the history of a
// resource that has run for a month without sending mail.
func (g *gen) baseline(sub, res string) *abuse.Baseline {
	k := [2]string{sub, res}
	if b, ok := g.baselines[k]; ok {
		return b
	}
	b := &abuse.Baseline{Subscription: sub, Resource: res, Windows: historyWindows, Through: start}
	g.baselines[k] = b
	return b
}

// fresh marks a resource as created at the start of the sample, with no
// history.
func (g *gen) fresh(sub, res string) { delete(g.baselines, [2]string{sub, res}) }

// mailHistory gives a resource the history of a mail server sending flows
// to recipients servers an hour.
func (g *gen) mailHistory(sub, res string, flows, recipients float64) {
	b := g.baseline(sub, res)
	b.SMTPWindows, b.SMTPFlows, b.SMTPRecipients = historyWindows, flows, recipients
}

// each calls fill for every hourly window of one resource (res != "") or of
// the subscription (res == ""), and keeps the windows.
func (g *gen) each(sub, res string, fill func(h int, t *abuse.Telemetry)) {
	for h := range hours {
		t := abuse.Telemetry{Subscription: sub, Resource: res,
			Window: abuse.Interval{Start: start.Add(time.Duration(h) * time.Hour), End: start.Add(time.Duration(h+1) * time.Hour)}}
		if res == "" {
			t.Collected = subscriptionSources()
		} else {
			t.Collected = resourceSources()
		}
		if res != "" {
			g.baseline(sub, res)
		}
		fill(h, &t)
		g.windows = append(g.windows, t)
	}
}

// at returns a random instant in the window, whole seconds.
func (g *gen) at(t *abuse.Telemetry) time.Time {
	return t.Window.Start.Add(time.Duration(g.r.IntN(3600)) * time.Second)
}

// publicBlocks are first octets of public IPv4 space the generator draws
// remote addresses from.
var publicBlocks = []byte{23, 31, 45, 51, 62, 77, 81, 91, 104, 145, 151, 185, 193, 212}

// pub returns a random public address.
func (g *gen) pub() netip.Addr {
	return netip.AddrFrom4([4]byte{publicBlocks[g.r.IntN(len(publicBlocks))], byte(g.r.IntN(256)), byte(g.r.IntN(256)), byte(1 + g.r.IntN(254))})
}

// flow returns a flow record of modest size.
func (g *gen) flow(t *abuse.Telemetry, dir abuse.Direction, remote netip.Addr, port uint16) abuse.Flow {
	packets := 5 + g.r.Int64N(400)
	return abuse.Flow{Time: g.at(t), Seconds: 1 + g.r.Int64N(30), Direction: dir, Remote: remote, Port: port, Protocol: abuse.TCP,
		Packets: packets, Bytes: packets * (200 + g.r.Int64N(1200)), Flows: 1 + g.r.Int64N(4)}
}

// web adds a web server's traffic: clients connecting in, calls out to a
// few APIs, and the lookups that go with them.
func (g *gen) web(t *abuse.Telemetry, clients int) {
	for range clients {
		t.Flows = append(t.Flows, g.flow(t, abuse.Inbound, g.pub(), 443))
	}
	apis := []string{"api.stripe.com", "api.github.com", "login.microsoftonline.com", "s3.amazonaws.com", "fonts.googleapis.com"}
	for i := range 4 + g.r.IntN(4) {
		t.Flows = append(t.Flows, g.flow(t, abuse.Outbound, g.pub(), 443))
		t.DNS = append(t.DNS, abuse.DNSQuery{Time: g.at(t), Name: apis[i%len(apis)], Count: 1 + g.r.Int64N(20)})
	}
	t.Processes = append(t.Processes, abuse.Process{Time: t.Window.Start, Name: "nginx"}, abuse.Process{Time: t.Window.Start, Name: "node"})
}

// use adds utilisation samples every two minutes around mean.
func (g *gen) use(s *[]abuse.Sample, t *abuse.Telemetry, mean, jitter float64) {
	for m := 0; m < 60; m += 2 {
		v := mean + jitter*(2*g.r.Float64()-1)
		*s = append(*s, abuse.Sample{Time: t.Window.Start.Add(time.Duration(m) * time.Minute), Percent: min(100, max(0, v))})
	}
}
