package risk

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	_ "time/tzdata" // the tests name real zones; the package itself loads none

	"github.com/google/go-cmp/cmp"
	"github.com/riskkit/riskkit/internal/calendar"
	"go.yaml.in/yaml/v3"
)

// date returns the given day or fails the test.
func date(t testing.TB, y int, m time.Month, d int) Date {
	t.Helper()
	v, err := NewDate(y, m, d)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// parse returns the day s names or fails the test.
func parse(t testing.TB, s string) Date {
	t.Helper()
	v, err := ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func loadZone(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func TestParseDate(t *testing.T) {
	tests := []struct {
		in, reason string
		want       string // the String of the result, "" with an error
		wantErr    string // a substring of the error, "" for success
	}{
		{"2026-03-01", "a plain day", "2026-03-01", ""},
		{"2024-02-29", "a leap day", "2024-02-29", ""},
		{"2000-02-29", "2000 is a leap year: divisible by 400", "2000-02-29", ""},
		{"0001-01-01", "the first valid day", "0001-01-01", ""},
		{"9999-12-31", "the last valid day", "9999-12-31", ""},
		{"2026-02-29", "2026 is not a leap year", "", `risk: parse date "2026-02-29": day 29 does not exist in February 2026`},
		{"2100-02-29", "2100 is not a leap year: divisible by 100 but not 400", "", "day 29 does not exist in February 2100"},
		{"2026-04-31", "April has 30 days", "", "day 31 does not exist in April 2026"},
		{"2026-13-01", "there is no month 13", "", "month 13 is outside 1 to 12"},
		{"2026-00-10", "there is no month 0", "", "month 0 is outside 1 to 12"},
		{"2026-01-00", "there is no day 0", "", "day 0 does not exist in January 2026"},
		{"0000-01-01", "there is no year 0", "", "year 0 is outside 0001 to 9999"},
		{"2026-3-1", "months and days have two digits", "", `risk: parse date "2026-3-1": want YYYY-MM-DD`},
		{"2026/01/01", "the separator is a hyphen", "", "want YYYY-MM-DD"},
		{" 2026-03-01", "no surrounding spaces", "", "want YYYY-MM-DD"},
		{"2026-03- 1", "no padding with spaces", "", "want YYYY-MM-DD with digits only"},
		{"2026-03-01T00:00:00Z", "no times of day", "", "want YYYY-MM-DD"},
		{"+026-01-01", "no signs", "", "want YYYY-MM-DD with digits only"},
		{"", "empty", "", "want YYYY-MM-DD"},
	}
	for _, tt := range tests {
		got, err := ParseDate(tt.in)
		switch {
		case tt.wantErr == "" && err != nil:
			t.Errorf("ParseDate(%q): %v (%s)", tt.in, err, tt.reason)
		case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
			t.Errorf("ParseDate(%q) error %v, want one containing %q (%s)", tt.in, err, tt.wantErr, tt.reason)
		case got.String() != tt.want:
			t.Errorf("ParseDate(%q) = %q, want %q (%s)", tt.in, got, tt.want, tt.reason)
		}
	}
}

func TestNewDate(t *testing.T) {
	tests := []struct {
		name, reason string
		y            int
		m            time.Month
		d            int
		want         string
		wantErr      string
	}{
		{"plain", "an ordinary day", 2026, time.March, 1, "2026-03-01", ""},
		{"first", "the first valid day", 1, time.January, 1, "0001-01-01", ""},
		{"last", "the last valid day", 9999, time.December, 31, "9999-12-31", ""},
		{"leap day", "2028 is a leap year", 2028, time.February, 29, "2028-02-29", ""},
		{"february 30", "no normalization into March", 2026, time.February, 30, "", "risk: date 2026-02-30: day 30 does not exist in February 2026"},
		{"year 0", "before the first valid day", 0, time.December, 31, "", "year 0 is outside 0001 to 9999"},
		{"year 10000", "after the last valid day", 10000, time.January, 1, "", "year 10000 is outside 0001 to 9999"},
		{"month 13", "no normalization into the next year", 2026, 13, 1, "", "month 13 is outside 1 to 12"},
		{"negative day", "days count from 1", 2026, time.March, -1, "", "day -1 does not exist in March 2026"},
	}
	for _, tt := range tests {
		got, err := NewDate(tt.y, tt.m, tt.d)
		switch {
		case tt.wantErr == "" && err != nil:
			t.Errorf("%s: %v (%s)", tt.name, err, tt.reason)
		case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
			t.Errorf("%s: error %v, want one containing %q (%s)", tt.name, err, tt.wantErr, tt.reason)
		case got.String() != tt.want:
			t.Errorf("%s: got %q, want %q (%s)", tt.name, got, tt.want, tt.reason)
		}
	}
}

// TestCalendar checks ordinals, parts and weekdays against the time package
// over every day of the valid range in steps that visit every day of the
// four centuries around the present.
func TestCalendar(t *testing.T) {
	check := func(tm time.Time) {
		d := DateOf(tm, time.UTC)
		y, m, dd := d.Parts()
		if y != tm.Year() || m != tm.Month() || dd != tm.Day() {
			t.Fatalf("DateOf(%s).Parts() = %d %v %d", tm.Format(time.DateOnly), y, m, dd)
		}
		if want := calendar.FloorDiv(tm.Unix(), 86400) + 719163; d.Ordinal() != want {
			t.Fatalf("%v.Ordinal() = %d, want %d", d, d.Ordinal(), want)
		}
		if back := DateFromOrdinal(d.Ordinal()); back != d {
			t.Fatalf("DateFromOrdinal(%d) = %v, want %v", d.Ordinal(), back, d)
		}
		if d.Weekday() != tm.Weekday() {
			t.Fatalf("%v.Weekday() = %v, want %v", d, d.Weekday(), tm.Weekday())
		}
		if s := d.String(); s != tm.Format(time.DateOnly) {
			t.Fatalf("String = %q, want %q", s, tm.Format(time.DateOnly))
		}
	}
	for tm := time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC); tm.Year() < 2300; tm = tm.AddDate(0, 0, 1) {
		check(tm)
	}
	for tm := time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC); tm.Year() < 10000; tm = tm.AddDate(0, 0, 997) {
		check(tm)
	}
	check(time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC))
	for n := int64(-800000); n < 3000000; n += 997 {
		y, m, d := civilFromDays(n)
		if back := daysFromCivil(y, m, d); back != n {
			t.Fatalf("civil round trip of %d: %d-%d-%d gives %d", n, y, m, d, back)
		}
	}
}

