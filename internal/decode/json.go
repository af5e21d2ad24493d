package decode

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"

	"github.com/riskkit/riskkit/internal/yamlpos"
)

// Decode decodes src, one YAML or JSON document, into v, a non-nil pointer
// to a zero value, and returns every problem found, or nil: a document that
// starts with "{" or "[" through [JSON], any other through [Parse] and
// [Document.Into]. Problems a validator finds afterwards are located with
// [Place].
func Decode(src []byte, v any) []Issue {
	if s := bytes.TrimLeft(src, " \t\r\n"); len(s) > 0 && (s[0] == '{' || s[0] == '[') {
		return JSON(src, v)
	}
	doc, issues := Parse(src)
	if doc != nil {
		issues = doc.Into(v)
	}
	return issues
}

// JSON decodes src, one JSON value, into v, a non-nil pointer to a zero
// value, and returns every problem found, or nil.
//
// Most documents a service receives are well formed, so encoding/json reads
// src first, strictly (unknown keys are problems), which is many times
// faster than walking a parsed document. Only when it refuses src is src
// parsed and decoded with [Parse] and [Document.Into], so that the problems
// come back all at once, named and located as the document writes them.
// What either accepts is accepted: the walk also reads what encoding/json
// does not, such as a duration written "36h" or a YAML flow mapping, and
// encoding/json matches keys without regard to case. Text that is not JSON
// (a syntax error, truncation, data after the value) is reported alone, at
// the byte where encoding/json found it.
func JSON(src []byte, v any) []Issue {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return []Issue{{Msg: fmt.Sprintf("decode: JSON needs a non-nil pointer, not %T", v)}}
	}
	dec := json.NewDecoder(bytes.NewReader(src))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	var syntax *Issue // what encoding/json found wrong with the text itself
	var se *json.SyntaxError
	switch {
	case err == nil:
		rest := bytes.TrimLeft(src[dec.InputOffset():], " \t\r\n")
		if len(rest) == 0 {
			return nil
		}
		syntax = at(src, len(src)-len(rest), "unexpected data after the JSON value (one value per document or line)")
	case errors.Is(err, io.EOF):
		return []Issue{{Msg: "the document is empty"}}
	case errors.Is(err, io.ErrUnexpectedEOF):
		syntax = at(src, len(bytes.TrimRight(src, " \t\r\n")), "the document ends inside a JSON value (truncated?)")
	case errors.As(err, &se):
		syntax = at(src, int(se.Offset)-1, "syntax error: "+strings.TrimPrefix(se.Error(), "json: "))
	}
	rv.Elem().SetZero()
	doc, issues := Parse(src)
	if doc != nil {
		doc.json = true
		issues = doc.Into(v)
	}
	if len(issues) > 0 && syntax != nil {
		// Not JSON, nor YAML that decodes cleanly (such as a flow
		// mapping, {id: x}): the text is the problem.
		return []Issue{*syntax}
	}
	return issues
}

// at is an issue at byte offset i of src.
func at(src []byte, i int, msg string) *Issue {
	line, col := yamlpos.LineCol(src, i)
	return &Issue{Line: line, Column: col, Msg: msg}
}

// Place sets the line and column of each issue that has a path and no
// position yet, from where src, the document decoded, writes that path.
// It parses src only when some issue needs it.
func Place(src []byte, issues []Issue) {
	var doc *Document
	for i := range issues {
		is := &issues[i]
		if is.Line != 0 || is.Path == "" {
			continue
		}
		if doc == nil {
			if doc, _ = Parse(src); doc == nil {
				return
			}
		}
		is.Line, is.Column = doc.Locate(is.Path)
	}
}
