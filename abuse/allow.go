package abuse

import (
	"cmp"
	"net/netip"
	"slices"
	"strings"
	"time"
)

// Allowance is the host's word that some activity of a customer is
// authorised, for a while: an authorised penetration test of named targets,
// a vetted mail sender, a known content-delivery node, a load test the
// target's owner agreed to. The host supplies allowances in [Config] or in
// the [State] it passes to [Monitor.Evaluate]; findings they cover are not
// reported but listed in [Result.StoodDown] with the allowance that
// covered them, so that a reviewer sees why a detector stood down.
//
// An allowance covers findings of its Category on its subscription (and
// resource, when given) produced by activity between From and Until: with
// Targets, only activity towards those addresses (flows and failed logins
// to them); without, all of it. The detector is run again without the
// covered activity, so that what remains, such as a scan of hosts outside
// the authorised targets, is still reported. An allowance always expires:
// activity from Until on is not covered.
type Allowance struct {
	// ID names the allowance in reports, such as a ticket number.
	ID           string `json:"id"`
	Subscription string `json:"subscription"`
	// Resource limits the allowance to one resource; empty means every
	// resource of the subscription and its subscription-wide windows.
	Resource string `json:"resource,omitzero"`
	// Category is the kind of finding covered: [Hacking] for a penetration
	// test, [Spam] for a vetted mail sender, [DenialOfService] for a known
	// content-delivery node or an agreed load test.
	Category Category `json:"category"`
	// Targets limits the allowance to activity towards these addresses;
	// empty means any.
	Targets []netip.Prefix `json:"targets,omitzero"`
	// From and Until bound the activity covered, [From, Until). The zero
	// From means from the beginning; Until is required.
	From  time.Time `json:"from,omitzero"`
	Until time.Time `json:"until"`
	// Reason says why, for the report.
	Reason string `json:"reason,omitzero"`
}

// StandDown is a finding a detector would have reported and an allowance
// covered.
type StandDown struct {
	Detector string `json:"detector"`
	// Allowance is the allowance that covered it.
	Allowance Allowance `json:"allowance"`
	// Finding is what the detector found, as it found it.
	Finding Finding `json:"finding"`
}

// check records the problems of an allowance at path.
func (a *Allowance) check(is *issues, path string) {
	bad := func(format string, args ...any) {
		is.add(path, format, args...)
	}
	if strings.TrimSpace(a.ID) == "" {
		bad("id is required")
	}
	if strings.TrimSpace(a.Subscription) == "" {
		bad("subscription is required")
	}
	if !slices.Contains(Categories(), a.Category) {
		bad("category %q is not one of %v", a.Category, Categories())
	}
	if a.Until.IsZero() {
		bad("until is required: an allowance expires")
	} else if !a.Until.After(a.From) {
		bad("until %s is not after from %s", a.Until.Format(time.RFC3339), a.From.Format(time.RFC3339))
	}
	for i, p := range a.Targets {
		if !p.IsValid() {
			bad("targets[%d] is not an address prefix", i)
		}
	}
}

// applies reports whether the allowance covers some of a window of the
// subscription and resource.
func (a *Allowance) applies(sub, res string, w Interval) bool {
	return a.Subscription == sub && (a.Resource == "" || a.Resource == res) &&
		a.Until.After(w.Start) && a.From.Before(w.End)
}

// covers reports whether activity at a time, towards an address (the zero
// Addr for activity without one), is covered.
func (a *Allowance) covers(at time.Time, remote netip.Addr) bool {
	if at.Before(a.From) || !at.Before(a.Until) {
		return false
	}
	if len(a.Targets) == 0 {
		return true
	}
	return remote.IsValid() && slices.ContainsFunc(a.Targets, func(p netip.Prefix) bool { return p.Contains(remote.Unmap()) })
}

