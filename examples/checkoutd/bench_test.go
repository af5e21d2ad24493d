package main

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/riskkit/riskkit/risk"
)

// BenchmarkCheckout measures decisions per second through the handler
// (routing, reading and strictly decoding the body, evaluating, counting,
// logging to a discarded handler and encoding the answer) against three
// baselines in the same run: the engine alone on decoded inputs, the
// engine after encoding/json (unknown keys refused), and the engine after
// risk.DecodeCheckout, the located decoder the handler uses.
func BenchmarkCheckout(b *testing.B) {
	srv, st := newServer(b, embedded(b))
	inputs := checkouts(b, 256)
	decoded := make([]risk.Checkout, len(inputs))
	for i, in := range inputs {
		if err := strictJSON(in, &decoded[i]); err != nil {
			b.Fatal(err)
		}
	}
	engine := st.current().checkout
	perSecond := func(b *testing.B) {
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "decisions/s")
	}
	b.Run("engine", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			engine.Evaluate(&decoded[i%len(decoded)])
		}
		perSecond(b)
	})
	b.Run("DecodeCheckout+engine", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			c, err := risk.DecodeCheckout(inputs[i%len(inputs)])
			if err != nil {
				b.Fatal(err)
			}
			engine.Evaluate(&c)
		}
		perSecond(b)
	})
	b.Run("encoding-json+engine", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			var c risk.Checkout
			if err := strictJSON(inputs[i%len(inputs)], &c); err != nil {
				b.Fatal(err)
			}
			engine.Evaluate(&c)
		}
		perSecond(b)
	})
	b.Run("handler", func(b *testing.B) {
		h := srv.handler()
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			r := httptest.NewRequest(http.MethodPost, "/v1/checkout", bytes.NewReader(inputs[i%len(inputs)]))
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			if w.Code != 200 {
				b.Fatal(w.Body.String())
			}
		}
		perSecond(b)
	})
}

// strictJSON is the baseline decoder: encoding/json, refusing unknown keys.
func strictJSON(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}
