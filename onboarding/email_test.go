package onboarding_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/riskkit/riskkit/onboarding"
)

func TestEmailCheck(t *testing.T) {
	c, err := onboarding.NewEmailCheck(onboarding.EmailLists{
		Deny:  []string{"Burner.Example", "@throwaway.test"},
		Allow: []string{"eu.burner.example", "yopmail.com."},
	})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		in, reason string
		want       onboarding.EmailVerdict
	}{
		{"mailinator.com", "on the built-in list",
			onboarding.EmailVerdict{Domain: "mailinator.com", Disposable: true, Source: onboarding.BuiltInList}},
		{"ana@MAILINATOR.com.", "an address, in any case, with a trailing dot",
			onboarding.EmailVerdict{Domain: "mailinator.com", Disposable: true, Source: onboarding.BuiltInList}},
		{"x.y.mailinator.com", "a subdomain of a listed domain",
			onboarding.EmailVerdict{Domain: "x.y.mailinator.com", Disposable: true, Source: onboarding.BuiltInList}},
		{"notmailinator.com", "a suffix is matched by whole labels only",
			onboarding.EmailVerdict{Domain: "notmailinator.com"}},
		{"burner.example", "the host's deny list",
			onboarding.EmailVerdict{Domain: "burner.example", Disposable: true, Source: onboarding.HostDeny}},
		{"throwaway.test", "a leading @ in a list entry is dropped",
			onboarding.EmailVerdict{Domain: "throwaway.test", Disposable: true, Source: onboarding.HostDeny}},
		{"mx.eu.burner.example", "the longest listed suffix decides: the host allows eu.",
			onboarding.EmailVerdict{Domain: "mx.eu.burner.example", Source: onboarding.HostAllow}},
		{"yopmail.com", "the host withdraws a built-in entry",
			onboarding.EmailVerdict{Domain: "yopmail.com", Source: onboarding.HostAllow}},
		{"example.com", "listed nowhere", onboarding.EmailVerdict{Domain: "example.com"}},
		{"", "no domain", onboarding.EmailVerdict{}},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, c.Check(tt.in)); diff != "" {
			t.Errorf("%s (%s): (-want +got):\n%s", tt.in, tt.reason, diff)
		}
	}
	var zero *onboarding.EmailCheck
	if v := zero.Check("mailinator.com"); v.Disposable {
		t.Error("a nil check knows no domains")
	}
}

func TestEmailCheckNoDefaults(t *testing.T) {
	c, err := onboarding.NewEmailCheck(onboarding.EmailLists{NoDefaults: true, Deny: []string{"burner.example"}})
	if err != nil {
		t.Fatal(err)
	}
	if c.Check("mailinator.com").Disposable || !c.Check("burner.example").Disposable {
		t.Error("with NoDefaults only the host's list applies")
	}
}

func TestEmailListErrors(t *testing.T) {
	_, err := onboarding.NewEmailCheck(onboarding.EmailLists{Deny: []string{"ok.example", "no dots"}, Allow: []string{"-bad.example"}})
	want := `onboarding: email lists: deny[1]: "no dots" is not a domain such as example.com; allow[0]: "-bad.example" is not a domain such as example.com`
	if err == nil || err.Error() != want {
		t.Errorf("got %v\nwant %s", err, want)
	}
}

func TestDefaultDisposableDomains(t *testing.T) {
	l := onboarding.DefaultDisposableDomains()
	if !slices.IsSorted(l) || len(slices.Compact(slices.Clone(l))) != len(l) {
		t.Error("the built-in list must be sorted and without repeats")
	}
	c, err := onboarding.NewEmailCheck(onboarding.EmailLists{NoDefaults: true, Deny: l})
	if err != nil {
		t.Fatalf("every built-in entry must be a domain: %v", err)
	}
	for _, d := range l {
		if d != strings.ToLower(d) || !c.Check(d).Disposable {
			t.Errorf("%s: not a normal lower-case domain", d)
		}
	}
}
