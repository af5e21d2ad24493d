package main

import "github.com/riskkit/riskkit/examples/internal/gendata"

// command writes the hard cases, their labels, the customers and the
// host's state into examples/data, or into the directory -dir names.
var command = &gendata.Command{
	Name:     "abusehard",
	Flag:     "dir",
	Dir:      true,
	Generate: generate,
}

func main() { command.Main() }
