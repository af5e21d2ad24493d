package main

import (
	"bufio"
	"bytes"
	"testing"

	"github.com/riskkit/riskkit/examples"
	"github.com/riskkit/riskkit/onboarding"
)

// TestCommittedFileIsCurrent regenerates the applicants in memory and compares
// it with the file the examples package embeds, so that a change to the
// generator cannot land without the data it produces.
func TestCommittedFileIsCurrent(t *testing.T) { command.CheckCommitted(t) }

// TestPaths decodes every applicant strictly and assesses it with the
// example policy: each named path must reach the outcome it stands for.
func TestPaths(t *testing.T) {
	b, n, err := generate()
	if err != nil {
		t.Fatal(err)
	}
	src, err := examples.Policy("onboarding.yaml")
	if err != nil {
		t.Fatal(err)
	}
	p, err := onboarding.Compile(src)
	if err != nil {
		t.Fatal(err)
	}
	as, err := onboarding.NewAssessor(p, onboarding.Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]onboarding.Outcome{
		"biz-northwind": onboarding.Approve,
		"ind-ana-lima":  onboarding.Approve,
		"bot-burst-1":   onboarding.Reject,
		"bot-burst-2":   onboarding.Reject,
		"bot-burst-3":   onboarding.Reject,
		"bot-burst-4":   onboarding.Reject,
		"card-stolen":   onboarding.Reject,
		"region-prepay": onboarding.ApproveWithControls,
		"id-pending":    onboarding.Pending,
	}
	seen := map[string]bool{}
	outcomes := map[onboarding.Outcome]int{}
	sc := bufio.NewScanner(bytes.NewReader(b))
	lines := 0
	for sc.Scan() {
		lines++
		a, err := onboarding.DecodeApplicant(sc.Bytes())
		if err != nil {
			t.Fatalf("line %d: %v", lines, err)
		}
		if seen[a.ID] {
			t.Errorf("line %d: id %s repeats", lines, a.ID)
		}
		seen[a.ID] = true
		res, err := as.Evaluate(onboarding.Assessment{}, onboarding.Event{Applicant: &a}, a.Signup.At)
		got := res.Assessment
		if err != nil {
			t.Fatalf("line %d: %v", lines, err)
		}
		outcomes[got.Outcome]++
		if w, ok := want[a.ID]; ok && got.Outcome != w {
			t.Errorf("%s: %s (%s), want %s", a.ID, got.Outcome, got.Decision.String(), w)
		}
	}
	if lines != n {
		t.Errorf("%d lines for %d applicants", lines, n)
	}
	for id := range want {
		if !seen[id] {
			t.Errorf("path %s is missing", id)
		}
	}
	// The ordinary sign-ups are mostly let in, and not all the same way.
	if outcomes[onboarding.Approve] < 5 || outcomes[onboarding.ApproveWithControls] < 5 || len(outcomes) < 4 {
		t.Errorf("outcome mix %v is too uniform to show the policy", outcomes)
	}
}

// TestRun checks that the output flag writes what generate returns and
// that bad arguments are errors.
func TestRun(t *testing.T) { command.CheckRun(t) }
