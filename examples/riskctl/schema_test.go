package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/riskkit/riskkit/examples/schema"
)

func TestSchemaCommand(t *testing.T) {
	for _, name := range schema.Names() {
		code, stdout, stderr := riskctl(t, "", "schema", name)
		want := readFile(t, filepath.Join("..", "schema", schema.FileName(name)))
		if code != 0 || stdout != want {
			t.Errorf("riskctl schema %s: exit %d, stderr %q; stdout differs from the committed %s", name, code, stderr, schema.FileName(name))
		}
	}
	runInvocations(t, []invocation{{
		name: "unknown", reason: "an unknown name is a usage error listing the names",
		args: []string{"schema", "refund"}, code: 2, stderr: []string{`no schema "refund" (have applicant, budget, checkout, decision, ledger, telemetry)`},
	}, {
		name: "none", reason: "a name is needed",
		args: []string{"schema"}, code: 2, stderr: []string{"schema takes one name"},
	}})
	if _, err := os.Stat(filepath.Join("..", "schema", "checkout.schema.json")); err != nil {
		t.Fatal(err)
	}
}
