package main

import (
	"fmt"
	"net/netip"
	"strings"
	"time"

	"github.com/riskkit/riskkit/abuse"
	"github.com/riskkit/riskkit/risk"
)

// scenario is one kind of tenant; build generates one subscription of it.
type scenario struct {
	name  string
	count int
	build func(g *gen, sub string, c *abuse.CustomerRecord)
}

// scenarios run in this order; adding one at the end leaves the others'
// data unchanged only up to the random draws they share, so append new ones
// and regenerate.
var scenarios = []scenario{
	{"web", 8, web},
	{"training", 2, training},
	{"render", 1, render},
	{"game", 1, game},
	{"mail-relay", 1, mailRelay},
	{"monitoring", 1, monitoring},
	{"backup", 1, backup},
	{"internal-scan", 1, internalScan},
	{"cdn-client", 1, cdnClient},
	{"multinational", 1, multinational},
	{"startup-gpu", 1, startupGPU},
	{"traveller", 1, traveller},
	{"pentest", 1, pentest},
	{"newsletter", 1, newsletter},
	{"miner", 2, miner},
	{"miner-stealth", 1, minerStealth},
	{"miner-no-agent", 1, minerNoAgent},
	{"miner-blind", 1, minerBlind},
	{"flood", 2, flood},
	{"syn-flood", 1, synFlood},
	{"flood-coarse", 1, floodCoarse},
	{"port-scanner", 1, portScanner},
	{"sweeper", 1, sweeper},
	{"brute-forcer", 1, bruteForcer},
	{"attacked", 1, attacked},
	{"spammer", 1, spammer},
	{"spam-spike", 1, spamSpike},
	{"malware-host", 1, malwareHost},
	{"c2-beacon", 1, c2Beacon},
	{"dga-bot", 1, dgaBot},
	{"reseller", 1, reseller},
	{"reseller-profile", 1, resellerProfile},
	{"exposure", 1, exposure},
	{"account-farm", 1, accountFarm},
	{"gpu-burst", 1, gpuBurst},
	{"country-mismatch", 1, countryMismatch},
	{"quiet-fraud", 1, quietFraud},
}

// ---- subscription-wide facts

// account returns the account facts of a customer in good standing.
func (g *gen) account(sub string, c *abuse.CustomerRecord) abuse.AccountFacts {
	country := []string{"DE", "US", "GB", "FR", "NL"}[g.r.IntN(5)]
	return abuse.AccountFacts{
		Tenant:         "tn-" + sub,
		CreatedAt:      c.CreatedAt,
		FirstPaymentAt: c.CreatedAt.Add(72 * time.Hour), PaymentsChecked: true,
		Prepaid:        risk.MustMoney("0.00 USD"),
		CreditLimit:    risk.MustMoney(fmt.Sprintf("%d.00 USD", 1000+500*g.r.IntN(8))),
		Unbilled:       risk.MustMoney(fmt.Sprintf("%d.%02d USD", 50+g.r.IntN(600), g.r.IntN(100))),
		BillingCountry: country, IPCountry: country, PhoneCountry: country, CardCountry: country,
		AccountsSharingDevice: risk.Known(0), AccountsSharingCard: risk.Known(0), AccountsSharingAddress: risk.Known(0),
		Profile: abuse.Profile{Kind: risk.Business, Seats: int64(5 + g.r.IntN(20))},
	}
}

// subscription writes the subscription-wide windows: a few sign-ins by
// the customer's own users from the billing country, and the account,
// which change may adjust.
func (g *gen) subscription(sub string, c *abuse.CustomerRecord, label string, change func(h int, t *abuse.Telemetry), cats ...abuse.Category) {
	a := g.account(sub, c)
	users := 2 + g.r.IntN(4)
	g.each(sub, "", func(h int, t *abuse.Telemetry) {
		acct := a
		acct.Profile.Countries = nil
		t.Account = &acct
		for range 1 + g.r.IntN(users) {
			t.SignIns = append(t.SignIns, abuse.SignIn{Time: g.at(t), User: fmt.Sprintf("user%d@%s", g.r.IntN(users), sub),
				Tenant: a.Tenant, Country: a.BillingCountry})
		}
		if change != nil {
			change(h, t)
		}
	})
	g.label(sub, "", label, "subscription-wide facts", cats...)
}

// clean writes a clean subscription-wide record.
func (g *gen) clean(sub string, c *abuse.CustomerRecord) {
	g.subscription(sub, c, "account-in-good-standing", nil)
}

// ---- clean tenants

