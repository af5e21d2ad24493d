package abuse

import (
	"fmt"
	"strings"
	"time"
)

// Config sets the thresholds of the built-in detectors. The zero value of
// every field selects its documented default, so Config{} is the default
// configuration; [DefaultConfig] returns it filled in. A negative value is
// an error.
type Config struct {
	Mining  MiningConfig
	DoS     DoSConfig
	Hacking HackingConfig
	Spam    SpamConfig
	Malware MalwareConfig
	Resale  ResaleConfig
	Theft   TheftConfig

	// QuietPeriod is how long activity may pause before the same activity
	// opens a new finding instead of updating the old one; findings not
	// seen for longer are dropped from [State] (default 24 hours).
	QuietPeriod time.Duration
	// Disabled names built-in detectors not to run, such as "spam".
	Disabled []string
	// Allowances are authorised activities known when the monitor is
	// built; see [Allowance]. Those that change often belong in [State].
	Allowances []Allowance
}

// MiningConfig sets the crypto-mining detector. Connections to pool ports
// alone never make a finding: too many legitimate services listen on them.
type MiningConfig struct {
	// Ports are the well-known mining-pool ports (default
	// [DefaultPoolPorts]).
	Ports []uint16
	// Domains are pool domain names; a name matches when it equals one or
	// ends in "."+one (default [DefaultPoolDomains]).
	Domains []string
	// Processes are miner process names; a process matches when its base
	// name, lower-cased and without ".exe", starts with one (default
	// [DefaultMinerProcesses]).
	Processes []string
	// BusyPercent is the mean CPU or GPU use, in percent, that counts as
	// near-full (default 90).
	BusyPercent float64
	// MaxSpread is the largest standard deviation of that use, in
	// percentage points, that counts as steady (default 5).
	MaxSpread float64
	// BusyFor is how long the samples must span to count as sustained
	// (default 30 minutes).
	BusyFor time.Duration
}

// DoSConfig sets the outbound denial-of-service detector. The rates are
// per target (one destination, or one /24 or /64 of several), averaged
// over each Interval of outbound traffic to public addresses; an interval
// at or above any of them counts, and the detector then weighs whether the
// traffic looks like a flood or like service.
type DoSConfig struct {
	PacketsPerSecond  int64         // default 20,000
	MegabitsPerSecond int64         // default 1,000
	FlowsPerSecond    int64         // default 3,500 new flows
	Interval          time.Duration // default 5 seconds
	// SpoofedPackets is how many packets from addresses that are not the
	// resource's make spoofed traffic in one window (default 1,000).
	SpoofedPackets int64
}

// HackingConfig sets the port-scan, sweep and brute-force detectors.
type HackingConfig struct {
	// ScanPorts is how many distinct ports with failed connections to one
	// host within ScanWindow make a vertical scan (default 15).
	ScanPorts int
	// SweepHosts is how many distinct hosts with failed connections on one
	// port within ScanWindow make a horizontal sweep (default 25).
	SweepHosts int
	// ScanWindow defaults to 5 minutes.
	ScanWindow time.Duration
	// BruteForceFailures is how many failed logins to one service within
	// BruteForceWindow make a brute-force attempt (default 30).
	BruteForceFailures int64
	// BruteForceWindow defaults to 30 minutes.
	BruteForceWindow time.Duration
	// SlowScanPorts is how many distinct ports with failed connections to
	// one public host within SlowScanWindow, across windows, make a slow
	// vertical scan (default 100).
	SlowScanPorts int
	// SlowScanWindow defaults to 24 hours.
	SlowScanWindow time.Duration
}

// SpamConfig sets the spam detector, which watches delivered outbound mail
// (port 25, and the submission ports 587 and 465) to public addresses
// against the resource's own history.
type SpamConfig struct {
	// SpikeFactor is how many times its baseline a resource's SMTP flows or
	// recipients must reach to count as a spike (default 10).
	SpikeFactor float64
	// MinFlows and MinRecipients are the least SMTP flows or distinct
	// recipient servers in a window that can count as a spike, so that a
	// quiet baseline does not turn a handful of mails into a finding
	// (defaults 100 and 20).
	MinFlows      int64
	MinRecipients int64
	// BulkRecipients is how many distinct recipient servers make first-time
	// SMTP medium rather than low severity (default 10).
	BulkRecipients int64
	// WarmUpWindows is how many windows of steady sending give a resource
	// a baseline (default 24: a day of hourly windows).
	WarmUpWindows int64
	// SubmissionServers is how many distinct servers on the submission
	// ports (587, 465) in one window count as spread (default 10).
	SubmissionServers int64
}

