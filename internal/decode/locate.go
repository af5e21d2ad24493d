package decode

import (
	"strconv"
	"strings"

	"github.com/riskkit/riskkit/internal/yamlpos"
	"go.yaml.in/yaml/v3"
)

// ParseAt parses src[start:end] as one document, as [Parse] does, with its
// problems and nodes placed by their line and column in the whole of src:
// a reader of JSON Lines parses one record of a file this way.
func ParseAt(src []byte, start, end int) (*Document, []Issue) {
	start, end = min(max(start, 0), len(src)), min(max(end, 0), len(src))
	if start > end {
		start = end
	}
	buf := make([]byte, end)
	for i, c := range src[:start] {
		if c != '\n' {
			c = ' '
		}
		buf[i] = c
	}
	copy(buf[start:], src[start:end])
	return Parse(buf)
}

// Locate returns the line and column of the value at path, found by
// following its keys and indexes from the document's root, as in
// "value[2].activityLogs". Where the path leads past what was written,
// such as into a string that holds JSON text, it returns the place of the
// last value on the way. Unlike [Document.Pos], it needs no [Document.Into]
// first, so that a reader that does not decode by json tags can still
// locate its problems.
func (d *Document) Locate(path string) (line, col int) {
	if d == nil {
		return 0, 0
	}
	n := d.root
	for rest := path; rest != ""; {
		var next *yaml.Node
		if rest[0] == '[' {
			j := strings.IndexByte(rest, ']')
			if j < 0 {
				break
			}
			i, err := strconv.Atoi(rest[1:j])
			if err == nil && n.Kind == yaml.SequenceNode && 0 <= i && i < len(n.Content) {
				next = yamlpos.Resolve(n.Content[i])
			}
			rest = rest[j+1:]
		} else {
			rest = strings.TrimPrefix(rest, ".")
			j := strings.IndexAny(rest, ".[")
			if j < 0 {
				j = len(rest)
			}
			next = yamlpos.Value(n, rest[:j])
			rest = rest[j:]
		}
		if next == nil {
			break
		}
		n = next
	}
	return n.Line, n.Column
}
