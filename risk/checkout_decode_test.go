package risk_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/riskkit/riskkit/examples"
	"github.com/riskkit/riskkit/risk"
)

func TestDecodeCheckout(t *testing.T) {
	src := `
customer: {id: c-1, kind: business, country: DE, created_at: 2026-01-02T03:04:05Z, email: verified}
payment: {type: card, funding: prepaid, cvc: pass}
txn:
  id: t-1
  customer_id: c-1
  amount: 120.00 EUR
  line_items:
    - {sku: vm.small, quantity: 2, amount: 120.00 EUR}
  ip: 203.0.113.7
signals: {accounts_per_ip_1h: 2, purchases_24h: null}
`
	got, err := risk.DecodeCheckout([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if got.Transaction.Amount.String() != "120.00 EUR" || got.Payment.Funding != risk.Prepaid || got.Customer.Country != "DE" {
		t.Errorf("decoded %+v", got)
	}
	if n, ok := got.Signals.AccountsPerIP1h.Get(); !ok || n != 2 {
		t.Errorf("accounts_per_ip_1h = %v", got.Signals.AccountsPerIP1h)
	}
	if _, ok := got.Signals.Purchases24h.Get(); ok {
		t.Errorf("purchases_24h: null must read as not supplied")
	}
}

func TestDecodeCheckoutProblems(t *testing.T) {
	tests := []struct {
		name, reason, src string
		want              []risk.Issue
	}{
		{"unknown field", "a typo is refused, with the name the document uses",
			`{"txn": {"id": "t", "amout": "1.00 USD"}}`,
			[]risk.Issue{{Path: "txn.amout", Line: 1, Column: 21, Msg: `unknown key "amout"; did you mean "amount"?`}}},
		{"line item path", "problems name the list index",
			"txn:\n  amount: 10.00 USD\n  line_items:\n    - {sku: a, amount: 5.00 USD}\n    - {sku: b, amount: 5.00 EUR}\n    - {sku: c, quantity: -1}\n",
			[]risk.Issue{
				{Path: "txn.line_items[1].amount", Line: 5, Column: 24, Msg: "5.00 EUR is not in the transaction's currency USD"},
				{Path: "txn.line_items[2].quantity", Line: 6, Column: 26, Msg: "-1 is negative; a count is at least 0"},
			}},
		{"negative signal", "a count the host computed cannot be negative",
			"signals:\n  accounts_per_ip_1h: -3\n",
			[]risk.Issue{{Path: "signals.accounts_per_ip_1h", Line: 2, Column: 23, Msg: "-3 is negative; a count is at least 0"}}},
		{"several at once", "every problem comes back together",
			"customer: {id: c-1, country: Germany}\ntxn: {customer_id: c-2, ip: 300.1.2.3, amount: -5.00 USD}\n",
			[]risk.Issue{
				{Path: "customer.country", Line: 1, Column: 30, Msg: `"Germany" is not an ISO 3166-1 alpha-2 code such as DE`},
				{Path: "txn.customer_id", Line: 2, Column: 20, Msg: `"c-2" is not the customer's id "c-1"`},
				{Path: "txn.amount", Line: 2, Column: 48, Msg: "-5.00 USD is negative"},
				{Path: "txn.ip", Line: 2, Column: 29, Msg: `"300.1.2.3" is not an IP address`},
			}},
		{"control character", "ids are printed and keyed; a NUL is refused",
			`{"txn": {"id": "t\u0000x"}}`,
			[]risk.Issue{{Path: "txn.id", Line: 1, Column: 16, Msg: `"t\x00x" has the control character U+0000`}}},
		{"wrong type", "a list where a mapping belongs",
			"payment: [card]\n",
			[]risk.Issue{{Path: "payment", Line: 1, Column: 10, Msg: "want a mapping of keys to values"}}},
		{"unknown enum", "enumerations are closed sets",
			"payment: {funding: gift}\n",
			[]risk.Issue{{Path: "payment.funding", Line: 1, Column: 20, Msg: `unknown funding "gift" (want one of credit, debit, prepaid, stored_value)`}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := risk.DecodeCheckout([]byte(tt.src))
			var de *risk.DocumentError
			if !errors.As(err, &de) {
				t.Fatalf("%s: got %v, want a *risk.DocumentError", tt.reason, err)
			}
			if diff := cmp.Diff(tt.want, de.Issues, cmpopts.IgnoreFields(risk.Issue{}, "Err")); diff != "" {
				t.Errorf("%s: issues (-want +got):\n%s", tt.reason, diff)
			}
		})
	}
}

func TestDocumentErrorUnwrap(t *testing.T) {
	_, err := risk.DecodeCheckout([]byte("txn: {amount: 5.00 XXY}\n"))
	if !errors.Is(err, risk.ErrUnknownCurrency) {
		t.Errorf("errors.Is(%v, ErrUnknownCurrency) = false", err)
	}
	want := `risk: checkout: 1:15: txn.amount: parse money "5.00 XXY": unknown currency "XXY"`
	if err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("Error() = %q, want it to start %q", err, want)
	}
}

func TestCheckoutValidate(t *testing.T) {
	var nilCheckout *risk.Checkout
	if err := nilCheckout.Validate(); err == nil {
		t.Error("nil checkout validated")
	}
	c := risk.Checkout{Payment: risk.PaymentInstrument{Funding: "gift"}, Signals: risk.Signals{Purchases24h: risk.Known(-1)}}
	var de *risk.DocumentError
	if err := c.Validate(); !errors.As(err, &de) || len(de.Issues) != 2 || de.Issues[0].Line != 0 {
		t.Errorf("Validate() = %v; want two unlocated issues", err)
	}
	if err := (&risk.Checkout{}).Validate(); err != nil {
		t.Errorf("the zero checkout (every input missing) is valid: %v", err)
	}
}

// TestShippedCheckoutsDecode decodes every example checkout through
// DecodeCheckout, so that the decoder accepts what encoding/json writes.
func TestShippedCheckoutsDecode(t *testing.T) {
	data, err := examples.Data("transactions.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 1<<20)
	n := 0
	for sc.Scan() {
		var rec struct {
			Input json.RawMessage `json:"input"`
		}
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			t.Fatal(err)
		}
		got, err := risk.DecodeCheckout(rec.Input)
		if err != nil {
			t.Fatalf("line %d: %v", n+1, err)
		}
		var want risk.Checkout
		if err := json.Unmarshal(rec.Input, &want); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, got, cmpopts.EquateComparable(risk.Money{}, risk.Signal{})); diff != "" {
			t.Fatalf("line %d: DecodeCheckout and encoding/json differ (-json +decode):\n%s", n+1, diff)
		}
		n++
	}
	if n < 1000 {
		t.Errorf("only %d checkouts read", n)
	}
}

