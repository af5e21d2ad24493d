package main

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// riskctl runs one invocation with stdin and returns the exit status and
// what was written to stdout and stderr.
func riskctl(t testing.TB, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(&env{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errOut}, args)
	return code, out.String(), errOut.String()
}

// golden compares got with testdata/golden/name, or rewrites the file
// under -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", path, diff)
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// invocation is one run of riskctl and what it must print. Each want
// string must appear in its stream; each absent string must not appear
// in either.
type invocation struct {
	name       string
	reason     string
	stdin      string
	args       []string
	code       int
	stdout     []string
	stderr     []string
	absent     []string
	goldenFile string // compare stdout with testdata/golden/<goldenFile>
}

// runInvocations runs each invocation as a subtest and checks its exit
// status, its output and, when named, its golden file.
func runInvocations(t *testing.T, tests []invocation) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := riskctl(t, tt.stdin, tt.args...)
			if code != tt.code {
				t.Errorf("%s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", tt.reason, code, tt.code, stdout, stderr)
			}
			for _, w := range tt.stdout {
				if !strings.Contains(stdout, w) {
					t.Errorf("%s: stdout lacks %q:\n%s", tt.reason, w, stdout)
				}
			}
			for _, w := range tt.stderr {
				if !strings.Contains(stderr, w) {
					t.Errorf("%s: stderr lacks %q:\n%s", tt.reason, w, stderr)
				}
			}
			for _, a := range tt.absent {
				if strings.Contains(stdout+stderr, a) {
					t.Errorf("%s: output has %q:\nstdout:\n%s\nstderr:\n%s", tt.reason, a, stdout, stderr)
				}
			}
			if tt.goldenFile != "" {
				golden(t, tt.goldenFile, stdout)
			}
		})
	}
}

// writeTemp writes content to a file in a temporary directory and returns
// its path.
func writeTemp(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// subcommand runs riskctl's subcommand name with args and stdin and
// returns the exit status, stdout and stderr.
func subcommand(t testing.TB, name, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	return riskctl(t, stdin, append([]string{name}, args...)...)
}
