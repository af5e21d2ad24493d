package abuse

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/riskkit/riskkit/internal/text"
	"github.com/riskkit/riskkit/risk"
)

// MaxWindow is the longest window of telemetry [Telemetry.Validate]
// accepts: 31 days.
const MaxWindow = 31 * 24 * time.Hour

// inNanoRange reports whether a window lies between 1970 and the end of
// the range of Unix nanoseconds, in which detectors do their arithmetic.
func inNanoRange(w Interval) bool {
	return !w.Start.Before(time.Unix(0, 0)) && !w.End.After(time.Unix(0, math.MaxInt64-int64(MaxWindow)))
}

// Validate checks the telemetry and returns a *[risk.DocumentError]
// wrapping [ErrInvalidTelemetry] that lists every problem (up to twenty,
// and then how many more), each at its path in the JSON's own names, such
// as "flows[3].remote": a missing subscription; a window that is
// empty, reversed, longer than [MaxWindow] or outside 1970 to 2262; records
// outside the window; enumerations outside their values; negative counts;
// utilisation outside 0 to 100 percent; invalid addresses; flow records
// longer than [MaxFlowSeconds]; account facts in a resource's window; and
// account amounts in different currencies,
// negative, or too large to add up.
func (t *Telemetry) Validate() error {
	p := t.check()
	return p.err(telemetrySubject(0, t.Subscription), nil)
}

// telemetrySubject names a window in errors: by its position in the
// source when it was decoded, and by its subscription when known.
func telemetrySubject(record int, subscription string) string {
	s := "telemetry"
	if record > 0 {
		s += " record " + strconv.Itoa(record)
	}
	if subscription != "" {
		s += " (subscription " + strconv.Quote(subscription) + ")"
	}
	return s
}

// check returns the problems of the telemetry.
func (t *Telemetry) check() *issues {
	p := &issues{sentinel: ErrInvalidTelemetry}
	if strings.TrimSpace(t.Subscription) == "" {
		p.add("subscription", "is required")
	}
	w := t.Window
	switch {
	case w.Start.IsZero() || w.End.IsZero():
		p.add("window", "start and end are required")
	case !w.End.After(w.Start):
		p.add("window.end", "%s is not after the start %s", w.End.Format(time.RFC3339), w.Start.Format(time.RFC3339))
	case w.Duration() > MaxWindow:
		p.add("window.end", "the window is %v long, more than %v", w.Duration(), MaxWindow)
	case !inNanoRange(w):
		p.add("window", "must lie between 1970 and 2262")
	}
	inWindow := func(r rec, at time.Time) {
		if !w.Contains(at) {
			p.add(r.field("time"), "%s is outside the window %s to %s", at.Format(time.RFC3339Nano), w.Start.Format(time.RFC3339), w.End.Format(time.RFC3339))
		}
	}
	for i, s := range t.Collected {
		if !slices.Contains(Sources(), s) {
			p.add(fmt.Sprintf("collected[%d]", i), "unknown telemetry source %q", s)
		}
	}
	for _, series := range []struct {
		name    string
		samples []Sample
	}{{"cpu", t.CPU}, {"gpu", t.GPU}} {
		for i, s := range series.samples {
			r := rec{series.name, i}
			inWindow(r, s.Time)
			if !(s.Percent >= 0 && s.Percent <= 100) {
				p.add(r.field("percent"), "%v is not between 0 and 100", s.Percent)
			}
		}
	}
	for i := range t.Flows {
		f := &t.Flows[i]
		r := rec{"flows", i}
		inWindow(r, f.Time)
		checkDirection(p, r, f.Direction)
		if !f.Remote.IsValid() {
			p.add(r.field("remote"), "an IP address is required")
		}
		if f.Seconds < 0 || f.Seconds > MaxFlowSeconds {
			p.add(r.field("seconds"), "%d is not between 0 and %d", f.Seconds, MaxFlowSeconds)
		}
		switch f.Protocol {
		case "", TCP, UDP, ICMP, Other:
		default:
			p.add(r.field("protocol"), "unknown protocol %q", f.Protocol)
		}
		for _, c := range []struct {
			name string
			n    int64
		}{{"packets", f.Packets}, {"bytes", f.Bytes}, {"flows", f.Flows}, {"failed", f.Failed}, {"peak_packets", f.PeakPackets}, {"peak_bytes", f.PeakBytes}} {
			if c.n < 0 {
				p.add(r.field(c.name), "%d is negative", c.n)
			}
		}
		for _, c := range []struct {
			name string
			v    risk.Signal
		}{{"reply_packets", f.ReplyPackets}, {"established", f.Established}} {
			if n, ok := c.v.Get(); ok && n < 0 {
				p.add(r.field(c.name), "%d is negative", n)
			}
		}
		if f.Packets >= 0 && f.PeakPackets > f.Packets {
			p.add(r.field("peak_packets"), "%d is more than the record's %d packets", f.PeakPackets, f.Packets)
		}
		if f.Bytes >= 0 && f.PeakBytes > f.Bytes {
			p.add(r.field("peak_bytes"), "%d is more than the record's %d bytes", f.PeakBytes, f.Bytes)
		}
	}
	for i, a := range t.Addresses {
		if !a.IsValid() {
			p.add(fmt.Sprintf("addresses[%d]", i), "an IP address is required")
		}
	}
	for i := range t.DNS {
		q := &t.DNS[i]
		r := rec{"dns", i}
		inWindow(r, q.Time)
		if q.Name == "" || len(q.Name) > 253 {
			p.add(r.field("name"), "a domain name of 1 to 253 characters is required")
		}
		switch q.Class {
		case Unclassified, Benign, MalwareDomain, CommandAndCtl, Phishing:
		default:
			p.add(r.field("class"), "unknown domain class %q", q.Class)
		}
		if q.Count < 0 {
			p.add(r.field("count"), "%d is negative", q.Count)
		}
	}
	for i := range t.Processes {
		r := rec{"processes", i}
		inWindow(r, t.Processes[i].Time)
		if t.Processes[i].Name == "" {
			p.add(r.field("name"), "is required")
		}
	}
	for i := range t.AuthFailures {
		a := &t.AuthFailures[i]
		r := rec{"auth_failures", i}
		inWindow(r, a.Time)
		checkDirection(p, r, a.Direction)
		if !a.Remote.IsValid() {
			p.add(r.field("remote"), "an IP address is required")
		}
		if a.Count < 0 {
			p.add(r.field("count"), "%d is negative", a.Count)
		}
	}
	for i := range t.Hosted {
		h := &t.Hosted[i]
		r := rec{"hosted", i}
		inWindow(r, h.Time)
		if h.URL == "" {
			p.add(r.field("url"), "is required")
		}
		switch h.Verdict {
		case NotScanned, Clean, Suspicious, Malicious:
		default:
			p.add(r.field("verdict"), "unknown verdict %q", h.Verdict)
		}
	}
	for i := range t.SignIns {
		r := rec{"sign_ins", i}
		inWindow(r, t.SignIns[i].Time)
		if t.SignIns[i].User == "" {
			p.add(r.field("user"), "is required")
		}
	}
	for i := range t.Activity {
		e := &t.Activity[i]
		r := rec{"activity", i}
		inWindow(r, e.Time)
		switch e.Kind {
		case RoleGrant, AdminGrant, Deployment, KeyCreated:
		default:
			p.add(r.field("kind"), "unknown event kind %q", e.Kind)
		}
		if e.Count < 0 {
			p.add(r.field("count"), "%d is negative", e.Count)
		}
		if e.GPUs < 0 {
			p.add(r.field("gpus"), "%d is negative", e.GPUs)
		}
	}
	if a := t.Account; a != nil {
		if t.Resource != "" {
			// Account facts describe the subscription; the detectors that
			// read them run on its window only, so facts sent with a
			// resource would be silently ignored.
			p.add("account", "account facts describe the subscription: send them in its window, with an empty resource (got resource %q)", t.Resource)
		}
		validateAccount(p, a)
	}
	return p
}

