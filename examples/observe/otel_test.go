package observe_test

import (
	"context"
	"testing"

	"github.com/riskkit/riskkit/examples/observe"
	"github.com/riskkit/riskkit/risk"
	"go.opentelemetry.io/otel/attribute"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
)

func TestOTel(t *testing.T) {
	reader := sdkmetric.NewManualReader()
	provider := sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))
	defer provider.Shutdown(context.Background())
	o, err := observe.NewOTel(provider.Meter("github.com/riskkit/riskkit/examples/observe"))
	if err != nil {
		t.Fatal(err)
	}
	e := engine(t, risk.WithObserver(observe.ForRules("checkout", o)))
	cs := checkouts(t, 300)
	for _, c := range cs {
		e.Evaluate(&c)
	}
	want := expect(engine(t), cs)

	var rm metricdata.ResourceMetrics
	if err := reader.Collect(context.Background(), &rm); err != nil {
		t.Fatal(err)
	}
	sums := map[string]map[string]int64{}
	hists := map[string]uint64{}
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			switch data := m.Data.(type) {
			case metricdata.Sum[int64]:
				byKey := map[string]int64{}
				for _, dp := range data.DataPoints {
					byKey[key(dp.Attributes)] = dp.Value
				}
				sums[m.Name] = byKey
			case metricdata.Histogram[float64]:
				for _, dp := range data.DataPoints {
					hists[m.Name] += dp.Count
				}
			case metricdata.Histogram[int64]:
				for _, dp := range data.DataPoints {
					hists[m.Name] += dp.Count
				}
			}
		}
	}
	for out, n := range want.outcomes {
		if g := sums["riskkit.decisions"]["outcome="+out]; g != int64(n) {
			t.Errorf("decisions %s: %d, want %d", out, g, n)
		}
	}
	for r, n := range want.hits {
		if g := sums["riskkit.rule.hits"]["mode=active,rule="+r]; g != int64(n) {
			t.Errorf("hits of %s: %d, want %d", r, g, n)
		}
	}
	for r, n := range want.missing {
		if g := sums["riskkit.rule.missing"]["rule="+r]; g != int64(n) {
			t.Errorf("missing %s: %d, want %d", r, g, n)
		}
	}
	if hists["riskkit.decision.duration"] != uint64(want.total) || hists["riskkit.decision.score"] != uint64(want.total) {
		t.Errorf("histogram counts %v, want %d each", hists, want.total)
	}
	for r, n := range want.missing {
		if g := sums["riskkit.rule.evaluations"]["result=missing,rule="+r]; g != int64(n) {
			t.Errorf("rule evaluations of %s missing %d, want %d", r, g, n)
		}
	}
	if g, n := hists["riskkit.rule.duration"], uint64(want.total*len(e.RuleIDs())); g != n {
		t.Errorf("rule durations %d, want %d", g, n)
	}
}

// key renders attributes other than kind and policy as k=v,... in the
// set's order, which is sorted by key.
func key(s attribute.Set) string {
	out := ""
	for _, kv := range s.ToSlice() {
		if kv.Key == "kind" || kv.Key == "policy" {
			continue
		}
		if out != "" {
			out += ","
		}
		out += string(kv.Key) + "=" + kv.Value.AsString()
	}
	return out
}
