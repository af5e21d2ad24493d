package risk

import (
	"bufio"
	"bytes"
	"errors"
	"flag"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
	"cel.dev/cel-go/ext"
	exprpb "cel.dev/expr"
	_ "cel.dev/expr/conformance/proto2" // resolves the suite's Any values when parsing
	_ "cel.dev/expr/conformance/proto3"
	testpb "cel.dev/expr/conformance/test"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"google.golang.org/protobuf/encoding/prototext"
	"google.golang.org/protobuf/testing/protocmp"
)

// The CEL conformance suite (testdata/conformance, vendored from the
// cel.dev/expr module) is run twice: first on cel-go itself, in the
// environment a policy gets (the standard library and the extension
// libraries the engine offers), which establishes the reference set and
// proves the harness; then on the engine, through CompileExpression, with
// the test's variables as dynamic fields of the input and its container. A
// test is in the reference set when it needs no protobuf messages, is
// type-checked by the suite (policies always are), cel-go's checker accepts
// it in that environment, and cel-go's interpreter gives the suite's answer.
// Where the suite expects an error, the engine may report a missing input
// instead: an unbound variable is a missing input to the engine.
//
// Failures are pinned, so that the suite is green and cannot regress:
// testdata/conformance/celgo_differs.txt lists the tests cel-go itself does
// not pass in that environment, and testdata/conformance/engine_failures.txt
// the reference tests the engine does not pass. A test that fails and is not
// listed fails the suite; so does a listed test that now passes, so that the
// lists only shrink. Run with -v to see the counts per file.

const conformanceDir = "testdata/conformance"

var updateEnginePin = flag.Bool("conformance.update", false, "rewrite testdata/conformance/engine_failures.txt with the engine's current failures")

// confCase is one test of the suite.
type confCase struct {
	file, name string // name is file/section/test
	test       *testpb.SimpleTest
	// celType is the type cel-go's checker gives the expression.
	celType *cel.Type
}

// confOutcome is what a runner made of a case: a compile error, or the
// result of evaluation (a value or an error).
type confOutcome struct {
	compileErr error
	val        ref.Val
	evalErr    error
	// missing reports that evalErr is the engine's "missing input".
	missing bool
	// outType is the checked type of the expression, when the runner knows it.
	outType *cel.Type
}

func loadConformance(t testing.TB) []*confCase {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(conformanceDir, "*.textproto"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no conformance files in %s: %v", conformanceDir, err)
	}
	var cases []*confCase
	for _, path := range paths {
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var f testpb.SimpleTestFile
		if err := prototext.Unmarshal(src, &f); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		file := strings.TrimSuffix(filepath.Base(path), ".textproto")
		seen := map[string]int{}
		for _, s := range f.GetSection() {
			for _, tc := range s.GetTest() {
				name := file + "/" + s.GetName() + "/" + tc.GetName()
				if seen[name]++; seen[name] > 1 {
					name += fmt.Sprintf("#%d", seen[name])
				}
				if tc.GetResultMatcher() == nil {
					// The suite's default expectation.
					tc.ResultMatcher = &testpb.SimpleTest_Value{Value: &exprpb.Value{Kind: &exprpb.Value_BoolValue{BoolValue: true}}}
				}
				cases = append(cases, &confCase{file: file, name: name, test: tc})
			}
		}
		if len(f.GetSection()) == 0 {
			// Files whose tests all need something else still count.
			cases = append(cases, &confCase{file: file})
		}
	}
	return cases
}

// Why a case is left out of the reference set before cel-go runs it.
const (
	skipProtos    = "needs protobuf messages"
	skipUnchecked = "suite disables type checking"
	skipUnknowns  = "expects unknowns"
)

var (
	protoNameRE = regexp.MustCompile(`\b(TestAllTypes|NestedTestAllTypes|TestRequired|GlobalEnum|NestedEnum|NestedMessage|Proto2ExtensionScopedMessage)\b|cel\.expr\.conformance|google\.protobuf\.[A-Za-z0-9_]+`)
	// timeTypeNames are CEL's own names for its timestamp and duration types.
	timeTypeNames = []string{"google.protobuf.Timestamp", "google.protobuf.Duration"}
)

