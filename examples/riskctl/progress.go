package main

import (
	"fmt"
	"io"
	"os"
	"time"
)

// progressInterval is how often progress is redrawn.
const progressInterval = 250 * time.Millisecond

// progress shows on a terminal how far a long read has come: the records
// read, the rate and, when the input's size is known, the time left. It
// writes nothing when stderr is not a terminal, so that logs and pipes get
// only results, nor when silenced with -q.
type progress struct {
	w       io.Writer
	on      bool
	cmd     string
	noun    string
	src     io.Reader
	size    int64 // bytes, 0 when unknown
	read    int64
	n       int
	start   time.Time
	last    time.Time
	drawn   bool
	nowFunc func() time.Time
}

func newProgress(e *env, cmd, noun string, src io.Reader, wanted bool) *progress {
	p := &progress{w: e.stderr, on: wanted && e.stderrTerminal, cmd: cmd, noun: noun, src: src, nowFunc: e.now}
	if p.nowFunc == nil {
		p.nowFunc = time.Now
	}
	switch r := src.(type) {
	case *os.File:
		if st, err := r.Stat(); err == nil && st.Mode().IsRegular() {
			p.size = st.Size()
		}
	case interface{ Size() int64 }: // bytes.Reader, strings.Reader
		p.size = r.Size()
	}
	p.start = p.nowFunc()
	p.last = p.start
	return p
}

// reader returns the input, counting the bytes read.
func (p *progress) reader() io.Reader {
	if !p.on {
		return p.src
	}
	return p
}

func (p *progress) Read(b []byte) (int, error) {
	n, err := p.src.Read(b)
	p.read += int64(n)
	return n, err
}

// tick counts one record and redraws when it is time.
func (p *progress) tick() {
	p.n++
	if !p.on || p.n%64 != 0 {
		return
	}
	now := p.nowFunc()
	if now.Sub(p.last) < progressInterval {
		return
	}
	p.last = now
	p.draw(now)
}

func (p *progress) draw(now time.Time) {
	elapsed := now.Sub(p.start).Seconds()
	line := fmt.Sprintf("%s: %d %s", p.cmd, p.n, p.noun)
	if elapsed > 0 {
		line += fmt.Sprintf(", %.0f/s", float64(p.n)/elapsed)
		if p.size > 0 && p.read > 0 && p.read < p.size {
			left := time.Duration(float64(p.size-p.read) / (float64(p.read) / elapsed) * float64(time.Second))
			line += fmt.Sprintf(", %s left", left.Round(time.Second))
		}
	}
	// \r and the erase-line escape keep one line, redrawn in place.
	fmt.Fprintf(p.w, "\r\033[K%s", line)
	p.drawn = true
}

// done clears the progress line.
func (p *progress) done() {
	if p.drawn {
		fmt.Fprint(p.w, "\r\033[K")
	}
}
