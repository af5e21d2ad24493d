package decode

import (
	"bytes"
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/riskkit/riskkit/internal/yamlpos"
	"go.yaml.in/yaml/v3"
)

const (
	// MaxDepth is the deepest nesting Into follows.
	MaxDepth = 32
	// MaxProblems is the most problems reported for one document; past it
	// a last problem says that decoding stopped.
	MaxProblems = 50
	// maxAliased bounds the values Into builds from nodes reached through
	// aliases, so that a small document of aliases to aliases cannot
	// expand into millions of values.
	maxAliased = 100_000
)

// Document is a parsed YAML or JSON document. After [Document.Into] it
// remembers where each path was written. A Document is not safe for
// concurrent use.
type Document struct {
	root  *yaml.Node
	nodes map[string]*yaml.Node
	// json is set when the document was read as JSON (see [JSON]): a
	// string is then only a quoted string, and problems name JSON's kinds.
	json bool
}

// Parse parses src as one YAML (or JSON) document. Problems, such as a
// syntax error, an empty document or a second document, come back located
// where the source allows, and the Document is then nil.
func Parse(src []byte) (*Document, []Issue) {
	if len(bytes.TrimSpace(src)) == 0 {
		return nil, []Issue{{Msg: "the document is empty"}}
	}
	dec := yaml.NewDecoder(bytes.NewReader(src))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		return nil, []Issue{syntaxIssue(src, err)}
	}
	var extra yaml.Node
	switch err := dec.Decode(&extra); {
	case err == nil:
		return nil, []Issue{{Line: extra.Line, Column: extra.Column, Msg: "a second document; give one"}}
	case !errors.Is(err, io.EOF):
		return nil, []Issue{syntaxIssue(src, err)}
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 || isNull(yamlpos.Resolve(doc.Content[0])) {
		return nil, []Issue{{Msg: "the document is empty"}}
	}
	d := &Document{root: yamlpos.Resolve(doc.Content[0]), nodes: map[string]*yaml.Node{}}
	// Top-level keys are located from the start, for validators that
	// check a document without decoding all of it.
	if d.root.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(d.root.Content); i += 2 {
			if k := d.root.Content[i]; k.Kind == yaml.ScalarNode {
				if _, dup := d.nodes[k.Value]; !dup {
					d.nodes[k.Value] = yamlpos.Resolve(d.root.Content[i+1])
				}
			}
		}
	}
	return d, nil
}

// parserErrors are the messages of go.yaml.in/yaml/v3's parser (as opposed
// to its scanner): it reports their line counting from zero.
var parserErrors = []string{
	"did not find expected <document start>",
	"did not find expected node content",
	"did not find expected key",
	"did not find expected '-' indicator",
	"did not find expected ',' or ']'",
	"did not find expected ',' or '}'",
	"found undefined tag handle",
	"found duplicate %YAML directive",
	"found incompatible YAML document",
	"found duplicate %TAG directive",
}

// syntaxIssue turns an error of the YAML library into an issue at the
// right line, finding a place in src for the errors that name none.
func syntaxIssue(src []byte, err error) Issue {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	if rest, ok := strings.CutPrefix(msg, "line "); ok {
		num, text, _ := strings.Cut(rest, ": ")
		if line, err := strconv.Atoi(num); err == nil {
			for _, p := range parserErrors {
				if text == p {
					line++
					break
				}
			}
			return Issue{Line: line, Msg: "syntax error: " + text}
		}
	}
	is := Issue{Msg: "syntax error: " + msg}
	switch {
	case strings.Contains(msg, "control characters are not allowed"):
		if i := bytes.IndexFunc(src, isControl); i >= 0 {
			is.Line, is.Column = yamlpos.LineCol(src, i)
			is.Msg = fmt.Sprintf("control character %U is not allowed", []rune(string(src[i:]))[0])
		}
	case strings.Contains(msg, "invalid leading UTF-8 octet") || strings.Contains(msg, "incomplete UTF-8"):
		if i := invalidUTF8(src); i >= 0 {
			is.Line, is.Column = yamlpos.LineCol(src, i)
			is.Msg = "the text is not valid UTF-8"
		}
	case strings.HasPrefix(msg, "unknown anchor '"):
		name, _, _ := strings.Cut(strings.TrimPrefix(msg, "unknown anchor '"), "'")
		if i := bytes.Index(src, []byte("*"+name)); i >= 0 {
			is.Line, is.Column = yamlpos.LineCol(src, i)
		}
		is.Msg = fmt.Sprintf("alias *%s names no anchor", name)
	}
	return is
}

