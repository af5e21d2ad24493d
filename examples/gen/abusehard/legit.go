package main

import (
	"fmt"
	"net/netip"
	"time"

	"github.com/riskkit/riskkit/abuse"
	"github.com/riskkit/riskkit/risk"
)

// hardCase is one tenant of the set.
type hardCase struct {
	name  string
	build func(w *world, sub string, c *abuse.CustomerRecord)
}

// cases run in this order; each draws from the one random source, so
// append new ones at the end.
var cases = []hardCase{
	{"video-cdn", videoCDN},
	{"video-cdn-plain", videoCDNPlain},
	{"cloud-backup", cloudBackup},
	{"db-replication", dbReplication},
	{"mail-provider", mailProvider},
	{"new-transactional-mailer", newMailer},
	{"app-submission", appSubmission},
	{"ci-farm", ciFarm},
	{"ci-farm-gpu", ciFarmGPU},
	{"authorised-scanner", authorisedScanner},
	{"consultancy", consultancy},
	{"travelling-team", travellingTeam},
	{"victim", victim},
	{"dsr-backend", dsrBackend},
	{"game-server", gameServer},
	{"voip-trunk", func(w *world, sub string, c *abuse.CustomerRecord) { voipTrunk(w, sub, c, true) }},
	{"voip-trunk-plain", func(w *world, sub string, c *abuse.CustomerRecord) { voipTrunk(w, sub, c, false) }},
	{"crawler", crawler},
	{"uptime-monitor", uptimeMonitor},
	{"training-long", trainingLong},
	{"udp-flood-peaks", udpFloodPeaks},
	{"syn-flood", synFlood},
	{"carpet-bomb", carpetBomb},
	{"reflection", reflection},
	{"coarse-flood", coarseFlood},
	{"slow-scanner", slowScanner},
	{"ssh-bruteforce", sshBruteForce},
	{"subnet-scan", subnetScan},
	{"snowshoe-spam", snowshoeSpam},
	{"hijacked-relay", hijackedRelay},
	{"stolen-submission", stolenSubmission},
	{"low-slow-spam", lowSlowSpam},
	{"gpu-miner-pool", gpuMinerPool},
	{"cpu-miner-proxy", cpuMinerProxy},
	{"malware-host", malwareHost},
	{"c2-implant", c2Implant},
	{"resold-subscription", resoldSubscription},
	{"unpaid-exposure", unpaidExposure},
	{"blank-account", blankAccount},
	{"shared-card-farm", sharedCardFarm},
	{"scanner-expired", scannerExpired},
}

// ---- busy legitimate servers

// stream adds an hour of streaming to viewers, one record per viewer: a
// bit rate drawn from the ladder of an adaptive stream, acknowledged at
// one packet for two when acks is set, with per-second peaks and
// established sessions when detail is set.
func (w *world) stream(t *abuse.Telemetry, viewers []netip.Addr, kbps []int64, acks, detail bool) {
	for _, v := range viewers {
		rate := kbps[w.r.IntN(len(kbps))]
		bytes := rate * 1000 / 8 * 3600
		packets := bytes / 1448
		f := abuse.Flow{Time: t.Window.Start, Seconds: 3600, Direction: abuse.Outbound, Remote: v, Port: 443, Protocol: abuse.TCP,
			Packets: packets, Bytes: bytes}
		if w.r.IntN(10) == 0 {
			f.Flows = 1 // a viewer who joined this hour
		}
		if acks {
			f.ReplyPackets = risk.Known(packets / 2)
		}
		if detail {
			f.Established = risk.Known(1 - f.Flows)
			f.PeakPackets, f.PeakBytes = min(packets, 3*packets/3600+1), min(bytes, 3*bytes/3600+1)
		}
		t.Flows = append(t.Flows, f)
	}
}

func (w *world) viewers(n int) []netip.Addr {
	vs := make([]netip.Addr, n)
	for i := range vs {
		vs[i] = w.remote()
	}
	return vs
}

func videoCDN(w *world, sub string, c *abuse.CustomerRecord) {
	vs := w.viewers(2000)
	w.hourly(sub, "edge-1", 1, func(h int, t *abuse.Telemetry) {
		w.stream(t, vs, []int64{400, 800, 1200, 2500}, true, true)
		w.samples(&t.CPU, t, 45, 10)
		t.Processes = append(t.Processes, abuse.Process{Time: t.Window.Start, Name: "nginx"})
	})
	w.history(sub, "edge-1")
	w.label(sub, "edge-1", "video-cdn", "a video edge node streaming about 2 Gbit/s to 2,000 viewers, flow logs with replies, peaks and sessions")
	w.standing(sub, c)
}

