package observe_test

import (
	"context"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/riskkit/riskkit/examples/observe"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
)

// BenchmarkEvaluate measures what observing costs per decision, against
// the bare engine in the same run.
func BenchmarkEvaluate(b *testing.B) {
	e := engine(b)
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
		obs  observe.Observer
	}{{"engine", nil}, {"prometheus", p}, {"otel", o}} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				if bc.obs == nil {
					e.Evaluate(&cs[i%len(cs)])
					continue
				}
				observe.Evaluate(bc.obs, "checkout", e, &cs[i%len(cs)])
			}
		})
	}
}
