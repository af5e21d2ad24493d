// Package abusetest checks that an abuse.Detector keeps the contract every
// detector must keep: it is deterministic, it is pure, it never panics, and
// when it claims order independence its findings do not depend on the
// order of a window's records.
//
// Run it from a test with windows that exercise the detector:
//
//	func TestMyDetector(t *testing.T) {
//		abusetest.Run(t, myDetector{}, abuse.DetectorInput{Telemetry: &window, Baseline: &abuse.Baseline{}})
//	}
//
// # Checks
//
// For each input, and for hostile variants of it (empty, with records
// outside the window, with zero times and addresses, with extreme and
// negative counts, with NaN utilisation, with a reversed window), [Check]
// calls Detect twice and requires:
//
//   - no panic;
//   - the same findings both times;
//   - the input left unchanged;
//   - for inputs that pass [abuse.Telemetry.Validate], findings that pass
//     [abuse.CheckFinding];
//   - when [abuse.TraitsOf] says OrderIndependent, the same findings, up to
//     their order, after the records are shuffled;
//   - for an [abuse.GapReporter], the same findings from DetectGaps as from
//     Detect, and the same gaps each time.
//
// It also requires a non-empty name and stable Name, Sources and Traits.
package abusetest

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"net/netip"
	"slices"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/riskkit/riskkit/abuse"
	"github.com/riskkit/riskkit/risk"
)

// Run calls [Check] and reports each problem as a test error.
func Run(t testing.TB, d abuse.Detector, inputs ...abuse.DetectorInput) {
	t.Helper()
	if err := Check(d, inputs...); err != nil {
		for _, e := range unjoin(err) {
			t.Error(e)
		}
	}
}

