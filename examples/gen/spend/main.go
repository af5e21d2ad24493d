package main

import (
	"fmt"

	"github.com/riskkit/riskkit/examples/internal/gendata"
)

// command writes the feed to examples/data/spend_2026q1.jsonl, or to the
// file -o names.
var command = &gendata.Command{
	Name: "spend",
	Generate: func() ([]gendata.File, error) {
		b, n, err := generate()
		if err != nil {
			return nil, err
		}
		return []gendata.File{{Name: "spend_2026q1.jsonl", Data: b, Count: fmt.Sprintf("%d records", n)}}, nil
	},
}

func main() { command.Main() }
