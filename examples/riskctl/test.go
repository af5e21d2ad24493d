package main

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/riskkit/riskkit/examples"
	"github.com/riskkit/riskkit/internal/text"
	"github.com/riskkit/riskkit/risk"
	"github.com/riskkit/riskkit/risk/risktest"
)

func runTest(e *env, args []string) error {
	fs := newFlags(e, "test", "")
	policy, k := policyFlags(fs)
	tests := fs.String("tests", "", "test cases `file` (YAML; embedded:checkout_tests.yaml or embedded:onboarding_tests.yaml for the examples)")
	runRE := fs.String("run", "", "run only the cases whose name matches this `regexp`")
	verbose := fs.Bool("v", false, "list every case, not only the failures")
	coverage := fs.Bool("coverage", false, "list the rules that fire in no case run")
	asJSON := fs.Bool("json", false, "print JSON lines instead of text")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := requirePolicy(*policy); err != nil {
		return err
	}
	if *tests == "" {
		return usageError("-tests is required (a YAML file of test cases, or embedded:checkout_tests.yaml)")
	}
	if fs.NArg() > 0 {
		return usageError("test takes no arguments, got %q", fs.Args())
	}
	if readsStdin(*policy) && readsStdin(*tests) {
		return usageError("the policy and the tests cannot both come from stdin")
	}
	var filter *regexp.Regexp
	if *runRE != "" {
		var err error
		if filter, err = regexp.Compile(*runRE); err != nil {
			return usageError("-run: %v", err)
		}
	}
	eng, err := loadPolicy(e, *policy, kind(*k))
	if err != nil {
		return err
	}
	src, err := readSource(e, *tests, examples.Policy)
	if err != nil {
		return err
	}
	all, err := eng.test(src)
	if err != nil {
		return fmt.Errorf("%s: %v", displayName(*tests), err)
	}
	cases, err := testCases(src)
	if err != nil {
		return fmt.Errorf("%s: %v", displayName(*tests), err)
	}
	var results []risktest.Result
	var chosen []risktest.Case
	for i, r := range all {
		if filter == nil || filter.MatchString(r.Name) {
			results = append(results, r)
			if i < len(cases) {
				chosen = append(chosen, cases[i])
			}
		}
	}
	failed := 0
	for i, r := range results {
		if !r.Passed() {
			failed++
		}
		if *asJSON {
			if err := writeJSON(e.stdout, "test", "case", struct {
				Passed bool `json:"passed"`
				risktest.Result
			}{r.Passed(), r}); err != nil {
				return err
			}
			continue
		}
		if r.Passed() {
			if *verbose {
				fmt.Fprintf(e.stdout, "PASS  %s\n", r.Name)
			}
			continue
		}
		fmt.Fprintf(e.stdout, "FAIL  %s (%s:%d)\n", r.Name, displayName(*tests), r.Line)
		if i < len(chosen) && chosen[i].Name == r.Name {
			for _, l := range failureLines(&chosen[i], &r.Decision) {
				fmt.Fprintf(e.stdout, "      %s\n", l)
			}
		} else {
			for l := range strings.Lines(strings.TrimRight(r.Diff, "\n")) {
				fmt.Fprintf(e.stdout, "      %s", strings.ReplaceAll(l, "\u00a0", " "))
			}
			fmt.Fprintln(e.stdout)
		}
	}
	var unexercised []string
	if *coverage {
		fired := map[string]bool{}
		for _, r := range results {
			for _, h := range slices.Concat(r.Decision.Hits, r.Decision.Shadow) {
				fired[h.RuleID] = true
			}
		}
		for _, id := range eng.RuleIDs() {
			if !fired[id] {
				unexercised = append(unexercised, id)
			}
		}
		if *asJSON {
			if err := writeJSON(e.stdout, "test", "coverage", struct {
				Rules       int      `json:"rules"`
				Unexercised []string `json:"unexercised"`
			}{len(eng.RuleIDs()), append([]string{}, unexercised...)}); err != nil {
				return err
			}
		}
	}
	if !*asJSON {
		if *coverage {
			n := len(eng.RuleIDs())
			fmt.Fprintf(e.stdout, "coverage: %d of %s fire in some case", n-len(unexercised), text.Plural(n, "rule"))
			if len(unexercised) > 0 {
				fmt.Fprintf(e.stdout, "; never: %s", strings.Join(unexercised, ", "))
			}
			fmt.Fprintln(e.stdout)
		}
		fmt.Fprintf(e.stdout, "%d passed, %d failed", len(results)-failed, failed)
		if filter != nil {
			fmt.Fprintf(e.stdout, " (%d of %d cases match -run %s)", len(results), len(all), *runRE)
		}
		fmt.Fprintln(e.stdout)
	}
	switch {
	case len(all) == 0:
		return fmt.Errorf("%s has no test cases", displayName(*tests))
	case len(results) == 0:
		return fmt.Errorf("no test case matches -run %s", *runRE)
	case failed > 0:
		return fmt.Errorf("%d of %s failed", failed, text.Plural(len(results), "test case"))
	}
	return nil
}

