// Package svgchart draws the few charts riskkit's reports need (lines,
// grouped bars, horizontal bars) as inline SVG, with no dependency and
// byte-for-byte deterministic output, so that a report is one
// self-contained file and its charts can be tested as text.
//
// Every chart element carries data-* attributes naming its series and
// point, and a <title> with its values, which browsers show on hover and
// tests can count.
package svgchart

import (
	"fmt"
	"html"
	"math"
	"strconv"
	"strings"
)

// Palette is the colours series take in order when they name none.
var Palette = []string{"#2563eb", "#dc2626", "#16a34a", "#9333ea", "#ea580c", "#0891b2"}

// Point is one value of a series.
type Point struct {
	X, Y float64
	// Label, if set, names the point in its tooltip instead of its X.
	Label string
}

// Series is one named sequence of points.
type Series struct {
	Name   string
	Color  string // default: from Palette
	Points []Point
}

// Marker is a vertical line at X across a chart, such as a score band's
// minimum.
type Marker struct {
	X     float64
	Label string
}

// Kind is how a chart draws its series.
type Kind int

const (
	// Lines joins each series' points with a line and marks each point.
	Lines Kind = iota
	// Bars draws each point as a bar rising from zero, the series' bars
	// side by side at each X.
	Bars
)

// Chart is an XY chart. Its zero value is an empty line chart of the
// default size.
type Chart struct {
	ID            string // the svg element's id
	Title         string
	XLabel        string
	YLabel        string
	Width, Height int // default 560 by 300
	Kind          Kind
	Series        []Series
	Markers       []Marker
	// XRange and YRange fix an axis's extent; nil fits the data. Y always
	// includes zero.
	XRange, YRange *[2]float64
	// YPercent formats Y ticks as percentages of 1.
	YPercent bool
}

const (
	marginLeft   = 56
	marginRight  = 16
	marginTop    = 44 // the title, then the legend
	marginBottom = 44
)