func unjoin(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

// Options compare findings and telemetry: they see through the unexported
// fields of addresses, money and signals, and treat NaN as equal to NaN.
func Options() gocmp.Options {
	return gocmp.Options{
		gocmp.Comparer(func(a, b netip.Addr) bool { return a == b }),
		gocmp.Comparer(func(a, b risk.Money) bool { return a == b }),
		gocmp.Comparer(func(a, b risk.Signal) bool { return a == b }),
		cmpopts.EquateNaNs(),
		cmpopts.EquateEmpty(),
	}
}

// shuffles is how many shuffled orders are tried per input.
const shuffles = 4

// Check runs every check on d and returns the problems found, joined, or
// nil.
func Check(d abuse.Detector, inputs ...abuse.DetectorInput) error {
	var errs []error
	name := d.Name()
	if name == "" {
		errs = append(errs, errors.New("abusetest: detector has an empty name"))
	}
	if again := d.Name(); again != name {
		errs = append(errs, fmt.Errorf("abusetest: detector name changed from %q to %q", name, again))
	}
	if a, b := d.Sources(), d.Sources(); !slices.Equal(a, b) {
		errs = append(errs, fmt.Errorf("abusetest: %s: Sources changed from %v to %v", name, a, b))
	}
	tr := abuse.TraitsOf(d)
	if again := abuse.TraitsOf(d); !gocmp.Equal(tr, again) {
		errs = append(errs, fmt.Errorf("abusetest: %s: Traits changed from %+v to %+v", name, tr, again))
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for i, in := range inputs {
		if in.Telemetry == nil {
			errs = append(errs, fmt.Errorf("abusetest: input %d has no telemetry", i))
			continue
		}
		if in.Baseline == nil {
			in.Baseline = &abuse.Baseline{Subscription: in.Telemetry.Subscription, Resource: in.Telemetry.Resource}
		}
		label := fmt.Sprintf("input %d", i)
		errs = append(errs, checkOne(d, label, in, true)...)
		if tr.OrderIndependent {
			errs = append(errs, checkOrder(d, label, in, rng)...)
		}
		for _, v := range hostile(in) {
			errs = append(errs, checkOne(d, label+" "+v.name, v.in, false)...)
		}
	}
	return errors.Join(errs...)
}

// checkOne runs d twice on in and checks determinism, purity and, for
// valid input, the findings.
func checkOne(d abuse.Detector, label string, in abuse.DetectorInput, validate bool) []error {
	var errs []error
	before := clone(in)
	first, err := call(d, in)
	if err != nil {
		return []error{fmt.Errorf("abusetest: %s: %s: %v", d.Name(), label, err)}
	}
	if !sameTelemetry(before.Telemetry, in.Telemetry) {
		diff := gocmp.Diff(before.Telemetry, in.Telemetry, Options())
		errs = append(errs, fmt.Errorf("abusetest: %s: %s: Detect changed its telemetry (-before +after):\n%s", d.Name(), label, diff))
	}
	if !sameBaseline(before.Baseline, in.Baseline) {
		diff := gocmp.Diff(before.Baseline, in.Baseline, Options())
		errs = append(errs, fmt.Errorf("abusetest: %s: %s: Detect changed its baseline (-before +after):\n%s", d.Name(), label, diff))
	}
	second, err := call(d, clone(before))
	if err != nil {
		return append(errs, fmt.Errorf("abusetest: %s: %s: second call: %v", d.Name(), label, err))
	}
	if diff := diff(first, second); diff != "" {
		errs = append(errs, fmt.Errorf("abusetest: %s: %s: Detect is not deterministic (-first +second):\n%s", d.Name(), label, diff))
	}
	if g, ok := d.(abuse.GapReporter); ok {
		fs1, gaps1, err1 := callGaps(g, clone(before))
		_, gaps2, err2 := callGaps(g, clone(before))
		switch {
		case err1 != nil || err2 != nil:
			errs = append(errs, fmt.Errorf("abusetest: %s: %s: DetectGaps: %v", d.Name(), label, cmp.Or(err1, err2)))
		case diff(first, fs1) != "":
			errs = append(errs, fmt.Errorf("abusetest: %s: %s: DetectGaps finds otherwise than Detect (-Detect +DetectGaps):\n%s", d.Name(), label, diff(first, fs1)))
		case !slices.Equal(gaps1, gaps2):
			errs = append(errs, fmt.Errorf("abusetest: %s: %s: DetectGaps's gaps are not deterministic: %q, then %q", d.Name(), label, gaps1, gaps2))
		}
	}
	if validate && in.Telemetry.Validate() == nil {
		for i := range first {
			if err := abuse.CheckFinding(&first[i], in.Telemetry.Window); err != nil {
				errs = append(errs, fmt.Errorf("abusetest: %s: %s: %v", d.Name(), label, err))
			}
		}
	}
	return errs
}

// checkOrder shuffles the records of in and compares the findings, sorted.
func checkOrder(d abuse.Detector, label string, in abuse.DetectorInput, rng *rand.Rand) []error {
	want, err := call(d, clone(in))
	if err != nil {
		return nil // reported by checkOne
	}
	sortFindings(want)
	for k := range shuffles {
		s := clone(in)
		shuffle(rng, s.Telemetry)
		got, err := call(d, s)
		if err != nil {
			return []error{fmt.Errorf("abusetest: %s: %s shuffled: %v", d.Name(), label, err)}
		}
		sortFindings(got)
		if diff := diff(want, got); diff != "" {
			return []error{fmt.Errorf("abusetest: %s: %s: claims order independence, but shuffle %d changes the findings (-original +shuffled):\n%s",
				d.Name(), label, k+1, diff)}
		}
	}
	return nil
}

// diff reports the differences between x and y, or "" when they are equal.
// Equal is much cheaper than Diff, and almost always true.
func diff(x, y any) string {
	opts := Options()
	if gocmp.Equal(x, y, opts) {
		return ""
	}
	return gocmp.Diff(x, y, opts)
}

// sameTelemetry reports whether a and b hold the same records, comparing
// the records with == (which go-cmp would do far more slowly), and NaN
// utilisation as equal to itself.
func sameTelemetry(a, b *abuse.Telemetry) bool {
	sameSample := func(x, y abuse.Sample) bool {
		return x.Time == y.Time && math.Float64bits(x.Percent) == math.Float64bits(y.Percent)
	}
	if a.Subscription != b.Subscription || a.Resource != b.Resource || a.Window != b.Window ||
		!slices.Equal(a.Collected, b.Collected) || !slices.EqualFunc(a.CPU, b.CPU, sameSample) ||
		!slices.EqualFunc(a.GPU, b.GPU, sameSample) || !slices.Equal(a.Flows, b.Flows) || !slices.Equal(a.DNS, b.DNS) ||
		!slices.Equal(a.Processes, b.Processes) || !slices.Equal(a.AuthFailures, b.AuthFailures) ||
		!slices.Equal(a.Hosted, b.Hosted) || !slices.Equal(a.SignIns, b.SignIns) || !slices.Equal(a.Activity, b.Activity) ||
		!slices.Equal(a.Addresses, b.Addresses) {
		return false
	}
	if a.Account == nil || b.Account == nil {
		return a.Account == b.Account
	}
	x, y := *a.Account, *b.Account
	if !slices.Equal(x.Profile.Countries, y.Profile.Countries) {
		return false
	}
	x.Profile.Countries, y.Profile.Countries = nil, nil
	return gocmp.Equal(x, y, Options())
}

func sameBaseline(a, b *abuse.Baseline) bool {
	if a == nil || b == nil {
		return a == b
	}
	x, y := *a, *b
	return x.Subscription == y.Subscription && x.Resource == y.Resource && x.Windows == y.Windows &&
		x.SMTPWindows == y.SMTPWindows && x.Through == y.Through &&
		math.Float64bits(x.SMTPFlows) == math.Float64bits(y.SMTPFlows) &&
		math.Float64bits(x.SMTPRecipients) == math.Float64bits(y.SMTPRecipients) &&
		x.SteadyWindows == y.SteadyWindows && math.Float64bits(x.SteadyFlows) == math.Float64bits(y.SteadyFlows) &&
		math.Float64bits(x.SteadyRecipients) == math.Float64bits(y.SteadyRecipients) &&
		slices.EqualFunc(x.Probes, y.Probes, func(p, q abuse.Probe) bool {
			return p.Remote == q.Remote && p.End.Equal(q.End) && slices.Equal(p.Ports, q.Ports)
		})
}

func call(d abuse.Detector, in abuse.DetectorInput) (fs []abuse.Finding, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("detector panicked: %v", r)
		}
	}()
	return d.Detect(&in), nil
}

