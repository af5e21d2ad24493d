package risk

import (
	"encoding/json"
	"iter"
	"slices"
	"strings"
)

// InputSet is the inputs a rule needed and was not given, such as
// "signals.accounts_per_ip_1h", in the schema's order. It cannot be
// changed: a decision shares the names the engine holds rather than
// copying them, so that listing what was missing costs no allocation. Its
// zero value is empty, and its JSON form is the list of names.
type InputSet struct{ names []string }

// NewInputSet returns the set of the given names, in the given order, for
// a host or a test that builds a [Decision] itself.
func NewInputSet(names ...string) InputSet { return InputSet{slices.Clone(names)} }

// Len returns the number of inputs.
func (s InputSet) Len() int { return len(s.names) }

// All returns the names in order.
func (s InputSet) All() iter.Seq[string] { return slices.Values(s.names) }

// Names returns the names in order, in a slice of the caller's.
func (s InputSet) Names() []string { return slices.Clone(s.names) }

// Contains reports whether the set holds name.
func (s InputSet) Contains(name string) bool { return slices.Contains(s.names, name) }

// Equal reports whether s and t hold the same names in the same order.
// go-cmp uses it to compare decisions.
func (s InputSet) Equal(t InputSet) bool { return slices.Equal(s.names, t.names) }

// String returns the names joined with ", ".
func (s InputSet) String() string { return strings.Join(s.names, ", ") }

// MarshalJSON writes the names as a JSON array ([] when empty).
func (s InputSet) MarshalJSON() ([]byte, error) {
	if s.names == nil {
		return []byte("[]"), nil
	}
	return json.Marshal(s.names)
}

// UnmarshalJSON reads a JSON array of names (null is the empty set).
func (s *InputSet) UnmarshalJSON(b []byte) error {
	var names []string
	if err := json.Unmarshal(b, &names); err != nil {
		return err
	}
	*s = InputSet{names}
	return nil
}
