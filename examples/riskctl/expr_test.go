package main

import "testing"

func TestExpr(t *testing.T) {
	checkout := `{"payment": {"funding": "prepaid"}, "txn": {"id": "t1", "amount": "20.00 USD", "ip_country": "DE"}, "customer": {"id": "c1", "country": "US"}}`
	runInvocations(t, []invocation{{
		name: "bool", reason: "an expression is evaluated on one checkout from stdin",
		stdin: checkout, args: []string{"expr", `payment.funding == "prepaid" && txn.ip_country != customer.country`},
		stdout: []string{"true (bool)\n"},
	}, {
		name: "labelled record", reason: "a backtest record's input is used",
		stdin: `{"id": "r1", "fraud": true, "input": ` + checkout + `}`, args: []string{"expr", `txn.ip_country`},
		stdout: []string{"DE (string)\n"},
	}, {
		name: "missing input", reason: "a value that needs an input not supplied is an error naming it",
		stdin: checkout, args: []string{"expr", `signals.accounts_per_ip_1h > 2`},
		code: 1, stderr: []string{"signals.accounts_per_ip_1h"},
	}, {
		name: "does not compile", reason: "problems carry the column in the expression",
		stdin: checkout, args: []string{"expr", `txn.amout`},
		code: 1, stderr: []string{"<expr>:1:4: undefined field 'amout'"},
	}, {
		name: "enforcement kind", reason: "-kind picks the input type",
		stdin: `{"finding": {"id": "f1", "severity": 7.5}, "customer": {"id": "c1"}}`, args: []string{"expr", "-kind", "enforcement", `finding.level`},
		stdout: []string{"high (string)\n"},
	}, {
		name: "no expression", reason: "the expression is required",
		args: []string{"expr"}, code: 2, stderr: []string{"expr takes an expression"},
	}})
}
