package main

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/riskkit/riskkit/examples/internal/policyissues"
	"github.com/riskkit/riskkit/onboarding"
	"github.com/riskkit/riskkit/risk"
)

// policyFile is a file the service loads from its policy directory.
type policyFile struct {
	name     string
	kind     string
	required bool
}

// policyFiles are the files checkoutd serves. The checkout policy is
// required; without an onboarding policy /v1/onboarding/assess answers 503.
var policyFiles = []policyFile{
	{name: "checkout.yaml", kind: "checkout", required: true},
	{name: "onboarding.yaml", kind: "onboarding"},
}

// loaded describes a policy file that is serving.
type loaded struct {
	File     string    `json:"file"`
	Kind     string    `json:"kind"`
	PolicyID string    `json:"policy_id"`
	Version  string    `json:"policy_version"`
	SHA256   string    `json:"sha256"`
	LoadedAt time.Time `json:"loaded_at"`
}

// policies is one consistent set of compiled policies. It is never changed
// once published: a reload builds a new one and swaps the pointer, so a
// request uses the same set from start to end and never waits for a reload.
type policies struct {
	checkout *risk.Engine[risk.Checkout]
	// onboarding assesses in UTC; an assessment in another time zone
	// builds an assessor for it from onboardingPolicy.
	onboarding       *onboarding.Assessor
	onboardingPolicy *onboarding.Policy
	loaded           map[string]loaded // by file name
}

// problem is a policy file that changed but could not be loaded; the
// previous version of the file, if any, keeps serving.
type problem struct {
	File   string       `json:"file"`
	SHA256 string       `json:"sha256,omitempty"`
	SeenAt time.Time    `json:"seen_at"`
	Issues []risk.Issue `json:"issues"`
	// Serving is the version still serving in its place, if any.
	Serving string `json:"serving_version,omitempty"`
}

// status is what /v1/status shows.
type status struct {
	Policies   []loaded  `json:"policies"`
	Problems   []problem `json:"problems"`
	LastReload time.Time `json:"last_reload"`
	Reloads    int64     `json:"reloads"`
}

// store loads policies from a file system and reloads them when their
// content changes.
type store struct {
	fsys    fs.FS
	now     func() time.Time
	log     *slog.Logger
	metrics *metrics

	mu       sync.Mutex        // serialises reloads
	seen     map[string]string // file name -> hash of the content last tried
	problems map[string]problem
	reloads  int64

	cur    atomic.Pointer[policies]
	status atomic.Pointer[status]
}

func newStore(fsys fs.FS, now func() time.Time, log *slog.Logger, m *metrics) *store {
	return &store{fsys: fsys, now: now, log: log, metrics: m, seen: map[string]string{}, problems: map[string]problem{}}
}

// current returns the policies serving now; nil before the first load.
func (s *store) current() *policies { return s.cur.Load() }

// currentStatus returns the status after the last reload.
func (s *store) currentStatus() *status { return s.status.Load() }

