package dunning

import (
	"encoding/json"
	"testing"
	"time"
)

func TestParseDate(t *testing.T) {
	tests := []struct {
		in, want, reason string
		ok               bool
	}{
		{"2026-03-01", "2026-03-01", "a plain day", true},
		{"2024-02-29", "2024-02-29", "a leap day", true},
		{"0001-01-01", "0001-01-01", "the first valid day", true},
		{"9999-12-31", "9999-12-31", "the last valid day", true},
		{"2026-02-29", "", "2026 is not a leap year", false},
		{"2026-13-01", "", "there is no month 13", false},
		{"2026-04-31", "", "April has 30 days", false},
		{"0000-01-01", "", "there is no year 0", false},
		{"2026-3-1", "", "months and days have two digits", false},
		{" 2026-03-01", "", "no surrounding spaces", false},
		{"2026-03-01T00:00:00Z", "", "no times of day", false},
		{"", "", "empty", false},
	}
	for _, tt := range tests {
		d, err := ParseDate(tt.in)
		if (err == nil) != tt.ok || d.String() != tt.want {
			t.Errorf("ParseDate(%q) = %q, %v; want %q, ok=%v (%s)", tt.in, d, err, tt.want, tt.ok, tt.reason)
		}
	}
}

func TestDateArithmetic(t *testing.T) {
	d := day("2026-03-01")
	if got := d.AddDays(10).String(); got != "2026-03-11" {
		t.Errorf("AddDays(10) = %s", got)
	}
	if got := d.AddDays(-1).String(); got != "2026-02-28" {
		t.Errorf("AddDays(-1) = %s", got)
	}
	if got := day("2026-03-11").DaysSince(d); got != 10 {
		t.Errorf("DaysSince = %d, want 10: issued on the 1st, the 11th is day 10", got)
	}
	y, m, dd := day("2028-02-29").Parts()
	if y != 2028 || m != time.February || dd != 29 {
		t.Errorf("Parts = %d %v %d", y, m, dd)
	}
	var zero Date
	if !zero.IsZero() || zero.String() != "" || !zero.AddDays(3).IsZero() {
		t.Errorf("zero Date: IsZero %v, String %q", zero.IsZero(), zero.String())
	}
	for n := int64(-800000); n < 3000000; n += 997 {
		y, m, d := civilFromDays(n)
		if back := daysFromCivil(y, m, d); back != n {
			t.Fatalf("civil round trip of %d: %d-%d-%d gives %d", n, y, m, d, back)
		}
	}
}

func TestDateJSON(t *testing.T) {
	type doc struct {
		D Date `json:"d,omitzero"`
	}
	b, err := json.Marshal(doc{D: day("2026-03-01")})
	if err != nil || string(b) != `{"d":"2026-03-01"}` {
		t.Errorf("Marshal = %s, %v", b, err)
	}
	b, _ = json.Marshal(doc{})
	if string(b) != `{}` {
		t.Errorf("zero Date with omitzero = %s, want {}", b)
	}
	var got doc
	if err := json.Unmarshal([]byte(`{"d":"2026-02-30"}`), &got); err == nil {
		t.Errorf("Unmarshal of an impossible date succeeded: %v", got.D)
	}
}

func TestDateOf(t *testing.T) {
	la := loadLoc(t, "America/Los_Angeles")
	tokyo := loadLoc(t, "Asia/Tokyo")
	instant := at("2026-03-11T03:00:00Z")
	tests := []struct {
		loc    *time.Location
		want   string
		reason string
	}{
		{time.UTC, "2026-03-11", "UTC"},
		{la, "2026-03-10", "03:00 UTC is still the evening before in Los Angeles"},
		{tokyo, "2026-03-11", "and noon in Tokyo"},
	}
	for _, tt := range tests {
		if got := DateOf(instant, tt.loc).String(); got != tt.want {
			t.Errorf("DateOf in %s = %s, want %s (%s)", tt.loc, got, tt.want, tt.reason)
		}
	}
	if got := DateOf(at("1969-12-31T23:59:59Z"), time.UTC).String(); got != "1969-12-31" {
		t.Errorf("DateOf before the Unix epoch = %s", got)
	}
}

func TestDateStart(t *testing.T) {
	tests := []struct {
		zone, day, want, reason string
	}{
		{"UTC", "2026-03-11", "2026-03-11T00:00:00Z", "midnight"},
		{"America/Los_Angeles", "2026-03-08", "2026-03-08T08:00:00Z", "the spring-forward day still starts at midnight PST"},
		{"America/Los_Angeles", "2026-03-09", "2026-03-09T07:00:00Z", "and the next at midnight PDT"},
		{"America/Santiago", "2022-09-11", "2022-09-11T04:00:00Z", "Chile skips from 00:00 to 01:00: the day starts at the change"},
		{"America/Havana", "2026-03-08", "2026-03-08T05:00:00Z", "Cuba skips midnight as well"},
		{"Asia/Kolkata", "2026-03-11", "2026-03-10T18:30:00Z", "a half-hour offset"},
	}
	for _, tt := range tests {
		loc := loadLoc(t, tt.zone)
		d := day(tt.day)
		got := d.Start(loc)
		if got.UTC().Format(time.RFC3339) != tt.want {
			t.Errorf("%s in %s: Start = %s, want %s (%s)", tt.day, tt.zone, got.UTC().Format(time.RFC3339), tt.want, tt.reason)
		}
		if DateOf(got, loc) != d || DateOf(got.Add(-time.Nanosecond), loc) == d {
			t.Errorf("%s in %s: %s is not the first instant of the day", tt.day, tt.zone, got)
		}
	}
}
