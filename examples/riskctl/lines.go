package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"iter"
	"reflect"
	"strings"

	"github.com/riskkit/riskkit/internal/decode"
	"github.com/riskkit/riskkit/internal/text"
	"github.com/riskkit/riskkit/risk"
)

// onError says what to do with an input line that cannot be decoded.
type onError string

const (
	stopOnError onError = "stop"
	skipOnError onError = "skip"
)

func (o *onError) String() string { return string(*o) }

func (o *onError) Set(s string) error {
	switch onError(s) {
	case stopOnError, skipOnError:
		*o = onError(s)
		return nil
	}
	return fmt.Errorf("want stop or skip, not %q", s)
}

// lineReader reads JSON lines one at a time, so that files of any length
// can be evaluated, and keeps the counts a person needs to trust the result.
type lineReader struct {
	name string
	r    *bufio.Reader
	mode onError
	// warn receives one line per skipped input line.
	warn   io.Writer
	prefix string

	line    int // number of the line last read, 1-based
	skipped int
	err     error // why reading stopped early, if it did
}

func newLineReader(name string, r io.Reader, mode onError, warn io.Writer, prefix string) *lineReader {
	return &lineReader{name: name, r: bufio.NewReaderSize(r, 64<<10), mode: mode, warn: warn, prefix: prefix}
}

// next returns the next non-blank line, or false at the end of the input
// or on a read error (left in l.err).
func (l *lineReader) next() ([]byte, bool) {
	for {
		b, err := l.readLine()
		if b == nil && err != nil {
			if !errors.Is(err, io.EOF) {
				l.err = fmt.Errorf("%s: line %d: %w", l.name, l.line+1, err)
			}
			return nil, false
		}
		l.line++
		if err != nil { // an over-long line
			if !l.malformed(&lineError{Msg: err.Error()}) {
				return nil, false
			}
			continue
		}
		if len(bytes.TrimSpace(b)) == 0 {
			continue
		}
		return b, true
	}
}

var errLineTooLong = fmt.Errorf("line longer than %d MiB", maxLineSize>>20)

// readLine reads up to the next newline. A line over maxLineSize is read to
// its end and dropped, returning errLineTooLong with a non-nil slice.
func (l *lineReader) readLine() ([]byte, error) {
	var line []byte
	tooLong := false
	for {
		chunk, err := l.r.ReadSlice('\n')
		if !tooLong {
			if len(line)+len(chunk) > maxLineSize {
				tooLong, line = true, nil
			} else {
				line = append(line, chunk...)
			}
		}
		switch {
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case err != nil && (len(line) > 0 || tooLong) && errors.Is(err, io.EOF):
			err = nil // a last line without a newline
		case err != nil:
			return nil, err
		}
		if tooLong {
			return []byte{}, errLineTooLong
		}
		return line, nil
	}
}

// malformed reports a line that could not be decoded and says whether to
// go on. Under stop it records the error; under skip it warns and counts.
func (l *lineReader) malformed(le *lineError) bool {
	le.File, le.Line = l.name, l.line
	if l.mode == skipOnError {
		l.skipped++
		fmt.Fprintf(l.warn, "%s: skipped %s\n", l.prefix, le)
		return true
	}
	l.err = le
	return false
}

// records decodes every line of l with decode, yielding each value with its
// line number.
func records[T any](l *lineReader, decode func([]byte) (T, *lineError)) iter.Seq2[int, T] {
	return func(yield func(int, T) bool) {
		for {
			b, ok := l.next()
			if !ok {
				return
			}
			v, le := decode(b)
			if le != nil {
				if !l.malformed(le) {
					return
				}
				continue
			}
			if !yield(l.line, v) {
				return
			}
		}
	}
}

// lineError is an input line that could not be decoded.
type lineError struct {
	File   string
	Line   int
	Column int    // byte column, 1-based; 0 when unknown
	Path   string // JSON path of the offending value, such as txn.amount
	Msg    string
}

func (e *lineError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
		if e.Column > 0 {
			fmt.Fprintf(&b, ":%d", e.Column)
		}
	}
	b.WriteString(": ")
	if e.Path != "" {
		b.WriteString(e.Path)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// decodeStrict decodes one JSON value from line into v, a pointer to a
// zero value, the way every riskkit document is read (see decode.JSON):
// unknown keys are problems, and a problem names its field path and column.
// A line with several problems reports the first and how many others.
func decodeStrict(line []byte, v any) *lineError {
	issues := decode.JSON(line, v)
	if len(issues) == 0 {
		return nil
	}
	is := issues[0]
	le := &lineError{Column: is.Column, Path: is.Path, Msg: is.Msg}
	if n := len(issues) - 1; n > 0 {
		le.Msg += fmt.Sprintf(" (and %s)", text.Plural(n, "other problem"))
	}
	return le
}

// evalLine is one line eval reads: a checkout, or a backtest record whose
// label is ignored, so that one data file serves both eval and backtest.
type evalLine struct {
	risk.Checkout
	ID    *string        `json:"id"`
	Fraud *bool          `json:"fraud"`
	Input *risk.Checkout `json:"input"`
}

// evalInput is a decoded eval line: the input and the id to show for it.
type evalInput[T any] struct {
	id string
	in *T
}

func decodeEvalLine(b []byte) (evalInput[risk.Checkout], *lineError) {
	var l evalLine
	if err := decodeStrict(b, &l); err != nil {
		return evalInput[risk.Checkout]{}, err
	}
	if l.Input == nil {
		if l.ID != nil || l.Fraud != nil {
			return evalInput[risk.Checkout]{}, &lineError{Msg: `a labelled record needs "input" with the checkout; a plain checkout has only customer, payment, txn and signals`}
		}
		return evalInput[risk.Checkout]{id: l.Transaction.ID, in: &l.Checkout}, nil
	}
	if !reflect.ValueOf(l.Checkout).IsZero() {
		return evalInput[risk.Checkout]{}, &lineError{Msg: `both "input" and checkout fields at the top level; put the checkout under "input" only`}
	}
	id := l.Input.Transaction.ID
	if l.ID != nil && *l.ID != "" {
		id = *l.ID
	}
	return evalInput[risk.Checkout]{id: id, in: l.Input}, nil
}