func web(g *gen, sub string, c *abuse.CustomerRecord) {
	c.Trusted = g.r.IntN(3) == 0
	g.each(sub, "vm-web", func(h int, t *abuse.Telemetry) {
		g.web(t, 30+g.r.IntN(40))
		g.use(&t.CPU, t, 25+float64(g.r.IntN(35)), 15)
	})
	g.label(sub, "vm-web", "web", "a web server: clients in, API calls out")
	g.clean(sub, c)
}

func training(g *gen, sub string, c *abuse.CustomerRecord) {
	g.each(sub, "vm-train", func(h int, t *abuse.Telemetry) {
		g.use(&t.GPU, t, 98, 1.5)
		g.use(&t.CPU, t, 92, 3)
		t.Processes = append(t.Processes, abuse.Process{Time: t.Window.Start, Name: "python3", CommandLine: "python3 train.py --epochs 40"})
		for _, n := range []string{"pypi.org", "files.pythonhosted.org", "huggingface.co", "cdn-lfs.huggingface.co"} {
			t.DNS = append(t.DNS, abuse.DNSQuery{Time: g.at(t), Name: n, Count: 1 + g.r.Int64N(5)})
		}
		for range 6 {
			t.Flows = append(t.Flows, g.flow(t, abuse.Outbound, g.pub(), 443))
		}
	})
	g.label(sub, "vm-train", "training", "model training: GPU and CPU near-full and steady for hours, and no miner")
	g.clean(sub, c)
}

func render(g *gen, sub string, c *abuse.CustomerRecord) {
	lic := g.pub()
	g.each(sub, "vm-render", func(h int, t *abuse.Telemetry) {
		g.use(&t.CPU, t, 97, 1)
		g.use(&t.GPU, t, 96, 2)
		t.Processes = append(t.Processes, abuse.Process{Time: t.Window.Start, Name: "blender", CommandLine: "blender -b scene.blend -a"})
		t.DNS = append(t.DNS, abuse.DNSQuery{Time: g.at(t), Name: "licence.renderfarm.example", Count: 12})
		for range 4 {
			t.Flows = append(t.Flows, g.flow(t, abuse.Outbound, lic, 3333))
		}
	})
	g.label(sub, "vm-render", "render", "a render farm whose licence server listens on 3333, a pool port, with CPU and GPU busy: two weak indicators, no miner")
	g.clean(sub, c)
}

func game(g *gen, sub string, c *abuse.CustomerRecord) {
	g.each(sub, "vm-game", func(h int, t *abuse.Telemetry) {
		for range 40 {
			f := g.flow(t, abuse.Inbound, g.pub(), 7777)
			f.Protocol = abuse.UDP
			t.Flows = append(t.Flows, f)
		}
		for range 5 {
			t.Flows = append(t.Flows, g.flow(t, abuse.Outbound, g.pub(), 7777))
		}
		g.use(&t.CPU, t, 70, 10)
		t.Processes = append(t.Processes, abuse.Process{Time: t.Window.Start, Name: "gameserver"})
		t.DNS = append(t.DNS, abuse.DNSQuery{Time: g.at(t), Name: "matchmaking.game.example", Count: 30})
	})
	g.label(sub, "vm-game", "game", "a game server on 7777, a pool port, in and out")
	g.clean(sub, c)
}

// smtp adds n outbound SMTP flows spread over servers mail servers.
func (g *gen) smtp(t *abuse.Telemetry, n, servers int) {
	addrs := make([]netip.Addr, servers)
	for i := range addrs {
		addrs[i] = g.pub()
	}
	for i := range n {
		t.Flows = append(t.Flows, g.flow(t, abuse.Outbound, addrs[i%servers], 25))
	}
}

func mailRelay(g *gen, sub string, c *abuse.CustomerRecord) {
	c.Trusted = true
	g.each(sub, "vm-mail", func(h int, t *abuse.Telemetry) {
		g.smtp(t, 40+g.r.IntN(20), 8+g.r.IntN(5))
		g.use(&t.CPU, t, 15, 5)
		t.Processes = append(t.Processes, abuse.Process{Time: t.Window.Start, Name: "postfix"})
	})
	g.mailHistory(sub, "vm-mail", 50, 10)
	g.label(sub, "vm-mail", "mail-relay", "a company mail relay with a long SMTP history (see the state file)")
	g.clean(sub, c)
}

