package risk

import (
	"strings"

	"github.com/riskkit/riskkit/internal/decode"
	"github.com/riskkit/riskkit/internal/text"
)

// Issue is one problem at a place in a document: a policy, and also the
// schedules, ledgers, budgets, applicants, telemetry and checkouts that the
// riskkit packages read, so that a host handles every located problem with
// one type. Its fields, each optional, are:
//
//	RuleID  the rule the problem is in, for policies
//	Path    the field, in the document's own names: "stages[2].after_days"
//	Line    1-based line in the source; 0 when unknown
//	Column  1-based column in the source; 0 when unknown
//	Msg     what is wrong, without the position, rule or path
//	Err     the underlying error, for errors.Is, when there is one
//
// String returns "line:col: rule ID: path: msg", leaving out what is empty.
type Issue = decode.Issue

// DocumentError lists every problem found in one document. Every decoder,
// validator and compiler in riskkit returns it, so that a host reports
// problems the same way whatever it gave: a policy, a schedule, a ledger,
// a budget, an applicant, telemetry or a checkout.
//
// errors.Is finds the sentinels of the issues' underlying errors, such as
// [ErrUnknownCurrency], through Unwrap.
type DocumentError struct {
	// Package is the riskkit package that found the problems, the prefix
	// of the message, such as "dunning".
	Package string
	// Subject names the document, such as `policy "checkout"` or
	// `ledger of customer "c-42"`.
	Subject string
	// Issues are the problems, at least one, in the order found.
	Issues []Issue
}

// Error returns "pkg: subject: issue" for one problem, and otherwise a
// summary line followed by one problem a line.
func (e *DocumentError) Error() string {
	var b strings.Builder
	if e.Package != "" {
		b.WriteString(e.Package)
		b.WriteString(": ")
	}
	b.WriteString(e.Subject)
	if len(e.Issues) == 1 {
		b.WriteString(": ")
		b.WriteString(e.Issues[0].String())
		return b.String()
	}
	b.WriteString(" has ")
	b.WriteString(text.Plural(len(e.Issues), "problem"))
	for _, i := range e.Issues {
		b.WriteString("\n\t")
		b.WriteString(i.String())
	}
	return b.String()
}

// Unwrap returns the underlying errors of the issues that have one.
func (e *DocumentError) Unwrap() []error {
	var errs []error
	for _, i := range e.Issues {
		if i.Err != nil {
			errs = append(errs, i.Err)
		}
	}
	return errs
}

// NewDocumentError returns a *DocumentError for the issues, or nil when
// there are none, so that a validator can end with
// `return risk.NewDocumentError("pkg", ErrInvalidThing, subject, issues)`.
// Every issue is made to wrap sentinel, the package's error for such a
// document that a host tests for with errors.Is, beside its own cause.
func NewDocumentError(pkg string, sentinel error, subject string, issues []Issue) error {
	if len(issues) == 0 {
		return nil
	}
	if sentinel != nil {
		decode.Mark(issues, sentinel)
	}
	return &DocumentError{Package: pkg, Subject: subject, Issues: issues}
}