// rec names one record of a list, such as flows[3], without formatting the
// name unless a problem needs it: validation runs once per record.
type rec struct {
	list string
	i    int
}

func (r rec) String() string { return r.list + "[" + strconv.Itoa(r.i) + "]" }

// field returns the path of one of the record's fields.
func (r rec) field(name string) string { return r.String() + "." + name }

func checkDirection(p *issues, r rec, d Direction) {
	if d != Inbound && d != Outbound {
		p.add(r.field("direction"), "must be inbound or outbound (got %q)", d)
	}
}

func validateAccount(p *issues, a *AccountFacts) {
	currency := ""
	var total risk.Money
	for _, m := range []struct {
		name string
		v    risk.Money
	}{{"prepaid", a.Prepaid}, {"credit_limit", a.CreditLimit}, {"unbilled", a.Unbilled}, {"outstanding", a.Outstanding}} {
		if m.v.IsZero() {
			continue
		}
		path := "account." + m.name
		switch {
		case currency != "" && m.v.Currency() != currency:
			p.add(path, "%s is in %s, but the account's other amounts are in %s", m.v, m.v.Currency(), currency)
			continue
		case m.v.Sign() < 0:
			p.add(path, "%s is negative", m.v)
			continue
		}
		currency = m.v.Currency()
		var err error
		if total, err = total.Add(m.v); err != nil {
			p.add(path, "the account's amounts are too large to add up")
		}
	}
	for _, s := range []struct {
		name string
		v    risk.Signal
	}{{"accounts_sharing_device", a.AccountsSharingDevice}, {"accounts_sharing_card", a.AccountsSharingCard}, {"accounts_sharing_address", a.AccountsSharingAddress}} {
		if n, ok := s.v.Get(); ok && n < 0 {
			p.add("account."+s.name, "%d is negative", n)
		}
	}
	for _, c := range []struct{ name, v string }{{"billing_country", a.BillingCountry}, {"ip_country", a.IPCountry}, {"phone_country", a.PhoneCountry}, {"card_country", a.CardCountry}} {
		if c.v != "" && !isCountryCode(c.v) {
			p.add("account."+c.name, "%q is not a two-letter country code", c.v)
		}
	}
	if a.Profile.Seats < 0 {
		p.add("account.profile.seats", "%d is negative", a.Profile.Seats)
	}
	switch a.Profile.Kind {
	case "", risk.Individual, risk.Business:
	default:
		p.add("account.profile.kind", "unknown customer kind %q", a.Profile.Kind)
	}
	for i, c := range a.Profile.Countries {
		if !isCountryCode(c) {
			p.add(fmt.Sprintf("account.profile.countries[%d]", i), "%q is not a two-letter country code", c)
		}
	}
	if !a.FirstPaymentAt.IsZero() && !a.CreatedAt.IsZero() && a.FirstPaymentAt.Before(a.CreatedAt) {
		p.add("account.first_payment_at", "is before the account was created")
	}
}

// isCountryCode reports whether s is an ISO 3166-1 alpha-2 code, in
// either case: detectors compare countries upper-cased.
func isCountryCode(s string) bool { return text.IsCountry(strings.ToUpper(s)) }
