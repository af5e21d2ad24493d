// Package examples holds riskkit's example policies and data, embedded so
// that tests, benchmarks and host programs can load them without files.
//
// Policies live in policies/ and data in data/, each named by its file name:
//
//	src, err := examples.Policy("checkout.yaml")
//	engine, err := risk.Compile(src, risk.CheckoutSchema())
//
// The riskctl command in examples/riskctl runs them; generators that
// produce the data from a fixed seed live in examples/gen.
package examples

import (
	"embed"
	"fmt"
	"io/fs"
	"sort"
)

//go:embed policies data
var files embed.FS

// Policy returns the example policy with the given file name, such as
// "checkout.yaml".
func Policy(name string) ([]byte, error) { return read("policies", name) }

// Data returns the example data file with the given name, such as
// "transactions.jsonl".
func Data(name string) ([]byte, error) { return read("data", name) }

// Policies returns the file names of the example policies, sorted.
func Policies() []string { return list("policies") }

// DataFiles returns the file names of the example data, sorted.
func DataFiles() []string { return list("data") }

func read(dir, name string) ([]byte, error) {
	b, err := files.ReadFile(dir + "/" + name)
	if err != nil {
		return nil, fmt.Errorf("examples: no %s file %q (have %v)", dir, name, list(dir))
	}
	return b, nil
}

func list(dir string) []string {
	entries, _ := fs.ReadDir(files, dir)
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		if !e.IsDir() {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	return names
}
