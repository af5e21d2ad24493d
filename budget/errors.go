package budget

import (
	"errors"
	"strconv"
	"strings"

	"github.com/riskkit/riskkit/risk"
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

// ValidationError lists every problem found in a budget or a budgets
// document, in document order. Each problem is a [risk.Issue] naming the
// field, as in "amount", "thresholds[1].percent" or, for a parsed document,
// "budgets[2].start", with the line and column of the field's value when the
// budget was parsed. It wraps [ErrInvalidBudget] and the underlying error of
// each problem that has one, so errors.Is finds, for example,
// [risk.ErrUnknownCurrency].
type ValidationError struct {
	// BudgetID is the budget's id, when one budget was validated.
	BudgetID string
	// Issues are the problems, at least one.
	Issues []risk.Issue
	// errs are the underlying errors of the issues that have one.
	errs []error
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

// Unwrap returns [ErrInvalidBudget] and the underlying error of each issue
// that has one.
func (e *ValidationError) Unwrap() []error {
	return append([]error{ErrInvalidBudget}, e.errs...)
}

// issues collects problems under a path prefix, and the underlying errors
// that the resulting *[ValidationError] wraps.
type issues struct {
	prefix string
	list   []risk.Issue
	errs   []error
}

func (c *issues) add(path, msg string, err error) {
	if c.prefix != "" {
		if path == "" {
			path = c.prefix
		} else {
			path = c.prefix + "." + path
		}
	}
	c.list = append(c.list, risk.Issue{Path: path, Msg: msg})
	if err != nil {
		c.errs = append(c.errs, err)
	}
}

// err returns the collected problems as a *[ValidationError] for the
// budget with the given id, or nil when there are none.
func (c *issues) err(budgetID string) error {
	if len(c.list) == 0 {
		return nil
	}
	return &ValidationError{BudgetID: budgetID, Issues: c.list, errs: c.errs}
}
