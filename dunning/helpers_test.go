package dunning

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/riskkit/riskkit/risk"
)

// equateValues compares Money and risk.Date, whose fields are unexported, with ==.
var equateValues = cmpopts.EquateComparable(risk.Money{}, risk.Date{})

// day parses a date in tests.
func day(s string) risk.Date {
	d, err := risk.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// at parses an RFC 3339 instant in tests.
func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func usd(s string) risk.Money { return risk.MustMoney(s + " USD") }
func eur(s string) risk.Money { return risk.MustMoney(s + " EUR") }

func loadLoc(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Skipf("time zone %s not available: %v", name, err)
	}
	return loc
}

func inv(id, amount, issue string, net int) Invoice {
	return Invoice{ID: id, Amount: risk.MustMoney(amount), IssueDate: day(issue), NetDays: net}
}

func pay(id, when, amount, invoice string) Entry {
	return Entry{ID: id, Kind: Payment, At: at(when), Amount: risk.MustMoney(amount), Invoice: invoice}
}

// dunner compiles s for loc, failing the test when it cannot.
func dunner(t testing.TB, s *Schedule, loc *time.Location) *Dunner {
	t.Helper()
	d, err := NewDunner(s, loc)
	if err != nil {
		t.Fatalf("NewDunner: %v", err)
	}
	return d
}