func monitoring(g *gen, sub string, c *abuse.CustomerRecord) {
	targets := make([]netip.Addr, 40)
	for i := range targets {
		targets[i] = g.pub()
	}
	g.each(sub, "vm-probe", func(h int, t *abuse.Telemetry) {
		for i, a := range targets {
			f := g.flow(t, abuse.Outbound, a, 443)
			f.Flows = 60
			if i%13 == 0 {
				f.Failed = 1
			}
			t.Flows = append(t.Flows, f)
		}
		g.use(&t.CPU, t, 10, 5)
	})
	g.label(sub, "vm-probe", "monitoring", "an uptime monitor connecting to 40 hosts every minute, a few failing")
	g.clean(sub, c)
}

func backup(g *gen, sub string, c *abuse.CustomerRecord) {
	target := netip.MustParseAddr("10.0.5.20")
	g.each(sub, "vm-backup", func(h int, t *abuse.Telemetry) {
		at := t.Window.Start.Add(time.Duration(10+g.r.IntN(20)) * time.Minute)
		for i := range 60 {
			t.Flows = append(t.Flows, abuse.Flow{Time: at.Add(time.Duration(i) * time.Second), Seconds: 1, Direction: abuse.Outbound,
				Remote: target, Port: 873, Protocol: abuse.TCP, Packets: 90000, Bytes: 130_000_000, Flows: 2})
		}
		g.use(&t.CPU, t, 35, 10)
	})
	g.label(sub, "vm-backup", "backup", "nightly backup at 1 Gbit/s to a private address: not denial of service")
	g.clean(sub, c)
}

func internalScan(g *gen, sub string, c *abuse.CustomerRecord) {
	g.each(sub, "vm-secscan", func(h int, t *abuse.Telemetry) {
		at := t.Window.Start.Add(5 * time.Minute)
		for host := range 20 {
			for port := range 30 {
				t.Flows = append(t.Flows, abuse.Flow{Time: at.Add(time.Duration(host*30+port) * 200 * time.Millisecond), Direction: abuse.Outbound,
					Remote: netip.AddrFrom4([4]byte{10, 0, 1, byte(1 + host)}), Port: uint16(20 + port*3), Protocol: abuse.TCP, Packets: 1, Bytes: 60, Flows: 1, Failed: 1})
			}
		}
	})
	g.label(sub, "vm-secscan", "internal-scan", "a vulnerability scanner sweeping the customer's own private network")
	g.clean(sub, c)
}

func cdnClient(g *gen, sub string, c *abuse.CustomerRecord) {
	g.each(sub, "vm-app", func(h int, t *abuse.Telemetry) {
		g.web(t, 20)
		for range 25 {
			t.DNS = append(t.DNS, abuse.DNSQuery{Time: g.at(t), Name: g.hexName(14) + ".cloudfront.net"})
			t.DNS = append(t.DNS, abuse.DNSQuery{Time: g.at(t), Name: "e" + g.hexName(10) + ".a.akamaiedge.net"})
		}
		for _, n := range []string{"googleusercontent.com", "storage.googleapis.com", "microsoftonline.com", "stackoverflow.com"} {
			t.DNS = append(t.DNS, abuse.DNSQuery{Time: g.at(t), Name: n})
		}
	})
	g.label(sub, "vm-app", "cdn-client", "an app fetching from content-delivery networks: hashed names in subdomains")
	g.clean(sub, c)
}

func (g *gen) hexName(n int) string {
	var b strings.Builder
	for range n {
		b.WriteByte("0123456789abcdef"[g.r.IntN(16)])
	}
	return b.String()
}

// letters returns a random name of n lower-case letters and, with digits,
// some digits: the shape of a generated domain.
func (g *gen) letters(n int, digits bool) string {
	var b strings.Builder
	for range n {
		if digits && g.r.IntN(4) == 0 {
			b.WriteByte(byte('0' + g.r.IntN(10)))
		} else {
			b.WriteByte(byte('a' + g.r.IntN(26)))
		}
	}
	return b.String()
}

func multinational(g *gen, sub string, c *abuse.CustomerRecord) {
	countries := []string{"DE", "US", "GB", "IN", "BR", "JP"}
	g.each(sub, "vm-web", func(h int, t *abuse.Telemetry) { g.web(t, 30) })
	g.label(sub, "vm-web", "web", "a web server")
	g.subscription(sub, c, "multinational", func(h int, t *abuse.Telemetry) {
		t.Account.Profile = abuse.Profile{Kind: risk.Business, Seats: 60, Countries: countries}
		t.SignIns = nil
		for i := range 25 {
			tenant := t.Account.Tenant
			if i%5 == 0 {
				tenant = "tn-partner-agency"
			}
			t.SignIns = append(t.SignIns, abuse.SignIn{Time: g.at(t), User: fmt.Sprintf("staff%d", i), Tenant: tenant, Country: countries[i%len(countries)]})
		}
	})
}

