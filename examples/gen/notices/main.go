package main

import (
	"github.com/riskkit/riskkit/examples/internal/gendata"
)

// command writes the notices and the decisions into examples/data, or into
// the directory -o names.
var command = &gendata.Command{
	Name: "notices",
	Dir:  true,
	Generate: func() ([]gendata.File, error) {
		notices, decisions, err := generate()
		if err != nil {
			return nil, err
		}
		return []gendata.File{
			{Name: noticesFile, Data: notices},
			{Name: decisionsFile, Data: decisions},
		}, nil
	},
}

func main() { command.Main() }