func callGaps(d abuse.GapReporter, in abuse.DetectorInput) (fs []abuse.Finding, gaps []string, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("detector panicked: %v", r)
		}
	}()
	fs, gaps = d.DetectGaps(&in)
	return fs, gaps, nil
}

func sortFindings(fs []abuse.Finding) {
	slices.SortFunc(fs, func(a, b abuse.Finding) int {
		return cmp.Or(cmp.Compare(a.Type, b.Type), cmp.Compare(a.Direction, b.Direction), cmp.Compare(a.Subject, b.Subject))
	})
}

// clone copies an input deeply enough that nothing the copy shares with
// the original can be changed through it.
func clone(in abuse.DetectorInput) abuse.DetectorInput {
	t := *in.Telemetry
	t.Collected = slices.Clone(t.Collected)
	t.CPU, t.GPU = slices.Clone(t.CPU), slices.Clone(t.GPU)
	t.Flows = slices.Clone(t.Flows)
	t.DNS = slices.Clone(t.DNS)
	t.Processes = slices.Clone(t.Processes)
	t.AuthFailures = slices.Clone(t.AuthFailures)
	t.Hosted = slices.Clone(t.Hosted)
	t.SignIns = slices.Clone(t.SignIns)
	t.Activity = slices.Clone(t.Activity)
	t.Addresses = slices.Clone(t.Addresses)
	if t.Account != nil {
		a := *t.Account
		a.Profile.Countries = slices.Clone(a.Profile.Countries)
		t.Account = &a
	}
	var b *abuse.Baseline
	if in.Baseline != nil {
		c := *in.Baseline
		c.Probes = slices.Clone(c.Probes)
		for i := range c.Probes {
			c.Probes[i].Ports = slices.Clone(c.Probes[i].Ports)
		}
		b = &c
	}
	return abuse.DetectorInput{Telemetry: &t, Baseline: b}
}

func shuffle(rng *rand.Rand, t *abuse.Telemetry) {
	shuffleSlice(rng, t.CPU)
	shuffleSlice(rng, t.GPU)
	shuffleSlice(rng, t.Flows)
	shuffleSlice(rng, t.DNS)
	shuffleSlice(rng, t.Processes)
	shuffleSlice(rng, t.AuthFailures)
	shuffleSlice(rng, t.Hosted)
	shuffleSlice(rng, t.SignIns)
	shuffleSlice(rng, t.Activity)
	shuffleSlice(rng, t.Collected)
	shuffleSlice(rng, t.Addresses)
}

func shuffleSlice[E any](rng *rand.Rand, s []E) {
	rng.Shuffle(len(s), func(i, j int) { s[i], s[j] = s[j], s[i] })
}

type variant struct {
	name string
	in   abuse.DetectorInput
}

