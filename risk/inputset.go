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
type InputSet struct {
	// p is a pointer, not a slice, to keep a decision's list of missing
	// inputs small; nil is the empty set.
	p *[]string
}

// NewInputSet returns the set of the given names, in the given order, for
// a host or a test that builds a [Decision] itself.
func NewInputSet(names ...string) InputSet { return inputSetOf(slices.Clone(names)) }

// inputSetOf returns the set of names, which it keeps.
func inputSetOf(names []string) InputSet {
	if len(names) == 0 {
		return InputSet{}
	}
	return InputSet{&names}
}

// list returns the names, which must not be changed.
func (s InputSet) list() []string {
	if s.p == nil {
		return nil
	}
	return *s.p
}

// Len returns the number of inputs.
func (s InputSet) Len() int { return len(s.list()) }

// All returns the names in order.
func (s InputSet) All() iter.Seq[string] { return slices.Values(s.list()) }

// Names returns the names in order, in a slice of the caller's.
func (s InputSet) Names() []string { return slices.Clone(s.list()) }

// Contains reports whether the set holds name.
func (s InputSet) Contains(name string) bool { return slices.Contains(s.list(), name) }

// Equal reports whether s and t hold the same names in the same order.
// go-cmp uses it to compare decisions.
func (s InputSet) Equal(t InputSet) bool { return slices.Equal(s.list(), t.list()) }

// String returns the names joined with ", ".
func (s InputSet) String() string { return strings.Join(s.list(), ", ") }

// MarshalJSON writes the names as a JSON array ([] when empty).
func (s InputSet) MarshalJSON() ([]byte, error) {
	if s.p == nil {
		return []byte("[]"), nil
	}
	return json.Marshal(*s.p)
}

// UnmarshalJSON reads a JSON array of names (null is the empty set).
func (s *InputSet) UnmarshalJSON(b []byte) error {
	var names []string
	if err := json.Unmarshal(b, &names); err != nil {
		return err
	}
	*s = inputSetOf(names)
	return nil
}
