package abuse

import (
	"bytes"
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/riskkit/riskkit/internal/yamlpos"
	"github.com/riskkit/riskkit/risk"
)

// DecodeTelemetry reads windows of telemetry from JSON: one object per
// window, either one after another (JSON Lines) or in one array. Unknown
// fields are errors. Each window is checked with [Telemetry.Validate].
//
// On bad input it returns a *[TelemetryError] naming the window by its
// position, the field by its path (as in "flows[3].remote") and the place by
// line and column, and no windows. It never panics.
func DecodeTelemetry(data []byte) ([]Telemetry, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	array := false
	if i := skipSpace(data, 0); i < len(data) && data[i] == '[' {
		if _, err := dec.Token(); err != nil {
			return nil, syntaxError(data, 0, err)
		}
		array = true
	}
	var out []Telemetry
	for record := 1; ; record++ {
		if array && !dec.More() {
			if _, err := dec.Token(); err != nil {
				return nil, syntaxError(data, record, err)
			}
			if i := skipSpace(data, int(dec.InputOffset())); i < len(data) {
				return nil, located(data, record, i, "", "unexpected text after the array")
			}
			break
		}
		start := int(dec.InputOffset())
		var t Telemetry
		err := dec.Decode(&t)
		if errors.Is(err, io.EOF) && !array {
			break
		}
		if err != nil {
			var te *json.UnmarshalTypeError
			if errors.As(err, &te) || !isSyntax(err) {
				end := int(dec.InputOffset())
				return nil, fieldError(data, record, skipSeparators(data, start), end, err)
			}
			return nil, syntaxError(data, record, err)
		}
		start = skipSeparators(data, start)
		if start < len(data) && data[start] != '{' {
			return nil, located(data, record, start, "", "a window of telemetry must be a JSON object")
		}
		if err := t.Validate(); err != nil {
			var te *TelemetryError
			if errors.As(err, &te) {
				te.Record = record
				raw := data[start:int(dec.InputOffset())]
				for i := range te.Problems {
					if off, ok := offsetOf(raw, te.Problems[i].Path); ok {
						te.Problems[i].Line, te.Problems[i].Column = yamlpos.LineCol(data, start+off)
					}
				}
			}
			return nil, err
		}
		out = append(out, t)
	}
	return out, nil
}

// EncodeTelemetry writes windows as JSON Lines, the form DecodeTelemetry
// reads.
func EncodeTelemetry(w io.Writer, ts []Telemetry) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for i := range ts {
		if err := enc.Encode(&ts[i]); err != nil {
			return fmt.Errorf("abuse: encoding telemetry record %d: %w", i+1, err)
		}
	}
	return nil
}

func isSyntax(err error) bool {
	var se *json.SyntaxError
	return errors.As(err, &se) || errors.Is(err, io.ErrUnexpectedEOF)
}

func skipSpace(data []byte, i int) int {
	for i < len(data) && (data[i] == ' ' || data[i] == '\t' || data[i] == '\n' || data[i] == '\r') {
		i++
	}
	return i
}

func located(data []byte, record, off int, path, msg string) error {
	line, col := yamlpos.LineCol(data, off)
	return &TelemetryError{Record: record, Problems: []risk.Issue{{Path: path, Line: line, Column: col, Msg: msg}}}
}

func syntaxError(data []byte, record int, err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return located(data, record, int(se.Offset)-1, "", "invalid JSON: "+se.Error())
	}
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return located(data, record, len(data), "", "invalid JSON: unexpected end of input")
	}
	return &TelemetryError{Record: record, Problems: []risk.Issue{{Msg: "invalid JSON: " + err.Error()}}}
}

// fieldError locates a decoding error inside the window data[start:end] by
// walking it against the Telemetry type and decoding each value on its own.
func fieldError(data []byte, record, start, end int, err error) error {
	raw := data[start:end]
	if path, off, msg, ok := findBadValue(raw, reflect.TypeFor[Telemetry]()); ok {
		return located(data, record, start+off, path, msg)
	}
	line, col := yamlpos.LineCol(data, start)
	return &TelemetryError{Record: record, Problems: []risk.Issue{{Line: line, Column: col, Msg: cleanJSONError(err)}}}
}

func cleanJSONError(err error) string {
	msg := err.Error()
	msg = strings.TrimPrefix(msg, "json: ")
	return strings.TrimPrefix(msg, "abuse: ")
}

// frame is one open object or array while walking JSON.
type frame struct {
	array bool
	index int
	key   string
	typ   reflect.Type // the Go type of the container, or nil when unknown
}

