package budget

import (
	"testing"
	"time"
)

// TestDayNumbers checks the day numbers evaluation counts in against the
// time package over four centuries, leap days included.
func TestDayNumbers(t *testing.T) {
	for tm := time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC); tm.Year() < 2300; tm = tm.AddDate(0, 0, 1) {
		d := day(tm.Year(), tm.Month(), tm.Day())
		n := dayNum(d)
		if want := tm.Unix() / 86400; n != want {
			t.Fatalf("dayNum(%v) = %d, want %d", d, n, want)
		}
		if back := dateOfDayNum(n); back != d {
			t.Fatalf("dateOfDayNum(%d) = %v, want %v", n, back, d)
		}
	}
	if got := dateOfDayNum(-1 << 40); got != day(1, 1, 1) {
		t.Errorf("a day number before the year 1 gives %v, want the first valid day", got)
	}
}

func TestAddMonths(t *testing.T) {
	tests := []struct {
		name, reason string
		got, want    string
	}{
		{"months across a year", "periods run on across a new year", addMonths(day(2026, 11, 15), 3).String(), "2027-02-01"},
		{"months backwards", "auto-adjustment looks back on earlier periods", addMonths(day(2026, 1, 1), -1).String(), "2025-12-01"},
		{"from a month end", "the day is ignored, so a period never starts mid-month", addMonths(day(2026, 1, 31), 1).String(), "2026-02-01"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: got %s, want %s (%s)", tt.name, tt.got, tt.want, tt.reason)
		}
	}
}
