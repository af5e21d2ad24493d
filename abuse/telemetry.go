package abuse

import (
	"net/netip"
	"slices"
	"time"

	"github.com/riskkit/riskkit/internal/enum"
	"github.com/riskkit/riskkit/risk"
)

// Source is one kind of telemetry a host may or may not collect. Detectors
// declare the sources they need; a window whose telemetry lacks one of them
// is reported as unchecked for that detector rather than as clean.
type Source string

// Telemetry sources.
const (
	SourceCPU       Source = "cpu"
	SourceGPU       Source = "gpu"
	SourceFlows     Source = "flows"
	SourceDNS       Source = "dns"
	SourceProcesses Source = "processes"
	SourceAuth      Source = "auth"
	SourceHosted    Source = "hosted"
	SourceSignIns   Source = "sign_ins"
	SourceActivity  Source = "activity"
	SourceAccount   Source = "account"
)

// Sources returns every telemetry source, in a fixed order.
func Sources() []Source {
	return []Source{SourceCPU, SourceGPU, SourceFlows, SourceDNS, SourceProcesses, SourceAuth,
		SourceHosted, SourceSignIns, SourceActivity, SourceAccount}
}

var sources = enum.New("abuse", "telemetry source", "unknown", Sources()...)

// String returns the source's name, or "unknown" for the zero value.
func (s Source) String() string { return sources.Name(s) }

// MarshalText returns the source's name, "unknown" for the zero value,
// or an error for a value that is not a source.
func (s Source) MarshalText() ([]byte, error) { return sources.Text(s) }

// UnmarshalText accepts the source names, "unknown" or empty text for
// the zero value, and refuses anything else.
func (s *Source) UnmarshalText(b []byte) (err error) {
	*s, err = sources.Parse(b)
	return err
}

// Direction says which way traffic or an attack goes, seen from the
// customer's resource. The zero value means the notion does not apply, as
// for a hosted file or a billing signal.
type Direction string

// Directions. Outbound means the customer's resource is the origin: our
// customer is attacking someone. Inbound means the resource is the target.
const (
	NoDirection Direction = ""
	Inbound     Direction = "inbound"
	Outbound    Direction = "outbound"
)

var directions = enum.New("abuse", "direction", "none", Inbound, Outbound)

// String returns the direction's name, or "none" for the zero value.
func (d Direction) String() string { return directions.Name(d) }

// MarshalText returns the direction's name, "none" for the zero value,
// or an error for a value that is not a direction.
func (d Direction) MarshalText() ([]byte, error) { return directions.Text(d) }

// UnmarshalText accepts the direction names, "none" or empty text for
// the zero value, and refuses anything else.
func (d *Direction) UnmarshalText(b []byte) (err error) {
	*d, err = directions.Parse(b)
	return err
}

// Protocol is a flow's transport protocol. The zero value means the host
// did not say.
type Protocol string

// Protocols.
const (
	TCP   Protocol = "tcp"
	UDP   Protocol = "udp"
	ICMP  Protocol = "icmp"
	Other Protocol = "other"
)

var protocols = enum.New("abuse", "protocol", "unknown", TCP, UDP, ICMP, Other)

// String returns the protocol's name, or "unknown" for the zero value.
func (p Protocol) String() string { return protocols.Name(p) }

// MarshalText returns the protocol's name, "unknown" for the zero value,
// or an error for a value that is not a protocol.
func (p Protocol) MarshalText() ([]byte, error) { return protocols.Text(p) }

// UnmarshalText accepts the protocol names, "unknown" or empty text for
// the zero value, and refuses anything else.
func (p *Protocol) UnmarshalText(b []byte) (err error) {
	*p, err = protocols.Parse(b)
	return err
}

// Verdict is the host's reputation verdict on a hosted file or URL. The zero
// value means the object was not scanned.
type Verdict string

// Verdicts.
const (
	NotScanned Verdict = ""
	Clean      Verdict = "clean"
	Suspicious Verdict = "suspicious"
	Malicious  Verdict = "malicious"
)

var verdicts = enum.New("abuse", "verdict", "not_scanned", Clean, Suspicious, Malicious)

// String returns the verdict's name, or "not_scanned" for the zero value.
func (v Verdict) String() string { return verdicts.Name(v) }

// MarshalText returns the verdict's name, "not_scanned" for the zero value,
// or an error for a value that is not a verdict.
func (v Verdict) MarshalText() ([]byte, error) { return verdicts.Text(v) }

