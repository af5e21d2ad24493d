package dunning

import (
	"fmt"
	"strings"

	"github.com/riskkit/riskkit/risk"
)

// ValidationError lists every problem found in one document, so that an
// author can fix them all in one pass. Each problem is a [risk.Issue] with
// the field's path, such as "stages[2].after_days" or
// "invoices[0].due_date", and its line and column when the document was
// parsed.
type ValidationError struct {
	// Doc names the document, as in `schedule "standard"` or
	// `ledger of customer "c-42"`.
	Doc    string
	Issues []risk.Issue
}

// Error returns the problems, one per line after a summary.
func (e *ValidationError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "dunning: %s has %d problem", e.Doc, len(e.Issues))
	if len(e.Issues) != 1 {
		b.WriteString("s")
	}
	for _, i := range e.Issues {
		b.WriteString("\n\t")
		b.WriteString(i.String())
	}
	return b.String()
}

// issues collects problems while a document is checked.
type issues struct {
	list []risk.Issue
}

func (is *issues) add(path string, line, col int, format string, args ...any) {
	is.list = append(is.list, risk.Issue{Path: path, Line: line, Column: col, Msg: fmt.Sprintf(format, args...)})
}

// err returns the collected problems as a *ValidationError, or nil.
func (is *issues) err(doc string) error {
	if len(is.list) == 0 {
		return nil
	}
	return &ValidationError{Doc: doc, Issues: is.list}
}
