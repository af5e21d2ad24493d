// Command dunning writes the example ledgers of the dunning package:
//
//	examples/data/dunning_ledger.json     one customer, for the demo
//	examples/data/dunning_portfolio.json  24 customers, for aging and riskctl
//
// Run it from anywhere in the module to rewrite both files:
//
//	go run ./examples/gen/dunning
//	go run ./examples/gen/dunning -o DIR    # write them to DIR instead
//
// # The demo customer
//
// Northwind Traders pays its January invoice, then its card starts failing:
// the February invoice, due on 15 February, is declined and retried, the
// March one goes unpaid too, and the account slides through the reminder,
// restricted purchases and suspended subscriptions under
// examples/policies/dunning.yaml. On 24 March the customer pays both
// invoices and is reinstated, with a credit for the week its subscription
// was suspended.
//
// # The portfolio
//
// Twenty-four customers in USD, EUR and GBP with six monthly invoices each,
// January to June 2026, who pay promptly, late, in part, not at all from
// some month on, dispute an invoice, or have a payment charged back. It
// gives the aging report and a batch evaluation something to show.
//
// # Determinism
//
// The portfolio depends only on the fixed seeds of the PCG source in
// generate.go, so running the command again rewrites the files byte for
// byte; the package's test regenerates them in memory and compares them
// with the committed files.
package main
