package main

import (
	"bytes"
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
				if err := writeJSON(e.stdout, "check", "problem", p); err != nil {
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
		return writeJSON(e.stdout, "check", "summary", struct {
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

// writeJSON writes v, a JSON object, as one line of the envelope every
// riskctl -json output shares: the object's fields after "command" (the
// subcommand that wrote it) and "type" (what the line is, such as
// "decision" or "finding"), so that a program reading several commands'
// output tells the lines apart. <, > and & are written as they are: the
// output is read by programs and people, not embedded in HTML.
func writeJSON(w io.Writer, command, typ string, v any) error {
	var body bytes.Buffer
	enc := json.NewEncoder(&body)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return err
	}
	fields := bytes.TrimSpace(body.Bytes())
	if len(fields) < 2 || fields[0] != '{' {
		return fmt.Errorf("riskctl: %s %s output is not a JSON object", command, typ)
	}
	fields = fields[1:] // the object's fields and its closing brace
	var line bytes.Buffer
	fmt.Fprintf(&line, `{"command":"%s","type":"%s"`, command, typ) // names are plain words
	if len(fields) > 1 {
		line.WriteByte(',')
	}
	line.Write(fields)
	line.WriteByte('\n')
	_, err := w.Write(line.Bytes())
	return err
}
