package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/riskkit/riskkit/risk"
)

// records is the number of labelled checkouts generated.
const records = 3000

// seed1 and seed2 seed the PCG source. Every record follows from them, so
// changing either rewrites the whole file.
const (
	seed1 = 0x636865636b6f7574 // "checkout"
	seed2 = 2026
)

// start is just before the first checkout; checkouts then follow each
// other every few minutes to a few hours, through 2026.
var start = time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)

// fraudRate is the chance that an event is fraud. Robotic bursts emit several
// fraudulent checkouts per event, which lifts the share of fraud records to
// about 5%.
const fraudRate = 0.034

// gen holds the state of one generation: the random source, the clock and
// the records so far.
type gen struct {
	r     *rand.Rand
	now   time.Time
	txns  int // transactions numbered so far
	custs int // customers numbered so far
	out   []risk.Labeled[risk.Checkout]
	err   error // first error met; generation stops reporting after it
}

// generate returns the JSON lines of the sample. It is deterministic: the
// same program always returns the same bytes.
func generate() ([]byte, error) {
	g := &gen{r: rand.New(rand.NewPCG(seed1, seed2)), now: start}
	for len(g.out) < records && g.err == nil {
		g.event()
	}
	if g.err != nil {
		return nil, g.err
	}
	var buf bytes.Buffer
	for _, l := range g.out[:records] {
		b, err := json.Marshal(l)
		if err != nil {
			return nil, fmt.Errorf("record %s: %w", l.ID, err)
		}
		buf.Write(b)
		buf.WriteByte('\n')
	}
	return buf.Bytes(), nil
}

// event advances the clock and emits one legitimate checkout or one fraud
// pattern, which may be a burst of several checkouts.
func (g *gen) event() {
	g.tick(5*time.Minute, 4*time.Hour)
	if !g.chance(fraudRate) {
		g.legit()
		return
	}
	switch g.pick(30, 9, 8, 14, 14, 25) {
	case 0:
		g.stolenCard()
	case 1:
		g.robotBurst()
	case 2:
		g.prepaidCard()
	case 3:
		g.gpuNewAccount()
	case 4:
		g.useBeforePay()
	default:
		g.quietFraud()
	}
}

// emit records one checkout.
func (g *gen) emit(in risk.Checkout, fraud bool) {
	g.out = append(g.out, risk.Labeled[risk.Checkout]{ID: in.Transaction.ID, Fraud: fraud, Input: in})
}

// tick moves the clock forward by a uniformly random step in [lo, hi),
// truncated to the second so that timestamps print without fractions.
func (g *gen) tick(lo, hi time.Duration) {
	g.now = g.now.Add(lo + time.Duration(g.r.Int64N(int64(hi-lo)))).Truncate(time.Second)
}

// chance reports whether an event of probability p happens.
func (g *gen) chance(p float64) bool { return g.r.Float64() < p }

// pick returns an index into weights, chosen with probability proportional
// to its weight.
func (g *gen) pick(weights ...int) int {
	total := 0
	for _, w := range weights {
		total += w
	}
	n := g.r.IntN(total)
	for i, w := range weights {
		if n < w {
			return i
		}
		n -= w
	}
	return len(weights) - 1
}

// between returns a uniformly random integer in [lo, hi].
func (g *gen) between(lo, hi int) int { return lo + g.r.IntN(hi-lo+1) }

// ago returns a time between lo and hi before now, to the second.
func (g *gen) ago(lo, hi time.Duration) time.Time {
	return g.now.Add(-(lo + time.Duration(g.r.Int64N(int64(hi-lo))))).Truncate(time.Second)
}

// hex returns n random hexadecimal digits, for identifiers.
func (g *gen) hex(n int) string {
	const digits = "0123456789abcdef"
	b := make([]byte, n)
	for i := range b {
		b[i] = digits[g.r.IntN(16)]
	}
	return string(b)
}

// ids numbers a new customer and transaction.
func (g *gen) ids() (customer, txn string) {
	g.custs++
	g.txns++
	return fmt.Sprintf("cus-%05d", g.custs), fmt.Sprintf("txn-%05d", g.txns)
}

// known returns a supplied signal.
func known(n int) risk.Signal { return risk.Known(int64(n)) }

// oneOf returns one of the values, chosen by the weights that follow them in
// the same order.
func oneOf[T any](g *gen, values []T, weights ...int) T { return values[g.pick(weights...)] }

const day = 24 * time.Hour
