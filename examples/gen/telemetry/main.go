package main

import "github.com/riskkit/riskkit/examples/internal/gendata"

// command writes the telemetry, its labels, the customers and the host's
// state into examples/data, or into the directory -dir names.
var command = &gendata.Command{
	Name: "telemetry",
	Flag: "dir",
	Dir:  true,
	Generate: func() ([]gendata.File, error) {
		files, err := generate()
		if err != nil {
			return nil, err
		}
		out := make([]gendata.File, len(files))
		for i, f := range files {
			out[i] = gendata.File{Name: f.name, Data: f.data}
		}
		return out, nil
	},
}

func main() { command.Main() }