// mentionsProtos reports whether s names a protobuf message other than
// timestamp and duration.
func mentionsProtos(s string) bool {
	for _, m := range protoNameRE.FindAllString(s, -1) {
		if !slices.Contains(timeTypeNames, m) {
			return true
		}
	}
	return false
}

// skipReason says why a case cannot be in the reference set, or "".
func skipReason(c *confCase) string {
	tc := c.test
	if tc == nil {
		return skipProtos
	}
	if mentionsProtos(tc.GetExpr()) {
		return skipProtos
	}
	for _, d := range tc.GetTypeEnv() {
		txt := prototext.Format(d)
		if strings.Contains(txt, "wrapper") || strings.Contains(txt, "ANY") || mentionsProtos(txt) ||
			(strings.Contains(txt, "message_type") && !strings.Contains(txt, "google.protobuf.")) {
			return skipProtos
		}
	}
	for _, b := range tc.GetBindings() {
		if mentionsProtos(prototext.Format(b)) {
			return skipProtos
		}
	}
	switch m := tc.GetResultMatcher().(type) {
	case *testpb.SimpleTest_Value:
		if mentionsProtos(prototext.Format(m.Value)) {
			return skipProtos
		}
	case *testpb.SimpleTest_TypedResult:
		if mentionsProtos(prototext.Format(m.TypedResult)) {
			return skipProtos
		}
	case *testpb.SimpleTest_Unknown, *testpb.SimpleTest_AnyUnknowns:
		return skipUnknowns
	}
	if tc.GetDisableCheck() {
		// Policies are always type-checked.
		return skipUnchecked
	}
	return ""
}

// celEnvOptions is the environment a policy author gets: cel-go's standard
// library and the extension libraries the engine offers.
func celEnvOptions() []cel.EnvOption {
	return []cel.EnvOption{
		cel.CrossTypeNumericComparisons(true),
		cel.OptionalTypes(),
		ext.Strings(),
		ext.Math(),
		ext.Sets(),
		ext.Lists(),
		ext.Regex(),
		ext.Encoders(),
		ext.Bindings(),
		ext.TwoVarComprehensions(),
		ext.Network(),
	}
}

// confEnvs caches the two base environments (with and without macros).
type confEnvs struct{ macros, noMacros *cel.Env }

func newConfEnvs(t testing.TB) *confEnvs {
	t.Helper()
	macros, err := cel.NewEnv(celEnvOptions()...)
	if err != nil {
		t.Fatal(err)
	}
	noMacros, err := macros.Extend(cel.ClearMacros())
	if err != nil {
		t.Fatal(err)
	}
	return &confEnvs{macros: macros, noMacros: noMacros}
}

// run runs a case on cel-go's checker and interpreter.
func (e *confEnvs) run(c *confCase) confOutcome {
	tc := c.test
	env := e.macros
	if tc.GetDisableMacros() {
		env = e.noMacros
	}
	var opts []cel.EnvOption
	if tc.GetContainer() != "" {
		opts = append(opts, cel.Container(tc.GetContainer()))
	}
	for _, d := range tc.GetTypeEnv() {
		opt, err := cel.ProtoAsDeclaration(d)
		if err != nil {
			return confOutcome{compileErr: err}
		}
		opts = append(opts, opt)
	}
	if len(opts) > 0 {
		var err error
		if env, err = env.Extend(opts...); err != nil {
			return confOutcome{compileErr: err}
		}
	}
	ast, iss := env.Compile(tc.GetExpr())
	if iss.Err() != nil {
		return confOutcome{compileErr: iss.Err()}
	}
	out := confOutcome{outType: ast.OutputType()}
	if tc.GetCheckOnly() {
		return out
	}
	prg, err := env.Program(ast)
	if err != nil {
		return confOutcome{compileErr: err}
	}
	act, err := conformanceBindings(tc, env.CELTypeAdapter())
	if err != nil {
		return confOutcome{compileErr: err}
	}
	out.val, _, out.evalErr = prg.Eval(act)
	return out
}

