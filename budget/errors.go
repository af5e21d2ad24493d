package budget

import (
	"errors"
	"strconv"

	"github.com/riskkit/riskkit/internal/decode"
	"github.com/riskkit/riskkit/risk"
)

var (
	// ErrInvalidBudget is wrapped by the errors for a budget that is
	// malformed or breaks a rule of [Budget.Validate]; the error is a
	// *[risk.DocumentError] listing every problem.
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

// issues collects the problems of a budget, under a path prefix such as
// "budgets[2]" in a document; with Doc set, each is located where its path
// was written. Every issue wraps [ErrInvalidBudget], and its own cause
// when it has one.
type issues struct {
	decode.Collector
	prefix string
}

func (c *issues) add(path, msg string, err error) {
	if c.prefix != "" {
		if path == "" {
			path = c.prefix
		} else {
			path = c.prefix + "." + path
		}
	}
	i := risk.Issue{Path: path, Msg: msg, Err: invalid(err)}
	if c.Doc != nil {
		i.Line, i.Column = c.Doc.Pos(path)
	}
	c.Issues = append(c.Issues, i)
}

// invalid returns the error of an issue of a budget: ErrInvalidBudget,
// joined with cause when there is one.
func invalid(cause error) error {
	if cause == nil || errors.Is(cause, ErrInvalidBudget) {
		return ErrInvalidBudget
	}
	return errors.Join(ErrInvalidBudget, cause)
}

// err returns the collected problems as a *[risk.DocumentError] about the
// budget with the given id, or nil when there are none.
func (c *issues) err(budgetID string) error {
	if len(c.Issues) == 0 {
		return nil
	}
	return risk.NewDocumentError("budget", ErrInvalidBudget, budgetSubject(budgetID), c.Issues)
}

// budgetSubject names a budget in errors.
func budgetSubject(id string) string {
	if id == "" {
		return "budget"
	}
	return "budget " + strconv.Quote(id)
}
