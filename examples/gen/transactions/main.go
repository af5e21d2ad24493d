// Command transactions writes examples/data/transactions.jsonl, a labelled
// sample of checkouts at a cloud reseller for backtesting checkout policies.
//
// Usage:
//
//	go run ./examples/gen/transactions [-o FILE]
//
// Without -o it writes examples/data/transactions.jsonl under the module
// root, found by walking up from the working directory to go.mod. The output
// depends only on the fixed seeds in generate.go, so running it again
// rewrites the committed file byte for byte; the package's test checks that.
//
// Each line is a risk.Labeled[risk.Checkout]:
//
//	{"id": "txn-00001", "fraud": false, "input": {"customer": ..., "payment": ..., "txn": ..., "signals": ...}}
//
// About 5% of the checkouts are fraud, drawn from the theft-of-service
// patterns a reseller meets: stolen cards, bursts of robotic sign-ups sharing
// an address or device, prepaid cards, GPU capacity bought by brand-new
// accounts, service used before the first payment, and a share of quiet
// fraud (taken-over accounts, customers who simply never pay) that no
// checkout rule can see. Legitimate customers carry realistic noise:
// travellers, mistyped security codes, offices behind one address, start-ups
// buying GPUs on day one, hosts that do not supply every signal.
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "transactions:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	fs := flag.NewFlagSet("transactions", flag.ContinueOnError)
	out := fs.String("o", "", "output `file` (default examples/data/transactions.jsonl under the module root)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	path := *out
	if path == "" {
		root, err := moduleRoot()
		if err != nil {
			return err
		}
		path = filepath.Join(root, "examples", "data", "transactions.jsonl")
	}
	b, err := generate()
	if err != nil {
		return err
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "transactions: wrote %d records (%d bytes) to %s\n", records, len(b), path)
	return nil
}

// moduleRoot finds the directory holding go.mod, starting from the working
// directory, so that the default output lands in the same place wherever in
// the module the command is run from.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the working directory; pass -o")
		}
		dir = parent
	}
}
