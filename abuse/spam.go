package abuse

import (
	"net/netip"
	"slices"
	"strconv"
)

// smtpPort is the port mail servers accept mail from each other on. Mail
// submission ports (587, 465) need credentials and are not watched.
const smtpPort = 25

// spamDetector watches outbound SMTP to public addresses against the
// resource's own history, kept in its [Baseline].
//
// A resource with no SMTP in its history that starts sending is reported
// as "spam.first_smtp": low severity for a few messages, medium when it
// reaches at least BulkRecipients recipient servers or MinFlows flows. A
// resource that has sent mail
// before is reported as "spam.volume_spike" when its SMTP flows or distinct
// recipient servers reach SpikeFactor times its average and the absolute
// floor (MinFlows, MinRecipients); high severity at five times that.
type spamDetector struct{ cfg SpamConfig }

func (d *spamDetector) Name() string      { return "spam" }
func (d *spamDetector) Sources() []Source { return []Source{SourceFlows} }
func (d *spamDetector) Traits() Traits    { return Traits{OrderIndependent: true} }

// smtpStats counts a window's outbound SMTP to public addresses: flows
// (each record counts at least one) and distinct recipient servers.
func smtpStats(t *Telemetry) (flows, recipients int64, top topDests, when span) {
	var addrs []netip.Addr
	for i := range t.Flows {
		f := &t.Flows[i]
		if f.Direction != Outbound || f.Port != smtpPort || !isPublic(f.Remote) {
			continue
		}
		n := max(f.Flows, 1)
		flows = satAdd(flows, n)
		addrs = append(addrs, f.Remote)
		top.add(f.Remote, f.Port, n)
		when.add(f.Time)
	}
	slices.SortFunc(addrs, netip.Addr.Compare)
	return flows, int64(len(slices.Compact(addrs))), top, when
}

func (d *spamDetector) Detect(in *Input) []Finding {
	flows, recipients, top, when := smtpStats(in.Telemetry)
	if flows == 0 {
		return nil
	}
	b := in.Baseline
	f := Finding{
		Category:  Spam,
		Direction: Outbound,
		Evidence: Evidence{
			Counts: map[string]int64{
				"smtp_flows":        flows,
				"recipient_servers": recipients,
				"history_windows":   b.Windows,
				"smtp_windows":      b.SMTPWindows,
			},
			Samples: top.addrs(),
		},
		FirstSeen: when.first,
		LastSeen:  when.last,
		Count:     flows,
	}
	if b.SMTPWindows == 0 {
		f.Type = "spam.first_smtp"
		f.Severity, f.Confidence = 3.0, 40
		if recipients >= d.cfg.BulkRecipients || flows >= d.cfg.MinFlows {
			f.Severity, f.Confidence = 5.5, 65
		}
		f.Summary = "first outbound SMTP from this resource: " + plural(flows, "flow") + " to " + plural(recipients, "server")
		return []Finding{f}
	}
	flowLimit := max(float64(d.cfg.MinFlows), d.cfg.SpikeFactor*b.SMTPFlows)
	rcptLimit := max(float64(d.cfg.MinRecipients), d.cfg.SpikeFactor*b.SMTPRecipients)
	if float64(flows) < flowLimit && float64(recipients) < rcptLimit {
		return nil
	}
	f.Type = "spam.volume_spike"
	f.Severity, f.Confidence = 6.0, 70
	if float64(flows) >= 5*flowLimit || float64(recipients) >= 5*rcptLimit {
		f.Severity, f.Confidence = 7.5, 85
	}
	f.Evidence.Counts["baseline_smtp_flows"] = int64(b.SMTPFlows)
	f.Evidence.Counts["baseline_recipient_servers"] = int64(b.SMTPRecipients)
	f.Summary = "outbound SMTP spike: " + plural(flows, "flow") + " to " + plural(recipients, "server") +
		" against a usual " + strconv.FormatFloat(b.SMTPFlows, 'f', 0, 64) + " flows to " +
		strconv.FormatFloat(b.SMTPRecipients, 'f', 0, 64)
	return []Finding{f}
}
