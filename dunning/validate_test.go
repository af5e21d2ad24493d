package dunning

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/riskkit/riskkit/risk"
)

func TestParseLedger(t *testing.T) {
	l, err := ParseLedger([]byte(ledgerJSON))
	if err != nil {
		t.Fatal(err)
	}
	if l.Customer.ID != "c-1" || len(l.Invoices) != 2 || l.Invoices[1].State != Disputed || l.Invoices[0].Due() != day("2026-03-31") {
		t.Errorf("parsed ledger: %+v", l)
	}
}

func TestParseLedgerErrors(t *testing.T) {
	tests := []struct {
		name, reason, src string
		want              []string
	}{
		{
			name: "syntax", reason: "a JSON syntax error has its line",
			src:  "{\n  \"customer\": {\"id\": \"c\"},\n  \"invoices\": [}\n}",
			want: []string{"3: syntax error: did not find expected node content"},
		},
		{
			name: "bad money", reason: "a value that does not decode is found by path",
			src: `{
  "customer": {"id": "c"},
  "invoices": [
    {"id": "A", "amount": "10.00 USD", "issue_date": "2026-03-01"},
    {"id": "B", "amount": "12,00 USD", "issue_date": "2026-03-01"}
  ]
}`,
			want: []string{`5:27: invoices[1].amount: parse money "12,00 USD": invalid character ',' in amount "12,00"`},
		},
		{
			name: "wrong case", reason: "keys are read exactly as written",
			src:  `{"customer": {"id": "c"}, "Invoices": []}`,
			want: []string{`1:27: Invoices: unknown key "Invoices"; did you mean "invoices"?`},
		},
		{
			name: "type", reason: "a value of the wrong type says what was wanted",
			src:  `{"customer": {"id": "c"}, "invoices": [{"id": "A", "amount": "1.00 USD", "issue_date": "2026-03-01", "net_days": "30"}]}`,
			want: []string{`1:114: invoices[0].net_days: "30" is not a whole number`},
		},
		{
			name: "validation", reason: "every inconsistency is reported with its position",
			src: `{
  "customer": {"id": "c"},
  "invoices": [
    {"id": "A", "amount": "10.00 USD", "issue_date": "2026-03-10", "due_date": "2026-03-01"},
    {"id": "A", "amount": "-1.00 USD", "issue_date": "2026-03-01"}
  ],
  "entries": [
    {"id": "p1", "kind": "payment", "at": "2026-03-10T10:00:00Z", "amount": "5.00 EUR", "invoice": "A"},
    {"id": "cb", "kind": "chargeback", "at": "2026-03-09T10:00:00Z", "amount": "5.00 EUR", "ref": "p1"}
  ],
  "controls": [{"kind": "pause", "from": "2026-04-01", "reason": ""}]
}`,
			want: []string{
				"4:80: invoices[0].due_date: 2026-03-01 is before issue_date 2026-03-10",
				`5:12: invoices[1].id: invoice "A" is also invoices[0]`,
				`5:27: invoices[1].amount: amount -1.00 USD is negative; record money owed back as a credit`,
				"8:77: entries[0].amount: currency EUR differs from invoice A in USD",
				`9:46: entries[1].at: 2026-03-09T10:00:00Z is before payment "p1" at 2026-03-10T10:00:00Z`,
				"11:16: controls[0].until: a pause needs until, the day dunning resumes",
				"11:66: controls[0].reason: reason is required, for the audit trail",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseLedger([]byte(tt.src))
			var verr *risk.DocumentError
			if !errors.As(err, &verr) {
				t.Fatalf("error %v is not a *risk.DocumentError", err)
			}
			var got []string
			for _, is := range verr.Issues {
				got = append(got, is.String())
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("%s (-want +got):\n%s", tt.reason, diff)
			}
		})
	}
}

func TestParseLedgers(t *testing.T) {
	ls, err := ParseLedgers([]byte("[" + ledgerJSON + `, {"customer": {"id": "c-2"}}]`))
	if err != nil || len(ls) != 2 || ls[1].Customer.ID != "c-2" {
		t.Fatalf("ParseLedgers: %v, %v", ls, err)
	}
	one, err := ParseLedgers([]byte(ledgerJSON))
	if err != nil || len(one) != 1 {
		t.Fatalf("one ledger: %v, %v", one, err)
	}
	_, err = ParseLedgers([]byte("[\n{\"customer\": {\"id\": \"a\"}},\n{\"customer\": {\"id\": \"\"}},\nnull\n]"))
	var verr *risk.DocumentError
	if !errors.As(err, &verr) {
		t.Fatalf("error %v", err)
	}
	var got []string
	for _, is := range verr.Issues {
		got = append(got, is.String())
	}
	want := []string{"3:21: [1].customer.id: customer id is required", "4:1: [2]: ledger is null"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("problems in a list of ledgers (-want +got):\n%s", diff)
	}
}

// TestControlCharactersInIDs checks that ids that could not be logged or
// printed safely are refused, wherever the ledger names one.
func TestControlCharactersInIDs(t *testing.T) {
	for name, edit := range map[string]func(l *Ledger){
		"customer":     func(l *Ledger) { l.Customer.ID = "c\x00" },
		"invoice":      func(l *Ledger) { l.Invoices[0].ID = "A\n" },
		"entry":        func(l *Ledger) { l.Entries = []Entry{pay("p\x1b", "2026-03-02T10:00:00Z", "1.00 USD", "A")} },
		"subscription": func(l *Ledger) { l.Subscriptions = []Subscription{{ID: "s\x7f", Price: usd("1.00")}} },
	} {
		l := ledger(inv("A", "10.00 USD", "2026-03-01", 0))
		edit(l)
		err := l.Validate()
		var de *risk.DocumentError
		if !errors.As(err, &de) || !strings.Contains(err.Error(), "control character") {
			t.Errorf("%s: %v, want a *risk.DocumentError about the control character", name, err)
		}
	}
}
