package strictjson_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/riskkit/riskkit/examples/internal/strictjson"
	"github.com/riskkit/riskkit/risk"
)

func TestDecode(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want *risk.Issue
	}{
		{"ok", `{"txn": {"id": "t1", "amount": "20.00 USD"}}`, nil},
		{"unknown key names its path", `{"txn": {"amout": "20.00 USD"}}`,
			&risk.Issue{Path: "txn.amout", Msg: "unknown field (misspelt, or in the wrong object?)"}},
		{"bad amount names its path", `{"txn": {"amount": "20.00 XXQ"}}`,
			&risk.Issue{Path: "txn.amount", Msg: `risk: parse money "20.00 XXQ": risk: unknown currency "XXQ"`}},
		{"wrong type says what is wanted", `{"txn": {"amount": 20}}`,
			&risk.Issue{Path: "txn.amount", Msg: `want an amount as a string, such as "20.00 USD", got a JSON number`}},
		{"wrong type in a list names the index", `{"txn": {"line_items": [{"category": "x"}, {"amount": true}]}}`,
			&risk.Issue{Path: "txn.line_items[1].amount", Msg: `want an amount as a string, such as "20.00 USD", got a JSON bool`}},
		{"syntax error on a later line", "{\n  \"txn\": {\n    \"id\": \"t1\",,\n  }\n}",
			&risk.Issue{Line: 3, Column: 16, Msg: "invalid character ',' looking for beginning of object key string"}},
		{"truncated", "{\"txn\": {\"id\": \"t1\"",
			&risk.Issue{Line: 1, Column: 20, Msg: "input ends inside a JSON value (truncated?)"}},
		{"trailing data", `{} {}`,
			&risk.Issue{Line: 1, Column: 4, Msg: "unexpected data after the JSON value (one value per document or line)"}},
		{"empty", "  \n", &risk.Issue{Msg: "no JSON value (the document is empty)"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var c risk.Checkout
			got := strictjson.Decode([]byte(tc.in), &c)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func FuzzDecode(f *testing.F) {
	f.Add([]byte(`{"txn": {"id": "t1", "amount": "20.00 USD", "line_items": [{"amount": 1}]}}`))
	f.Add([]byte("{\n\"customer\": {\"id\": 1}}"))
	f.Add([]byte(`[`))
	f.Fuzz(func(t *testing.T, b []byte) {
		var c risk.Checkout
		is := strictjson.Decode(b, &c)
		if is != nil && is.Msg == "" {
			t.Fatalf("an issue without a message: %+v", is)
		}
		if is != nil && (is.Line < 0 || is.Column < 0 || (is.Line > 0) != (is.Column > 0)) {
			t.Fatalf("bad position %d:%d", is.Line, is.Column)
		}
	})
}
