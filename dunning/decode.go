package dunning

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"

	"github.com/riskkit/riskkit/internal/yamlpos"
	"github.com/riskkit/riskkit/risk"
	"go.yaml.in/yaml/v3"
)

// decodeJSON decodes a JSON document strictly (unknown fields are errors)
// into v. On failure it finds the field that failed and returns a [risk.Issue]
// naming its path and, when it can, its line and column.
func decodeJSON(src []byte, v any) *risk.Issue {
	dec := json.NewDecoder(bytes.NewReader(src))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil {
		if dec.More() {
			line, col := yamlpos.LineCol(src, int(dec.InputOffset()))
			return &risk.Issue{Line: line, Column: col, Msg: "unexpected data after the document"}
		}
		// encoding/json matches keys regardless of case; a document is
		// read as it is written, so "Invoices" is an unknown key.
		path, ferr := findDecodeError(json.RawMessage(src), "", reflect.TypeOf(v).Elem())
		if ferr == nil {
			return nil
		}
		is := &risk.Issue{Path: path, Msg: cleanDecodeMsg(ferr)}
		is.Line, is.Column = locateKey(src, path)
		return is
	}
	var syn *json.SyntaxError
	if errors.As(err, &syn) {
		// Offset counts the bytes read, the offending one included.
		line, col := yamlpos.LineCol(src, int(syn.Offset-1))
		return &risk.Issue{Line: line, Column: col, Msg: strings.TrimPrefix(err.Error(), "json: ")}
	}
	if errors.Is(err, io.EOF) {
		return &risk.Issue{Msg: "document is empty"}
	}
	// Decode again, field by field, to find the one that failed.
	path, ferr := findDecodeError(json.RawMessage(src), "", reflect.TypeOf(v).Elem())
	if ferr == nil {
		ferr = err
	}
	is := &risk.Issue{Path: path, Msg: cleanDecodeMsg(ferr)}
	if strings.HasPrefix(is.Msg, "unknown field") {
		is.Line, is.Column = locateKey(src, path)
	} else {
		is.Line, is.Column = locate(src, path)
	}
	return is
}

// cleanDecodeMsg makes encoding/json's messages read as facts about the
// document rather than about Go types.
func cleanDecodeMsg(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return fmt.Sprintf("want %s, not a JSON %s", jsonKind(te.Type), te.Value)
	}
	msg := err.Error()
	msg = strings.TrimPrefix(msg, "json: ")
	msg = strings.TrimPrefix(msg, "dunning: ")
	return msg
}

func jsonKind(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return "an integer"
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a non-negative integer"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.String:
		return "a string"
	case reflect.Slice, reflect.Array:
		return "a list"
	case reflect.Struct, reflect.Map:
		if reflect.PointerTo(t).Implements(reflect.TypeFor[interface{ UnmarshalText([]byte) error }]()) {
			return "a string"
		}
		return "an object"
	}
	return t.String()
}

// findDecodeError decodes raw into a value of type t one field and one
// element at a time, and returns the path of the first part that fails.
func findDecodeError(raw json.RawMessage, path string, t reflect.Type) (string, error) {
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	isText := reflect.PointerTo(t).Implements(reflect.TypeFor[interface{ UnmarshalText([]byte) error }]()) ||
		reflect.PointerTo(t).Implements(reflect.TypeFor[json.Unmarshaler]())
	switch {
	case t.Kind() == reflect.Struct && !isText:
		var m map[string]json.RawMessage
		if err := json.Unmarshal(raw, &m); err != nil {
			return path, err
		}
		fields := jsonFields(t)
		// Walk the keys in document order so that the first problem in the
		// document is the one reported.
		for _, k := range objectKeys(raw) {
			f, ok := fields[k]
			if !ok {
				return join(path, k), fmt.Errorf("unknown field %q", k)
			}
			if p, err := findDecodeError(m[k], join(path, k), f.Type); err != nil {
				return p, err
			}
		}
	case t.Kind() == reflect.Slice && !isText:
		var list []json.RawMessage
		if err := json.Unmarshal(raw, &list); err != nil {
			return path, err
		}
		for i, e := range list {
			if p, err := findDecodeError(e, path+"["+strconv.Itoa(i)+"]", t.Elem()); err != nil {
				return p, err
			}
		}
	default:
		v := reflect.New(t).Interface()
		if err := json.Unmarshal(raw, v); err != nil {
			return path, err
		}
	}
	return path, nil
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// jsonFields maps the JSON names of t's fields to the fields.
func jsonFields(t reflect.Type) map[string]reflect.StructField {
	out := map[string]reflect.StructField{}
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			continue
		}
		if name == "" {
			name = f.Name
		}
		out[name] = f
	}
	return out
}

// objectKeys returns the keys of a JSON object in document order.
func objectKeys(raw json.RawMessage) []string {
	dec := json.NewDecoder(bytes.NewReader(raw))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil
	}
	var keys []string
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return keys
		}
		k, _ := t.(string)
		keys = append(keys, k)
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return keys
		}
	}
	return keys
}

// locate returns the line and column of the value at path, such as
// "invoices[2].amount", in a YAML or JSON document; 0, 0 when it cannot be
// found. Paths that stop at an element name the element.
func locate(src []byte, path string) (int, int) {
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil || len(doc.Content) == 0 {
		return 0, 0
	}
	n := nodeAt(doc.Content[0], path)
	if n == nil {
		return 0, 0
	}
	return n.Line, n.Column
}

// locateKey is like locate, but for a path that ends in a key it returns
// where the key is written rather than its value.
func locateKey(src []byte, path string) (int, int) {
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil || len(doc.Content) == 0 {
		return 0, 0
	}
	parent, last := path, ""
	if i := strings.LastIndexByte(path, '.'); i >= 0 {
		parent, last = path[:i], path[i+1:]
	} else if !strings.HasSuffix(path, "]") {
		parent, last = "", path
	}
	n := nodeAt(doc.Content[0], parent)
	if n != nil && n.Kind == yaml.MappingNode && last != "" {
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == last {
				return n.Content[i].Line, n.Content[i].Column
			}
		}
	}
	return locate(src, path)
}

// nodeAt follows path from n; a key that is missing stops at the deepest
// node found, so a problem with a missing field points at its parent.
func nodeAt(n *yaml.Node, path string) *yaml.Node {
	for path != "" {
		var part string
		if path[0] == '[' {
			end := strings.IndexByte(path, ']')
			if end < 0 {
				return n
			}
			i, err := strconv.Atoi(path[1:end])
			if err != nil || n.Kind != yaml.SequenceNode || i < 0 || i >= len(n.Content) {
				return n
			}
			n = n.Content[i]
			path = strings.TrimPrefix(path[end+1:], ".")
			continue
		}
		end := strings.IndexAny(path, ".[")
		if end < 0 {
			part, path = path, ""
		} else {
			part, path = path[:end], strings.TrimPrefix(path[end:], ".")
		}
		if n.Kind != yaml.MappingNode {
			return n
		}
		found := false
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == part {
				n, found = n.Content[i+1], true
				break
			}
		}
		if !found {
			return n
		}
	}
	return n
}
