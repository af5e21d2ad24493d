package schema_test

import (
	"flag"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/riskkit/riskkit/examples/schema"
)

var update = flag.Bool("update", false, "rewrite the committed schema files")

// TestCommitted keeps the committed files equal to what the types give.
func TestCommitted(t *testing.T) {
	for _, name := range schema.Names() {
		t.Run(name, func(t *testing.T) {
			got, err := schema.Generate(name)
			if err != nil {
				t.Fatal(err)
			}
			if *update {
				if err := os.WriteFile(schema.FileName(name), got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(schema.FileName(name))
			if err != nil {
				t.Fatalf("%v (go test ./examples/schema -update writes it)", err)
			}
			if diff := cmp.Diff(string(want), string(got)); diff != "" {
				t.Errorf("%s is stale; run go test ./examples/schema -update (-committed +generated):\n%s", schema.FileName(name), diff)
			}
		})
	}
	if _, err := schema.Generate("nonesuch"); err == nil {
		t.Error("an unknown schema name is not an error")
	}
}
