package main

import (
	"strings"

	"github.com/riskkit/riskkit/examples/schema"
)

func runSchema(e *env, args []string) error {
	fs := newFlags(e, "schema", strings.Join(schema.Names(), "|"))
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageError("schema takes one name: %s", strings.Join(schema.Names(), ", "))
	}
	b, err := schema.Generate(fs.Arg(0))
	if err != nil {
		return usageError("%v", err)
	}
	_, err = e.stdout.Write(b)
	return err
}
