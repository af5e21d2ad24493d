package abuse

import (
	"net/netip"
	"slices"
	"strconv"

	"github.com/riskkit/riskkit/internal/text"
)

// smtpPort is the port mail servers accept mail from each other on.
const smtpPort = 25

// isSubmission reports whether p is a mail submission port: 587
// (submission with STARTTLS) or 465 (submission over TLS), where clients
// hand mail to a server that authenticates them.
func isSubmission(p uint16) bool { return p == 587 || p == 465 }

// spamDetector watches outbound mail to public addresses against the
// resource's own history, kept in its [Baseline]. Only delivered
// connections count: a record's Flows less its Failed ones, so that a scan
// touching port 25, or a server refusing every connection, is not mail.
//
// Port 25 (server to server) is judged against the resource's history:
//
//   - "spam.first_smtp": the first window in which a resource that has
//     never sent mail sends some: low severity (3.0, 40%) for a few
//     messages, medium (5.5, 65%) from BulkRecipients recipient servers or
//     MinFlows flows;
//   - "spam.new_sender": a resource that has sent mail before but has no
//     established baseline yet (fewer than WarmUpWindows windows of
//     steady sending): low (3.0, 35%) below bulk, medium (5.0, 55%) for
//     bulk. Each window of sending counts towards the warm-up whatever it
//     was reported as, so a steady sender stops being reported once warmed
//     up;
//   - "spam.volume_spike": a resource with an established baseline whose
//     flows or distinct recipient servers reach SpikeFactor times its
//     average and the absolute floor (MinFlows, MinRecipients): medium
//     (6.0, 70%); high (7.5, 85%) at five times that.
//
// Submission ports (587, 465) need credentials: an application relaying
// through its mail provider talks to a handful of that provider's servers.
// Delivered submission to at least SubmissionServers distinct servers in
// one window, the shape of stolen credentials tried on many providers, is
// "spam.submission_spread" (medium, 5.0, 55%).
type spamDetector struct{ cfg SpamConfig }

func (d *spamDetector) Name() string      { return "spam" }
func (d *spamDetector) Sources() []Source { return []Source{SourceFlows} }
func (d *spamDetector) Traits() Traits    { return Traits{OrderIndependent: true} }

// mailStats is a window's delivered outbound mail to public addresses.
type mailStats struct {
	flows, recipients int64 // port 25
	refused           int64 // port 25 connections that failed
	top               topDests
	when              span
	subFlows, subSrvs int64 // submission ports
	subTop            topDests
	subWhen           span
}

// delivered returns the connections of a record that did not fail.
func delivered(f *Flow) int64 { return max(f.Flows, 1) - min(max(f.Failed, 0), max(f.Flows, 1)) }

// smtpStats counts a window's delivered outbound mail to public addresses:
// flows (each record counts at least one) and distinct servers.
func smtpStats(t *Telemetry) mailStats {
	var s mailStats
	var addrs, subs []netip.Addr
	for i := range t.Flows {
		f := &t.Flows[i]
		if f.Direction != Outbound || (f.Port != smtpPort && !isSubmission(f.Port)) || !isPublic(f.Remote) {
			continue
		}
		n := delivered(f)
		if f.Port == smtpPort {
			s.refused = satAdd(s.refused, max(f.Flows, 1)-n)
		}
		if n <= 0 {
			continue
		}
		if f.Port == smtpPort {
			s.flows = satAdd(s.flows, n)
			addrs = append(addrs, f.Remote)
			s.top.add(f.Remote, f.Port, n)
			s.when.add(f.Time)
		} else {
			s.subFlows = satAdd(s.subFlows, n)
			subs = append(subs, f.Remote)
			s.subTop.add(f.Remote, f.Port, n)
			s.subWhen.add(f.Time)
		}
	}
	slices.SortFunc(addrs, netip.Addr.Compare)
	slices.SortFunc(subs, netip.Addr.Compare)
	s.recipients, s.subSrvs = int64(len(slices.Compact(addrs))), int64(len(slices.Compact(subs)))
	return s
}

