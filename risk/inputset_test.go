package risk

import (
	"encoding/json"
	"slices"
	"testing"
)

func TestInputSet(t *testing.T) {
	names := []string{"signals.a", "customer.b"}
	s := NewInputSet(names...)
	names[0] = "changed"
	if s.Len() != 2 || !s.Contains("signals.a") || s.Contains("changed") || s.String() != "signals.a, customer.b" {
		t.Errorf("NewInputSet keeps the caller's slice or reads wrong: %v", s)
	}
	got := s.Names()
	got[0] = "changed"
	if !s.Contains("signals.a") {
		t.Error("Names hands out the set's own slice")
	}
	if !slices.Equal(slices.Collect(s.All()), []string{"signals.a", "customer.b"}) {
		t.Errorf("All = %v", slices.Collect(s.All()))
	}
	if !s.Equal(NewInputSet("signals.a", "customer.b")) || s.Equal(NewInputSet("customer.b", "signals.a")) || s.Equal(InputSet{}) {
		t.Error("Equal compares names in order")
	}
	for _, tc := range []struct {
		set  InputSet
		json string
	}{{s, `["signals.a","customer.b"]`}, {InputSet{}, `[]`}} {
		b, err := json.Marshal(tc.set)
		if err != nil || string(b) != tc.json {
			t.Errorf("Marshal(%v) = %s, %v; want %s", tc.set, b, err, tc.json)
		}
		var back InputSet
		if err := json.Unmarshal(b, &back); err != nil || !back.Equal(tc.set) {
			t.Errorf("Unmarshal(%s) = %v, %v", b, back, err)
		}
	}
	var bad InputSet
	if err := json.Unmarshal([]byte(`"signals.a"`), &bad); err == nil {
		t.Error("a string is not a list of inputs")
	}
}

// TestMissingSharesNames checks that a decision lists one missing input
// without copying its name, and that it cannot change the engine's.
func TestMissingSharesNames(t *testing.T) {
	e := mustCompile(t, `
id: t
version: "1"
outcomes: [review, approve]
rules:
  - {id: one, when: signals.accounts_per_ip_1h > 1, score: 1, reason: R}
  - {id: two, when: signals.accounts_per_ip_1h > 1 && signals.distinct_cards_24h > 1, score: 1, reason: R}
`)
	d := e.Evaluate(&Checkout{})
	want := []MissingInputs{
		{RuleID: "one", Inputs: NewInputSet("signals.accounts_per_ip_1h")},
		{RuleID: "two", Inputs: NewInputSet("signals.accounts_per_ip_1h", "signals.distinct_cards_24h")},
	}
	if !slices.EqualFunc(d.Missing, want, func(a, b MissingInputs) bool { return a.RuleID == b.RuleID && a.Inputs.Equal(b.Inputs) }) {
		t.Fatalf("missing %v, want %v", d.Missing, want)
	}
	d.Missing[0].Inputs.Names()[0] = "changed"
	if again := e.Evaluate(&Checkout{}); !again.Missing[0].Inputs.Contains("signals.accounts_per_ip_1h") {
		t.Errorf("a caller changed the engine's input names: %v", again.Missing)
	}
}
