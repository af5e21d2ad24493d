package yamlpos

import "bytes"

// LineCol returns the 1-based line and column of the byte at offset off in
// src, counting columns in bytes. An offset before
// the start is the first byte, and one past the end is just after the last,
// so that "unexpected end of input" points at the end.
func LineCol(src []byte, off int) (line, col int) {
	off = min(max(off, 0), len(src))
	before := src[:off]
	return 1 + bytes.Count(before, []byte("\n")), off - bytes.LastIndexByte(before, '\n')
}
