// Package enum is the one idiom of riskkit's enumerations: a string type
// whose "" is a documented zero value, with String, MarshalText and
// UnmarshalText written by one [Set] of names.
//
//	type Funding string
//	var fundings = enum.New("risk", "funding", "", Credit, Debit, Prepaid)
//
//	func (f Funding) String() string               { return fundings.Name(f) }
//	func (f Funding) MarshalText() ([]byte, error) { return fundings.Text(f) }
//	func (f *Funding) UnmarshalText(b []byte) (err error) {
//		*f, err = fundings.Parse(b)
//		return err
//	}
package enum

import (
	"fmt"
	"slices"
	"strings"
)

// Set is the closed set of names of one enumeration. It is immutable and
// safe for concurrent use.
type Set[T ~string] struct {
	pkg, what string
	zero      string
	values    []T
}

// New returns the set of an enumeration of package pkg, called what in
// messages, whose zero value "" is written zero ("" when it has no name of
// its own, such as "not_run"), and whose other values are values.
func New[T ~string](pkg, what, zero string, values ...T) *Set[T] {
	return &Set[T]{pkg: pkg, what: what, zero: zero, values: slices.Clone(values)}
}

// Name returns v's name: the zero value's name for "", v itself otherwise.
func (s *Set[T]) Name(v T) string {
	if v == "" {
		return s.zero
	}
	return string(v)
}

// Text is MarshalText: v's name, or an error for a value not in the set.
func (s *Set[T]) Text(v T) ([]byte, error) {
	if !s.Contains(v) {
		return nil, s.unknown(string(v))
	}
	return []byte(s.Name(v)), nil
}

// Parse is UnmarshalText: it accepts the values, the zero value's name and
// the empty string, and otherwise returns an error naming the accepted
// names.
func (s *Set[T]) Parse(b []byte) (T, error) {
	// Comparing string(b) in place does not allocate: reading a document
	// parses an enumeration per record.
	if len(b) == 0 || string(b) == s.zero {
		return "", nil
	}
	for _, v := range s.values {
		if string(v) == string(b) {
			return v, nil
		}
	}
	return "", s.unknown(string(b))
}

// Contains reports whether v is the zero value or one of the values.
func (s *Set[T]) Contains(v T) bool {
	return v == "" || slices.Contains(s.values, v)
}

// Values returns the values other than the zero value, in their order.
func (s *Set[T]) Values() []T { return slices.Clone(s.values) }

func (s *Set[T]) unknown(text string) error {
	names := make([]string, 0, len(s.values)+1)
	for _, v := range s.values {
		names = append(names, string(v))
	}
	if s.zero != "" {
		names = append(names, s.zero)
	}
	return fmt.Errorf("%s: unknown %s %q (want one of %s)", s.pkg, s.what, text, strings.Join(names, ", "))
}

// Fold is UnmarshalText for an open enumeration, one whose values a
// provider extends without notice: it returns the value whose name
// matches text regardless of case and surrounding space, "" for empty
// text or the zero value's name, and otherwise the text itself, trimmed,
// so that a value the set does not know is kept as written.
func (s *Set[T]) Fold(b []byte) T {
	text := strings.TrimSpace(string(b))
	if text == "" || strings.EqualFold(text, s.zero) {
		return ""
	}
	for _, v := range s.values {
		if strings.EqualFold(text, string(v)) {
			return v
		}
	}
	return T(text)
}
