package text

import "testing"

func TestPlural(t *testing.T) {
	for _, tt := range []struct {
		n    int64
		noun string
		want string
	}{
		{1, "host", "1 host"},
		{-1, "day", "-1 day"},
		{0, "host", "0 hosts"},
		{2, "day", "2 days"}, // a vowel before y: not "daies"
		{4, "country", "4 countries"},
		{3, "key", "3 keys"},
		{2, "y", "2 ys"},
		{5, "", "5 "},
	} {
		if got := Plural(tt.n, tt.noun); got != tt.want {
			t.Errorf("Plural(%d, %q) = %q, want %q", tt.n, tt.noun, got, tt.want)
		}
	}
	if got := Noun(2, "problem"); got != "problems" {
		t.Errorf("Noun(2, problem) = %q", got)
	}
}
