package abuse_test

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/riskkit/riskkit/abuse"
)

// BenchmarkNoticeTriage measures the cost per notice of decoding a new
// model fraud event, triaging it against 30 findings, and evaluating it
// as a case, against the baseline of plain JSON unmarshalling of the same
// document into a map.
func BenchmarkNoticeTriage(b *testing.B) {
	doc := noticeDoc(b, "fraud_event_new.json")
	var findings []abuse.Finding
	for i := range 30 {
		findings = append(findings, abuse.Finding{ID: fmt.Sprintf("ab-%d", i), Type: "mining.activity", Category: abuse.CryptoMining,
			Subscription: "9c1a3e2b-5f0d-4e4a-8d6e-1f2b3c4d5e6f", Resource: fmt.Sprintf("vm-%d", i), Severity: 85, Confidence: 80,
			FirstSeen: utc("2023-05-16T06:00:00Z"), LastSeen: utc("2023-05-16T07:00:00Z"), Count: 1, Windows: 1})
	}
	tr := newTriage(b, abuse.TriageConfig{})
	ns, err := abuse.ParseNotices(abuse.FromFraudEvent, doc)
	if err != nil {
		b.Fatal(err)
	}
	now := utc("2023-05-16T12:00:00Z")
	b.Run("baseline=json.Unmarshal", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var v []map[string]any
			if err := json.Unmarshal(doc, &v); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("decode", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := abuse.ParseNotices(abuse.FromFraudEvent, doc); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("triage", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			tr.Triage(&ns[0], findings)
		}
	})
	b.Run("evaluate", func(b *testing.B) {
		in := &abuse.CaseInput{Notices: ns, Findings: findings}
		b.ReportAllocs()
		for b.Loop() {
			if _, err := tr.Evaluate(abuse.CaseState{}, in, now); err != nil {
				b.Fatal(err)
			}
		}
	})
}
