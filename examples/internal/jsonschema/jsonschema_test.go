package jsonschema_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/riskkit/riskkit/examples/internal/jsonschema"
)

const schema = `{
  "type": "object",
  "additionalProperties": false,
  "required": ["id"],
  "properties": {
    "id": {"type": "string"},
    "n": {"type": ["integer", "null"]},
    "x": {"type": "number"},
    "ok": {"type": "boolean"},
    "kind": {"type": "string", "enum": ["a", "b"]},
    "amount": {"type": "string", "pattern": "^[0-9]+ [A-Z]{3}$"},
    "at": {"type": "string", "format": "date-time"},
    "day": {"type": "string", "format": "date"},
    "items": {"type": "array", "items": {"type": "object", "properties": {"v": {"type": "integer"}}, "additionalProperties": false}},
    "counts": {"type": "object", "additionalProperties": {"type": "integer"}}
  }
}`

func TestValidate(t *testing.T) {
	s, err := jsonschema.Compile([]byte(schema))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		doc  string
		want []string
	}{
		{"valid", `{"id": "a", "n": null, "x": 1, "ok": true, "kind": "b", "amount": "10 USD", "at": "2026-01-01T00:00:00Z", "day": "2026-01-31", "items": [{"v": 1}], "counts": {"a/b": 2}}`, nil},
		{"missing required", `{}`, []string{`/: "id" is required`}},
		{"wrong types", `{"id": 1, "n": 1.5, "ok": "yes"}`, []string{"/id: want string, got integer", "/n: want integer or null, got number", "/ok: want boolean, got string"}},
		{"unknown property", `{"id": "a", "colour": "red"}`, []string{"/colour: unknown property"}},
		{"enum, pattern, formats", `{"id": "a", "kind": "c", "amount": "10 usd", "at": "yesterday", "day": "2026-02-30"}`, []string{
			`/amount: "10 usd" does not match ^[0-9]+ [A-Z]{3}$`, `/at: "yesterday" is not an RFC 3339 date-time`,
			`/day: "2026-02-30" is not a date (YYYY-MM-DD)`, `/kind: "c" is not one of a, b`}},
		{"nested paths", `{"id": "a", "items": [{"v": 1}, {"v": "x", "w": 1}], "counts": {"a/b": "x"}}`, []string{
			"/counts/a~1b: want integer, got string", "/items/1/v: want integer, got string", "/items/1/w: unknown property"}},
		{"not JSON", `{`, []string{"not JSON: unexpected EOF"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, s.Validate([]byte(tc.doc))); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestCompileRefusesWhatItCannotCheck(t *testing.T) {
	for _, src := range []string{`{"minimum": 1}`, `{"format": "email"}`, `{"properties": {"a": {"oneOf": []}}}`, `[]`, `{"type": 1}`} {
		if _, err := jsonschema.Compile([]byte(src)); err == nil {
			t.Errorf("Compile(%s) succeeded", src)
		}
	}
}
