package main

import (
	"fmt"
	"net/netip"
	"time"

	"github.com/riskkit/riskkit/abuse"
	"github.com/riskkit/riskkit/risk"
)

// ---- denial of service

// compromised adds the ordinary life of a compromised web server.
func (w *world) compromised(t *abuse.Telemetry) {
	w.browse(t, 15)
	w.samples(&t.CPU, t, 30, 10)
}

func udpFloodPeaks(w *world, sub string, c *abuse.CustomerRecord) {
	target := w.remote()
	w.hourly(sub, "web", 6, func(h int, t *abuse.Telemetry) {
		w.compromised(t)
		if h == 3 || h == 4 {
			for m := range 40 {
				// Bursts of about 70,000 packets/s for a few seconds of each
				// minute, 15,000 a second on average.
				packets := int64(w.jitter(900_000, 0.1))
				t.Flows = append(t.Flows, abuse.Flow{Time: t.Window.Start.Add(time.Duration(10+m) * time.Minute), Seconds: 60, Direction: abuse.Outbound,
					Remote: target, Port: uint16(1024 + w.r.IntN(60000)), Protocol: abuse.UDP, Packets: packets, Bytes: packets * 900,
					PeakPackets: int64(w.jitter(70_000, 0.1)), PeakBytes: int64(w.jitter(63_000_000, 0.1))})
			}
		}
	})
	w.history(sub, "web")
	w.label(sub, "web", "udp-flood-peaks", "a compromised server sending UDP bursts at a game company, in minute records that keep per-second peaks", abuse.DenialOfService)
	w.standing(sub, c)
}

func synFlood(w *world, sub string, c *abuse.CustomerRecord) {
	target := w.remote()
	w.hourly(sub, "web", 6, func(h int, t *abuse.Telemetry) {
		w.compromised(t)
		if h == 2 {
			for s := 0; s < 15*60; s += 10 {
				syns := int64(w.jitter(250_000, 0.1)) // 25,000 SYNs a second, ten seconds a record
				t.Flows = append(t.Flows, abuse.Flow{Time: t.Window.Start.Add(20*time.Minute + time.Duration(s)*time.Second), Seconds: 10,
					Direction: abuse.Outbound, Remote: target, Port: 443, Protocol: abuse.TCP, Packets: syns, Bytes: syns * 60, Flows: syns,
					Failed: syns * 9 / 10, ReplyPackets: risk.Known(syns * 6 / 10)})
			}
		}
	})
	w.history(sub, "web")
	w.label(sub, "web", "syn-flood", "a SYN flood at a bank's login page for fifteen minutes", abuse.DenialOfService)
	w.standing(sub, c)
}

func carpetBomb(w *world, sub string, c *abuse.CustomerRecord) {
	hosts, _ := w.network(180)
	w.hourly(sub, "vm", 6, func(h int, t *abuse.Telemetry) {
		w.compromised(t)
		if h == 1 {
			for m := 0; m < 20; m += 5 {
				for _, to := range hosts {
					packets := int64(w.jitter(150*300, 0.2))
					t.Flows = append(t.Flows, abuse.Flow{Time: t.Window.Start.Add(time.Duration(30+m) * time.Minute), Seconds: 300, Direction: abuse.Outbound,
						Remote: to, Port: 80, Protocol: abuse.UDP, Packets: packets, Bytes: packets * 520, ReplyPackets: risk.Known(0)})
				}
			}
		}
	})
	w.history(sub, "vm")
	w.label(sub, "vm", "carpet-bomb", "UDP spread over 180 addresses of an ISP's /24, 150 packets/s each, in five-minute records", abuse.DenialOfService)
	w.standing(sub, c)
}

func reflection(w *world, sub string, c *abuse.CustomerRecord) {
	own, victimAddr := netip.MustParseAddr("10.40.1.9"), w.remote()
	resolvers := w.viewers(1000)
	w.hourly(sub, "vm", 6, func(h int, t *abuse.Telemetry) {
		t.Addresses = []netip.Addr{own}
		w.compromised(t)
		if h == 4 {
			for _, r := range resolvers {
				// Four spoofed queries a second to each open resolver for
				// twenty minutes, answered to the victim.
				t.Flows = append(t.Flows, abuse.Flow{Time: t.Window.Start.Add(15 * time.Minute), Seconds: 1200, Direction: abuse.Outbound, Remote: r,
					Port: 53, Protocol: abuse.UDP, Packets: 4800, Bytes: 4800 * 70, Source: victimAddr})
			}
		}
	})
	w.history(sub, "vm")
	w.label(sub, "vm", "reflection", "DNS reflection: spoofed queries from the victim's address to 1,000 open resolvers", abuse.DenialOfService)
	w.standing(sub, c)
}

