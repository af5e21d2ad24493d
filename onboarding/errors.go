package onboarding

import (
	"errors"
	"strconv"

	"github.com/riskkit/riskkit/internal/decode"
	"github.com/riskkit/riskkit/risk"
)

// ErrCurrency is wrapped by the errors of assessments whose applicant is
// billed in a currency the policy's controls have no amounts for.
var ErrCurrency = errors.New("onboarding: currency not covered by the policy")

// ErrInvalidDocument is wrapped by every problem in a document onboarding
// reads or validates (a policy, an applicant, an event or an assessment):
// the error is a *risk.DocumentError listing each problem where it is.
var ErrInvalidDocument = errors.New("onboarding: invalid document")

// issues collects problems and returns them as a *risk.DocumentError.
type issues struct{ decode.Collector }

// err returns the issues as a *risk.DocumentError about what, or nil when
// there are none.
func (c *issues) err(what string) error {
	return risk.NewDocumentError("onboarding", ErrInvalidDocument, what, c.Issues)
}

// errOf is err for a name that costs something to build, such as a quoted
// id: it is built only when there are issues.
func (c *issues) errOf(prefix, id string) error {
	if len(c.Issues) == 0 {
		return nil
	}
	return c.err(prefix + strconv.Quote(id))
}
