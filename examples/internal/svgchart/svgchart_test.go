package svgchart

import (
	"encoding/xml"
	"io"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// elements parses an svg document and counts its elements by name and
// class, failing if it is not well-formed XML.
func elements(t *testing.T, svg string) map[string]int {
	t.Helper()
	counts := map[string]int{}
	d := xml.NewDecoder(strings.NewReader(svg))
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return counts
		}
		if err != nil {
			t.Fatalf("not well-formed: %v\n%s", err, svg)
		}
		if se, ok := tok.(xml.StartElement); ok {
			counts[se.Name.Local]++
			for _, a := range se.Attr {
				if a.Name.Local == "class" {
					counts[se.Name.Local+"."+a.Value]++
				}
			}
		}
	}
}

func TestChartElements(t *testing.T) {
	pr := []Point{{X: 0, Y: 1}, {X: 0.5, Y: 0.8}, {X: 1, Y: 0.25}}
	for _, tt := range []struct {
		name string
		c    Chart
		want map[string]int // counts that must match exactly
	}{
		{"two lines and a marker", Chart{Title: "PR", Series: []Series{{Name: "a", Points: pr}, {Name: "b", Points: pr[:2]}},
			Markers: []Marker{{X: 0.5, Label: "review"}}},
			map[string]int{"polyline": 2, "circle.point": 5, "g.marker": 1, "g.series": 2, "g.legend": 2}},
		{"bars", Chart{Kind: Bars, Series: []Series{{Name: "fraud", Points: pr}, {Name: "legit", Points: pr}}},
			map[string]int{"rect.point": 6, "g.series": 2, "polyline": 0}},
		{"marker outside a fixed range is left out", Chart{XRange: &[2]float64{0, 1}, Series: []Series{{Name: "a", Points: pr}},
			Markers: []Marker{{X: 5}}}, map[string]int{"g.marker": 0, "circle.point": 3}},
		{"empty chart", Chart{Title: "nothing"}, map[string]int{"svg": 1, "g.series": 0}},
		{"a single point", Chart{Series: []Series{{Name: "a", Points: pr[:1]}}}, map[string]int{"circle.point": 1}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			svg := tt.c.SVG()
			if strings.Contains(svg, "NaN") || strings.Contains(svg, "Inf") {
				t.Errorf("coordinates not finite:\n%s", svg)
			}
			got := elements(t, svg)
			for k, n := range tt.want {
				if got[k] != n {
					t.Errorf("%d %s, want %d", got[k], k, n)
				}
			}
			if again := tt.c.SVG(); again != svg {
				t.Error("the same chart drew differently twice")
			}
		})
	}
}

func TestTextIsEscaped(t *testing.T) {
	c := Chart{Title: `<script>alert("x")</script>`, Series: []Series{{Name: "a&b", Points: []Point{{X: 1, Y: 1, Label: "<i>"}}}}}
	svg := c.SVG()
	if strings.Contains(svg, "<script>") || strings.Contains(svg, "<i>") {
		t.Errorf("markup from data reached the svg:\n%s", svg)
	}
	elements(t, svg)
	elements(t, HBars("x", "<b>", []HBar{{Label: "</svg>", Value: 1}}))
}

func TestHBars(t *testing.T) {
	svg := HBars("mix", "Outcomes", []HBar{{Label: "reject", Value: 10, Note: "10%"}, {Label: "approve", Value: 90}, {Label: "none", Value: 0}})
	if got := elements(t, svg)["rect.point"]; got != 3 {
		t.Errorf("%d bars, want 3", got)
	}
	// The largest bar is full width and the others are to scale.
	for _, want := range []string{`width="260.00"`, `width="28.89"`, `width="0.00"`} {
		if !strings.Contains(svg, want) {
			t.Errorf("no bar with %s in\n%s", want, svg)
		}
	}
	if got := elements(t, HBars("none", "Nothing", nil))["rect.point"]; got != 0 {
		t.Errorf("%d bars for no data", got)
	}
}

func TestTicks(t *testing.T) {
	for _, tt := range []struct {
		lo, hi float64
		n      int
		want   []float64
	}{
		{0, 1, 5, []float64{0, 0.2, 0.4, 0.6, 0.8, 1}},
		{0, 100, 5, []float64{0, 20, 40, 60, 80, 100}},
		{-15, 130, 8, []float64{0, 20, 40, 60, 80, 100, 120}},
	} {
		if diff := cmp.Diff(tt.want, ticks(tt.lo, tt.hi, tt.n)); diff != "" {
			t.Errorf("ticks(%v, %v, %d) (-want +got):\n%s", tt.lo, tt.hi, tt.n, diff)
		}
	}
}
