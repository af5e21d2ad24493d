// Command transactions writes examples/data/transactions.jsonl, a labelled
// sample of checkouts at a cloud reseller for backtesting checkout policies.
//
//	go run ./examples/gen/transactions           # rewrite the committed file
//	go run ./examples/gen/transactions -o x.jsonl
//
// Without -o it writes examples/data/transactions.jsonl under the module
// root, found by walking up from the working directory to go.mod.
//
// # Output
//
// Each line is a risk.Labeled[risk.Checkout]:
//
//	{"id": "txn-00001", "fraud": false, "input": {"customer": ..., "payment": ..., "txn": ..., "signals": ...}}
//
// Checkouts run through 2026 in time order, billed mostly in USD and also in
// EUR, GBP and JPY. The sample holds 3,000 of them, which keeps the embedded
// file under 3 MB.
//
// # Patterns
//
// About 5% of the checkouts are fraud, drawn from the theft-of-service
// patterns a reseller meets: stolen cards used on new accounts, bursts of
// robotic sign-ups sharing an address or a device, prepaid cards, GPU
// capacity bought by brand-new accounts, and service used before the first
// payment. A share is quiet fraud (taken-over accounts, customers who pass
// every check and never pay) that no checkout rule can see, and every
// pattern leaves some of its checkouts looking clean.
//
// Legitimate customers carry realistic noise: travellers and expatriates
// whose countries disagree, mistyped security codes, offices behind one
// address, start-ups buying GPUs on their first day, late payers, and hosts
// that do not supply every signal. So the labels are not a function of any
// policy: the example policy misses some fraud and flags some good customers.
//
// # Determinism
//
// The output depends only on the fixed seeds of the PCG source in
// generate.go: running the command again rewrites the file byte for byte.
// The package's test regenerates the sample in memory and compares it with
// the committed file.
package main
