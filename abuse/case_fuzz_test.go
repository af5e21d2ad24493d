package abuse_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/riskkit/riskkit/abuse"
)

// FuzzCaseEvaluate drives cases with a script of notices, decisions and
// clock steps read from the fuzzer's bytes, and checks after every
// accepted evaluation that the state round-trips through JSON, that Next
// is after now, and that evaluating the same input again from the new
// state returns no action and the same state.
func FuzzCaseEvaluate(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9})
	f.Add([]byte{0, 0x10, 0x21, 0x32, 0x43, 0x54, 0x65, 0x76, 0x87})
	f.Add([]byte{5, 5, 3, 3, 9, 9, 1, 1, 250, 251, 252})
	f.Add([]byte{})
	statuses := []abuse.NoticeStatus{abuse.NoticeActive, abuse.NoticeInvestigating, abuse.NoticeResolved, "Snoozed"}
	reasons := []abuse.Resolution{abuse.Unresolved, abuse.ResolvedFraud, abuse.ResolvedLegitimate, abuse.ResolvedIgnore}
	kinds := []abuse.DecisionKind{abuse.Acknowledge, abuse.Investigate, abuse.Resolve, abuse.Reopen}
	miner := abuse.Finding{ID: "ab-1", Type: "mining.activity", Category: abuse.CryptoMining, Subscription: "sub-1", Resource: "vm-1",
		Severity: 85, Confidence: 80, FirstSeen: t0, LastSeen: t1, Count: 1, Windows: 1}
	f.Fuzz(func(t *testing.T, script []byte) {
		per := len(script) > 0 && script[0]&1 == 1
		tr, err := abuse.NewTriage(abuse.TriageConfig{PerSubscription: per, Enforcer: fuzzEnforcer})
		if err != nil {
			t.Fatal(err)
		}
		var st abuse.CaseState
		now := t1
		for i, b := range script {
			in := &abuse.CaseInput{Findings: []abuse.Finding{miner}}
			switch b >> 6 {
			case 0: // a notice
				n := alert(string(rune('a'+b&3)), []string{"CryptoMining", "UsageAnomalyDetection", "Spam", "ServiceHealthSecurityAdvisory"}[b>>2&3])
				n.Status = statuses[b>>4&3]
				n.ResolvedReason = reasons[(b+1)&3]
				n.ResolvedAt = now.Add(-time.Minute)
				n.LastObserved = now.Add(-time.Duration(b&7) * time.Hour)
				n.History = []abuse.StatusChange{{To: n.Status, At: now.Add(-time.Duration(b&3) * time.Minute)}}
				in.Notices = []abuse.Notice{n}
			case 1, 2: // a decision about some case
				if len(st.Cases) == 0 {
					continue
				}
				c := st.Cases[int(b)%len(st.Cases)]
				in.Decisions = []abuse.CaseDecision{{ID: string(rune('0' + i)), Case: c.ID, Kind: kinds[b&3], Resolution: reasons[b>>2&3]}}
			case 3: // time passes
				now = now.Add(time.Duration(b&63) * 37 * time.Minute)
			}
			res, err := tr.Evaluate(st, in, now)
			if err != nil {
				continue // a decision not allowed now
			}
			if !res.Next.IsZero() && !res.Next.After(now) {
				t.Fatalf("next %v is not after now %v", res.Next, now)
			}
			b, err := json.Marshal(res.State)
			if err != nil {
				t.Fatal(err)
			}
			var back abuse.CaseState
			if err := json.Unmarshal(b, &back); err != nil {
				t.Fatal(err)
			}
			if d := cmpDiff(res.State, back); d != "" {
				t.Fatalf("round trip (-want +got):\n%s", d)
			}
			again, err := tr.Evaluate(res.State, in, now)
			if err != nil {
				t.Fatalf("replay: %v", err)
			}
			if len(again.Actions) != 0 {
				t.Fatalf("replay returned %+v", again.Actions)
			}
			if d := cmpDiff(res.State, again.State); d != "" {
				t.Fatalf("replay changed the state (-want +got):\n%s", d)
			}
			st = res.State
		}
	})
}

var fuzzEnforcer = func() *abuse.Enforcer {
	e, err := abuse.NewEnforcer([]byte("id: f\nversion: \"1\"\noutcomes: [suspend, notify, none]\nrules:\n  - id: h\n    when: finding.level == \"high\"\n    action: suspend\n    reason: h\n"))
	if err != nil {
		panic(err)
	}
	return e
}()
