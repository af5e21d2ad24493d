package budget

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"
)

// TestRecordOrderDoesNotMatter evaluates random histories with the records
// shuffled, sorted by id, and sorted for a prefix only, so that the
// deduplication starts on records whose ids only increased and then meets
// resends and corrections of them; every order must give the same status.
func TestRecordOrderDoesNotMatter(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	for i := range 100 {
		b, recs := randomHistory(r, time.UTC)
		now := day(2026, 1, 1).AddDays(20 + r.IntN(120)).Start(time.UTC).Add(time.Duration(r.IntN(24)) * time.Hour)
		want, wantNext, err := evaluate(b, nil, recs, State{}, now)
		if err != nil {
			t.Fatalf("history %d: %v", i, err)
		}
		byID := func(a, b Record) int { return cmp.Compare(a.ID, b.ID) }
		sorted := slices.Clone(recs)
		slices.SortStableFunc(sorted, byID)
		prefix := slices.Clone(recs)
		k := r.IntN(len(prefix))
		slices.SortStableFunc(prefix[:k], byID)
		for name, order := range map[string][]Record{"sorted": sorted, "sorted prefix": prefix} {
			got, gotNext, err := evaluate(b, nil, order, State{}, now)
			if err != nil {
				t.Fatalf("history %d, %s: %v", i, name, err)
			}
			if diff := gocmp.Diff(want, got, moneyEq); diff != "" {
				t.Errorf("history %d, %s: status (-want +got):\n%s", i, name, diff)
			}
			if diff := gocmp.Diff(wantNext, gotNext, moneyEq); diff != "" {
				t.Errorf("history %d, %s: state (-want +got):\n%s", i, name, diff)
			}
		}
	}
}

// TestResendAfterLateRecord checks that a resend counts once when a record
// received after now stands between it and the first copy, out of order.
func TestResendAfterLateRecord(t *testing.T) {
	now := time.Date(2026, time.March, 10, 12, 0, 0, 0, time.UTC)
	b := &Budget{ID: "b", Amount: usd("1000.00"), Start: day(2026, time.January, 1)}
	recs := []Record{
		{ID: "b", Day: day(2026, time.March, 2), Amount: usd("10.00")},
		{ID: "a", Day: day(2026, time.March, 3), Amount: usd("20.00"), Received: now.Add(time.Hour)},
		{ID: "b", Day: day(2026, time.March, 2), Amount: usd("10.00")},
	}
	st, _, err := evaluate(b, nil, recs, State{}, now)
	if err != nil {
		t.Fatal(err)
	}
	if want := usd("10.00"); st.Spent != want {
		t.Errorf("spent %v, want %v", st.Spent, want)
	}
}
