// Package schema generates JSON Schemas (draft 2020-12) for riskkit's
// inputs and outputs from their Go types: every struct field's JSON name
// from its tag, objects that refuse unknown keys, and the string forms of
// amounts, times, dates and enumerations. The generated files are
// committed beside this file; a test checks that they match the types and
// that every example data file validates against its schema.
//
// Reflection is used here, in the examples, to describe the types once;
// the library itself never reflects when it evaluates.
package schema

import (
	"bytes"
	"encoding"
	"encoding/json"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/riskkit/riskkit/abuse"
	"github.com/riskkit/riskkit/budget"
	"github.com/riskkit/riskkit/dunning"
	"github.com/riskkit/riskkit/onboarding"
	"github.com/riskkit/riskkit/risk"
)

// root is a document type with a schema.
type root struct {
	name  string
	typ   reflect.Type
	title string
}

var roots = []root{
	{"applicant", reflect.TypeFor[onboarding.Applicant](), "An applicant at sign-up (onboarding.Applicant)"},
	{"budget", reflect.TypeFor[budget.Budget](), "A spending budget (budget.Budget)"},
	{"checkout", reflect.TypeFor[risk.Checkout](), "A checkout to decide (risk.Checkout)"},
	{"decision", reflect.TypeFor[risk.Decision](), "A policy's decision with its reasons (risk.Decision)"},
	{"ledger", reflect.TypeFor[dunning.Ledger](), "A customer's receivables (dunning.Ledger)"},
	{"telemetry", reflect.TypeFor[abuse.Telemetry](), "One subscription's telemetry for one window (abuse.Telemetry)"},
}

// Names returns the names of the schemas, sorted.
func Names() []string {
	names := make([]string, len(roots))
	for i, r := range roots {
		names[i] = r.name
	}
	return names
}

// FileName is the name of the committed file holding the named schema.
func FileName(name string) string { return name + ".schema.json" }

// baseID is the prefix of every schema's $id.
const baseID = "https://github.com/riskkit/riskkit/examples/schema/"

