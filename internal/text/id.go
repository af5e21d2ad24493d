package text

import (
	"fmt"
	"unicode"
	"unicode/utf8"
)

// MaxID is the longest identifier riskkit accepts, in bytes.
const MaxID = 200

// CheckID returns what is wrong with an identifier a host gave, or "" when
// nothing is: an id is at most MaxID bytes of valid UTF-8 without control
// characters, so that it can be logged, keyed and printed safely.
func CheckID(id string) string {
	if len(id) > MaxID {
		return fmt.Sprintf("longer than %d bytes", MaxID)
	}
	if printableASCII(id) {
		return "" // the common case, in one pass
	}
	if !utf8.ValidString(id) {
		return fmt.Sprintf("%q is not valid UTF-8", id)
	}
	for _, r := range id {
		if unicode.IsControl(r) {
			return fmt.Sprintf("%q has the control character %U", id, r)
		}
	}
	return ""
}

// printableASCII reports whether s holds only ASCII characters that are
// not control characters, 0x20 to 0x7e. Ids are checked on every
// evaluation of a budget or ledger, so it reads eight bytes at a time.
func printableASCII(s string) bool {
	const high = 0x8080808080808080 // the top bit of each byte
	for ; len(s) >= 8; s = s[8:] {
		w := uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
			uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
		// With no byte at 0x80 or above, adding 0x60 to a byte sets its
		// top bit exactly when it is at least 0x20, and adding 1 exactly
		// when it is 0x7f; neither carries into the next byte.
		if w&high != 0 || (w+0x6060606060606060)&high != high || (w+0x0101010101010101)&high != 0 {
			return false
		}
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f {
			return false
		}
	}
	return true
}

// IsCountry reports whether s is written as an ISO 3166-1 alpha-2 code:
// two upper-case ASCII letters.
func IsCountry(s string) bool {
	return len(s) == 2 && 'A' <= s[0] && s[0] <= 'Z' && 'A' <= s[1] && s[1] <= 'Z'
}
