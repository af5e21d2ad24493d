package main

import (
	"cmp"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/textio"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/transforms/stats"
	"github.com/riskkit/riskkit/abuse"
)

func init() {
	register.Function1x3(keyBySubscription)
	register.DoFn3x1[string, func(*string) bool, func(string), error](&detectFn{})
	register.Iter1[string]()
	register.Function1x2(findingCategory)
	register.Function2x1(summaryLine)
}

// abuseConfig is what an abuse pipeline reads and writes.
type abuseConfig struct {
	Input    string // a glob of JSON lines files of telemetry windows, local or in a Beam file system
	Findings string // where to write the findings, JSON lines
	Summary  string // where to write the number of findings per category, JSON lines
}

// buildAbuse adds abuse detection to the pipeline: read telemetry windows,
// group them by subscription, run the abuse Monitor over each
// subscription's windows in time order, carrying its state from window to
// window, and write every finding as it stands after the last window, and
// the count per category.
func buildAbuse(s beam.Scope, c abuseConfig) error {
	if c.Input == "" || c.Findings == "" {
		return fmt.Errorf("abuse detection needs telemetry to read and a place for the findings")
	}
	s = s.Scope("abuse")
	lines := textio.Read(s, c.Input)
	bySub := beam.GroupByKey(s, beam.ParDo(s, keyBySubscription, lines))
	findings := beam.ParDo(s, &detectFn{}, bySub)
	textio.Write(s, c.Findings, findings)
	if c.Summary != "" {
		counts := stats.Count(s, beam.ParDo(s, findingCategory, findings))
		textio.Write(s, c.Summary, beam.ParDo(s, summaryLine, counts))
	}
	return nil
}

// keyBySubscription keys a telemetry line by its subscription.
func keyBySubscription(line string) (string, string, error) {
	var w struct {
		Subscription string `json:"subscription"`
	}
	if err := json.Unmarshal([]byte(line), &w); err != nil {
		return "", "", fmt.Errorf("telemetry %.80q: %w", line, err)
	}
	return w.Subscription, line, nil
}

// detectFn runs the abuse Monitor over one subscription's windows. Its
// Monitor is built once per worker instance.
type detectFn struct {
	mon *abuse.Monitor
}

func (f *detectFn) Setup() error {
	var err error
	f.mon, err = abuse.New(abuse.Config{})
	return err
}

func (f *detectFn) ProcessElement(sub string, lines func(*string) bool, emit func(string)) error {
	var windows []abuse.Telemetry
	var line string
	for lines(&line) {
		ws, err := abuse.ParseTelemetry([]byte(line))
		if err != nil {
			return fmt.Errorf("subscription %s: %w", sub, err)
		}
		windows = append(windows, ws...)
	}
	found, err := detectSubscription(f.mon, windows)
	if err != nil {
		return fmt.Errorf("subscription %s: %w", sub, err)
	}
	for _, fd := range found {
		b, err := json.Marshal(fd)
		if err != nil {
			return err
		}
		emit(string(b))
	}
	return nil
}

// detectSubscription evaluates one subscription's windows in order, each
// at its end, from an empty state, and returns every finding as it stands
// after the last window it appeared in, by id. A group arrives in no
// particular order, so windows are ordered by end, start and resource.
func detectSubscription(mon *abuse.Monitor, windows []abuse.Telemetry) ([]abuse.Finding, error) {
	slices.SortStableFunc(windows, func(a, b abuse.Telemetry) int {
		return cmp.Or(a.Window.End.Compare(b.Window.End), a.Window.Start.Compare(b.Window.Start), cmp.Compare(a.Resource, b.Resource))
	})
	var st abuse.State
	latest := map[string]abuse.Finding{}
	for i := range windows {
		res, err := mon.Evaluate(st, &windows[i], windows[i].Window.End)
		if err != nil {
			return nil, fmt.Errorf("window ending %s: %w", windows[i].Window.End, err)
		}
		st = res.State
		for _, fd := range res.Findings {
			latest[fd.ID] = fd
		}
	}
	out := make([]abuse.Finding, 0, len(latest))
	for _, fd := range latest {
		out = append(out, fd)
	}
	slices.SortFunc(out, func(a, b abuse.Finding) int { return cmp.Compare(a.ID, b.ID) })
	return out, nil
}

// findingCategory reads the category of a finding written as JSON.
func findingCategory(line string) (string, error) {
	var f struct {
		Category string `json:"category"`
	}
	err := json.Unmarshal([]byte(line), &f)
	return f.Category, err
}

func summaryLine(category string, n int) string {
	b, _ := json.Marshal(struct {
		Category string `json:"category"`
		Findings int    `json:"findings"`
	}{category, n})
	return string(b)
}
