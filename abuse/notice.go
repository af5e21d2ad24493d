package abuse

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/riskkit/riskkit/internal/enum"
)

// NoticeSource is where a provider notice came from. The zero value is not
// a valid source.
type NoticeSource string

// Notice sources. The decoders read each one's JSON as the provider sends
// it; see [ParseNotices].
const (
	// FromFraudEvent is a Partner Center fraud event (GET /v1/fraudEvents),
	// old or new events model.
	FromFraudEvent NoticeSource = "fraud_event"
	// FromSecurityAlert is a Microsoft Graph partner security alert
	// (/security/partner/securityAlerts).
	FromSecurityAlert NoticeSource = "security_alert"
	// FromWebhook is a Partner Center webhook payload. An
	// azure-fraud-event-detected payload only points at fraud events: it
	// carries no detail, and triage asks the host to fetch them.
	FromWebhook NoticeSource = "webhook"
	// FromAuditRecord is a Partner Center audit record (activity log).
	FromAuditRecord NoticeSource = "audit_record"
	// FromEnforcement is the provider's own enforcement notice: a
	// suspension or deactivation for an acceptable-use violation.
	FromEnforcement NoticeSource = "enforcement"
	// FromAbuseReport is a third-party abuse report forwarded by the
	// provider (the MSRC report-abuse incident types).
	FromAbuseReport NoticeSource = "abuse_report"
)

// NoticeSources returns every notice source, in a fixed order.
func NoticeSources() []NoticeSource {
	return []NoticeSource{FromFraudEvent, FromSecurityAlert, FromWebhook, FromAuditRecord, FromEnforcement, FromAbuseReport}
}

var noticeSources = enum.New("abuse", "notice source", "unknown", NoticeSources()...)

// String returns the source's name, or "unknown" for the zero value.
func (s NoticeSource) String() string { return noticeSources.Name(s) }

// MarshalText returns the source's name, "unknown" for the zero value,
// or an error for a value that is not a source.
func (s NoticeSource) MarshalText() ([]byte, error) { return noticeSources.Text(s) }

// UnmarshalText accepts the source names, "unknown" or empty text for
// the zero value, and refuses anything else.
func (s *NoticeSource) UnmarshalText(b []byte) (err error) {
	*s, err = noticeSources.Parse(b)
	return err
}

// NoticeStatus is the provider's status of a notice, lower-cased: active,
// investigating or resolved. The provider adds values without notice, so a
// value riskkit does not know is kept verbatim rather than refused; the
// zero value means the notice carries no status.
type NoticeStatus string

// Notice statuses the provider documents.
const (
	NoticeActive        NoticeStatus = "active"
	NoticeInvestigating NoticeStatus = "investigating"
	NoticeResolved      NoticeStatus = "resolved"
)

var noticeStatuses = enum.New("abuse", "notice status", "none", NoticeActive, NoticeInvestigating, NoticeResolved)

// String returns the status's name, or "none" for the zero value.
func (s NoticeStatus) String() string { return noticeStatuses.Name(s) }

// MarshalText returns the status's name, "none" for the zero value,
// or an unknown status as the provider wrote it.
func (s NoticeStatus) MarshalText() ([]byte, error) { return []byte(noticeStatuses.Name(s)), nil }

// UnmarshalText accepts any text: a known status in any case becomes
// its constant, "none" or empty text is the zero value, and anything
// else is kept as written.
func (s *NoticeStatus) UnmarshalText(b []byte) error {
	*s = noticeStatuses.Fold(b)
	return nil
}

// Known reports whether s is one of the documented statuses.
func (s NoticeStatus) Known() bool {
	return s == NoticeActive || s == NoticeInvestigating || s == NoticeResolved
}

// NoticeLevel is a provider severity or confidence level, lower-cased:
// informational, low, medium or high. Unknown values (such as Graph's
// unknownFutureValue) are kept verbatim; the zero value means none given.
type NoticeLevel string

// Notice levels the provider documents.
const (
	NoticeInformational NoticeLevel = "informational"
	NoticeLow           NoticeLevel = "low"
	NoticeMedium        NoticeLevel = "medium"
	NoticeHigh          NoticeLevel = "high"
)

var noticeLevels = enum.New("abuse", "notice level", "none", NoticeInformational, NoticeLow, NoticeMedium, NoticeHigh)

// String returns the level's name, or "none" for the zero value.
func (l NoticeLevel) String() string { return noticeLevels.Name(l) }

// MarshalText returns the level's name, "none" for the zero value,
// or an unknown level as the provider wrote it.
func (l NoticeLevel) MarshalText() ([]byte, error) { return []byte(noticeLevels.Name(l)), nil }

