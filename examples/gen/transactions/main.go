package main

import (
	"fmt"

	"github.com/riskkit/riskkit/examples/internal/gendata"
)

// command writes the sample to examples/data/transactions.jsonl, or to the
// file -o names.
var command = &gendata.Command{
	Name: "transactions",
	Generate: func() ([]gendata.File, error) {
		b, err := generate()
		if err != nil {
			return nil, err
		}
		return []gendata.File{{Name: "transactions.jsonl", Data: b, Count: fmt.Sprintf("%d records", records)}}, nil
	},
}

func main() { command.Main() }