func videoCDNPlain(w *world, sub string, c *abuse.CustomerRecord) {
	vs := w.viewers(600)
	w.hourly(sub, "edge-2", 1, func(h int, t *abuse.Telemetry) {
		w.stream(t, vs, []int64{1200, 2500, 4500}, false, false)
		w.samples(&t.CPU, t, 55, 10)
	})
	w.history(sub, "edge-2")
	w.label(sub, "edge-2", "video-cdn-plain", "a video edge node streaming about 1.6 Gbit/s to 600 viewers, flow logs without replies")
	w.standing(sub, c)
}

// transfer adds minute records of a TCP transfer of mbps to a destination
// over the minutes from at.
func (w *world) transfer(t *abuse.Telemetry, to netip.Addr, at time.Time, minutes int, mbps int64, acks bool, sessions int64) {
	for m := range minutes {
		bytes := int64(w.jitter(float64(mbps*125_000*60), 0.1))
		packets := bytes / 1448
		f := abuse.Flow{Time: at.Add(time.Duration(m) * time.Minute), Seconds: 60, Direction: abuse.Outbound, Remote: to, Port: 443,
			Protocol: abuse.TCP, Packets: packets, Bytes: bytes}
		if m == 0 {
			f.Flows = sessions
		}
		if acks {
			f.ReplyPackets = risk.Known(packets / 2)
			f.PeakPackets, f.PeakBytes = min(packets, packets/60*13/10), min(bytes, bytes/60*13/10)
		}
		if sessions > 0 && m > 0 {
			f.Established = risk.Known(sessions)
		} else if sessions > 0 {
			f.Established = risk.Known(0)
		}
		t.Flows = append(t.Flows, f)
	}
}

func cloudBackup(w *world, sub string, c *abuse.CustomerRecord) {
	store := w.remote().As4()
	w.hourly(sub, "backup", 6, func(h int, t *abuse.Telemetry) {
		w.browse(t, 5)
		if h == 2 {
			for i := range 4 { // the object store answers from four addresses of one /24
				to := netip.AddrFrom4([4]byte{store[0], store[1], store[2], byte(10 + i)})
				w.transfer(t, to, t.Window.Start.Add(10*time.Minute), 25, 600, true, 0)
			}
		}
		w.samples(&t.CPU, t, 30, 10)
	})
	w.history(sub, "backup")
	w.label(sub, "backup", "cloud-backup", "a nightly backup of 2.4 Gbit/s to public object storage, acknowledged")
	w.standing(sub, c)
}

func dbReplication(w *world, sub string, c *abuse.CustomerRecord) {
	peer := w.remote()
	w.hourly(sub, "db-primary", 6, func(h int, t *abuse.Telemetry) {
		w.transfer(t, peer, t.Window.Start, 60, 1200, false, 4)
		w.samples(&t.CPU, t, 50, 10)
		t.Processes = append(t.Processes, abuse.Process{Time: t.Window.Start, Name: "postgres"})
	})
	w.history(sub, "db-primary")
	w.label(sub, "db-primary", "db-replication", "streaming replication of 1.2 Gbit/s to a peer region over four long sessions, flow logs without replies")
	w.standing(sub, c)
}

// deliver adds mail deliveries to servers: n deliveries spread over
// them, a share refused.
func (w *world) deliver(t *abuse.Telemetry, servers []netip.Addr, n int, refused float64) {
	per := make([]int64, len(servers))
	for range n {
		// Big mailbox providers take most of the mail.
		i := min(len(servers)-1, int(float64(len(servers))*w.r.Float64()*w.r.Float64()))
		per[i]++
	}
	for i, k := range per {
		if k == 0 {
			continue
		}
		f := abuse.Flow{Time: w.in(t, 0), Seconds: 60, Direction: abuse.Outbound, Remote: servers[i], Port: 25, Protocol: abuse.TCP,
			Packets: 30 * k, Bytes: 30 * k * 600, Flows: k}
		for range k {
			if w.r.Float64() < refused {
				f.Failed++
			}
		}
		t.Flows = append(t.Flows, f)
	}
}

