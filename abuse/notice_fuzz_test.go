package abuse_test

import (
	"encoding/json"
	"errors"
	"maps"
	"slices"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"
	"github.com/riskkit/riskkit/abuse"
	"github.com/riskkit/riskkit/risk"
)

// FuzzParseNotices checks that the decoders never panic, that they reject
// with located problems or accept only valid notices, and that what they
// accept survives a JSON round trip of the model. Seeds are every
// documented example, each under every source.
func FuzzParseNotices(f *testing.F) {
	for _, name := range slices.Sorted(maps.Keys(noticeDocs)) {
		for i := range abuse.NoticeSources() {
			f.Add(uint8(i), noticeDoc(f, name))
		}
	}
	f.Add(uint8(0), []byte(`[{"EventId":"e","SubscriptionId":"s","EventTime":"2023-05-16T08:00:00","activityLogs":"[{\"statusTo\":\"Resolved\"}]"}]`))
	f.Add(uint8(1), []byte(`{"value":[{"id":"a","subscriptionId":"s","detectedDateTime":"9999-12-31T23:59:59.997"}]}`))
	f.Add(uint8(0), []byte(`[{"eventId":"e","subscriptionId":"s","eventTime":"2023-05-16","hitCount":1e3,"isTest":1}]`))
	f.Add(uint8(3), []byte(`{"items":[{"id":"x","operationDate":"2023-05-16T08:00:00Z","customizedData":"[{\"key\":\"a\"}]"}]}`))
	f.Add(uint8(2), []byte(`[{"EventName":"test-created","ResourceUri":"%zz","ResourceChangeUtcDate":"2023-05-16T08:00:00Z"}]`))
	f.Add(uint8(0), []byte(`[{"eventId":"e",}]`))
	f.Add(uint8(0), []byte(`{"source":"webhook","body":{"EventName":"x","ResourceChangeUtcDate":"2026-11-16T09:00:00Z"}}`+"\n"+`{"source":"x","body":1}`))
	f.Fuzz(func(t *testing.T, which uint8, data []byte) {
		// The same body as a notices file line: it decodes the same, or
		// fails with located problems.
		if file, err := abuse.ParseNoticeFile(data); err != nil {
			var ne *risk.DocumentError
			if !errors.As(err, &ne) || len(ne.Issues) == 0 || file != nil || !errors.Is(err, abuse.ErrInvalidNotice) {
				t.Fatalf("notices file: %v (%T), %d notices", err, err, len(file))
			}
		}
		srcs := abuse.NoticeSources()
		src := srcs[int(which)%len(srcs)]
		ns, err := abuse.ParseNotices(src, data)
		if err != nil {
			var ne *risk.DocumentError
			if !errors.As(err, &ne) || !errors.Is(err, abuse.ErrInvalidNotice) {
				t.Fatalf("error %v is not a *risk.DocumentError wrapping ErrInvalidNotice", err)
			}
			if len(ne.Issues) == 0 {
				t.Fatal("a DocumentError without problems")
			}
			for _, p := range ne.Issues {
				if p.Line < 1 || p.Column < 1 || p.Msg == "" {
					t.Fatalf("problem %+v is not located", p)
				}
			}
			if ns != nil {
				t.Fatal("notices returned with an error")
			}
			return
		}
		for i := range ns {
			n := &ns[i]
			if n.Source != src {
				t.Fatalf("source %q, decoded as %q", n.Source, src)
			}
			if err := n.Validate(); err != nil {
				t.Fatalf("accepted an invalid notice: %v", err)
			}
			b, err := json.Marshal(n)
			if err != nil {
				t.Fatal(err)
			}
			var back abuse.Notice
			if err := json.Unmarshal(b, &back); err != nil {
				t.Fatalf("round trip: %v\n%s", err, b)
			}
			if diff := gocmp.Diff(*n, back, ignoreRaw); diff != "" {
				t.Fatalf("round trip (-want +got):\n%s", diff)
			}
		}
	})
}
