package main

import (
	"fmt"
	"io"
	"runtime/debug"
)

// modulePath is the module riskctl belongs to; its version is riskkit's.
const modulePath = "github.com/riskkit/riskkit"

func runVersion(e *env, args []string) error {
	fs := newFlags(e, "version", "")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError("version takes no arguments, got %q", fs.Args())
	}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return fmt.Errorf("this binary carries no build information")
	}
	writeVersion(e.stdout, bi)
	return nil
}

// writeVersion prints the version of riskkit the binary was built from.
// `go install ...@v1.2.3` records v1.2.3 as the main module's version;
// a build from a checkout records "(devel)" or a pseudo-version, and the
// commit (with "+dirty" when the tree had changes) tells which code it was.
func writeVersion(w io.Writer, bi *debug.BuildInfo) {
	version := bi.Main.Version
	if bi.Main.Path != modulePath {
		// Linked into another program: riskkit is a dependency.
		version = "unknown"
		for _, d := range bi.Deps {
			if d.Path == modulePath {
				version = d.Version
				if d.Replace != nil {
					version += " => " + d.Replace.Path
				}
			}
		}
	}
	if version == "" {
		version = "(devel)"
	}
	fmt.Fprintf(w, "riskctl %s %s\n", modulePath, version)
	var rev, at string
	dirty := false
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.time":
			at = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if rev != "" {
		if dirty {
			rev += "+dirty"
		}
		fmt.Fprintf(w, "commit %s", rev)
		if at != "" {
			fmt.Fprintf(w, " (%s)", at)
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "built with %s\n", bi.GoVersion)
}