// UnmarshalText accepts the verdict names, "not_scanned" or empty text for
// the zero value, and refuses anything else.
func (v *Verdict) UnmarshalText(b []byte) (err error) {
	*v, err = verdicts.Parse(b)
	return err
}

// DomainClass is what the host's threat intelligence says about a domain
// name. The zero value means the domain is not classified, which is not the
// same as known to be benign.
type DomainClass string

// Domain classes.
const (
	Unclassified  DomainClass = ""
	Benign        DomainClass = "benign"
	MalwareDomain DomainClass = "malware"
	CommandAndCtl DomainClass = "c2"
	Phishing      DomainClass = "phishing"
)

var domainClasses = enum.New("abuse", "domain class", "unclassified", Benign, MalwareDomain, CommandAndCtl, Phishing)

// String returns the class's name, or "unclassified" for the zero value.
func (c DomainClass) String() string { return domainClasses.Name(c) }

// MarshalText returns the class's name, "unclassified" for the zero value,
// or an error for a value that is not a class.
func (c DomainClass) MarshalText() ([]byte, error) { return domainClasses.Text(c) }

// UnmarshalText accepts the class names, "unclassified" or empty text for
// the zero value, and refuses anything else.
func (c *DomainClass) UnmarshalText(b []byte) (err error) {
	*c, err = domainClasses.Parse(b)
	return err
}

// EventKind is the kind of an activity-log event. The zero value is not a
// valid kind.
type EventKind string

// Activity-log event kinds.
const (
	RoleGrant  EventKind = "role_grant"
	AdminGrant EventKind = "admin_grant"
	Deployment EventKind = "deployment"
	KeyCreated EventKind = "key_created"
)

var eventKinds = enum.New("abuse", "event kind", "unknown", RoleGrant, AdminGrant, Deployment, KeyCreated)

// String returns the kind's name, or "unknown" for the zero value.
func (k EventKind) String() string { return eventKinds.Name(k) }

// MarshalText returns the kind's name, "unknown" for the zero value,
// or an error for a value that is not a kind.
func (k EventKind) MarshalText() ([]byte, error) { return eventKinds.Text(k) }

// UnmarshalText accepts the kind names, "unknown" or empty text for
// the zero value, and refuses anything else.
func (k *EventKind) UnmarshalText(b []byte) (err error) {
	*k, err = eventKinds.Parse(b)
	return err
}

// Interval is the half-open interval [Start, End) that one batch of telemetry
// covers.
type Interval struct {
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
}

// Contains reports whether t lies in the window.
func (w Interval) Contains(t time.Time) bool { return !t.Before(w.Start) && t.Before(w.End) }

// Duration returns the window's length.
func (w Interval) Duration() time.Duration { return w.End.Sub(w.Start) }

// Telemetry is what a host collected about one subscription, or one resource
// of it, over one window. A host sends subscription-wide facts (sign-ins,
// activity log, account) with an empty Resource and per-resource telemetry
// (utilisation, flows, DNS, processes) with the resource's id; a host that
// aggregates its resources' telemetry per subscription may send it all in
// the subscription's window.
//
// A source counts as collected when it is listed in Collected or when its
// slice has records: records prove collection, and listing a source with no
// records says "collected, nothing happened". A source that is neither is
// missing, and a detector that needs it reports the window as unchecked
// instead of clean.
//
// Telemetry is plain data: detectors read it and never change it.
type Telemetry struct {
	Subscription string          `json:"subscription"`
	Resource     string          `json:"resource,omitzero"`
	Window       Interval        `json:"window"`
	Collected    []Source        `json:"collected,omitzero"`
	CPU          []Sample        `json:"cpu,omitzero"`
	GPU          []Sample        `json:"gpu,omitzero"`
	Flows        []Flow          `json:"flows,omitzero"`
	DNS          []DNSQuery      `json:"dns,omitzero"`
	Processes    []Process       `json:"processes,omitzero"`
	AuthFailures []AuthFailure   `json:"auth_failures,omitzero"`
	Hosted       []HostedObject  `json:"hosted,omitzero"`
	SignIns      []SignIn        `json:"sign_ins,omitzero"`
	Activity     []ActivityEvent `json:"activity,omitzero"`
	// Account holds billing and identity facts; nil when not collected.
	Account *AccountFacts `json:"account,omitzero"`
	// Addresses are the resource's own addresses, including addresses it
	// may send from legitimately such as a load balancer's virtual address
	// in direct server return. Optional: with flow records that carry a
	// Source, outbound traffic from any other address is spoofed.
	Addresses []netip.Addr `json:"addresses,omitzero"`
}

