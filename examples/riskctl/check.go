package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/riskkit/riskkit/examples"
	"github.com/riskkit/riskkit/internal/text"
	"github.com/riskkit/riskkit/risk"
	"go.yaml.in/yaml/v3"
)

func runCheck(e *env, args []string) error {
	fs := newFlags(e, "check", "")
	policySpec, k := policyFlags(fs)
	asJSON := fs.Bool("json", false, "print JSON lines instead of text")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := requirePolicy(*policySpec); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError("check takes no arguments, got %q", fs.Args())
	}
	src, err := readSource(e, *policySpec, examples.Policy)
	if err != nil {
		return err
	}
	name := displayName(*policySpec)
	p, err := compilePolicy(src, kind(*k))
	if err != nil {
		ps := policyProblems(name, err)
		for _, p := range ps {
			if *asJSON {
				if err := writeJSON(e.stdout, p); err != nil {
					return err
				}
			} else {
				fmt.Fprintln(e.stdout, p)
			}
		}
		return fmt.Errorf("%s policy %s has %s", p.Kind(), name, text.Plural(len(ps), "problem"))
	}
	// The rules are counted from the document, so that the disabled ones,
	// which the engine leaves out, are counted too.
	var doc struct {
		Rules []risk.Rule `yaml:"rules"`
	}
	if err := yaml.Unmarshal(src, &doc); err != nil {
		return fmt.Errorf("%s: %v", name, err)
	}
	var shadow, disabled int
	for _, r := range doc.Rules {
		switch {
		case !r.IsEnabled():
			disabled++
		case r.Mode == risk.Shadow:
			shadow++
		}
	}
	if *asJSON {
		return writeJSON(e.stdout, struct {
			OK       bool   `json:"ok"`
			File     string `json:"file"`
			Kind     kind   `json:"kind"`
			PolicyID string `json:"policy_id"`
			Version  string `json:"policy_version"`
			Rules    int    `json:"rules"`
			Shadow   int    `json:"shadow"`
			Disabled int    `json:"disabled"`
		}{true, name, p.Kind(), p.ID(), p.Version(), len(doc.Rules), shadow, disabled})
	}
	fmt.Fprintf(e.stdout, "ok: %s", text.Plural(len(doc.Rules), "rule"))
	var notes []string
	if shadow > 0 {
		notes = append(notes, fmt.Sprintf("%d shadow", shadow))
	}
	if disabled > 0 {
		notes = append(notes, fmt.Sprintf("%d disabled", disabled))
	}
	if len(notes) > 0 {
		fmt.Fprintf(e.stdout, " (%s)", strings.Join(notes, ", "))
	}
	fmt.Fprintf(e.stdout, " in %s policy %s version %s\n", p.Kind(), p.ID(), p.Version())
	return nil
}

// writeJSON writes v as one JSON line, with <, > and & as they are: the
// output is read by programs and people, not embedded in HTML.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