// reload reads every policy file and compiles those whose content changed
// since they were last tried. A file that fails keeps its previous version
// serving and is reported until a version that compiles replaces it; a
// file that keeps failing the same way is reported once, not at every
// poll. The error is set only when there is no checkout policy to serve.
func (s *store) reload() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	s.reloads++
	old := s.cur.Load()
	next := &policies{loaded: map[string]loaded{}}
	if old != nil {
		*next = *old
		next.loaded = make(map[string]loaded, len(old.loaded))
		for k, v := range old.loaded {
			next.loaded[k] = v
		}
	}
	changed := false
	for _, f := range policyFiles {
		src, err := fs.ReadFile(s.fsys, f.name)
		if err != nil {
			_, wasLoaded := next.loaded[f.name]
			if errors.Is(err, fs.ErrNotExist) && !f.required && !wasLoaded {
				continue
			}
			key := "unreadable: " + err.Error()
			if s.seen[f.name] == key {
				continue
			}
			s.seen[f.name] = key
			s.fail(f, next, "", now, []risk.Issue{{Msg: "cannot read the file: " + err.Error()}})
			continue
		}
		sum := sha256.Sum256(src)
		hash := hex.EncodeToString(sum[:])
		if s.seen[f.name] == hash {
			continue
		}
		s.seen[f.name] = hash
		id, version, err := compileInto(next, f, src)
		if err != nil {
			s.fail(f, next, hash, now, policyissues.Of(err))
			continue
		}
		delete(s.problems, f.name)
		next.loaded[f.name] = loaded{File: f.name, Kind: f.kind, PolicyID: id, Version: version, SHA256: hash, LoadedAt: now}
		changed = true
		s.metrics.reloaded(f.name, true)
		s.log.Info("policy loaded", "file", f.name, "kind", f.kind, "policy", id, "version", version, "sha256", hash[:12])
	}
	if changed {
		s.cur.Store(next)
	}
	st := &status{LastReload: now, Reloads: s.reloads, Problems: []problem{}, Policies: []loaded{}}
	for _, f := range policyFiles {
		if l, ok := next.loaded[f.name]; ok {
			st.Policies = append(st.Policies, l)
		}
		if p, ok := s.problems[f.name]; ok {
			st.Problems = append(st.Problems, p)
		}
	}
	s.status.Store(st)
	if next.checkout == nil {
		var b []string
		for _, p := range st.Problems {
			for _, i := range p.Issues {
				b = append(b, fmt.Sprintf("%s:%s", p.File, issueText(i)))
			}
		}
		return fmt.Errorf("no checkout policy to serve:\n\t%s", strings.Join(b, "\n\t"))
	}
	return nil
}

// fail records that file f could not be loaded.
func (s *store) fail(f policyFile, next *policies, hash string, now time.Time, issues []risk.Issue) {
	p := problem{File: f.name, SHA256: hash, SeenAt: now, Issues: issues}
	if l, ok := next.loaded[f.name]; ok {
		p.Serving = l.Version
	}
	s.problems[f.name] = p
	s.metrics.reloaded(f.name, false)
	attrs := []any{"file", f.name, "kind", f.kind, "problems", len(issues)}
	if p.Serving != "" {
		attrs = append(attrs, "still_serving", p.Serving)
	}
	for i, is := range issues[:min(len(issues), 10)] {
		attrs = append(attrs, fmt.Sprintf("problem_%d", i+1), f.name+":"+issueText(is))
	}
	s.log.Error("policy not loaded", attrs...)
}

// issueText is an issue as LINE:COL: rule ID: path: message, the form
// editors turn into links.
func issueText(i risk.Issue) string {
	if i.Line == 0 {
		return " " + i.String()
	}
	return i.String()
}

// compileInto compiles src as a policy of f's kind into p and returns its
// id and version.
func compileInto(p *policies, f policyFile, src []byte) (id, version string, err error) {
	switch f.kind {
	case "checkout":
		e, err := risk.Compile(src, risk.CheckoutSchema())
		if err != nil {
			return "", "", err
		}
		p.checkout = e
		return e.PolicyID(), e.PolicyVersion(), nil
	case "onboarding":
		pol, err := onboarding.Compile(src)
		if err != nil {
			return "", "", err
		}
		as, err := onboarding.NewAssessor(pol, onboarding.Options{})
		if err != nil {
			return "", "", err
		}
		p.onboarding, p.onboardingPolicy = as, pol
		return pol.Engine().PolicyID(), pol.Engine().PolicyVersion(), nil
	}
	return "", "", fmt.Errorf("unknown policy kind %q", f.kind)
}

// kinds lists the kinds of the policies loaded, for /healthz.
func (p *policies) kinds() []string {
	var k []string
	for _, l := range p.loaded {
		k = append(k, l.Kind)
	}
	slices.Sort(k)
	return k
}