// Has reports whether the source was collected for this window.
func (t *Telemetry) Has(s Source) bool {
	if slices.Contains(t.Collected, s) {
		return true
	}
	switch s {
	case SourceCPU:
		return len(t.CPU) > 0
	case SourceGPU:
		return len(t.GPU) > 0
	case SourceFlows:
		return len(t.Flows) > 0
	case SourceDNS:
		return len(t.DNS) > 0
	case SourceProcesses:
		return len(t.Processes) > 0
	case SourceAuth:
		return len(t.AuthFailures) > 0
	case SourceHosted:
		return len(t.Hosted) > 0
	case SourceSignIns:
		return len(t.SignIns) > 0
	case SourceActivity:
		return len(t.Activity) > 0
	case SourceAccount:
		return t.Account != nil
	}
	return false
}

// Sample is one utilisation reading, in percent of the resource's capacity
// (all cores, all GPUs).
type Sample struct {
	Time    time.Time `json:"time"`
	Percent float64   `json:"percent"`
}

// Flow summarises the traffic between the resource and one remote address
// and port over a short interval, as network flow logs do.
type Flow struct {
	// Time is the start of the interval.
	Time time.Time `json:"time"`
	// Seconds is the interval's length; 0 means 1.
	Seconds int64 `json:"seconds,omitzero"`
	// Direction is Outbound when the resource opened the flows.
	Direction Direction `json:"direction"`
	// Remote is the other end: the destination of outbound flows, the
	// source of inbound ones.
	Remote netip.Addr `json:"remote"`
	// Port is the destination port: the remote port of outbound flows, the
	// resource's own port of inbound ones.
	Port     uint16   `json:"port"`
	Protocol Protocol `json:"protocol,omitzero"`
	Packets  int64    `json:"packets,omitzero"`
	Bytes    int64    `json:"bytes,omitzero"`
	// Flows counts the new connections opened in the interval.
	Flows int64 `json:"flows,omitzero"`
	// Failed counts those that failed: refused, reset or never answered.
	Failed int64 `json:"failed,omitzero"`

	// The fields below are optional: they let the denial-of-service
	// detector tell a flood from a busy server. A host leaves out what its
	// flow logs do not carry, and the detector's report says what it could
	// not check without them.

	// ReplyPackets counts the packets the remote sent back over the
	// interval. A served client acknowledges what it receives; a flood's
	// target answers little or nothing.
	ReplyPackets risk.Signal `json:"reply_packets,omitzero"`
	// Established counts the connections already open when the interval
	// began, carried over from earlier intervals, as opposed to the new
	// ones in Flows.
	Established risk.Signal `json:"established,omitzero"`
	// PeakPackets and PeakBytes are the most packets and bytes of the
	// record in any one second, where the flow logs keep per-second
	// maxima; zero means not reported. They show a burst that a record
	// spanning many seconds averages away.
	PeakPackets int64 `json:"peak_packets,omitzero"`
	PeakBytes   int64 `json:"peak_bytes,omitzero"`
	// Source is the source address the resource's packets carried, where
	// the flow logs record it; with [Telemetry.Addresses] it shows
	// spoofed traffic. The zero Addr means not recorded.
	Source netip.Addr `json:"source,omitzero"`
}

// DNSQuery is a name the resource looked up.
type DNSQuery struct {
	Time time.Time `json:"time"`
	Name string    `json:"name"`
	// Class is the host's threat-intelligence class of the name.
	Class DomainClass `json:"class,omitzero"`
	// NXDomain reports whether the name did not exist.
	NXDomain bool `json:"nxdomain,omitzero"`
	// Count is how many times it was looked up; 0 means 1.
	Count int64 `json:"count,omitzero"`
}

// Process is a process seen running on the resource, where the host's
// agent reports them.
type Process struct {
	Time        time.Time `json:"time"`
	Name        string    `json:"name"`
	CommandLine string    `json:"command_line,omitzero"`
}

// AuthFailure is a failed authentication: an outbound one is the resource
// failing to log in somewhere else, an inbound one someone failing to log in
// to the resource.
type AuthFailure struct {
	Time      time.Time  `json:"time"`
	Direction Direction  `json:"direction"`
	Remote    netip.Addr `json:"remote"`
	Port      uint16     `json:"port"`
	// Service names the protocol, such as "ssh" or "rdp".
	Service string `json:"service,omitzero"`
	User    string `json:"user,omitzero"`
	// Count is the number of failures; 0 means 1.
	Count int64 `json:"count,omitzero"`
}