func isControl(r rune) bool {
	return r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r == 0x7f
}

func invalidUTF8(src []byte) int {
	for i := 0; i < len(src); {
		r, n := utf8.DecodeRune(src[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return -1
}

// Root returns the document's top node.
func (d *Document) Root() *yaml.Node { return d.root }

// Node returns the node written at path, as recorded by [Document.Into],
// with its aliases resolved, or nil.
func (d *Document) Node(path string) *yaml.Node { return d.nodes[path] }

// Pos returns the line and column where path was written, or where the
// closest enclosing path was, or 0, 0.
func (d *Document) Pos(path string) (line, col int) {
	for p := path; ; {
		if n, ok := d.nodes[p]; ok {
			return n.Line, n.Column
		}
		if p == "" {
			return 0, 0
		}
		i := strings.LastIndexAny(p, ".[")
		if i < 0 {
			i = 0
		}
		p = p[:i]
	}
}

// Into decodes the document into v, a non-nil pointer, and returns every
// problem found, or nil. Keys of the top-level mapping named in skip are
// left out, not reported as unknown: they belong to another reader, such
// as a package that adds a section of its own to a policy.
func (d *Document) Into(v any, skip ...string) []Issue {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return []Issue{{Msg: fmt.Sprintf("decode: Into needs a non-nil pointer, not %T", v)}}
	}
	s := &state{doc: d, skip: skip}
	s.value(d.root, "", rv.Elem(), 0)
	return s.issues
}

// Field decodes the value at path into v, a non-nil pointer, with problem
// paths that start with path. The path is a key of the top-level mapping,
// or any path an earlier [Document.Into] recorded, such as "tests[3].input",
// so that a caller can decode part of a document into a type it learns
// late. It returns false with no problems when nothing is at path.
func (d *Document) Field(path string, v any) (bool, []Issue) {
	n := d.nodes[path]
	if n == nil {
		return false, nil
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return true, []Issue{{Msg: fmt.Sprintf("decode: Field needs a non-nil pointer, not %T", v)}}
	}
	s := &state{doc: d}
	s.value(n, path, rv.Elem(), strings.Count(path, ".")+strings.Count(path, "[")+1)
	return true, s.issues
}

// state is one run of Into.
type state struct {
	doc    *Document
	issues []Issue
	// aliased counts the values built from nodes reached through an
	// alias; aliasDepth is how many aliases the current value is under.
	aliased, aliasDepth int
	// stopped is set once MaxProblems or maxAliased is passed.
	stopped bool
	// skip are top-level keys left to another reader.
	skip []string
}

func (s *state) add(n *yaml.Node, path string, err error, format string, args ...any) {
	if s.stopped {
		return
	}
	if len(s.issues) == MaxProblems {
		s.issues = append(s.issues, Issue{Line: n.Line, Column: n.Column, Msg: "too many problems; stopping here"})
		s.stopped = true
		return
	}
	s.issues = append(s.issues, Issue{Path: path, Line: n.Line, Column: n.Column, Msg: fmt.Sprintf(format, args...), Err: err})
}

// wrong reports n where want belongs: in JSON's terms for a JSON
// document ("want an object, got a JSON array"), otherwise with msg.
func (s *state) wrong(n *yaml.Node, path, want, msg string, args ...any) {
	if s.doc.json {
		s.add(n, path, nil, "want %s, got a JSON %s", want, jsonKind(n))
		return
	}
	s.add(n, path, nil, msg, args...)
}

// jsonKind names what n is in JSON.
func jsonKind(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "object"
	case yaml.SequenceNode:
		return "array"
	}
	switch n.Tag {
	case "!!str":
		return "string"
	case "!!int", "!!float":
		return "number"
	case "!!bool":
		return "boolean"
	case "!!null":
		return "null"
	}
	return "value"
}

var (
	durationType    = reflect.TypeFor[time.Duration]()
	textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()
	jsonUnmarshaler = reflect.TypeFor[json.Unmarshaler]()
)

// isContainer reports whether t is decoded from a list or mapping when it
// is not given as a scalar, even if it reads scalars as text.
func isContainer(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Slice, reflect.Array, reflect.Map:
		return true
	}
	return false
}

