package observe_test

import (
	"context"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/riskkit/riskkit/examples/observe"
	"github.com/riskkit/riskkit/risk"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
)

// BenchmarkEvaluate measures what observing costs per decision, against
// the bare engine in the same run: decisions only (For) and every rule
// timed too (ForRules).
func BenchmarkEvaluate(b *testing.B) {
	cs := checkouts(b, 256)
	p, err := observe.NewPrometheus(prometheus.NewRegistry(), "riskkit")
	if err != nil {
		b.Fatal(err)
	}
	provider := sdkmetric.NewMeterProvider(sdkmetric.WithReader(sdkmetric.NewManualReader()))
	defer provider.Shutdown(context.Background())
	o, err := observe.NewOTel(provider.Meter("bench"))
	if err != nil {
		b.Fatal(err)
	}
	for _, bc := range []struct {
		name string
		obs  risk.Observer
	}{
		{"engine", nil},
		{"prometheus", observe.For("checkout", p)},
		{"otel", observe.For("checkout", o)},
		{"prometheus_rules", observe.ForRules("checkout", p)},
		{"otel_rules", observe.ForRules("checkout", o)},
	} {
		var opts []risk.Option
		if bc.obs != nil {
			opts = append(opts, risk.WithObserver(bc.obs))
		}
		e := engine(b, opts...)
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				e.Evaluate(&cs[i%len(cs)])
			}
		})
	}
}
