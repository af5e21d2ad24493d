package decode

import (
	"errors"
	"strconv"
	"strings"
)

// Issue is one problem at a place in a document. The risk package exports
// it as risk.Issue, the one located problem of every riskkit package; see
// its documentation there.
type Issue struct {
	// RuleID is the rule the problem is in; empty for problems that are
	// not inside a rule.
	RuleID string `json:"rule_id,omitempty"`
	// Path names the field, the way the document's keys do, as in
	// "stages[2].after_days" or "flows[3].remote"; empty when the problem
	// is not in one field.
	Path string `json:"path,omitempty"`
	// Line and Column locate the problem in the source, 1-based; zero when
	// unknown (a value built in Go, or a syntax error that names only a
	// line).
	Line   int `json:"line,omitempty"`
	Column int `json:"column,omitempty"`
	// Msg says what is wrong, without the position, rule or path.
	Msg string `json:"message"`
	// Err is the underlying error, when there is one a caller may test
	// for with errors.Is, such as risk.ErrUnknownCurrency.
	Err error `json:"-"`
}

// String returns the issue as "line:col: rule ID: path: msg", leaving out
// the parts that are empty; without a column the position is "line: ".
func (i Issue) String() string {
	var b strings.Builder
	if i.Line > 0 {
		b.WriteString(strconv.Itoa(i.Line))
		if i.Column > 0 {
			b.WriteByte(':')
			b.WriteString(strconv.Itoa(i.Column))
		}
		b.WriteString(": ")
	}
	if i.RuleID != "" {
		b.WriteString("rule ")
		b.WriteString(i.RuleID)
		b.WriteString(": ")
	}
	if i.Path != "" {
		b.WriteString(i.Path)
		b.WriteString(": ")
	}
	b.WriteString(i.Msg)
	return b.String()
}

// Mark makes every issue wrap sentinel, the error of its package that a
// host tests for with errors.Is, beside its own cause when it has one.
func Mark(issues []Issue, sentinel error) {
	for i := range issues {
		switch err := issues[i].Err; {
		case err == nil:
			issues[i].Err = sentinel
		case !errors.Is(err, sentinel):
			issues[i].Err = errors.Join(sentinel, err)
		}
	}
}
