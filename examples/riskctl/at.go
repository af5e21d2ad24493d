package main

import (
	"flag"
	"fmt"
	"time"

	"github.com/riskkit/riskkit/risk"
)

// atHelp says what -at means, the same in every subcommand that evaluates
// at an instant.
const atHelp = "evaluate at this `time`: RFC 3339 (2026-03-31T18:00:00Z), or a date YYYY-MM-DD for the end of that day (its last second) in the subject's time zone, UTC where it has none"

// atFlag is the -at flag: an instant, or a day whose end in the subject's
// zone is meant, or not set.
type atFlag struct {
	instant time.Time
	day     risk.Date
}

// addAtFlag declares -at on fs; dflt says what not setting it means.
func addAtFlag(fs *flag.FlagSet, dflt string) *atFlag {
	a := &atFlag{}
	fs.Var(a, "at", atHelp+" (default: "+dflt+")")
	return a
}

func (a *atFlag) String() string {
	switch {
	case !a.instant.IsZero():
		return a.instant.Format(time.RFC3339Nano)
	case !a.day.IsZero():
		return a.day.String()
	}
	return ""
}

// Set reads an RFC 3339 time or a date.
func (a *atFlag) Set(s string) error {
	if d, err := risk.ParseDate(s); err == nil {
		*a = atFlag{day: d}
		return nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return fmt.Errorf("%q is neither RFC 3339 (2026-03-31T18:00:00Z) nor a date (2026-03-31)", s)
	}
	*a = atFlag{instant: t}
	return nil
}

// set reports whether -at was given.
func (a *atFlag) set() bool { return !a.instant.IsZero() || !a.day.IsZero() }

// in returns the instant -at names for a subject in loc (nil for UTC), or
// the zero time when it was not given.
func (a *atFlag) in(loc *time.Location) time.Time {
	if loc == nil {
		loc = time.UTC
	}
	switch {
	case !a.instant.IsZero():
		return a.instant
	case !a.day.IsZero():
		return endOfDay(a.day, loc)
	}
	return time.Time{}
}

// endOfDay is the last second of a local day: an evaluation then sees the
// whole day and is still inside it.
func endOfDay(d risk.Date, loc *time.Location) time.Time {
	return d.AddDays(1).Start(loc).Add(-time.Second)
}