func TestDateArithmetic(t *testing.T) {
	tests := []struct {
		name, reason string
		got, want    Date
	}{
		{"across a year", "December 31 to January 1", date(t, 2025, 12, 31).AddDays(1), date(t, 2026, 1, 1)},
		{"onto a leap day", "2028 has February 29", date(t, 2028, 2, 28).AddDays(1), date(t, 2028, 2, 29)},
		{"over a leap day", "two days from February 28 in a leap year", date(t, 2028, 2, 28).AddDays(2), date(t, 2028, 3, 1)},
		{"backwards", "negative days go back", date(t, 2026, 3, 1).AddDays(-1), date(t, 2026, 2, 28)},
		{"before year 1", "clamped to the first valid day", date(t, 1, 1, 5).AddDays(-10), date(t, 1, 1, 1)},
		{"after year 9999", "clamped to the last valid day", date(t, 9999, 12, 30).AddDays(10), date(t, 9999, 12, 31)},
		{"zero plus days", "no date stays no date", Date{}.AddDays(3), Date{}},
		{"months across a year", "November plus three", date(t, 2026, 11, 15).AddMonths(3), date(t, 2027, 2, 15)},
		{"months backwards", "January minus one", date(t, 2026, 1, 1).AddMonths(-1), date(t, 2025, 12, 1)},
		{"month end clamped", "February 2026 has 28 days", date(t, 2026, 1, 31).AddMonths(1), date(t, 2026, 2, 28)},
		{"month end in a leap year", "February 2028 has 29 days", date(t, 2028, 1, 31).AddMonths(1), date(t, 2028, 2, 29)},
		{"leap day plus a year", "2029 has no February 29", date(t, 2028, 2, 29).AddMonths(12), date(t, 2029, 2, 28)},
		{"months before year 1", "clamped to the first valid day", date(t, 1, 3, 1).AddMonths(-3), date(t, 1, 1, 1)},
		{"months after year 9999", "clamped to the last valid day", date(t, 9999, 11, 1).AddMonths(2), date(t, 9999, 12, 31)},
		{"zero plus months", "no date stays no date", Date{}.AddMonths(1), Date{}},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, tt.got); diff != "" {
			t.Errorf("%s (%s): (-want +got)\n%s", tt.name, tt.reason, diff)
		}
	}

	counts := []struct {
		name, reason string
		got, want    int
	}{
		{"days in a leap year", "2028 has 366", date(t, 2029, 1, 1).DaysSince(date(t, 2028, 1, 1)), 366},
		{"days in 2100", "2100 is not a leap year", date(t, 2101, 1, 1).DaysSince(date(t, 2100, 1, 1)), 365},
		{"day 10", "issued on the 1st, the 11th is day 10", parse(t, "2026-03-11").DaysSince(parse(t, "2026-03-01")), 10},
		{"days backwards", "an earlier day is negative", date(t, 2026, 2, 28).DaysSince(date(t, 2026, 3, 1)), -1},
		{"whole range", "every valid day", date(t, 9999, 12, 31).DaysSince(date(t, 1, 1, 1)), 3652058},
		{"months across a year", "December to January", date(t, 2027, 1, 1).MonthsSince(date(t, 2026, 12, 31)), 1},
		{"months in one month", "days do not count", date(t, 2026, 2, 28).MonthsSince(date(t, 2026, 2, 1)), 0},
		{"months backwards", "an earlier month is negative", date(t, 2025, 11, 30).MonthsSince(date(t, 2026, 1, 1)), -2},
	}
	for _, tt := range counts {
		if tt.got != tt.want {
			t.Errorf("%s (%s): got %d, want %d", tt.name, tt.reason, tt.got, tt.want)
		}
	}

	a, b := date(t, 2026, 1, 31), date(t, 2026, 2, 1)
	if !a.Before(b) || a.After(b) || b.Before(b) || !b.After(a) || a.Compare(b) != -1 || b.Compare(a) != 1 || a.Compare(a) != 0 {
		t.Error("Before, After or Compare is wrong for 2026-01-31 and 2026-02-01")
	}
	if !(Date{}).Before(date(t, 1, 1, 1)) || !a.Equal(date(t, 2026, 1, 31)) || a.Equal(b) {
		t.Error("the zero Date is not first, or Equal is wrong")
	}
}

