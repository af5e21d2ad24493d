package dunning

import (
	"github.com/riskkit/riskkit/internal/decode"
	"github.com/riskkit/riskkit/risk"
)

// issues collects the problems of one document; with Doc set, each is
// located where its path was written.
type issues struct{ decode.Collector }

// add records a problem at path.
func (is *issues) add(path, format string, args ...any) { is.Add(path, format, args...) }

// err returns the collected problems as a *[risk.DocumentError] about
// subject, such as `schedule "standard"`, or nil when there are none.
func (is *issues) err(subject string) error {
	return risk.NewDocumentError("dunning", subject, is.Issues)
}
