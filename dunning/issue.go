package dunning

import (
	"errors"

	"github.com/riskkit/riskkit/internal/decode"
	"github.com/riskkit/riskkit/risk"
)

// ErrInvalidDocument is wrapped by every problem in a document dunning
// reads or validates (a schedule, a ledger or a state): the error is a
// *risk.DocumentError listing each problem where it is.
var ErrInvalidDocument = errors.New("dunning: invalid document")

// issues collects the problems of one document; with Doc set, each is
// located where its path was written.
type issues struct{ decode.Collector }

// add records a problem at path.
func (is *issues) add(path, format string, args ...any) { is.Add(path, format, args...) }

// err returns the collected problems as a *[risk.DocumentError] about
// subject, such as `schedule "standard"`, or nil when there are none.
func (is *issues) err(subject string) error {
	return risk.NewDocumentError("dunning", ErrInvalidDocument, subject, is.Issues)
}
