package main

import (
	"strings"
	"testing"
	"time"
)

func TestAtFlag(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Skip(err)
	}
	var a atFlag
	if a.set() || !a.in(berlin).IsZero() {
		t.Error("an unset -at names an instant")
	}
	if err := a.Set("2026-03-29"); err != nil {
		t.Fatal(err)
	}
	// The day daylight saving starts in Berlin: its last second is 23:59:59 CEST.
	if got, want := a.in(berlin), time.Date(2026, 3, 29, 23, 59, 59, 0, berlin); !got.Equal(want) {
		t.Errorf("date in Berlin: %v, want %v", got, want)
	}
	if got, want := a.in(nil), time.Date(2026, 3, 29, 23, 59, 59, 0, time.UTC); !got.Equal(want) {
		t.Errorf("date in UTC: %v, want %v", got, want)
	}
	if err := a.Set("2026-03-29T10:00:00+02:00"); err != nil {
		t.Fatal(err)
	}
	if got := a.in(berlin); !got.Equal(time.Date(2026, 3, 29, 8, 0, 0, 0, time.UTC)) {
		t.Errorf("instant: %v", got)
	}
	for _, bad := range []string{"tomorrow", "2026-02-30", "2026-03-29 10:00"} {
		if err := a.Set(bad); err == nil || !strings.Contains(err.Error(), "neither RFC 3339") {
			t.Errorf("%q: %v", bad, err)
		}
	}
}

// TestAtMeansOneThing checks that every subcommand that evaluates at an
// instant takes -at, with the one meaning.
func TestAtMeansOneThing(t *testing.T) {
	for _, name := range []string{"onboard", "budget", "abuse", "notices", "dunning"} {
		code, _, errOut := subcommand(t, name, "", "-h")
		if code != 0 || !strings.Contains(strings.Join(strings.Fields(errOut), " "), strings.Join(strings.Fields(strings.ReplaceAll(atHelp, "`", "")), " ")) {
			t.Errorf("riskctl %s -h (exit %d) does not explain -at as the others do:\n%s", name, code, errOut)
		}
	}
}
