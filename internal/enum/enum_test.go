package enum

import (
	"testing"
)

type state string

var states = New("pkg", "state", "not_run", state("pending"), state("done"))

func TestSet(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want state
		err  bool
	}{
		{"", "", false},
		{"not_run", "", false},
		{"pending", "pending", false},
		{"done", "done", false},
		{"Done", "", true},
		{"none", "", true},
	} {
		got, err := states.Parse([]byte(tt.in))
		if got != tt.want || (err != nil) != tt.err {
			t.Errorf("Parse(%q) = %q, %v", tt.in, got, err)
		}
	}
	if _, err := states.Parse([]byte("x")); err == nil || err.Error() != `pkg: unknown state "x" (want one of pending, done, not_run)` {
		t.Errorf("error = %v", err)
	}
	if states.Name("") != "not_run" || states.Name("done") != "done" {
		t.Error("Name")
	}
	if b, err := states.Text(""); err != nil || string(b) != "not_run" {
		t.Errorf("Text(zero) = %q, %v", b, err)
	}
	if _, err := states.Text("bogus"); err == nil {
		t.Error("Text of a value outside the set succeeded")
	}
	if !states.Contains("") || states.Contains("bogus") {
		t.Error("Contains")
	}
	for _, v := range states.Values() {
		b, _ := states.Text(v)
		back, err := states.Parse(b)
		if err != nil || back != v {
			t.Errorf("round trip of %q: %q, %v", v, back, err)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte("pending"))
	f.Add([]byte("not_run"))
	f.Add([]byte{0xff})
	f.Fuzz(func(t *testing.T, b []byte) {
		v, err := states.Parse(b)
		if err != nil {
			return
		}
		text, err := states.Text(v)
		if err != nil {
			t.Fatal(err)
		}
		if again, err := states.Parse(text); err != nil || again != v {
			t.Fatalf("round trip %q -> %q -> %q", b, v, again)
		}
	})
}

func TestFold(t *testing.T) {
	for in, want := range map[string]state{
		"":          "",
		" Not_Run ": "",
		"DONE":      "done",
		" pending ": "pending",
		"Escalated": "Escalated", // kept as written
	} {
		if got := states.Fold([]byte(in)); got != want {
			t.Errorf("Fold(%q) = %q, want %q", in, got, want)
		}
	}
}