func TestDateZero(t *testing.T) {
	var zero Date
	y, m, d := zero.Parts()
	if !zero.IsZero() || zero.String() != "" || y != 0 || m != 0 || d != 0 || zero.Ordinal() != 0 || !zero.Start(time.UTC).IsZero() {
		t.Errorf("zero Date: IsZero %v, String %q, Parts %d %d %d, Ordinal %d", zero.IsZero(), zero.String(), y, m, d, zero.Ordinal())
	}
	if DateFromOrdinal(0) != zero || DateFromOrdinal(-5) != date(t, 1, 1, 1) || DateFromOrdinal(1<<40) != date(t, 9999, 12, 31) {
		t.Error("DateFromOrdinal does not give zero for 0 or clamp other ordinals")
	}
	if got := DateOf(time.Date(-5, 1, 1, 0, 0, 0, 0, time.UTC), time.UTC); got != date(t, 1, 1, 1) {
		t.Errorf("DateOf before the year 1 = %v", got)
	}
	if got := DateOf(time.Date(12000, 1, 1, 0, 0, 0, 0, time.UTC), time.UTC); got != date(t, 9999, 12, 31) {
		t.Errorf("DateOf after 9999 = %v", got)
	}
}

func TestDateText(t *testing.T) {
	type doc struct {
		D Date `json:"d" yaml:"d"`
		O Date `json:"o,omitzero" yaml:"o,omitempty"`
	}
	tests := []struct {
		name, reason string
		in           doc
		json, yaml   string
	}{
		{"a day", "the YYYY-MM-DD form", doc{D: date(t, 2026, 3, 1)}, `{"d":"2026-03-01"}`, "d: \"2026-03-01\"\n"},
		{"no date", "the zero Date is empty text, or left out with omitzero", doc{}, `{"d":""}`, "d: \"\"\n"},
		{"first and last", "four-digit years at both ends", doc{D: date(t, 1, 1, 1), O: date(t, 9999, 12, 31)},
			`{"d":"0001-01-01","o":"9999-12-31"}`, "d: \"0001-01-01\"\no: \"9999-12-31\"\n"},
	}
	for _, tt := range tests {
		b, err := json.Marshal(tt.in)
		if err != nil || string(b) != tt.json {
			t.Errorf("%s (%s): json.Marshal = %s, %v; want %s", tt.name, tt.reason, b, err, tt.json)
		}
		var back doc
		if err := json.Unmarshal(b, &back); err != nil || back != tt.in {
			t.Errorf("%s (%s): JSON round trip = %+v, %v", tt.name, tt.reason, back, err)
		}
		y, err := yaml.Marshal(tt.in)
		if err != nil || string(y) != tt.yaml {
			t.Errorf("%s (%s): yaml.Marshal = %q, %v; want %q", tt.name, tt.reason, y, err, tt.yaml)
		}
		back = doc{}
		if err := yaml.Unmarshal(y, &back); err != nil || back != tt.in {
			t.Errorf("%s (%s): YAML round trip = %+v, %v", tt.name, tt.reason, back, err)
		}
	}
	var d doc
	if err := json.Unmarshal([]byte(`{"d":"2026-02-30"}`), &d); err == nil || !strings.Contains(err.Error(), "day 30 does not exist in February 2026") {
		t.Errorf("JSON with an impossible date: %v", err)
	}
	if err := yaml.Unmarshal([]byte("d: 2026-13-01\n"), &d); err == nil || !strings.Contains(err.Error(), "month 13 is outside 1 to 12") {
		t.Errorf("YAML with an impossible date: %v", err)
	}
	if b, err := date(t, 2026, 3, 1).AppendText([]byte("day ")); err != nil || string(b) != "day 2026-03-01" {
		t.Errorf("AppendText = %q, %v", b, err)
	}
	if b, _ := (Date{}).AppendText([]byte("x")); string(b) != "x" {
		t.Errorf("AppendText of the zero Date = %q", b)
	}
}

