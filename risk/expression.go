package risk

import (
	"errors"
	"fmt"
	"regexp/syntax"
	"strings"
	"time"

	"cel.dev/cel-go/cel"
	celast "cel.dev/cel-go/common/ast"
	"cel.dev/cel-go/common/cost"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
	"cel.dev/cel-go/interpreter"
)

// ErrMissingInput is wrapped by the error of [Expression.Eval] when the
// value depends on an input that was not supplied.
var ErrMissingInput = errors.New("risk: missing input")

// Expression is one compiled CEL expression of any type over inputs of type
// T. It is planned and evaluated exactly as policy rules are (a rule is an
// expression of type bool with a score, an action and a reason), and is
// immutable and safe for concurrent use.
type Expression[T any] struct {
	x      *compiled
	inputs *inputTable
	vars   *varTable
	limits Limits
}

// CompileExpression type-checks src against the input described by schema,
// in the same environment as policy rules but without lists, parameters or
// variables, and plans it. Problems are returned as a *[DocumentError] whose
// issues carry the line and column within src.
func CompileExpression[T any](src string, schema *Object[T], opts ...Option) (*Expression[T], error) {
	o := newOptions(opts)
	c := newCompiler(&Policy{ID: expressionPolicyID}, schema.desc, o)
	if c.env == nil {
		return nil, c.err()
	}
	x := c.compile(src, exprPos{line: 1, col: 1}, "", nil)
	if x == nil {
		return nil, c.err()
	}
	return &Expression[T]{x: x, inputs: c.inputs, vars: c.vars, limits: c.limits}, nil
}

// Type returns the expression's CEL type.
func (x *Expression[T]) Type() *cel.Type { return x.x.typ }

// Eval evaluates the expression on in and returns its value as cel-go
// represents it. A CEL evaluation error is returned as an error, and so is
// a value that depends on an input that was not supplied: that error wraps
// [ErrMissingInput] and names the inputs. A nil in is the zero T.
func (x *Expression[T]) Eval(in *T) (ref.Val, error) {
	if in == nil {
		in = new(T)
	}
	f := &frame{root: in, max: x.limits.MaxCost}
	f.act = activation{f: f, vars: x.vars}
	v := x.x.value(f)
	switch v := v.(type) {
	case *types.Unknown:
		return nil, fmt.Errorf("%w: %s", ErrMissingInput, strings.Join(x.inputs.missing(v, f.missing), ", "))
	case *types.Err:
		return nil, v
	}
	return v, nil
}

// expressionPolicyID names the empty policy of a lone expression.
const expressionPolicyID = "expression"

// compiled is one checked and planned expression.
type compiled struct {
	typ *cel.Type
	// node is the planned expression; when node.k is 0 the expression is
	// not of a planned type and prg runs it.
	node fnode
	prg  cel.Program
	// fallbacks counts the sub-expressions that run on cel-go (1 with
	// node.k == 0: all of it).
	fallbacks int
}

// value evaluates x as a CEL value. Planned results that failed come back
// as unknowns (with the missing inputs in f.missing) or errors.
func (x *compiled) value(f *frame) ref.Val {
	n := x.node
	if n.k == 0 {
		return f.run(x.prg)
	}
	var v ref.Val
	var s st
	switch n.k {
	case kBool:
		var b bool
		b, s = n.b(f)
		v = types.Bool(b)
	case kInt:
		var i int64
		i, s = n.i(f)
		v = types.Int(i)
	case kDuration:
		var i int64
		i, s = n.i(f)
		v = types.Duration{Duration: time.Duration(i)}
	case kTime:
		var t time.Time
		t, s = n.t(f)
		v = types.Timestamp{Time: t.UTC()}
	case kString:
		var str string
		str, s = n.s(f)
		v = types.String(str)
	case kMoney:
		var m Money
		m, s = n.m(f)
		v = moneyVal{m}
	case kObject:
		var o any
		o, s = n.o(f)
		v = objVal{path: n.path, p: o}
	}
	switch s {
	case sUnknown:
		return types.NewUnknown(-1, nil)
	case sError:
		if f.err == nil {
			return types.NewErr("evaluation failed")
		}
		if e, ok := f.err.(*types.Err); ok {
			return e
		}
		return types.WrapErr(f.err)
	}
	f.missing = 0
	return v
}

