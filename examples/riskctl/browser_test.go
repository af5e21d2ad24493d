package main

import (
	"bytes"
	"errors"
	"io"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/riskkit/riskkit/examples"
	"github.com/riskkit/riskkit/risk"
)

// exampleBacktest backtests a checkout policy source on the example data
// in process, for the figures the pages must show.
func exampleBacktest(t *testing.T, src []byte) *risk.Report {
	t.Helper()
	e, err := risk.Compile(src, risk.CheckoutSchema())
	if err != nil {
		t.Fatal(err)
	}
	b, err := examples.Data("transactions.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	lines := newLineReader("transactions.jsonl", bytes.NewReader(b), stopOnError, &bytes.Buffer{}, "test")
	seq := func(yield func(risk.Labeled[risk.Checkout]) bool) {
		for _, l := range records(lines, decodeLabeledLine) {
			if !yield(l) {
				return
			}
		}
	}
	return e.Backtest(seq)
}

// pointCount is JavaScript counting the points of the chart with id.
func pointCount(id string) string {
	return `document.querySelectorAll("#` + id + ` .point").length`
}

func TestReportInBrowser(t *testing.T) {
	chromiumPath(t)
	path := filepath.Join(t.TempDir(), "report.html")
	if code, _, stderr := riskctl(t, "", "backtest", "-q", "-html", path, "-policy", "embedded:checkout.yaml", "embedded:transactions.jsonl"); code != 0 {
		t.Fatalf("backtest: exit %d\n%s", code, stderr)
	}
	src, _ := examples.Policy("checkout.yaml")
	rep := exampleBacktest(t, src)
	n := len(rep.Thresholds())

	b := openBrowser(t, "file://"+path)
	b.waitFor("the report to load", `document.readyState === "complete" && document.getElementById("report")`)
	for _, c := range []struct {
		chart string
		want  int
	}{
		{"chart-outcomes", len(rep.Outcomes)},
		{"chart-scores", 2 * binCount(rep)},
		{"chart-pr", n},
		{"chart-thresholds", 3 * n},
		{"chart-rules", len(rep.Rules)},
	} {
		var got int
		b.eval(pointCount(c.chart), &got)
		if got != c.want {
			t.Errorf("%s shows %d points, want %d", c.chart, got, c.want)
		}
		// Drawn, not just present: the browser laid the chart out.
		var w float64
		b.eval(`document.getElementById("`+c.chart+`").getBoundingClientRect().width`, &w)
		if w < 100 {
			t.Errorf("%s is %v pixels wide", c.chart, w)
		}
	}
	var markers int
	b.eval(`document.querySelectorAll("#chart-scores .marker").length`, &markers)
	if markers != len(rep.Bands) {
		t.Errorf("the score chart marks %d bands, want %d", markers, len(rep.Bands))
	}
	var precision string
	b.eval(`document.getElementById("fig-precision").textContent`, &precision)
	if want := pct(rep.Confusion.Precision()); precision != want {
		t.Errorf("precision shown %q, want %q", precision, want)
	}
	b.screenshot(screenshotDir(t), "report.png", 1280)
}

func TestWorkbenchInBrowser(t *testing.T) {
	chromiumPath(t)
	wb, err := newWorkbench(&env{stdin: strings.NewReader(""), stdout: io.Discard, stderr: io.Discard}, "embedded:checkout.yaml", "embedded:checkout_tests.yaml", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(wb)
	defer srv.Close()
	src, _ := examples.Policy("checkout.yaml")

	b := openBrowser(t, srv.URL+"/")
	b.waitFor("the first check", `document.body.dataset.checked >= 1`)
	var status string
	b.eval(`document.getElementById("status").textContent`, &status)
	if !strings.HasPrefix(status, "ok: checkout policy checkout") {
		t.Fatalf("status of the example policy: %q", status)
	}

	// A typo in a rule shows at its line and column, found by the engine.
	broken := strings.Replace(string(src), "payment.funding in", "payment.fundng in", 1)
	var ce *risk.DocumentError
	if _, err := risk.Compile([]byte(broken), risk.CheckoutSchema()); !errors.As(err, &ce) || ce.Issues[0].Line == 0 {
		t.Fatalf("the broken policy compiles or has no line: %v", err)
	}
	want := ce.Issues[0]
	typeInto(b, "policy", broken)
	b.waitFor("the problem to show", `document.querySelectorAll("#problems li").length > 0`)
	var shown struct {
		Line, Column int
		Text         string
		Bad          []int
	}
	b.eval(`(() => { const li = document.querySelector("#problems li");
		return {Line: +li.dataset.line, Column: +li.dataset.column, Text: li.textContent,
			Bad: [...document.querySelectorAll("#gutter .bad")].map(d => +d.dataset.line)}; })()`, &shown)
	if shown.Line != want.Line || shown.Column != want.Column || !strings.Contains(shown.Text, "fundng") {
		t.Errorf("problem shown at %d:%d %q, want %d:%d", shown.Line, shown.Column, shown.Text, want.Line, want.Column)
	}
	if !slices.Equal(shown.Bad, []int{want.Line}) {
		t.Errorf("gutter marks lines %v, want [%d]", shown.Bad, want.Line)
	}
	typeInto(b, "policy", string(src))
	b.waitFor("the problem to clear", `document.querySelectorAll("#problems li").length === 0 && document.getElementById("status").className === "ok"`)

	// The example's test cases pass.
	click(b, "run-tests")
	b.waitFor("the test results", `/passed/.test(document.getElementById("test-summary").textContent)`)
	var summary string
	b.eval(`document.getElementById("test-summary").textContent`, &summary)
	if !strings.HasSuffix(summary, " 0 failed") {
		t.Errorf("tests: %q", summary)
	}

	// A backtest draws the charts of the report for the data chosen.
	rep := exampleBacktest(t, src)
	backtest(t, b, 1, rep)

	// Lower bands flag more: a second run updates the figures.
	lower := strings.NewReplacer("{min_score: 80,", "{min_score: 60,", "{min_score: 50,", "{min_score: 25,", "{min_score: 30,", "{min_score: 10,").Replace(string(src))
	rep2 := exampleBacktest(t, []byte(lower))
	if rep2.Confusion == rep.Confusion {
		t.Fatal("lowering the bands changes nothing; the test needs a change")
	}
	typeInto(b, "policy", lower)
	b.eval(`document.getElementById("compare").value = "embedded:checkout.yaml"`, nil)
	backtest(t, b, 2, rep2)
	var changed string
	b.eval(`document.getElementById("fig-changed").textContent`, &changed)
	if n, _ := strconv.Atoi(changed); n == 0 {
		t.Errorf("comparison with the example shows %q changes", changed)
	}

	// Explaining one input shows its outcome and the rules that fired.
	data, _ := examples.Data("transactions.jsonl")
	first, _, _ := bytes.Cut(data, []byte("\n"))
	l, lerr := decodeLabeledLine(first)
	if lerr != nil {
		t.Fatal(lerr)
	}
	e2, _ := risk.Compile([]byte(lower), risk.CheckoutSchema())
	d := e2.Evaluate(&l.Input)
	input := string(first[strings.Index(string(first), `"input":`)+len(`"input":`) : len(first)-1])
	b.eval(`document.getElementById("input").value = `+jsString(input), nil)
	click(b, "explain")
	b.waitFor("the explanation", `/^outcome/.test(document.getElementById("explanation").textContent)`)
	var explanation string
	b.eval(`document.getElementById("explanation").textContent`, &explanation)
	if !strings.HasPrefix(explanation, "outcome "+string(d.Outcome)+" ") || (len(d.Hits) > 0 && !strings.Contains(explanation, d.Hits[0].RuleID)) {
		t.Errorf("explanation %q, decision %s", explanation, d.String())
	}
	b.screenshot(screenshotDir(t), "workbench.png", 1100)
}

// typeInto replaces a textarea's text as typing would, firing input.
func typeInto(b *browser, id, text string) {
	b.t.Helper()
	b.eval(`(() => { const ta = document.getElementById("`+id+`"); ta.value = `+jsString(text)+`;
		ta.dispatchEvent(new Event("input", {bubbles: true})); })()`, nil)
}

func click(b *browser, id string) {
	b.t.Helper()
	b.eval(`document.getElementById("`+id+`").click()`, nil)
}

// backtest runs the n-th backtest of the page and checks its figures and
// charts against rep.
func backtest(t *testing.T, b *browser, n int, rep *risk.Report) {
	t.Helper()
	b.eval(`document.getElementById("data").value = "embedded:transactions.jsonl"`, nil)
	click(b, "run-backtest")
	b.waitFor("backtest "+strconv.Itoa(n), `document.body.dataset.backtests == `+strconv.Itoa(n))
	var fig struct{ Inputs, Precision, Recall string }
	b.eval(`({Inputs: document.getElementById("fig-inputs").textContent,
		Precision: document.getElementById("fig-precision").textContent,
		Recall: document.getElementById("fig-recall").textContent})`, &fig)
	want := struct{ Inputs, Precision, Recall string }{strconv.Itoa(rep.Inputs), pct(rep.Confusion.Precision()), pct(rep.Confusion.Recall())}
	if fig != want {
		t.Errorf("backtest %d shows %+v, want %+v", n, fig, want)
	}
	var points int
	b.eval(pointCount("chart-pr"), &points)
	if points != len(rep.Thresholds()) {
		t.Errorf("backtest %d: precision-recall chart has %d points, want %d", n, points, len(rep.Thresholds()))
	}
}