// MalwareConfig sets the malware-distribution detector.
type MalwareConfig struct {
	// DGANames is how many distinct algorithmically generated-looking names
	// a resource must look up in one window (default 8).
	DGANames int
}

// ResaleConfig sets the subscription-resale detector.
type ResaleConfig struct {
	// Tenants and Countries: sign-ins from at least this many distinct
	// foreign tenants and this many distinct countries in one window
	// (defaults 5 and 4).
	Tenants   int
	Countries int
	// SeatsFactor is how many times the declared seats the distinct users
	// must reach to contradict the profile (default 3).
	SeatsFactor int64
	// ForeignCountries is how many distinct countries outside the declared
	// ones contradict the profile (default 3).
	ForeignCountries int
}

// TheftConfig sets the theft-of-service detector.
type TheftConfig struct {
	// SharedAccounts is how many other recent accounts sharing a device,
	// card or address make an account burst (default 3).
	SharedAccounts int64
	// NewAccount is the age below which an account is new (default 7 days).
	NewAccount time.Duration
	// GPUs and Instances are how many GPUs, or instances of any SKU, a new
	// account must deploy in one window to count as a sudden large
	// deployment (defaults 8 and 50).
	GPUs      int64
	Instances int64
}

// DefaultPoolPorts returns the well-known mining-pool ports: the stratum
// defaults of the large pools and the peer-to-peer ports of the mined
// chains.
func DefaultPoolPorts() []uint16 {
	return []uint16{
		1800, 3032, 3333, 3334, 3335, 3336, 3357, 4444, 5555, 5556, 5588, 5730,
		6099, 6666, 7777, 7778, 8333, 9332, 9999, 10128, 10343, 14433, 14444,
		17777, 18080, 18081, 20535, 20580, 45560, 45700,
	}
}

// DefaultPoolDomains returns the domains of well-known mining pools.
func DefaultPoolDomains() []string {
	return []string{
		"2miners.com", "antpool.com", "braiins.com", "c3pool.com", "dwarfpool.com",
		"ethermine.org", "f2pool.com", "flexpool.io", "hashvault.pro", "herominers.com",
		"hiveon.net", "kryptex.network", "minergate.com", "minexmr.com", "mining-dutch.nl",
		"miningpoolhub.com", "moneroocean.stream", "nanopool.org", "nicehash.com",
		"p2pool.io", "poolin.com", "prohashing.com", "rplant.xyz", "slushpool.com",
		"supportxmr.com", "unmineable.com", "viabtc.com", "woolypooly.com", "xmrpool.eu",
		"zergpool.com", "zpool.ca",
	}
}

// DefaultMinerProcesses returns the process names of common miners.
func DefaultMinerProcesses() []string {
	return []string{
		"bfgminer", "bminer", "ccminer", "cgminer", "cpuminer", "ethminer", "gminer",
		"kawpowminer", "lolminer", "minerd", "nanominer", "nbminer", "nheqminer",
		"phoenixminer", "srbminer", "t-rex", "teamredminer", "xmr-stak", "xmrig",
	}
}

// DefaultConfig returns the default configuration with every field filled
// in.
func DefaultConfig() Config {
	c, _ := Config{}.withDefaults()
	return c
}

