package budget

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/riskkit/riskkit/risk"
)

func TestWindow(t *testing.T) {
	type want struct {
		start, end risk.Date
		days       int
		hours      float64
	}
	tests := []struct {
		name, reason string
		budget       Budget
		at           string // an instant in RFC 3339
		want         want
	}{
		{"monthly across spring forward", "March in New York loses an hour to daylight saving",
			Budget{Period: Monthly, Start: day(2026, 1, 1), TimeZone: "America/New_York"}, "2026-03-15T12:00:00Z",
			want{day(2026, 3, 1), day(2026, 3, 31), 31, 743}},
		{"monthly across fall back", "October in London gains an hour",
			Budget{Period: Monthly, Start: day(2026, 1, 1), TimeZone: "Europe/London"}, "2026-10-31T23:30:00Z",
			want{day(2026, 10, 1), day(2026, 10, 31), 31, 745}},
		{"leap February", "February 2028 has 29 days",
			Budget{Period: Monthly, Start: day(2026, 1, 1)}, "2028-02-29T23:59:59Z",
			want{day(2028, 2, 1), day(2028, 2, 29), 29, 29 * 24}},
		{"common February", "February 2026 has 28 days",
			Budget{Period: Monthly, Start: day(2026, 1, 1)}, "2026-02-28T00:00:00Z",
			want{day(2026, 2, 1), day(2026, 2, 28), 28, 28 * 24}},
		{"local date decides", "23:00 on March 31 in New York is April 1 in UTC but still March there",
			Budget{Period: Monthly, Start: day(2026, 1, 1), TimeZone: "America/New_York"}, "2026-04-01T03:00:00Z",
			want{day(2026, 3, 1), day(2026, 3, 31), 31, 743}},
		{"local midnight starts the period", "midnight on April 1 in Tokyo is March 31 in UTC",
			Budget{Period: Monthly, Start: day(2026, 1, 1), TimeZone: "Asia/Tokyo"}, "2026-03-31T15:00:00Z",
			want{day(2026, 4, 1), day(2026, 4, 30), 30, 720}},
		{"quarterly from February", "quarters count from the start month, not the calendar's",
			Budget{Period: Quarterly, Start: day(2026, 2, 1)}, "2026-07-31T12:00:00Z",
			want{day(2026, 5, 1), day(2026, 7, 31), 92, 92 * 24}},
		{"annual leap year", "2028 has 366 days",
			Budget{Period: Annual, Start: day(2027, 1, 1)}, "2028-06-01T00:00:00Z",
			want{day(2028, 1, 1), day(2028, 12, 31), 366, 366 * 24}},
		{"annual across DST in Sydney", "a southern-hemisphere year gains and loses an hour",
			Budget{Period: Annual, Start: day(2026, 7, 1), TimeZone: "Australia/Sydney"}, "2027-01-15T00:00:00Z",
			want{day(2026, 7, 1), day(2027, 6, 30), 365, 365 * 24}},
		{"custom range", "a custom budget has one period from start to end",
			Budget{Period: Custom, Start: day(2026, 2, 15), End: day(2026, 3, 31)}, "2026-03-10T00:00:00Z",
			want{day(2026, 2, 15), day(2026, 3, 31), 45, 45 * 24}},
		{"half-hour zone", "Lord Howe Island moves its clocks by 30 minutes",
			Budget{Period: Monthly, Start: day(2026, 1, 1), TimeZone: "Australia/Lord_Howe"}, "2026-04-10T00:00:00Z",
			want{day(2026, 4, 1), day(2026, 4, 30), 30, 720.5}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := tt.budget
			b.ID, b.Amount = "b", usd("1.00")
			loc := time.UTC
			if b.TimeZone != "" {
				loc = mustLoad(t, b.TimeZone)
			}
			at, err := time.Parse(time.RFC3339, tt.at)
			if err != nil {
				t.Fatal(err)
			}
			w, err := window(&b, loc, at)
			if err != nil {
				t.Fatalf("Window: %v", err)
			}
			got := want{w.Start, w.End, w.Days(), w.EndsAt.Sub(w.StartsAt).Hours()}
			if diff := cmp.Diff(tt.want, got, cmp.AllowUnexported(want{})); diff != "" {
				t.Errorf("window (-want +got):\n%s%s", diff, tt.reason)
			}
			if !w.Contains(at) {
				t.Errorf("window %v..%v does not contain %v", w.StartsAt, w.EndsAt, at)
			}
			if h, m, s := w.StartsAt.Clock(); h+m+s != 0 || risk.DateOf(w.StartsAt, loc) != w.Start {
				t.Errorf("StartsAt %v is not local midnight of %v", w.StartsAt, w.Start)
			}
			if h, m, s := w.EndsAt.Clock(); h+m+s != 0 || risk.DateOf(w.EndsAt, loc) != w.End.AddDays(1) {
				t.Errorf("EndsAt %v is not local midnight after %v", w.EndsAt, w.End)
			}
		})
	}
}

