package onboarding_test

import (
	"strings"
	"testing"
	"time"

	"github.com/riskkit/riskkit/onboarding"
)

func TestEvaluateArguments(t *testing.T) {
	as := assessor(t, testPolicy, onboarding.Options{})
	a := clean()
	first, err := signUp(as, &a, t0)
	if err != nil {
		t.Fatal(err)
	}
	var zero *onboarding.Assessor
	tests := []struct {
		name, reason string
		as           *onboarding.Assessor
		prev         onboarding.Assessment
		in           onboarding.Event
		want         string
	}{
		{"nil assessor", "a zero Assessor is an error, not a panic", zero, onboarding.Assessment{}, onboarding.Event{Applicant: &a}, "needs an Assessor"},
		{"no applicant", "the first evaluation is the sign-up", as, onboarding.Assessment{}, onboarding.Event{}, "needs the applicant"},
		{"facts at sign-up", "facts describe a customer already assessed", as, onboarding.Assessment{}, onboarding.Event{Applicant: &a, Facts: onboarding.Facts{Services: []string{"x"}}}, "facts come after the sign-up"},
		{"applicant again", "a second sign-up would reset tenure", as, first, onboarding.Event{Applicant: &a}, "was assessed already"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.as.Evaluate(tt.prev, tt.in, t0)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("%s: got %v, want an error saying %q", tt.reason, err, tt.want)
			}
		})
	}
}

func TestEvaluateNext(t *testing.T) {
	as := assessor(t, testPolicy, onboarding.Options{})
	a := clean()
	r, err := as.Evaluate(onboarding.Assessment{}, onboarding.Event{Applicant: &a}, t0.Add(5*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	// The next tier needs 30 days of tenure, and its requirement shows the
	// days so far: the assessment changes when the first whole day passes.
	if want := t0.Add(29 * time.Hour); !r.Next.Equal(want) {
		t.Errorf("Next = %v, want %v (a day after the account opened)", r.Next, want)
	}
	// One nanosecond before Next nothing changes; at Next, tenure does.
	before, err := as.Evaluate(r.Assessment, onboarding.Event{}, r.Next.Add(-1))
	if err != nil {
		t.Fatal(err)
	}
	if len(before.Changes) != 0 {
		t.Errorf("changes before Next: %v", before.Changes)
	}
	at, err := as.Evaluate(r.Assessment, onboarding.Event{}, r.Next)
	if err != nil {
		t.Fatal(err)
	}
	if len(at.Changes) == 0 || at.Changes[0].Field != "tenure_days" {
		t.Errorf("changes at Next = %v, want tenure_days first", at.Changes)
	}
	if want := t0.Add(53 * time.Hour); !at.Next.Equal(want) {
		t.Errorf("Next after a day = %v, want %v", at.Next, want)
	}
}
