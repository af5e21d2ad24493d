// Package abusemeasure measures the abuse detectors against labelled
// telemetry, the way the README reports them, for the generators of the
// labelled sets in examples/gen.
package abusemeasure

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/riskkit/riskkit/abuse"
	"github.com/riskkit/riskkit/examples/internal/gendata"
)

// Label says what is truly going on in one subscription or resource.
type Label struct {
	Subscription string `json:"subscription"`
	Resource     string `json:"resource,omitzero"`
	// Scenario names the generator's scenario.
	Scenario string `json:"scenario"`
	// Categories are the kinds of misuse truly present; empty for a clean
	// tenant.
	Categories []abuse.Category `json:"categories"`
	Note       string           `json:"note"`
}

// Options say how findings count.
type Options struct {
	// IgnoreInbound leaves out findings about attacks on the customer,
	// which are notices to a victim rather than flags on an abuser.
	IgnoreInbound bool
}

// Result is what a measurement found.
type Result struct {
	Labels    int
	Rows      []Row
	Misses    []string // labelled units not flagged, as "category: sub/res (scenario)"
	Mistakes  []string // units flagged but not labelled, likewise
	StoodDown int      // findings allowances stood down
}

// Row is one category of the table.
type Row struct {
	Category                 abuse.Category
	Labelled, Flagged, Right int
}

// Measure runs a monitor with cfg over the windows, in order, from the
// state, and compares the subscriptions and resources it flags, per
// category, with the labels.
func Measure(cfg abuse.Config, st abuse.State, windows []abuse.Telemetry, labels []Label, opt Options) (Result, error) {
	m, err := abuse.New(cfg)
	if err != nil {
		return Result{}, err
	}
	flagged := map[[2]string]map[abuse.Category]bool{}
	res := Result{Labels: len(labels)}
	for i := range windows {
		w := &windows[i]
		rep, err := m.Evaluate(st, w, w.Window.End)
		if err != nil {
			return Result{}, fmt.Errorf("window %d: %w", i+1, err)
		}
		if len(rep.Failures) > 0 {
			return Result{}, fmt.Errorf("window %d: detector failures: %+v", i+1, rep.Failures)
		}
		st = rep.State
		res.StoodDown += len(rep.StoodDown)
		for _, f := range rep.Findings {
			if opt.IgnoreInbound && f.Direction == abuse.Inbound {
				continue
			}
			k := [2]string{f.Subscription, f.Resource}
			if flagged[k] == nil {
				flagged[k] = map[abuse.Category]bool{}
			}
			flagged[k][f.Category] = true
		}
	}
	for _, c := range abuse.Categories() {
		r := Row{Category: c}
		for _, l := range labels {
			truth := slices.Contains(l.Categories, c)
			pred := flagged[[2]string{l.Subscription, l.Resource}][c]
			if truth {
				r.Labelled++
			}
			if pred {
				r.Flagged++
			}
			if truth && pred {
				r.Right++
			}
			unit := fmt.Sprintf("%s: %s (%s)", c, l.Subscription+"/"+l.Resource, l.Scenario)
			switch {
			case truth && !pred:
				res.Misses = append(res.Misses, unit)
			case pred && !truth:
				res.Mistakes = append(res.Mistakes, unit)
			}
		}
		res.Rows = append(res.Rows, r)
	}
	return res, nil
}

// Markdown returns the table and the lists of false positives and false
// negatives as the README shows them.
func (r Result) Markdown() string {
	var b strings.Builder
	b.WriteString("| category | labelled | flagged | true positives | precision | recall |\n| --- | ---: | ---: | ---: | ---: | ---: |\n")
	for _, x := range r.Rows {
		fmt.Fprintf(&b, "| %s | %d | %d | %d | %s | %s |\n", x.Category, x.Labelled, x.Flagged, x.Right, ratio(x.Right, x.Flagged), ratio(x.Right, x.Labelled))
	}
	b.WriteString("\nFalse positives (flagged, not labelled): " + list(r.Mistakes) + ".\n\n")
	b.WriteString("False negatives (labelled, not flagged): " + list(r.Misses) + ".\n")
	return b.String()
}

func list(items []string) string {
	if len(items) == 0 {
		return "none"
	}
	return strings.Join(items, "; ")
}

func ratio(n, d int) string {
	if d == 0 {
		return "n/a"
	}
	return fmt.Sprintf("%.2f", float64(n)/float64(d))
}

// readme returns the path of the README at the module root and its text.
func readme() (string, []byte, error) {
	wd, err := os.Getwd()
	if err != nil {
		return "", nil, err
	}
	root, err := gendata.ModuleRoot(wd)
	if err != nil {
		return "", nil, err
	}
	path := filepath.Join(root, "README.md")
	b, err := os.ReadFile(path)
	return path, b, err
}

// block returns the offsets of the text between the markers of a block.
func block(b []byte, name string) (int, int, error) {
	open, end := []byte("<!-- "+name+" -->\n"), []byte("<!-- /"+name+" -->")
	i := bytes.Index(b, open)
	j := bytes.Index(b, end)
	if i < 0 || j < i {
		return 0, 0, fmt.Errorf("README.md has no block %s ... %s", bytes.TrimSpace(open), end)
	}
	return i + len(open), j, nil
}

// UpdateREADMEBlock replaces the text of a block of the README, for tests
// run with -update.
func UpdateREADMEBlock(name, text string) error {
	path, b, err := readme()
	if err != nil {
		return err
	}
	i, j, err := block(b, name)
	if err != nil {
		return err
	}
	out := append(append(append([]byte{}, b[:i]...), strings.TrimSpace(text)+"\n"...), b[j:]...)
	return os.WriteFile(path, out, 0o644)
}

// READMEBlock returns the text of the README at the module root between
// the lines "<!-- name -->" and "<!-- /name -->", so that a test can check
// the figures the README shows against the ones it measures.
func READMEBlock(name string) (string, error) {
	_, b, err := readme()
	if err != nil {
		return "", err
	}
	i, j, err := block(b, name)
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(string(b[i:j])), nil
}
