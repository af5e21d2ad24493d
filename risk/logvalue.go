package risk

import (
	"log/slog"
	"strings"
)

// LogValue makes a decision log as a group a log pipeline can index:
// policy, version, outcome, basis and score, the reason codes of the active
// hits, and the ids of the shadow hits, rule errors and rules that lacked an
// input, each left out when empty:
//
//	logger.Info("checkout", "decision", d)
//	// decision.outcome=review decision.score=55 decision.reasons=CNP_MISMATCH,PREPAID ...
//
// Lists are comma-joined strings rather than slices, so that every handler
// writes them the same way. Messages are left out: they are for people
// reading one decision, and may hold more than a log should.
func (d Decision) LogValue() slog.Value {
	attrs := make([]slog.Attr, 0, 9)
	attrs = append(attrs,
		slog.String("policy", d.PolicyID),
		slog.String("version", d.PolicyVersion),
		slog.String("outcome", string(d.Outcome)),
		slog.String("basis", string(d.Basis)),
		slog.Int64("score", d.Score),
	)
	if len(d.Hits) > 0 {
		attrs = append(attrs, slog.String("reasons", joinLog(d.Hits, func(h *Hit) string { return h.Reason })))
	}
	if len(d.Shadow) > 0 {
		attrs = append(attrs, slog.String("shadow", joinLog(d.Shadow, func(h *Hit) string { return h.RuleID })))
	}
	if len(d.Errors) > 0 {
		attrs = append(attrs, slog.String("errors", joinLog(d.Errors, func(e *RuleError) string { return e.RuleID })))
	}
	if len(d.Missing) > 0 {
		attrs = append(attrs, slog.String("missing", joinLog(d.Missing, func(m *MissingInputs) string { return m.RuleID })))
	}
	return slog.GroupValue(attrs...)
}

// joinLog joins one string of each element with commas.
func joinLog[T any](xs []T, f func(*T) string) string {
	var b strings.Builder
	for i := range xs {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(f(&xs[i]))
	}
	return b.String()
}
