package main

// The README is checked against the code, so that what a newcomer reads
// cannot drift from what the repository does: its Go snippets type-check
// against the packages, its policy snippet compiles, its numbers are
// counted from the embedded files, its riskctl command lines run, and the
// Go version it names is go.mod's and CI's.

import (
	"bufio"
	"bytes"
	"fmt"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/riskkit/riskkit/examples"
	"github.com/riskkit/riskkit/risk"
	"github.com/riskkit/riskkit/risk/risktest"
	"go.yaml.in/yaml/v3"
)

// repoRoot is the module root, two levels above this package.
const repoRoot = "../.."

func readme(t *testing.T) string {
	t.Helper()
	return readFile(t, filepath.Join(repoRoot, "README.md"))
}

// fence is one fenced code block of a Markdown file.
type fence struct {
	lang string
	line int // of the first line of code, 1-based
	code string
}

func fences(md string) []fence {
	var out []fence
	var cur *fence
	var b strings.Builder
	for i, l := range strings.Split(md, "\n") {
		switch {
		case cur == nil && strings.HasPrefix(l, "```"):
			cur = &fence{lang: strings.TrimPrefix(l, "```"), line: i + 2}
			b.Reset()
		case cur != nil && l == "```":
			cur.code = b.String()
			out = append(out, *cur)
			cur = nil
		case cur != nil:
			b.WriteString(l + "\n")
		}
	}
	return out
}

// goVersionRE finds a "Go 1.N" claim in prose.
var goVersionRE = regexp.MustCompile(`\bGo (1\.\d+)\b`)

// TestGoVersionAgrees keeps go.mod, the README and CI on one oldest
// supported Go release.
func TestGoVersionAgrees(t *testing.T) {
	mod := readFile(t, filepath.Join(repoRoot, "go.mod"))
	m := regexp.MustCompile(`(?m)^go (1\.\d+)(\.\d+)?$`).FindStringSubmatch(mod)
	if m == nil {
		t.Fatal("go.mod has no go directive")
	}
	want := m[1]
	claims := goVersionRE.FindAllStringSubmatch(readme(t), -1)
	if len(claims) == 0 {
		t.Error("the README does not say which Go release it needs")
	}
	for _, c := range claims {
		if c[1] != want {
			t.Errorf("README names Go %s; go.mod says go %s", c[1], want)
		}
	}
	if !strings.Contains(readme(t), "go "+want+".0") {
		t.Errorf("README does not quote go.mod's directive `go %s.0`", want)
	}
	ci := readFile(t, filepath.Join(repoRoot, ".ci", "run"))
	cm := regexp.MustCompile(`(?m)^GO_MIN=(\S+)`).FindStringSubmatch(ci)
	if cm == nil || cm[1] != want {
		t.Errorf(".ci/run sets GO_MIN=%v; go.mod says go %s", cm, want)
	}
}

// TestTestCommandAgrees checks that CI runs what the README tells a
// newcomer to run to test everything.
func TestTestCommandAgrees(t *testing.T) {
	ci := readFile(t, filepath.Join(repoRoot, ".ci", "run"))
	var cmds []string
	for _, f := range fences(readme(t)) {
		for l := range strings.Lines(f.code) {
			cmd, _, _ := strings.Cut(l, "#")
			if cmd = strings.TrimSpace(cmd); strings.HasPrefix(cmd, "go test ") && strings.Contains(cmd, "./...") {
				cmds = append(cmds, cmd)
			}
		}
	}
	if len(cmds) != 1 {
		t.Fatalf("README shows %d test commands %q, want one", len(cmds), cmds)
	}
	// CI runs the same command with -race on every go test.
	raced := strings.ReplaceAll(cmds[0], "go test ", "go test -race ")
	if !strings.Contains(ci, "\n"+raced+"\n") {
		t.Errorf("README's test command is %q; .ci/run has no line %q", cmds[0], raced)
	}
}

