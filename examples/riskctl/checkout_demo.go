package main

import (
	"bytes"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/riskkit/riskkit/examples"
	"github.com/riskkit/riskkit/risk"
)

// checkoutDemo backtests the embedded checkout policy on the embedded
// sample and shows three decisions with their reasons, the way a person
// tuning the policy would first look at it.
func checkoutDemo(w io.Writer) error {
	src, err := examples.Policy("checkout.yaml")
	if err != nil {
		return err
	}
	p, err := risk.ParsePolicy(src)
	if err != nil {
		return err
	}
	eng, err := risk.CompilePolicy(p, risk.CheckoutSchema())
	if err != nil {
		return err
	}
	sample, source, err := checkoutSample()
	if err != nil {
		return err
	}
	rep := eng.Backtest(slices.Values(sample))

	shadow := 0
	for _, r := range p.Rules {
		if r.IsEnabled() && r.Mode == risk.Shadow {
			shadow++
		}
	}
	fmt.Fprintf(w, "policy %s %s (%d rules, %d in shadow) on %d checkouts from %s, %d labelled fraud\n\n",
		rep.PolicyID, rep.PolicyVersion, len(rep.Rules), shadow, rep.Inputs, source, rep.Fraud)
	for _, o := range rep.Outcomes {
		fmt.Fprintf(w, "  %-10s %6d  %6s\n", o.Outcome, o.Count, share(o.Count, rep.Inputs))
	}
	c := rep.Confusion
	fmt.Fprintf(w, "\ncounting %s as flagged: precision %s, recall %s, false positive rate %s\n",
		joinOutcomes(rep.Flagged), pct(c.Precision()), pct(c.Recall()), pct(c.FalsePositiveRate()))

	decisions := make([]risk.Decision, len(sample))
	for i := range sample {
		decisions[i] = eng.Evaluate(&sample[i].Input)
	}
	fmt.Fprintln(w, "\nthree decisions and why:")
	// Each example prefers a decision its label agrees with, and one that
	// shows reasons: an approval where a rule still fired says more than
	// one where nothing did, and a review more than a challenge.
	for _, prefer := range [][]example{
		{{risk.Approve, false, true}, {risk.Approve, false, false}, {risk.Approve, true, false}},
		{{risk.Review, true, true}, {risk.Challenge, true, true}, {risk.Review, false, false}, {risk.Challenge, false, false}},
		{{risk.Reject, true, true}, {risk.Reject, false, false}},
	} {
		i := firstMatch(sample, decisions, prefer)
		if i < 0 {
			fmt.Fprintf(w, "  (no %s in the sample)\n", prefer[0].outcome)
			continue
		}
		writeExample(w, sample[i], &decisions[i])
	}
	fmt.Fprintln(w, "\nmore: riskctl backtest -policy embedded:checkout.yaml embedded:transactions.jsonl")
	return nil
}

// example describes a decision worth showing: its outcome, and whether it
// must agree with the label and show at least one reason.
type example struct {
	outcome risk.Outcome
	agrees  bool
	reasons bool
}

func (x example) matches(l *risk.Labeled[risk.Checkout], d *risk.Decision) bool {
	flagged := d.Outcome != risk.Approve
	return d.Outcome == x.outcome && (!x.agrees || l.Fraud == flagged) && (!x.reasons || len(d.Hits) > 0)
}

// firstMatch returns the index of the first input whose decision matches
// the first example any decision matches, or -1.
func firstMatch(sample []risk.Labeled[risk.Checkout], ds []risk.Decision, prefer []example) int {
	for _, x := range prefer {
		for i := range ds {
			if x.matches(&sample[i], &ds[i]) {
				return i
			}
		}
	}
	return -1
}

// maxReasonsShown keeps an example decision to a few lines.
const maxReasonsShown = 4

// bases says in words what decided an outcome.
var bases = map[risk.Basis]string{
	risk.ByRule:    "decided by a rule's action",
	risk.ByScore:   "decided by the score band",
	risk.ByError:   "decided by a rule error (the policy fails closed)",
	risk.ByAllow:   "decided by an allow rule",
	risk.ByDefault: "the default: no rule action, score below every band",
}

func writeExample(w io.Writer, l risk.Labeled[risk.Checkout], d *risk.Decision) {
	label := "legitimate"
	if l.Fraud {
		label = "fraud"
	}
	fmt.Fprintf(w, "  %s (labelled %s): %s, score %d, %s\n", l.ID, label, d.Outcome, d.Score, bases[d.Basis])
	if len(d.Hits) == 0 {
		fmt.Fprintln(w, "      no rule fired")
	}
	for i, h := range d.Hits {
		if i == maxReasonsShown {
			fmt.Fprintf(w, "      ... and %d more\n", len(d.Hits)-i)
			break
		}
		fmt.Fprintf(w, "      %-12s %s: %s\n", hitEffect(h), h.Reason, h.Message)
	}
}

// checkoutSample reads the embedded labelled checkouts.
func checkoutSample() ([]risk.Labeled[risk.Checkout], string, error) {
	const name = "embedded:transactions.jsonl"
	data, err := examples.Data(strings.TrimPrefix(name, embeddedPrefix))
	if err != nil {
		return nil, "", err
	}
	lines := newLineReader(name, bytes.NewReader(data), stopOnError, io.Discard, "demo")
	var out []risk.Labeled[risk.Checkout]
	for _, l := range records(lines, decodeLabeledLine) {
		out = append(out, l)
	}
	if lines.err != nil {
		return nil, "", lines.err
	}
	return out, name, nil
}
