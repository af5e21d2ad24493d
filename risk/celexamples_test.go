package risk

import (
	"bufio"
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/types"
)

// TestCELExamples compiles every example expression of cel-go's README and
// the CEL language definition that needs no variables, or has a checkout
// counterpart (testdata/celexamples.txt says where each comes from), and
// requires the engine to accept it and to answer as cel-go does. An example
// that needs no variables is compiled with CompileExpression, in a rule's
// environment, and its value compared with cel-go's; a checkout counterpart
// is compiled as the one rule of a policy (as a bool: an example of another
// type as `size(e) >= 0` or `(e) == (e)`) and compared as FuzzDifferential
// compares. Examples the language definition calls invalid must be refused
// by both. Failures are pinned in testdata/celexamples_failures.txt, which
// may only shrink.
func TestCELExamples(t *testing.T) {
	examples := loadCELExamples(t)
	pins := loadCELExamplePins(t)
	h := newDifferential(t)
	plain, err := cel.NewEnv(celEnvOptions()...)
	if err != nil {
		t.Fatal(err)
	}
	typical := differentialInputs()["typical"]
	failures := map[string]string{}
	passed := 0
	for _, ex := range examples {
		key := ex.source + " | " + ex.expr
		env := plain
		if ex.kind == "adapted" {
			env = h.env
		}
		ast, iss := env.Compile(ex.expr)
		if ex.kind == "invalid" && iss.Err() == nil {
			// The source calls it invalid but cel-go, the reference, accepts it.
			t.Logf("%s: cel-go accepts %s, which the source calls invalid", ex.source, ex.expr)
			ex.kind = "none"
		}
		if ex.kind == "invalid" {
			if got, _ := h.engine(ex.expr, &typical); got != "rejected" {
				failures[key] = "the engine accepts it (" + got + ")"
				continue
			}
			passed++
			continue
		}
		if iss.Err() != nil {
			t.Errorf("%s: cel-go refuses %s: %v", ex.source, ex.expr, iss.Err())
			continue
		}
		var why string
		if ex.kind == "adapted" {
			why, _ = h.differ(exampleRule(ex.expr, ast.OutputType()), &typical)
		} else {
			why = differNoVariables(t, plain, ex.expr)
		}
		if why != "" {
			failures[key] = why
			continue
		}
		passed++
	}
	if *updateExamplePins {
		var b strings.Builder
		b.WriteString(celExamplePinHeader)
		for _, ex := range examples {
			if why, ok := failures[ex.source+" | "+ex.expr]; ok {
				fmt.Fprintf(&b, "%s | %s | %s\n", ex.source, ex.expr, strings.Join(strings.Fields(why), " "))
			}
		}
		if err := os.WriteFile(celExamplePinPath, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		pins = loadCELExamplePins(t)
	}
	seen := map[string]bool{}
	for _, ex := range examples {
		key := ex.source + " | " + ex.expr
		seen[key] = true
		why, failed := failures[key]
		_, pinned := pins[key]
		switch {
		case failed && !pinned:
			t.Errorf("new failure %s | %s", key, why)
		case !failed && pinned:
			t.Errorf("%s now passes; remove it from %s", key, celExamplePinPath)
		}
	}
	for key := range pins {
		if !seen[key] {
			t.Errorf("%s: pin %q names no example", celExamplePinPath, key)
		}
	}
	t.Logf("%d examples: engine accepts and agrees on %d, fails %d", len(examples), passed, len(failures))
}

// exampleRule makes a bool rule of an example: a bool as it is, a value of
// a sized type as `size(e) >= 0` (whose cost is bounded where that of
// comparing two strings of unknown length is not), anything else as
// `(e) == (e)`.
func exampleRule(expr string, t *cel.Type) string {
	switch t.Kind() {
	case types.BoolKind:
		return expr
	case types.StringKind, types.BytesKind, types.ListKind, types.MapKind:
		return "size(" + expr + ") >= 0"
	}
	return "(" + expr + ") == (" + expr + ")"
}

// differNoVariables compiles an expression that reads no variables as the
// engine compiles a rule's, evaluates it, and compares its value with
// cel-go's in the environment a policy gets.
func differNoVariables(t *testing.T, env *cel.Env, expr string) string {
	t.Helper()
	ast, iss := env.Compile(expr)
	if iss.Err() != nil {
		t.Fatalf("%s: %v", expr, iss.Err())
	}
	prg, err := env.Program(ast)
	if err != nil {
		t.Fatalf("%s: %v", expr, err)
	}
	want, _, wantErr := prg.Eval(cel.NoVars())
	x, err := CompileExpression(expr, CheckoutSchema())
	if err != nil {
		return "engine refuses: " + firstLine(compileMessage(err))
	}
	got, gotErr := x.Eval(&Checkout{})
	switch {
	case wantErr != nil || types.IsError(want):
		if gotErr == nil {
			return fmt.Sprintf("cel-go errors, engine %v", got)
		}
		return ""
	case gotErr != nil:
		return fmt.Sprintf("cel-go %v, engine error %v", want, gotErr)
	}
	wantPB, err := cel.ValueAsProto(want)
	if err != nil {
		t.Fatalf("%s: %v", expr, err)
	}
	return diffResult(wantPB, confOutcome{val: got})
}

var updateExamplePins = flag.Bool("examples.update", false, "rewrite testdata/celexamples_failures.txt with the engine's current failures")

const celExamplePinHeader = `# Examples of testdata/celexamples.txt that the engine refuses or answers
# differently from cel-go, one ` + "`source | expression | reason`" + ` a line. The test
# fails when an example not listed fails or a listed one passes, so the list
# only shrinks. Regenerate with
#   go test ./risk -run TestCELExamples -examples.update
# and review the diff: lines may only go away.
`

type celExample struct{ source, kind, expr string }

const (
	celExamplePath    = "testdata/celexamples.txt"
	celExamplePinPath = "testdata/celexamples_failures.txt"
)

func loadCELExamples(t *testing.T) []celExample {
	t.Helper()
	var out []celExample
	for _, l := range readBarLines(t, celExamplePath) {
		n, f := l.n, l.fields
		if len(f) != 3 {
			t.Fatalf("%s:%d: want `source | kind | expression`", celExamplePath, n)
		}
		switch f[1] {
		case "none", "adapted", "invalid":
		default:
			t.Fatalf("%s:%d: kind %q is not none, adapted or invalid", celExamplePath, n, f[1])
		}
		out = append(out, celExample{source: f[0], kind: f[1], expr: f[2]})
	}
	return out
}

func loadCELExamplePins(t *testing.T) map[string]string {
	t.Helper()
	pins := map[string]string{}
	for _, l := range readBarLines(t, celExamplePinPath) {
		if f := l.fields; len(f) != 3 {
			t.Fatalf("%s:%d: want `source | expression | reason`", celExamplePinPath, l.n)
		}
		f := l.fields
		pins[f[0]+" | "+f[1]] = f[2]
	}
	return pins
}

// barLine is a line of a testdata file of ` | `-separated fields.
type barLine struct {
	n      int
	fields []string
}

// readBarLines reads the lines of a testdata file that are not blank or a
// # comment, split at ` | `. A missing file has no lines.
func readBarLines(tb testing.TB, path string) []barLine {
	tb.Helper()
	src, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		tb.Fatal(err)
	}
	var out []barLine
	sc := bufio.NewScanner(bytes.NewReader(src))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		out = append(out, barLine{n: n, fields: strings.Split(line, " | ")})
	}
	return out
}