func isNull(n *yaml.Node) bool { return n.Kind == yaml.ScalarNode && n.Tag == "!!null" }

// value decodes n into v, which is settable.
func (s *state) value(n *yaml.Node, path string, v reflect.Value, depth int) {
	if s.stopped {
		return
	}
	if n.Kind == yaml.AliasNode {
		s.aliasDepth++
		defer func() { s.aliasDepth-- }()
		n = yamlpos.Resolve(n)
	}
	if s.aliasDepth > 0 {
		if s.aliased++; s.aliased > maxAliased {
			s.add(n, path, nil, "the document expands to more than %d values through its aliases", maxAliased)
			s.stopped = true
			return
		}
	}
	if _, seen := s.doc.nodes[path]; !seen {
		s.doc.nodes[path] = n
	}
	if depth > MaxDepth {
		s.add(n, path, nil, "nested more than %d levels deep", MaxDepth)
		s.stopped = true
		return
	}
	t := v.Type()
	pt := reflect.PointerTo(t)
	switch {
	case t == durationType:
		s.duration(n, path, v)
		return
	case pt.Implements(textUnmarshaler) && (n.Kind == yaml.ScalarNode || !pt.Implements(jsonUnmarshaler) && !isContainer(t)):
		text, ok := s.scalar(n, path, "a single value")
		if !ok || isNull(n) {
			return
		}
		if err := v.Addr().Interface().(encoding.TextUnmarshaler).UnmarshalText([]byte(text)); err != nil {
			s.add(n, path, err, "%s", Message(err))
		}
		return
	case pt.Implements(jsonUnmarshaler):
		s.viaJSON(n, path, v)
		return
	}
	switch t.Kind() {
	case reflect.Pointer:
		if isNull(n) {
			v.SetZero()
			return
		}
		p := reflect.New(t.Elem())
		s.value(n, path, p.Elem(), depth+1)
		v.Set(p)
	case reflect.Struct:
		if isNull(n) {
			return
		}
		fields := structFields(t)
		s.mapping(n, path, func(key string, vn *yaml.Node) bool {
			idx, ok := fields.index[key]
			if ok {
				s.value(vn, join(path, key), fieldByIndex(v, idx), depth+1)
			}
			return ok
		}, fields.names)
	case reflect.Map:
		s.mapValue(n, path, v, depth)
	case reflect.Slice:
		if isNull(n) {
			return
		}
		if n.Kind != yaml.SequenceNode {
			s.wrong(n, path, "an array", "want a list")
			return
		}
		out := reflect.MakeSlice(t, len(n.Content), len(n.Content))
		for i, e := range n.Content {
			s.value(e, path+"["+strconv.Itoa(i)+"]", out.Index(i), depth+1)
		}
		v.Set(out)
	case reflect.Array:
		if n.Kind != yaml.SequenceNode || len(n.Content) != t.Len() {
			s.add(n, path, nil, "want a list of %d", t.Len())
			return
		}
		for i, e := range n.Content {
			s.value(e, path+"["+strconv.Itoa(i)+"]", v.Index(i), depth+1)
		}
	case reflect.Interface:
		if t.NumMethod() != 0 {
			s.add(n, path, nil, "cannot decode into %v", t)
			return
		}
		var x any
		if err := n.Decode(&x); err != nil {
			s.add(n, path, err, "%s", strings.TrimPrefix(err.Error(), "yaml: "))
			return
		}
		if x != nil {
			v.Set(reflect.ValueOf(x))
		}
	case reflect.String:
		text, ok := s.scalar(n, path, "a string")
		if !ok || isNull(n) {
			return
		}
		if s.doc.json && n.Tag != "!!str" {
			s.wrong(n, path, "a string", "")
			return
		}
		v.SetString(text)
	case reflect.Bool:
		text, ok := s.scalar(n, path, "true or false")
		if !ok || isNull(n) {
			return
		}
		if n.Tag != "!!bool" {
			s.wrong(n, path, "true or false", "%q is not true or false", text)
			return
		}
		b, _ := strconv.ParseBool(strings.ToLower(text))
		v.SetBool(b)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		text, ok := s.scalar(n, path, "a whole number")
		if !ok || isNull(n) {
			return
		}
		i, err := strconv.ParseInt(text, 0, t.Bits())
		if n.Tag != "!!int" {
			s.wrong(n, path, "a whole number", "%q is not a whole number", text)
			return
		}
		if err != nil {
			s.add(n, path, nil, "%q is not a whole number%s", text, rangeNote(err, t))
			return
		}
		v.SetInt(i)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		text, ok := s.scalar(n, path, "a whole number")
		if !ok || isNull(n) {
			return
		}
		u, err := strconv.ParseUint(text, 0, t.Bits())
		if n.Tag != "!!int" {
			s.wrong(n, path, "a whole number of at least 0", "%q is not a whole number of at least 0", text)
			return
		}
		if err != nil {
			s.add(n, path, nil, "%q is not a whole number of at least 0%s", text, rangeNote(err, t))
			return
		}
		v.SetUint(u)
	case reflect.Float32, reflect.Float64:
		text, ok := s.scalar(n, path, "a number")
		if !ok || isNull(n) {
			return
		}
		f, err := strconv.ParseFloat(text, t.Bits())
		if n.Tag != "!!int" && n.Tag != "!!float" {
			s.wrong(n, path, "a number", "%q is not a finite number", text)
			return
		}
		if err != nil {
			s.add(n, path, nil, "%q is not a finite number", text)
			return
		}
		v.SetFloat(f)
	default:
		s.add(n, path, nil, "cannot decode into %v", t)
	}
}