func mailProvider(w *world, sub string, c *abuse.CustomerRecord) {
	c.Trusted = true
	mx := w.viewers(900)
	w.hourly(sub, "mta-1", 2, func(h int, t *abuse.Telemetry) {
		w.deliver(t, mx, 1800+w.r.IntN(600), 0.03)
		w.samples(&t.CPU, t, 35, 10)
		t.Processes = append(t.Processes, abuse.Process{Time: t.Window.Start, Name: "postfix"})
	})
	b := w.history(sub, "mta-1")
	b.SMTPWindows, b.SMTPFlows, b.SMTPRecipients = 720, 2000, 480
	w.label(sub, "mta-1", "mail-provider", "an email service provider's outbound server with a month of steady history")
	w.standing(sub, c)
}

func newMailer(w *world, sub string, c *abuse.CustomerRecord) {
	mx := w.viewers(60)
	w.hourly(sub, "mailer", 26, func(h int, t *abuse.Telemetry) {
		w.deliver(t, mx, 500+w.r.IntN(200), 0.01)
		w.samples(&t.CPU, t, 20, 5)
	})
	w.label(sub, "mailer", "new-transactional-mailer", "a new transactional mail service sending receipts steadily from its first hour; no stored history")
	w.standing(sub, c)
}

func appSubmission(w *world, sub string, c *abuse.CustomerRecord) {
	relays := []netip.Addr{w.remote(), w.remote()}
	w.hourly(sub, "app", 3, func(h int, t *abuse.Telemetry) {
		w.browse(t, 30)
		for i := range 100 + w.r.IntN(100) {
			t.Flows = append(t.Flows, abuse.Flow{Time: w.in(t, 0), Seconds: 2, Direction: abuse.Outbound, Remote: relays[i%2], Port: 587,
				Protocol: abuse.TCP, Packets: 24, Bytes: 14000, Flows: 1})
		}
	})
	w.history(sub, "app")
	w.label(sub, "app", "app-submission", "a web application sending its mail through its provider's two relays on port 587")
	w.standing(sub, c)
}

func ciFarm(w *world, sub string, c *abuse.CustomerRecord) {
	w.hourly(sub, "runner", 6, func(h int, t *abuse.Telemetry) {
		w.samples(&t.CPU, t, 94, 6)
		for _, p := range []string{"buildkitd", "go", "cc1", "node", "java"} {
			t.Processes = append(t.Processes, abuse.Process{Time: w.in(t, 0), Name: p})
		}
		for _, n := range []string{"proxy.golang.org", "registry.npmjs.org", "repo1.maven.org", "ghcr.io", "pkg-containers.githubusercontent.com"} {
			t.DNS = append(t.DNS, abuse.DNSQuery{Time: w.in(t, 0), Name: n, Count: 10 + w.r.Int64N(200)})
		}
		for range 80 {
			p := 50 + w.r.Int64N(5000)
			f := abuse.Flow{Time: w.in(t, time.Minute), Seconds: 1 + w.r.Int64N(30), Direction: abuse.Outbound, Remote: w.remote(), Port: 443,
				Protocol: abuse.TCP, Packets: p, Bytes: p * 1200, Flows: 1}
			if w.r.IntN(30) == 0 {
				f.Failed = 1 // a flaky mirror
			}
			t.Flows = append(t.Flows, f)
		}
	})
	w.history(sub, "runner")
	w.label(sub, "runner", "ci-farm", "CI runners at full CPU all day, compiling and pulling packages")
	w.standing(sub, c)
}

func ciFarmGPU(w *world, sub string, c *abuse.CustomerRecord) {
	w.hourly(sub, "gpu-runner", 6, func(h int, t *abuse.Telemetry) {
		w.samples(&t.GPU, t, 97, 2)
		w.samples(&t.CPU, t, 60, 15)
		t.Processes = append(t.Processes, abuse.Process{Time: t.Window.Start, Name: "python3", CommandLine: "python3 -m pytest tests/gpu -n 8"})
		t.DNS = append(t.DNS, abuse.DNSQuery{Time: w.in(t, 0), Name: "download.pytorch.org", Count: 3})
	})
	w.history(sub, "gpu-runner")
	w.label(sub, "gpu-runner", "ci-farm-gpu", "GPU test runners pegged by test suites")
	w.standing(sub, c)
}

