package abuse

import (
	"errors"
	"fmt"

	"github.com/riskkit/riskkit/internal/decode"
	"github.com/riskkit/riskkit/internal/text"
	"github.com/riskkit/riskkit/risk"
)

// The errors a host may test for with errors.Is. Problems with a document
// come back in a *[risk.DocumentError] whose issues wrap one of them.
var (
	// ErrInvalidTelemetry is wrapped by every problem of a window of
	// telemetry: malformed JSON, unknown fields, values of the wrong
	// shape, and everything [Telemetry.Validate] rejects.
	ErrInvalidTelemetry = errors.New("abuse: invalid telemetry")

	// ErrInvalidNotice is wrapped by every problem of a provider notice or
	// a notices file.
	ErrInvalidNotice = errors.New("abuse: invalid notice")

	// ErrInvalidActivity is wrapped by every problem of the activity
	// records given to [ActivityDetector.Evaluate].
	ErrInvalidActivity = errors.New("abuse: invalid activity record")

	// ErrInvalidConfig is wrapped by every problem of a [Config], a
	// [TriageConfig] or an [ActivityConfig], found once by [New],
	// [NewTriage] or [NewActivityDetector].
	ErrInvalidConfig = errors.New("abuse: invalid configuration")

	// ErrInvalidPolicy is wrapped by the problems of an enforcement policy
	// that [NewEnforcer] finds itself: outcomes that are not actions in
	// order, and deadlines that are not durations.
	ErrInvalidPolicy = errors.New("abuse: invalid enforcement policy")

	// ErrInvalidState is wrapped by the problems of a [State] passed to
	// [Monitor.Evaluate], such as an allowance without an expiry, or of a
	// [CaseState] passed to [Triage.Evaluate].
	ErrInvalidState = errors.New("abuse: invalid state")
)

// maxProblems bounds how many problems one error lists; past it, a last
// issue counts the rest.
const maxProblems = 20

// issues collects the problems of one document, each wrapping sentinel,
// listing at most maxProblems.
type issues struct {
	decode.Collector
	more     int
	sentinel error
}

// add records a problem at path, the field in the document's own names.
func (is *issues) add(path, format string, args ...any) {
	if len(is.Issues) >= maxProblems {
		is.more++
		return
	}
	is.Issues = append(is.Issues, risk.Issue{Path: path, Msg: fmt.Sprintf(format, args...), Err: is.sentinel})
}

// addIssues records problems found by the decoder, wrapping the sentinel.
func (is *issues) addIssues(list []risk.Issue) {
	for _, i := range list {
		if len(is.Issues) >= maxProblems {
			is.more++
			continue
		}
		i.Err = wrap(is.sentinel, i.Err)
		is.Issues = append(is.Issues, i)
	}
}

// ok reports whether no problem was found.
func (is *issues) ok() bool { return len(is.Issues) == 0 }

// err returns the problems as a *risk.DocumentError about subject, each
// placed where doc (which may be nil) has its path, or nil when there are
// none.
func (is *issues) err(subject string, doc *decode.Document) error {
	if len(is.Issues) == 0 {
		return nil
	}
	list := is.Issues
	if doc != nil {
		for i := range list {
			if list[i].Line == 0 {
				list[i].Line, list[i].Column = doc.Locate(list[i].Path)
			}
		}
	}
	if is.more > 0 {
		list = append(list, risk.Issue{Msg: "and " + text.Plural(is.more, "more problem"), Err: is.sentinel})
	}
	return risk.NewDocumentError("abuse", is.sentinel, subject, list)
}

// wrap returns sentinel, joined with cause when there is one.
func wrap(sentinel, cause error) error {
	if cause == nil || errors.Is(cause, sentinel) {
		return sentinel
	}
	return errors.Join(sentinel, cause)
}