func startupGPU(g *gen, sub string, c *abuse.CustomerRecord) {
	c.CreatedAt = start.Add(-2 * 24 * time.Hour)
	g.each(sub, "vm-train", func(h int, t *abuse.Telemetry) {
		g.use(&t.GPU, t, 95, 4)
		t.Processes = append(t.Processes, abuse.Process{Time: t.Window.Start, Name: "python3"})
	})
	g.label(sub, "vm-train", "startup-gpu", "a new start-up training on two GPUs")
	g.subscription(sub, c, "startup-gpu", func(h int, t *abuse.Telemetry) {
		t.Account.CreatedAt = c.CreatedAt
		t.Account.FirstPaymentAt = c.CreatedAt.Add(time.Hour)
		t.Account.Prepaid = risk.MustMoney("2000.00 USD")
		t.Account.Profile.GPU = true
		if h == 0 {
			t.Activity = append(t.Activity, abuse.ActivityEvent{Time: g.at(t), Kind: abuse.Deployment, SKU: "gpu-1x-a10", Count: 2, GPUs: 1})
		}
	})
}

func traveller(g *gen, sub string, c *abuse.CustomerRecord) {
	g.each(sub, "vm-web", func(h int, t *abuse.Telemetry) { g.web(t, 20) })
	g.label(sub, "vm-web", "web", "a web server")
	g.subscription(sub, c, "traveller", func(h int, t *abuse.Telemetry) {
		t.Account.IPCountry = "ES"
	}) // clean: a founder who signed up from a holiday
}

func pentest(g *gen, sub string, c *abuse.CustomerRecord) {
	c.Trusted = true
	own := []netip.Addr{netip.MustParseAddr("198.51.100.10"), netip.MustParseAddr("198.51.100.11")}
	g.each(sub, "vm-pentest", func(h int, t *abuse.Telemetry) {
		if h != 1 {
			return
		}
		at := t.Window.Start.Add(20 * time.Minute)
		for i, host := range own {
			for p := range 40 {
				t.Flows = append(t.Flows, abuse.Flow{Time: at.Add(time.Duration(i*40+p) * time.Second), Direction: abuse.Outbound,
					Remote: host, Port: uint16(1 + p*37), Protocol: abuse.TCP, Packets: 2, Bytes: 120, Flows: 1, Failed: 1})
			}
		}
	})
	g.label(sub, "vm-pentest", "pentest", "an authorised penetration test of the customer's own public hosts elsewhere; no detector can know it was authorised")
	g.clean(sub, c)
}

func newsletter(g *gen, sub string, c *abuse.CustomerRecord) {
	g.each(sub, "vm-web", func(h int, t *abuse.Telemetry) {
		g.web(t, 25)
		if h == 2 {
			g.smtp(t, 6, 3)
		}
	})
	g.label(sub, "vm-web", "newsletter", "a web shop sending its first order confirmations directly over SMTP: legitimate, but new SMTP is what spam looks like")
	g.clean(sub, c)
}

// ---- crypto mining

var poolDomains = []string{"pool.supportxmr.com", "gulf.moneroocean.stream", "xmr-eu1.nanopool.org", "pool.hashvault.pro", "rx.unmineable.com"}

func (g *gen) pool() (string, netip.Addr, uint16) {
	return poolDomains[g.r.IntN(len(poolDomains))], g.pub(), []uint16{3333, 4444, 5555, 14444, 10128}[g.r.IntN(5)]
}

func miner(g *gen, sub string, c *abuse.CustomerRecord) {
	g.miners++
	c.Trusted = g.miners == 2 // a trusted customer whose VM was compromised
	domain, addr, port := g.pool()
	g.each(sub, "vm-gpu", func(h int, t *abuse.Telemetry) {
		t.Processes = append(t.Processes, abuse.Process{Time: t.Window.Start.Add(time.Minute), Name: "/tmp/.x/xmrig",
			CommandLine: fmt.Sprintf("xmrig -o stratum+tcp://%s:%d -u 4AdUndXHHZ6cfufTMvppY6JwXNouMBzSkbLYfpAV5Usx3skxNgYeYTRj5UzqtReoS44qo9mtmXCqY45DJ852K5Jv2684Rge --cuda", domain, port)})
		t.DNS = append(t.DNS, abuse.DNSQuery{Time: t.Window.Start.Add(time.Minute), Name: domain, Count: 4})
		for range 6 {
			t.Flows = append(t.Flows, g.flow(t, abuse.Outbound, addr, port))
		}
		g.use(&t.GPU, t, 99, 0.8)
		g.use(&t.CPU, t, 35, 5)
	})
	g.label(sub, "vm-gpu", "miner", "xmrig on a GPU VM: process, stratum URL, pool domain and port, GPU pegged", abuse.CryptoMining)
	g.clean(sub, c)
}

