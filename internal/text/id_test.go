package text

import (
	"strings"
	"testing"
)

func TestCheckID(t *testing.T) {
	for id, bad := range map[string]bool{
		"":                           false,
		"cus_42":                     false,
		"ordre-été":                  false,
		"a\x00b":                     true,
		"tab\there":                  true,
		"\xff":                       true,
		strings.Repeat("x", MaxID):   false,
		strings.Repeat("x", MaxID+1): true,
		"line\u2028sep":              false,
		"c1\u0085":                   true,
		"del\x7f":                    true,
	} {
		if got := CheckID(id) != ""; got != bad {
			t.Errorf("CheckID(%q) = %q, want a problem: %v", id, CheckID(id), bad)
		}
	}
}

func TestIsCountry(t *testing.T) {
	for s, want := range map[string]bool{"DE": true, "de": false, "D": false, "DEU": false, "": false, "D1": false} {
		if IsCountry(s) != want {
			t.Errorf("IsCountry(%q) = %v", s, !want)
		}
	}
}
