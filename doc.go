// Package riskkit is an embeddable, pure Go library that keeps fraud,
// non-payment and abuse from eating a partner platform's margins. A cloud
// reseller or marketplace links it into its own services and calls it
// in-process, without I/O.
//
// The module is a set of packages; this one only documents them:
//
//   - [github.com/riskkit/riskkit/risk]: typed customer, payment and
//     transaction models, exact [risk.Money], and the CEL policy engine that
//     scores checkouts and explains every decision; backtests, and
//     risk/risktest for a policy's test cases.
//   - [github.com/riskkit/riskkit/onboarding]: sign-up assessment and the
//     controls a new customer starts under.
//   - [github.com/riskkit/riskkit/dunning]: receivables, aging, and the
//     dunning state machine from reminders to suspension and reinstatement.
//   - [github.com/riskkit/riskkit/budget]: monthly spending budgets,
//     forecasts, threshold alerts and anomalies.
//   - [github.com/riskkit/riskkit/abuse]: acceptable-use detectors over usage
//     telemetry, theft-of-service signals, and enforcement recommendations.
//   - [github.com/riskkit/riskkit/examples]: example policies and data, and
//     the riskctl command.
//
// # Quick start
//
//	src, _ := examples.Policy("checkout.yaml")
//	engine, err := risk.Compile(src, risk.CheckoutSchema())
//	if err != nil { ... }
//	d := engine.Evaluate(&risk.Checkout{Customer: c, Payment: p, Transaction: t})
//	fmt.Println(d.Outcome, d.Score, d.Reasons())
//
// Every package is pure: time is a parameter, state is plain data passed in
// and returned, and nothing does I/O, starts goroutines or reads the
// environment. Run `go run ./examples/riskctl demo` for a tour.
package riskkit