// allowancesFor returns the allowances in cfg and st that apply to a
// window, sorted by ID.
func allowancesFor(cfg, st []Allowance, t *Telemetry) []Allowance {
	var out []Allowance
	for _, list := range [][]Allowance{cfg, st} {
		for _, a := range list {
			if a.applies(t.Subscription, t.Resource, t.Window) {
				out = append(out, a)
			}
		}
	}
	slices.SortFunc(out, func(x, y Allowance) int { return cmp.Compare(x.ID, y.ID) })
	return out
}

// without returns a copy of the telemetry without the activity the
// allowances cover.
func without(t *Telemetry, as []Allowance) *Telemetry {
	covered := func(at time.Time, remote netip.Addr) bool {
		return slices.ContainsFunc(as, func(a Allowance) bool { return a.covers(at, remote) })
	}
	c := *t
	c.Flows = slices.DeleteFunc(slices.Clone(t.Flows), func(f Flow) bool { return covered(f.Time, f.Remote) })
	c.AuthFailures = slices.DeleteFunc(slices.Clone(t.AuthFailures), func(f AuthFailure) bool { return covered(f.Time, f.Remote) })
	drop := func(at time.Time) bool { return covered(at, netip.Addr{}) }
	c.CPU = slices.DeleteFunc(slices.Clone(t.CPU), func(s Sample) bool { return drop(s.Time) })
	c.GPU = slices.DeleteFunc(slices.Clone(t.GPU), func(s Sample) bool { return drop(s.Time) })
	c.DNS = slices.DeleteFunc(slices.Clone(t.DNS), func(q DNSQuery) bool { return drop(q.Time) })
	c.Processes = slices.DeleteFunc(slices.Clone(t.Processes), func(p Process) bool { return drop(p.Time) })
	c.Hosted = slices.DeleteFunc(slices.Clone(t.Hosted), func(h HostedObject) bool { return drop(h.Time) })
	c.SignIns = slices.DeleteFunc(slices.Clone(t.SignIns), func(s SignIn) bool { return drop(s.Time) })
	c.Activity = slices.DeleteFunc(slices.Clone(t.Activity), func(e ActivityEvent) bool { return drop(e.Time) })
	if c.Account != nil && drop(t.Window.Start) && drop(t.Window.End.Add(-1)) {
		c.Account = nil
	}
	return &c
}

// standDown returns the findings of one detector that no allowance covers,
// and the stand-downs of those that one does. A finding is covered when the
// detector, run again without the activity the allowances of its category
// cover, no longer reports it; what it reports then replaces it.
func standDown(d Detector, in *DetectorInput, fs []Finding, as []Allowance) ([]Finding, []StandDown) {
	var keep []Finding
	var downs []StandDown
	rerun := map[Category][]Finding{}
	for _, f := range fs {
		var mine []Allowance
		for _, a := range as {
			if a.Category == f.Category {
				mine = append(mine, a)
			}
		}
		if len(mine) == 0 {
			keep = append(keep, f)
			continue
		}
		again, done := rerun[f.Category]
		if !done {
			var err error
			again, _, err = runDetector(d, &DetectorInput{Telemetry: without(in.Telemetry, mine), Baseline: in.Baseline})
			for i := range again {
				if err == nil {
					err = CheckFinding(&again[i], in.Telemetry.Window)
				}
			}
			if err != nil {
				// A detector that fails without the covered activity cannot
				// say what the allowance covers: nothing stands down.
				again = slices.DeleteFunc(slices.Clone(fs), func(g Finding) bool { return g.Category != f.Category })
			}
			again = slices.DeleteFunc(again, func(g Finding) bool { return g.Category != f.Category })
			rerun[f.Category] = again
			keep = append(keep, again...)
		}
		if !slices.ContainsFunc(again, func(g Finding) bool {
			return g.Type == f.Type && g.Direction == f.Direction && g.Subject == f.Subject
		}) {
			downs = append(downs, StandDown{Detector: d.Name(), Allowance: mine[0], Finding: f})
		}
	}
	return keep, downs
}
