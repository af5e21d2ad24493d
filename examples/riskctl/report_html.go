package main

// backtest -html writes a backtest report as one self-contained HTML file:
// the styles are inline and the charts are SVG drawn by
// examples/internal/svgchart, so the file opens anywhere, offline, and
// draws the same bytes for the same report. The workbench (serve) shows
// the same fragment.

import (
	"bytes"
	"cmp"
	_ "embed"
	"flag"
	"fmt"
	"html/template"
	"os"
	"slices"

	"github.com/riskkit/riskkit/examples/internal/svgchart"
	"github.com/riskkit/riskkit/risk"
)

//go:embed web/style.css
var styleCSS string

//go:embed web/report.html
var reportTemplate string

var reportTmpl = template.Must(template.New("report").Funcs(template.FuncMap{
	"pct":   pct,
	"share": share,
	"css":   func() template.CSS { return template.CSS(styleCSS) },
}).Parse(reportTemplate))

// maxChangesHTML bounds the changed inputs a report lists; the JSON
// output lists them all.
const maxChangesHTML = 200

// reportView is what the report template shows.
type reportView struct {
	Rep        *risk.Report
	Skipped    int
	Rules      []ruleJSON
	Thresholds []risk.Threshold
	Bands      []bandView
	Charts     struct{ Outcomes, Scores, PR, Thresholds, Rules template.HTML }
	Cmp        *comparisonView
}

// bandView is a policy band with how its threshold alone would do.
type bandView struct {
	risk.Band
	At risk.Confusion // flagging every score at or above MinScore
}

type comparisonView struct {
	*comparison
	Transitions []risk.Transition
	Shown       []risk.Change
}

// newReportView lays out a report, with c (may be nil) comparing it with
// another policy.
func newReportView(rep *risk.Report, skipped int, c *comparison) *reportView {
	v := &reportView{Rep: rep, Skipped: skipped, Rules: backtestJSON(rep, skipped, nil).Rules, Thresholds: rep.Thresholds()}
	for _, b := range rep.Bands {
		v.Bands = append(v.Bands, bandView{Band: b, At: confusionAt(v.Thresholds, b.MinScore)})
	}
	v.Charts.Outcomes = outcomeChart(rep)
	v.Charts.Scores = scoreChart(rep)
	v.Charts.PR = prChart(rep, v.Thresholds)
	v.Charts.Thresholds = thresholdChart(rep, v.Thresholds)
	v.Charts.Rules = ruleChart(rep)
	if c != nil {
		cv := &comparisonView{comparison: c, Shown: c.Changes[:min(len(c.Changes), maxChangesHTML)]}
		counts := map[[2]risk.Outcome]*risk.Transition{}
		for _, ch := range c.Changes {
			k := [2]risk.Outcome{ch.Before, ch.After}
			t := counts[k]
			if t == nil {
				t = &risk.Transition{Before: ch.Before, After: ch.After}
				counts[k] = t
			}
			if ch.Fraud {
				t.Fraud++
			} else {
				t.Legitimate++
			}
		}
		for _, t := range counts {
			cv.Transitions = append(cv.Transitions, *t)
		}
		slices.SortFunc(cv.Transitions, func(a, b risk.Transition) int {
			return cmp.Or(cmp.Compare(b.Fraud+b.Legitimate, a.Fraud+a.Legitimate), cmp.Compare(a.Before, b.Before), cmp.Compare(a.After, b.After))
		})
		v.Cmp = cv
	}
	return v
}

// confusionAt is the confusion matrix of flagging every score at or above
// min: that of the lowest threshold at or above it, since no decision
// scored in between.
func confusionAt(ts []risk.Threshold, min int64) risk.Confusion {
	for _, t := range ts {
		if t.MinScore >= min {
			return t.Confusion
		}
	}
	if len(ts) > 0 {
		return ts[len(ts)-1].Confusion
	}
	return risk.Confusion{}
}

func bandMarkers(rep *risk.Report) []svgchart.Marker {
	var ms []svgchart.Marker
	for _, b := range rep.Bands {
		ms = append(ms, svgchart.Marker{X: float64(b.MinScore), Label: fmt.Sprintf("%s ≥ %d", b.Outcome, b.MinScore)})
	}
	return ms
}

func outcomeChart(rep *risk.Report) template.HTML {
	var bars []svgchart.HBar
	for _, o := range rep.Outcomes {
		bars = append(bars, svgchart.HBar{Label: string(o.Outcome), Value: float64(o.Count),
			Note: fmt.Sprintf("%d (%s)", o.Count, share(o.Count, rep.Inputs))})
	}
	return template.HTML(svgchart.HBars("chart-outcomes", "Outcome mix", bars))
}

// maxScoreBins bounds the bars of the score distribution; a policy's
// scores take a few hundred distinct values at most.
const maxScoreBins = 40

// scoreBins groups a score histogram into bins of a round width, so that
// few enough bars are drawn to be seen; each bin's Score is its lowest.
func scoreBins(scores []risk.ScoreCount) (width int64, bins []risk.ScoreCount) {
	if len(scores) == 0 {
		return 1, nil
	}
	lo, hi := scores[0].Score, scores[len(scores)-1].Score
	width = 1
	for _, w := range []int64{1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000} {
		width = w
		if (hi-lo)/w < maxScoreBins {
			break
		}
	}
	for width > 1 && (hi-lo)/width >= maxScoreBins {
		width *= 10
	}
	for _, s := range scores {
		start := s.Score - ((s.Score%width)+width)%width // floor, for negative scores too
		if n := len(bins); n > 0 && bins[n-1].Score == start {
			bins[n-1].Fraud += s.Fraud
			bins[n-1].Legitimate += s.Legitimate
			continue
		}
		bins = append(bins, risk.ScoreCount{Score: start, Fraud: s.Fraud, Legitimate: s.Legitimate})
	}
	return width, bins
}

