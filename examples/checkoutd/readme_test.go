package main

import (
	"encoding/json"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestREADME runs the README's walk-through of the service: its curl
// request is decided as the README says, and its sed command breaks the
// policy the way the other tests do.
func TestREADME(t *testing.T) {
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	md := string(b)
	m := regexp.MustCompile(`(?s)curl -s localhost:8080/v1/checkout -d '([^']*)'\n# (\{[^\n]*)`).FindStringSubmatch(md)
	if m == nil {
		t.Fatal("README has no curl request for /v1/checkout with its answer")
	}
	srv, _ := newServer(t, embedded(t))
	r := do(srv.handler(), "POST", "/v1/checkout", "", m[1])
	if r.code != 200 {
		t.Fatalf("the README's request: %d %s", r.code, r.body)
	}
	var got checkoutResponse
	if err := json.Unmarshal([]byte(r.body), &got); err != nil {
		t.Fatal(err)
	}
	shown := m[2]
	for _, want := range []string{`"outcome":"` + string(got.Outcome) + `"`, `"policy_version":"` + got.PolicyVersion + `"`, `"basis":"` + string(got.Basis) + `"`} {
		if !strings.Contains(shown, want) {
			t.Errorf("README shows %s; the service answers %s", shown, want)
		}
	}
	for _, reason := range regexp.MustCompile(`"([A-Z0-9_]+)"`).FindAllStringSubmatch(shown, -1) {
		if !slices.Contains(got.Reasons, reason[1]) {
			t.Errorf("README shows reason %s; the service gives %v", reason[1], got.Reasons)
		}
	}

	sed := regexp.MustCompile(`sed -i 's/([^/]+)/([^/]+)/'`).FindStringSubmatch(md)
	if sed == nil {
		t.Fatal("README no longer breaks the policy with sed")
	}
	src := examplePolicy(t, "checkout.yaml")
	if strings.Count(src, sed[1]) != 1 || strings.Replace(src, sed[1], sed[2], 1) != broken(t) {
		t.Errorf("README's sed s/%s/%s/ does not break the policy as the tests do", sed[1], sed[2])
	}
}