// testCases reads the cases of a risktest file, for what they expect.
func testCases(src []byte) ([]risktest.Case, error) {
	f, err := risktest.Parse(src)
	if err != nil {
		return nil, err
	}
	return f.Tests, nil
}

// failureLines says how a decision differs from what a case expects, in
// the policy's terms: the outcome, the score, and the rules that fired
// that were not expected or were expected and did not.
func failureLines(c *risktest.Case, d *risk.Decision) []string {
	var out []string
	if c.Outcome != d.Outcome {
		out = append(out, fmt.Sprintf("outcome: want %s, got %s (%s)", c.Outcome, d.Outcome, basisText(d)))
	}
	if c.Score != nil && *c.Score != d.Score {
		out = append(out, fmt.Sprintf("score:   want %d, got %d", *c.Score, d.Score))
	}
	ids := func(hs []risk.Hit) []string {
		out := make([]string, len(hs))
		for i, h := range hs {
			out[i] = h.RuleID
		}
		return out
	}
	out = append(out, setDiff("rules fired", c.Rules, ids(d.Hits), func(id string) string {
		for _, h := range d.Hits {
			if h.RuleID == id {
				return hitEffect(h)
			}
		}
		return ""
	})...)
	if c.Shadow != nil {
		out = append(out, setDiff("shadow rules fired", c.Shadow, ids(d.Shadow), nil)...)
	}
	if c.Missing != nil {
		var got []string
		for _, m := range d.Missing {
			got = append(got, m.RuleID)
		}
		out = append(out, setDiff("rules missing inputs", c.Missing, got, nil)...)
	}
	if c.Errors != nil {
		var got []string
		for _, x := range d.Errors {
			got = append(got, x.RuleID)
		}
		out = append(out, setDiff("rules in error", c.Errors, got, nil)...)
	}
	out = append(out, "decision: "+d.String())
	return out
}

// basisText says what decided an outcome.
func basisText(d *risk.Decision) string {
	switch d.Basis {
	case risk.ByRule:
		return "by a rule's action"
	case risk.ByScore:
		return fmt.Sprintf("by the score band, score %d", d.Score)
	case risk.ByError:
		return "by a rule error under fail_closed"
	case risk.ByAllow:
		return "by an allow rule"
	}
	return "the default outcome"
}

// setDiff lists the ids expected but absent and present but not expected.
func setDiff(what string, want, got []string, effect func(string) string) []string {
	var out []string
	var missing, extra []string
	for _, w := range want {
		if !slices.Contains(got, w) {
			missing = append(missing, w)
		}
	}
	for _, g := range got {
		if !slices.Contains(want, g) {
			if effect != nil {
				if e := effect(g); e != "" {
					g += " (" + e + ")"
				}
			}
			extra = append(extra, g)
		}
	}
	if len(missing) > 0 {
		out = append(out, fmt.Sprintf("%s: expected, not in the decision: %s", what, strings.Join(missing, ", ")))
	}
	if len(extra) > 0 {
		out = append(out, fmt.Sprintf("%s: in the decision, not expected: %s", what, strings.Join(extra, ", ")))
	}
	return out
}