// numberWords spells the small numbers the README writes out.
var numberWords = map[string]int{"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8}

func readmeNumber(t *testing.T, md, pattern string) []int {
	t.Helper()
	// Prose wraps anywhere, so a space in the pattern matches any run of
	// white space.
	ms := regexp.MustCompile(strings.ReplaceAll(pattern, " ", `\s+`)).FindAllStringSubmatch(md, -1)
	if len(ms) == 0 {
		t.Errorf("README no longer says %q", pattern)
		return nil
	}
	var out []int
	for _, m := range ms {
		for _, s := range m[1:] {
			if n, ok := numberWords[s]; ok {
				out = append(out, n)
				continue
			}
			n, err := strconv.Atoi(strings.ReplaceAll(s, ",", ""))
			if err != nil {
				t.Fatalf("%q: %v", pattern, err)
			}
			out = append(out, n)
		}
	}
	return out
}

// ruleCount counts the rules of a policy file, disabled ones included, as
// a person reading it would; onboarding policies have more keys than a
// risk.Policy, so the rules are counted from the YAML.
func ruleCount(t *testing.T, name string) int {
	t.Helper()
	src, err := examples.Policy(name)
	if err != nil {
		t.Fatal(err)
	}
	var p struct {
		Rules []yaml.Node `yaml:"rules"`
	}
	if err := yaml.Unmarshal(src, &p); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return len(p.Rules)
}

func caseCount(t *testing.T, name string) int {
	t.Helper()
	src, err := examples.Policy(name)
	if err != nil {
		t.Fatal(err)
	}
	f, err := risktest.Parse(src)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return len(f.Tests)
}

func dataLines(t *testing.T, name string) int {
	t.Helper()
	b, err := examples.Data(name)
	if err != nil {
		t.Fatal(err)
	}
	return bytes.Count(b, []byte("\n"))
}

// TestREADMENumbers counts what the README counts.
func TestREADMENumbers(t *testing.T) {
	md := readme(t)
	_, demo, _ := riskctl(t, "", "demo")
	var sections []string
	for l := range strings.Lines(demo) {
		if title, ok := strings.CutPrefix(l, "== "); ok {
			name, _, _ := strings.Cut(title, ":")
			sections = append(sections, strings.ToLower(name))
		}
	}
	checkout, onboardingRules := ruleCount(t, "checkout.yaml"), ruleCount(t, "onboarding.yaml")
	tests := []struct {
		pattern string
		want    []int
	}{
		{`complete checkout policy for a cloud reseller: (\d+) rules`, []int{checkout}},
		{`The checkout policy \((\d+) rules\)`, []int{checkout}},
		{"`checkout_tests.yaml` holds its (\\d+) test cases", []int{caseCount(t, "checkout_tests.yaml")}},
		{"onboarding.yaml`, (\\d+) rules with (\\d+) test cases", []int{onboardingRules, caseCount(t, "onboarding_tests.yaml")}},
		{`(\d[\d,]*) labelled checkouts`, []int{dataLines(t, "transactions.jsonl")}},
		{`(\d[\d,]*) example checkouts`, []int{dataLines(t, "transactions.jsonl")}},
		{`demo\s+# (\w+) short stories`, []int{len(sections)}},
	}
	for _, tc := range tests {
		got := readmeNumber(t, md, tc.pattern)
		for _, g := range got {
			if g != tc.want[0] {
				t.Errorf("README %q says %v; the files say %v", tc.pattern, got, tc.want)
				break
			}
			tc.want = append(tc.want[1:], tc.want[0])
		}
	}
	m := regexp.MustCompile(`short stories on the embedded data: ([a-z, ]+)`).FindStringSubmatch(md)
	if m == nil {
		t.Fatal("README no longer lists the demo's stories")
	}
	listed := strings.FieldsFunc(strings.ReplaceAll(m[1], " and ", ","), func(r rune) bool { return r == ',' || r == ' ' })
	if diff := cmp.Diff(sections, listed); diff != "" {
		t.Errorf("README lists the demo's stories as %v; the demo runs %v", listed, sections)
	}
}

// TestREADMEPolicySnippet compiles the README's example policy.
func TestREADMEPolicySnippet(t *testing.T) {
	n := 0
	for _, f := range fences(readme(t)) {
		if f.lang != "yaml" {
			continue
		}
		n++
		if _, err := risk.Compile([]byte(f.code), risk.CheckoutSchema()); err != nil {
			t.Errorf("README.md:%d: the policy does not compile: %v", f.line, err)
		}
	}
	if n == 0 {
		t.Error("README has no policy snippet")
	}
}

// snippetVars declares the variables a README snippet uses without
// defining, keyed by the snippet's first line: what the host has at hand.
var snippetVars = map[string]string{
	`src, err := examples.Policy("checkout.yaml") // or your own policy bytes`: `
		var customer risk.Customer
		var card risk.PaymentInstrument
		var txn risk.Transaction
		var signals risk.Signals`,
	`issued, err := risk.ParseDate("2026-03-01")  // "2026-02-29" is an error, not March 1`: `
		var now time.Time
		var customerLoc *time.Location`,
	"policy, _ := onboarding.Compile(src) // a risk policy plus a `controls:` section": `
		var src []byte
		var schedule *dunning.Schedule
		var applicant onboarding.Applicant
		var loc *time.Location
		var now, later time.Time
		var paid risk.PaymentHistory`,
	`loc, _ := time.LoadLocation(b.TimeZone) // the host loads zones`: `
		var b budget.Budget
		var records []budget.Record
		var prev budget.State
		var now time.Time
		var notify func(string, budget.Alert)
		var save func(budget.State)`,
	`rep := engine.BacktestWith(seq, risk.BacktestOptions[risk.Checkout]{`: `
		var engine, production *risk.Engine[risk.Checkout]
		var seq func(func(risk.Labeled[risk.Checkout]) bool)
		var otherShard *risk.Report`,
	`_, err := risk.Compile(src, risk.CheckoutSchema())`: `
		var src []byte`,
	`mon, _ := abuse.New(abuse.Config{})`: `
		var policyYAML, jsonl []byte
		var state abuse.State
		var now time.Time
		var customer abuse.CustomerRecord`,
	`tr, _ := abuse.NewTriage(abuse.TriageConfig{Enforcer: enf}) // deadlines, mapping and grouping are data`: `
		var enf *abuse.Enforcer
		var body []byte
		var cases abuse.CaseState
		var state abuse.State
		var ds []abuse.CaseDecision
		var now time.Time`,
}

// checkedElsewhere are the snippets of modules of their own, by first
// line, which those modules' tests check.
var checkedElsewhere = map[string]bool{
	`prom, _ := observe.NewPrometheus(prometheus.DefaultRegisterer, "riskkit")`: true, // examples/observe: TestREADMESnippet
}

// snippetImports are the packages a snippet may use; the ones it does not
// are not an error.
var snippetImports = []string{
	"errors", "fmt", "log", "time",
	"github.com/riskkit/riskkit/abuse",
	"github.com/riskkit/riskkit/budget",
	"github.com/riskkit/riskkit/dunning",
	"github.com/riskkit/riskkit/examples",
	"github.com/riskkit/riskkit/onboarding",
	"github.com/riskkit/riskkit/risk",
}

// TestREADMEGoSnippets type-checks every Go snippet of the README against
// the packages, as the body of a function with the host's variables
// declared. Unused variables and imports are allowed: snippets show a
// call, not a whole program.
func TestREADMEGoSnippets(t *testing.T) {
	exports := exportData(t, snippetImports)
	imp := importer.ForCompiler(token.NewFileSet(), "gc", func(path string) (io.ReadCloser, error) {
		f, ok := exports[path]
		if !ok {
			return nil, fmt.Errorf("no export data for %s", path)
		}
		return os.Open(f)
	})
	n := 0
	for _, f := range fences(readme(t)) {
		if f.lang != "go" {
			continue
		}
		n++
		first, _, _ := strings.Cut(f.code, "\n")
		if checkedElsewhere[first] {
			continue
		}
		vars, ok := snippetVars[first]
		if !ok {
			t.Errorf("README.md:%d: a new Go snippet; declare what it uses in snippetVars", f.line)
			continue
		}
		var src strings.Builder
		src.WriteString("package snippet\n\nimport (\n")
		for _, p := range snippetImports {
			fmt.Fprintf(&src, "\t%q\n", p)
		}
		src.WriteString(")\n\nfunc _() {" + vars + "\n")
		prelude := strings.Count(src.String(), "\n")
		src.WriteString(f.code + "}\n")
		fset := token.NewFileSet()
		file, err := parser.ParseFile(fset, "README.md", src.String(), parser.SkipObjectResolution)
		if err != nil {
			t.Errorf("README.md:%d: %v", f.line, err)
			continue
		}
		var errs []string
		conf := types.Config{Importer: imp, Error: func(err error) {
			te := err.(types.Error)
			if strings.Contains(te.Msg, "declared and not used") || strings.Contains(te.Msg, "imported and not used") {
				return
			}
			pos := fset.Position(te.Pos)
			errs = append(errs, fmt.Sprintf("README.md:%d:%d: %s", f.line+pos.Line-prelude-1, pos.Column, te.Msg))
		}}
		conf.Check("snippet", fset, []*ast.File{file}, nil)
		for _, e := range errs {
			t.Error(e)
		}
	}
	if n < len(snippetVars) {
		t.Errorf("README has %d Go snippets; snippetVars describes %d", n, len(snippetVars))
	}
}

// exportData returns the compiled export data file of each package and
// its dependencies, built (or found in the build cache) by go list.
func exportData(t *testing.T, pkgs []string) map[string]string {
	t.Helper()
	cmd := exec.Command("go", append([]string{"list", "-export", "-deps", "-f", "{{.ImportPath}}\t{{.Export}}"}, pkgs...)...)
	cmd.Dir = repoRoot
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, stderr.String())
	}
	m := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		if path, file, ok := strings.Cut(sc.Text(), "\t"); ok && file != "" {
			m[path] = file
		}
	}
	return m
}

// riskctlLineRE finds a riskctl invocation in the README, in a shell block
// or in running text.
var riskctlLineRE = regexp.MustCompile("(?m)go run \\./examples/riskctl ([^`#\\n]*)")

// TestREADMECommands runs every riskctl command line the README shows and
// requires it to succeed.
func TestREADMECommands(t *testing.T) {
	seen := map[string]bool{}
	for _, m := range riskctlLineRE.FindAllStringSubmatch(readme(t), -1) {
		args := strings.Fields(m[1])
		key := strings.Join(args, " ")
		if seen[key] || slices.Contains(args, "demo") && len(args) == 1 {
			continue // TestREADMENumbers runs the demo
		}
		if args[0] == "serve" {
			continue // it serves until interrupted; TestWorkbenchInBrowser drives it
		}
		seen[key] = true
		t.Run(key, func(t *testing.T) {
			code, _, stderr := riskctl(t, "", args...)
			if code != 0 {
				t.Errorf("riskctl %s: exit %d\n%s", key, code, stderr)
			}
		})
	}
	if len(seen) < 4 {
		t.Errorf("found only %d riskctl command lines in the README", len(seen))
	}
}
