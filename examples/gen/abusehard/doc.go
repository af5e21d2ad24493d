// Command abusehard writes the abuse detectors' hold-out set: labelled
// hard cases that the detectors' thresholds were never tuned against.
//
//	go run ./examples/gen/abusehard            # rewrite the committed files
//	go run ./examples/gen/abusehard -dir /tmp
//
// The scenarios are written from descriptions of how tenants behave, with
// magnitudes taken from how such services run (bit rates of video streams,
// deliveries of a mail provider, the pace of a slow scan, the calls of a
// voice trunk), not from the detectors' thresholds, and with a seed and
// addresses of their own. examples/gen/telemetry is the tuning set; this is
// the set the README reports next to it.
//
// # Output
//
//	abuse_hard.jsonl           one abuse.Telemetry per line, hourly
//	                           windows in time order
//	abuse_hard_labels.json     per subscription and resource: scenario,
//	                           categories of misuse truly present, note
//	abuse_hard_customers.json  the abuse.CustomerRecord of each subscription
//	abuse_hard_state.json      the abuse.State before the first window:
//	                           histories and the allowances the host granted
//
// # Scenarios
//
// Legitimate heavy users: a video CDN node streaming to 2,000 viewers with
// and without replies in its flow logs, a backup to object storage and a
// database replication at gigabit rates, a mail provider, a new
// transactional mail service with no history, an application relaying
// through its provider, CI farms at full CPU and GPU, model training, an
// authorised vulnerability scanner, a consultancy whose staff and clients
// sign in from many tenants, a travelling team, a web server under attack,
// a load-balanced backend answering from its virtual address, a game
// server, a voice trunk with and without replies, a crawler and an uptime
// monitor.
//
// Abuse of each kind: floods with per-second peaks, SYN floods, a flood
// spread over a /24, reflection with spoofed sources, a flood in
// five-minute records without peaks, a slow port scan over a day, SSH brute
// force, a subnet scan, snowshoe spam, a hijacked relay, stolen submission
// credentials, low-and-slow spam, miners with and without pool names,
// hosted malware, a command-and-control implant, a resold subscription,
// unpaid usage beyond credit, an account farm, a scanner whose authorisation
// ran out, and a fraudster whose host filled in no account facts.
//
// # Determinism
//
// The output depends only on the seeds in generate.go. The package's test
// regenerates the files in memory and compares them with the committed
// ones, and measures the detectors on them against the README.
package main
