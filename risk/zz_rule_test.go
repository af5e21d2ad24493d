package risk

import (
	"fmt"
	"testing"
)

func BenchmarkZZRules(b *testing.B) {
	p, data := loadCheckouts(b)
	inputs := make([]Checkout, len(data))
	for i, l := range data {
		inputs[i] = l.Input
	}
	e, err := CompilePolicy(p, CheckoutSchema())
	if err != nil {
		b.Fatal(err)
	}
	b.Run("empty", func(b *testing.B) {
		q := *p
		q.Rules = nil
		e, _ := CompilePolicy(&q, CheckoutSchema())
		for i := 0; b.Loop(); i++ {
			f := e.decide(b.Context(), &inputs[i%len(inputs)])
			e.release(f)
		}
	})
	b.Run("decideall", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			f := e.decide(b.Context(), &inputs[i%len(inputs)])
			e.release(f)
		}
	})
	for ri := range e.rules {
		r := &e.rules[ri]
		b.Run(fmt.Sprintf("%02d_%s", ri, r.id), func(b *testing.B) {
			f := e.frames.Get().(*frame)
			for i := 0; b.Loop(); i++ {
				f.root = &inputs[i%len(inputs)]
				f.objs = [maxObjSlots]any{}
				clear(f.varVals)
				f.missing, f.cost, f.max, f.err = 0, 0, e.maxCost, nil
				r.test(f)
			}
		})
	}
}