// Generate returns the named schema as indented JSON ending in a newline.
func Generate(name string) ([]byte, error) {
	i := slices.IndexFunc(roots, func(r root) bool { return r.name == name })
	if i < 0 {
		return nil, fmt.Errorf("schema: no schema %q (have %s)", name, strings.Join(Names(), ", "))
	}
	r := roots[i]
	s := generate(r.typ, 0)
	s["$schema"] = "https://json-schema.org/draft/2020-12/schema"
	s["$id"] = baseID + FileName(name)
	s["title"] = r.title
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(s); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// object is a schema under construction; encoding/json writes its keys
// sorted, so the files are stable.
type object = map[string]any

var (
	textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()
	jsonUnmarshaler = reflect.TypeFor[json.Unmarshaler]()
)

// special are the types whose JSON form is not what their kind says.
var special = map[reflect.Type]object{
	reflect.TypeFor[time.Time](): {"type": "string", "format": "date-time"},
	reflect.TypeFor[risk.Money](): {"type": "string", "pattern": moneyPattern,
		"description": `an exact amount and its ISO 4217 currency, such as "249.95 USD" or "1000 JPY"`},
	reflect.TypeFor[risk.Date]():  {"type": "string", "format": "date", "description": "a calendar day, YYYY-MM-DD"},
	reflect.TypeFor[risk.Basis](): {"type": "string", "enum": []string{string(risk.ByRule), string(risk.ByScore), string(risk.ByError), string(risk.ByDefault)}},
	// budget.ParseBudgets reads a percentage (risk.Percent) as a number or a string.
	reflect.TypeFor[risk.Percent](): {"type": []string{"number", "string"}, "pattern": `^-?[0-9]+(\.[0-9]{1,2})?%?$`,
		"description": `a percentage exact to 0.01, such as 80, "80.37" or "80%"`},
	reflect.TypeFor[risk.InputSet](): {"type": "array", "items": object{"type": "string"},
		"description": "the names of inputs, such as signals.accounts_per_ip_1h"},
	reflect.TypeFor[risk.Signal](): {"type": []string{"integer", "null"},
		"description": "a count the host computed; null or absent when not supplied, which is not zero"},
}

// moneyPattern is the form of risk.Money's text.
const moneyPattern = `^-?[0-9]+(\.[0-9]+)? [A-Z]{3}$`

// maxDepth bounds nesting, so that a recursive type cannot recurse forever.
const maxDepth = 16

func generate(t reflect.Type, depth int) object {
	if s, ok := special[t]; ok {
		return clone(s)
	}
	if depth > maxDepth {
		return object{}
	}
	if t.Kind() == reflect.Pointer {
		return generate(t.Elem(), depth)
	}
	pt := reflect.PointerTo(t)
	switch {
	case pt.Implements(jsonUnmarshaler):
		// A type with its own JSON form not listed in special: anything
		// goes rather than a guess.
		return object{"description": "riskkit type " + t.String()}
	case pt.Implements(textUnmarshaler):
		s := object{"type": "string", "description": "riskkit type " + t.String()}
		if vals := enumValues(t); len(vals) > 0 {
			s["enum"] = vals
		}
		return s
	}
	switch t.Kind() {
	case reflect.Struct:
		props := object{}
		var required []string
		fields(t, props, &required, depth)
		s := object{"type": "object", "properties": props, "additionalProperties": false}
		if len(required) > 0 {
			slices.Sort(required)
			s["required"] = required
		}
		return s
	case reflect.Slice, reflect.Array:
		if t.Elem().Kind() == reflect.Uint8 {
			return object{"type": "string", "contentEncoding": "base64"}
		}
		return object{"type": "array", "items": generate(t.Elem(), depth+1)}
	case reflect.Map:
		return object{"type": "object", "additionalProperties": generate(t.Elem(), depth+1)}
	case reflect.String:
		return object{"type": "string"}
	case reflect.Bool:
		return object{"type": "boolean"}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return object{"type": "integer"}
	case reflect.Float32, reflect.Float64:
		return object{"type": "number"}
	}
	return object{}
}

// fields adds t's fields to props as encoding/json names them, promoting
// those of embedded structs. A field is required when its tag lets
// encoding/json write its zero value (no omitempty or omitzero): the
// types' own marshalling always writes it.
func fields(t reflect.Type, props object, required *[]string, depth int) {
	for f := range t.Fields() {
		tag := f.Tag.Get("json")
		name, opts, _ := strings.Cut(tag, ",")
		if name == "-" && opts == "" {
			continue
		}
		if f.Anonymous && name == "" {
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				fields(ft, props, required, depth)
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		s := generate(f.Type, depth+1)
		props[name] = s
		if !strings.Contains(opts, "omitempty") && !strings.Contains(opts, "omitzero") {
			*required = append(*required, name)
		}
	}
}

// wantList finds the list of valid names at the end of an enumeration's
// error message, as riskkit's enumeration types write it: "(want one of
// a, b)", "(want a, b)" or "(want one of [a b])".
var wantList = regexp.MustCompile(`\(want (?:one of )?\[?([^()]*?)\]?\)$`)

// enumValues returns the names a text enumeration accepts. The types do
// not list their values, but their errors name them; each name is kept
// only if the type accepts it, so the list never holds a wrong value, and
// a type whose error lists nothing is a plain string.
func enumValues(t reflect.Type) []string {
	v := reflect.New(t).Interface().(encoding.TextUnmarshaler)
	err := v.UnmarshalText([]byte("\x00not a name"))
	if err == nil {
		return nil
	}
	m := wantList.FindStringSubmatch(err.Error())
	if m == nil {
		return nil
	}
	var out []string
	for _, name := range strings.FieldsFunc(m[1], func(r rune) bool { return r == ',' || r == ' ' || r == '"' }) {
		if reflect.New(t).Interface().(encoding.TextUnmarshaler).UnmarshalText([]byte(name)) == nil && !slices.Contains(out, name) {
			out = append(out, name)
		}
	}
	return out
}

func clone(s object) object {
	out := make(object, len(s))
	for k, v := range s {
		out[k] = v
	}
	return out
}