// conformanceBindings converts a case's bindings to cel-go values.
func conformanceBindings(tc *testpb.SimpleTest, adapter types.Adapter) (map[string]any, error) {
	act := make(map[string]any, len(tc.GetBindings()))
	for name, ev := range tc.GetBindings() {
		v, ok := ev.GetKind().(*exprpb.ExprValue_Value)
		if !ok {
			return nil, fmt.Errorf("binding %s is not a value", name)
		}
		rv, err := cel.ProtoAsValue(adapter, v.Value)
		if err != nil {
			return nil, fmt.Errorf("binding %s: %v", name, err)
		}
		act[name] = rv
	}
	return act, nil
}

// judge compares an outcome with the case's expectation and describes the
// difference, or returns "" when the outcome passes. A missing input passes
// where the suite expects an error: the engine reports an unbound variable
// as missing rather than as an error.
func judge(c *confCase, o confOutcome) string {
	tc := c.test
	if o.compileErr != nil {
		return "does not compile: " + firstLine(compileMessage(o.compileErr))
	}
	if tc.GetCheckOnly() {
		m, ok := tc.GetResultMatcher().(*testpb.SimpleTest_TypedResult)
		if !ok {
			return fmt.Sprintf("check-only test with matcher %T", tc.GetResultMatcher())
		}
		return diffType(m.TypedResult.GetDeducedType(), o.outType)
	}
	if o.evalErr == nil && types.IsError(o.val) {
		o.evalErr = o.val.(*types.Err)
	}
	switch m := tc.GetResultMatcher().(type) {
	case *testpb.SimpleTest_Value:
		return diffResult(m.Value, o)
	case *testpb.SimpleTest_TypedResult:
		if d := diffResult(m.TypedResult.GetResult(), o); d != "" {
			return d
		}
		return diffType(m.TypedResult.GetDeducedType(), o.outType)
	case *testpb.SimpleTest_EvalError, *testpb.SimpleTest_AnyEvalErrors:
		if o.evalErr == nil {
			return fmt.Sprintf("got %s, want an error", describe(o.val))
		}
		return ""
	}
	return fmt.Sprintf("unexpected matcher %T", tc.GetResultMatcher())
}

// compileMessage is the first problem of a compile error.
func compileMessage(err error) string {
	if ce, ok := errors.AsType[*DocumentError](err); ok && len(ce.Issues) > 0 {
		return ce.Issues[0].Msg
	}
	return err.Error()
}

func diffResult(want *exprpb.Value, o confOutcome) string {
	if o.evalErr != nil {
		if o.missing {
			return "missing input: " + firstLine(o.evalErr.Error())
		}
		return "error: " + firstLine(o.evalErr.Error())
	}
	if types.IsUnknown(o.val) {
		return "unknown result"
	}
	got, err := cel.ValueAsProto(o.val)
	if err != nil {
		return fmt.Sprintf("result %s has no conformance form: %v", describe(o.val), err)
	}
	if !cmp.Equal(want, got, protocmp.Transform(), cmpopts.EquateNaNs(),
		protocmp.SortRepeated(func(a, b *exprpb.MapValue_Entry) bool {
			return prototext.Format(a.GetKey()) < prototext.Format(b.GetKey())
		})) {
		return fmt.Sprintf("got {%s}, want {%s}", compactText(got), compactText(want))
	}
	return ""
}

// compactText is a value's text form on one line.
func compactText(v *exprpb.Value) string {
	return strings.Join(strings.Fields(prototext.Format(v)), " ")
}

func diffType(want *exprpb.Type, got *cel.Type) string {
	if want == nil {
		return ""
	}
	if got == nil {
		return "the runner does not report the checked type"
	}
	g, err := types.TypeToProto(got)
	if err != nil {
		return fmt.Sprintf("type %v: %v", got, err)
	}
	if !cmp.Equal(want, g, protocmp.Transform()) {
		return fmt.Sprintf("type %v, want {%s}", got, strings.Join(strings.Fields(prototext.Format(want)), " "))
	}
	return ""
}

