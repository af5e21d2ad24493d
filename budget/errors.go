package budget

import (
	"errors"
	"strconv"
	"strings"
)

var (
	// ErrInvalidBudget is wrapped by the errors for a budget that is
	// malformed or breaks a rule of [Budget.Validate]; the error is a
	// *[ValidationError] listing every problem.
	ErrInvalidBudget = errors.New("budget: invalid budget")

	// ErrInvalidRecord is wrapped by the errors for a spend record that
	// cannot be counted: no id, no amount, or not exactly one of a day and
	// an hour.
	ErrInvalidRecord = errors.New("budget: invalid spend record")

	// ErrConflictingRecords is wrapped by the error for two records with
	// the same id and revision but different contents. A resent record
	// counts once; a correction must carry a higher revision.
	ErrConflictingRecords = errors.New("budget: conflicting spend records")

	// ErrNotInEffect is wrapped by the error for evaluating a budget at an
	// instant before its start or after its end.
	ErrNotInEffect = errors.New("budget: not in effect")

	// ErrWrongLocation is wrapped by the error for evaluating a budget with
	// a *time.Location other than its time zone.
	ErrWrongLocation = errors.New("budget: location does not match the budget's time zone")

	// ErrWrongState is wrapped by the error for evaluating a budget with
	// the alert state of another budget.
	ErrWrongState = errors.New("budget: state belongs to another budget")
)

// Issue is one problem in a budget: the field it is in, where that field is
// in the source document when it was parsed, and what is wrong.
type Issue struct {
	// Path names the field, as in "amount", "thresholds[1].percent" or,
	// for a parsed document, "budgets[2].start".
	Path string `json:"path"`
	// Line and Column locate the field's value in the source, 1-based;
	// zero for a budget built in Go.
	Line   int `json:"line,omitzero"`
	Column int `json:"column,omitzero"`
	// Msg says what is wrong, without the path or position.
	Msg string `json:"message"`
	// Err is the underlying error, such as one wrapping
	// [risk.ErrUnknownCurrency], when there is one.
	Err error `json:"-"`
}

// String returns the issue as "line:column: path: message".
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
	if i.Path != "" {
		b.WriteString(i.Path)
		b.WriteString(": ")
	}
	b.WriteString(i.Msg)
	return b.String()
}

// ValidationError lists every problem found in a budget or a budgets
// document, in document order. It wraps [ErrInvalidBudget] and each issue's
// underlying error, so errors.Is finds, for example,
// [risk.ErrUnknownCurrency].
type ValidationError struct {
	// BudgetID is the budget's id, when one budget was validated.
	BudgetID string
	// Issues are the problems, at least one.
	Issues []Issue
}

// Error lists the issues, one per line after the first when there are
// several, each as "line:column: path: message".
func (e *ValidationError) Error() string {
	var b strings.Builder
	b.WriteString("budget: ")
	if e.BudgetID != "" {
		b.WriteString(strconv.Quote(e.BudgetID))
		b.WriteString(": ")
	}
	if len(e.Issues) == 1 {
		b.WriteString(e.Issues[0].String())
		return b.String()
	}
	b.WriteString(strconv.Itoa(len(e.Issues)))
	b.WriteString(" problems")
	for _, i := range e.Issues {
		b.WriteString("\n\t")
		b.WriteString(i.String())
	}
	return b.String()
}

// Unwrap returns [ErrInvalidBudget] and the underlying error of each issue.
func (e *ValidationError) Unwrap() []error {
	errs := []error{ErrInvalidBudget}
	for _, i := range e.Issues {
		if i.Err != nil {
			errs = append(errs, i.Err)
		}
	}
	return errs
}

// issues collects problems under a path prefix.
type issues struct {
	prefix string
	list   []Issue
}

func (c *issues) add(path, msg string, err error) {
	if c.prefix != "" {
		if path == "" {
			path = c.prefix
		} else {
			path = c.prefix + "." + path
		}
	}
	c.list = append(c.list, Issue{Path: path, Msg: msg, Err: err})
}
