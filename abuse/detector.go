package abuse

import (
	"slices"
)

// Detector finds one kind of misuse in one window of telemetry. The
// built-in detectors are returned by [Detectors]; hosts add their own by
// passing them to [New].
//
// A detector must be pure: given the same input it returns the same
// findings, it does not modify the input or keep it, it holds no mutable
// state, and it does not panic on any input, however malformed. It must be
// safe for concurrent use. The abusetest package checks these properties.
type Detector interface {
	// Name is the detector's stable, unique name, such as "mining".
	Name() string
	// Sources lists the telemetry the detector cannot work without. When
	// one is missing from a window the detector is not run, and the window
	// is reported as unchecked for it.
	Sources() []Source
	// Detect returns the findings in the window, with every field filled in
	// but ID, Subscription, Resource, Windows and LastWindow. The order of
	// the findings does not matter.
	Detect(in *DetectorInput) []Finding
}

// DetectorInput is what a detector reads: one window of telemetry and the
// resource's history before it. A detector must not modify either.
type DetectorInput struct {
	Telemetry *Telemetry
	// Baseline is the history of the telemetry's subscription and resource
	// up to the start of the window; a resource seen for the first time has
	// a Baseline with zero windows. Never nil.
	Baseline *Baseline
}

// GapReporter is implemented by detectors that can say what they could not
// check in a window although the sources they need were collected: facts
// left out of a record, or records too coarse to show what the detector
// looks for. [Monitor.Evaluate] calls DetectGaps instead of Detect for them
// and lists the gaps in [Result.Unchecked], so that a window without
// findings is not mistaken for a clean one. DetectGaps must return the
// findings Detect returns, and say each gap in words, one a string.
type GapReporter interface {
	Detector
	DetectGaps(in *DetectorInput) ([]Finding, []string)
}

// Traits are optional facts a detector states about itself, by
// implementing interface{ Traits() Traits }.
type Traits struct {
	// Optional lists telemetry the detector reads when it is there. When
	// some is missing the window is reported as partly checked; when a
	// detector with no required sources finds all of them missing, the
	// window is reported as unchecked.
	Optional []Source
	// OrderIndependent reports whether the findings depend only on the
	// records of a window and not on their order. The abusetest package
	// checks the claim by shuffling records.
	OrderIndependent bool
	// SubscriptionWide reports whether the detector reads only facts about
	// the whole subscription (sign-ins, account), so that windows of one
	// resource are none of its business: it is not run on them, and they
	// are not reported as unchecked for it.
	SubscriptionWide bool
}

// TraitsOf returns the traits d states, or the zero Traits when it states
// none.
func TraitsOf(d Detector) Traits {
	if t, ok := d.(interface{ Traits() Traits }); ok {
		return t.Traits()
	}
	return Traits{}
}

// Detectors returns the built-in detectors configured by cfg, in a fixed
// order: mining, dos, hacking, spam, malware, resale and theft. Detectors
// named in cfg.Disabled are left out.
func Detectors(cfg Config) ([]Detector, error) {
	c, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	all := []Detector{
		newMiningDetector(c.Mining),
		&dosDetector{cfg: c.DoS},
		&hackingDetector{cfg: c.Hacking},
		&spamDetector{cfg: c.Spam},
		&malwareDetector{cfg: c.Malware},
		&resaleDetector{cfg: c.Resale},
		&theftDetector{cfg: c.Theft},
	}
	if d := all[1].(*dosDetector); d.thresholdsOverflow() {
		is := issues{sentinel: ErrInvalidConfig}
		is.add("DoS", "the thresholds are too large to compare over a %v interval", c.DoS.Interval)
		return nil, is.err("config", nil)
	}
	known := make([]string, len(all))
	for i, d := range all {
		known[i] = d.Name()
	}
	for _, name := range c.Disabled {
		if !slices.Contains(known, name) {
			is := issues{sentinel: ErrInvalidConfig}
			is.add("Disabled", "names unknown detector %q (want one of %v)", name, known)
			return nil, is.err("config", nil)
		}
	}
	out := all[:0]
	for _, d := range all {
		if !slices.Contains(c.Disabled, d.Name()) {
			out = append(out, d)
		}
	}
	return out, nil
}
