package main

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/riskkit/riskkit/examples"
	"github.com/riskkit/riskkit/risk"
	"go.yaml.in/yaml/v3"
)

// explain shows, for one input, each rule's result in the decision and
// the value of every sub-expression of its condition (risk's
// Engine.Explain), the way `opa eval --explain` traces a query.

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

func (p *typed[T]) explain(w io.Writer, doc []byte, name string) error {
	in, le := p.decodeEval(doc)
	if le != nil {
		le.File = name
		return le
	}
	d := p.eng.Evaluate(in.in)
	traces, err := p.eng.Explain(in.in)
	if err != nil {
		return err
	}
	var pol struct {
		Rules []risk.Rule `yaml:"rules"`
	}
	if err := yaml.Unmarshal(p.src, &pol); err != nil {
		return err
	}
	byID := map[string]*risk.RuleTrace{}
	for i := range traces {
		byID[traces[i].RuleID] = &traces[i]
	}
	hits := map[string]risk.Hit{}
	for _, h := range d.Hits {
		hits[h.RuleID] = h
	}
	fmt.Fprintf(w, "decision: %s (%s)\n", d.String(), basisText(&d))
	for _, r := range pol.Rules {
		t := byID[r.ID]
		if t == nil {
			fmt.Fprintf(w, "\nrule %s: disabled\n", r.ID)
			continue
		}
		var res string
		switch {
		case t.Result == risk.RuleFired && t.Shadow:
			res = "fired (shadow)"
		case t.Result == risk.RuleFired:
			res = "FIRED " + hitEffect(hits[r.ID])
		case t.Result == risk.RuleMissing:
			res = "MISSING " + strings.Join(t.Missing, ", ")
		case t.Result == risk.RuleFailed:
			res = "ERROR " + t.Err
		default:
			res = "false"
		}
		fmt.Fprintf(w, "\nrule %s: %s\n", r.ID, strings.TrimSpace(res))
		for _, s := range t.Steps {
			fmt.Fprintf(w, "  %4d:%-3d %s = %s\n", s.Line, s.Column, s.Expr, s.Value)
		}
	}
	return nil
}
