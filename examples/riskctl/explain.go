package main

import (
	"bytes"
	"fmt"
	"io"
	"regexp"
	"strings"

	"github.com/riskkit/riskkit/examples"
	"github.com/riskkit/riskkit/risk"
	"go.yaml.in/yaml/v3"
)

func init() {
	register(&command{name: "explain", summary: "for one input, every rule's result and the values of the input fields it reads", run: runExplain})
}

// The engine does not report the values of a rule's sub-expressions, so
// explain shows what it can from outside: each rule's result in the
// decision, and the value of every input field path the rule's condition
// names, each evaluated with risk.CompileExpression on the same input.

func runExplain(e *env, args []string) error {
	fs := newFlags(e, "explain", "[INPUT.json]")
	policySpec, k := policyFlags(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := requirePolicy(*policySpec); err != nil {
		return err
	}
	if fs.NArg() > 1 {
		return usageError("explain reads one input, got %d", fs.NArg())
	}
	if readsStdin(*policySpec) && readsStdin(fs.Arg(0)) {
		return usageError("the policy and the input cannot both come from stdin")
	}
	p, err := loadPolicy(e, *policySpec, kind(*k))
	if err != nil {
		return err
	}
	doc, err := readSource(e, fs.Arg(0), examples.Data)
	if err != nil {
		return err
	}
	return p.explain(e.stdout, bytes.TrimSpace(doc), displayName(fs.Arg(0)))
}

// fieldPathRE finds dotted paths such as txn.line_items or customer.history.amount_paid.
var fieldPathRE = regexp.MustCompile(`\b[a-z_][a-z0-9_]*(?:\.[a-z_][a-z0-9_]*)+\b`)

func (p *typed[T]) explain(w io.Writer, doc []byte, name string) error {
	in, le := p.decodeEval(doc)
	if le != nil {
		le.File = name
		return le
	}
	d := p.eng.Evaluate(in.in)
	var pol struct {
		Rules []risk.Rule `yaml:"rules"`
	}
	if err := yaml.Unmarshal(p.src, &pol); err != nil {
		return err
	}
	result := map[string]string{}
	for _, h := range d.Hits {
		result[h.RuleID] = "FIRED " + hitEffect(h)
	}
	for _, h := range d.Shadow {
		result[h.RuleID] = "fired (shadow)"
	}
	for _, m := range d.Missing {
		result[m.RuleID] = "MISSING " + strings.Join(m.Inputs, ", ")
	}
	for _, x := range d.Errors {
		result[x.RuleID] = "ERROR " + x.Err
	}
	fmt.Fprintf(w, "decision: %s (%s)\n", d.String(), basisText(&d))
	for _, r := range pol.Rules {
		res, ok := result[r.ID]
		switch {
		case !r.IsEnabled():
			res = "disabled"
		case !ok:
			res = "false"
		}
		fmt.Fprintf(w, "\nrule %s: %s\n", r.ID, strings.TrimSpace(res))
		fmt.Fprintf(w, "  when: %s\n", strings.Join(strings.Fields(r.When), " "))
		seen := map[string]bool{}
		for _, path := range fieldPathRE.FindAllString(r.When, -1) {
			if seen[path] || strings.HasPrefix(path, "lists.") || strings.HasPrefix(path, "params.") {
				continue
			}
			seen[path] = true
			x, err := risk.CompileExpression(path, p.schema)
			if err != nil {
				continue // not an input field: a variable, a macro's loop variable, a function
			}
			v, err := x.Eval(in.in)
			if err != nil {
				fmt.Fprintf(w, "    %s = (%v)\n", path, err)
				continue
			}
			if str, ok := v.Value().(string); ok {
				fmt.Fprintf(w, "    %s = %q\n", path, str)
				continue
			}
			fmt.Fprintf(w, "    %s = %v\n", path, v.Value())
		}
	}
	return nil
}