// UnmarshalText accepts any text: a known level in any case becomes
// its constant, "none" or empty text is the zero value, and anything
// else is kept as written.
func (l *NoticeLevel) UnmarshalText(b []byte) error {
	*l = noticeLevels.Fold(b)
	return nil
}

// Resolution is how a notice or case was resolved: fraud, legitimate or
// ignore, the reasons both provider APIs accept (Partner Center documents
// only fraud and ignore). The provider's "None" and the empty string are
// the zero value, unresolved; unknown reasons are kept verbatim.
type Resolution string

// Resolutions.
const (
	Unresolved         Resolution = ""
	ResolvedFraud      Resolution = "fraud"
	ResolvedLegitimate Resolution = "legitimate"
	ResolvedIgnore     Resolution = "ignore"
)

var resolutions = enum.New("abuse", "resolution", "none", ResolvedFraud, ResolvedLegitimate, ResolvedIgnore)

// String returns the resolution's name, or "none" for the zero value.
func (v Resolution) String() string { return resolutions.Name(v) }

// MarshalText returns the resolution's name, "none" for the zero value,
// or an unknown resolution as the provider wrote it.
func (v Resolution) MarshalText() ([]byte, error) { return []byte(resolutions.Name(v)), nil }

// UnmarshalText accepts any text: a known resolution in any case becomes
// its constant (and "Ignored" is ignore), "none" (the provider's "None")
// or empty text is the zero value, and anything else is kept as written.
func (v *Resolution) UnmarshalText(b []byte) error {
	if strings.EqualFold(strings.TrimSpace(string(b)), "ignored") {
		*v = ResolvedIgnore // as the provider's API writes it
		return nil
	}
	*v = resolutions.Fold(b)
	return nil
}

// Known reports whether v is fraud, legitimate or ignore.
func (v Resolution) Known() bool {
	return v == ResolvedFraud || v == ResolvedLegitimate || v == ResolvedIgnore
}

// AffectedResource is a resource a notice names: an Azure resource id (an
// ARM path) and its type as the provider gives it.
type AffectedResource struct {
	ID   string `json:"id"`
	Type string `json:"type,omitzero"`
}

// Name returns the last segment of the resource's ARM path, such as
// "vm-gpu" for ".../virtualMachines/vm-gpu", or the id itself when it has
// no slash. Correlation matches it with [Finding.Resource].
func (r AffectedResource) Name() string {
	id := strings.TrimRight(r.ID, "/")
	if i := strings.LastIndexByte(id, '/'); i >= 0 {
		return id[i+1:]
	}
	return id
}

// StatusChange is one entry of a notice's activity history: who moved it
// from one status to another, and when.
type StatusChange struct {
	From NoticeStatus `json:"from,omitzero"`
	To   NoticeStatus `json:"to"`
	By   string       `json:"by,omitzero"`
	At   time.Time    `json:"at,omitzero"`
}

// Notice is one provider notice about possible fraud or misuse, in one
// model for every [NoticeSource]. The decoders keep what the provider
// sent: Kind, the statuses and the levels verbatim when riskkit does not
// know them, and the original document in Raw. Zero times mean the
// provider gave none (or gave its "not resolved" sentinel, 9999-12-31).
type Notice struct {
	Source NoticeSource `json:"source"`
	// ID is the provider's id: the fraud event id, the alert id, the audit
	// record id, the webhook's event name and resource URI, the case or
	// report number.
	ID string `json:"id"`
	// Kind is the provider's type, verbatim: eventType, alertType,
	// EventName, operationType, the violation or incident type. Old-model
	// fraud events have none; they are all crypto mining.
	Kind        string `json:"kind,omitzero"`
	Title       string `json:"title,omitzero"`
	Description string `json:"description,omitzero"`

	Severity   NoticeLevel `json:"severity,omitzero"`
	Confidence NoticeLevel `json:"confidence,omitzero"`

	PartnerTenant  string `json:"partner_tenant,omitzero"`
	CustomerTenant string `json:"customer_tenant,omitzero"`
	CustomerName   string `json:"customer_name,omitzero"`
	// ResellerTenant is the indirect reseller's tenant, when there is one.
	ResellerTenant string `json:"reseller_tenant,omitzero"`
	Subscription   string `json:"subscription,omitzero"`
	Offer          string `json:"offer,omitzero"`
	// Resources are the affected resources. A notice without any is about
	// the whole subscription.
	Resources []AffectedResource `json:"resources,omitzero"`

	// DetectedAt is when the provider detected or created the notice.
	DetectedAt time.Time `json:"detected_at"`
	// FirstObserved and LastObserved bound the activity the notice is
	// about; zero when not given.
	FirstObserved time.Time `json:"first_observed,omitzero"`
	LastObserved  time.Time `json:"last_observed,omitzero"`
	// HitCount is the number of connections or events seen, when given.
	HitCount int64 `json:"hit_count,omitzero"`
	// Details are the provider's type-specific key/value pairs, such as
	// miningPool_IP; values that were not strings are kept as JSON text.
	Details map[string]string `json:"details,omitzero"`
	// Test reports whether the provider marked the notice as a test.
	Test bool `json:"test,omitzero"`

	Status         NoticeStatus `json:"status,omitzero"`
	ResolvedReason Resolution   `json:"resolved_reason,omitzero"`
	ResolvedAt     time.Time    `json:"resolved_at,omitzero"`
	ResolvedBy     string       `json:"resolved_by,omitzero"`
	// History is the notice's status history, oldest first.
	History []StatusChange `json:"history,omitzero"`

	// Actor is who performed an audited operation.
	Actor string `json:"actor,omitzero"`
	// ResourceType, OldValue and NewValue describe an audited change.
	ResourceType string `json:"resource_type,omitzero"`
	OldValue     string `json:"old_value,omitzero"`
	NewValue     string `json:"new_value,omitzero"`
	// Pointer is where the full notice can be fetched: a webhook's
	// ResourceUri.
	Pointer string `json:"pointer,omitzero"`

	// Raw is the notice's original JSON document.
	Raw json.RawMessage `json:"raw,omitzero"`
}

