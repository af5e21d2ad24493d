package abusetest_test

import (
	"fmt"
	"strings"
	"time"

	"github.com/riskkit/riskkit/abuse"
	"github.com/riskkit/riskkit/abuse/abusetest"
)

// keyCreation reports a burst of API keys created in one window, a sign of
// a subscription being shared. It is the kind of detector a host adds.
type keyCreation struct{ threshold int }

func (keyCreation) Name() string            { return "key_creation" }
func (keyCreation) Sources() []abuse.Source { return []abuse.Source{abuse.SourceActivity} }
func (keyCreation) Traits() abuse.Traits {
	return abuse.Traits{OrderIndependent: true, SubscriptionWide: true}
}

func (d keyCreation) Detect(in *abuse.DetectorInput) []abuse.Finding {
	t := in.Telemetry
	var n int64
	var first, last time.Time
	for _, e := range t.Activity {
		if e.Kind != abuse.KeyCreated || !t.Window.Contains(e.Time) {
			continue
		}
		n++
		if first.IsZero() || e.Time.Before(first) {
			first = e.Time
		}
		if e.Time.After(last) {
			last = e.Time
		}
	}
	if n < int64(d.threshold) {
		return nil
	}
	return []abuse.Finding{{Type: "custom.key_burst", Category: abuse.SubscriptionResale, Severity: 45, Confidence: 50,
		Summary: fmt.Sprintf("%d API keys created", n), FirstSeen: first, LastSeen: last, Count: n}}
}

// firstOnly has a bug the harness finds: it reports the first key's time,
// so its finding depends on the order of the records.
type firstOnly struct{ keyCreation }

func (d firstOnly) Detect(in *abuse.DetectorInput) []abuse.Finding {
	fs := d.keyCreation.Detect(in)
	for i := range fs {
		fs[i].FirstSeen = in.Telemetry.Activity[0].Time
	}
	return fs
}

func ExampleCheck() {
	start := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	t := &abuse.Telemetry{Subscription: "sub-1", Window: abuse.Interval{Start: start, End: start.Add(time.Hour)}}
	for i := range 12 {
		t.Activity = append(t.Activity, abuse.ActivityEvent{Time: start.Add(time.Duration(i) * time.Minute), Kind: abuse.KeyCreated})
	}
	in := abuse.DetectorInput{Telemetry: t}

	fmt.Println("keyCreation:", abusetest.Check(keyCreation{threshold: 10}, in))
	err := abusetest.Check(firstOnly{keyCreation{threshold: 10}}, in)
	fmt.Println("firstOnly:", strings.SplitN(err.Error(), "\n", 2)[0])
	// Output:
	// keyCreation: <nil>
	// firstOnly: abusetest: key_creation: input 0: claims order independence, but shuffle 1 changes the findings (-original +shuffled):
}
