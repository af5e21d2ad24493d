// Command beam backtests a riskkit checkout policy on Apache Beam, for
// histories larger than one machine: it reads labelled checkouts as JSON
// lines ({"id", "fraud", "input"}) from local files or any file system
// Beam supports (gs://...), compiles the policy once per worker, scores
// every checkout, merges the reports with a CombineFn and writes the
// report, and, with -baseline, the checkouts whose outcome changes.
//
//	go run . -input '../data/*.jsonl' -policy embedded:checkout.yaml -report /tmp/report.json
//
// With -telemetry it runs the abuse detectors instead: it reads telemetry
// windows as JSON lines, groups them by subscription, runs the abuse
// Monitor over each subscription's windows in time order with its state
// carried from window to window, and writes every finding, and with
// -summary the number of findings per category:
//
//	go run . -telemetry ../data/telemetry.jsonl -findings /tmp/findings.jsonl -summary /tmp/summary.jsonl
//
// It runs on Beam's in-process runner, Prism, unless -runner names another
// (dataflow, flink, spark or universal) with that runner's flags; see the
// README.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/x/beamx"
	"github.com/riskkit/riskkit/examples"
	"github.com/riskkit/riskkit/risk"
)

var (
	input    = flag.String("input", "", "glob of JSON lines files of labelled checkouts (local, gs://...)")
	policy   = flag.String("policy", "embedded:checkout.yaml", "policy file, or embedded:NAME for an example policy")
	baseline = flag.String("baseline", "", "a second policy to compare with, usually the one in production")
	flagged  = flag.String("flagged", "", "comma-separated outcomes counted as predicting fraud (default: all but the policy's default)")
	report   = flag.String("report", "", "where to write the report (one JSON line)")
	changes  = flag.String("changes", "", "where to write the checkouts whose outcome changes from -baseline (JSON lines)")

	telemetry = flag.String("telemetry", "", "instead of a backtest, detect abuse: a glob of JSON lines files of telemetry windows")
	findings  = flag.String("findings", "", "with -telemetry: where to write the findings (JSON lines)")
	summary   = flag.String("summary", "", "with -telemetry: where to write the findings per category (JSON lines)")
)

func main() {
	flag.Parse()
	beam.Init()
	if err := run(context.Background()); err != nil {
		fmt.Fprintln(os.Stderr, "beam:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context) error {
	if *telemetry != "" {
		p, s := beam.NewPipelineWithRoot()
		if err := buildAbuse(s, abuseConfig{Input: *telemetry, Findings: *findings, Summary: *summary}); err != nil {
			return err
		}
		return beamx.Run(ctx, p)
	}
	if *input == "" || *report == "" {
		return fmt.Errorf("-input and -report are required")
	}
	c := config{Input: *input, Report: *report, Changes: *changes}
	var err error
	if c.Policy, err = readPolicy(*policy); err != nil {
		return err
	}
	if *baseline != "" {
		if c.Baseline, err = readPolicy(*baseline); err != nil {
			return err
		}
	}
	if *flagged != "" {
		for _, o := range strings.Split(*flagged, ",") {
			c.Flagged = append(c.Flagged, risk.Outcome(strings.TrimSpace(o)))
		}
	}
	p, s := beam.NewPipelineWithRoot()
	if err := buildBacktest(s, c); err != nil {
		return err
	}
	return beamx.Run(ctx, p)
}

// readPolicy reads a policy from a local file or, as embedded:NAME, from
// the examples shipped with riskkit.
func readPolicy(spec string) ([]byte, error) {
	if name, ok := strings.CutPrefix(spec, "embedded:"); ok {
		return examples.Policy(name)
	}
	return os.ReadFile(spec)
}
