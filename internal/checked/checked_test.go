package checked

import (
	"math"
	"testing"
)

func TestAdd(t *testing.T) {
	tests := []struct {
		name string
		a, b int64
		want int64
		ok   bool
	}{
		{"small", 2, 3, 5, true},
		{"to the maximum", math.MaxInt64 - 1, 1, math.MaxInt64, true},
		{"past the maximum", math.MaxInt64, 1, 0, false},
		{"to the minimum", math.MinInt64 + 1, -1, math.MinInt64, true},
		{"past the minimum", math.MinInt64, -1, 0, false},
		{"opposite signs never overflow", math.MaxInt64, math.MinInt64, -1, true},
	}
	for _, tt := range tests {
		got, ok := Add(tt.a, tt.b)
		if ok != tt.ok || ok && got != tt.want {
			t.Errorf("%s: Add(%d, %d) = %d, %v; want %d, %v", tt.name, tt.a, tt.b, got, ok, tt.want, tt.ok)
		}
	}
}

func TestSum(t *testing.T) {
	tests := []struct {
		name string
		xs   []int64
		want int64
		ok   bool
	}{
		{"empty", nil, 0, true},
		{"fits", []int64{1, 2, 3}, 6, true},
		{"two maxima and two", []int64{math.MaxInt64, math.MaxInt64, 2}, 0, false},
		// Wrapping arithmetic would come back to MaxInt64 - 1 here: the
		// overflow must be remembered, not undone by a later addition.
		{"wraps back into range", []int64{math.MaxInt64, 1, -2}, 0, false},
		{"down and up again", []int64{math.MaxInt64, -math.MaxInt64, math.MaxInt64}, math.MaxInt64, true},
	}
	for _, tt := range tests {
		var s Sum
		for _, x := range tt.xs {
			s.Add(x)
		}
		got, ok := s.Value()
		if ok != tt.ok || ok && got != tt.want {
			t.Errorf("%s: sum = %d, %v; want %d, %v", tt.name, got, ok, tt.want, tt.ok)
		}
	}
}
