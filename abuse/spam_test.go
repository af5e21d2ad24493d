package abuse_test

import (
	"testing"
	"time"

	"github.com/riskkit/riskkit/abuse"
)

// smtp returns flows outbound SMTP flow records to servers distinct
// recipient servers.
func smtp(flows, servers int) func(*abuse.Telemetry) {
	return func(t *abuse.Telemetry) {
		for i := range flows {
			t.Flows = append(t.Flows, out(t.Window.Start.Add(time.Duration(i)*time.Second), public(i%servers), 25))
		}
	}
}

func TestSpamThresholds(t *testing.T) {
	mailer := &abuse.Baseline{Subscription: "sub-1", Resource: "vm-1", Windows: 30, SMTPWindows: 30, SMTPFlows: 30, SMTPRecipients: 5}
	quiet := &abuse.Baseline{Subscription: "sub-1", Resource: "vm-1", Windows: 20}
	cases := []detectorCase{
		{
			name:   "no SMTP",
			reason: "nothing on port 25",
			tel:    with(window(t0), withFlows(out(t0, public(1), 443))),
			base:   quiet,
		},
		{
			name:   "first SMTP, a few mails",
			reason: "a resource with no SMTP history starting to send is worth a low notice",
			tel:    with(window(t0), smtp(5, 2)),
			base:   quiet,
			want:   []brief{{"spam.first_smtp", 30, 40, abuse.Outbound, 5}},
		},
		{
			name:   "first SMTP from a brand-new resource",
			reason: "no history at all is no history of SMTP either",
			tel:    with(window(t0), smtp(5, 2)),
			want:   []brief{{"spam.first_smtp", 30, 40, abuse.Outbound, 5}},
		},
		{
			name:   "first SMTP to many servers",
			reason: "10 recipient servers is bulk mail: medium",
			tel:    with(window(t0), smtp(10, 10)),
			base:   quiet,
			want:   []brief{{"spam.first_smtp", 55, 65, abuse.Outbound, 10}},
		},
		{
			name:   "first SMTP to one server short of bulk",
			reason: "9 recipient servers and 9 flows stay low",
			tel:    with(window(t0), smtp(9, 9)),
			base:   quiet,
			want:   []brief{{"spam.first_smtp", 30, 40, abuse.Outbound, 9}},
		},
		{
			name:   "SMTP to a private relay",
			reason: "mail to the customer's own relay is not outbound spam",
			tel:    with(window(t0), withFlows(out(t0, ip("192.168.1.25"), 25))),
			base:   quiet,
		},
		{
			name:   "usual volume",
			reason: "a mail server sending what it always sends",
			tel:    with(window(t0), smtp(35, 6)),
			base:   mailer,
		},
		{
			name:   "flow spike at the threshold",
			reason: "300 flows is 10 times the baseline of 30 and above the floor of 100",
			tel:    with(window(t0), smtp(300, 6)),
			base:   mailer,
			want:   []brief{{"spam.volume_spike", 60, 70, abuse.Outbound, 300}},
		},
		{
			name:   "flow spike just below",
			reason: "299 flows is under 10 times the baseline",
			tel:    with(window(t0), smtp(299, 6)),
			base:   mailer,
		},
		{
			name:   "recipient spike at the floor",
			reason: "20 servers is the absolute floor, above 10 times a baseline of 1",
			tel:    with(window(t0), smtp(40, 20)),
			base:   &abuse.Baseline{Windows: 30, SMTPWindows: 30, SMTPFlows: 40, SMTPRecipients: 1},
			want:   []brief{{"spam.volume_spike", 60, 70, abuse.Outbound, 40}},
		},
		{
			name:   "recipient spike just below the floor",
			reason: "19 servers is under the floor of 20 even against a baseline of 1",
			tel:    with(window(t0), smtp(40, 19)),
			base:   &abuse.Baseline{Windows: 30, SMTPWindows: 30, SMTPFlows: 40, SMTPRecipients: 1},
		},
		{
			name:   "huge spike",
			reason: "five times the spike threshold is high severity",
			tel:    with(window(t0), smtp(1500, 100)),
			base:   mailer,
			want:   []brief{{"spam.volume_spike", 75, 85, abuse.Outbound, 1500}},
		},
	}
	runCases(t, "spam", cases)
}
