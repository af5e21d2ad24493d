package main

import (
	"runtime/debug"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestWriteVersion(t *testing.T) {
	tests := []struct {
		name string
		bi   debug.BuildInfo
		want string
	}{
		{
			name: "installed at a release",
			bi:   debug.BuildInfo{GoVersion: "go1.26.0", Main: debug.Module{Path: modulePath, Version: "v0.3.0"}},
			want: "riskctl github.com/riskkit/riskkit v0.3.0\nbuilt with go1.26.0\n",
		},
		{
			name: "built from a modified checkout",
			bi: debug.BuildInfo{GoVersion: "go1.26.1", Main: debug.Module{Path: modulePath, Version: "(devel)"},
				Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "abc123"}, {Key: "vcs.time", Value: "2026-12-01T10:00:00Z"}, {Key: "vcs.modified", Value: "true"}}},
			want: "riskctl github.com/riskkit/riskkit (devel)\ncommit abc123+dirty (2026-12-01T10:00:00Z)\nbuilt with go1.26.1\n",
		},
		{
			name: "riskkit as a dependency",
			bi: debug.BuildInfo{GoVersion: "go1.26.0", Main: debug.Module{Path: "example.com/host"},
				Deps: []*debug.Module{{Path: modulePath, Version: "v0.3.0"}}},
			want: "riskctl github.com/riskkit/riskkit v0.3.0\nbuilt with go1.26.0\n",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var b strings.Builder
			writeVersion(&b, &tc.bi)
			if diff := cmp.Diff(tc.want, b.String()); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestVersionCommand(t *testing.T) {
	code, out, errOut := riskctl(t, "", "version")
	if code != 0 || !strings.HasPrefix(out, "riskctl github.com/riskkit/riskkit ") || !strings.Contains(out, "built with go") {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	if code, _, _ := riskctl(t, "", "version", "extra"); code != 2 {
		t.Errorf("version with an argument: exit %d, want 2", code)
	}
}
