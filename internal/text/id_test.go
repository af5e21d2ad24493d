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

// TestPrintableASCII checks the eight-bytes-at-a-time test against the
// byte-by-byte definition, for every byte at every position of a word.
func TestPrintableASCII(t *testing.T) {
	plain := func(s string) bool {
		for i := 0; i < len(s); i++ {
			if s[i] < 0x20 || s[i] > 0x7e {
				return false
			}
		}
		return true
	}
	base := []byte("usage-2026-03-01x")
	for c := range 256 {
		for i := range base {
			b := append([]byte(nil), base...)
			b[i] = byte(c)
			if s := string(b); printableASCII(s) != plain(s) {
				t.Fatalf("printableASCII(%q) = %v", s, !plain(s))
			}
		}
	}
}

func FuzzPrintableASCII(f *testing.F) {
	f.Add("usage-2026-03-01")
	f.Add("a\x7fbcdefgh")
	f.Add(" ~~~~~~~~\x1f")
	f.Fuzz(func(t *testing.T, s string) {
		want := true
		for i := 0; i < len(s); i++ {
			want = want && s[i] >= 0x20 && s[i] <= 0x7e
		}
		if printableASCII(s) != want {
			t.Fatalf("printableASCII(%q) = %v", s, !want)
		}
	})
}
