package budget

import (
	"strings"
	"testing"
	"time"
)

func TestParseDate(t *testing.T) {
	tests := []struct {
		in      string
		want    Date
		wantErr string // a substring of the error, "" for success
	}{
		{"2026-03-01", day(2026, 3, 1), ""},
		{"2028-02-29", day(2028, 2, 29), ""},
		{"2000-02-29", day(2000, 2, 29), ""},
		{"0001-01-01", day(1, 1, 1), ""},
		{"9999-12-31", day(9999, 12, 31), ""},
		{"2026-02-29", Date{}, "day 29 does not exist in February 2026"},
		{"2100-02-29", Date{}, "day 29 does not exist in February 2100"},
		{"2026-04-31", Date{}, "day 31 does not exist in April 2026"},
		{"2026-13-01", Date{}, "month 13 is outside 1 to 12"},
		{"2026-00-10", Date{}, "month 0"},
		{"2026-01-00", Date{}, "day 0"},
		{"0000-01-01", Date{}, "year 0 is outside"},
		{"2026-1-01", Date{}, "want YYYY-MM-DD"},
		{"2026/01/01", Date{}, "want YYYY-MM-DD"},
		{"2026-01-01T00:00:00Z", Date{}, "want YYYY-MM-DD"},
		{"+026-01-01", Date{}, "digits only"},
		{"", Date{}, "want YYYY-MM-DD"},
	}
	for _, tt := range tests {
		got, err := ParseDate(tt.in)
		switch {
		case tt.wantErr == "" && err != nil:
			t.Errorf("ParseDate(%q): %v", tt.in, err)
		case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
			t.Errorf("ParseDate(%q) error %v, want one containing %q", tt.in, err, tt.wantErr)
		case got != tt.want:
			t.Errorf("ParseDate(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

// TestDayNumbers checks the calendar arithmetic against the time package
// over four centuries, leap days included.
func TestDayNumbers(t *testing.T) {
	for tm := time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC); tm.Year() < 2300; tm = tm.AddDate(0, 0, 1) {
		d := DateOf(tm)
		n := d.dayNum()
		if want := tm.Unix() / 86400; n != want {
			t.Fatalf("%v.dayNum() = %d, want %d", d, n, want)
		}
		if back := dateOfDayNum(n); back != d {
			t.Fatalf("dateOfDayNum(%d) = %v, want %v", n, back, d)
		}
		if d.Weekday() != tm.Weekday() {
			t.Fatalf("%v.Weekday() = %v, want %v", d, d.Weekday(), tm.Weekday())
		}
	}
}

func TestDateArithmetic(t *testing.T) {
	tests := []struct {
		name string
		got  Date
		want Date
	}{
		{"across a year", day(2025, 12, 31).AddDays(1), day(2026, 1, 1)},
		{"onto a leap day", day(2028, 2, 28).AddDays(1), day(2028, 2, 29)},
		{"over a leap day", day(2028, 2, 28).AddDays(2), day(2028, 3, 1)},
		{"backwards", day(2026, 3, 1).AddDays(-1), day(2026, 2, 28)},
		{"months across a year", day(2026, 11, 15).addMonths(3), day(2027, 2, 1)},
		{"months backwards", day(2026, 1, 1).addMonths(-1), day(2025, 12, 1)},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: got %v, want %v", tt.name, tt.got, tt.want)
		}
	}
	if n := day(2028, 1, 1).DaysUntil(day(2029, 1, 1)); n != 366 {
		t.Errorf("days in 2028: %d", n)
	}
	if !day(2026, 1, 31).Before(day(2026, 2, 1)) || day(2026, 2, 1).Before(day(2026, 2, 1)) || !day(2027, 1, 1).After(day(2026, 12, 31)) {
		t.Error("Before or After is wrong")
	}
}

func TestDateText(t *testing.T) {
	for _, d := range []Date{{}, day(2026, 3, 1), day(1, 1, 1), day(9999, 12, 31)} {
		b, err := d.MarshalText()
		if err != nil {
			t.Fatalf("%v: %v", d, err)
		}
		var back Date
		if err := back.UnmarshalText(b); err != nil || back != d {
			t.Errorf("%v -> %q -> %v, %v", d, b, back, err)
		}
	}
	if _, err := (Date{2026, 2, 30}).MarshalText(); err == nil {
		t.Error("marshaling February 30 succeeded")
	}
	if s := (Date{2026, 2, 30}).String(); s != "2026-02-30" {
		t.Errorf("String of an invalid date: %q", s)
	}
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2026-03-01", "2028-02-29", "2026-02-29", "9999-12-31", "0000-00-00", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDate(s)
		if err != nil {
			return
		}
		if !d.IsValid() {
			t.Fatalf("ParseDate(%q) = %v, which is not valid", s, d)
		}
		if d.String() != s {
			t.Fatalf("ParseDate(%q).String() = %q", s, d.String())
		}
		if back := dateOfDayNum(d.dayNum()); back != d {
			t.Fatalf("day number round trip of %v gives %v", d, back)
		}
	})
}
