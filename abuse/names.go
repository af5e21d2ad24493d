package abuse

import (
	"math"
	"strings"
)

// The functions here compare names without allocating, because they run
// once per record.

// lowerASCII returns the ASCII lower-case form of s written into buf, or s
// itself when it has no upper-case letters or does not fit.
func lowerASCII(s string, buf []byte) string {
	i := 0
	for i < len(s) && (s[i] < 'A' || s[i] > 'Z') {
		i++
	}
	if i == len(s) || len(s) > len(buf) {
		return s
	}
	b := buf[:len(s)]
	copy(b, s)
	for ; i < len(b); i++ {
		if c := b[i]; c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

func foldByte(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// hasPrefixFold reports whether s starts with prefix, ignoring ASCII case;
// prefix must be lower case.
func hasPrefixFold(s, prefix string) bool {
	if len(s) < len(prefix) {
		return false
	}
	for i := 0; i < len(prefix); i++ {
		if foldByte(s[i]) != prefix[i] {
			return false
		}
	}
	return true
}

// containsFold reports whether s contains sub, ignoring ASCII case; sub
// must be lower case and not empty.
func containsFold(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if foldByte(s[i]) == sub[0] && hasPrefixFold(s[i:], sub) {
			return true
		}
	}
	return false
}

// processBase returns a process name without its directory and without a
// ".exe" suffix.
func processBase(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	if n := len(name); n > 4 && strings.EqualFold(name[n-4:], ".exe") {
		name = name[:n-4]
	}
	return name
}

// hasStratumURL reports whether a command line names a URL of the stratum
// mining protocol.
func hasStratumURL(cmd string) bool {
	if !containsFold(cmd, "stratum") {
		return false
	}
	for _, s := range [...]string{"stratum+tcp://", "stratum+ssl://", "stratum+tls://", "stratum2+tcp://", "stratum://"} {
		if containsFold(cmd, s) {
			return true
		}
	}
	return false
}

// domainSuffixes calls fn with name and each of its parent domains, from the
// longest, until fn returns true. "a.b.example.com" gives
// "a.b.example.com", "b.example.com", "example.com" and "com".
func domainSuffixes(name string, fn func(string) bool) bool {
	for {
		if fn(name) {
			return true
		}
		i := strings.IndexByte(name, '.')
		if i < 0 {
			return false
		}
		name = name[i+1:]
	}
}

// isSecondLevel reports whether label is a common second-level label under
// country-code top-level domains, as in example.co.uk, so that the
// registered label is the one before it.
func isSecondLevel(label string) bool {
	switch label {
	case "co", "com", "net", "org", "ac", "gov", "edu", "ne", "or":
		return true
	}
	return false
}

// registeredLabel returns the label a domain was registered under: "example"
// for "www.example.com" and for "shop.example.co.uk". It returns "" for a
// name of one label.
func registeredLabel(name string) string {
	name = strings.TrimSuffix(name, ".")
	last := strings.LastIndexByte(name, '.')
	if last < 0 {
		return ""
	}
	rest := name[:last]
	i := strings.LastIndexByte(rest, '.')
	label := rest[i+1:]
	if len(name)-last-1 == 2 && isSecondLevel(label) && i >= 0 {
		rest = rest[:i]
		label = rest[strings.LastIndexByte(rest, '.')+1:]
	}
	return label
}

// looksGenerated reports whether a domain name looks algorithmically
// generated, as the domains malware families derive from the date to find
// their command servers: the registered label is long (10 characters or
// more), made of letters and digits only, has high character entropy (3
// bits or more), and has very few vowels (under 22% of the letters), or few
// vowels (under 35%) together with a run of four consonants or a mix of
// letters and at least three digits. Words, brand names and their compounds
// rarely pass; content-delivery hashes usually sit in a subdomain, which the
// test does not look at.
func looksGenerated(name string) bool {
	label := registeredLabel(name)
	if len(label) < 10 || len(label) > 63 || strings.HasPrefix(label, "xn--") {
		return false
	}
	var counts [36]int
	vowels, digits, run, longestRun := 0, 0, 0, 0
	for i := 0; i < len(label); i++ {
		c := foldByte(label[i])
		switch {
		case c >= 'a' && c <= 'z':
			counts[c-'a']++
			if strings.IndexByte("aeiou", c) >= 0 {
				vowels++
				run = 0
			} else {
				run++
				longestRun = max(longestRun, run)
			}
		case c >= '0' && c <= '9':
			counts[26+c-'0']++
			digits++
			run = 0
		default:
			return false
		}
	}
	n := float64(len(label))
	entropy := 0.0
	for _, k := range counts {
		if k > 0 {
			p := float64(k) / n
			entropy -= p * math.Log2(p)
		}
	}
	if entropy < 3.0 {
		return false
	}
	letters := len(label) - digits
	if letters == 0 {
		return false
	}
	vowelRatio := float64(vowels) / float64(letters)
	switch {
	case vowelRatio < 0.22:
		return true
	case vowelRatio < 0.35 && longestRun >= 4:
		return true
	case vowelRatio < 0.35 && digits >= 3 && float64(digits)/n < 0.7:
		return true
	}
	return false
}
