// Command spend writes examples/data/spend_2026q1.jsonl, the daily and
// hourly spend of four customers of a cloud reseller from January to March
// 2026, for the budgets in examples/policies/budgets.yaml.
//
//	go run ./examples/gen/spend           # rewrite the committed file
//	go run ./examples/gen/spend -o x.jsonl
//
// Without -o it writes examples/data/spend_2026q1.jsonl under the module
// root, found by walking up from the working directory to go.mod.
//
// # Output
//
// Each line is a budget.Record with the customer's id, in the order the
// records arrive at the host:
//
//	{"customer_id":"cus_contoso","id":"contoso-20260301","day":"2026-03-01","amount":"142.17 USD"}
//
// # Customers
//
// Contoso (USD, New York) spends steadily in January and February, then
// starts a GPU workload in March that takes it through 50%, 80% and 100% of
// its monthly budget, with one day of runaway usage on top. Fabrikam (EUR,
// Berlin) has a strong weekly pattern and one quiet day. Northwind (USD, Los
// Angeles) grows a little every month. Tailspin (JPY, Tokyo) runs a launch
// from 15 February, metered by the hour in its last week.
//
// The feed is as untidy as a real one: a few records arrive days late, one
// is sent twice, and one is corrected by a second revision that arrives
// later.
//
// # Determinism
//
// The output depends only on the fixed seeds of the PCG source in
// generate.go: running the command again rewrites the file byte for byte.
// The package's test regenerates the data in memory and compares it with
// the committed file.
package main
