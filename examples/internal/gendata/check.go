package gendata

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/riskkit/riskkit/examples"
)

// CheckCommitted regenerates the files in memory and compares each with
// the copy package examples embeds, so that a change to a generator cannot
// land without the data it produces. A mismatch fails t with the place
// where the files first differ and the command that refreshes them.
func (c *Command) CheckCommitted(t testing.TB) {
	t.Helper()
	files, err := c.Generate()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		want, err := examples.Data(f.Name)
		if err != nil {
			t.Fatalf("%v; run go run ./examples/gen/%s", err, c.Name)
			return
		}
		if msg := stale(f.Name, want, f.Data); msg != "" {
			t.Fatalf("%s; run go run ./examples/gen/%s", msg, c.Name)
			return
		}
	}
}

// excerpt is how many bytes of each version a stale report shows.
const excerpt = 200

// stale describes where got first differs from want, the committed content
// of examples/data/name, or returns "" when they are equal. It reports a
// line and column rather than a byte offset because the data files are
// read as lines, and it shows both versions from a little before the first
// difference, since a long JSON line may differ only near its end.
func stale(name string, want, got []byte) string {
	if bytes.Equal(want, got) {
		return ""
	}
	n := 0
	for n < len(want) && n < len(got) && want[n] == got[n] {
		n++
	}
	line := 1 + bytes.Count(want[:n], []byte("\n"))
	start := bytes.LastIndexByte(want[:n], '\n') + 1
	col := 1 + n - start
	from := max(start, n-excerpt/4)
	return fmt.Sprintf("examples/data/%s is stale from line %d, column %d (committed %d lines, generated %d)\ncommitted: %s\ngenerated: %s",
		name, line, col, lines(want), lines(got), show(want, from, start), show(got, from, start))
}

// show returns up to excerpt bytes of b's line from offset from, marking
// with "..." what is left out; start is where the line begins.
func show(b []byte, from, start int) string {
	rest := b[from:]
	if i := bytes.IndexByte(rest, '\n'); i >= 0 {
		rest = rest[:i]
	}
	s := ""
	if from > start {
		s = "..."
	}
	if len(rest) > excerpt {
		return s + string(rest[:excerpt]) + "..."
	}
	if len(rest) == 0 && from == len(b) {
		return s + "(end of file)"
	}
	return s + string(rest)
}

func lines(b []byte) int {
	n := bytes.Count(b, []byte("\n"))
	if len(b) > 0 && b[len(b)-1] != '\n' {
		n++
	}
	return n
}

// CheckRun runs the command with its output flag pointing into a temporary
// directory and checks that it writes exactly what Generate returns, then
// that an unknown flag, a stray argument and an unwritable destination are
// errors.
func (c *Command) CheckRun(t testing.TB) {
	t.Helper()
	files, err := c.Generate()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	out := dir
	if !c.Dir {
		out = filepath.Join(dir, "out")
	}
	if err := c.Run([]string{"-" + c.flag(), out}, io.Discard); err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		path := filepath.Join(dir, f.Name)
		if !c.Dir {
			path = out
		}
		got, err := os.ReadFile(path)
		if err != nil || !bytes.Equal(got, f.Data) {
			t.Errorf("%s: -%s wrote something else than Generate returns (%v)", f.Name, c.flag(), err)
		}
	}
	missing := filepath.Join(dir, "missing", "dir")
	for _, args := range [][]string{{"-nope"}, {"extra"}, {"-" + c.flag(), missing}} {
		if err := c.Run(args, io.Discard); err == nil {
			t.Errorf("Run(%q) succeeded, want an error", args)
		}
	}
}
