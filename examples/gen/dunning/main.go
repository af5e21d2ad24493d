package main

import (
	"maps"
	"slices"

	"github.com/riskkit/riskkit/examples/internal/gendata"
)

// command writes the demo ledger and the portfolio into examples/data, or
// into the directory -o names.
var command = &gendata.Command{
	Name: "dunning",
	Dir:  true,
	Generate: func() ([]gendata.File, error) {
		files, err := generate()
		if err != nil {
			return nil, err
		}
		// Sorted, so the files are written and reported in a fixed order.
		var out []gendata.File
		for _, name := range slices.Sorted(maps.Keys(files)) {
			out = append(out, gendata.File{Name: name, Data: files[name]})
		}
		return out, nil
	},
}

func main() { command.Main() }