// scoreChart shows each label's scores as shares of that label, so that
// a few hundred fraud cases and thousands of legitimate ones compare.
func scoreChart(rep *risk.Report) template.HTML {
	fraud := svgchart.Series{Name: "fraud", Color: "#dc2626"}
	legit := svgchart.Series{Name: "legitimate", Color: "#2563eb"}
	nf, nl := rep.Fraud, rep.Inputs-rep.Fraud
	width, bins := scoreBins(rep.Scores)
	for _, s := range bins {
		x := float64(s.Score) + float64(width-1)/2
		span := fmt.Sprintf("score %d", s.Score)
		if width > 1 {
			span = fmt.Sprintf("scores %d to %d", s.Score, s.Score+width-1)
		}
		fraud.Points = append(fraud.Points, svgchart.Point{X: x, Y: ratioOf(s.Fraud, nf), Label: fmt.Sprintf("%s, %d of %d", span, s.Fraud, nf)})
		legit.Points = append(legit.Points, svgchart.Point{X: x, Y: ratioOf(s.Legitimate, nl), Label: fmt.Sprintf("%s, %d of %d", span, s.Legitimate, nl)})
	}
	title := "Score distribution by label"
	if width > 1 {
		title += fmt.Sprintf(" (bins of %d)", width)
	}
	c := svgchart.Chart{ID: "chart-scores", Title: title, XLabel: "total score", YLabel: "share of label",
		Kind: svgchart.Bars, YPercent: true, Series: []svgchart.Series{fraud, legit}, Markers: bandMarkers(rep)}
	return template.HTML(c.SVG())
}

func prChart(rep *risk.Report, ts []risk.Threshold) template.HTML {
	s := svgchart.Series{Name: "by score threshold"}
	for _, t := range ts {
		s.Points = append(s.Points, svgchart.Point{X: t.Confusion.Recall(), Y: t.Confusion.Precision(),
			Label: fmt.Sprintf("score ≥ %d: recall %s", t.MinScore, pct(t.Confusion.Recall()))})
	}
	var ms []svgchart.Marker
	for _, b := range rep.Bands {
		ms = append(ms, svgchart.Marker{X: confusionAt(ts, b.MinScore).Recall(), Label: string(b.Outcome)})
	}
	c := svgchart.Chart{ID: "chart-pr", Title: "Precision and recall", XLabel: "recall", YLabel: "precision",
		XRange: &[2]float64{0, 1}, YRange: &[2]float64{0, 1}, YPercent: true, Series: []svgchart.Series{s}, Markers: ms}
	return template.HTML(c.SVG())
}

func thresholdChart(rep *risk.Report, ts []risk.Threshold) template.HTML {
	p := svgchart.Series{Name: "precision", Color: "#16a34a"}
	r := svgchart.Series{Name: "recall", Color: "#dc2626"}
	f := svgchart.Series{Name: "false positive rate", Color: "#9333ea"}
	for _, t := range ts {
		x := float64(t.MinScore)
		p.Points = append(p.Points, svgchart.Point{X: x, Y: t.Confusion.Precision()})
		r.Points = append(r.Points, svgchart.Point{X: x, Y: t.Confusion.Recall()})
		f.Points = append(f.Points, svgchart.Point{X: x, Y: t.Confusion.FalsePositiveRate()})
	}
	c := svgchart.Chart{ID: "chart-thresholds", Title: "Flagging every score at or above a threshold", XLabel: "minimum score",
		YLabel: "rate", YRange: &[2]float64{0, 1}, YPercent: true, Series: []svgchart.Series{p, r, f}, Markers: bandMarkers(rep)}
	return template.HTML(c.SVG())
}

func ruleChart(rep *risk.Report) template.HTML {
	var bars []svgchart.HBar
	for _, s := range rep.Rules {
		label := s.RuleID
		if s.Shadow {
			label += " (shadow)"
		}
		note := fmt.Sprintf("%d hits", s.Hits)
		if s.Hits > 0 {
			note += ", precision " + pct(s.Precision())
		}
		bars = append(bars, svgchart.HBar{Label: label, Value: float64(s.Hits), Note: note})
	}
	return template.HTML(svgchart.HBars("chart-rules", "Hits per rule", bars))
}

func ratioOf(n, of int) float64 {
	if of == 0 {
		return 0
	}
	return float64(n) / float64(of)
}

// renderReport renders the report page, or with fragment only its body,
// which the workbench places in its own page.
func renderReport(v *reportView, fragment bool) ([]byte, error) {
	var b bytes.Buffer
	name := "page"
	if fragment {
		name = "body"
	}
	if err := reportTmpl.ExecuteTemplate(&b, name, v); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// writeHTMLReport writes the report page to path.
func writeHTMLReport(path string, rep *risk.Report, skipped int, c *comparison) error {
	b, err := renderReport(newReportView(rep, skipped, c), false)
	if err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o644)
}

// htmlOutput is backtest's -html output.
func htmlOutput(fs *flag.FlagSet) func(*env, *backtestResult) (bool, error) {
	path := fs.String("html", "", "also write the report, with charts, as one self-contained HTML `file`")
	return func(_ *env, res *backtestResult) (bool, error) {
		if *path == "" {
			return false, nil
		}
		// The tables or JSON are written too.
		return false, writeHTMLReport(*path, res.Report, res.Skipped, res.Compare)
	}
}
