// Command telemetry writes the abuse example data: windows of usage
// telemetry from a cloud reseller's tenants, clean and abusive, with labels
// saying which is which, and the customer records enforcement reads.
//
//	go run ./examples/gen/telemetry            # rewrite the committed files
//	go run ./examples/gen/telemetry -dir /tmp
//
// Without -dir it writes into examples/data under the module root, found
// by walking up from the working directory to go.mod.
//
// # Output
//
//	telemetry.jsonl           one abuse.Telemetry per line, three hourly
//	                          windows per resource, in time order
//	telemetry_labels.json     per subscription and resource: the scenario,
//	                          the categories of misuse truly present (none
//	                          for clean ones) and a note
//	telemetry_customers.json  the abuse.CustomerRecord of each subscription, by
//	                          subscription id
//	telemetry_state.json      the abuse.State a host would have before the
//	                          first window: a month of each existing
//	                          resource's history
//
// # Scenarios
//
// Clean tenants carry the noise that trips naive detectors: steady
// near-full CPU and GPU from training and rendering jobs, a game server on
// a mining-pool port, a mail relay with a long SMTP history, a monitor that
// connects to many hosts, backups that flood private addresses, a security
// scanner sweeping its own private network, hashed content-delivery names,
// and a multinational business signing in from many countries.
//
// Abusive tenants cover every category: miners loud and stealthy, outbound
// floods, port scans, sweeps and brute force, first-time and spiking spam,
// hosted malware, command-and-control and generated-domain lookups,
// resold subscriptions, and theft of service (exposure beyond credit,
// account farms, country mismatches, GPU bursts from new accounts).
//
// Some cases are deliberately beyond the detectors, so that the measured
// precision and recall are honest: a miner whose host collects neither DNS
// nor processes, a flood summarised in minute-long records, an authorised
// penetration test, and a newsletter sender's first mails.
//
// # Determinism
//
// The output depends only on the fixed seeds of the PCG source in
// generate.go. The package's test regenerates the files in memory and
// compares them with the committed ones.
package main
