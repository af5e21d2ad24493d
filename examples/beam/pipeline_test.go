package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/testing/ptest"
	"github.com/google/go-cmp/cmp"
	"github.com/riskkit/riskkit/examples"
	"github.com/riskkit/riskkit/risk"
)

// The tests run the pipeline on Prism, Beam's in-process runner, unless
// -runner says otherwise.
func TestMain(m *testing.M) { ptest.Main(m) }

// sampleData is the example data set, read from the repository relative to
// this module, as the pipeline reads files.
const sampleData = "../data/transactions.jsonl"

func readLabeled(t *testing.T) []risk.Labeled[risk.Checkout] {
	t.Helper()
	b, err := os.ReadFile(sampleData)
	if err != nil {
		t.Fatal(err)
	}
	var out []risk.Labeled[risk.Checkout]
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var l risk.Labeled[risk.Checkout]
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatal(err)
		}
		out = append(out, l)
	}
	return out
}

// policies returns the example checkout policy and a stricter version of
// it, whose bands start lower, as the baseline.
func policies(t *testing.T) (policy, baseline []byte) {
	t.Helper()
	policy, err := examples.Policy("checkout.yaml")
	if err != nil {
		t.Fatal(err)
	}
	s := strings.NewReplacer("{min_score: 80,", "{min_score: 65,", "{min_score: 50,", "{min_score: 35,",
		"{min_score: 30,", "{min_score: 15,").Replace(string(policy))
	s = strings.Replace(s, `version: "`, `version: "strict-`, 1)
	if s == string(policy) {
		t.Fatal("the baseline is the policy itself")
	}
	return policy, []byte(s)
}

func TestPipelineMatchesInProcessBacktest(t *testing.T) {
	policy, base := policies(t)
	dir := t.TempDir()
	c := config{Input: sampleData, Policy: policy, Baseline: base,
		Report: filepath.Join(dir, "report.json"), Changes: filepath.Join(dir, "changes.jsonl")}
	p, s := beam.NewPipelineWithRoot()
	if err := buildBacktest(s, c); err != nil {
		t.Fatal(err)
	}
	if err := ptest.Run(p); err != nil {
		t.Fatalf("pipeline: %v", err)
	}

	e, err := risk.Compile(policy, risk.CheckoutSchema())
	if err != nil {
		t.Fatal(err)
	}
	b, err := risk.Compile(base, risk.CheckoutSchema())
	if err != nil {
		t.Fatal(err)
	}
	data := readLabeled(t)
	want := e.BacktestWith(slices.Values(data), risk.BacktestOptions[risk.Checkout]{Baseline: b})
	out, err := os.ReadFile(c.Report)
	if err != nil {
		t.Fatal(err)
	}
	var got risk.Report
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("report %s: %v", out, err)
	}
	if diff := cmp.Diff(want, &got); diff != "" {
		t.Errorf("report (-in process +pipeline):\n%s", diff)
	}
	if got.Inputs != len(data) || got.Compare.Changed() == 0 {
		t.Errorf("the pipeline scored %d of %d inputs with %d changes", got.Inputs, len(data), got.Compare.Changed())
	}

	wantChanges := risk.Compare(b, e, slices.Values(data))
	out, err = os.ReadFile(c.Changes)
	if err != nil {
		t.Fatal(err)
	}
	var gotChanges []risk.Change
	for line := range strings.Lines(string(out)) {
		var ch risk.Change
		if err := json.Unmarshal([]byte(line), &ch); err != nil {
			t.Fatalf("change %q: %v", line, err)
		}
		gotChanges = append(gotChanges, ch)
	}
	// Workers write changes in no particular order.
	byID := func(a, b risk.Change) int { return strings.Compare(a.ID, b.ID) }
	slices.SortFunc(wantChanges, byID)
	slices.SortFunc(gotChanges, byID)
	if diff := cmp.Diff(wantChanges, gotChanges); diff != "" {
		t.Errorf("changes (-in process +pipeline):\n%s", diff)
	}
}

func TestPipelineRefusesBadConfig(t *testing.T) {
	policy, _ := policies(t)
	broken := []byte(strings.Replace(string(policy), "payment.funding", "payment.fundng", 1))
	for _, tt := range []struct {
		name string
		c    config
		want string
	}{
		{"policy that does not compile", config{Input: sampleData, Policy: broken, Report: "r"}, "fundng"},
		{"baseline that does not compile", config{Input: sampleData, Policy: policy, Baseline: broken, Report: "r"}, "baseline"},
		{"unknown flagged outcome", config{Input: sampleData, Policy: policy, Flagged: []risk.Outcome{"block"}, Report: "r"}, `"block"`},
		{"changes without a baseline", config{Input: sampleData, Policy: policy, Report: "r", Changes: "c"}, "baseline"},
	} {
		_, s := beam.NewPipelineWithRoot()
		err := buildBacktest(s, tt.c)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want one mentioning %s", tt.name, err, tt.want)
		}
		var ce *risk.DocumentError
		if tt.want == "fundng" && (!errors.As(err, &ce) || ce.Issues[0].Line == 0) {
			t.Errorf("%s: %v is not a compile error with a line", tt.name, err)
		}
	}
}