// Detail returns the detail named key, matching the name without regard to
// case (the provider writes vM_IP in one API and VM_IP in the other).
func (n *Notice) Detail(key string) (string, bool) {
	if v, ok := n.Details[key]; ok {
		return v, true
	}
	for k, v := range n.Details {
		if strings.EqualFold(k, key) {
			return v, true
		}
	}
	return "", false
}

// DetailList returns the detail named key as a list: the provider carries
// lists such as miningPool_IP as JSON arrays inside strings; any other
// value is a list of one. It returns nil when the detail is missing or
// empty.
func (n *Notice) DetailList(key string) []string {
	v, ok := n.Detail(key)
	if !ok || strings.TrimSpace(v) == "" {
		return nil
	}
	var list []string
	if json.Unmarshal([]byte(v), &list) == nil {
		return list
	}
	return []string{v}
}

// Observed returns the interval the notice's activity covers: first to
// last observed, falling back to the detection time for a missing end.
func (n *Notice) Observed() (first, last time.Time) {
	first, last = n.FirstObserved, n.LastObserved
	if first.IsZero() {
		first = n.DetectedAt
	}
	if last.IsZero() || last.Before(first) {
		last = first
		if n.DetectedAt.After(last) {
			last = n.DetectedAt
		}
	}
	return first, last
}

// Key returns the notice's identity, source and id, as cases record it.
func (n *Notice) Key() string { return string(n.Source) + ":" + n.ID }

// Validate checks a notice built in Go: a known source, an id, a
// detection time, and a subscription or customer tenant for the sources
// that open cases. The readers check the same. The error is a
// *[risk.DocumentError] wrapping [ErrInvalidNotice], with the notice's
// JSON field names as paths.
func (n *Notice) Validate() error {
	p := issues{sentinel: ErrInvalidNotice}
	n.check(&p, "")
	return p.err(fmt.Sprintf("notice %s %q", n.Source, n.ID), nil)
}

// check records the notice's problems at paths that start with prefix.
func (n *Notice) check(p *issues, prefix string) {
	if !isNoticeSource(n.Source) {
		p.add(prefix+"source", "%q is not a notice source", n.Source)
	}
	if strings.TrimSpace(n.ID) == "" {
		p.add(prefix+"id", "is empty")
	}
	if n.DetectedAt.IsZero() {
		p.add(prefix+"detected_at", "is missing")
	}
	if opensCase(n.Source) && strings.TrimSpace(n.Subscription) == "" && strings.TrimSpace(n.CustomerTenant) == "" {
		p.add(prefix+"subscription", "neither subscription nor customer tenant is given")
	}
}

func isNoticeSource(s NoticeSource) bool {
	for _, k := range NoticeSources() {
		if s == k {
			return true
		}
	}
	return false
}

// opensCase reports whether notices from s await the partner's answer and
// so open cases; audit records and webhook pointers do not.
func opensCase(s NoticeSource) bool {
	return s == FromFraudEvent || s == FromSecurityAlert || s == FromEnforcement || s == FromAbuseReport
}