// compiler compiles the expressions of one policy against one schema.
type compiler struct {
	policy   *Policy
	env      *cel.Env
	limits   Limits
	root     *objectDesc
	inputs   *inputTable
	rootPath *objPath
	consts   map[string]ref.Val
	vars     *varTable
	varIdx   map[string]int
	varNodes []fnode
	costs    *runtimeCosts
	objects  map[string]*objectDesc
	// varSizes bound the size of each variable's value for the estimator;
	// lastCost is the estimated cost of the expression compiled last.
	varSizes map[string]uint64
	lastCost uint64
	// constVars resolves only the lists and parameters.
	constVars *varTable
	// path is the policy field being compiled, for issues outside rules.
	path string
	// issues are the problems found so far; id is the policy's.
	issues []Issue
	id     string
}

func newCompiler(p *Policy, root *objectDesc, o options) *compiler {
	c := &compiler{policy: p, limits: o.limits.withDefaults(), root: root, inputs: newInputTable(),
		consts: map[string]ref.Val{}, varIdx: map[string]int{}, varSizes: map[string]uint64{},
		costs: &runtimeCosts{patterns: map[string]int{}}, id: p.ID}
	c.rootPath = c.inputs.pathOf(root, "", 0)
	c.vars = &varTable{byName: map[string]func(*frame) ref.Val{}}
	c.constVars = &varTable{byName: map[string]func(*frame) ref.Val{}}
	for _, f := range root.fields {
		f := f
		c.vars.byName[f.name] = func(fr *frame) ref.Val { return c.rootPath.fieldVal(f, fr.root) }
	}
	decls := append(c.constants(), o.env...)
	c.env = c.environment(decls, o.container)
	return c
}

// err returns the problems found as the policy's *DocumentError.
func (c *compiler) err() error { return policyError(c.id, c.issues) }

func (c *compiler) add(ruleID string, line, col int, format string, args ...any) {
	c.issues = append(c.issues, Issue{RuleID: ruleID, Path: c.path, Line: line, Column: col, Msg: fmt.Sprintf(format, args...)})
}

// compile checks and plans one expression. want, when not nil, is the type
// the expression must have. It returns nil after recording the problems.
func (c *compiler) compile(src string, pos exprPos, id string, want *cel.Type) *compiled {
	ch := c.check(src, pos, id, want)
	if ch == nil {
		return nil
	}
	return c.plan(ch, nil)
}

// checkedExpr is an expression that passed the checks, ready to plan.
type checkedExpr struct {
	id        string
	line, col int
	checked   *cel.Ast
	native    *celast.AST
}

// check type-checks, validates and estimates one expression.
func (c *compiler) check(src string, pos exprPos, id string, want *cel.Type) *checkedExpr {
	checked, iss := c.env.Compile(src)
	if iss.Err() != nil {
		for _, e := range iss.Errors() {
			line, col := pos.at(e.Location.Line(), e.Location.Column())
			c.add(id, line, col, "%s", explain(e.Message))
		}
		return nil
	}
	line, col := pos.at(1, 0)
	if want != nil && !checked.OutputType().IsExactType(want) {
		c.add(id, line, col, "condition must be %s, not %s", want, checked.OutputType())
		return nil
	}
	native := checked.NativeRep()
	locate := func(e celast.Expr) (int, int) {
		loc := native.SourceInfo().GetStartLocation(e.ID())
		return pos.at(loc.Line(), loc.Column())
	}
	if !c.validate(native, id, locate) {
		return nil
	}
	if !c.estimate(checked, id, line, col, locate) {
		return nil
	}
	return &checkedExpr{id: id, line: line, col: col, checked: checked, native: native}
}

// plan plans a checked expression; shared, when not nil, numbers the
// sub-expressions it shares with others (see sharing).
func (c *compiler) plan(ch *checkedExpr, shared *sharing) *compiled {
	native, id, line, col := ch.native, ch.id, ch.line, ch.col
	pl := &planner{ast: native, root: c.rootPath, consts: c.consts, varIdx: c.varIdx, vars: c.varNodes, constVars: c.constVars,
		program: func(e celast.Expr) (cel.Program, error) { return c.program(native, e) }, shared: shared}
	x := &compiled{typ: ch.checked.OutputType()}
	n, ok, err := pl.top(native.Expr())
	if err != nil {
		c.add(id, line, col, "%v", err)
		return nil
	}
	if ok {
		x.node, x.fallbacks = n, pl.fallbacks
		return x
	}
	x.prg, err = c.program(native, native.Expr())
	if err != nil {
		c.add(id, line, col, "%v", err)
		return nil
	}
	x.fallbacks = 1
	return x
}

