package yamlpos

import (
	"bytes"
	"testing"

	"github.com/google/go-cmp/cmp"
	"go.yaml.in/yaml/v3"
)

const doc = `id: p
base: &b
  when: x > 1
rules: *b
[k]: 1
id: again
`

func root(t *testing.T) *yaml.Node {
	t.Helper()
	var d yaml.Node
	if err := yaml.Unmarshal([]byte(doc), &d); err != nil {
		t.Fatal(err)
	}
	return d.Content[0]
}

func TestValue(t *testing.T) {
	m := root(t)
	type pos struct{ Line, Column int }
	tests := []struct {
		name, reason string
		node         *yaml.Node
		key          string
		want         *pos
	}{
		{"mapping", "a mapping value starts at its anchor", m, "base", &pos{2, 7}},
		{"first of repeated", "a repeated key is reported elsewhere; lookups see the first", m, "id", &pos{1, 5}},
		{"alias", "a value written as an alias is the anchored node", m, "rules", &pos{2, 7}},
		{"nested", "lookups chain through resolved values", Value(m, "rules"), "when", &pos{3, 9}},
		{"missing", "an absent key is nil", m, "outcomes", nil},
		{"not a mapping", "a scalar has no keys", Value(m, "id"), "id", nil},
		{"nil node", "a failed lookup can be looked into again", nil, "id", nil},
		{"non-scalar key", "a flow sequence used as a key never matches its text", m, "[k]", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got *pos
			if n := Value(tt.node, tt.key); n != nil {
				got = &pos{n.Line, n.Column}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Value(%q) (-want +got):\n%s%s", tt.key, diff, tt.reason)
			}
		})
	}
}

func TestKeyIndex(t *testing.T) {
	m := root(t)
	if got := KeyIndex(m, "rules"); got != 4 {
		t.Errorf("KeyIndex(rules) = %d, want 4: keys and values alternate", got)
	}
	if got := KeyIndex(m, "nope"); got != -1 {
		t.Errorf("KeyIndex(nope) = %d, want -1", got)
	}
}

func TestResolve(t *testing.T) {
	a := &yaml.Node{Kind: yaml.AliasNode}
	a.Alias = a
	if got := Resolve(a); got != a {
		t.Errorf("Resolve of a cycle = %p, want it to stop at %p", got, a)
	}
	if Resolve(nil) != nil {
		t.Error("Resolve(nil) is not nil")
	}
	s := &yaml.Node{Kind: yaml.ScalarNode, Value: "v"}
	if got := Resolve(&yaml.Node{Kind: yaml.AliasNode, Alias: s}); got != s {
		t.Errorf("Resolve followed the alias to %v, want %v", got, s)
	}
}

func TestLineCol(t *testing.T) {
	src := []byte("ab\ncd\n\nef")
	tests := []struct {
		name, reason string
		off          int
		line, col    int
	}{
		{"start", "offsets are 0-based, positions 1-based", 0, 1, 1},
		{"newline", "a newline ends its own line", 2, 1, 3},
		{"second line", "columns restart after a newline", 4, 2, 2},
		{"empty line", "an empty line still counts", 6, 3, 1},
		{"end", "just past the end, where an unexpected end of input is", 9, 4, 3},
		{"negative", "clamped to the first byte", -5, 1, 1},
		{"beyond", "clamped to the end", 100, 4, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			line, col := LineCol(src, tt.off)
			if diff := cmp.Diff([2]int{tt.line, tt.col}, [2]int{line, col}); diff != "" {
				t.Errorf("LineCol(%d) (-want +got):\n%s%s", tt.off, diff, tt.reason)
			}
		})
	}
}

// FuzzLineCol checks that a position, turned back into an offset, is the
// offset it came from.
func FuzzLineCol(f *testing.F) {
	f.Add([]byte("a: 1\nb: 2\n"), 6)
	f.Add([]byte(""), 0)
	f.Add([]byte("\n\n\n"), 2)
	f.Fuzz(func(t *testing.T, src []byte, off int) {
		off = min(max(off, 0), len(src))
		line, col := LineCol(src, off)
		if line < 1 || col < 1 {
			t.Fatalf("LineCol(%d) = %d:%d, not 1-based", off, line, col)
		}
		start := 0
		for range line - 1 {
			start += bytes.IndexByte(src[start:], '\n') + 1
		}
		if got := start + col - 1; got != off {
			t.Fatalf("LineCol(%d) = %d:%d, which is offset %d", off, line, col, got)
		}
	})
}
