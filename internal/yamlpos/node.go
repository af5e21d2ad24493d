package yamlpos

import "go.yaml.in/yaml/v3"

// maxAliases bounds how many aliases [Resolve] follows. The YAML decoder
// rejects cycles, but a tree built in Go need not; a chain this long is
// not written by hand.
const maxAliases = 100

// Resolve returns the node that n's aliases lead to, or n itself when it is
// not an alias. It returns nil for nil, and stops after 100 aliases so that
// a cycle ends.
func Resolve(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && n.Alias != nil && i < maxAliases; i++ {
		n = n.Alias
	}
	return n
}

// KeyIndex returns the index in m.Content of the scalar key node named
// key, or -1 when m is not a mapping or has no such key. The value is at
// the index after it. A repeated key gives its first occurrence.
func KeyIndex(m *yaml.Node, key string) int {
	if m == nil || m.Kind != yaml.MappingNode {
		return -1
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if k := m.Content[i]; k.Kind == yaml.ScalarNode && k.Value == key {
			return i
		}
	}
	return -1
}

// Value returns the value under key in the mapping m, with its aliases
// resolved, or nil when m is not a mapping or has no such key.
func Value(m *yaml.Node, key string) *yaml.Node {
	if i := KeyIndex(m, key); i >= 0 {
		return Resolve(m.Content[i+1])
	}
	return nil
}
