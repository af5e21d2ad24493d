package gendata

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// File is one generated data file.
type File struct {
	// Name is the file name under examples/data, as examples.Data knows it.
	Name string
	// Data is the file's content.
	Data []byte
	// Count, when not empty, says how much the file holds, such as
	// "3000 records", for the line reporting that it was written.
	Count string
}

// Command is one data generator run as a command.
//
// A Command is plain configuration; it is not modified by its methods and
// may be shared, though its methods write files and should not race on the
// same destination.
type Command struct {
	// Name names the generator: its directory under examples/gen, the prefix
	// of its messages and its flag set.
	Name string
	// Flag is the name of the output flag; empty means "o".
	Flag string
	// Dir reports whether the output flag names a directory receiving every
	// file. Otherwise the command writes exactly one file and the flag names
	// that file.
	Dir bool
	// Generate returns the files in the order they are written. It must be
	// deterministic: the tests compare its result with the committed data.
	Generate func() ([]File, error)
}

// Main runs the command with the process's arguments and exits with status
// 1 after printing the error if it fails.
func (c *Command) Main() {
	if err := c.Run(os.Args[1:], os.Stderr); err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", c.Name, err)
		os.Exit(1)
	}
}

// Run parses args, generates the files and writes them, reporting each file
// written on stderr.
func (c *Command) Run(args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet(c.Name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	usage := "output `file` (default examples/data/FILE under the module root)"
	if c.Dir {
		usage = "output `directory` (default examples/data under the module root)"
	}
	out := fs.String(c.flag(), "", usage)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	files, err := c.Generate()
	if err != nil {
		return err
	}
	if !c.Dir && len(files) != 1 {
		return fmt.Errorf("generated %d files; a command without Dir writes exactly one", len(files))
	}
	dir := *out
	if dir == "" {
		wd, err := os.Getwd()
		if err != nil {
			return err
		}
		root, err := ModuleRoot(wd)
		if err != nil {
			return fmt.Errorf("%w; pass -%s", err, c.flag())
		}
		dir = filepath.Join(root, "examples", "data")
	}
	for _, f := range files {
		path := filepath.Join(dir, f.Name)
		if !c.Dir && *out != "" {
			path = *out
		}
		if err := os.WriteFile(path, f.Data, 0o644); err != nil {
			return err
		}
		if f.Count != "" {
			fmt.Fprintf(stderr, "%s: wrote %s (%d bytes) to %s\n", c.Name, f.Count, len(f.Data), path)
		} else {
			fmt.Fprintf(stderr, "%s: wrote %d bytes to %s\n", c.Name, len(f.Data), path)
		}
	}
	return nil
}

func (c *Command) flag() string {
	if c.Flag == "" {
		return "o"
	}
	return c.Flag
}

// ErrNoModule is returned by [ModuleRoot] when no directory above the start
// holds a go.mod.
var ErrNoModule = errors.New("no go.mod above the working directory")

// ModuleRoot returns the nearest directory at or above dir that holds a
// go.mod, so that the default output lands in the same place wherever in
// the module a generator is run from.
func ModuleRoot(dir string) (string, error) {
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", ErrNoModule
		}
		dir = parent
	}
}
