package main

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/textio"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
	"github.com/riskkit/riskkit/risk"
)

func init() {
	// A report travels between workers as its JSON, which round-trips
	// exactly; Beam's schema coder would need the report's pointer and
	// nested slices spelled out field by field.
	beam.RegisterCoder(reflect.TypeFor[risk.Report](), encodeReport, decodeReport)
	register.DoFn3x1[string, func(risk.Report), func(string), error](&scoreFn{})
	register.Emitter1[risk.Report]()
	register.Emitter1[string]()
	register.Combiner1[risk.Report](&mergeReports{})
	register.Function1x2(reportJSON)
}

func encodeReport(r risk.Report) ([]byte, error) { return json.Marshal(&r) }

func decodeReport(b []byte) (risk.Report, error) {
	var r risk.Report
	err := json.Unmarshal(b, &r)
	return r, err
}

// config is what a backtest pipeline reads and writes. Policies are passed
// as their source, so that they travel inside the pipeline to every worker
// and no worker needs the files they came from.
type config struct {
	Input    string // a glob of JSON lines files, local or in a Beam file system (gs://...)
	Policy   []byte
	Baseline []byte // optional: a second policy to compare with
	Flagged  []risk.Outcome
	Report   string // where to write the report, one JSON line
	Changes  string // where to write the changed decisions, JSON lines; needs Baseline
}

// buildBacktest adds the backtest to the pipeline: read the labelled
// checkouts, score each with the policy (and the baseline), merge the
// one-input reports with a CombineFn, and write the report and the
// changes.
func buildBacktest(s beam.Scope, c config) error {
	// Compiling here reports a policy's problems before anything runs; the
	// workers compile again in Setup.
	e, err := risk.Compile(c.Policy, risk.CheckoutSchema())
	if err != nil {
		return err
	}
	if c.Baseline != nil {
		if _, err := risk.Compile(c.Baseline, risk.CheckoutSchema()); err != nil {
			return fmt.Errorf("baseline: %w", err)
		}
	}
	for _, o := range c.Flagged {
		if !slices.Contains(e.Outcomes(), o) {
			return fmt.Errorf("flagged outcome %q is not one of policy %s's %v", o, e.PolicyID(), e.Outcomes())
		}
	}
	if c.Changes != "" && c.Baseline == nil {
		return fmt.Errorf("changes are written only when comparing with a baseline policy")
	}
	s = s.Scope("backtest")
	lines := textio.Read(s, c.Input)
	reports, changes := beam.ParDo2(s, &scoreFn{Policy: string(c.Policy), Baseline: string(c.Baseline), Flagged: c.Flagged}, lines)
	report := beam.Combine(s, &mergeReports{}, reports)
	textio.Write(s, c.Report, beam.ParDo(s, reportJSON, report))
	if c.Changes != "" {
		textio.Write(s, c.Changes, changes)
	}
	return nil
}

// scoreFn scores each labelled checkout into a report of one input, and
// emits the input's change of outcome when a baseline is given. Its fields
// are what Beam serializes to ship it to workers.
type scoreFn struct {
	Policy   string
	Baseline string
	Flagged  []risk.Outcome

	engine, baseline *risk.Engine[risk.Checkout]
}

// Setup compiles the policies once per worker instance, not per element.
func (f *scoreFn) Setup() error {
	var err error
	if f.engine, err = risk.Compile([]byte(f.Policy), risk.CheckoutSchema()); err != nil {
		return err
	}
	if f.Baseline != "" {
		f.baseline, err = risk.Compile([]byte(f.Baseline), risk.CheckoutSchema())
	}
	return err
}

func (f *scoreFn) ProcessElement(line string, report func(risk.Report), change func(string)) error {
	if strings.TrimSpace(line) == "" {
		return nil
	}
	var l risk.Labeled[risk.Checkout]
	if err := json.Unmarshal([]byte(line), &l); err != nil {
		return fmt.Errorf("record %.80q: %w", line, err)
	}
	var changeErr error
	r := f.engine.BacktestWith(slices.Values([]risk.Labeled[risk.Checkout]{l}), risk.BacktestOptions[risk.Checkout]{
		Flagged: f.Flagged, Baseline: f.baseline,
		OnChange: func(c risk.Change) {
			b, err := json.Marshal(c)
			if err != nil {
				changeErr = err
				return
			}
			change(string(b))
		},
	})
	report(*r)
	return changeErr
}

// mergeReports combines reports with risk.Report.Merge, which is
// associative and commutative, as a CombineFn must be; the zero Report is
// the empty accumulator.
type mergeReports struct{}

// MergeAccumulators returns a new report, so that no input is changed in
// place: a runner may hand the same value to more than one merge.
func (*mergeReports) MergeAccumulators(a, b risk.Report) (risk.Report, error) {
	var out risk.Report
	if err := out.Merge(&a); err != nil {
		return out, err
	}
	err := out.Merge(&b)
	return out, err
}

func reportJSON(r risk.Report) (string, error) {
	b, err := json.Marshal(&r)
	return string(b), err
}
