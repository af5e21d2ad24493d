package calendar

import (
	"math"
	"testing"
	"time"
)

func TestFloorDiv(t *testing.T) {
	for _, tt := range []struct{ a, b, q, m int64 }{
		{7, 2, 3, 1}, {-7, 2, -4, 1}, {7, -2, -4, -1}, {-7, -2, 3, -1},
		{-1, 86400, -1, 86399}, {0, 86400, 0, 0}, {86400, 86400, 1, 0},
		{math.MinInt64, 1, math.MinInt64, 0}, {math.MaxInt64, 86400, 106751991167300, 55807},
	} {
		if q := FloorDiv(tt.a, tt.b); q != tt.q {
			t.Errorf("FloorDiv(%d, %d) = %d, want %d", tt.a, tt.b, q, tt.q)
		}
		if m := FloorMod(tt.a, tt.b); m != tt.m {
			t.Errorf("FloorMod(%d, %d) = %d, want %d", tt.a, tt.b, m, tt.m)
		}
	}
}

func TestDaysIn(t *testing.T) {
	for _, tt := range []struct {
		y    int
		m    time.Month
		want int
	}{{2024, time.February, 29}, {2026, time.February, 28}, {1900, time.February, 28}, {2000, time.February, 29}, {2026, time.April, 30}, {2026, time.December, 31}} {
		// time.Date normalises the day after the last of the month.
		if got, ref := DaysIn(tt.m, tt.y), time.Date(tt.y, tt.m+1, 0, 0, 0, 0, 0, time.UTC).Day(); got != tt.want || got != ref {
			t.Errorf("DaysIn(%v, %d) = %d, want %d (time.Date: %d)", tt.m, tt.y, got, tt.want, ref)
		}
	}
}

// TestZone checks the cache against time.Time's own calendar on every hour
// of two years in zones with and without daylight saving time.
func TestZone(t *testing.T) {
	for _, name := range []string{"UTC", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata", "Pacific/Chatham"} {
		loc, err := time.LoadLocation(name)
		if err != nil {
			t.Logf("skipping %s: %v", name, err)
			continue
		}
		var z Zone
		z.Use(time.UTC)
		z.Day(time.Unix(0, 0))
		z.Use(loc)
		if z.Location() != loc {
			t.Fatalf("Location = %v", z.Location())
		}
		for u := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC).Unix(); u < time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC).Unix(); u += 1800 {
			at := time.Unix(u, 0)
			lt := at.In(loc)
			y, m, d := lt.Date()
			wantDay := time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400
			day, hour := z.Place(at)
			if day != wantDay || hour != lt.Hour() || z.Day(at) != wantDay {
				t.Fatalf("%s at %v: day %d hour %d, want %d %d", name, lt, day, hour, wantDay, lt.Hour())
			}
			if off, ok := z.Holds(u, u); ok {
				if _, want := lt.Zone(); off != int64(want) {
					t.Fatalf("%s at %v: Holds gives offset %d, want %d", name, lt, off, want)
				}
			}
		}
	}
}