func coarseFlood(w *world, sub string, c *abuse.CustomerRecord) {
	target := w.remote()
	w.hourly(sub, "web", 6, func(h int, t *abuse.Telemetry) {
		w.compromised(t)
		if h == 5 {
			for m := 0; m < 30; m += 5 {
				packets := int64(w.jitter(2_700_000, 0.1)) // 9,000 a second on average over five minutes, in bursts
				t.Flows = append(t.Flows, abuse.Flow{Time: t.Window.Start.Add(time.Duration(20+m) * time.Minute), Seconds: 300, Direction: abuse.Outbound,
					Remote: target, Port: 123, Protocol: abuse.UDP, Packets: packets, Bytes: packets * 480})
			}
		}
	})
	w.history(sub, "web")
	w.label(sub, "web", "coarse-flood", "UDP bursts recorded in five-minute flow records without per-second peaks", abuse.DenialOfService)
	w.standing(sub, c)
}

// ---- hacking

func slowScanner(w *world, sub string, c *abuse.CustomerRecord) {
	targets := []netip.Addr{w.remote(), w.remote()}
	w.hourly(sub, "tools", 26, func(h int, t *abuse.Telemetry) {
		w.browse(t, 3)
		for _, tg := range targets {
			for i := range 10 { // ten new ports of each host an hour
				port := uint16(1 + (h*10+i)*37%65000)
				t.Flows = append(t.Flows, abuse.Flow{Time: w.in(t, 0), Direction: abuse.Outbound, Remote: tg, Port: port, Protocol: abuse.TCP,
					Packets: 1, Bytes: 60, Flows: 1, Failed: 1})
			}
		}
	})
	w.history(sub, "tools")
	w.label(sub, "tools", "slow-scanner", "a scan of two hosts at ten ports an hour, for a day", abuse.Hacking)
	w.standing(sub, c)
}

func sshBruteForce(w *world, sub string, c *abuse.CustomerRecord) {
	w.hourly(sub, "vm", 6, func(h int, t *abuse.Telemetry) {
		w.compromised(t)
		for range 120 {
			t.AuthFailures = append(t.AuthFailures, abuse.AuthFailure{Time: w.in(t, 0), Direction: abuse.Outbound, Remote: w.remote(), Port: 22,
				Service: "ssh", User: []string{"root", "admin", "ubuntu", "oracle"}[w.r.IntN(4)], Count: 3 + w.r.Int64N(4)})
		}
	})
	w.history(sub, "vm")
	w.label(sub, "vm", "ssh-bruteforce", "credential stuffing: a few SSH passwords tried on each of 120 hosts an hour", abuse.Hacking)
	w.standing(sub, c)
}

func subnetScan(w *world, sub string, c *abuse.CustomerRecord) {
	hosts, _ := w.network(15)
	w.hourly(sub, "vm", 6, func(h int, t *abuse.Telemetry) {
		w.compromised(t)
		if h == 1 {
			w.scan(t, hosts, commonPorts(60), t.Window.Start.Add(12*time.Minute), 300*time.Millisecond)
		}
	})
	w.history(sub, "vm")
	w.label(sub, "vm", "subnet-scan", "a scan of 60 ports of 15 hosts of a hosting company", abuse.Hacking)
	w.standing(sub, c)
}

func scannerExpired(w *world, sub string, c *abuse.CustomerRecord) {
	hosts, p := w.network(6)
	w.hourly(sub, "scanner", 5, func(h int, t *abuse.Telemetry) {
		w.scan(t, hosts, commonPorts(40), t.Window.Start.Add(5*time.Minute), 500*time.Millisecond)
	})
	w.history(sub, "scanner")
	w.state.Allowances = append(w.state.Allowances, abuse.Allowance{ID: "scan-" + sub, Subscription: sub, Resource: "scanner",
		Category: abuse.Hacking, Targets: []netip.Prefix{p}, From: begin, Until: begin.Add(2 * time.Hour),
		Reason: "a penetration test ordered for the first two hours"})
	w.label(sub, "scanner", "scanner-expired", "a penetration test that kept scanning for three hours after its authorisation ended", abuse.Hacking)
	w.standing(sub, c)
}

// ---- spam

func snowshoeSpam(w *world, sub string, c *abuse.CustomerRecord) {
	mx := w.viewers(1400)
	w.hourly(sub, "vm-new", 2, func(h int, t *abuse.Telemetry) {
		w.deliver(t, mx, 1500+w.r.IntN(1000), 0.2)
	})
	w.label(sub, "vm-new", "snowshoe-spam", "a new VM sending bulk mail to a thousand servers an hour, a fifth refused", abuse.Spam)
	w.standing(sub, c)
}