// HostedObject is a file or URL the resource serves, with the host's
// reputation verdict.
type HostedObject struct {
	Time    time.Time `json:"time"`
	URL     string    `json:"url"`
	SHA256  string    `json:"sha256,omitzero"`
	Verdict Verdict   `json:"verdict,omitzero"`
	// Threat names what the verdict found, such as "trojan.agenttesla".
	Threat string `json:"threat,omitzero"`
}

// SignIn is a successful sign-in to the subscription.
type SignIn struct {
	Time time.Time `json:"time"`
	User string    `json:"user"`
	// Tenant is the directory the user belongs to.
	Tenant string `json:"tenant"`
	// Country is the ISO 3166-1 alpha-2 country the sign-in came from.
	Country string `json:"country,omitzero"`
}

// ActivityEvent is one activity-log entry of a window of telemetry, as
// the theft and resale detectors read it; [ActivityRecord] is the
// activity detector's record of the provider's audit log.
type ActivityEvent struct {
	Time  time.Time `json:"time"`
	Kind  EventKind `json:"kind"`
	Actor string    `json:"actor,omitzero"`
	// Principal and PrincipalTenant name who received a role or admin
	// grant.
	Principal       string `json:"principal,omitzero"`
	PrincipalTenant string `json:"principal_tenant,omitzero"`
	Role            string `json:"role,omitzero"`
	// SKU and Count describe a deployment; GPUs is the number of GPUs in one
	// unit of the SKU.
	SKU   string `json:"sku,omitzero"`
	Count int64  `json:"count,omitzero"`
	GPUs  int64  `json:"gpus,omitzero"`
}

// AccountFacts holds the billing and identity facts the theft-of-service and
// resale detectors read. Zero Money amounts, zero times and unsupplied
// signals mean "not supplied".
type AccountFacts struct {
	// Tenant is the subscription's own directory.
	Tenant    string    `json:"tenant,omitzero"`
	CreatedAt time.Time `json:"created_at,omitzero"`
	// FirstPaymentAt is when the first payment arrived; the zero time with
	// PaymentsChecked set means none has arrived.
	FirstPaymentAt time.Time `json:"first_payment_at,omitzero"`
	// PaymentsChecked reports whether FirstPaymentAt was supplied, so that
	// "never paid" is not confused with "not told".
	PaymentsChecked bool `json:"payments_checked,omitzero"`

	Prepaid     risk.Money `json:"prepaid,omitzero"`
	CreditLimit risk.Money `json:"credit_limit,omitzero"`
	// Unbilled is service consumed and not yet invoiced.
	Unbilled risk.Money `json:"unbilled,omitzero"`
	// Outstanding is invoiced and unpaid.
	Outstanding risk.Money `json:"outstanding,omitzero"`

	// AccountsSharingDevice, -Card and -Address count other accounts created
	// in the last 24 hours that share this account's device, card
	// fingerprint or billing address.
	AccountsSharingDevice  risk.Signal `json:"accounts_sharing_device,omitzero"`
	AccountsSharingCard    risk.Signal `json:"accounts_sharing_card,omitzero"`
	AccountsSharingAddress risk.Signal `json:"accounts_sharing_address,omitzero"`

	// The countries (ISO 3166-1 alpha-2) of the billing address, the sign-up
	// IP address, the phone number and the card's issuer.
	BillingCountry string `json:"billing_country,omitzero"`
	IPCountry      string `json:"ip_country,omitzero"`
	PhoneCountry   string `json:"phone_country,omitzero"`
	CardCountry    string `json:"card_country,omitzero"`

	// Profile is what the customer declared about their business.
	Profile Profile `json:"profile,omitzero"`
}

// Profile is the business profile a customer declared at sign-up.
type Profile struct {
	Kind risk.CustomerKind `json:"kind,omitzero"`
	// Seats is the number of users the customer said would use the
	// subscription; 0 means not declared.
	Seats int64 `json:"seats,omitzero"`
	// Countries lists where the customer said its users are; empty means
	// not declared.
	Countries []string `json:"countries,omitzero"`
	// GPU reports whether the customer declared GPU workloads.
	GPU bool `json:"gpu,omitzero"`
}
