package risk

import (
	"strings"
	"testing"
)

// FuzzParseMoney checks that ParseMoney never panics, that its errors say
// what they are about, and that whatever it accepts survives String,
// ParseMoney and the text encoding unchanged.
func FuzzParseMoney(f *testing.F) {
	for _, s := range []string{
		"249.95 USD", "-10 USD", "1000 JPY", "1.250 BHD", "0.5 USD", "-0.00 USD",
		"92233720368547758.07 USD", "-92233720368547758.08 USD", "92233720368547758.08 USD",
		"9223372036854775807 JPY", "-9223372036854775.808 BHD", "1.2345 CLF",
		"", " ", "10", "10 ", " USD", "10  USD", "10 usd", "10 XXX", "1.999 USD", "1.0 JPY",
		"1,000.00 USD", "+1 USD", "--1 USD", ".5 USD", "5. USD", "1e3 USD", "−1 USD", "1 ÜSD",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := ParseMoney(s)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "risk: parse money ") {
				t.Fatalf("ParseMoney(%q) error %q lacks the package prefix", s, err)
			}
			if m != (Money{}) {
				t.Fatalf("ParseMoney(%q) = %#v with an error", s, m)
			}
			return
		}
		if m.IsZero() {
			t.Fatalf("ParseMoney(%q) returned the zero Money without an error", s)
		}
		str := m.String()
		back, err := ParseMoney(str)
		if err != nil {
			t.Fatalf("ParseMoney(%q) = %#v, whose String %q does not parse: %v", s, m, str, err)
		}
		if back != m {
			t.Fatalf("ParseMoney(%q) = %#v, but its String %q parses to %#v", s, m, str, back)
		}
		if again := back.String(); again != str {
			t.Fatalf("String is not stable: %q then %q", str, again)
		}
		text, err := m.MarshalText()
		if err != nil || string(text) != str {
			t.Fatalf("MarshalText() = %q, %v; want %q", text, err, str)
		}
		var un Money
		if err := un.UnmarshalText(text); err != nil || un != m {
			t.Fatalf("UnmarshalText(%q) = %#v, %v; want %#v", text, un, err, m)
		}
	})
}