// program builds the cel-go program of e, a sub-expression of a.
func (c *compiler) program(a *celast.AST, e celast.Expr) (cel.Program, error) {
	sub := celast.NewCheckedAST(celast.NewAST(e, a.SourceInfo()), a.TypeMap(), a.ReferenceMap())
	opts := []cel.ProgramOption{
		cel.CostLimit(uint64(c.limits.MaxCost)),
		cel.CostTracking(c.costs),
		cel.InterruptCheckFrequency(interruptEvery),
	}
	// Literal patterns of matches() are compiled once. cel-go's general
	// optimizer is not used: it folds `x in []` to false where cel-go
	// without it reports x's error.
	if prg, err := c.env.PlanProgram(sub, append(opts, cel.OptimizeRegex(interpreter.MatchesRegexOptimization))...); err == nil {
		return prg, nil
	}
	return c.env.PlanProgram(sub, opts...)
}

// explain adds what to write instead to cel-go's messages that name a
// problem but not its fix.
func explain(msg string) string {
	switch {
	case strings.Contains(msg, "found no matching overload"):
		return msg + " (" + overloadHint(msg) + ")"
	case strings.Contains(msg, "invalid duration argument"):
		return msg + ` (write a number and a unit, such as duration("72h"), duration("30m") or duration("1h30m"))`
	case strings.Contains(msg, "invalid timestamp argument"):
		return msg + ` (write RFC 3339, such as timestamp("2026-01-31T09:00:00Z"))`
	case strings.Contains(msg, "undeclared reference") && !strings.Contains(msg, "did you mean"):
		return msg + " (variables are the schema's fields, lists.NAME, params.NAME and variables.NAME)"
	}
	return msg
}

// overloadHint says what to write instead of an operator or function
// applied to operands it does not take, from the operand types cel-go's
// message names, such as "applied to '(riskkit.Money, int)'".
func overloadHint(msg string) string {
	var args string
	if i := strings.Index(msg, "applied to '("); i >= 0 {
		args = msg[i+len("applied to '("):]
		if j := strings.Index(args, ")'"); j >= 0 {
			args = args[:j]
		}
	}
	has := func(t string) bool {
		for _, a := range strings.Split(args, ", ") {
			if a == t || a == "google.protobuf."+strings.ToUpper(t[:1])+t[1:] {
				return true
			}
		}
		return false
	}
	switch {
	case has(moneyType.TypeName()) && (has("int") || has("double") || has("uint")):
		return `write the amount as money("100.00 USD"), or compare minor units with .minor()`
	case has(moneyType.TypeName()) && has("string"):
		return `write the amount as money("100.00 USD"); read a currency with .currency()`
	case has("timestamp") && has("string"):
		return `write the instant as timestamp("2026-01-31T09:00:00Z")`
	case has("duration") && has("string"):
		return `write the length as duration("72h")`
	case has("duration") && (has("int") || has("double")):
		return `write the length as duration("72h"), or convert with int(d), which counts nanoseconds`
	case has("timestamp") && has("int"):
		return `compare with timestamp("2026-01-31T09:00:00Z"), or convert with int(t), which counts seconds since 1970`
	case has("string") && (has("int") || has("double") || has("uint")):
		return `convert the string with int(), uint() or double(), or the number with string()`
	case has("int") && has("double"), has("int") && has("uint"), has("uint") && has("double"):
		return `convert one operand with int(), uint() or double(): arithmetic needs one numeric type`
	case has("dyn") || has("null_type"):
		return `convert the dynamic operand with int(), uint(), double(), string() or bool() to the type it holds`
	}
	return "convert an operand with int(), uint(), double() or string(), or compare like with like"
}

// regexPatternArg returns the argument of a call that is a regular
// expression pattern, if the function takes one.
func regexPatternArg(call celast.CallExpr) (celast.Expr, bool) {
	switch call.FunctionName() {
	case "matches":
		if call.IsMemberFunction() && len(call.Args()) == 1 {
			return call.Args()[0], true
		}
		if len(call.Args()) == 2 {
			return call.Args()[1], true
		}
	case "regex.replace", "regex.extract", "regex.extractAll":
		if len(call.Args()) >= 2 {
			return call.Args()[1], true
		}
	}
	return nil, false
}

// regexProgramSize is the number of instructions of pattern's compiled
// program, the factor by which matching time grows with input length. A
// pattern whose parsed form already bounds the program above limit is not
// compiled (compiling counted repetitions of counted repetitions can take
// seconds and gigabytes); its bound is returned instead.
func regexProgramSize(pattern string, limit int) (int, error) {
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return 0, err
	}
	if b := regexSizeBound(re); b > uint64(limit) {
		return int(min(b, 1<<31)), nil
	}
	prog, err := syntax.Compile(re.Simplify())
	if err != nil {
		return 0, err
	}
	return len(prog.Inst), nil
}

