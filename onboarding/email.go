package onboarding

import (
	"fmt"
	"strings"

	"github.com/riskkit/riskkit/internal/enum"
)

// EmailLists are a host's additions to the disposable-email check. The zero
// value uses the built-in list ([DefaultDisposableDomains]) and nothing
// else.
//
// A domain matches itself and its subdomains: "mailinator.com" also covers
// "eu.mailinator.com". Allow wins over Deny, and both win over the built-in
// list, so a host can withdraw a built-in entry it disagrees with.
type EmailLists struct {
	// Deny are domains the host treats as disposable.
	Deny []string `json:"deny,omitempty"`
	// Allow are domains the host never treats as disposable, whatever the
	// other lists say.
	Allow []string `json:"allow,omitempty"`
	// NoDefaults leaves the built-in list out, for a host that supplies a
	// maintained list of its own in Deny.
	NoDefaults bool `json:"no_defaults,omitzero"`
}

// ListSource says which list decided an email verdict.
type ListSource string

// List sources. The zero value means no list named the domain.
const (
	Unlisted    ListSource = ""
	BuiltInList ListSource = "built_in"
	HostDeny    ListSource = "host_deny"
	HostAllow   ListSource = "host_allow"
)

var listSources = enum.New("onboarding", "list source", "unlisted", BuiltInList, HostDeny, HostAllow)

// String returns the source's name; the zero value's is "unlisted".
func (s ListSource) String() string { return listSources.Name(s) }

// MarshalText returns the source's name.
func (s ListSource) MarshalText() ([]byte, error) { return listSources.Text(s) }

// UnmarshalText accepts the names of [ListSource.String] and the empty
// string.
func (s *ListSource) UnmarshalText(b []byte) (err error) {
	*s, err = listSources.Parse(b)
	return err
}

// EmailVerdict is the disposable-email check's answer for one domain.
// Policies read it as email_check.
type EmailVerdict struct {
	// Domain is the domain checked, normalised to lower case without a
	// trailing dot.
	Domain string `json:"domain,omitzero"`
	// Disposable reports whether the domain is a disposable-mail service.
	Disposable bool `json:"disposable,omitzero"`
	// Source is the list that decided; Unlisted when none named the
	// domain.
	Source ListSource `json:"source,omitzero"`
}

// EmailCheck tells disposable email domains from others. Build one with
// [NewEmailCheck]; it is immutable and safe for concurrent use. The zero
// value knows no domains at all.
type EmailCheck struct {
	verdicts map[string]ListSource
}

// NewEmailCheck returns a check over the built-in list and the host's
// lists. Entries are domains such as "example.com", in any case, with or
// without a leading "@" or "." or a trailing dot; an entry that is not a
// domain is an error naming the list and position.
func NewEmailCheck(l EmailLists) (*EmailCheck, error) {
	c := &EmailCheck{verdicts: map[string]ListSource{}}
	if !l.NoDefaults {
		for _, d := range DefaultDisposableDomains() {
			c.verdicts[d] = BuiltInList
		}
	}
	var errs []string
	for _, list := range []struct {
		name    string
		entries []string
		src     ListSource
	}{{"deny", l.Deny, HostDeny}, {"allow", l.Allow, HostAllow}} {
		for i, e := range list.entries {
			d := normalizeDomain(strings.TrimLeft(strings.TrimSpace(e), "@."))
			if !isDomain(d) {
				errs = append(errs, fmt.Sprintf("%s[%d]: %q is not a domain such as example.com", list.name, i, e))
				continue
			}
			c.verdicts[d] = list.src
		}
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("onboarding: email lists: %s", strings.Join(errs, "; "))
	}
	return c, nil
}

// Check returns the verdict for a domain, or for the domain of an address
// such as "ana@example.com". The longest listed suffix decides, so a host's
// entry for "eu.example.com" overrides one for "example.com". An empty or
// malformed domain is not disposable, with source Unlisted; policies see the
// domain and decide.
func (c *EmailCheck) Check(domain string) EmailVerdict {
	d := normalizeDomain(DomainOf(domain))
	v := EmailVerdict{Domain: d}
	if c == nil || c.verdicts == nil || d == "" {
		return v
	}
	for s := d; ; {
		if src, ok := c.verdicts[s]; ok {
			v.Source = src
			v.Disposable = src != HostAllow
			return v
		}
		i := strings.IndexByte(s, '.')
		if i < 0 {
			return v
		}
		s = s[i+1:]
	}
}

// DomainOf returns the domain of an email address: the text after the last
// "@", or the whole text when there is none.
func DomainOf(address string) string {
	if i := strings.LastIndexByte(address, '@'); i >= 0 {
		return address[i+1:]
	}
	return address
}

// normalizeDomain lower-cases ASCII letters and drops a trailing dot. It does
// not allocate for a domain that is already normal.
func normalizeDomain(d string) string {
	d = strings.TrimSuffix(d, ".")
	for i := 0; i < len(d); i++ {
		if c := d[i]; 'A' <= c && c <= 'Z' {
			return strings.ToLower(d)
		}
	}
	return d
}

// isDomain reports whether d is a plausible lower-case DNS name with at
// least two labels: letters, digits and hyphens, or punycode.
func isDomain(d string) bool {
	if len(d) == 0 || len(d) > 253 || !strings.Contains(d, ".") {
		return false
	}
	for label := range strings.SplitSeq(d, ".") {
		if len(label) == 0 || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for i := 0; i < len(label); i++ {
			c := label[i]
			if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-') {
				return false
			}
		}
	}
	return true
}

// DefaultDisposableDomains returns the built-in list of disposable-mail
// domains, sorted. It is a seed, not a feed: disposable services appear
// daily, and a host that cares should supply a maintained list in
// [EmailLists.Deny].
//
// Source: compiled by hand on 2026-11-25, without network access, from the
// names of well-known public disposable and temporary mail services. It is
// not copied from any published list, and it is distributed under the
// riskkit project's own licence.
func DefaultDisposableDomains() []string {
	return []string{
		"10minutemail.com",
		"10minutemail.net",
		"33mail.com",
		"burnermail.io",
		"discard.email",
		"dispostable.com",
		"emailondeck.com",
		"fakeinbox.com",
		"getairmail.com",
		"getnada.com",
		"grr.la",
		"guerrillamail.biz",
		"guerrillamail.com",
		"guerrillamail.de",
		"guerrillamail.info",
		"guerrillamail.net",
		"guerrillamail.org",
		"guerrillamailblock.com",
		"harakirimail.com",
		"incognitomail.org",
		"mailcatch.com",
		"maildrop.cc",
		"mailinator.com",
		"mailinator.net",
		"mailnesia.com",
		"mintemail.com",
		"moakt.com",
		"mohmal.com",
		"mytemp.email",
		"sharklasers.com",
		"spam4.me",
		"spamgourmet.com",
		"temp-mail.io",
		"temp-mail.org",
		"tempail.com",
		"tempmail.dev",
		"tempmailo.com",
		"tempr.email",
		"throwawaymail.com",
		"trashmail.com",
		"trashmail.de",
		"trashmail.net",
		"yopmail.com",
		"yopmail.fr",
		"yopmail.net",
	}
}
