package abuse

import (
	"encoding/binary"
	"encoding/hex"
	"hash/fnv"
	"math"
	"strconv"
	"time"

	"github.com/riskkit/riskkit/risk"
)

// Category is the kind of misuse a finding is about: one of the acceptable
// use violations the source guidance names, or theft of service. The zero
// value is not a valid category.
type Category string

// Categories.
const (
	Spam               Category = "spam"
	Hacking            Category = "hacking"
	DenialOfService    Category = "denial_of_service"
	CryptoMining       Category = "crypto_mining"
	Malware            Category = "malware"
	SubscriptionResale Category = "subscription_resale"
	TheftOfService     Category = "theft_of_service"
)

// Categories returns every category, in a fixed order.
func Categories() []Category {
	return []Category{Spam, Hacking, DenialOfService, CryptoMining, Malware, SubscriptionResale, TheftOfService}
}

// String returns the category's name, or "unknown" for the zero value.
func (c Category) String() string { return enumString(c, "unknown") }

// MarshalText returns the category's name; the zero value marshals to empty
// text.
func (c Category) MarshalText() ([]byte, error) { return []byte(c), nil }

// UnmarshalText accepts the category names or the empty string.
func (c *Category) UnmarshalText(b []byte) (err error) {
	*c, err = parseEnum("category", "unknown", b, Categories()...)
	return err
}

// Severity rates a finding from 1.0 to 8.9, in tenths. The scale and its
// bands follow the convention of cloud security alerts: [Low] below 4.0,
// [Medium] from 4.0 and [High] from 7.0. The zero value means unrated.
type Severity float64

// Bounds of the severity scale.
const (
	MinSeverity Severity = 1.0
	MaxSeverity Severity = 8.9
)

// Level returns the severity's band, or [Unrated] for a severity below 1.0.
func (s Severity) Level() Level {
	switch {
	case s >= 7.0:
		return High
	case s >= 4.0:
		return Medium
	case s >= 1.0:
		return Low
	}
	return Unrated
}

// Valid reports whether s is a tenth between 1.0 and 8.9.
func (s Severity) Valid() bool {
	return s >= MinSeverity && s <= MaxSeverity && math.Abs(float64(s)*10-math.Round(float64(s)*10)) < 1e-9
}

// String formats the severity with one decimal, as in "7.5".
func (s Severity) String() string { return strconv.FormatFloat(float64(s), 'f', 1, 64) }

// Level is a band of the severity scale. The zero value means unrated.
type Level string

// Levels, from the least severe.
const (
	Unrated Level = ""
	Low     Level = "low"
	Medium  Level = "medium"
	High    Level = "high"
)

// String returns the level's name, or "unrated" for the zero value.
func (l Level) String() string { return enumString(l, "unrated") }

// MarshalText returns the level's name; the zero value marshals to empty
// text.
func (l Level) MarshalText() ([]byte, error) { return []byte(l), nil }

// UnmarshalText accepts "low", "medium", "high", "unrated" or the empty
// string.
func (l *Level) UnmarshalText(b []byte) (err error) {
	*l, err = parseEnum("level", "unrated", b, Low, Medium, High)
	return err
}

// Evidence is what made a detector report a finding, for the person who
// reviews it: named counts, amounts of money, and a few samples such as
// destination addresses, domain names or process names.
type Evidence struct {
	Counts  map[string]int64      `json:"counts,omitzero"`
	Amounts map[string]risk.Money `json:"amounts,omitzero"`
	// Samples holds at most [MaxSamples] examples, most significant first.
	Samples []string `json:"samples,omitzero"`
}

// MaxSamples bounds [Evidence.Samples].
const MaxSamples = 5

// Finding is a suspected violation on one subscription or resource: what
// kind, how severe and how sure, which way it points, the evidence, and when
// it was seen. Detectors fill in everything except ID, Subscription,
// Resource, Windows and LastWindow, which [Monitor.Evaluate] sets.
//
// The same activity continuing in later windows updates one finding: the
// monitor matches findings by subscription, resource, type, direction and
// subject, and keeps the first finding's ID while the activity has not
// paused for longer than [Config.QuietPeriod].
type Finding struct {
	// ID is stable for the life of the finding.
	ID string `json:"id"`
	// Type is a stable dotted name such as "mining.pool_activity".
	Type     string   `json:"type"`
	Category Category `json:"category"`

	Subscription string `json:"subscription"`
	Resource     string `json:"resource,omitzero"`
	// Subject distinguishes findings of one type on one resource, such as
	// the target of a port scan; empty when one finding per type suffices.
	Subject string `json:"subject,omitzero"`

	Severity Severity `json:"severity"`
	// Confidence is how sure the detector is, in percent (1 to 100).
	Confidence int       `json:"confidence"`
	Direction  Direction `json:"direction,omitzero"`
	// Summary is one line for a person.
	Summary  string   `json:"summary"`
	Evidence Evidence `json:"evidence,omitzero"`

	FirstSeen time.Time `json:"first_seen"`
	LastSeen  time.Time `json:"last_seen"`
	// Count is how many times the activity was observed: intervals over a
	// threshold, failed logins, queries, files, as the type defines.
	Count int64 `json:"count"`
	// Windows is how many telemetry windows the activity was seen in; 1 for
	// a finding the latest window opened.
	Windows int64 `json:"windows"`
	// LastWindow is the end of the latest window that updated the finding,
	// so that a window given twice is not counted twice.
	LastWindow time.Time `json:"last_window,omitzero"`
}

// Level returns the band of the finding's severity.
func (f *Finding) Level() Level { return f.Severity.Level() }

// IsNew reports whether the latest window opened the finding.
func (f *Finding) IsNew() bool { return f.Windows == 1 }

// dedupKey identifies the activity a finding is about. The direction is
// part of it, so that a resource attacking and being attacked are two
// findings.
func (f *Finding) dedupKey() string {
	return f.Subscription + "\x00" + f.Resource + "\x00" + f.Type + "\x00" + string(f.Direction) + "\x00" + f.Subject
}

// findingID derives a finding's ID from what it is about and when it was
// first seen, so that replaying the same telemetry gives the same IDs and a
// finding reopened after a quiet period gets a new one.
func findingID(f *Finding) string {
	h := fnv.New64a()
	h.Write([]byte(f.dedupKey()))
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], uint64(f.FirstSeen.UnixNano()))
	h.Write(b[:])
	return "ab-" + hex.EncodeToString(h.Sum(nil))
}