func minerStealth(g *gen, sub string, c *abuse.CustomerRecord) {
	domain, addr, port := g.pool()
	g.each(sub, "vm-api", func(h int, t *abuse.Telemetry) {
		g.web(t, 20)
		t.Processes = append(t.Processes, abuse.Process{Time: t.Window.Start.Add(time.Minute), Name: "kworker-u8",
			CommandLine: fmt.Sprintf("-o stratum+ssl://%s:%d --cpu-priority 0 --donate-level 0", domain, port)})
		t.DNS = append(t.DNS, abuse.DNSQuery{Time: t.Window.Start.Add(time.Minute), Name: domain})
		t.Flows = append(t.Flows, g.flow(t, abuse.Outbound, addr, port))
		g.use(&t.CPU, t, 96, 1.5)
	})
	g.label(sub, "vm-api", "miner-stealth", "a miner renamed to look like a kernel thread, found by its stratum URL", abuse.CryptoMining)
	g.clean(sub, c)
}

func minerNoAgent(g *gen, sub string, c *abuse.CustomerRecord) {
	domain, addr, port := g.pool()
	g.each(sub, "vm-batch", func(h int, t *abuse.Telemetry) {
		t.Collected = []abuse.Source{abuse.SourceCPU, abuse.SourceFlows, abuse.SourceDNS}
		t.DNS = append(t.DNS, abuse.DNSQuery{Time: t.Window.Start.Add(time.Minute), Name: domain, Count: 2})
		for range 3 {
			t.Flows = append(t.Flows, g.flow(t, abuse.Outbound, addr, port))
		}
		g.use(&t.CPU, t, 98, 1)
	})
	g.label(sub, "vm-batch", "miner-no-agent", "a miner on a VM without the host's agent: pool domain, pool port and busy CPU still show", abuse.CryptoMining)
	g.clean(sub, c)
}

func minerBlind(g *gen, sub string, c *abuse.CustomerRecord) {
	_, addr, port := g.pool()
	g.each(sub, "vm-batch", func(h int, t *abuse.Telemetry) {
		t.Collected = []abuse.Source{abuse.SourceCPU, abuse.SourceFlows}
		for range 3 {
			t.Flows = append(t.Flows, g.flow(t, abuse.Outbound, addr, port))
		}
		g.use(&t.CPU, t, 98, 1)
	})
	g.label(sub, "vm-batch", "miner-blind", "a miner seen only through flows and CPU: pool port and busy CPU are not enough, by design", abuse.CryptoMining)
	g.clean(sub, c)
}

// ---- denial of service

func (g *gen) burst(t *abuse.Telemetry, at time.Time, secs int, to netip.Addr, port uint16, proto abuse.Protocol, pps, bps, fps int64) {
	for i := range secs {
		t.Flows = append(t.Flows, abuse.Flow{Time: at.Add(time.Duration(i) * time.Second), Seconds: 1, Direction: abuse.Outbound, Remote: to, Port: port,
			Protocol: proto, Packets: pps + g.r.Int64N(pps/10+1), Bytes: bps + g.r.Int64N(bps/10+1), Flows: fps})
	}
}

func flood(g *gen, sub string, c *abuse.CustomerRecord) {
	target := g.pub()
	g.each(sub, "vm-web", func(h int, t *abuse.Telemetry) {
		g.web(t, 20)
		if h >= 1 {
			g.burst(t, t.Window.Start.Add(time.Duration(5+g.r.IntN(40))*time.Minute), 40, target, 53, abuse.UDP, 45000, 30_000_000, 0)
		}
	})
	g.label(sub, "vm-web", "flood", "a compromised web server sending a UDP flood at 45,000 packets/s", abuse.DenialOfService)
	g.clean(sub, c)
}

func synFlood(g *gen, sub string, c *abuse.CustomerRecord) {
	target := g.pub()
	g.each(sub, "vm-web", func(h int, t *abuse.Telemetry) {
		g.web(t, 20)
		if h == 2 {
			g.burst(t, t.Window.Start.Add(30*time.Minute), 20, target, 443, abuse.TCP, 5000, 300_000, 5000)
		}
	})
	g.label(sub, "vm-web", "syn-flood", "a connection flood at 5,000 new flows/s", abuse.DenialOfService)
	g.clean(sub, c)
}

