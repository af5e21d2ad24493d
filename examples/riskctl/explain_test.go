package main

import "testing"

func TestExplain(t *testing.T) {
	checkout := `{"payment": {"type": "card", "funding": "prepaid", "issuing_country": "US"}, "txn": {"id": "t1", "amount": "20.00 USD", "ip_country": "DE", "time": "2026-11-25T10:00:00Z"}, "customer": {"id": "c1", "country": "US"}}`
	runInvocations(t, []invocation{{
		name: "checkout", reason: "every rule is listed with its result and the value of each sub-expression, at its line and column",
		stdin: checkout, args: []string{"explain", "-policy", "embedded:checkout.yaml"},
		stdout: []string{
			"decision: reject ",
			"rule high_risk_funding: FIRED ->reject\n",
			":18  payment.funding = \"prepaid\"\n",
			":35  lists.high_risk_funding = [\"prepaid\", \"stored_value\"]\n",
			":27  payment.funding in lists.high_risk_funding = true\n",
			"rule cnp_ip_issuer_mismatch: FIRED",
			"txn.ip_country = \"DE\"\n",
			"payment.issuing_country != txn.ip_country = true\n",
			"rule ip_signup_burst_1h: MISSING signals.accounts_per_ip_1h\n",
			"signals.accounts_per_ip_1h >= params.accounts_per_ip_1h = missing: signals.accounts_per_ip_1h\n",
		},
	}, {
		name: "onboarding", reason: "explain works on every kind",
		args:   []string{"explain", "-policy", "embedded:onboarding.yaml", "testdata/applicant.json"},
		stdout: []string{"decision: "},
	}, {
		name: "bad input", reason: "an input that does not decode is an error naming its field",
		stdin: `{"txn": {"amout": 1}}`, args: []string{"explain", "-policy", "embedded:checkout.yaml"},
		code: 1, stderr: []string{"txn.amout"},
	}})
}