func hijackedRelay(w *world, sub string, c *abuse.CustomerRecord) {
	usual, list := w.viewers(25), w.viewers(800)
	w.hourly(sub, "relay", 5, func(h int, t *abuse.Telemetry) {
		if h < 3 {
			w.deliver(t, usual, 60+w.r.IntN(40), 0.01)
		} else {
			w.deliver(t, list, 2500+w.r.IntN(1000), 0.15)
		}
	})
	b := w.history(sub, "relay")
	b.SMTPWindows, b.SMTPFlows, b.SMTPRecipients = 500, 70, 18
	w.label(sub, "relay", "hijacked-relay", "a company relay with a long history, taken over to send bulk mail from its fourth hour", abuse.Spam)
	w.standing(sub, c)
}

func stolenSubmission(w *world, sub string, c *abuse.CustomerRecord) {
	providers := w.viewers(35)
	w.hourly(sub, "vm", 6, func(h int, t *abuse.Telemetry) {
		w.compromised(t)
		for _, p := range providers {
			n := 20 + w.r.Int64N(30)
			t.Flows = append(t.Flows, abuse.Flow{Time: w.in(t, 0), Seconds: 60, Direction: abuse.Outbound, Remote: p, Port: []uint16{587, 465}[w.r.IntN(2)],
				Protocol: abuse.TCP, Packets: n * 20, Bytes: n * 12000, Flows: n})
		}
	})
	w.history(sub, "vm")
	w.label(sub, "vm", "stolen-submission", "stolen mailbox passwords used to submit spam through 35 providers", abuse.Spam)
	w.standing(sub, c)
}

func lowSlowSpam(w *world, sub string, c *abuse.CustomerRecord) {
	mx := w.viewers(300)
	w.hourly(sub, "vm-new", 26, func(h int, t *abuse.Telemetry) {
		w.deliver(t, mx, 60+w.r.IntN(30), 0.1)
	})
	w.label(sub, "vm-new", "low-slow-spam", "a new VM sending a steady trickle of spam, 60 to 90 mails an hour", abuse.Spam)
	w.standing(sub, c)
}

// ---- crypto mining

func gpuMinerPool(w *world, sub string, c *abuse.CustomerRecord) {
	pool := w.remote()
	w.hourly(sub, "gpu", 6, func(h int, t *abuse.Telemetry) {
		w.samples(&t.GPU, t, 99, 0.5)
		t.Processes = append(t.Processes, abuse.Process{Time: t.Window.Start, Name: "t-rex", CommandLine: "t-rex -a kawpow -o stratum+tcp://eu.kryptex.network:7031 -u wallet.rig1"})
		t.DNS = append(t.DNS, abuse.DNSQuery{Time: w.in(t, 0), Name: "eu.kryptex.network", Count: 2})
		t.Flows = append(t.Flows, abuse.Flow{Time: t.Window.Start, Seconds: 3600, Direction: abuse.Outbound, Remote: pool, Port: 7031, Protocol: abuse.TCP,
			Packets: 3600, Bytes: 600_000, Flows: 1})
	})
	w.history(sub, "gpu")
	w.label(sub, "gpu", "gpu-miner-pool", "a GPU VM mining through a public pool", abuse.CryptoMining)
	w.standing(sub, c)
}

func cpuMinerProxy(w *world, sub string, c *abuse.CustomerRecord) {
	proxy := w.remote()
	w.hourly(sub, "vm", 6, func(h int, t *abuse.Telemetry) {
		w.samples(&t.CPU, t, 99, 0.8)
		t.Processes = append(t.Processes, abuse.Process{Time: t.Window.Start, Name: "kswapd0",
			CommandLine: fmt.Sprintf("kswapd0 -o %s:443 -u 48edfHu7V9Z84YzzMa6fUueoELZ9ZRXq9VetWzYGzKt52XU5xvqgzYnDK9URnRoJMk1j8nLwEVsaSWJ4fhdUyZijBGUicoD -k --tls", proxy)})
		t.Flows = append(t.Flows, abuse.Flow{Time: t.Window.Start, Seconds: 3600, Direction: abuse.Outbound, Remote: proxy, Port: 443, Protocol: abuse.TCP,
			Packets: 5000, Bytes: 900_000, Flows: 1})
	})
	w.history(sub, "vm")
	w.label(sub, "vm", "cpu-miner-proxy", "a renamed CPU miner talking TLS to a mining proxy by address, with no pool name anywhere", abuse.CryptoMining)
	w.standing(sub, c)
}

// ---- malware

