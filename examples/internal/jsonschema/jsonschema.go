// Package jsonschema validates JSON documents against the subset of JSON
// Schema (draft 2020-12) that examples/schema generates: type (one or a
// list), properties, additionalProperties (false or a schema), required,
// items, enum, pattern, and the formats date-time and date. A schema using
// any other keyword is refused rather than half-checked.
package jsonschema

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Schema is a compiled schema.
type Schema struct {
	types      []string
	properties map[string]*Schema
	// additional is nil when any property is allowed, noneAllowed when
	// additionalProperties is false, and otherwise the schema of the
	// other properties.
	additional *Schema
	required   []string
	items      *Schema
	enum       []string
	pattern    *regexp.Regexp
	format     string
}

// noneAllowed stands for additionalProperties: false.
var noneAllowed = &Schema{}

// ignored are the keywords that only annotate.
var ignored = []string{"$schema", "$id", "title", "description", "contentEncoding"}

// Compile reads a schema.
func Compile(src []byte) (*Schema, error) {
	var v any
	dec := json.NewDecoder(bytes.NewReader(src))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("jsonschema: %v", err)
	}
	return compile(v, "#")
}

func compile(v any, at string) (*Schema, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("jsonschema: %s: a schema must be an object", at)
	}
	s := &Schema{}
	for k, v := range m {
		var err error
		switch k {
		case "type":
			switch t := v.(type) {
			case string:
				s.types = []string{t}
			case []any:
				s.types, err = stringList(t, at+"/type")
			default:
				err = fmt.Errorf("jsonschema: %s/type: want a string or a list", at)
			}
		case "properties":
			pm, ok := v.(map[string]any)
			if !ok {
				return nil, fmt.Errorf("jsonschema: %s/properties: want an object", at)
			}
			s.properties = map[string]*Schema{}
			for name, ps := range pm {
				if s.properties[name], err = compile(ps, at+"/properties/"+name); err != nil {
					return nil, err
				}
			}
		case "additionalProperties":
			if b, ok := v.(bool); ok {
				if !b {
					s.additional = noneAllowed
				}
				continue
			}
			s.additional, err = compile(v, at+"/additionalProperties")
		case "required":
			l, ok := v.([]any)
			if !ok {
				return nil, fmt.Errorf("jsonschema: %s/required: want a list", at)
			}
			s.required, err = stringList(l, at+"/required")
		case "items":
			s.items, err = compile(v, at+"/items")
		case "enum":
			l, ok := v.([]any)
			if !ok {
				return nil, fmt.Errorf("jsonschema: %s/enum: want a list", at)
			}
			s.enum, err = stringList(l, at+"/enum")
		case "pattern":
			p, ok := v.(string)
			if !ok {
				return nil, fmt.Errorf("jsonschema: %s/pattern: want a string", at)
			}
			s.pattern, err = regexp.Compile(p)
		case "format":
			s.format, _ = v.(string)
			if s.format != "date-time" && s.format != "date" {
				err = fmt.Errorf("jsonschema: %s/format: %v is not supported", at, v)
			}
		default:
			if !slices.Contains(ignored, k) {
				err = fmt.Errorf("jsonschema: %s: keyword %q is not supported", at, k)
			}
		}
		if err != nil {
			return nil, err
		}
	}
	return s, nil
}

func stringList(l []any, at string) ([]string, error) {
	out := make([]string, len(l))
	for i, v := range l {
		s, ok := v.(string)
		if !ok {
			return nil, fmt.Errorf("jsonschema: %s: want strings", at)
		}
		out[i] = s
	}
	return out, nil
}

// Validate checks the JSON document doc and returns every violation, each
// naming its place as a JSON pointer such as /txn/line_items/0/amount.
func (s *Schema) Validate(doc []byte) []string {
	var v any
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return []string{"not JSON: " + err.Error()}
	}
	var out []string
	s.validate(v, "", &out)
	return out
}

func typeOf(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case string:
		return "string"
	case json.Number:
		if _, err := strconv.ParseInt(x.String(), 10, 64); err == nil {
			return "integer"
		}
		return "number"
	case []any:
		return "array"
	}
	return "object"
}

func (s *Schema) validate(v any, at string, out *[]string) {
	fail := func(format string, args ...any) {
		where := at
		if where == "" {
			where = "/"
		}
		*out = append(*out, where+": "+fmt.Sprintf(format, args...))
	}
	if len(s.types) > 0 {
		t := typeOf(v)
		if !slices.Contains(s.types, t) && !(t == "integer" && slices.Contains(s.types, "number")) {
			fail("want %s, got %s", strings.Join(s.types, " or "), t)
			return
		}
	}
	switch x := v.(type) {
	case string:
		if len(s.enum) > 0 && !slices.Contains(s.enum, x) {
			fail("%q is not one of %s", x, strings.Join(s.enum, ", "))
		}
		if s.pattern != nil && !s.pattern.MatchString(x) {
			fail("%q does not match %s", x, s.pattern)
		}
		switch s.format {
		case "date-time":
			if _, err := time.Parse(time.RFC3339Nano, x); err != nil {
				fail("%q is not an RFC 3339 date-time", x)
			}
		case "date":
			if _, err := time.Parse(time.DateOnly, x); err != nil {
				fail("%q is not a date (YYYY-MM-DD)", x)
			}
		}
	case []any:
		if s.items != nil {
			for i, item := range x {
				s.items.validate(item, at+"/"+strconv.Itoa(i), out)
			}
		}
	case map[string]any:
		for _, r := range s.required {
			if _, ok := x[r]; !ok {
				fail("%q is required", r)
			}
		}
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			path := at + "/" + strings.NewReplacer("~", "~0", "/", "~1").Replace(k)
			if ps, ok := s.properties[k]; ok {
				ps.validate(x[k], path, out)
				continue
			}
			switch s.additional {
			case nil:
			case noneAllowed:
				*out = append(*out, path+": unknown property")
			default:
				s.additional.validate(x[k], path, out)
			}
		}
	}
}
