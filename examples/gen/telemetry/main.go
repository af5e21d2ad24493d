package main

import "github.com/riskkit/riskkit/examples/internal/gendata"

// command writes the telemetry, its labels, the customers and the host's
// state into examples/data, or into the directory -dir names.
var command = &gendata.Command{
	Name:     "telemetry",
	Flag:     "dir",
	Dir:      true,
	Generate: generate,
}

func main() { command.Main() }