// scan adds failed probes of ports of hosts, from at, one every step.
func (w *world) scan(t *abuse.Telemetry, hosts []netip.Addr, ports []uint16, at time.Time, step time.Duration) {
	i := 0
	for _, hst := range hosts {
		for _, p := range ports {
			f := abuse.Flow{Time: at.Add(time.Duration(i) * step), Direction: abuse.Outbound, Remote: hst, Port: p, Protocol: abuse.TCP,
				Packets: 2, Bytes: 120, Flows: 1, Failed: 1}
			if w.r.IntN(12) == 0 {
				f.Failed, f.Packets, f.Bytes = 0, 6, 900 // an open port answers
			}
			t.Flows = append(t.Flows, f)
			i++
		}
	}
}

// network returns hosts of a /24.
func (w *world) network(n int) ([]netip.Addr, netip.Prefix) {
	base := w.remote().As4()
	hosts := make([]netip.Addr, n)
	for i := range hosts {
		hosts[i] = netip.AddrFrom4([4]byte{base[0], base[1], base[2], byte(1 + i)})
	}
	return hosts, netip.PrefixFrom(netip.AddrFrom4([4]byte{base[0], base[1], base[2], 0}), 24)
}

func commonPorts(n int) []uint16 {
	ports := []uint16{21, 22, 23, 25, 53, 80, 110, 111, 135, 139, 143, 443, 445, 993, 995, 1433, 1723, 3306, 3389, 5432, 5900, 6379, 8080, 8443, 9200}
	for p := uint16(10000); len(ports) < n; p += 7 {
		ports = append(ports, p)
	}
	return ports[:n]
}

func authorisedScanner(w *world, sub string, c *abuse.CustomerRecord) {
	var nets []netip.Prefix
	var hosts [][]netip.Addr
	for range 3 {
		h, p := w.network(8)
		nets, hosts = append(nets, p), append(hosts, h[:6])
	}
	w.hourly(sub, "scanner", 4, func(h int, t *abuse.Telemetry) {
		w.scan(t, hosts[h%3], commonPorts(40), t.Window.Start.Add(5*time.Minute), 500*time.Millisecond)
	})
	w.history(sub, "scanner")
	w.state.Allowances = append(w.state.Allowances, abuse.Allowance{ID: "scan-" + sub, Subscription: sub, Resource: "scanner",
		Category: abuse.Hacking, Targets: nets, From: begin, Until: begin.Add(8 * time.Hour),
		Reason: "vulnerability scans its clients ordered of their own networks"})
	w.label(sub, "scanner", "authorised-scanner", "a vulnerability-scanning service scanning three client networks, a network an hour, with their written permission, recorded as an allowance")
	w.standing(sub, c)
}

func consultancy(w *world, sub string, c *abuse.CustomerRecord) {
	w.hourly(sub, "portal", 6, func(h int, t *abuse.Telemetry) { w.browse(t, 20) })
	w.history(sub, "portal")
	w.label(sub, "portal", "consultancy", "the consultancy's client portal")
	countries := []string{"DE", "AT", "CH", "NL"}
	w.subscription(sub, c, "consultancy", "an IT consultancy: its staff and the staff of 18 client tenants sign in to shared projects", func(h int, t *abuse.Telemetry) {
		t.Account.Profile = abuse.Profile{Kind: risk.Business, Seats: 45, Countries: countries}
		t.Account.BillingCountry, t.Account.IPCountry, t.Account.PhoneCountry, t.Account.CardCountry = "DE", "DE", "DE", "DE"
		t.SignIns = nil
		for i := range 30 {
			tenant := t.Account.Tenant
			if i%3 != 0 {
				tenant = fmt.Sprintf("t-client-%02d", w.r.IntN(18))
			}
			t.SignIns = append(t.SignIns, abuse.SignIn{Time: w.in(t, 0), User: fmt.Sprintf("u%02d", w.r.IntN(45)), Tenant: tenant, Country: countries[w.r.IntN(len(countries))]})
		}
	})
}