func floodCoarse(g *gen, sub string, c *abuse.CustomerRecord) {
	target := g.pub()
	g.each(sub, "vm-web", func(h int, t *abuse.Telemetry) {
		g.web(t, 20)
		if h == 1 {
			at := t.Window.Start.Add(10 * time.Minute)
			for i := range 5 {
				// Bursts of 60,000 packets/s for 10 s in every minute,
				// summarised per minute: 10,000 packets/s on average.
				t.Flows = append(t.Flows, abuse.Flow{Time: at.Add(time.Duration(i) * time.Minute), Seconds: 60, Direction: abuse.Outbound,
					Remote: target, Port: 123, Protocol: abuse.UDP, Packets: 600_000, Bytes: 280_000_000})
			}
		}
	})
	g.label(sub, "vm-web", "flood-coarse", "short bursts of 60,000 packets/s hidden in minute-long flow records", abuse.DenialOfService)
	g.clean(sub, c)
}

// ---- hacking

func portScanner(g *gen, sub string, c *abuse.CustomerRecord) {
	g.each(sub, "vm-tools", func(h int, t *abuse.Telemetry) {
		g.web(t, 5)
		if h == 0 {
			return
		}
		for range 3 {
			host, at := g.pub(), t.Window.Start.Add(time.Duration(g.r.IntN(45*60))*time.Second)
			for p := range 25 + g.r.IntN(40) {
				t.Flows = append(t.Flows, abuse.Flow{Time: at.Add(time.Duration(p) * 2 * time.Second), Direction: abuse.Outbound, Remote: host,
					Port: uint16(1 + g.r.IntN(10000)), Protocol: abuse.TCP, Packets: 1, Bytes: 60, Flows: 1, Failed: 1})
			}
		}
	})
	g.label(sub, "vm-tools", "port-scanner", "scanning the ports of other people's hosts", abuse.Hacking)
	g.clean(sub, c)
}

func sweeper(g *gen, sub string, c *abuse.CustomerRecord) {
	g.each(sub, "vm-tools", func(h int, t *abuse.Telemetry) {
		at := t.Window.Start.Add(time.Duration(g.r.IntN(50)) * time.Minute)
		for i := range 80 {
			f := abuse.Flow{Time: at.Add(time.Duration(i) * 2 * time.Second), Direction: abuse.Outbound, Remote: g.pub(), Port: 22,
				Protocol: abuse.TCP, Packets: 2, Bytes: 120, Flows: 1, Failed: 1}
			if i%9 == 0 {
				f.Failed = 0 // a few answer
			}
			t.Flows = append(t.Flows, f)
		}
	})
	g.label(sub, "vm-tools", "sweeper", "sweeping the internet for open SSH", abuse.Hacking)
	g.clean(sub, c)
}

func bruteForcer(g *gen, sub string, c *abuse.CustomerRecord) {
	targets := []netip.Addr{g.pub(), g.pub(), g.pub()}
	g.each(sub, "vm-tools", func(h int, t *abuse.Telemetry) {
		g.web(t, 5)
		for i := range 30 {
			t.AuthFailures = append(t.AuthFailures, abuse.AuthFailure{Time: t.Window.Start.Add(time.Duration(i) * 40 * time.Second), Direction: abuse.Outbound,
				Remote: targets[i%3], Port: 22, Service: "ssh", User: "root", Count: 2 + g.r.Int64N(3)})
		}
	})
	g.label(sub, "vm-tools", "brute-forcer", "guessing SSH passwords on three hosts", abuse.Hacking)
	g.clean(sub, c)
}

func attacked(g *gen, sub string, c *abuse.CustomerRecord) {
	attackers := []netip.Addr{g.pub(), g.pub(), g.pub(), g.pub()}
	g.each(sub, "vm-web", func(h int, t *abuse.Telemetry) {
		g.web(t, 30)
		for i := range 40 {
			t.AuthFailures = append(t.AuthFailures, abuse.AuthFailure{Time: t.Window.Start.Add(time.Duration(i) * 30 * time.Second), Direction: abuse.Inbound,
				Remote: attackers[i%4], Port: 22, Service: "ssh", User: "admin", Count: 3})
		}
		at := t.Window.Start.Add(40 * time.Minute)
		for p := range 30 {
			t.Flows = append(t.Flows, abuse.Flow{Time: at.Add(time.Duration(p) * time.Second), Direction: abuse.Inbound, Remote: attackers[0],
				Port: uint16(1000 + p), Protocol: abuse.TCP, Packets: 1, Bytes: 60, Flows: 1, Failed: 1})
		}
	})
	g.label(sub, "vm-web", "attacked", "a web server being brute-forced and scanned from outside: the customer is the victim", abuse.Hacking)
	g.clean(sub, c)
}