func TestDateOf(t *testing.T) {
	la := loadZone(t, "America/Los_Angeles")
	ny := loadZone(t, "America/New_York")
	instant := time.Date(2026, 3, 11, 3, 0, 0, 0, time.UTC)
	tests := []struct {
		at     time.Time
		loc    *time.Location
		want   string
		reason string
	}{
		{instant, time.UTC, "2026-03-11", "UTC"},
		{instant, la, "2026-03-10", "03:00 UTC is still the evening before in Los Angeles"},
		{instant, loadZone(t, "Asia/Tokyo"), "2026-03-11", "and noon in Tokyo"},
		{instant.In(la), time.UTC, "2026-03-11", "the location given wins over the one the instant carries"},
		{time.Date(1969, 12, 31, 23, 59, 59, 0, time.UTC), time.UTC, "1969-12-31", "before the Unix epoch rounds down"},
		{time.Date(2026, 11, 1, 5, 30, 0, 0, time.UTC), ny, "2026-11-01", "01:30 EDT, the first of the repeated hour"},
		{time.Date(2026, 11, 1, 6, 30, 0, 0, time.UTC), ny, "2026-11-01", "01:30 EST, the second"},
		{time.Date(2026, 11, 2, 4, 59, 59, 0, time.UTC), ny, "2026-11-01", "the fall-back day is 25 hours long"},
	}
	for _, tt := range tests {
		if got := DateOf(tt.at, tt.loc).String(); got != tt.want {
			t.Errorf("DateOf(%s) in %s = %s, want %s (%s)", tt.at.UTC().Format(time.RFC3339), tt.loc, got, tt.want, tt.reason)
		}
	}
}

