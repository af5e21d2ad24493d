package abuse

import (
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"hash/fnv"
	"strconv"
	"strings"
	"time"

	"github.com/riskkit/riskkit/internal/enum"
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

var categories = enum.New("abuse", "category", "unknown", Categories()...)

// String returns the category's name, or "unknown" for the zero value.
func (c Category) String() string { return categories.Name(c) }

// MarshalText returns the category's name, "unknown" for the zero value,
// or an error for a value that is not a category.
func (c Category) MarshalText() ([]byte, error) { return categories.Text(c) }

// UnmarshalText accepts the category names, "unknown" or empty text for
// the zero value, and refuses anything else.
func (c *Category) UnmarshalText(b []byte) (err error) {
	*c, err = categories.Parse(b)
	return err
}

// Severity rates a finding from 1.0 to 8.9, held as a whole number of
// tenths: 75 is 7.5, so that severities compare and add exactly. The
// scale and its bands follow the convention of cloud security alerts:
// [Low] below 4.0, [Medium] from 4.0 and [High] from 7.0. The zero value
// means unrated.
//
// Its text form is the decimal with one digit after the point, "7.5". In
// JSON it is that number, 7.5, as people and policies read it; a string
// such as "7.5" is accepted too.
type Severity int16

// Bounds of the severity scale.
const (
	MinSeverity Severity = 10 // 1.0
	MaxSeverity Severity = 89 // 8.9
)

// Level returns the severity's band, or [Unrated] for a severity below 1.0.
func (s Severity) Level() Level {
	switch {
	case s >= 70:
		return High
	case s >= 40:
		return Medium
	case s >= 10:
		return Low
	}
	return Unrated
}

// Valid reports whether s is between 1.0 and 8.9.
func (s Severity) Valid() bool { return MinSeverity <= s && s <= MaxSeverity }

// Float returns the severity as a number, 7.5 for 75 tenths, as
// enforcement policies read it.
func (s Severity) Float() float64 { return float64(s) / 10 }

// String formats the severity with one decimal, as in "7.5".
func (s Severity) String() string {
	n := int(s)
	sign := ""
	if n < 0 {
		sign, n = "-", -n
	}
	return sign + strconv.Itoa(n/10) + "." + strconv.Itoa(n%10)
}

// MarshalText returns the severity's text form, as in "7.5".
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText reads a decimal with at most one digit after the point
// that is not zero, such as "7.5", "7" or "7.50".
func (s *Severity) UnmarshalText(b []byte) error {
	text := string(b)
	whole, frac, point := strings.Cut(text, ".")
	digits := frac != "" && strings.Trim(frac, "0123456789") == ""
	frac = strings.TrimRight(frac, "0")
	neg := strings.HasPrefix(whole, "-")
	w, err := strconv.ParseUint(strings.TrimPrefix(whole, "-"), 10, 16)
	ok := err == nil && (!point || digits) && len(frac) <= 1 && w <= 3276
	if !ok {
		return fmt.Errorf("abuse: severity %q is not a number of tenths such as 7.5", text)
	}
	n := int(w) * 10
	if frac != "" {
		n += int(frac[0] - '0')
	}
	if neg {
		n = -n
	}
	*s = Severity(n)
	return nil
}

// MarshalJSON writes the severity as a JSON number, as in 7.5.
func (s Severity) MarshalJSON() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalJSON reads a JSON number such as 7.5, or a string holding one.
func (s *Severity) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	if len(b) >= 2 && b[0] == '"' && b[len(b)-1] == '"' {
		b = b[1 : len(b)-1]
	}
	return s.UnmarshalText(b)
}

// Level is a band of the severity scale. The zero value means unrated.
type Level string

// Levels, from the least severe.
const (
	Unrated Level = ""
	Low     Level = "low"
	Medium  Level = "medium"
	High    Level = "high"
)

var levels = enum.New("abuse", "level", "unrated", Low, Medium, High)

// String returns the level's name, or "unrated" for the zero value.
func (l Level) String() string { return levels.Name(l) }

// MarshalText returns the level's name, "unrated" for the zero value,
// or an error for a value that is not a level.
func (l Level) MarshalText() ([]byte, error) { return levels.Text(l) }

// UnmarshalText accepts the level names, "unrated" or empty text for
// the zero value, and refuses anything else.
func (l *Level) UnmarshalText(b []byte) (err error) {
	*l, err = levels.Parse(b)
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
