// Package strictjson decodes one JSON document into a Go value the way a
// person sending it needs: unknown keys are errors, because a misspelt key
// would otherwise silently leave an input empty and change a decision, and
// every error names the line and column, or the field path such as
// txn.line_items[2].amount, and what was wanted there.
//
// riskctl reads JSON lines with it and checkoutd request bodies.
package strictjson

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/riskkit/riskkit/risk"
)

// Decode decodes the single JSON value in data into v, which must be a
// non-nil pointer. It returns nil on success and otherwise the problem as
// a risk.Issue: Path for a value of the wrong shape or an unknown key,
// Line and Column (1-based, in bytes) for malformed JSON.
func Decode(data []byte, v any) *risk.Issue {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil {
		off := int(dec.InputOffset())
		rest := bytes.TrimLeft(data[off:], " \t\r\n")
		if len(rest) > 0 {
			return at(data, len(data)-len(rest), "unexpected data after the JSON value (one value per document or line)")
		}
		return nil
	}
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return at(data, int(syn.Offset)-1, strings.TrimPrefix(syn.Error(), "json: "))
	case errors.Is(err, io.EOF):
		return &risk.Issue{Msg: "no JSON value (the document is empty)"}
	case errors.Is(err, io.ErrUnexpectedEOF):
		return at(data, len(bytes.TrimRight(data, " \t\r\n")), "input ends inside a JSON value (truncated?)")
	case errors.As(err, &typ):
		path := FieldPath(data, reflect.TypeOf(v))
		if path == "" {
			path = typ.Field
		}
		return &risk.Issue{Path: path, Msg: fmt.Sprintf("want %s, got a JSON %s", TypeName(typ.Type), typ.Value)}
	}
	is := &risk.Issue{Path: FieldPath(data, reflect.TypeOf(v)), Msg: strings.TrimPrefix(err.Error(), "json: ")}
	if strings.HasPrefix(is.Msg, "unknown field ") && is.Path != "" {
		is.Msg = "unknown field (misspelt, or in the wrong object?)"
	}
	return is
}

// at is an issue at byte index i of data.
func at(data []byte, i int, msg string) *risk.Issue {
	i = max(0, min(i, len(data)))
	line := 1 + bytes.Count(data[:i], []byte("\n"))
	col := i - bytes.LastIndexByte(data[:i], '\n')
	return &risk.Issue{Line: line, Column: col, Msg: msg}
}

// TypeName describes what a Go type wants in JSON, for a person who has
// never seen the Go source.
func TypeName(t reflect.Type) string {
	switch t {
	case reflect.TypeFor[risk.Money]():
		return `an amount as a string, such as "20.00 USD"`
	case reflect.TypeFor[time.Time]():
		return `an RFC 3339 time as a string, such as "2026-01-31T09:30:00Z"`
	}
	if reflect.PointerTo(t).Implements(textUnmarshaler) {
		return "a string"
	}
	switch t.Kind() {
	case reflect.Struct, reflect.Map:
		return "an object"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Bool:
		return "true or false"
	case reflect.String:
		return "a string"
	}
	if t.Kind() >= reflect.Int && t.Kind() <= reflect.Float64 {
		return "a number"
	}
	return t.String()
}

var (
	jsonUnmarshaler = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshaler = reflect.TypeFor[interface{ UnmarshalText([]byte) error }]()
)

// FieldPath finds the JSON path, such as txn.line_items[2].amount, of the
// value in raw that does not decode into a t. encoding/json does not say
// where an UnmarshalText or UnmarshalJSON method failed, and "txn.amount:
// unknown currency" is what a person needs, so on that error path the
// document is decoded again one field at a time. It returns "" when it
// cannot tell.
func FieldPath(raw []byte, t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if reflect.PointerTo(t).Implements(jsonUnmarshaler) || reflect.PointerTo(t).Implements(textUnmarshaler) {
		return ""
	}
	switch t.Kind() {
	case reflect.Struct:
		var m map[string]json.RawMessage
		if json.Unmarshal(raw, &m) != nil {
			return ""
		}
		fields := jsonFields(t)
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		slices.Sort(keys) // deterministic when several fields are wrong
		for _, k := range keys {
			f, ok := fields[strings.ToLower(k)]
			if !ok {
				return k
			}
			if strictDecode(m[k], f) != nil {
				return joinPath(k, FieldPath(m[k], f))
			}
		}
	case reflect.Slice:
		var items []json.RawMessage
		if json.Unmarshal(raw, &items) != nil {
			return ""
		}
		for i, it := range items {
			if strictDecode(it, t.Elem()) != nil {
				return joinPath(fmt.Sprintf("[%d]", i), FieldPath(it, t.Elem()))
			}
		}
	}
	return ""
}

func joinPath(a, b string) string {
	switch {
	case b == "":
		return a
	case strings.HasPrefix(b, "["):
		return a + b
	}
	return a + "." + b
}

func strictDecode(raw []byte, t reflect.Type) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	return dec.Decode(reflect.New(t).Interface())
}

// jsonFields maps the lower-cased JSON names of t's fields, including those
// promoted from embedded structs, to their types; encoding/json matches
// keys case-insensitively too.
func jsonFields(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for f := range t.Fields() {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" || !f.IsExported() {
			continue
		}
		if f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct {
			for k, v := range jsonFields(f.Type) {
				if _, ok := out[k]; !ok {
					out[k] = v
				}
			}
			continue
		}
		if name == "" {
			name = f.Name
		}
		out[strings.ToLower(name)] = f.Type
	}
	return out
}