// ---- spam

func spammer(g *gen, sub string, c *abuse.CustomerRecord) {
	c.PriorViolations = 2
	g.each(sub, "vm-new", func(h int, t *abuse.Telemetry) {
		g.use(&t.CPU, t, 20, 5)
		if h >= 1 {
			g.smtp(t, 600+g.r.IntN(200), 250)
		}
	})
	g.fresh(sub, "vm-new")
	g.label(sub, "vm-new", "spammer", "a new VM that starts sending mail to hundreds of servers", abuse.Spam)
	g.clean(sub, c)
}

func spamSpike(g *gen, sub string, c *abuse.CustomerRecord) {
	g.each(sub, "vm-mail", func(h int, t *abuse.Telemetry) {
		if h < 2 {
			g.smtp(t, 30+g.r.IntN(20), 6+g.r.IntN(4))
		} else {
			g.smtp(t, 1200, 400)
		}
	})
	g.mailHistory(sub, "vm-mail", 40, 8)
	g.label(sub, "vm-mail", "spam-spike", "a mail server with a modest history, taken over to send bulk spam in its last hour", abuse.Spam)
	g.clean(sub, c)
}

// ---- malware

func malwareHost(g *gen, sub string, c *abuse.CustomerRecord) {
	g.each(sub, "vm-files", func(h int, t *abuse.Telemetry) {
		g.web(t, 30)
		t.Hosted = append(t.Hosted,
			abuse.HostedObject{Time: g.at(t), URL: "https://files.example-shop.test/invoice.pdf", Verdict: abuse.Clean},
			abuse.HostedObject{Time: g.at(t), URL: fmt.Sprintf("https://files.example-shop.test/update-%d.exe", h), Verdict: abuse.Malicious,
				Threat: "trojan.win32.agenttesla", SHA256: g.hexName(64)})
	})
	g.label(sub, "vm-files", "malware-host", "a file server handing out a trojan", abuse.Malware)
	g.clean(sub, c)
}

func c2Beacon(g *gen, sub string, c *abuse.CustomerRecord) {
	g.each(sub, "vm-web", func(h int, t *abuse.Telemetry) {
		g.web(t, 20)
		for m := 0; m < 60; m += 5 {
			t.DNS = append(t.DNS, abuse.DNSQuery{Time: t.Window.Start.Add(time.Duration(m) * time.Minute), Name: "cdn-update.badbeacon.test", Class: abuse.CommandAndCtl})
		}
	})
	g.label(sub, "vm-web", "c2-beacon", "an infected server calling its command-and-control server every five minutes", abuse.Malware)
	g.clean(sub, c)
}

func dgaBot(g *gen, sub string, c *abuse.CustomerRecord) {
	g.each(sub, "vm-web", func(h int, t *abuse.Telemetry) {
		g.web(t, 20)
		for range 30 {
			t.DNS = append(t.DNS, abuse.DNSQuery{Time: g.at(t), Name: g.letters(12+g.r.IntN(8), g.r.IntN(2) == 0) + []string{".com", ".net", ".info", ".biz"}[g.r.IntN(4)],
				NXDomain: g.r.IntN(10) > 0})
		}
	})
	g.label(sub, "vm-web", "dga-bot", "a bot looking for its server among generated domain names", abuse.Malware)
	g.clean(sub, c)
}

// ---- resale

func reseller(g *gen, sub string, c *abuse.CustomerRecord) {
	countries := []string{"VN", "BR", "NG", "IN", "ID", "PK", "RU", "TR", "EG", "US"}
	g.each(sub, "vm-web", func(h int, t *abuse.Telemetry) { g.web(t, 15) })
	g.label(sub, "vm-web", "web", "a web server")
	g.subscription(sub, c, "reseller", func(h int, t *abuse.Telemetry) {
		for i := range 40 {
			t.SignIns = append(t.SignIns, abuse.SignIn{Time: g.at(t), User: fmt.Sprintf("buyer%d", g.r.IntN(60)),
				Tenant: fmt.Sprintf("tn-buyer-%02d", g.r.IntN(16)), Country: countries[i%len(countries)]})
		}
	}, abuse.SubscriptionResale)
}