func (d *spamDetector) Detect(in *DetectorInput) []Finding {
	s := smtpStats(in.Telemetry)
	var out []Finding
	if s.subSrvs >= d.cfg.SubmissionServers {
		out = append(out, Finding{
			Type: "spam.submission_spread", Category: Spam, Severity: 50, Confidence: 55, Direction: Outbound,
			Summary: "mail submitted to " + text.Plural(s.subSrvs, "server") + " on submission ports: " + text.Plural(s.subFlows, "flow") +
				"; a client relays through its own provider's few servers",
			Evidence:  Evidence{Counts: map[string]int64{"submission_flows": s.subFlows, "submission_servers": s.subSrvs}, Samples: s.subTop.addrs()},
			FirstSeen: s.subWhen.first, LastSeen: s.subWhen.last, Count: s.subFlows,
		})
	}
	if s.flows == 0 {
		return out
	}
	b := in.Baseline
	f := Finding{
		Category:  Spam,
		Direction: Outbound,
		Evidence: Evidence{
			Counts: map[string]int64{
				"smtp_flows":        s.flows,
				"recipient_servers": s.recipients,
				"history_windows":   b.Windows,
				"smtp_windows":      b.SMTPWindows,
			},
			Samples: s.top.addrs(),
		},
		FirstSeen: s.when.first,
		LastSeen:  s.when.last,
		Count:     s.flows,
	}
	if s.refused > 0 {
		f.Evidence.Counts["refused_smtp"] = s.refused
	}
	if s.subFlows > 0 {
		f.Evidence.Counts["submission_flows"] = s.subFlows
	}
	bulk := s.recipients >= d.cfg.BulkRecipients || s.flows >= d.cfg.MinFlows
	switch {
	case b.SMTPWindows == 0 && b.SteadyWindows == 0:
		f.Type = "spam.first_smtp"
		f.Severity, f.Confidence = 30, 40
		if bulk {
			f.Severity, f.Confidence = 55, 65
		}
		f.Summary = "first outbound SMTP from this resource: " + text.Plural(s.flows, "flow") + " to " + text.Plural(s.recipients, "server")
		return append(out, f)
	case !b.established(d.cfg.WarmUpWindows):
		f.Type = "spam.new_sender"
		f.Severity, f.Confidence = 30, 35
		if bulk {
			f.Severity, f.Confidence = 50, 55
		}
		f.Evidence.Counts["steady_windows"] = b.SteadyWindows
		f.Evidence.Counts["warm_up_windows"] = d.cfg.WarmUpWindows
		f.Summary = "outbound SMTP from a sender without a baseline yet: " + text.Plural(s.flows, "flow") + " to " +
			text.Plural(s.recipients, "server") + ", " + strconv.FormatInt(b.SteadyWindows, 10) + " of " +
			text.Plural(d.cfg.WarmUpWindows, "steady window") + " of warm-up"
		return append(out, f)
	}
	flowLimit := max(float64(d.cfg.MinFlows), d.cfg.SpikeFactor*b.SMTPFlows)
	rcptLimit := max(float64(d.cfg.MinRecipients), d.cfg.SpikeFactor*b.SMTPRecipients)
	if float64(s.flows) < flowLimit && float64(s.recipients) < rcptLimit {
		return out
	}
	f.Type = "spam.volume_spike"
	f.Severity, f.Confidence = 60, 70
	if float64(s.flows) >= 5*flowLimit || float64(s.recipients) >= 5*rcptLimit {
		f.Severity, f.Confidence = 75, 85
	}
	f.Evidence.Counts["baseline_smtp_flows"] = int64(b.SMTPFlows)
	f.Evidence.Counts["baseline_recipient_servers"] = int64(b.SMTPRecipients)
	f.Summary = "outbound SMTP spike: " + text.Plural(s.flows, "flow") + " to " + text.Plural(s.recipients, "server") +
		" against a usual " + strconv.FormatFloat(b.SMTPFlows, 'f', 0, 64) + " flows to " +
		strconv.FormatFloat(b.SMTPRecipients, 'f', 0, 64)
	return append(out, f)
}
