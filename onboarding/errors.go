package onboarding

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/riskkit/riskkit/risk"
)

// Error lists every problem found in one applicant, policy or set of facts.
// Each problem is a [risk.Issue] naming the field, as in "signup.ip" or
// "controls.tiers[1].monthly_cap", or for a policy's rules the rule, and
// for documents its line and column.
type Error struct {
	// What names what was checked, such as `applicant "a-1"` or
	// `policy "onboarding"`.
	What   string
	Issues []risk.Issue
}

// Error returns the problems, one per line after the first when there are
// several.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("onboarding: ")
	b.WriteString(e.What)
	if len(e.Issues) == 1 {
		b.WriteString(": ")
		b.WriteString(e.Issues[0].String())
		return b.String()
	}
	fmt.Fprintf(&b, " has %d problems", len(e.Issues))
	for _, i := range e.Issues {
		b.WriteString("\n\t")
		b.WriteString(i.String())
	}
	return b.String()
}

// ErrCurrency is wrapped by the errors of assessments whose applicant is
// billed in a currency the policy's controls have no amounts for.
var ErrCurrency = errors.New("onboarding: currency not covered by the policy")

// issues collects problems; its zero value is ready and allocates nothing
// until the first problem.
type issues struct {
	list []risk.Issue
	// pos locates a path in the source document, when there is one.
	pos func(path string) (int, int)
}

func (c *issues) add(path, format string, args ...any) {
	i := risk.Issue{Path: path, Msg: fmt.Sprintf(format, args...)}
	if c.pos != nil {
		i.Line, i.Column = c.pos(path)
	}
	c.list = append(c.list, i)
}

// err returns the issues as an *Error, or nil when there are none.
func (c *issues) err(what string) error {
	if len(c.list) == 0 {
		return nil
	}
	return &Error{What: what, Issues: c.list}
}

// errOf is err for a name that costs something to build, such as a quoted
// id: it is built only when there are issues.
func (c *issues) errOf(prefix, id string) error {
	if len(c.list) == 0 {
		return nil
	}
	return c.err(prefix + strconv.Quote(id))
}