func ExampleDecodeCheckout() {
	_, err := risk.DecodeCheckout([]byte(`{
  "txn": {"id": "t-9", "amount": "25.00 USD", "line_items": [{"sku": "vm", "amount": "25.00 EUR"}]},
  "signals": {"accounts_per_ip_1h": -1}
}`))
	fmt.Println(err)
	// Output:
	// risk: checkout "t-9" has 2 problems
	// 	2:86: txn.line_items[0].amount: 25.00 EUR is not in the transaction's currency USD
	// 	3:37: signals.accounts_per_ip_1h: -1 is negative; a count is at least 0
}

func FuzzDecodeCheckout(f *testing.F) {
	f.Add([]byte(`{"customer": {"id": "c"}, "txn": {"id": "t", "amount": "1.00 USD", "time": "2026-01-01T00:00:00Z"}}`))
	f.Add([]byte("txn: {line_items: [{amount: 1 JPY}, {amount: -1 JPY}]}\nsignals: {purchases_24h: 99999999999999999999}\n"))
	f.Add([]byte("payment: &p {funding: *p}\n"))
	f.Add([]byte(`{"txn": {"ip": "::ffff:1.2.3.4", "time": "not a time"}}`))
	f.Fuzz(func(t *testing.T, src []byte) {
		c, err := risk.DecodeCheckout(src)
		if err != nil {
			var de *risk.DocumentError
			if !errors.As(err, &de) || len(de.Issues) == 0 {
				t.Fatalf("error %v is not a *risk.DocumentError with issues", err)
			}
			return
		}
		if err := c.Validate(); err != nil {
			t.Fatalf("decoded checkout does not validate: %v", err)
		}
		// What decodes survives a JSON round trip unchanged.
		b, err := json.Marshal(c)
		if err != nil {
			t.Fatal(err)
		}
		again, err := risk.DecodeCheckout(b)
		if err != nil {
			t.Fatalf("re-decoding %s: %v", b, err)
		}
		if diff := cmp.Diff(c, again, cmpopts.EquateComparable(risk.Money{}, risk.Signal{})); diff != "" {
			t.Fatalf("round trip (-first +second):\n%s", diff)
		}
	})
}

// TestDecodeCheckoutKeyCase pins what DecodeCheckout's doc says of JSON
// keys: one in another case is its field, a repeated one is a problem.
func TestDecodeCheckoutKeyCase(t *testing.T) {
	c, err := risk.DecodeCheckout([]byte(`{"TXN": {"id": "t1"}}`))
	if err != nil || c.Transaction.ID != "t1" {
		t.Errorf("a key in another case: %+v, %v", c.Transaction, err)
	}
	_, err = risk.DecodeCheckout([]byte(`{"txn": {"id": "a"}, "TXN": {"id": "b"}}`))
	if !errors.Is(err, risk.ErrInvalidCheckout) {
		t.Errorf("a key repeated in another case is accepted: %v", err)
	}
}
