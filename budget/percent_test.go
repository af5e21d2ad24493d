package budget

import (
	"errors"
	"math"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/riskkit/riskkit/risk"
)

func TestPercentOfRounding(t *testing.T) {
	tests := []struct {
		name          string
		value, amount int64
		want          risk.Percent
	}{
		{"the issue's example", 8089, 10065, 8037},
		{"half rounds to even, down", 1, 20000, 0},                 // 0.005%
		{"half rounds to even, up", 3, 20000, 2},                   // 0.015%
		{"negative half to even", -3, 20000, -2},                   // -0.015%
		{"just under a half rounds down", 7999599, 10000000, 8000}, // 79.99599%
		{"exact", 50, 100, 5000},
	}
	for _, tt := range tests {
		got, err := percentOf(tt.value, tt.amount)
		if err != nil || got != tt.want {
			t.Errorf("%s: percentOf(%d, %d) = %v, %v; want %v", tt.name, tt.value, tt.amount, got, err, tt.want)
		}
	}
	if _, err := percentOf(math.MaxInt64, 1); !errors.Is(err, risk.ErrOverflow) {
		t.Errorf("percentOf overflow: %v", err)
	}
}

func TestMeets(t *testing.T) {
	tests := []struct {
		name          string
		value, amount int64
		p             risk.Percent
		c             Comparison
		want          bool
	}{
		{"at with gte", 8000, 10000, 8000, GreaterOrEqual, true},
		{"at with gt", 8000, 10000, 8000, Greater, false},
		{"above with gt", 8001, 10000, 8000, Greater, true},
		{"below with gte", 7999, 10000, 8000, GreaterOrEqual, false},
		{"odd amount exactly at", 80520, 100650, 8000, GreaterOrEqual, true},
		{"odd amount exactly at, gt", 80520, 100650, 8000, Greater, false},
		{"huge values", math.MaxInt64, math.MaxInt64, 10000, GreaterOrEqual, true},
		{"huge values, gt", math.MaxInt64, math.MaxInt64, 10000, Greater, false},
		{"negative spend", -1, 100, 1, GreaterOrEqual, false},
	}
	for _, tt := range tests {
		if got := meets(tt.value, tt.amount, tt.p, tt.c); got != tt.want {
			t.Errorf("%s: meets(%d, %d, %v, %v) = %v", tt.name, tt.value, tt.amount, tt.p, tt.c, got)
		}
	}
}

// TestI128 checks the 128-bit arithmetic against math/big on random and
// extreme operands.
func TestI128(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	edge := []int64{0, 1, -1, 2, math.MaxInt64, math.MinInt64, math.MaxInt64 - 1, math.MinInt64 + 1, 1 << 32, -(1 << 32)}
	pick := func() int64 {
		if r.IntN(3) == 0 {
			return edge[r.IntN(len(edge))]
		}
		return int64(r.Uint64()) >> r.IntN(64)
	}
	toBig := func(a i128) *big.Int {
		v := new(big.Int).Lsh(big.NewInt(a.hi), 64)
		return v.Add(v, new(big.Int).SetUint64(a.lo))
	}
	min128 := new(big.Int).Neg(new(big.Int).Lsh(big.NewInt(1), 127))
	max128 := new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 127), big.NewInt(1))
	fits := func(v *big.Int) bool { return v.Cmp(min128) >= 0 && v.Cmp(max128) <= 0 }
	for range 20000 {
		a, b, c := pick(), pick(), pick()
		p := mul128(a, b)
		want := new(big.Int).Mul(big.NewInt(a), big.NewInt(b))
		if toBig(p).Cmp(want) != 0 {
			t.Fatalf("mul128(%d, %d) = %v, want %v", a, b, toBig(p), want)
		}
		if got, ok := p.mul(c); ok {
			if w := new(big.Int).Mul(want, big.NewInt(c)); toBig(got).Cmp(w) != 0 {
				t.Fatalf("(%d*%d)*%d = %v, want %v", a, b, c, toBig(got), w)
			}
		} else if w := new(big.Int).Mul(want, big.NewInt(c)); fits(w) && w.Cmp(min128) != 0 {
			t.Fatalf("(%d*%d)*%d reported overflow but %v fits", a, b, c, w)
		}
		q := mul128(c, pick())
		if s, ok := p.add(q); ok {
			if w := new(big.Int).Add(toBig(p), toBig(q)); toBig(s).Cmp(w) != 0 {
				t.Fatalf("add: %v, want %v", toBig(s), w)
			}
		} else if w := new(big.Int).Add(toBig(p), toBig(q)); fits(w) {
			t.Fatalf("add reported overflow but %v fits", w)
		}
		if c > 0 {
			got, ok := p.quo(c)
			// Round half to even with big.Int.
			qq, rr := new(big.Int).QuoRem(want, big.NewInt(c), new(big.Int))
			twice := new(big.Int).Abs(new(big.Int).Mul(rr, big.NewInt(2)))
			if cmp := twice.Cmp(big.NewInt(c)); cmp > 0 || cmp == 0 && qq.Bit(0) == 1 {
				if want.Sign() < 0 {
					qq.Sub(qq, big.NewInt(1))
				} else {
					qq.Add(qq, big.NewInt(1))
				}
			}
			if qq.IsInt64() != ok || ok && got != qq.Int64() {
				t.Fatalf("(%d*%d)/%d = %d, %v; want %v", a, b, c, got, ok, qq)
			}
		}
		if cmp := p.cmp(q); cmp != toBig(p).Cmp(toBig(q)) {
			t.Fatalf("cmp(%v, %v) = %d", toBig(p), toBig(q), cmp)
		}
	}
}
