// Package abuse detects acceptable-use violations and theft of service in
// telemetry a host already collects, and recommends enforcement with a
// policy on the risk engine.
//
// A host collects, per subscription or resource and per window, what it
// has: utilisation samples, network flow summaries, DNS lookups, processes,
// authentication failures, hosted files with reputation verdicts, sign-ins,
// activity-log events and account facts. [New] checks a [Config] once and
// returns a [Monitor], immutable and bound to it, which evaluates each
// window against the [State] the previous window left, as every riskkit
// state machine does: [Monitor.Evaluate](prev, in, now) returns a [Result]
// with the new state, the window's findings and the instant at which time
// alone changes the state. An [Enforcer] turns findings into
// recommendations:
//
//	mon, err := abuse.New(abuse.Config{}) // documented defaults
//	enf, err := abuse.NewEnforcer(policyYAML)
//
//	var st abuse.State // or the state stored after the last window
//	res, err := mon.Evaluate(st, &window, now)
//	// store res.State; res.Next is when time alone changes it
//	for _, f := range res.Findings {
//		r := enf.Recommend(f, abuse.CustomerRecord{Customer: risk.Customer{ID: "c-1"}}, now)
//		// r.Action, r.Steps, r.Deadline, r.IdempotencyKey
//	}
//
// # Findings
//
// A [Finding] has a stable type name (such as "mining.activity"), a
// [Category], a [Severity] from 1.0 to 8.9 in the bands [Low] (below 4.0),
// [Medium] (below 7.0) and [High], kept as a whole number of tenths (75 is
// 7.5) and written 7.5 in JSON, a confidence in percent, a [Direction],
// [Evidence] (counts, amounts and sample destinations), first and last
// sightings, and a count. Activity that continues in later windows updates
// the open finding instead of opening another; see [Monitor.Evaluate].
//
// # Detectors
//
// The built-in detectors, with defaults set in [Config]:
//
//	mining   pool ports (1 point), pool domains (2), stratum URLs (3),
//	         miner processes (3), sustained steady CPU/GPU use (1); a
//	         finding needs 3 points and a domain, URL or process
//	dos      outbound to one public target (an address, or a /24 or /64
//	         of several), averaged over 5 s or from per-second peaks:
//	         20,000 packets/s, 1,000 Mbit/s or 3,500 new flows/s, and then
//	         only traffic that looks like a flood (no replies, handshakes
//	         only, small packets or connectionless); 1,000 spoofed packets
//	hacking  15 ports of one host or 25 hosts on one port with failed
//	         connections in 5 minutes; 100 ports of one host in 24 hours
//	         across windows (a slow scan); 30 failed logins in 30 minutes;
//	         outbound is high severity, inbound low
//	spam     delivered outbound SMTP only: the first from a resource that
//	         never sent mail; a new sender until 24 windows of steady
//	         sending give it a baseline; then flows or recipients 10 times
//	         that baseline; submission (587, 465) to 10 servers
//	malware  malicious hosted files, command-and-control and malware
//	         domain lookups, algorithmically generated domain names
//	resale   many foreign tenants from many countries; usage that does not
//	         fit the declared profile
//	theft    usage beyond prepayment plus credit, account bursts sharing a
//	         device, card or address, country mismatches, sudden large
//	         deployments from new accounts
//
// Each detector's doc comment in the source gives its exact rules,
// severities and confidences.
//
// # Missing telemetry
//
// Missing telemetry is never read as clean. A source counts as collected
// when [Telemetry.Collected] lists it or its records are present; a
// detector missing a source it needs does not run, and [Result.Unchecked]
// says so, as it does for detectors that ran without some optional source.
// A detector that ran but could not check everything, because a record
// left facts out or was too coarse, says what in [Unchecked.Gaps]: an
// [AccountFacts] with nothing filled in lists every theft-of-service check as
// not done. Account facts belong in the subscription's window;
// [Telemetry.Validate] refuses them in a resource's window, where the
// detectors that read them do not run.
//
// # Floods and busy servers
//
// A busy server is not a flood. The dos detector reads its thresholds per
// target, as network operators' flood detectors do, so that a video CDN
// pushing 2 Gbit/s to 2,000 viewers is never summed into one "flood", and
// a /24 or /64 is a target too, so that spreading a flood over a victim's
// subnet does not hide it. A target over a threshold is then weighed:
// almost no replies (under one packet back for ten sent) or handshakes
// only (TCP with at most three packets per new connection) are floods of
// high confidence; a target that answers (replies reported, one for ten or
// more) is a served client; small packets (under 300 bytes) or UDP and
// ICMP without replies reported are floods of lower confidence; and large
// TCP packets without replies reported, which look like an established
// transfer, are reported as a gap rather than guessed at. The optional
// [Flow] fields ReplyPackets, Established, PeakPackets, PeakBytes and
// Source, with [Telemetry.Addresses], carry what this needs; where they are
// absent the report says what was not checked: a flood averaged away
// inside records longer than the interval, a target that could not be
// told from service, spoofing.
//
// # Thresholds and why
//
//   - Flood rates (20,000 packets/s, 1,000 Mbit/s, 3,500 new flows/s) are
//     the per-host defaults of FastNetMon, the open flood detector that
//     network operators run, and like it they apply to each target, never
//     to a resource's total, which for a busy server says nothing.
//   - One reply for ten packets separates a served client from a flood's
//     target: TCP acknowledges at least one segment in two and QUIC about
//     as often, while a flooded host answers with rate-limited refusals at
//     most. Three packets per new connection is a handshake with nothing
//     after it. Packets under 300 bytes on average carry no video, files or
//     pages at the rates the thresholds name.
//   - A slow scan is 100 distinct ports of one host within 24 hours: no
//     client fails on that many ports of one server by accident, and ten
//     ports an hour gets there in ten hours. Only hosts with two or more
//     failed ports in a window are remembered ([MaxProbes] at most), so a
//     monitor that fails on one port leaves nothing in the state.
//   - A mail baseline takes 24 steady windows, a day of hourly windows: a
//     day covers a sender's daily cycle, and a factor of two either way
//     between windows is the day-to-night swing of ordinary mail.
//   - Submission to 10 distinct servers in a window is spread: a client
//     submits through its own provider's few relays.
//
// # Mail baselines
//
// "First" SMTP means first: spam.first_smtp is reported once, in the first
// window in which a resource that has never sent mail sends some. Until the
// resource has a baseline its sending is spam.new_sender, low or medium by
// volume. A baseline comes from history (windows folded into
// [Baseline.SMTPFlows]) or from steady sending: [SpamConfig.WarmUpWindows]
// windows (24 by default, a day of hourly windows) whose flows and recipient
// servers each stay within a factor of two of their running mean. The state
// records those windows whatever they were reported as, so a steady sender
// with no stored history, say 600 flows to 60 servers an hour, is judged
// against its own behaviour from its 25th window on, and only a change of
// ten times that is a spike. The price is that a spammer sending steadily
// for a whole day becomes its own baseline; by then the policy has acted on
// 24 medium findings. Only delivered connections (Flows less Failed) count
// as mail: a scan touching port 25 is not spam.
//
// # Allowances
//
// Some activity that looks like misuse is authorised: a penetration test
// the target's owner ordered, a mail server the host vetted, a known
// content-delivery node. The host says so with an [Allowance] in
// [Config.Allowances] or [State.Allowances]: a category, a subscription
// (and resource), optionally the target addresses, and a time window that
// always ends. The monitor runs a detector again without the covered
// activity; findings that disappear are listed in [Result.StoodDown] with
// the allowance, as the reason the detector stood down, and what remains
// (a scan of hosts outside the test, mail after the allowance expired) is
// reported as usual.
//
// # Custom detectors
//
// A host adds detectors by implementing [Detector] and passing them to
// [New]. Detectors must be deterministic and pure; the abusetest package
// checks that, and that they never panic, inside go test.
//
// Every enumeration (such as [Category], [Direction] or [Enforcement]) is a
// string whose zero value "" is documented and named ("unknown", "none"),
// with String, MarshalText and UnmarshalText; the provider's statuses and
// levels ([NoticeStatus], [NoticeLevel], [Resolution]) also keep values
// riskkit does not know, as the provider wrote them.
//
// # Enforcement
//
// An enforcement policy is a risk policy over [CaseSchema]: the finding,
// the customer ([CustomerRecord]: a [risk.Customer] with the host's record
// of it) and now. Its outcomes are [Enforcement] names, suspend, throttle,
// notify and none, and its rules say which findings of which customers get
// which step; examples/policies/abuse.yaml suspends high severity now,
// throttles medium and notifies low, a step softer for trusted customers. A
// [Recommendation] carries the action, the concrete [Step] list, the
// reasons, a response deadline (1 hour for high severity, 24 hours
// otherwise, unless the policy's deadline_high and deadline_other
// parameters say otherwise) and an idempotency key.
//
// # Input
//
// [ParseTelemetry] reads windows from JSON Lines and reports bad input by
// record, field path, line and column in a *[risk.DocumentError] wrapping
// [ErrInvalidTelemetry]. [Telemetry.Validate] checks windows built in Go.
// Every problem riskkit finds with a document, a configuration or a state
// comes back the same way, wrapping [ErrInvalidTelemetry],
// [ErrInvalidNotice], [ErrInvalidConfig], [ErrInvalidPolicy] or
// [ErrInvalidState] for errors.Is.
//
// # Provider notices
//
// The provider tells a partner about fraud and misuse in its own notices:
// fraud events, security alerts, webhooks that point at them, audit
// records, enforcement notices and abuse reports. [ParseNotices] reads
// each as the provider sends it into one [Notice] model, and
// [ParseNoticeFile] reads a host's file of response bodies from several
// sources. Enforcement notices and abuse reports have no documented JSON;
// the decoder reads these camelCase fields, matched without regard to
// case:
//
//	enforcement   caseId (or id), violation, enforcementAction,
//	              subscriptionId, customerTenantId, partnerTenantId,
//	              noticeDateTime, firstObservedDateTime,
//	              lastObservedDateTime, resourceIds, description, status
//	abuse_report  reportId (or id), incidentType, subscriptionId,
//	              customerTenantId, reportedDateTime,
//	              firstObservedDateTime, lastObservedDateTime, ips, urls,
//	              resourceIds, description
//
// A [Triage] maps each notice to a category by [KindRule] data, makes it a
// finding, and correlates it with riskkit's findings: a notice a detector
// also saw raises both confidences; one no detector saw is a detection
// gap. [Triage.Evaluate] tracks notices as cases (received, acknowledged,
// investigating, resolved as fraud, legitimate or ignored, reopened) with
// the deadlines of [Deadlines], returns the actions due with idempotency
// keys and the provider's status-update requests as data, and counts
// resolutions per detector and category so that false positives can be
// read from [CaseState.FalsePositives].
//
// An [ActivityDetector] reads activity logs: audit records through
// [ActivityFromNotice], or the customer tenant's logs mapped by the host to
// [ActivityRecord]. Its thresholds are in [ActivityConfig] and its rules in
// its doc comment; each [ActivityFinding] says what the logs could not show.
// [ActivityDetector.Evaluate](prev, records, now) has the shape of every
// evaluator: the [ActivityState] of the previous evaluation in, an
// [ActivityResult] holding the new one out.
//
// # Concurrency
//
// [Monitor], [Enforcer], [Triage] and [ActivityDetector] are immutable and
// safe for concurrent use. A [State], [CaseState] or [ActivityState] is a
// value: concurrent windows of the same subscription, or evaluations of
// the same cases, must be applied one after the other by the host.
package abuse
