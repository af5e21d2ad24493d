package dunning

import (
	"fmt"
	"strings"
)

// Issue is one problem found in a schedule or a ledger: where it is and what
// is wrong.
type Issue struct {
	// Path names the field, as in "stages[2].after_days" or
	// "invoices[0].due_date".
	Path string `json:"path,omitempty"`
	// Line and Column locate the problem in a YAML or JSON source, 1-based;
	// zero when the document was built in Go.
	Line   int    `json:"line,omitempty"`
	Column int    `json:"column,omitempty"`
	Msg    string `json:"message"`
}

// String returns the issue as "line:col: path: message", leaving out the
// parts that are unknown.
func (i Issue) String() string {
	var b strings.Builder
	if i.Line > 0 {
		fmt.Fprintf(&b, "%d:%d: ", i.Line, i.Column)
	}
	if i.Path != "" {
		b.WriteString(i.Path)
		b.WriteString(": ")
	}
	b.WriteString(i.Msg)
	return b.String()
}

// ValidationError lists every problem found in one document, so that an
// author can fix them all in one pass.
type ValidationError struct {
	// Doc names the document, as in `schedule "standard"` or
	// `ledger of customer "c-42"`.
	Doc    string
	Issues []Issue
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
	list []Issue
}

func (is *issues) add(path string, line, col int, format string, args ...any) {
	is.list = append(is.list, Issue{Path: path, Line: line, Column: col, Msg: fmt.Sprintf(format, args...)})
}

// err returns the collected problems as a *ValidationError, or nil.
func (is *issues) err(doc string) error {
	if len(is.list) == 0 {
		return nil
	}
	return &ValidationError{Doc: doc, Issues: is.list}
}
