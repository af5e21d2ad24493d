// Package policyissues turns the error of compiling a policy, of any kind,
// into located problems, so that riskctl and checkoutd report a broken
// policy the same way: each problem with its line, column and rule.
package policyissues

import (
	"cmp"
	"errors"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/riskkit/riskkit/risk"
)

// yamlLineMsg matches "line N: message", the form of the YAML decoder's
// messages, which risk.ParsePolicy passes on.
var yamlLineMsg = regexp.MustCompile(`^line (\d+): (.*)$`)

// lineColMsg matches "N:M: message", the form in which some packages put a
// position into an error's text.
var lineColMsg = regexp.MustCompile(`^(\d+):(\d+): (.*)$`)

// Of returns the problems an error of risk.Compile, onboarding.Compile or
// abuse.NewEnforcer describes (a *risk.DocumentError, or an error whose
// text holds positions), in source order. Errors holding
// []risk.Issue give them as they are; a document that is not even
// well-formed YAML gives the decoder's messages, one per line, with the
// line each names.
func Of(err error) []risk.Issue {
	if err == nil {
		return nil
	}
	var de *risk.DocumentError
	var is []risk.Issue
	switch {
	case errors.As(err, &de):
		is = slices.Clone(de.Issues)
	default:
		is = fromText(err)
	}
	slices.SortStableFunc(is, func(a, b risk.Issue) int {
		return cmp.Or(cmp.Compare(a.Line, b.Line), cmp.Compare(a.Column, b.Column))
	})
	return is
}

func fromText(err error) []risk.Issue {
	var errs []error
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		errs = j.Unwrap()
	} else {
		errs = []error{err}
	}
	var is []risk.Issue
	for _, e := range errs {
		msg := e.Error()
		for _, p := range []string{"risk: ", "abuse: ", "onboarding: ", "policy: "} {
			msg = strings.TrimPrefix(msg, p)
		}
		// abuse names the policy before the position: `policy "x": 3:7: ...`.
		if strings.HasPrefix(msg, "policy \"") {
			if _, rest, ok := strings.Cut(msg, "\": "); ok {
				msg = rest
			}
		}
		for l := range strings.SplitSeq(strings.TrimPrefix(msg, "unmarshal errors:\n"), "\n") {
			l = strings.TrimSpace(l)
			if l == "" {
				continue
			}
			i := risk.Issue{Msg: l}
			if m := yamlLineMsg.FindStringSubmatch(l); m != nil {
				i.Line, _ = strconv.Atoi(m[1])
				i.Msg = m[2]
			} else if m := lineColMsg.FindStringSubmatch(l); m != nil {
				i.Line, _ = strconv.Atoi(m[1])
				i.Column, _ = strconv.Atoi(m[2])
				i.Msg = m[3]
			}
			is = append(is, i)
		}
	}
	return is
}