// TestWindowsTile checks that consecutive periods meet exactly, so that no
// instant belongs to two periods or to none, across years of DST changes.
func TestWindowsTile(t *testing.T) {
	for _, zone := range []string{"UTC", "America/New_York", "Europe/Berlin", "Australia/Lord_Howe", "America/Santiago"} {
		for _, p := range []Period{Monthly, Quarterly, Annual} {
			b := Budget{ID: "b", Amount: usd("1.00"), Period: p, Start: day(2024, 1, 1), TimeZone: zone}
			loc := mustLoad(t, zone)
			w, err := window(&b, loc, day(2024, 1, 1).Start(loc))
			if err != nil {
				t.Fatal(err)
			}
			for range 40 {
				next, err := window(&b, loc, w.EndsAt)
				if err != nil {
					t.Fatal(err)
				}
				if !next.StartsAt.Equal(w.EndsAt) || next.Index != w.Index+1 || next.Start != w.End.AddDays(1) {
					t.Fatalf("%s %v: period %d ends %v (%v) but the next starts %v (%v)", zone, p, w.Index, w.EndsAt, w.End, next.StartsAt, next.Start)
				}
				if last, err := window(&b, loc, w.EndsAt.Add(-time.Nanosecond)); err != nil || last.Index != w.Index {
					t.Fatalf("%s %v: the instant before %v is in period %d, want %d (%v)", zone, p, w.EndsAt, last.Index, w.Index, err)
				}
				w = next
			}
		}
	}
}

func TestWindowErrors(t *testing.T) {
	b := Budget{ID: "b", Amount: usd("1.00"), Start: day(2026, 1, 1), End: day(2026, 6, 30), TimeZone: "Europe/Paris"}
	paris := mustLoad(t, "Europe/Paris")
	tests := []struct {
		name string
		loc  *time.Location
		at   time.Time
		want error
	}{
		{"before the start", paris, time.Date(2025, 12, 31, 23, 59, 0, 0, paris), ErrNotInEffect},
		{"after the end", paris, time.Date(2026, 7, 1, 0, 0, 0, 0, paris), ErrNotInEffect},
		{"wrong zone", time.UTC, time.Date(2026, 3, 1, 0, 0, 0, 0, paris), ErrWrongLocation},
		{"nil means UTC", nil, time.Date(2026, 3, 1, 0, 0, 0, 0, paris), ErrWrongLocation},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := window(&b, tt.loc, tt.at); !errors.Is(err, tt.want) {
				t.Errorf("error %v, want %v", err, tt.want)
			}
		})
	}
	if w, err := window(&b, paris, time.Date(2026, 6, 30, 23, 59, 0, 0, paris)); err != nil || w.End != b.End {
		t.Errorf("last day: %v, %v", w, err)
	}
	bad := Budget{ID: "b"}
	if _, err := window(&bad, nil, time.Now()); !errors.Is(err, ErrInvalidBudget) {
		t.Errorf("invalid budget: %v", err)
	}
}

// TestMidnightAgreesWithStart checks the cached computation of local
// midnight against risk.Date.Start for every day of several years in zones
// with daylight saving, including ones that change their clocks at
// midnight.
func TestMidnightAgreesWithStart(t *testing.T) {
	for _, name := range []string{"UTC", "America/New_York", "America/Santiago", "America/Havana", "Asia/Beirut", "Australia/Lord_Howe", "Europe/Dublin", "Pacific/Apia"} {
		loc := mustLoad(t, name)
		z := newZones(loc)
		for d := day(2010, 1, 1); d.Before(day(2030, 1, 1)); d = d.AddDays(1) {
			if got, want := z.midnight(d), d.Start(loc); !got.Equal(want) {
				t.Fatalf("%s %v: midnight %v, Start says %v", name, d, got, want)
			}
		}
	}
}

// TestPeriodDaysAgreesWithAddMonths checks the first days of periods built
// from a year and month against adding months to the start, including
// periods that run past the calendar's ends, where both clamp.
func TestPeriodDaysAgreesWithAddMonths(t *testing.T) {
	starts := []risk.Date{day(1, time.January, 1), day(1970, time.February, 1), day(2024, time.February, 1), day(9999, time.December, 1)}
	for _, p := range []Period{Monthly, Quarterly, Annual} {
		for _, s := range starts {
			b := Budget{Period: p, Start: s}
			m := p.months()
			for k := -40; k <= 40; k++ {
				start, next := b.periodDays(k)
				if want := addMonths(s, k*m); start != want {
					t.Errorf("%v from %v: period %d starts %v, want %v", p, s, k, start, want)
				}
				if want := addMonths(s, (k+1)*m); next != want {
					t.Errorf("%v from %v: period %d ends before %v, want %v", p, s, k, next, want)
				}
			}
		}
	}
}