// rangeNote adds the bounds of t to a message about an out-of-range number.
func rangeNote(err error, t reflect.Type) string {
	if errors.Is(err, strconv.ErrRange) {
		return fmt.Sprintf(" in the range of a %d-bit number", t.Bits())
	}
	return ""
}

// fieldByIndex is v.FieldByIndex, allocating the embedded pointers on the
// way.
func fieldByIndex(v reflect.Value, index []int) reflect.Value {
	for i, x := range index {
		if i > 0 && v.Kind() == reflect.Pointer {
			if v.IsNil() {
				v.Set(reflect.New(v.Type().Elem()))
			}
			v = v.Elem()
		}
		v = v.Field(x)
	}
	return v
}

func (s *state) mapValue(n *yaml.Node, path string, v reflect.Value, depth int) {
	if isNull(n) {
		return
	}
	t := v.Type()
	kt := t.Key()
	textKey := reflect.PointerTo(kt).Implements(textUnmarshaler)
	if kt.Kind() != reflect.String && !textKey {
		s.add(n, path, nil, "cannot decode into %v", t)
		return
	}
	if v.IsNil() {
		v.Set(reflect.MakeMap(t))
	}
	s.mapping(n, path, func(key string, vn *yaml.Node) bool {
		kp := join(path, key)
		k := reflect.New(kt).Elem()
		if textKey {
			if err := k.Addr().Interface().(encoding.TextUnmarshaler).UnmarshalText([]byte(key)); err != nil {
				s.add(vn, kp, err, "key: %s", Message(err))
				return true
			}
		} else {
			k.SetString(key)
		}
		e := reflect.New(t.Elem()).Elem()
		s.value(vn, kp, e, depth+1)
		v.SetMapIndex(k, e)
		return true
	}, nil)
}

// duration decodes Go syntax such as "36h" or whole days such as "7d".
func (s *state) duration(n *yaml.Node, path string, v reflect.Value) {
	text, ok := s.scalar(n, path, "a duration such as 36h or 7d")
	if !ok || isNull(n) {
		return
	}
	d, err := ParseDuration(text)
	if err != nil {
		s.add(n, path, err, "%v", err)
		return
	}
	v.SetInt(int64(d))
}

// ParseDuration parses a Go duration such as "36h" or a whole number of
// days such as "7d" (at most 106,751 days, the longest time.Duration).
func ParseDuration(text string) (time.Duration, error) {
	if days, ok := strings.CutSuffix(text, "d"); ok {
		n, err := strconv.ParseInt(days, 10, 64)
		if err != nil || n < -106751 || n > 106751 {
			return 0, fmt.Errorf("%q is not a whole number of days up to 106751d", text)
		}
		return time.Duration(n) * 24 * time.Hour, nil
	}
	d, err := time.ParseDuration(text)
	if err != nil {
		return 0, fmt.Errorf("%q is not a duration such as 36h or 7d", text)
	}
	return d, nil
}

