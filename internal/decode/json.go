package decode

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"reflect"
	"slices"
	"strings"
	"unicode/utf8"

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
// encoding/json matches keys without regard to case. A document that
// repeats a key in one object (up to case) is always walked, so that the
// repetition is a problem rather than the last value silently winning.
// Text that is not JSON (a syntax error, truncation, data after the value)
// is reported alone, at the byte where encoding/json found it.
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
		if len(rest) > 0 {
			syntax = at(src, len(src)-len(rest), "unexpected data after the JSON value (one value per document or line)")
		} else if !RepeatsKey(src) {
			return nil
		}
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

// RepeatsKey reports whether an object in src, JSON that encoding/json
// has accepted, may have two keys that are the same up to case and escapes:
// keys encoding/json would read into one field, the last value winning.
// It compares hashes of the keys object by object, so a rare collision
// reports a repetition that is not there, which only costs the caller a
// slower read of src.
func RepeatsKey(src []byte) bool {
	var buf [64]uint64
	keys := buf[:0] // the hashes of the keys of the objects open, outermost first
	var low []byte
	type level struct {
		object bool
		from   int // where the object's keys start in keys
	}
	var open []level
	wantKey := false
	for i := 0; i < len(src); i++ {
		switch src[i] {
		case '{':
			open = append(open, level{object: true, from: len(keys)})
			wantKey = true
		case '[':
			open = append(open, level{})
		case '}', ']':
			top := open[len(open)-1]
			open = open[:len(open)-1]
			if top.object {
				if repeated(keys[top.from:]) {
					return true
				}
				keys = keys[:top.from]
			}
		case ',':
			wantKey = open[len(open)-1].object
		case '"':
			start, plain := i, true
			for i++; src[i] != '"'; i++ {
				if c := src[i]; c == '\\' || c >= utf8.RuneSelf {
					plain = false
					if c == '\\' {
						i++
					}
				}
			}
			if !wantKey {
				continue
			}
			wantKey = false
			if plain {
				low = append(low[:0], src[start+1:i]...)
				for j, c := range low {
					if 'A' <= c && c <= 'Z' {
						low[j] = c + 'a' - 'A'
					}
				}
			} else {
				var name string
				_ = json.Unmarshal(src[start:i+1], &name)
				low = append(low[:0], strings.ToLower(name)...)
			}
			keys = append(keys, maphash.Bytes(keySeed, low))
		}
	}
	return false
}

// repeated reports whether two of the hashes are equal; it may reorder them.
func repeated(hashes []uint64) bool {
	if len(hashes) <= 16 {
		for i, h := range hashes {
			if slices.Contains(hashes[i+1:], h) {
				return true
			}
		}
		return false
	}
	slices.Sort(hashes)
	for i := 1; i < len(hashes); i++ {
		if hashes[i] == hashes[i-1] {
			return true
		}
	}
	return false
}

// keySeed seeds the hashes of RepeatsKey.
var keySeed = maphash.MakeSeed()
