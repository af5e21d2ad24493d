package abuse

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/riskkit/riskkit/internal/decode"
	"github.com/riskkit/riskkit/internal/yamlpos"
	"github.com/riskkit/riskkit/risk"
)

// ParseTelemetry reads windows of telemetry from JSON: one object per
// window, either one after another (JSON Lines) or in one array, in the
// field names of [Telemetry]'s JSON tags. Unknown fields are errors. Each
// window is checked with [Telemetry.Validate].
//
// On bad input it returns no windows and a *[risk.DocumentError] wrapping
// [ErrInvalidTelemetry] about the first bad window, named by its position
// ("telemetry record 3"), with every problem found in it at its field's
// path (as in "flows[3].remote") and 1-based line and column in data. It
// never panics.
//
// Windows that are valid are read at the speed of encoding/json; a window
// that is not, or that repeats a key in an object (which encoding/json
// would let the last value win), is read again by riskkit's positioned
// decoder to say where each problem is.
func ParseTelemetry(data []byte) ([]Telemetry, error) {
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
				return nil, located(data, record, i, "unexpected text after the array")
			}
			break
		}
		start := int(dec.InputOffset())
		var t Telemetry
		err := dec.Decode(&t)
		if errors.Is(err, io.EOF) && !array {
			break
		}
		if isSyntax(err) {
			return nil, syntaxError(data, record, err)
		}
		start = skipSeparators(data, start)
		if err == nil && start < len(data) && data[start] != '{' {
			return nil, located(data, record, start, "a window of telemetry must be a JSON object")
		}
		if err == nil && t.check().ok() && !decode.RepeatsKey(data[start:dec.InputOffset()]) {
			out = append(out, t)
			continue
		}
		return nil, locateTelemetry(data, record, start, int(dec.InputOffset()), err)
	}
	return out, nil
}

// locateTelemetry reads the window data[start:end] again with the
// positioned decoder and returns its problems, located. err is what
// encoding/json said, nil when the window decoded but is not valid.
func locateTelemetry(data []byte, record, start, end int, err error) error {
	is := issues{sentinel: ErrInvalidTelemetry}
	var t Telemetry
	doc, list := decode.ParseAt(data, start, end)
	if doc != nil {
		list = doc.Into(&t)
	}
	is.addIssues(list)
	subject := telemetrySubject(record, "")
	if is.ok() && err == nil {
		is = *t.check()
		subject = telemetrySubject(record, t.Subscription)
	}
	if is.ok() {
		// The two decoders disagree; say what encoding/json said.
		line, col := yamlpos.LineCol(data, start)
		is.Issues = []risk.Issue{{Line: line, Column: col, Msg: jsonMessage(err), Err: ErrInvalidTelemetry}}
	}
	return is.err(subject, doc)
}

// EncodeTelemetry writes windows as JSON Lines, the form ParseTelemetry
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

func skipSeparators(raw []byte, i int) int {
	for i < len(raw) && strings.IndexByte(" \t\r\n,:", raw[i]) >= 0 {
		i++
	}
	return i
}

// located returns the error of one problem of a window at offset off.
func located(data []byte, record, off int, msg string) error {
	line, col := yamlpos.LineCol(data, off)
	return risk.NewDocumentError("abuse", ErrInvalidTelemetry, telemetrySubject(record, ""),
		[]risk.Issue{{Line: line, Column: col, Msg: msg, Err: ErrInvalidTelemetry}})
}

// syntaxError locates a JSON syntax error of a window.
func syntaxError(data []byte, record int, err error) error {
	return located(data, record, syntaxOffset(data, 0, err), "invalid JSON: "+jsonSyntaxMessage(err))
}

// syntaxOffset returns where in data a syntax error of the JSON value
// starting at start is.
func syntaxOffset(data []byte, start int, err error) int {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return start + int(se.Offset) - 1
	}
	return len(data)
}

// jsonSyntaxMessage says what is wrong with malformed JSON.
func jsonSyntaxMessage(err error) string {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return se.Error()
	}
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return "unexpected end of input"
	}
	return jsonMessage(err)
}

// jsonMessage returns an encoding/json error without its package prefixes.
func jsonMessage(err error) string {
	if err == nil {
		return "invalid"
	}
	return decode.Message(errors.New(strings.TrimPrefix(err.Error(), "json: ")))
}