func describe(v ref.Val) string {
	if v == nil {
		return "no value"
	}
	return fmt.Sprintf("%v (%v)", v, v.Type())
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return s
}

// confPin is a list of tests expected to fail, one `name: reason` a line.
type confPin map[string]string

func readPin(t testing.TB, path string) confPin {
	t.Helper()
	src, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return confPin{}
	}
	if err != nil {
		t.Fatal(err)
	}
	pin := confPin{}
	sc := bufio.NewScanner(bytes.NewReader(src))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		name, reason, ok := strings.Cut(line, ": ")
		if !ok || strings.TrimSpace(reason) == "" {
			t.Fatalf("%s:%d: want `file/section/test: reason`, got %q", path, n, line)
		}
		if _, dup := pin[name]; dup {
			t.Fatalf("%s:%d: %s is listed twice", path, n, name)
		}
		pin[name] = reason
	}
	return pin
}

const enginePinHeader = `# Conformance tests in the reference set that the engine does not pass, one
# ` + "`file/section/test: reason`" + ` a line. The suite fails when a test not listed
# here fails or a listed one passes, so the list only shrinks. Regenerate with
#   go test ./risk -run TestConformanceSuite -conformance.update
# and review the diff: lines may only go away.
`

func writePin(t testing.TB, path string, failures map[string]string) {
	t.Helper()
	var b strings.Builder
	b.WriteString(enginePinHeader)
	for _, name := range slices.Sorted(maps.Keys(failures)) {
		why := strings.Join(strings.Fields(failures[name]), " ")
		fmt.Fprintf(&b, "%s: %s\n", name, why)
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

// confTally counts one run's results for one file.
type confTally struct {
	tests, protos, unchecked, unknowns, rejected, celgoFailed, reference, passed int
}

// checkAgainstPin reports failures not on the pin and pinned tests that
// pass. It is given every failure of a run and every case the run judged.
func checkAgainstPin(t *testing.T, what, pinPath string, pin confPin, judged []string, failures map[string]string) {
	t.Helper()
	var unexpected, fixed []string
	for _, name := range judged {
		why, failed := failures[name]
		_, pinned := pin[name]
		switch {
		case failed && !pinned:
			unexpected = append(unexpected, fmt.Sprintf("%s: %s", name, why))
		case !failed && pinned:
			fixed = append(fixed, name)
		}
	}
	for name := range pin {
		if !slices.Contains(judged, name) {
			fixed = append(fixed, name+" (no longer run)")
		}
	}
	sort.Strings(unexpected)
	sort.Strings(fixed)
	for _, u := range unexpected {
		t.Errorf("%s: new failure %s", what, u)
	}
	if len(fixed) > 0 {
		t.Errorf("%s: %d pinned tests now pass; remove them from %s:\n%s", what, len(fixed), pinPath, strings.Join(fixed, "\n"))
	}
}

// TestConformanceSuite runs the conformance suite on cel-go and on the
// engine and prints the counts per file with -v.
func TestConformanceSuite(t *testing.T) {
	cases := loadConformance(t)
	envs := newConfEnvs(t)
	tallies := map[string]*confTally{}
	var files []string
	var reference []*confCase
	celJudged := []string{}
	celFailures := map[string]string{}
	for _, c := range cases {
		tl := tallies[c.file]
		if tl == nil {
			tl = &confTally{}
			tallies[c.file] = tl
			files = append(files, c.file)
		}
		if c.test == nil {
			continue
		}
		tl.tests++
		switch skipReason(c) {
		case skipProtos:
			tl.protos++
			continue
		case skipUnchecked:
			tl.unchecked++
			continue
		case skipUnknowns:
			tl.unknowns++
			continue
		}
		o := envs.run(c)
		if o.compileErr != nil {
			tl.rejected++
			continue
		}
		c.celType = o.outType
		celJudged = append(celJudged, c.name)
		if why := judge(c, o); why != "" {
			tl.celgoFailed++
			celFailures[c.name] = why
			continue
		}
		tl.reference++
		reference = append(reference, c)
	}
	celPinPath := filepath.Join(conformanceDir, "celgo_differs.txt")
	checkAgainstPin(t, "cel-go", celPinPath, readPin(t, celPinPath), celJudged, celFailures)

	engineJudged := []string{}
	engineFailures := map[string]string{}
	for _, c := range reference {
		o := engineConformanceRunner(c)
		engineJudged = append(engineJudged, c.name)
		if why := judge(c, o); why != "" {
			engineFailures[c.name] = why
			continue
		}
		tallies[c.file].passed++
	}
	enginePinPath := filepath.Join(conformanceDir, "engine_failures.txt")
	if *updateEnginePin {
		writePin(t, enginePinPath, engineFailures)
	}
	checkAgainstPin(t, "engine", enginePinPath, readPin(t, enginePinPath), engineJudged, engineFailures)

	var total confTally
	t.Logf("%-16s %5s %6s %9s %8s %8s %8s %9s %6s", "file", "tests", "protos", "unchecked", "unknowns", "rejected", "celgo≠", "reference", "engine")
	for _, f := range files {
		tl := tallies[f]
		t.Logf("%-16s %5d %6d %9d %8d %8d %8d %9d %6d", f, tl.tests, tl.protos, tl.unchecked, tl.unknowns, tl.rejected, tl.celgoFailed, tl.reference, tl.passed)
		total.tests += tl.tests
		total.protos += tl.protos
		total.unchecked += tl.unchecked
		total.unknowns += tl.unknowns
		total.rejected += tl.rejected
		total.celgoFailed += tl.celgoFailed
		total.reference += tl.reference
		total.passed += tl.passed
	}
	t.Logf("%-16s %5d %6d %9d %8d %8d %8d %9d %6d", "total", total.tests, total.protos, total.unchecked, total.unknowns, total.rejected, total.celgoFailed, total.reference, total.passed)
	t.Logf("%d files; reference set %d tests; engine passes %d, fails %d", len(files), total.reference, total.passed, len(engineFailures))
}

// confBindings are a case's variables, read by the engine through dynamic
// fields.
type confBindings map[string]ref.Val

// engineConformanceRunner runs a case on the engine as a lone expression
// over an input whose fields are the case's declared variables, with the
// functions it declares given to the checker.
func engineConformanceRunner(c *confCase) confOutcome {
	tc := c.test
	schema := NewObject[confBindings]("conformance.Bindings")
	var opts []Option
	for _, d := range tc.GetTypeEnv() {
		ident := d.GetIdent()
		if ident == nil {
			// A function declared for the checker alone (every such test
			// is check-only); a policy cannot declare one.
			fn, err := cel.ProtoAsDeclaration(d)
			if err != nil {
				return confOutcome{compileErr: err}
			}
			opts = append(opts, withDeclarations(fn))
			continue
		}
		t, err := types.ProtoAsType(ident.GetType())
		if err != nil {
			return confOutcome{compileErr: err}
		}
		name := d.GetName()
		schema.dynField(name, t, func(b *confBindings) ref.Val {
			if v, ok := (*b)[name]; ok {
				return v
			}
			return types.NewUnknown(0, nil) // declared but not bound: missing
		})
	}
	if tc.GetContainer() != "" {
		opts = append(opts, withContainer(tc.GetContainer()))
	}
	x, err := CompileExpression(tc.GetExpr(), schema, opts...)
	if err != nil {
		return confOutcome{compileErr: err}
	}
	out := confOutcome{outType: x.Type()}
	if tc.GetCheckOnly() {
		return out
	}
	act, err := conformanceBindings(tc, types.DefaultTypeAdapter)
	if err != nil {
		return confOutcome{compileErr: err}
	}
	in := confBindings{}
	for name, v := range act {
		in[name] = v.(ref.Val)
	}
	out.val, out.evalErr = x.Eval(&in)
	out.missing = errors.Is(out.evalErr, ErrMissingInput)
	return out
}