// regexSizeBound bounds the program size of a parsed pattern from above
// without expanding its repetitions.
func regexSizeBound(re *syntax.Regexp) uint64 {
	var sum uint64
	for _, sub := range re.Sub {
		sum = cost.SafeAdd(sum, regexSizeBound(sub))
	}
	switch re.Op {
	case syntax.OpLiteral:
		return uint64(len(re.Rune)) + 1
	case syntax.OpRepeat:
		n := max(re.Min, re.Max)
		if n < 0 {
			n = re.Min + 1
		}
		return cost.SafeMultiply(cost.SafeAdd(sum, 2), uint64(n)+1)
	}
	return cost.SafeAdd(sum, 3)
}

// validate refuses what cel-go accepts but the engine cannot bound or
// evaluate: regular expressions that are not literals or are too large,
// malformed money literals, and the construction of schema objects.
func (c *compiler) validate(a *celast.AST, id string, locate func(celast.Expr) (int, int)) bool {
	ok := true
	var visit func(e celast.Expr)
	visit = func(e celast.Expr) {
		switch e.Kind() {
		case celast.CallKind:
			call := e.AsCall()
			if pat, isRE := regexPatternArg(call); isRE {
				lit, isLit := literalString(pat)
				line, col := locate(pat)
				switch {
				case !isLit:
					c.add(id, line, col, "the pattern of %s must be a string literal: a pattern read from the input would be compiled on every decision at a cost that cannot be bounded", call.FunctionName())
					ok = false
				default:
					size, err := regexProgramSize(lit, c.limits.MaxRegexProgram)
					if err != nil {
						c.add(id, line, col, "invalid regular expression %q: %v", lit, err)
						ok = false
					} else if size > c.limits.MaxRegexProgram {
						c.add(id, line, col, "regular expression %s compiles to %d instructions or more, over the limit of %d", abbreviate(lit), size, c.limits.MaxRegexProgram)
						ok = false
					} else {
						c.costs.patterns[lit] = size
					}
				}
			}
			if call.FunctionName() == "money" && len(call.Args()) == 1 {
				if lit, isLit := literalString(call.Args()[0]); isLit {
					if _, err := ParseMoney(lit); err != nil {
						line, col := locate(call.Args()[0])
						c.add(id, line, col, "%v", err)
						ok = false
					}
				}
			}
		case celast.StructKind:
			s := e.AsStruct()
			if _, schemaType := c.objects[s.TypeName()]; schemaType || s.TypeName() == moneyType.TypeName() {
				line, col := locate(e)
				c.add(id, line, col, "%s cannot be constructed in a rule: it is an input type", s.TypeName())
				ok = false
			}
		}
		for _, sub := range children(e) {
			visit(sub)
		}
	}
	visit(a.Expr())
	return ok
}

func literalString(e celast.Expr) (string, bool) {
	if e.Kind() != celast.LiteralKind {
		return "", false
	}
	s, ok := e.AsLiteral().(types.String)
	return string(s), ok
}

// children returns the direct sub-expressions of e.
func children(e celast.Expr) []celast.Expr {
	var out []celast.Expr
	switch e.Kind() {
	case celast.CallKind:
		call := e.AsCall()
		if call.IsMemberFunction() {
			out = append(out, call.Target())
		}
		out = append(out, call.Args()...)
	case celast.SelectKind:
		out = append(out, e.AsSelect().Operand())
	case celast.ListKind:
		out = append(out, e.AsList().Elements()...)
	case celast.MapKind:
		for _, en := range e.AsMap().Entries() {
			out = append(out, en.AsMapEntry().Key(), en.AsMapEntry().Value())
		}
	case celast.StructKind:
		for _, f := range e.AsStruct().Fields() {
			out = append(out, f.AsStructField().Value())
		}
	case celast.ComprehensionKind:
		cm := e.AsComprehension()
		out = append(out, cm.IterRange(), cm.AccuInit(), cm.LoopCondition(), cm.LoopStep(), cm.Result())
	}
	return out
}

// abbreviate quotes s, shortened to its start when it is long.
func abbreviate(s string) string {
	if len(s) > 60 {
		return fmt.Sprintf("%q...", s[:60])
	}
	return fmt.Sprintf("%q", s)
}