// withDefaults fills the zero fields and checks the others. The error is
// a *risk.DocumentError wrapping ErrInvalidConfig, with the fields' Go
// names as paths, such as "Mining.BusyPercent".
func (c Config) withDefaults() (Config, error) {
	is := issues{sentinel: ErrInvalidConfig}
	bad := func(name string, v any) {
		is.add(name, "is negative (%v)", v)
	}
	def := func(p *time.Duration, name string, d time.Duration) {
		if *p < 0 {
			bad(name, *p)
		}
		if *p <= 0 {
			*p = d
		}
	}
	defInt := func(p *int64, name string, d int64) {
		if *p < 0 {
			bad(name, *p)
		}
		if *p <= 0 {
			*p = d
		}
	}
	defN := func(p *int, name string, d int) {
		if *p < 0 {
			bad(name, *p)
		}
		if *p <= 0 {
			*p = d
		}
	}
	defF := func(p *float64, name string, d float64) {
		if *p < 0 || *p != *p {
			bad(name, *p)
		}
		if !(*p > 0) {
			*p = d
		}
	}
	m := &c.Mining
	if m.Ports == nil {
		m.Ports = DefaultPoolPorts()
	}
	if m.Domains == nil {
		m.Domains = DefaultPoolDomains()
	}
	if m.Processes == nil {
		m.Processes = DefaultMinerProcesses()
	}
	for i, d := range m.Domains {
		d = strings.TrimSuffix(strings.ToLower(strings.TrimSpace(d)), ".")
		if d == "" || strings.ContainsAny(d, " /:") {
			is.add(fmt.Sprintf("Mining.Domains[%d]", i), "%q is not a domain name", m.Domains[i])
		}
	}
	for i, p := range m.Processes {
		if strings.TrimSpace(p) == "" {
			is.add(fmt.Sprintf("Mining.Processes[%d]", i), "is empty")
		}
	}
	defF(&m.BusyPercent, "Mining.BusyPercent", 90)
	if m.BusyPercent > 100 {
		is.add("Mining.BusyPercent", "%v is above 100", m.BusyPercent)
	}
	defF(&m.MaxSpread, "Mining.MaxSpread", 5)
	def(&m.BusyFor, "Mining.BusyFor", 30*time.Minute)

	d := &c.DoS
	defInt(&d.PacketsPerSecond, "DoS.PacketsPerSecond", 20000)
	defInt(&d.MegabitsPerSecond, "DoS.MegabitsPerSecond", 1000)
	defInt(&d.FlowsPerSecond, "DoS.FlowsPerSecond", 3500)
	def(&d.Interval, "DoS.Interval", 5*time.Second)
	defInt(&d.SpoofedPackets, "DoS.SpoofedPackets", 1000)
	if d.Interval%time.Second != 0 {
		is.add("DoS.Interval", "%v is not a whole number of seconds", d.Interval)
	}

	h := &c.Hacking
	defN(&h.ScanPorts, "Hacking.ScanPorts", 15)
	defN(&h.SweepHosts, "Hacking.SweepHosts", 25)
	def(&h.ScanWindow, "Hacking.ScanWindow", 5*time.Minute)
	defInt(&h.BruteForceFailures, "Hacking.BruteForceFailures", 30)
	def(&h.BruteForceWindow, "Hacking.BruteForceWindow", 30*time.Minute)
	defN(&h.SlowScanPorts, "Hacking.SlowScanPorts", 100)
	def(&h.SlowScanWindow, "Hacking.SlowScanWindow", 24*time.Hour)

	s := &c.Spam
	defF(&s.SpikeFactor, "Spam.SpikeFactor", 10)
	defInt(&s.MinFlows, "Spam.MinFlows", 100)
	defInt(&s.MinRecipients, "Spam.MinRecipients", 20)
	defInt(&s.BulkRecipients, "Spam.BulkRecipients", 10)
	defInt(&s.WarmUpWindows, "Spam.WarmUpWindows", 24)
	defInt(&s.SubmissionServers, "Spam.SubmissionServers", 10)

	defN(&c.Malware.DGANames, "Malware.DGANames", 8)

	r := &c.Resale
	defN(&r.Tenants, "Resale.Tenants", 5)
	defN(&r.Countries, "Resale.Countries", 4)
	defInt(&r.SeatsFactor, "Resale.SeatsFactor", 3)
	defN(&r.ForeignCountries, "Resale.ForeignCountries", 3)

	t := &c.Theft
	defInt(&t.SharedAccounts, "Theft.SharedAccounts", 3)
	def(&t.NewAccount, "Theft.NewAccount", 7*24*time.Hour)
	defInt(&t.GPUs, "Theft.GPUs", 8)
	defInt(&t.Instances, "Theft.Instances", 50)

	def(&c.QuietPeriod, "QuietPeriod", 24*time.Hour)
	for i := range c.Allowances {
		c.Allowances[i].check(&is, fmt.Sprintf("Allowances[%d]", i))
	}
	return c, is.err("config", nil)
}