func TestDateStart(t *testing.T) {
	tests := []struct {
		zone, day, want, reason string
	}{
		{"UTC", "2026-03-11", "2026-03-11T00:00:00Z", "midnight"},
		{"UTC", "0001-01-01", "0001-01-01T00:00:00Z", "the first valid day"},
		{"UTC", "9999-12-31", "9999-12-31T00:00:00Z", "the last valid day"},
		{"America/New_York", "2026-03-08", "2026-03-08T05:00:00Z", "the spring-forward day starts at midnight EST"},
		{"America/New_York", "2026-03-09", "2026-03-09T04:00:00Z", "and the next at midnight EDT"},
		{"America/New_York", "2026-11-01", "2026-11-01T04:00:00Z", "the fall-back day starts at midnight EDT"},
		{"America/New_York", "2026-11-02", "2026-11-02T05:00:00Z", "and the next at midnight EST"},
		{"America/Santiago", "2022-09-11", "2022-09-11T04:00:00Z", "Chile skips from 00:00 to 01:00: the day starts at the change"},
		{"America/Santiago", "2026-09-06", "2026-09-06T04:00:00Z", "and does so every September"},
		{"America/Santiago", "2026-04-05", "2026-04-05T04:00:00Z", "when Chile goes back, 23:00 repeats and midnight comes once"},
		{"America/Havana", "2026-03-08", "2026-03-08T05:00:00Z", "Cuba skips midnight as well"},
		{"America/Havana", "2026-11-01", "2026-11-01T04:00:00Z", "and repeats it in November: the earlier midnight"},
		{"Australia/Lord_Howe", "2026-04-05", "2026-04-04T13:00:00Z", "Lord Howe goes back half an hour at 02:00, after midnight"},
		{"Australia/Lord_Howe", "2026-10-04", "2026-10-03T13:30:00Z", "and forward half an hour"},
		{"Asia/Kolkata", "2026-03-11", "2026-03-10T18:30:00Z", "a half-hour offset"},
	}
	for _, tt := range tests {
		loc := loadZone(t, tt.zone)
		d := parse(t, tt.day)
		got := d.Start(loc)
		if got.UTC().Format(time.RFC3339) != tt.want {
			t.Errorf("%s in %s: Start = %s, want %s (%s)", tt.day, tt.zone, got.UTC().Format(time.RFC3339), tt.want, tt.reason)
		}
		if tt.day != "0001-01-01" && (DateOf(got, loc) != d || DateOf(got.Add(-time.Nanosecond), loc) == d) {
			t.Errorf("%s in %s: %s is not the first instant of the day (%s)", tt.day, tt.zone, got, tt.reason)
		}
		if got.Location() != loc {
			t.Errorf("%s in %s: Start is in %s", tt.day, tt.zone, got.Location())
		}
	}
}

