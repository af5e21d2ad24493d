package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/testing/ptest"
	"github.com/google/go-cmp/cmp"
	"github.com/riskkit/riskkit/abuse"
)

// sampleTelemetry is the example telemetry: 282 windows of 47
// subscriptions, miners and spammers among them.
const sampleTelemetry = "../data/telemetry.jsonl"

// TestAbusePipelineMatchesSequentialRun checks that the pipeline finds, per
// subscription, exactly what the Monitor finds when it is run over that
// subscription's windows one after another in one process, and counts
// them by category.
func TestAbusePipelineMatchesSequentialRun(t *testing.T) {
	dir := t.TempDir()
	c := abuseConfig{Input: sampleTelemetry, Findings: filepath.Join(dir, "findings.jsonl"), Summary: filepath.Join(dir, "summary.jsonl")}
	p, s := beam.NewPipelineWithRoot()
	if err := buildAbuse(s, c); err != nil {
		t.Fatal(err)
	}
	if err := ptest.Run(p); err != nil {
		t.Fatalf("pipeline: %v", err)
	}

	mon, bySub := sampleBySubscription(t)
	var want []string
	wantCounts := map[string]int{}
	for _, ws := range bySub {
		found, err := detectSubscription(mon, ws)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range found {
			b, err := json.Marshal(f)
			if err != nil {
				t.Fatal(err)
			}
			want = append(want, string(b))
			wantCounts[string(f.Category)]++
		}
	}
	got := readLines(t, c.Findings)
	slices.Sort(want)
	slices.Sort(got)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("findings (-sequential +pipeline):\n%s", diff)
	}
	if len(want) == 0 || len(wantCounts) < 2 {
		t.Fatalf("the sample gave %d findings in %d categories; the test needs several", len(want), len(wantCounts))
	}
	gotCounts := map[string]int{}
	for _, l := range readLines(t, c.Summary) {
		var sm struct {
			Category string `json:"category"`
			Findings int    `json:"findings"`
		}
		if err := json.Unmarshal([]byte(l), &sm); err != nil {
			t.Fatalf("summary %q: %v", l, err)
		}
		gotCounts[sm.Category] = sm.Findings
	}
	if diff := cmp.Diff(wantCounts, gotCounts); diff != "" {
		t.Errorf("findings per category (-sequential +pipeline):\n%s", diff)
	}
}

// TestDetectSubscriptionOrdersWindows checks that the order in which a
// group's windows arrive does not change what is found.
func TestDetectSubscriptionOrdersWindows(t *testing.T) {
	mon, bySub := sampleBySubscription(t)
	for sub, ws := range bySub {
		a, err := detectSubscription(mon, slices.Clone(ws))
		if err != nil {
			t.Fatal(err)
		}
		rev := slices.Clone(ws)
		slices.Reverse(rev)
		b, err := detectSubscription(mon, rev)
		if err != nil {
			t.Fatal(err)
		}
		ja, _ := json.Marshal(a)
		jb, _ := json.Marshal(b)
		if diff := cmp.Diff(string(ja), string(jb)); diff != "" {
			t.Errorf("%s: reversed windows find otherwise:\n%s", sub, diff)
		}
	}
}

// sampleBySubscription returns a Monitor and the sample telemetry's
// windows by subscription, read in one process.
func sampleBySubscription(t *testing.T) (*abuse.Monitor, map[string][]abuse.Telemetry) {
	t.Helper()
	data, err := os.ReadFile(sampleTelemetry)
	if err != nil {
		t.Fatal(err)
	}
	windows, err := abuse.ParseTelemetry(data)
	if err != nil {
		t.Fatal(err)
	}
	mon, err := abuse.New(abuse.Config{})
	if err != nil {
		t.Fatal(err)
	}
	bySub := map[string][]abuse.Telemetry{}
	for _, w := range windows {
		bySub[w.Subscription] = append(bySub[w.Subscription], w)
	}
	return mon, bySub
}

func readLines(t *testing.T, glob string) []string {
	t.Helper()
	files, err := filepath.Glob(glob + "*")
	if err != nil || len(files) == 0 {
		t.Fatalf("no output at %s (%v)", glob, err)
	}
	var out []string
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for l := range strings.Lines(string(b)) {
			if l = strings.TrimSpace(l); l != "" {
				out = append(out, l)
			}
		}
	}
	return out
}