// viaJSON hands n, re-encoded as JSON, to the json.Unmarshaler v.
func (s *state) viaJSON(n *yaml.Node, path string, v reflect.Value) {
	var x any
	if err := n.Decode(&x); err != nil {
		s.add(n, path, err, "%s", strings.TrimPrefix(err.Error(), "yaml: "))
		return
	}
	b, err := json.Marshal(x)
	if err != nil {
		s.add(n, path, err, "cannot be written as JSON: %v", err)
		return
	}
	if err := v.Addr().Interface().(json.Unmarshaler).UnmarshalJSON(b); err != nil {
		s.add(n, path, err, "%s", Message(err))
	}
}

// scalar returns the text of a scalar node. It reports any other kind of
// node, saying what was wanted.
func (s *state) scalar(n *yaml.Node, path, want string) (string, bool) {
	if n.Kind != yaml.ScalarNode {
		s.wrong(n, path, want, "want %s, not a list or mapping", want)
		return "", false
	}
	if isNull(n) {
		return "", true
	}
	return n.Value, true
}

// mapping calls field for each key of a mapping node, reporting other
// nodes, keys that are not plain scalars, repeated keys, and keys field
// does not know (it returns false for them), suggesting one of names when
// a known key is spelt close to it. Merge keys ("<<: *base") bring in the
// keys of the mappings they name that the mapping does not set itself, the
// earlier merge first, as YAML defines them.
func (s *state) mapping(n *yaml.Node, path string, field func(key string, v *yaml.Node) bool, names []string) {
	if n.Kind != yaml.MappingNode {
		s.wrong(n, path, "an object", "want a mapping of keys to values")
		return
	}
	seen := make(map[string]bool, len(n.Content)/2)
	var merged []*yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := yamlpos.Resolve(n.Content[i]), n.Content[i+1]
		if k.Kind == yaml.ScalarNode && k.Tag == "!!merge" {
			merged = s.merges(v, path, merged)
			continue
		}
		s.entry(k, v, path, seen, field, names)
	}
	for _, m := range merged {
		for i := 0; i+1 < len(m.Content); i += 2 {
			if k := yamlpos.Resolve(m.Content[i]); k.Kind != yaml.ScalarNode || !seen[k.Value] {
				s.entry(k, m.Content[i+1], path, seen, field, names)
			}
		}
	}
}

// merges appends the mappings a merge key's value names to out.
func (s *state) merges(v *yaml.Node, path string, out []*yaml.Node) []*yaml.Node {
	v = yamlpos.Resolve(v)
	switch v.Kind {
	case yaml.MappingNode:
		return append(out, v)
	case yaml.SequenceNode:
		for _, e := range v.Content {
			if e = yamlpos.Resolve(e); e.Kind == yaml.MappingNode {
				out = append(out, e)
			} else {
				s.add(e, path, nil, "a merge key takes mappings")
			}
		}
		return out
	}
	s.add(v, path, nil, "a merge key takes a mapping or a list of mappings")
	return out
}

func (s *state) entry(k, v *yaml.Node, path string, seen map[string]bool, field func(string, *yaml.Node) bool, names []string) {
	if k.Kind != yaml.ScalarNode {
		s.add(k, path, nil, "want a plain key")
		return
	}
	kp := join(path, k.Value)
	if seen[k.Value] {
		s.add(k, kp, nil, "repeated key %q", k.Value)
		return
	}
	seen[k.Value] = true
	if path == "" && slices.Contains(s.skip, k.Value) {
		return
	}
	if !field(k.Value, v) {
		if near := closest(k.Value, names); near != "" {
			s.add(k, kp, nil, "unknown key %q; did you mean %q?", k.Value, near)
		} else {
			s.add(k, kp, nil, "unknown key %q", k.Value)
		}
	}
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// Message returns err's text without the package prefixes ("risk: ") that
// riskkit's errors start with, since an issue already says where it is.
func Message(err error) string {
	msg := err.Error()
	for _, p := range []string{"risk: ", "onboarding: ", "budget: ", "dunning: ", "abuse: "} {
		msg = strings.ReplaceAll(strings.TrimPrefix(msg, p), ": "+p, ": ")
	}
	return msg
}