func travellingTeam(w *world, sub string, c *abuse.CustomerRecord) {
	w.hourly(sub, "site", 6, func(h int, t *abuse.Telemetry) { w.browse(t, 10) })
	w.history(sub, "site")
	w.label(sub, "site", "web", "a small company's website")
	w.subscription(sub, c, "travelling-team", "four people travelling to a conference sign in from four countries; the founder signed up from abroad", func(h int, t *abuse.Telemetry) {
		t.Account.BillingCountry, t.Account.PhoneCountry, t.Account.CardCountry, t.Account.IPCountry = "DE", "DE", "DE", "PT"
		t.Account.Profile = abuse.Profile{Kind: risk.Business, Seats: 5, Countries: []string{"DE"}}
		t.SignIns = nil
		for i, cc := range []string{"DE", "US", "SG", "JP"} {
			t.SignIns = append(t.SignIns, abuse.SignIn{Time: w.in(t, 0), User: fmt.Sprintf("team%d", i), Tenant: t.Account.Tenant, Country: cc})
		}
	})
}

func victim(w *world, sub string, c *abuse.CustomerRecord) {
	attackers := w.viewers(6)
	w.hourly(sub, "shop", 3, func(h int, t *abuse.Telemetry) {
		w.browse(t, 40)
		for i := range 100 { // a SYN flood from spoofed sources
			t.Flows = append(t.Flows, abuse.Flow{Time: w.in(t, 0), Seconds: 1, Direction: abuse.Inbound, Remote: w.remote(), Port: 443,
				Protocol: abuse.TCP, Packets: 40 + int64(i%7), Bytes: 2400, Flows: 40, Failed: 40})
		}
		for i := range 120 {
			t.AuthFailures = append(t.AuthFailures, abuse.AuthFailure{Time: t.Window.Start.Add(time.Duration(i) * 29 * time.Second), Direction: abuse.Inbound,
				Remote: attackers[i%len(attackers)], Port: 22, Service: "ssh", User: "root", Count: 2})
		}
		w.scanIn(t, attackers[0], 200)
	})
	w.history(sub, "shop")
	w.label(sub, "shop", "victim", "a web shop under an inbound SYN flood, SSH brute force and port scans: the customer is the victim")
	w.standing(sub, c)
}

// scanIn adds an inbound scan of n ports from one source.
func (w *world) scanIn(t *abuse.Telemetry, from netip.Addr, n int) {
	at := t.Window.Start.Add(time.Duration(w.r.IntN(30)) * time.Minute)
	for p := range n {
		t.Flows = append(t.Flows, abuse.Flow{Time: at.Add(time.Duration(p) * time.Second), Direction: abuse.Inbound, Remote: from, Port: uint16(1 + p*13),
			Protocol: abuse.TCP, Packets: 1, Bytes: 60, Flows: 1, Failed: 1})
	}
}

func dsrBackend(w *world, sub string, c *abuse.CustomerRecord) {
	own, vip := netip.MustParseAddr("10.20.3.14"), w.remote()
	clients := w.viewers(300)
	w.hourly(sub, "backend-3", 2, func(h int, t *abuse.Telemetry) {
		t.Addresses = []netip.Addr{own, vip}
		for _, cl := range clients {
			bytes := int64(w.jitter(60_000_000, 0.5))
			t.Flows = append(t.Flows, abuse.Flow{Time: t.Window.Start, Seconds: 3600, Direction: abuse.Outbound, Remote: cl, Port: 443,
				Protocol: abuse.TCP, Packets: bytes / 1400, Bytes: bytes, Flows: 3, ReplyPackets: risk.Known(bytes / 2800), Source: vip})
		}
		w.samples(&t.CPU, t, 40, 10)
	})
	w.history(sub, "backend-3")
	w.label(sub, "backend-3", "dsr-backend", "a load-balanced backend in direct server return, answering clients from the balancer's virtual address")
	w.standing(sub, c)
}

func gameServer(w *world, sub string, c *abuse.CustomerRecord) {
	players := w.viewers(250)
	w.hourly(sub, "game", 2, func(h int, t *abuse.Telemetry) {
		for _, p := range players {
			t.Flows = append(t.Flows, abuse.Flow{Time: t.Window.Start, Seconds: 3600, Direction: abuse.Outbound, Remote: p, Port: 27015,
				Protocol: abuse.UDP, Packets: 30 * 3600, Bytes: 30 * 3600 * 180, ReplyPackets: risk.Known(20 * 3600), PeakPackets: 64, PeakBytes: 64 * 400})
		}
		w.samples(&t.CPU, t, 65, 10)
		t.Processes = append(t.Processes, abuse.Process{Time: t.Window.Start, Name: "srcds_linux"})
	})
	w.history(sub, "game")
	w.label(sub, "game", "game-server", "a game server sending 30 state updates a second to each of 250 players")
	w.standing(sub, c)
}