// hostile returns malformed variants of in that a detector must survive.
func hostile(in abuse.DetectorInput) []variant {
	var out []variant
	add := func(name string, change func(t *abuse.Telemetry, b *abuse.Baseline)) {
		c := clone(in)
		change(c.Telemetry, c.Baseline)
		out = append(out, variant{name, c})
	}
	add("emptied", func(t *abuse.Telemetry, _ *abuse.Baseline) {
		*t = abuse.Telemetry{Subscription: t.Subscription, Window: t.Window, Collected: abuse.Sources()}
	})
	add("with a zero window", func(t *abuse.Telemetry, _ *abuse.Baseline) { t.Window = abuse.Interval{} })
	add("with a reversed window", func(t *abuse.Telemetry, _ *abuse.Baseline) {
		t.Window.Start, t.Window.End = t.Window.End, t.Window.Start
	})
	add("with records outside the window", func(t *abuse.Telemetry, _ *abuse.Baseline) {
		early, late := t.Window.Start.Add(-time.Hour), t.Window.End.Add(1000*time.Hour)
		for i := range t.Flows {
			t.Flows[i].Time = pick(i, early, late)
		}
		for i := range t.DNS {
			t.DNS[i].Time = pick(i, early, late)
		}
		for i := range t.AuthFailures {
			t.AuthFailures[i].Time = pick(i, early, late)
		}
		for i := range t.Activity {
			t.Activity[i].Time = pick(i, early, late)
		}
		for i := range t.CPU {
			t.CPU[i].Time = pick(i, early, late)
		}
	})
	add("with zero times and addresses", func(t *abuse.Telemetry, _ *abuse.Baseline) {
		for i := range t.Flows {
			t.Flows[i].Time, t.Flows[i].Remote = time.Time{}, netip.Addr{}
		}
		for i := range t.AuthFailures {
			t.AuthFailures[i].Time, t.AuthFailures[i].Remote = time.Time{}, netip.Addr{}
		}
		for i := range t.SignIns {
			t.SignIns[i].Time = time.Time{}
		}
		if t.Account != nil {
			t.Account.CreatedAt = time.Time{}
		}
	})
	add("with extreme counts", func(t *abuse.Telemetry, b *abuse.Baseline) {
		for i := range t.Flows {
			f := &t.Flows[i]
			f.Packets, f.Bytes, f.Flows, f.Failed = math.MaxInt64, math.MaxInt64, math.MaxInt64, math.MaxInt64
			f.Seconds = pick(i, int64(math.MaxInt64), 0)
		}
		for i := range t.DNS {
			t.DNS[i].Count = math.MaxInt64
		}
		for i := range t.AuthFailures {
			t.AuthFailures[i].Count = math.MaxInt64
		}
		for i := range t.Activity {
			t.Activity[i].Count, t.Activity[i].GPUs = math.MaxInt64, math.MaxInt64
		}
		b.Windows, b.SMTPWindows, b.SMTPFlows, b.SMTPRecipients = math.MaxInt64, math.MaxInt64, math.MaxFloat64, math.Inf(1)
	})
	add("with negative counts", func(t *abuse.Telemetry, b *abuse.Baseline) {
		for i := range t.Flows {
			f := &t.Flows[i]
			f.Packets, f.Bytes, f.Flows, f.Failed, f.Seconds = -1, math.MinInt64, -5, -1, -10
		}
		for i := range t.DNS {
			t.DNS[i].Count = math.MinInt64
		}
		for i := range t.AuthFailures {
			t.AuthFailures[i].Count = -3
		}
		for i := range t.Activity {
			t.Activity[i].Count, t.Activity[i].GPUs = -1, math.MinInt64
		}
		b.Windows, b.SMTPFlows = -1, math.NaN()
	})
	add("with NaN and out-of-range utilisation", func(t *abuse.Telemetry, _ *abuse.Baseline) {
		vals := []float64{math.NaN(), math.Inf(1), math.Inf(-1), -50, 1e300}
		for i := range t.CPU {
			t.CPU[i].Percent = vals[i%len(vals)]
		}
		for i := range t.GPU {
			t.GPU[i].Percent = vals[(i+2)%len(vals)]
		}
	})
	add("with mixed currencies", func(t *abuse.Telemetry, _ *abuse.Baseline) {
		if t.Account == nil {
			t.Account = &abuse.AccountFacts{}
		}
		t.Account.Unbilled = risk.MustMoney("92233720368547758.07 USD")
		t.Account.Outstanding = risk.MustMoney("1.00 EUR")
		t.Account.CreditLimit = risk.MustMoney("-5.00 USD")
	})
	add("with records repeated", func(t *abuse.Telemetry, _ *abuse.Baseline) {
		t.Flows = append(t.Flows, t.Flows...)
		t.DNS = append(t.DNS, t.DNS...)
		t.Processes = append(t.Processes, t.Processes...)
		t.AuthFailures = append(t.AuthFailures, t.AuthFailures...)
		t.SignIns = append(t.SignIns, t.SignIns...)
		t.Activity = append(t.Activity, t.Activity...)
	})
	return out
}

func pick[T any](i int, a, b T) T {
	if i%2 == 0 {
		return a
	}
	return b
}
