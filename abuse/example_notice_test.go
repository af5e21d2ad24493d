package abuse_test

import (
	"fmt"
	"time"

	"github.com/riskkit/riskkit/abuse"
)

func ExampleParseNotices() {
	// A fraud events response as the provider sends it: no zone on the
	// times, the hit count and the test flag in strings, the activity log
	// in a string, the "not resolved" sentinel.
	body := []byte(`[{"eventTime":"2026-11-16T09:36:02.53","eventId":"sub-023_e1",
		"eventType":"NetworkConnectionsToCryptoMiningPools","subscriptionId":"sub-023",
		"severity":"High","confidenceLevel":"high","hitCount":"57","IsTest":"false",
		"eventStatus":"Active","resolvedReason":"None","resolvedOn":"9999-12-31T23:59:59.9970000",
		"activityLogs":"[]"}]`)
	ns, err := abuse.ParseNotices(abuse.FromFraudEvent, body)
	if err != nil {
		fmt.Println(err)
		return
	}
	n := ns[0]
	fmt.Println(n.Key(), n.Kind, n.Severity, n.HitCount, n.Status, n.ResolvedReason, n.ResolvedAt.IsZero())
	fmt.Println(n.DetectedAt)

	_, err = abuse.ParseNotices(abuse.FromFraudEvent, []byte(`[{"eventId":"e","subscriptionId":"s",
		"eventTime":"yesterday"}]`))
	fmt.Println(err)
	// Output:
	// fraud_event:sub-023_e1 NetworkConnectionsToCryptoMiningPools high 57 active none true
	// 2026-11-16 09:36:02.53 +0000 UTC
	// abuse: notices (fraud_event): 2:15: [0].eventTime: "yesterday" is not a date-time such as 2021-12-08T00:25:45.69 or 2023-05-16T10:00:00Z
}

func ExampleTriage_Evaluate() {
	tr, err := abuse.NewTriage(abuse.TriageConfig{}) // the documented deadlines
	if err != nil {
		panic(err)
	}
	detected := time.Date(2026, 11, 16, 9, 0, 0, 0, time.UTC)
	alert := abuse.Notice{Source: abuse.FromSecurityAlert, ID: "a1", Kind: "CryptoMining", Subscription: "sub-023",
		DetectedAt: detected, Status: abuse.NoticeActive}
	// riskkit's mining detector saw the same subscription at the same time.
	miner := abuse.Finding{ID: "ab-1", Type: "mining.activity", Category: abuse.CryptoMining, Subscription: "sub-023",
		Severity: 85, Confidence: 80, FirstSeen: detected.Add(-time.Hour), LastSeen: detected, Count: 1, Windows: 1}

	res, err := tr.Evaluate(abuse.CaseState{}, &abuse.CaseInput{Notices: []abuse.Notice{alert}, Findings: []abuse.Finding{miner}}, detected)
	if err != nil {
		panic(err)
	}
	c := res.State.Cases[0]
	fmt.Println(c.Status, c.Category, c.Corroborated, res.Raised[0].Confidence)
	for _, a := range res.Actions {
		fmt.Println(a.Kind, a.Due.Format("15:04"))
	}
	fmt.Println("next:", res.Next.Format("15:04"))

	// An analyst resolves it as fraud 40 minutes later.
	res, err = tr.Evaluate(res.State, &abuse.CaseInput{Decisions: []abuse.CaseDecision{
		{ID: "d1", Case: c.ID, Kind: abuse.Resolve, Resolution: abuse.ResolvedFraud, By: "ana"}}}, detected.Add(40*time.Minute))
	if err != nil {
		panic(err)
	}
	for _, a := range res.Actions {
		if a.Update != nil {
			fmt.Println(a.Kind, a.Update.Method, a.Update.URL, string(a.Update.Body))
		} else {
			fmt.Println(a.Kind)
		}
	}
	fmt.Println("next:", res.Next.IsZero())
	// Output:
	// received crypto_mining [ab-1] 95
	// acknowledge 10:00
	// next: 10:00
	// notify_customer
	// notify_partner
	// claim_credit
	// update_provider PATCH https://graph.microsoft.com/beta/security/partner/securityAlerts/a1 {"resolvedReason":"fraud","status":"resolved"}
	// next: true
}
