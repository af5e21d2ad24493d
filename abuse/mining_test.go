package abuse_test

import (
	"testing"
	"time"

	"github.com/riskkit/riskkit/abuse"
)

func TestMiningThresholds(t *testing.T) {
	pool := out(t0.Add(time.Minute), public(7), 3333)
	busyFor := 30 * time.Minute
	cases := []detectorCase{
		{
			name:   "pool port alone",
			reason: "connections to pool ports are too common in legitimate work to count alone",
			tel:    with(window(t0), withFlows(pool)),
		},
		{
			name:   "pool port and busy GPU",
			reason: "two weak indicators make 2 points, and no strong one",
			tel:    with(window(t0), withFlows(pool), withUse(true, 98, 1, busyFor)),
		},
		{
			name:   "pool domain alone",
			reason: "a pool domain is 2 points, one short of a finding",
			tel:    with(window(t0), withDNS("", "pool.supportxmr.com")),
		},
		{
			name:   "pool domain and pool port",
			reason: "3 points with a strong indicator: medium",
			tel:    with(window(t0), withDNS("", "pool.supportxmr.com"), withFlows(pool)),
			want:   []brief{{"mining.activity", 50, 75, abuse.Outbound, 2}},
		},
		{
			name:   "miner process alone",
			reason: "a miner process is 3 points on its own",
			tel:    with(window(t0), withProcess("/tmp/.x/xmrig", "")),
			want:   []brief{{"mining.activity", 50, 75, abuse.Outbound, 1}},
		},
		{
			name:   "renamed miner with stratum URL",
			reason: "a stratum URL gives the miner away whatever the process is called",
			tel:    with(window(t0), withProcess("kworker", "-o stratum+tcp://203.0.113.7:3333 -u wallet")),
			want:   []brief{{"mining.activity", 50, 75, abuse.Outbound, 1}},
		},
		{
			name:   "everything",
			reason: "process and URL (6), domain (2), port (1), busy GPU (1): high, capped",
			tel: with(window(t0), withProcess(`C:\miners\XMRig.exe`, "xmrig -o stratum+ssl://pool.supportxmr.com:443"),
				withDNS("", "pool.supportxmr.com."), withFlows(pool), withUse(true, 99, 0.5, busyFor)),
			want: []brief{{"mining.activity", 85, 99, abuse.Outbound, 3}},
		},
		{
			name:   "busy at the threshold",
			reason: "a mean of exactly 90% with a spread of exactly 5 points over exactly 30 minutes is sustained",
			tel:    with(window(t0), withDNS("", "xmr.nanopool.org"), withUse(false, 90, 5, busyFor)),
			want:   []brief{{"mining.activity", 50, 75, abuse.Outbound, 1}},
		},
		{
			name:   "busy just below the mean",
			reason: "a mean of 89.99% is not near-full",
			tel:    with(window(t0), withDNS("", "xmr.nanopool.org"), withUse(false, 89.99, 5, busyFor)),
		},
		{
			name:   "busy but unsteady",
			reason: "a spread of 5.01 points is not steady",
			tel:    with(window(t0), withDNS("", "xmr.nanopool.org"), withUse(false, 94, 5.01, busyFor)),
		},
		{
			name:   "busy but not for long",
			reason: "samples spanning 29 minutes are not sustained",
			tel:    with(window(t0), withDNS("", "xmr.nanopool.org"), withUse(false, 99, 0, 29*time.Minute)),
		},
		{
			name:   "look-alike domain",
			reason: "a pool domain inside another name's labels is not a pool domain",
			tel:    with(window(t0), withDNS("", "supportxmr.com.example.net", "notsupportxmr.com"), withFlows(pool)),
		},
		{
			name:   "pool port on a private address",
			reason: "traffic inside the customer's own network is not a pool connection",
			tel:    with(window(t0), withDNS("", "pool.supportxmr.com"), withFlows(out(t0, ip("10.0.0.5"), 3333))),
		},
		{
			name:   "custom process list",
			reason: "a configured list replaces the default one",
			cfg:    abuse.Config{Mining: abuse.MiningConfig{Processes: []string{"hashcat"}}},
			tel:    with(window(t0), withProcess("xmrig", ""), withProcess("HashCat64", "")),
			want:   []brief{{"mining.activity", 50, 75, abuse.Outbound, 1}},
		},
	}
	runCases(t, "mining", cases)
}
