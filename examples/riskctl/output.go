package main

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/riskkit/riskkit/internal/text"
	"github.com/riskkit/riskkit/risk"
)

// issuesError formats a document's problems one per line as
// FILE:LINE:COL: rule ID: path: message, the form editors and terminals
// turn into links; what is unknown is left out.
func issuesError(file string, issues []risk.Issue) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s", file, text.Plural(len(issues), "problem"))
	for _, i := range issues {
		b.WriteString("\n  " + file)
		if i.Line > 0 {
			b.WriteByte(':')
		} else {
			b.WriteString(": ")
		}
		b.WriteString(i.String())
	}
	return errors.New(b.String())
}

// writeTally writes the line closing a table: how many nouns were shown,
// how many of each kind in order (kinds never seen are left out) and how
// many input lines were skipped.
func writeTally[K comparable](w io.Writer, n int, noun string, order []K, counts map[K]int, skipped int) {
	var mix []string
	for _, k := range order {
		if counts[k] > 0 {
			mix = append(mix, fmt.Sprintf("%v %d", k, counts[k]))
		}
	}
	fmt.Fprintf(w, "%s", text.Plural(n, noun))
	if len(mix) > 0 {
		fmt.Fprintf(w, ": %s", strings.Join(mix, ", "))
	}
	if skipped > 0 {
		fmt.Fprintf(w, "; %s skipped", text.Plural(skipped, "line"))
	}
	fmt.Fprintln(w)
}
