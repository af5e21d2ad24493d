package gendata

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func fixed(files ...File) *Command {
	return &Command{Name: "fixed", Generate: func() ([]File, error) { return files, nil }}
}

func TestRunWritesWhereTheFlagSays(t *testing.T) {
	dir := t.TempDir()
	one := fixed(File{Name: "one.jsonl", Data: []byte("{}\n"), Count: "1 record"})
	many := &Command{Name: "many", Flag: "dir", Dir: true, Generate: func() ([]File, error) {
		return []File{{Name: "a.json", Data: []byte("a")}, {Name: "b.json", Data: []byte("bb")}}, nil
	}}
	tests := []struct {
		name   string
		reason string
		c      *Command
		args   []string
		want   map[string]string // file under dir -> content
		stderr string
	}{
		{
			name:   "single file",
			reason: "-o names the file itself, not a directory",
			c:      one,
			args:   []string{"-o", filepath.Join(dir, "x.jsonl")},
			want:   map[string]string{"x.jsonl": "{}\n"},
			stderr: "fixed: wrote 1 record (3 bytes) to DIR/x.jsonl\n",
		},
		{
			name:   "directory",
			reason: "a Dir command writes every file under its own name, in order",
			c:      many,
			args:   []string{"-dir", dir},
			want:   map[string]string{"a.json": "a", "b.json": "bb"},
			stderr: "many: wrote 1 bytes to DIR/a.json\nmany: wrote 2 bytes to DIR/b.json\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stderr bytes.Buffer
			if err := tt.c.Run(tt.args, &stderr); err != nil {
				t.Fatalf("%s: %v", tt.reason, err)
			}
			for name, want := range tt.want {
				got, err := os.ReadFile(filepath.Join(dir, name))
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(want, string(got)); diff != "" {
					t.Errorf("%s: %s (-want +got):\n%s", tt.reason, name, diff)
				}
			}
			got := strings.ReplaceAll(stderr.String(), dir, "DIR")
			if diff := cmp.Diff(tt.stderr, got); diff != "" {
				t.Errorf("%s: stderr (-want +got):\n%s", tt.reason, diff)
			}
		})
	}
}

func TestRunDefaultsToTheModuleData(t *testing.T) {
	root := t.TempDir()
	data := filepath.Join(root, "examples", "data")
	sub := filepath.Join(root, "examples", "gen", "fixed")
	for _, d := range []string{data, sub} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(root, "go.mod"), []byte("module x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(sub)
	if err := fixed(File{Name: "one.jsonl", Data: []byte("1\n")}).Run(nil, &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join(data, "one.jsonl"))
	if err != nil || string(got) != "1\n" {
		t.Errorf("examples/data/one.jsonl holds %q (%v), want %q", got, err, "1\n")
	}
}

func TestRunErrors(t *testing.T) {
	dir := t.TempDir()
	boom := errors.New("boom")
	tests := []struct {
		name   string
		reason string
		c      *Command
		args   []string
		want   string
	}{
		{"unknown flag", "flags are checked before anything is generated", fixed(File{Name: "a"}), []string{"-nope"}, "flag provided but not defined"},
		{"stray argument", "a generator takes no arguments, so one is a mistake", fixed(File{Name: "a"}), []string{"extra"}, `unexpected arguments ["extra"]`},
		{"wrong flag", "a Dir command with Flag set does not answer to -o", &Command{Name: "d", Flag: "dir", Dir: true}, []string{"-o", dir}, "flag provided but not defined"},
		{"missing directory", "the destination is not created", fixed(File{Name: "a"}), []string{"-o", filepath.Join(dir, "no", "such")}, "no such file"},
		{"generate fails", "the generator's error is passed on", &Command{Name: "g", Generate: func() ([]File, error) { return nil, boom }}, []string{"-o", filepath.Join(dir, "g")}, "boom"},
		{"two files without Dir", "one file flag cannot name two files", fixed(File{Name: "a"}, File{Name: "b"}), []string{"-o", filepath.Join(dir, "ab")}, "generated 2 files"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.c.Run(tt.args, &bytes.Buffer{})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("%s: Run(%q) = %v, want an error containing %q", tt.reason, tt.args, err, tt.want)
			}
		})
	}
}

func TestModuleRoot(t *testing.T) {
	root := t.TempDir()
	deep := filepath.Join(root, "a", "b")
	if err := os.MkdirAll(deep, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "go.mod"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, dir := range []string{root, deep} {
		got, err := ModuleRoot(dir)
		if err != nil || got != root {
			t.Errorf("ModuleRoot(%s) = %q, %v; want %q", dir, got, err, root)
		}
	}
	// Above the file system root there is nothing to find.
	if got, err := ModuleRoot(string(filepath.Separator)); err == nil {
		if _, statErr := os.Stat(filepath.Join(got, "go.mod")); statErr != nil {
			t.Errorf("ModuleRoot(/) = %q without a go.mod there", got)
		}
	} else if !errors.Is(err, ErrNoModule) {
		t.Errorf("ModuleRoot(/) error %v, want ErrNoModule", err)
	}
}