func malwareHost(w *world, sub string, c *abuse.CustomerRecord) {
	w.hourly(sub, "files", 6, func(h int, t *abuse.Telemetry) {
		w.browse(t, 25)
		t.Hosted = append(t.Hosted,
			abuse.HostedObject{Time: w.in(t, 0), URL: "https://cdn.shop-assets.test/img/banner.png", Verdict: abuse.Clean},
			abuse.HostedObject{Time: w.in(t, 0), URL: "https://cdn.shop-assets.test/dl/invoice_0931.zip", Verdict: abuse.Malicious, Threat: "trojan.qakbot"})
	})
	w.history(sub, "files")
	w.label(sub, "files", "malware-host", "a hacked shop's asset server serving a banking trojan", abuse.Malware)
	w.standing(sub, c)
}

func c2Implant(w *world, sub string, c *abuse.CustomerRecord) {
	w.hourly(sub, "vm", 6, func(h int, t *abuse.Telemetry) {
		w.compromised(t)
		for m := 0; m < 60; m += 10 {
			t.DNS = append(t.DNS, abuse.DNSQuery{Time: t.Window.Start.Add(time.Duration(m) * time.Minute), Name: "telemetry-sync.cloudupd.test", Class: abuse.CommandAndCtl})
		}
	})
	w.history(sub, "vm")
	w.label(sub, "vm", "c2-implant", "an implant checking in with its command-and-control server every ten minutes", abuse.Malware)
	w.standing(sub, c)
}

// ---- resale and theft of service

func resoldSubscription(w *world, sub string, c *abuse.CustomerRecord) {
	w.hourly(sub, "vm", 6, func(h int, t *abuse.Telemetry) { w.browse(t, 10) })
	w.history(sub, "vm")
	w.label(sub, "vm", "web", "a small web server")
	countries := []string{"VN", "BR", "NG", "IN", "ID", "PK", "EG", "MX", "PH"}
	w.subscription(sub, c, "resold-subscription", "seats of the subscription sold on to strangers in nine countries", func(h int, t *abuse.Telemetry) {
		for range 35 {
			t.SignIns = append(t.SignIns, abuse.SignIn{Time: w.in(t, 0), User: fmt.Sprintf("buyer%03d", w.r.IntN(200)),
				Tenant: fmt.Sprintf("t-buyer-%02d", w.r.IntN(22)), Country: countries[w.r.IntN(len(countries))]})
		}
	}, abuse.SubscriptionResale)
}

func unpaidExposure(w *world, sub string, c *abuse.CustomerRecord) {
	c.CreatedAt = begin.AddDate(0, 0, -12)
	w.hourly(sub, "gpu", 6, func(h int, t *abuse.Telemetry) { w.samples(&t.GPU, t, 85, 10) })
	w.history(sub, "gpu")
	w.label(sub, "gpu", "busy-gpu", "GPU work")
	w.subscription(sub, c, "unpaid-exposure", "twelve days of GPU use, never paid, far past the credit limit", func(h int, t *abuse.Telemetry) {
		t.Account.CreatedAt, t.Account.FirstPaymentAt = c.CreatedAt, time.Time{}
		t.Account.CreditLimit = risk.MustMoney("1000.00 EUR")
		t.Account.Unbilled = risk.MustMoney(fmt.Sprintf("%d.00 EUR", 6800+150*h))
	}, abuse.TheftOfService)
}

func blankAccount(w *world, sub string, c *abuse.CustomerRecord) {
	c.CreatedAt = begin.AddDate(0, 0, -3)
	w.hourly(sub, "gpu", 6, func(h int, t *abuse.Telemetry) { w.samples(&t.GPU, t, 90, 5) })
	w.history(sub, "gpu")
	w.label(sub, "gpu", "busy-gpu", "GPU work")
	w.subscription(sub, c, "blank-account", "a fraudster with a stolen card, whose host collected the account but filled in none of its facts", func(h int, t *abuse.Telemetry) {
		t.Account = &abuse.AccountFacts{}
	}, abuse.TheftOfService)
}

func sharedCardFarm(w *world, sub string, c *abuse.CustomerRecord) {
	c.CreatedAt = begin.AddDate(0, 0, -1)
	w.hourly(sub, "vm", 6, func(h int, t *abuse.Telemetry) { w.browse(t, 2) })
	w.history(sub, "vm")
	w.label(sub, "vm", "web", "a small web server")
	w.subscription(sub, c, "shared-card-farm", "one of ten accounts opened in a day with the same card", func(h int, t *abuse.Telemetry) {
		t.Account.CreatedAt, t.Account.FirstPaymentAt, t.Account.PaymentsChecked = c.CreatedAt, time.Time{}, true
		t.Account.AccountsSharingCard = risk.Known(9)
	}, abuse.TheftOfService)
}