// SVG returns the chart as an svg element.
func (c *Chart) SVG() string {
	w, h := c.Width, c.Height
	if w == 0 {
		w = 560
	}
	if h == 0 {
		h = 300
	}
	xmin, xmax, ymin, ymax := c.extent()
	pw, ph := float64(w-marginLeft-marginRight), float64(h-marginTop-marginBottom)
	sx := func(x float64) float64 { return marginLeft + (x-xmin)/(xmax-xmin)*pw }
	sy := func(y float64) float64 { return marginTop + ph - (y-ymin)/(ymax-ymin)*ph }

	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 %d %d" width="%d" height="%d" role="img"`, w, h, w, h)
	if c.ID != "" {
		fmt.Fprintf(&b, ` id="%s"`, esc(c.ID))
	}
	fmt.Fprintf(&b, ` aria-label="%s">`, esc(c.Title))
	fmt.Fprintf(&b, `<text x="%d" y="18" class="title" font-size="14" font-weight="600">%s</text>`, marginLeft, esc(c.Title))

	// Axes and ticks.
	fmt.Fprintf(&b, `<g class="axes" stroke="#9ca3af" font-size="11" fill="#374151">`)
	fmt.Fprintf(&b, `<line x1="%s" y1="%s" x2="%s" y2="%s"/>`, f(sx(xmin)), f(sy(ymin)), f(sx(xmax)), f(sy(ymin)))
	fmt.Fprintf(&b, `<line x1="%s" y1="%s" x2="%s" y2="%s"/>`, f(sx(xmin)), f(sy(ymin)), f(sx(xmin)), f(sy(ymax)))
	for _, t := range ticks(ymin, ymax, 5) {
		fmt.Fprintf(&b, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#e5e7eb"/>`, f(sx(xmin)), f(sy(t)), f(sx(xmax)), f(sy(t)))
		fmt.Fprintf(&b, `<text x="%d" y="%s" text-anchor="end" stroke="none">%s</text>`, marginLeft-6, f(sy(t)+4), esc(c.yTick(t)))
	}
	for _, t := range ticks(xmin, xmax, 8) {
		fmt.Fprintf(&b, `<text x="%s" y="%s" text-anchor="middle" stroke="none">%s</text>`, f(sx(t)), f(sy(ymin)+16), esc(num(t)))
	}
	fmt.Fprintf(&b, `<text x="%s" y="%d" text-anchor="middle" stroke="none">%s</text>`, f(marginLeft+pw/2), h-6, esc(c.XLabel))
	fmt.Fprintf(&b, `<text x="12" y="%s" text-anchor="middle" stroke="none" transform="rotate(-90 12 %s)">%s</text>`,
		f(marginTop+ph/2), f(marginTop+ph/2), esc(c.YLabel))
	b.WriteString(`</g>`)

	for i, m := range c.Markers {
		if m.X < xmin || m.X > xmax {
			continue
		}
		fmt.Fprintf(&b, `<g class="marker" data-x="%s"><line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#6b7280" stroke-dasharray="4 3"/>`,
			esc(num(m.X)), f(sx(m.X)), f(sy(ymin)), f(sx(m.X)), f(sy(ymax)))
		// Labels step down so that close markers stay legible.
		fmt.Fprintf(&b, `<text x="%s" y="%d" font-size="10" fill="#374151">%s</text></g>`, f(sx(m.X)+3), marginTop+10+11*(i%4), esc(m.Label))
	}

	switch c.Kind {
	case Bars:
		c.bars(&b, sx, sy, xmin, xmax, ymin, pw)
	default:
		c.lines(&b, sx, sy)
	}

	// Legend, under the title.
	x := float64(marginLeft)
	for i, s := range c.Series {
		fmt.Fprintf(&b, `<g class="legend"><rect x="%s" y="26" width="9" height="9" fill="%s"/><text x="%s" y="35" font-size="11">%s</text></g>`,
			f(x), c.color(i), f(x+12), esc(s.Name))
		x += float64(24 + 6*len(s.Name))
	}
	b.WriteString(`</svg>`)
	return b.String()
}

func (c *Chart) lines(b *strings.Builder, sx, sy func(float64) float64) {
	for i, s := range c.Series {
		col := c.color(i)
		fmt.Fprintf(b, `<g class="series" data-series="%s" data-points="%d">`, esc(s.Name), len(s.Points))
		pts := make([]string, len(s.Points))
		for j, p := range s.Points {
			pts[j] = f(sx(p.X)) + "," + f(sy(p.Y))
		}
		fmt.Fprintf(b, `<polyline fill="none" stroke="%s" stroke-width="2" points="%s"/>`, col, strings.Join(pts, " "))
		for _, p := range s.Points {
			fmt.Fprintf(b, `<circle class="point" cx="%s" cy="%s" r="2.5" fill="%s"><title>%s</title></circle>`,
				f(sx(p.X)), f(sy(p.Y)), col, esc(c.tooltip(s, p)))
		}
		b.WriteString(`</g>`)
	}
}

func (c *Chart) bars(b *strings.Builder, sx, sy func(float64) float64, xmin, xmax, ymin, pw float64) {
	// Bars are as wide as the closest two Xs allow, shared by the series.
	gap := xmax - xmin
	var xs []float64
	for _, s := range c.Series {
		for _, p := range s.Points {
			xs = append(xs, p.X)
		}
	}
	for i := range xs {
		for j := range i {
			if d := math.Abs(xs[i] - xs[j]); d > 0 && d < gap {
				gap = d
			}
		}
	}
	group := math.Min(gap/(xmax-xmin)*pw*0.8, 40)
	n := max(len(c.Series), 1)
	bw := group / float64(n)
	for i, s := range c.Series {
		col := c.color(i)
		fmt.Fprintf(b, `<g class="series" data-series="%s" data-points="%d">`, esc(s.Name), len(s.Points))
		for _, p := range s.Points {
			x := sx(p.X) - group/2 + float64(i)*bw
			y0, y1 := sy(ymin), sy(p.Y)
			fmt.Fprintf(b, `<rect class="point" x="%s" y="%s" width="%s" height="%s" fill="%s" fill-opacity="0.8"><title>%s</title></rect>`,
				f(x), f(math.Min(y0, y1)), f(math.Max(bw-0.5, 0.5)), f(math.Abs(y0-y1)), col, esc(c.tooltip(s, p)))
		}
		b.WriteString(`</g>`)
	}
}

func (c *Chart) tooltip(s Series, p Point) string {
	x := p.Label
	if x == "" {
		x = c.XLabel + " " + num(p.X)
	}
	return fmt.Sprintf("%s: %s, %s %s", s.Name, x, c.YLabel, c.yTick(p.Y))
}

func (c *Chart) yTick(y float64) string {
	if c.YPercent {
		return num(math.Round(y*1000)/10) + "%"
	}
	return num(y)
}

func (c *Chart) color(i int) string {
	if c.Series[i].Color != "" {
		return c.Series[i].Color
	}
	return Palette[i%len(Palette)]
}

// extent returns the ranges of the axes, widened where the data is a
// single value so that no scale divides by zero.
func (c *Chart) extent() (xmin, xmax, ymin, ymax float64) {
	xmin, xmax = math.Inf(1), math.Inf(-1)
	ymin, ymax = 0, 0
	for _, s := range c.Series {
		for _, p := range s.Points {
			xmin, xmax = math.Min(xmin, p.X), math.Max(xmax, p.X)
			ymin, ymax = math.Min(ymin, p.Y), math.Max(ymax, p.Y)
		}
	}
	for _, m := range c.Markers {
		xmin, xmax = math.Min(xmin, m.X), math.Max(xmax, m.X)
	}
	if math.IsInf(xmin, 1) {
		xmin, xmax = 0, 1
	}
	if c.Kind == Bars {
		// Room for the outermost bars.
		pad := math.Max((xmax-xmin)*0.04, 0.5)
		xmin, xmax = xmin-pad, xmax+pad
	}
	if c.XRange != nil {
		xmin, xmax = c.XRange[0], c.XRange[1]
	}
	if c.YRange != nil {
		ymin, ymax = c.YRange[0], c.YRange[1]
	}
	if xmax <= xmin {
		xmin, xmax = xmin-1, xmin+1
	}
	if ymax <= ymin {
		ymax = ymin + 1
	}
	return xmin, xmax, ymin, ymax
}

// ticks returns about n round values between lo and hi.
func ticks(lo, hi float64, n int) []float64 {
	step := math.Pow(10, math.Floor(math.Log10((hi-lo)/float64(n))))
	for _, m := range []float64{1, 2, 5, 10} {
		if (hi-lo)/(step*m) <= float64(n) {
			step *= m
			break
		}
	}
	// Multiples of the step are computed from integers, so that 0.6 is
	// not 0.6000000000000001.
	var out []float64
	for k := math.Ceil(lo/step - 1e-9); k*step <= hi+step*1e-9; k++ {
		out = append(out, roundTo(k*step, step))
	}
	return out
}

// roundTo rounds v to the decimals of step.
func roundTo(v, step float64) float64 {
	d := math.Max(0, -math.Floor(math.Log10(step)))
	p := math.Pow(10, d)
	return math.Round(v*p) / p
}

// HBar is one bar of a horizontal bar chart.
type HBar struct {
	Label string
	Value float64
	Note  string // written after the bar, such as a share
	Color string // default: Palette[0]
}

// HBars draws labelled horizontal bars, one per row, scaled to the
// largest value: the shape of an outcome mix or a rule table.
func HBars(id, title string, bars []HBar) string {
	const rowH, barW, noteW, top0 = 22, 260, 190, 28
	h := top0 + rowH*len(bars) + 8
	top, labelW := 0.0, 80
	for _, bar := range bars {
		top = math.Max(top, bar.Value)
		labelW = max(labelW, 7*len(bar.Label)+12)
	}
	w := labelW + barW + noteW
	if top == 0 {
		top = 1
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="%s" viewBox="0 0 %d %d" width="%d" height="%d" role="img" aria-label="%s">`,
		esc(id), w, h, w, h, esc(title))
	fmt.Fprintf(&b, `<text x="0" y="18" font-size="14" font-weight="600">%s</text>`, esc(title))
	b.WriteString(`<g class="series" data-series="bars" data-points="` + strconv.Itoa(len(bars)) + `">`)
	for i, bar := range bars {
		y := top0 + i*rowH
		col := bar.Color
		if col == "" {
			col = Palette[0]
		}
		bw := bar.Value / top * barW
		fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="12" text-anchor="end">%s</text>`, labelW-6, y+14, esc(bar.Label))
		fmt.Fprintf(&b, `<rect class="point" x="%d" y="%d" width="%s" height="%d" fill="%s"><title>%s: %s</title></rect>`,
			labelW, y+3, f(bw), rowH-6, col, esc(bar.Label), esc(num(bar.Value)))
		fmt.Fprintf(&b, `<text x="%s" y="%d" font-size="11" fill="#374151">%s</text>`, f(float64(labelW)+bw+6), y+14, esc(bar.Note))
	}
	b.WriteString(`</g></svg>`)
	return b.String()
}

// f formats a coordinate with two decimals, enough for a screen and
// stable across platforms.
func f(v float64) string { return strconv.FormatFloat(v, 'f', 2, 64) }

// num formats a value for people: integers without decimals.
func num(v float64) string {
	if v == math.Trunc(v) && math.Abs(v) < 1e15 {
		return strconv.FormatInt(int64(v), 10)
	}
	return strconv.FormatFloat(v, 'g', 4, 64)
}

func esc(s string) string { return html.EscapeString(s) }