func resellerProfile(g *gen, sub string, c *abuse.CustomerRecord) {
	g.each(sub, "vm-web", func(h int, t *abuse.Telemetry) { g.web(t, 15) })
	g.label(sub, "vm-web", "web", "a web server")
	g.subscription(sub, c, "reseller-profile", func(h int, t *abuse.Telemetry) {
		t.Account.Profile = abuse.Profile{Kind: risk.Individual, Seats: 2, Countries: []string{t.Account.BillingCountry}}
		for i := range 14 {
			t.SignIns = append(t.SignIns, abuse.SignIn{Time: g.at(t), User: fmt.Sprintf("seat%d", i), Tenant: t.Account.Tenant,
				Country: []string{"VN", "BR", "NG", "IN", t.Account.BillingCountry}[i%5]})
		}
	}, abuse.SubscriptionResale)
}

// ---- theft of service

func exposure(g *gen, sub string, c *abuse.CustomerRecord) {
	c.CreatedAt = start.Add(-20 * 24 * time.Hour)
	g.each(sub, "vm-gpu", func(h int, t *abuse.Telemetry) { g.use(&t.GPU, t, 60, 30) })
	g.label(sub, "vm-gpu", "busy-gpu", "GPU work of varying intensity")
	g.subscription(sub, c, "exposure", func(h int, t *abuse.Telemetry) {
		t.Account.CreatedAt, t.Account.FirstPaymentAt = c.CreatedAt, time.Time{}
		t.Account.CreditLimit = risk.MustMoney("500.00 USD")
		t.Account.Unbilled = risk.MustMoney(fmt.Sprintf("%d.00 USD", 3800+400*h))
	}, abuse.TheftOfService)
}

func accountFarm(g *gen, sub string, c *abuse.CustomerRecord) {
	c.CreatedAt = start.Add(-1 * 24 * time.Hour)
	g.each(sub, "vm-1", func(h int, t *abuse.Telemetry) { g.web(t, 5) })
	g.label(sub, "vm-1", "web", "a small web server")
	g.subscription(sub, c, "account-farm", func(h int, t *abuse.Telemetry) {
		t.Account.CreatedAt, t.Account.FirstPaymentAt, t.Account.PaymentsChecked = c.CreatedAt, time.Time{}, false
		t.Account.AccountsSharingDevice = risk.Known(7)
		t.Account.AccountsSharingCard = risk.Known(4)
	}, abuse.TheftOfService)
}

func gpuBurst(g *gen, sub string, c *abuse.CustomerRecord) {
	c.CreatedAt = start.Add(-18 * time.Hour)
	g.each(sub, "vm-gpu", func(h int, t *abuse.Telemetry) { g.use(&t.GPU, t, 80, 15) })
	g.label(sub, "vm-gpu", "busy-gpu", "GPU work of varying intensity")
	g.subscription(sub, c, "gpu-burst", func(h int, t *abuse.Telemetry) {
		t.Account.CreatedAt, t.Account.FirstPaymentAt, t.Account.PaymentsChecked = c.CreatedAt, time.Time{}, false
		t.Activity = append(t.Activity, abuse.ActivityEvent{Time: g.at(t), Kind: abuse.Deployment, SKU: "gpu-8x-h100", Count: 2, GPUs: 8})
	}, abuse.TheftOfService)
}

func countryMismatch(g *gen, sub string, c *abuse.CustomerRecord) {
	c.CreatedAt = start.Add(-3 * 24 * time.Hour)
	g.each(sub, "vm-web", func(h int, t *abuse.Telemetry) { g.web(t, 10) })
	g.label(sub, "vm-web", "web", "a web server")
	g.subscription(sub, c, "country-mismatch", func(h int, t *abuse.Telemetry) {
		t.Account.CreatedAt = c.CreatedAt
		t.Account.BillingCountry, t.Account.IPCountry, t.Account.PhoneCountry, t.Account.CardCountry = "US", "NG", "GB", "RO"
	}, abuse.TheftOfService)
}

func quietFraud(g *gen, sub string, c *abuse.CustomerRecord) {
	c.CreatedAt = start.Add(-25 * 24 * time.Hour)
	g.each(sub, "vm-web", func(h int, t *abuse.Telemetry) { g.web(t, 10) })
	g.label(sub, "vm-web", "web", "a web server")
	g.subscription(sub, c, "quiet-fraud", func(h int, t *abuse.Telemetry) {
		t.Account.CreatedAt = c.CreatedAt
	}, abuse.TheftOfService) // a customer who will never pay but has not run past credit yet: nothing to see
}
