package risk

import (
	"fmt"
	"math"
	"testing"
	"time"
	"unicode/utf8"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/ext"
)

// prim is an input of plain values, so that the same expressions can run on
// the engine and on cel-go's own interpreter and be compared.
type prim struct {
	A, B int64
	X, Y float64
	S, T string
	P    bool
	At   time.Time
	D    time.Duration
	L    []string
}

func primSchema() *Object[prim] {
	return NewObject[prim]("test.Prim").
		Int("a", func(p *prim) int64 { return p.A }).
		Int("b", func(p *prim) int64 { return p.B }).
		Double("x", func(p *prim) float64 { return p.X }).
		Double("y", func(p *prim) float64 { return p.Y }).
		String("s", func(p *prim) string { return p.S }).
		String("t", func(p *prim) string { return p.T }).
		Bool("p", func(p *prim) bool { return p.P }).
		Time("at", func(p *prim) time.Time { return p.At }).
		Duration("d", func(p *prim) time.Duration { return p.D }).
		Strings("l", 16, func(p *prim) []string { return p.L })
}

// conformanceExprs exercise every operator and function the engine plans.
var conformanceExprs = []string{
	`a + b > 10`, `a - b < 0`, `a * b == 12`, `a / b >= 2`, `a % b == 1`, `-a < b`,
	`x + y > 1.5`, `x - y <= 0.0`, `x * y != 2.0`, `x / y > 1.0`, `-x < y`,
	`s + t == "ab"`, `s < t`, `s <= t`, `s > t`, `s >= t`, `s == t`, `s != t`,
	`size(s) > 2`, `s.size() == size(t)`, `s.contains(t)`, `s.startsWith(t)`, `s.endsWith(t)`,
	`s.matches("^[a-z]+$")`, `s.lowerAscii() == t.lowerAscii()`, `s.upperAscii() != t`, `s.trim() == t`,
	`p && a > b`, `p || a > b`, `!p`, `p ? a > 0 : b > 0`, `(a > 0 && b > 0) || (x > y && s != t)`,
	`int(x) == a`, `double(a) < y`, `string(a) == s`, `int(s) > 0`, `double(s) > 1.0`, `string(x) == t`, `uint(a) > 3u`,
	`a > 0 && int(s) > b`, `a > 0 || int(s) > b`,
	`at + d > timestamp("2026-01-01T00:00:00Z")`, `at - d < timestamp("2026-01-01T00:00:00Z")`,
	`at.getFullYear() == 2026`, `at.getMonth() == 2`, `at.getDayOfMonth() > 10`, `at.getDate() > 10`, `at.getDayOfWeek() == 1`,
	`at.getHours() < 12`, `at.getHours("America/New_York") < 12`, `at.getDayOfYear() > 40`, `at.getMinutes() == 0`,
	`d > duration("1h")`, `d.getHours() > 2`, `d.getMinutes() > 100`, `d + duration("30m") < duration("2h")`,
	`timestamp("2026-03-01T00:00:00Z") - at > duration("24h")`, `int(at) > 1700000000`, `string(d) == "3600s"`,
	`s in l`, `s in ["a", "b", t]`, `a in [1, 2, 3]`, `size(l) > 1`, `l.exists(e, e == t)`, `l.all(e, size(e) > 0)`,
	`l.exists_one(e, e.startsWith("a"))`, `l.filter(e, e > s).size() > 0`, `l.map(e, e + s).exists(e, e == t)`,
	`[a, b].exists(n, n > 3)`, `l + [s] == [t]`, `has(test.Prim{}.a)`,
	`a < x`, `x >= a`, `b > y`, `dyn(a) == dyn(x)`, `dyn(b) != dyn(y)`, `1u < a`,
	`a > b ? s.startsWith(t) : s.endsWith(t)`,
	`math.abs(a) > b`, `math.abs(x) >= y`, `math.greatest(a, b) == a`, `math.least(x, y) < 1.0`,
	`sets.contains(l, [s])`, `sets.contains([s, t], l)`, `sets.intersects(l, [t, "b"])`, `sets.intersects([a], [b, 3])`,
}

