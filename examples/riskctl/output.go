package main

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/riskkit/riskkit/dunning"
	"github.com/riskkit/riskkit/onboarding"
)

// issue is the located problem the domain packages report: dunning.Issue
// and onboarding.Issue have these fields, so one formatter serves both.
type issue struct {
	Path   string
	Line   int
	Column int
	Msg    string
}

// issuesError formats a document's problems one per line as
// FILE:LINE:COL: path: message, the form editors and terminals turn into
// links; an unknown position or path is left out.
func issuesError[I dunning.Issue | onboarding.Issue](file string, issues []I) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s", file, plural(len(issues), "problem"))
	for _, i := range issues {
		is := issue(i)
		b.WriteString("\n  " + file)
		if is.Line > 0 {
			fmt.Fprintf(&b, ":%d:%d", is.Line, is.Column)
		}
		b.WriteString(": ")
		if is.Path != "" {
			b.WriteString(is.Path + ": ")
		}
		b.WriteString(is.Msg)
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
	fmt.Fprintf(w, "%s", plural(n, noun))
	if len(mix) > 0 {
		fmt.Fprintf(w, ": %s", strings.Join(mix, ", "))
	}
	if skipped > 0 {
		fmt.Fprintf(w, "; %s skipped", plural(skipped, "line"))
	}
	fmt.Fprintln(w)
}
