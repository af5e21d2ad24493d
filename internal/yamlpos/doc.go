// Package yamlpos finds where things are in a YAML or JSON document, so
// that the decoders of riskkit can put a line and column on every problem
// they report.
//
//	var doc yaml.Node
//	_ = yaml.Unmarshal(src, &doc)
//	if rules := yamlpos.Value(doc.Content[0], "rules"); rules != nil {
//		fmt.Println(rules.Line, rules.Column) // where the rules start
//	}
//	line, col := yamlpos.LineCol(src, 42) // a decoder's byte offset
//
// # Nodes
//
// [Value] and [KeyIndex] look up a key of a mapping node, the way a
// decoder that walks a yaml.Node tree needs to; [Resolve] follows an alias
// to the node it names, so that a value written as *anchor is checked where
// the anchor is.
//
// # Offsets
//
// encoding/json reports byte offsets; [LineCol] turns one into the 1-based
// line and column the riskkit packages put in a risk.Issue.
//
// The functions have no state and are safe for concurrent use; they never
// panic on any node tree go.yaml.in/yaml/v3 builds, nor on a nil node.
package yamlpos