// walkJSON calls visit with the path, Go type, and byte range of every value
// in raw, containers before their contents. typ may be nil below a field
// the Go type does not have; unknown reports such keys. Walking stops when a
// callback returns false.
func walkJSON(raw []byte, root reflect.Type, visit func(path string, typ reflect.Type, start, end int, container bool) bool,
	unknown func(path string, off int) bool) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var stack []frame
	expectKey := false
	path := func() string {
		var b strings.Builder
		for _, f := range stack {
			if f.array {
				b.WriteByte('[')
				b.WriteString(strconv.Itoa(f.index))
				b.WriteByte(']')
				continue
			}
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(f.key)
		}
		return b.String()
	}
	childType := func() reflect.Type {
		if len(stack) == 0 {
			return root
		}
		top := stack[len(stack)-1]
		if top.typ == nil {
			return nil
		}
		t := deref(top.typ)
		if top.array {
			if t.Kind() == reflect.Slice || t.Kind() == reflect.Array {
				return t.Elem()
			}
			return nil
		}
		if t.Kind() == reflect.Struct {
			if f, ok := fieldByJSONName(t, top.key); ok {
				return f.Type
			}
		}
		if t.Kind() == reflect.Map {
			return t.Elem()
		}
		return nil
	}
	for {
		off := skipSeparators(raw, int(dec.InputOffset()))
		tok, err := dec.Token()
		if err != nil {
			return
		}
		end := int(dec.InputOffset())
		if expectKey {
			if d, ok := tok.(json.Delim); ok && d == '}' {
				stack = stack[:len(stack)-1]
				advance(&stack, &expectKey)
				continue
			}
			key, _ := tok.(string)
			top := &stack[len(stack)-1]
			top.key = key
			expectKey = false
			if top.typ != nil {
				t := deref(top.typ)
				if t.Kind() == reflect.Struct {
					if _, ok := fieldByJSONName(t, key); !ok && !unknown(path(), off) {
						return
					}
				}
			}
			continue
		}
		switch d, _ := tok.(json.Delim); d {
		case '{', '[':
			typ := childType()
			if !visit(path(), typ, off, -1, true) {
				return
			}
			stack = append(stack, frame{array: d == '[', typ: typ})
			expectKey = d == '{'
		case ']':
			stack = stack[:len(stack)-1]
			advance(&stack, &expectKey)
		default:
			if !visit(path(), childType(), off, end, false) {
				return
			}
			advance(&stack, &expectKey)
		}
	}
}

// advance moves past a finished value: to the next index of an array or the
// next key of an object.
func advance(stack *[]frame, expectKey *bool) {
	if n := len(*stack); n > 0 {
		top := &(*stack)[n-1]
		if top.array {
			top.index++
		} else {
			*expectKey = true
		}
	}
}

func skipSeparators(raw []byte, i int) int {
	for i < len(raw) && strings.IndexByte(" \t\r\n,:", raw[i]) >= 0 {
		i++
	}
	return i
}

func deref(t reflect.Type) reflect.Type {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t
}

// fieldByJSONName finds the struct field encoding/json would decode key
// into, matching names without regard to case as encoding/json does.
func fieldByJSONName(t reflect.Type, key string) (reflect.StructField, bool) {
	for i := 0; i < t.NumField(); i++ {
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
		if strings.EqualFold(name, key) {
			return f, true
		}
	}
	return reflect.StructField{}, false
}

// isLeaf reports whether values of t decode from a JSON scalar or as a
// whole, by a custom decoder.
func isLeaf(t reflect.Type) bool {
	p := reflect.PointerTo(t)
	if p.Implements(reflect.TypeFor[json.Unmarshaler]()) || p.Implements(reflect.TypeFor[encoding.TextUnmarshaler]()) {
		return true
	}
	switch t.Kind() {
	case reflect.Struct, reflect.Slice, reflect.Array, reflect.Map, reflect.Pointer:
		return false
	}
	return true
}

// findBadValue finds the first value in raw that does not decode into its
// Go type, or the first unknown field, and says what is wrong with it.
func findBadValue(raw []byte, root reflect.Type) (path string, off int, msg string, found bool) {
	walkJSON(raw, root,
		func(p string, typ reflect.Type, start, end int, container bool) bool {
			if typ == nil {
				return true
			}
			t := deref(typ)
			if container {
				wantArray := t.Kind() == reflect.Slice || t.Kind() == reflect.Array
				isArray := raw[start] == '['
				if isLeaf(t) || wantArray != isArray {
					got := "an object"
					if isArray {
						got = "an array"
					}
					path, off, msg, found = p, start, "want "+describe(t)+", found "+got, true
					return false
				}
				return true
			}
			v := reflect.New(typ)
			if err := json.Unmarshal(raw[start:end], v.Interface()); err != nil {
				path, off, found = p, start, true
				msg = valueError(t, raw[start:end], err)
				return false
			}
			return true
		},
		func(p string, o int) bool {
			path, off, msg, found = p, o, "unknown field", true
			return false
		})
	return
}

// valueError says why text did not decode into t.
func valueError(t reflect.Type, text []byte, err error) string {
	switch t {
	case reflect.TypeFor[time.Time]():
		return fmt.Sprintf("%s is not an RFC 3339 time", text)
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return fmt.Sprintf("want %s, found %s", describe(t), te.Value)
	}
	return cleanJSONError(err)
}

// describe names a Go type the way a JSON author thinks of it.
func describe(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Struct:
		if t == reflect.TypeFor[time.Time]() {
			return "an RFC 3339 time"
		}
		return "an object"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return "an integer"
	case reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uint:
		bits := t.Bits()
		return "an integer from 0 to " + strconv.FormatUint(1<<bits-1, 10)
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.String:
		return "a string"
	}
	return t.String()
}

// offsetOf returns the offset in raw of the value at path, or of the
// nearest enclosing value that exists.
func offsetOf(raw []byte, target string) (int, bool) {
	best, found := 0, false
	walkJSON(raw, nil, func(p string, _ reflect.Type, start, _ int, _ bool) bool {
		if p == target {
			best, found = start, true
			return false
		}
		if strings.HasPrefix(target, p) && (p == "" || strings.HasPrefix(target[len(p):], ".") || strings.HasPrefix(target[len(p):], "[")) {
			best, found = start, true
		}
		return true
	}, func(string, int) bool { return true })
	return best, found
}
