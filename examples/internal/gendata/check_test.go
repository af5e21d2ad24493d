package gendata

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/riskkit/riskkit/examples"
)

func TestStale(t *testing.T) {
	long := strings.Repeat("x", 300)
	tests := []struct {
		name      string
		reason    string
		want, got string
		report    string
	}{
		{
			name:   "equal",
			reason: "identical files are current",
			want:   "a\nb\n", got: "a\nb\n",
			report: "",
		},
		{
			name:   "changed line",
			reason: "the line and column are where the first byte differs",
			want:   "a\nbcd\ne\n", got: "a\nbXd\ne\n",
			report: "examples/data/f is stale from line 2, column 2 (committed 3 lines, generated 3)\ncommitted: bcd\ngenerated: bXd",
		},
		{
			name:   "generated longer",
			reason: "an added line shows against the end of the committed file",
			want:   "a\n", got: "a\nb\n",
			report: "examples/data/f is stale from line 2, column 1 (committed 1 lines, generated 2)\ncommitted: (end of file)\ngenerated: b",
		},
		{
			name:   "committed longer",
			reason: "a dropped line shows against the end of the generated file",
			want:   "a\nb\n", got: "a\n",
			report: "examples/data/f is stale from line 2, column 1 (committed 2 lines, generated 1)\ncommitted: b\ngenerated: (end of file)",
		},
		{
			name:   "far into a long line",
			reason: "the excerpt starts shortly before the difference, not at the start of the line",
			want:   long + "A" + long + "\n", got: long + "B" + long + "\n",
			report: fmt.Sprintf("examples/data/f is stale from line 1, column 301 (committed 1 lines, generated 1)\ncommitted: ...%[1]sA%[2]s...\ngenerated: ...%[1]sB%[2]s...",
				strings.Repeat("x", 50), strings.Repeat("x", 149)),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := stale("f", []byte(tt.want), []byte(tt.got))
			if diff := cmp.Diff(tt.report, got); diff != "" {
				t.Errorf("%s (-want +got):\n%s", tt.reason, diff)
			}
		})
	}
}

// recorder is a testing.TB that keeps failures instead of failing, so the
// checks' own failures can be asserted on.
type recorder struct {
	testing.TB
	failures []string
}

func (r *recorder) Helper() {}
func (r *recorder) Fatal(args ...any) {
	r.failures = append(r.failures, fmt.Sprint(args...))
}
func (r *recorder) Fatalf(format string, args ...any) {
	r.failures = append(r.failures, fmt.Sprintf(format, args...))
}
func (r *recorder) Errorf(format string, args ...any) {
	r.failures = append(r.failures, fmt.Sprintf(format, args...))
}

func TestCheckCommitted(t *testing.T) {
	committed, err := examples.Data("applicants.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	changed := append([]byte(nil), committed...)
	changed[len(changed)-2] ^= 1
	tests := []struct {
		name   string
		reason string
		file   File
		want   string // in the failure; "" for none
	}{
		{"current", "the committed bytes pass", File{Name: "applicants.jsonl", Data: committed}, ""},
		{"stale", "one changed byte fails and names the refresh command", File{Name: "applicants.jsonl", Data: changed}, "is stale from line"},
		{"unknown", "a file the examples package does not embed fails", File{Name: "nope.jsonl"}, `no data file "nope.jsonl"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &recorder{TB: t}
			fixed(tt.file).CheckCommitted(r)
			switch {
			case tt.want == "" && len(r.failures) > 0:
				t.Errorf("%s: failed with %q", tt.reason, r.failures)
			case tt.want != "" && (len(r.failures) != 1 || !strings.Contains(r.failures[0], tt.want) || !strings.Contains(r.failures[0], "run go run ./examples/gen/fixed")):
				t.Errorf("%s: failures %q, want one containing %q and the command", tt.reason, r.failures, tt.want)
			}
		})
	}
}

func TestCheckRun(t *testing.T) {
	fixed(File{Name: "one.jsonl", Data: []byte("1\n")}).CheckRun(t)
	(&Command{Name: "many", Flag: "dir", Dir: true, Generate: func() ([]File, error) {
		return []File{{Name: "a", Data: []byte("a")}, {Name: "b", Data: []byte("b")}}, nil
	}}).CheckRun(t)

	// A command that writes something other than what it generates is
	// caught.
	calls := 0
	liar := &Command{Name: "liar", Generate: func() ([]File, error) {
		calls++
		return []File{{Name: "x", Data: fmt.Appendf(nil, "%d", calls)}}, nil
	}}
	r := &recorder{TB: t}
	liar.CheckRun(r)
	if len(r.failures) != 1 || !strings.Contains(r.failures[0], "wrote something else") {
		t.Errorf("failures %q, want one about the written file", r.failures)
	}
}