// TestConformance compares the engine with cel-go's interpreter on the same
// expressions and inputs: a rule must fire exactly when cel-go says true, and
// error exactly when cel-go errors.
func TestConformance(t *testing.T) {
	inputs := []prim{
		{A: 7, B: 3, X: 1.5, Y: 0.5, S: "abc", T: "ab", P: true, D: time.Hour, L: []string{"ab", "abc", "b"}},
		{A: -3, B: 0, X: 0, Y: -2.25, S: "42", T: "", L: nil, D: 3 * time.Hour},
		{A: math.MaxInt64, B: -1, X: math.Inf(1), Y: math.NaN(), S: "ÄbC ", T: "äbc", P: true, L: []string{"a", "a"}},
		{A: math.MinInt64, B: -1, X: -1e300, Y: 1e-300, S: "x", T: "x", D: -time.Minute},
		{A: 12, B: 1, X: 12, Y: 12, S: "12", T: "12.0", L: []string{"12", "ab"}, D: 90 * time.Minute},
	}
	for i := range inputs {
		inputs[i].At = time.Date(2026, 3, 2+i, 9+i, 0, 0, 0, time.UTC)
	}
	for _, expr := range conformanceExprs {
		for i, in := range inputs {
			compareWithCEL(t, expr, in, fmt.Sprintf("input %d", i))
		}
	}
}

// FuzzConformance explores inputs for every expression.
func FuzzConformance(f *testing.F) {
	f.Add(uint8(0), int64(7), int64(3), 1.5, 0.5, "abc", "ab", true, int64(3600))
	f.Add(uint8(5), int64(math.MinInt64), int64(-1), math.Inf(-1), 0.0, "", "ü", false, int64(-1))
	f.Add(uint8(40), int64(1), int64(0), 1.0, 1.0, "12", "1", false, int64(0))
	f.Fuzz(func(t *testing.T, which uint8, a, b int64, x, y float64, s, u string, p bool, d int64) {
		if !utf8.ValidString(s) || !utf8.ValidString(u) {
			// CEL strings are Unicode; cel-go repairs invalid UTF-8 in some
			// functions and not others, while the engine compares bytes.
			t.Skip("invalid UTF-8")
		}
		expr := conformanceExprs[int(which)%len(conformanceExprs)]
		in := prim{A: a, B: b, X: x, Y: y, S: s, T: u, P: p, D: time.Duration(d),
			At: time.Unix(1767225600+a%100000000, 0).UTC(), L: []string{s, u}}
		compareWithCEL(t, expr, in, "fuzz")
	})
}

func compareWithCEL(t *testing.T, expr string, in prim, label string) {
	t.Helper()
	src := fmt.Sprintf("id: conformance\noutcomes: [hit, none]\nrules:\n  - id: r\n    when: %q\n    action: hit\n    reason: R\n", expr)
	e, err := Compile([]byte(src), primSchema())
	if expr == `has(test.Prim{}.a)` {
		if err == nil {
			t.Errorf("%s: object construction compiled; want a clear error", expr)
		}
		return
	}
	if err != nil {
		t.Fatalf("%s: %v", expr, err)
	}
	compareDecision(t, expr, in, label, e.Evaluate(&in))
}

func compareDecision(t *testing.T, expr string, in prim, label string, d Decision) {
	t.Helper()

	env, err := cel.NewEnv(ext.Strings(), ext.Math(), ext.Sets(), cel.CrossTypeNumericComparisons(true),
		cel.Variable("a", cel.IntType), cel.Variable("b", cel.IntType),
		cel.Variable("x", cel.DoubleType), cel.Variable("y", cel.DoubleType),
		cel.Variable("s", cel.StringType), cel.Variable("t", cel.StringType),
		cel.Variable("p", cel.BoolType), cel.Variable("at", cel.TimestampType),
		cel.Variable("d", cel.DurationType), cel.Variable("l", cel.ListType(cel.StringType)))
	if err != nil {
		t.Fatal(err)
	}
	ast, iss := env.Compile(expr)
	if iss.Err() != nil {
		t.Fatalf("%s: cel-go: %v", expr, iss.Err())
	}
	prg, err := env.Program(ast)
	if err != nil {
		t.Fatal(err)
	}
	l := in.L
	if l == nil {
		l = []string{}
	}
	out, _, err := prg.Eval(map[string]any{"a": in.A, "b": in.B, "x": in.X, "y": in.Y, "s": in.S, "t": in.T,
		"p": in.P, "at": in.At, "d": in.D, "l": l})
	var want string
	switch {
	case err != nil || types.IsError(out):
		want = "error"
	case out == types.True:
		want = "fired"
	default:
		want = "quiet"
	}
	got := "quiet"
	switch {
	case len(d.Errors) > 0:
		got = "error"
	case d.Fired("r"):
		got = "fired"
	case len(d.Missing) > 0:
		got = "missing"
	}
	if got != want {
		t.Errorf("%s on %s %+v: engine %s (%+v), cel-go %s (%v, %v)", expr, label, in, got, d.Errors, want, out, err)
	}
}
