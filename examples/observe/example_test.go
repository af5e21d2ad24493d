package observe_test

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/riskkit/riskkit/examples"
	"github.com/riskkit/riskkit/examples/observe"
	"github.com/riskkit/riskkit/risk"
)

// snippet is the README's, which TestREADMESnippet keeps in step.
const snippet = `prom, _ := observe.NewPrometheus(prometheus.DefaultRegisterer, "riskkit")
engine, _ := risk.Compile(src, risk.CheckoutSchema(), risk.WithObserver(observe.For("checkout", prom)))`

func ExampleFor() {
	src, _ := examples.Policy("checkout.yaml")
	reg := prometheus.NewRegistry() // the README uses prometheus.DefaultRegisterer
	prom, _ := observe.NewPrometheus(reg, "riskkit")
	engine, _ := risk.Compile(src, risk.CheckoutSchema(), risk.WithObserver(observe.For("checkout", prom)))

	engine.Evaluate(&risk.Checkout{Payment: risk.PaymentInstrument{Funding: risk.Prepaid}})
	n, _ := testutil.GatherAndCount(reg, "riskkit_decisions_total")
	fmt.Println("decision series:", n)
	// Output:
	// decision series: 1
}

// TestREADMESnippet checks that the README shows the calls ExampleFor makes.
func TestREADMESnippet(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(readme), "```go\n"+snippet+"\n```") {
		t.Errorf("README.md does not show:\n%s", snippet)
	}
}
