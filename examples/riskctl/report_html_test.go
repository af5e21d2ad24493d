package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/riskkit/riskkit/risk"
)

// backtestHTML runs backtest -html and -json on the same data and returns
// the page and the report.
func backtestHTML(t *testing.T, args ...string) (page string, rep reportJSON) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "report.html")
	args = append([]string{"backtest", "-json", "-html", path}, args...)
	code, stdout, stderr := riskctl(t, "", args...)
	if code != 0 {
		t.Fatalf("riskctl %v: exit %d\n%s", args, code, stderr)
	}
	rep.Report = new(risk.Report)
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatal(err)
	}
	return readFile(t, path), rep
}

// countIn counts the chart points (class="point") inside the svg with id.
func countIn(t *testing.T, page, id string) int {
	t.Helper()
	i := strings.Index(page, `id="`+id+`"`)
	if i < 0 {
		t.Fatalf("no chart %s", id)
	}
	svg := page[i:]
	svg = svg[:strings.Index(svg, "</svg>")]
	return strings.Count(svg, `class="point"`)
}

func TestBacktestHTML(t *testing.T) {
	page, rep := backtestHTML(t, "-policy", "testdata/policy_v2.yaml", "-compare", "testdata/policy.yaml", "testdata/labeled.jsonl")
	thresholds := len(rep.Report.Thresholds())
	if thresholds < 2 {
		t.Fatalf("only %d thresholds in the fixture", thresholds)
	}
	for _, c := range []struct {
		chart string
		want  int
	}{
		{"chart-outcomes", len(rep.Outcomes)},
		{"chart-scores", 2 * binCount(rep.Report)},
		{"chart-pr", thresholds},
		{"chart-thresholds", 3 * thresholds},
		{"chart-rules", len(rep.Rules)},
	} {
		if got := countIn(t, page, c.chart); got != c.want {
			t.Errorf("%s has %d points, want %d", c.chart, got, c.want)
		}
	}
	for _, want := range []string{
		"Backtest of policy fixture version 2",
		`<b id="fig-precision">` + pct(rep.Precision) + `</b>`,
		`<b id="fig-changed">` + strconv.Itoa(rep.Compare.Changed) + `</b>`,
		"Compared with policy fixture version 1",
		`class="marker" data-x="50"`, // the review band
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the page does not contain %q", want)
		}
	}
	if rep.Compare.Changed == 0 {
		t.Error("the fixture policies make no change; the comparison is untested")
	}
}

// TestBacktestHTMLSelfContained checks that the report needs nothing
// from the network and that the same report is the same bytes.
func TestBacktestHTMLSelfContained(t *testing.T) {
	args := []string{"-policy", "embedded:checkout.yaml", "embedded:transactions.jsonl"}
	page, _ := backtestHTML(t, args...)
	again, _ := backtestHTML(t, args...)
	if page != again {
		t.Error("two runs on the same data wrote different pages")
	}
	// The only URL is the SVG namespace, which browsers never fetch.
	urls := regexp.MustCompile(`(?i)(https?:)?//[a-z0-9.-]+\.[a-z]{2,}[^"' )]*`).FindAllString(page, -1)
	for _, u := range urls {
		if u != "http://www.w3.org/2000/svg" {
			t.Errorf("the page refers to %s", u)
		}
	}
	for _, bad := range []string{"<script", "<link", "url(", "@import", "<img"} {
		if strings.Contains(strings.ToLower(page), bad) {
			t.Errorf("the page contains %s", bad)
		}
	}
}

func TestBacktestWorkersFlag(t *testing.T) {
	args := func(workers string) []string {
		return []string{"backtest", "-json", "-workers", workers, "-policy", "embedded:checkout.yaml", "embedded:transactions.jsonl"}
	}
	_, one, _ := riskctl(t, "", args("1")...)
	_, two, _ := riskctl(t, "", args("3")...)
	if one != two || !strings.Contains(one, `"inputs":3000`) {
		t.Errorf("-workers 1 and 3 differ or read no data:\n%.300s\n%.300s", one, two)
	}
	if _, err := os.Stat("report.html"); err == nil {
		t.Error("a backtest without -html wrote report.html")
	}
}

func binCount(rep *risk.Report) int {
	_, bins := scoreBins(rep.Scores)
	return len(bins)
}

func TestScoreBins(t *testing.T) {
	for _, tt := range []struct {
		name   string
		scores []risk.ScoreCount
		width  int64
		bins   []risk.ScoreCount
	}{
		{"few scores keep their own bars", []risk.ScoreCount{{Score: -5, Fraud: 1}, {Score: 0, Legitimate: 2}, {Score: 30, Fraud: 1}}, 1,
			[]risk.ScoreCount{{Score: -5, Fraud: 1}, {Score: 0, Legitimate: 2}, {Score: 30, Fraud: 1}}},
		{"a wide range is binned, negative scores floored", []risk.ScoreCount{{Score: -61, Legitimate: 1}, {Score: -55, Legitimate: 2},
			{Score: 0, Fraud: 1}, {Score: 9, Fraud: 2}, {Score: 310, Fraud: 3}}, 10,
			[]risk.ScoreCount{{Score: -70, Legitimate: 1}, {Score: -60, Legitimate: 2}, {Score: 0, Fraud: 3}, {Score: 310, Fraud: 3}}},
		{"no scores", nil, 1, nil},
	} {
		width, bins := scoreBins(tt.scores)
		if width != tt.width {
			t.Errorf("%s: width %d, want %d", tt.name, width, tt.width)
		}
		if diff := cmp.Diff(tt.bins, bins); diff != "" {
			t.Errorf("%s: bins (-want +got):\n%s", tt.name, diff)
		}
	}
}
