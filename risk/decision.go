package risk

import (
	"fmt"
	"math"
	"math/bits"
	"strings"

	"github.com/riskkit/riskkit/internal/enum"
)

// Basis says what decided an outcome. The zero Basis, "", is that of a
// Decision no engine made.
type Basis string

// Bases of a decision, from the strongest: an active rule's action, the
// score band, a fail-closed rule error, or nothing (the default outcome).
const (
	ByRule    Basis = "rule"
	ByScore   Basis = "score"
	ByError   Basis = "error"
	ByDefault Basis = "default"
	// ByAllow: an active allow rule fired, and the outcome is the
	// policy's default whatever else applied.
	ByAllow Basis = "allow"
)

var bases = enum.New("risk", "basis", "", ByRule, ByScore, ByError, ByDefault, ByAllow)

// String returns the basis's name; the zero Basis, of a Decision no engine
// made, is "".
func (b Basis) String() string { return bases.Name(b) }

// MarshalText returns the basis's name, or an error for an unknown basis.
func (b Basis) MarshalText() ([]byte, error) { return bases.Text(b) }

// UnmarshalText accepts the name of a basis or "".
func (b *Basis) UnmarshalText(text []byte) (err error) {
	*b, err = bases.Parse(text)
	return err
}

// Decision is the result of evaluating a policy on one input, with every
// reason for it.
type Decision struct {
	PolicyID      string  `json:"policy_id"`
	PolicyVersion string  `json:"policy_version"`
	Outcome       Outcome `json:"outcome"`
	// Basis says what decided Outcome. When a rule action and the score
	// band reach the same outcome, the basis is ByRule.
	Basis Basis `json:"basis"`
	// Score is the sum of the scores of the active rules that fired.
	Score int64 `json:"score"`
	// Hits are the active rules that fired, in policy order.
	Hits []Hit `json:"hits,omitempty"`
	// Shadow are the shadow rules that fired, in policy order. They do not
	// count towards Score or Outcome.
	Shadow []Hit `json:"shadow,omitempty"`
	// Errors are the rules whose evaluation failed, in policy order.
	Errors []RuleError `json:"errors,omitempty"`
	// Missing are the rules that could not be decided because an input they
	// read was not supplied, in policy order. Such rules did not fire.
	Missing []MissingInputs `json:"missing,omitempty"`
}

// Hit is a rule that fired.
type Hit struct {
	RuleID  string  `json:"rule_id"`
	Reason  string  `json:"reason"`
	Score   int64   `json:"score,omitempty"`
	Action  Outcome `json:"action,omitempty"`
	Message string  `json:"message,omitempty"`
}

// RuleError is a rule whose evaluation failed, for example by comparing
// amounts in different currencies.
type RuleError struct {
	RuleID string `json:"rule_id"`
	Shadow bool   `json:"shadow,omitempty"`
	Err    string `json:"error"`
}

// MissingInputs is a rule that could not be decided, and the inputs it
// needed that were not supplied.
type MissingInputs struct {
	RuleID string   `json:"rule_id"`
	Shadow bool     `json:"shadow,omitempty"`
	Inputs InputSet `json:"inputs"`
}

// Fired reports whether the rule with the given id fired as an active rule.
func (d Decision) Fired(ruleID string) bool {
	for _, h := range d.Hits {
		if h.RuleID == ruleID {
			return true
		}
	}
	return false
}

// Reasons returns the reason codes of the active rules that fired.
func (d Decision) Reasons() []string {
	out := make([]string, len(d.Hits))
	for i, h := range d.Hits {
		out[i] = h.Reason
	}
	return out
}

// String summarises the decision on one line, such as
// "review score=55 [CARD_NOT_PRESENT_MISMATCH +25, PREPAID_CARD +30]".
func (d Decision) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s score=%d", d.Outcome, d.Score)
	if len(d.Hits) > 0 {
		b.WriteString(" [")
		for i, h := range d.Hits {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(h.Reason)
			if h.Score != 0 {
				fmt.Fprintf(&b, " %+d", h.Score)
			}
			if h.Action != "" {
				fmt.Fprintf(&b, " ->%s", h.Action)
			}
		}
		b.WriteString("]")
	}
	if len(d.Errors) > 0 {
		fmt.Fprintf(&b, " errors=%d", len(d.Errors))
	}
	if len(d.Missing) > 0 {
		fmt.Fprintf(&b, " missing=%d", len(d.Missing))
	}
	return b.String()
}

// scoreSum adds scores exactly in 128 bits and saturates once, at the end,
// so that the total does not depend on the order of the rules.
type scoreSum struct {
	hi int64 // carries, in units of 2^64
	lo uint64
}

func (s *scoreSum) add(n int64) {
	lo, carry := bits.Add64(s.lo, uint64(n), 0)
	s.lo = lo
	s.hi += int64(carry)
	if n < 0 {
		s.hi--
	}
}

// total is the sum clamped to the int64 range: a score pushed past the
// limits by an absurd policy stays at the limit instead of wrapping around
// and turning a huge risk into a huge trust.
func (s *scoreSum) total() int64 {
	switch {
	case s.hi == 0 && s.lo <= math.MaxInt64:
		return int64(s.lo)
	case s.hi == -1 && s.lo > math.MaxInt64:
		return int64(s.lo)
	case s.hi < 0:
		return math.MinInt64
	}
	return math.MaxInt64
}
