package main

import (
	"fmt"

	"github.com/riskkit/riskkit/examples/internal/gendata"
)

// command writes the sign-ups to examples/data/applicants.jsonl, or to the
// file -o names.
var command = &gendata.Command{
	Name: "applicants",
	Generate: func() ([]gendata.File, error) {
		b, n, err := generate()
		if err != nil {
			return nil, err
		}
		return []gendata.File{{Name: "applicants.jsonl", Data: b, Count: fmt.Sprintf("%d applicants", n)}}, nil
	},
}

func main() { command.Main() }