// TestDayLengths checks that a day made shorter or longer by a
// daylight-saving change is still one day apart in dates while its length
// in hours follows the clocks.
func TestDayLengths(t *testing.T) {
	tests := []struct {
		zone, day string
		want      time.Duration
		reason    string
	}{
		{"America/New_York", "2026-03-08", 23 * time.Hour, "spring forward"},
		{"America/New_York", "2026-11-01", 25 * time.Hour, "fall back"},
		{"America/Santiago", "2022-09-11", 23 * time.Hour, "the skipped midnight"},
		{"America/Santiago", "2026-04-04", 25 * time.Hour, "the repeated 23:00"},
		{"America/Havana", "2026-11-01", 25 * time.Hour, "the repeated midnight"},
		{"Australia/Lord_Howe", "2026-04-05", 24*time.Hour + 30*time.Minute, "half an hour back"},
		{"Australia/Lord_Howe", "2026-10-04", 23*time.Hour + 30*time.Minute, "half an hour forward"},
	}
	for _, tt := range tests {
		loc := loadZone(t, tt.zone)
		d := parse(t, tt.day)
		next := d.AddDays(1)
		if got := next.Start(loc).Sub(d.Start(loc)); got != tt.want || next.DaysSince(d) != 1 {
			t.Errorf("%s in %s lasts %v, want %v (%s)", tt.day, tt.zone, got, tt.want, tt.reason)
		}
	}
}

// TestStartEveryDay walks zones whose changes fall at or near midnight and
// checks that Start is always the first instant of its day.
func TestStartEveryDay(t *testing.T) {
	for _, zone := range []string{"America/Santiago", "America/Havana", "Asia/Beirut", "America/Sao_Paulo", "Australia/Lord_Howe", "America/New_York", "Pacific/Apia"} {
		loc := loadZone(t, zone)
		for d := parse(t, "2010-01-01"); d.Before(parse(t, "2027-01-01")); d = d.AddDays(1) {
			s := d.Start(loc)
			if DateOf(s, loc) != d {
				if zone == "Pacific/Apia" && d == parse(t, "2011-12-30") {
					continue // Samoa skipped this day
				}
				t.Fatalf("%s in %s: Start %s is on %v", d, zone, s, DateOf(s, loc))
			}
			if DateOf(s.Add(-time.Nanosecond), loc) == d {
				t.Fatalf("%s in %s: Start %s is not the first instant", d, zone, s)
			}
		}
	}
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2026-03-01", "2028-02-29", "2026-02-29", "0001-01-01", "9999-12-31", "0000-00-00", "2026-13-01", "", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDate(s)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "risk: parse date ") {
				t.Fatalf("ParseDate(%q) error %q lacks the prefix", s, err)
			}
			return
		}
		if d.IsZero() {
			t.Fatalf("ParseDate(%q) gave the zero Date", s)
		}
		if d.String() != s {
			t.Fatalf("ParseDate(%q).String() = %q", s, d.String())
		}
		y, m, dd := d.Parts()
		if back, err := NewDate(y, m, dd); err != nil || back != d {
			t.Fatalf("NewDate(Parts(%s)) = %v, %v", s, back, err)
		}
		if back := DateFromOrdinal(d.Ordinal()); back != d {
			t.Fatalf("ordinal round trip of %s gives %v", s, back)
		}
		if DateOf(d.Start(time.UTC), time.UTC) != d {
			t.Fatalf("DateOf(Start(%s)) differs", s)
		}
		var back Date
		if b, err := d.MarshalText(); err != nil || back.UnmarshalText(b) != nil || back != d {
			t.Fatalf("text round trip of %s gives %v", s, back)
		}
	})
}

func BenchmarkDateOf(b *testing.B) {
	loc := loadZone(b, "America/New_York")
	t0 := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	b.ReportAllocs()
	var sink Date
	for i := range b.N {
		sink = DateOf(t0.Add(time.Duration(i%1000)*time.Hour), loc)
	}
	_ = sink
}

func BenchmarkStart(b *testing.B) {
	loc := loadZone(b, "America/New_York")
	d := date(b, 2026, 3, 1)
	b.ReportAllocs()
	var sink time.Time
	for i := range b.N {
		sink = d.AddDays(i % 365).Start(loc)
	}
	_ = sink
}
