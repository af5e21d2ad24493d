package yamlpos_test

import (
	"fmt"

	"github.com/riskkit/riskkit/internal/yamlpos"
	"go.yaml.in/yaml/v3"
)

func Example() {
	src := []byte("id: p\nrules:\n  - id: r1\n    when: amount > 10\n")
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		panic(err)
	}
	rules := yamlpos.Value(doc.Content[0], "rules")
	when := yamlpos.Value(rules.Content[0], "when")
	fmt.Printf("when at %d:%d\n", when.Line, when.Column)
	line, col := yamlpos.LineCol(src, 10)
	fmt.Printf("offset 10 at %d:%d\n", line, col)
	// Output:
	// when at 4:11
	// offset 10 at 2:5
}