func voipTrunk(w *world, sub string, c *abuse.CustomerRecord, replies bool) {
	media, _ := w.network(6)
	res, scenario, note := "sbc", "voip-trunk", "a voice trunk: about 450 calls of RTP to a carrier's six media servers, with the carrier's media back"
	if !replies {
		res, scenario, note = "sbc-2", "voip-trunk-plain", "the same kind of voice trunk, on flow logs without replies"
	}
	w.hourly(sub, res, 2, func(h int, t *abuse.Telemetry) {
		calls := 400 + w.r.IntN(100)
		for m := range 60 {
			for _, to := range media {
				packets := int64(calls) * 50 * 60 / int64(len(media))
				f := abuse.Flow{Time: t.Window.Start.Add(time.Duration(m) * time.Minute), Seconds: 60, Direction: abuse.Outbound, Remote: to,
					Port: uint16(16384 + w.r.IntN(16000)), Protocol: abuse.UDP, Packets: packets, Bytes: packets * 214, Flows: int64(calls / 60 / len(media))}
				if replies {
					f.ReplyPackets = risk.Known(packets)
				}
				t.Flows = append(t.Flows, f)
			}
		}
	})
	w.history(sub, res)
	w.label(sub, res, scenario, note)
	w.standing(sub, c)
}

func crawler(w *world, sub string, c *abuse.CustomerRecord) {
	w.hourly(sub, "crawler", 2, func(h int, t *abuse.Telemetry) {
		for range 600 {
			f := abuse.Flow{Time: w.in(t, 0), Seconds: 2, Direction: abuse.Outbound, Remote: w.remote(), Port: []uint16{80, 443, 443, 443}[w.r.IntN(4)],
				Protocol: abuse.TCP, Packets: 40, Bytes: 60000, Flows: 1}
			if w.r.IntN(50) == 0 {
				f.Failed, f.Packets, f.Bytes = 1, 2, 120
			}
			t.Flows = append(t.Flows, f)
		}
		t.DNS = append(t.DNS, abuse.DNSQuery{Time: w.in(t, 0), Name: "robots-cache.crawl.example", Count: 3000})
	})
	w.history(sub, "crawler")
	w.label(sub, "crawler", "crawler", "a search crawler fetching 600 sites an hour, some of them down")
	w.standing(sub, c)
}

func uptimeMonitor(w *world, sub string, c *abuse.CustomerRecord) {
	type check struct {
		host netip.Addr
		port uint16
		down bool
	}
	var checks []check
	for i := range 200 {
		checks = append(checks, check{w.remote(), []uint16{443, 443, 80, 22, 25}[i%5], w.r.IntN(40) == 0})
	}
	w.hourly(sub, "monitor", 4, func(h int, t *abuse.Telemetry) {
		for _, ch := range checks {
			f := abuse.Flow{Time: t.Window.Start, Seconds: 3600, Direction: abuse.Outbound, Remote: ch.host, Port: ch.port, Protocol: abuse.TCP,
				Packets: 60 * 8, Bytes: 60 * 3000, Flows: 60}
			if ch.down {
				f.Failed = 60
			}
			t.Flows = append(t.Flows, f)
		}
	})
	w.history(sub, "monitor")
	w.label(sub, "monitor", "uptime-monitor", "an uptime monitor checking 200 endpoints every minute, a few of them down all day")
	w.standing(sub, c)
}

func trainingLong(w *world, sub string, c *abuse.CustomerRecord) {
	w.hourly(sub, "trainer", 6, func(h int, t *abuse.Telemetry) {
		w.samples(&t.GPU, t, 99, 0.5)
		w.samples(&t.CPU, t, 40, 5)
		t.Processes = append(t.Processes, abuse.Process{Time: t.Window.Start, Name: "python3", CommandLine: "python3 train.py --config llm-7b.yaml"})
		t.DNS = append(t.DNS, abuse.DNSQuery{Time: w.in(t, 0), Name: "api.wandb.ai", Count: 60})
	})
	w.history(sub, "trainer")
	w.label(sub, "trainer", "training-long", "a model training run with GPUs pegged for days")
	w.standing(sub, c)
}
