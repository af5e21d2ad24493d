package risk

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"slices"
	"sort"
	"strings"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/cost"
	"cel.dev/cel-go/common/operators"
	"cel.dev/cel-go/common/types"
)

// Limits bound what a policy may ask of the engine. The zero value of each
// field selects its default.
type Limits struct {
	// MaxExpressionSize is the longest rule expression, in code points
	// (default 4096).
	MaxExpressionSize int
	// MaxNesting is the deepest nesting of a rule expression (default 32).
	MaxNesting int
	// MaxCost is the largest estimated cost of one rule, in CEL cost units,
	// and also the runtime cost at which a rule stops with an error
	// (default 100000).
	MaxCost int64
	// MaxStringSize is the length the cost estimate assumes for input
	// strings (default 256).
	MaxStringSize int
}

func (l Limits) withDefaults() Limits {
	if l.MaxExpressionSize <= 0 {
		l.MaxExpressionSize = 4096
	}
	if l.MaxNesting <= 0 {
		l.MaxNesting = 32
	}
	if l.MaxCost <= 0 {
		l.MaxCost = 100000
	}
	if l.MaxStringSize <= 0 {
		l.MaxStringSize = 256
	}
	return l
}

// Option configures [Compile] and [CompilePolicy].
type Option func(*options)

type options struct {
	limits Limits
	// general disables the fast path, so that tests can check that both
	// paths agree.
	general bool
}

// WithLimits sets the limits rules are checked against.
func WithLimits(l Limits) Option { return func(o *options) { o.limits = l } }

// Engine is a compiled policy over inputs of type T. It is immutable and safe
// for concurrent use; compile a policy once and share the engine.
type Engine[T any] struct {
	id, version  string
	outcomes     []Outcome
	rank         map[Outcome]int
	bands        []Band // by MinScore, highest first
	failClosed   bool
	errorOutcome int
	rules        []compiledRule
	inputs       *inputTable
	maxCost      int64
}

type compiledRule struct {
	id, reason, message string
	score               int64
	action              int // index into outcomes, or -1
	shadow              bool
	test                func(*frame) (bool, st)
}

// PolicyID returns the id of the compiled policy.
func (e *Engine[T]) PolicyID() string { return e.id }

// PolicyVersion returns the version of the compiled policy.
func (e *Engine[T]) PolicyVersion() string { return e.version }

// Outcomes returns the policy's outcomes, most severe first.
func (e *Engine[T]) Outcomes() []Outcome { return slices.Clone(e.outcomes) }

// RuleIDs returns the ids of the enabled rules in policy order.
func (e *Engine[T]) RuleIDs() []string {
	ids := make([]string, len(e.rules))
	for i, r := range e.rules {
		ids[i] = r.id
	}
	return ids
}

// Compile parses a YAML or JSON policy and compiles it against the input
// described by schema. See [CompilePolicy].
func Compile[T any](src []byte, schema *Object[T], opts ...Option) (*Engine[T], error) {
	p, err := ParsePolicy(src)
	if err != nil {
		return nil, err
	}
	return CompilePolicy(p, schema, opts...)
}

var identRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// CompilePolicy type-checks every rule of p against the input described by
// schema and prepares it for evaluation. It returns every problem it finds
// at once, as a *[CompileError]: malformed policy structure, duplicate rule
// ids, rules that do not parse, read unknown variables, fields, lists or
// parameters, are not of type bool, or exceed the size, nesting or cost
// limits.
func CompilePolicy[T any](p *Policy, schema *Object[T], opts ...Option) (*Engine[T], error) {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	lim := o.limits.withDefaults()
	c := &compilation{policy: p, limits: lim, general: o.general, cerr: &CompileError{PolicyID: p.ID}}
	e := &Engine[T]{id: p.ID, version: p.Version, maxCost: lim.MaxCost, inputs: &inputTable{bits: map[string]int64{}}}
	c.structure(e.setOutcomes)
	consts, decls := c.constants()
	env := c.environment(schema.desc, decls)
	if env == nil {
		return nil, c.cerr
	}
	for i := range p.Rules {
		r := &p.Rules[i]
		n := c.rule(env, r, schema.desc, consts, e.inputs)
		if n == nil || !r.IsEnabled() {
			continue
		}
		action := -1
		if r.Action != "" {
			action = e.rank[r.Action]
		}
		msg := r.Message
		if msg == "" {
			msg = r.Description
		}
		e.rules = append(e.rules, compiledRule{id: r.ID, reason: r.Reason, message: msg, score: r.Score,
			action: action, shadow: r.Mode == Shadow, test: n})
	}
	if len(c.cerr.Issues) > 0 {
		return nil, c.cerr
	}
	return e, nil
}

// setOutcomes records the validated outcome structure.
func (e *Engine[T]) setOutcomes(p *Policy) {
	e.outcomes = slices.Clone(p.Outcomes)
	e.rank = make(map[Outcome]int, len(p.Outcomes))
	for i, o := range p.Outcomes {
		e.rank[o] = i
	}
	e.bands = slices.Clone(p.Bands)
	sort.SliceStable(e.bands, func(i, j int) bool { return e.bands[i].MinScore > e.bands[j].MinScore })
	e.failClosed = p.OnError == FailClosed
	e.errorOutcome = -1
	if e.failClosed {
		e.errorOutcome = e.rank[p.ErrorOutcome]
	}
}

// compilation collects the problems of one policy.
type compilation struct {
	policy  *Policy
	limits  Limits
	general bool
	cerr    *CompileError
}

func (c *compilation) add(ruleID string, line, col int, format string, args ...any) {
	c.cerr.Issues = append(c.cerr.Issues, Issue{RuleID: ruleID, Line: line, Column: col, Msg: fmt.Sprintf(format, args...)})
}

// structure checks everything but the expressions, then hands the validated
// outcome structure to set.
func (c *compilation) structure(set func(*Policy)) {
	p := c.policy
	if p.ID == "" {
		c.add("", 0, 0, "policy id is required")
	}
	if len(p.Outcomes) == 0 {
		c.add("", 0, 0, "outcomes are required, most severe first; the last is the default")
	}
	known := map[Outcome]bool{}
	for _, o := range p.Outcomes {
		if o == "" {
			c.add("", 0, 0, "an outcome is empty")
		}
		if known[o] {
			c.add("", 0, 0, "outcome %q is listed twice", o)
		}
		known[o] = true
	}
	mins := map[int64]bool{}
	for _, b := range p.Bands {
		if !known[b.Outcome] {
			c.add("", 0, 0, "band at score %d has unknown outcome %q (want one of %v)", b.MinScore, b.Outcome, p.Outcomes)
		}
		if mins[b.MinScore] {
			c.add("", 0, 0, "two bands start at score %d", b.MinScore)
		}
		mins[b.MinScore] = true
	}
	switch p.OnError {
	case "", FailOpen:
		if p.ErrorOutcome != "" {
			c.add("", 0, 0, "error_outcome is set but on_error is not fail_closed")
		}
	case FailClosed:
		if !known[p.ErrorOutcome] {
			c.add("", 0, 0, "on_error fail_closed needs error_outcome, one of %v (got %q)", p.Outcomes, p.ErrorOutcome)
		}
	default:
		c.add("", 0, 0, "on_error %q is not fail_open or fail_closed", p.OnError)
	}
	seen := map[string]bool{}
	for i := range p.Rules {
		r := &p.Rules[i]
		line, col := r.pos.ruleLine, r.pos.ruleCol
		id := r.ID
		if id == "" {
			id = fmt.Sprintf("#%d", i+1)
			c.add(id, line, col, "rule id is required")
		} else if seen[r.ID] {
			c.add(id, line, col, "duplicate rule id")
		}
		seen[r.ID] = true
		if strings.TrimSpace(r.When) == "" {
			c.add(id, line, col, "when is required")
		}
		if r.Reason == "" {
			c.add(id, line, col, "reason is required")
		}
		if r.Score == 0 && r.Action == "" {
			c.add(id, line, col, "rule has neither a score nor an action")
		}
		if r.Action != "" && !known[r.Action] {
			c.add(id, line, col, "action %q is not an outcome of the policy (want one of %v)", r.Action, p.Outcomes)
		}
		switch r.Mode {
		case "", Active, Shadow:
		default:
			c.add(id, line, col, "mode %q is not active or shadow", r.Mode)
		}
	}
	if len(c.cerr.Issues) == 0 {
		set(p)
	}
}

// constants turns lists and parameters into values and CEL declarations,
// sorted by name so that compilation is deterministic.
func (c *compilation) constants() (map[string]value, []cel.EnvOption) {
	p := c.policy
	consts := map[string]value{}
	var decls []cel.EnvOption
	for _, name := range sortedKeys(p.Lists) {
		if !identRE.MatchString(name) {
			c.add("", 0, 0, "list name %q is not an identifier", name)
			continue
		}
		vals := make([]value, len(p.Lists[name]))
		for i, s := range p.Lists[name] {
			vals[i] = value{k: kString, s: s}
		}
		consts["lists."+name] = value{k: kList, l: newValueList(vals)}
		decls = append(decls, cel.Variable("lists."+name, cel.ListType(cel.StringType)))
	}
	for _, name := range sortedKeys(p.CIDRs) {
		if !identRE.MatchString(name) {
			c.add("", 0, 0, "cidr list name %q is not an identifier", name)
			continue
		}
		if _, dup := p.Lists[name]; dup {
			c.add("", 0, 0, "%q is both a list and a cidr list", name)
			continue
		}
		set, err := newCIDRSet(name, p.CIDRs[name])
		if err != nil {
			c.add("", 0, 0, "cidr list %s: %v", name, err)
			continue
		}
		consts["lists."+name] = value{k: kCIDRs, p: set}
		decls = append(decls, cel.Variable("lists."+name, cidrSetType))
	}
	for _, name := range sortedKeys(p.Params) {
		if !identRE.MatchString(name) {
			c.add("", 0, 0, "parameter name %q is not an identifier", name)
			continue
		}
		v, t, err := paramValue(p.Params[name])
		if err != nil {
			c.add("", 0, 0, "parameter %s: %v", name, err)
			continue
		}
		consts["params."+name] = v
		decls = append(decls, cel.Variable("params."+name, t))
	}
	return consts, decls
}

var moneyText = regexp.MustCompile(`^-?[0-9]+(\.[0-9]+)? [A-Z]{3}$`)

func paramValue(x any) (value, *cel.Type, error) {
	switch x := x.(type) {
	case bool:
		return boolVal(x), cel.BoolType, nil
	case int:
		return value{k: kInt, i: int64(x)}, cel.IntType, nil
	case int64:
		return value{k: kInt, i: x}, cel.IntType, nil
	case uint64:
		if x > math.MaxInt64 {
			return value{}, nil, fmt.Errorf("%d overflows int", x)
		}
		return value{k: kInt, i: int64(x)}, cel.IntType, nil
	case float64:
		return doubleVal(x), cel.DoubleType, nil
	case string:
		if moneyText.MatchString(x) {
			m, err := ParseMoney(x)
			if err != nil {
				return value{}, nil, err
			}
			return moneyVal(m), moneyType, nil
		}
		return value{k: kString, s: x}, cel.StringType, nil
	case []any:
		vals := make([]value, len(x))
		for i, e := range x {
			s, ok := e.(string)
			if !ok {
				return value{}, nil, fmt.Errorf("list parameters hold strings only (element %d is %T)", i, e)
			}
			vals[i] = value{k: kString, s: s}
		}
		return value{k: kList, l: newValueList(vals)}, cel.ListType(cel.StringType), nil
	}
	return value{}, nil, fmt.Errorf("unsupported value %v of type %T", x, x)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

var (
	cidrSetType = cel.OpaqueType("riskkit.CIDRSet")
	listOfT     = cel.ListType(cel.TypeParamType("T"))
)

// environment builds the CEL environment: the schema's variables, the
// policy's constants, and the functions riskkit adds.
func (c *compilation) environment(root *objectDesc, decls []cel.EnvOption) *cel.Env {
	prov, err := newTypeProvider(root)
	if err != nil {
		c.add("", 0, 0, "%v", err)
		return nil
	}
	opts := []cel.EnvOption{
		cel.CustomTypeProvider(prov),
		cel.CrossTypeNumericComparisons(true),
		cel.ParserExpressionSizeLimit(c.limits.MaxExpressionSize),
		cel.ParserRecursionLimit(c.limits.MaxNesting),
		cel.Function(operators.In,
			cel.Overload(inCIDRs, []*cel.Type{cel.StringType, cidrSetType}, cel.BoolType)),
		cel.Function(operators.Less, cel.Overload(lessMoney, []*cel.Type{moneyType, moneyType}, cel.BoolType)),
		cel.Function(operators.LessEquals, cel.Overload(lessEqMoney, []*cel.Type{moneyType, moneyType}, cel.BoolType)),
		cel.Function(operators.Greater, cel.Overload(greaterMoney, []*cel.Type{moneyType, moneyType}, cel.BoolType)),
		cel.Function(operators.GreaterEquals, cel.Overload(greaterEqMoney, []*cel.Type{moneyType, moneyType}, cel.BoolType)),
		cel.Function(operators.Add, cel.Overload(addMoney, []*cel.Type{moneyType, moneyType}, moneyType)),
		cel.Function(operators.Subtract, cel.Overload(subtractMoney, []*cel.Type{moneyType, moneyType}, moneyType)),
		cel.Function("lowerAscii", cel.MemberOverload(lowerASCII, []*cel.Type{cel.StringType}, cel.StringType)),
		cel.Function("upperAscii", cel.MemberOverload(upperASCII, []*cel.Type{cel.StringType}, cel.StringType)),
		cel.Function("trim", cel.MemberOverload(trimSpace, []*cel.Type{cel.StringType}, cel.StringType)),
		cel.Function("math.abs", cel.Overload(absInt, []*cel.Type{cel.IntType}, cel.IntType),
			cel.Overload(absDouble, []*cel.Type{cel.DoubleType}, cel.DoubleType)),
		cel.Function("math.greatest", cel.Overload(greatestInt, []*cel.Type{cel.IntType, cel.IntType}, cel.IntType),
			cel.Overload(greatestDouble, []*cel.Type{cel.DoubleType, cel.DoubleType}, cel.DoubleType)),
		cel.Function("math.least", cel.Overload(leastInt, []*cel.Type{cel.IntType, cel.IntType}, cel.IntType),
			cel.Overload(leastDouble, []*cel.Type{cel.DoubleType, cel.DoubleType}, cel.DoubleType)),
		cel.Function("sets.contains", cel.Overload(setsContains, []*cel.Type{listOfT, listOfT}, cel.BoolType)),
		cel.Function("sets.intersects", cel.Overload(setsIntersects, []*cel.Type{listOfT, listOfT}, cel.BoolType)),
	}
	for _, f := range root.fields {
		opts = append(opts, cel.Variable(f.name, f.typ))
	}
	opts = append(opts, decls...)
	env, err := cel.NewEnv(opts...)
	if err != nil {
		c.add("", 0, 0, "%v", err)
		return nil
	}
	return env
}

// rule checks and plans one rule, recording its problems. It returns nil
// when the rule has problems.
func (c *compilation) rule(env *cel.Env, r *Rule, root *objectDesc, consts map[string]value, inputs *inputTable) func(*frame) (bool, st) {
	if strings.TrimSpace(r.When) == "" {
		return nil
	}
	id := r.ID
	checked, iss := env.Compile(r.When)
	if iss.Err() != nil {
		for _, e := range iss.Errors() {
			line, col := r.pos.at(e.Location.Line(), e.Location.Column())
			c.add(id, line, col, "%s", e.Message)
		}
		return nil
	}
	line, col := r.pos.at(1, 0)
	if !checked.OutputType().IsExactType(types.BoolType) {
		c.add(id, line, col, "condition must be bool, not %s", checked.OutputType())
		return nil
	}
	est, err := env.EstimateCost(checked, sizeEstimator{root: root, consts: consts, strings: uint64(c.limits.MaxStringSize)})
	if err != nil {
		c.add(id, line, col, "estimating cost: %v", err)
		return nil
	}
	if est.Max > uint64(c.limits.MaxCost) {
		c.add(id, line, col, "estimated cost %d exceeds the limit %d", est.Max, c.limits.MaxCost)
		return nil
	}
	native := checked.NativeRep()
	pl := &planner{ast: native, root: root, consts: consts, inputs: inputs}
	var fn fnode
	if c.general {
		var n node
		n, _, err = pl.plan(native.Expr())
		fn = adapt(kBool, n)
	} else {
		fn, _, err = pl.fast(native.Expr())
	}
	if err != nil {
		var pe *planError
		if errors.As(err, &pe) {
			loc := native.SourceInfo().GetStartLocation(pe.id)
			line, col = r.pos.at(loc.Line(), loc.Column())
		}
		c.add(id, line, col, "%v", err)
		return nil
	}
	return fn.b
}

// sizeEstimator gives the cost estimator the declared bounds of list fields
// and the assumed bound of input strings.
type sizeEstimator struct {
	root    *objectDesc
	consts  map[string]value
	strings uint64
}

func (s sizeEstimator) EstimateSize(n cost.AstNode) *cost.SizeEstimate {
	path := n.Path()
	if len(path) == 0 {
		return nil
	}
	if v, ok := s.consts[path[0]]; ok && len(path) == 1 {
		size := uint64(len(v.s))
		if v.k == kList {
			size = uint64(v.l.len(nil))
		}
		return &cost.SizeEstimate{Min: size, Max: size}
	}
	switch n.Type().Kind() {
	case types.StringKind, types.BytesKind:
		return &cost.SizeEstimate{Min: 0, Max: s.strings}
	case types.ListKind:
		if f := s.field(path); f != nil && f.maxLen > 0 {
			return &cost.SizeEstimate{Min: 0, Max: uint64(f.maxLen)}
		}
	}
	return nil
}

// field follows a path of field names from the root to a field.
func (s sizeEstimator) field(path []string) *fieldDesc {
	o := s.root
	var f *fieldDesc
	for _, name := range path {
		if o == nil {
			return nil
		}
		f = o.byName[name]
		if f == nil {
			return nil
		}
		o = f.elem
	}
	return f
}

func (s sizeEstimator) EstimateCallCost(function, overloadID string, target *cost.AstNode, args []cost.AstNode) *cost.CallEstimate {
	switch overloadID {
	case lowerASCII, upperASCII, trimSpace:
		// One pass over the string, producing a string no longer than it.
		size := &cost.SizeEstimate{Min: 0, Max: s.strings}
		if target != nil {
			if t := (*target).ComputedSize(); t != nil {
				size = t
			}
		}
		return &cost.CallEstimate{CostEstimate: cost.Estimate{Min: 1, Max: 1 + size.Max/10}, ResultSize: size}
	case inCIDRs:
		// One lookup per distinct prefix length, at most 33 + 129.
		return &cost.CallEstimate{CostEstimate: cost.Estimate{Min: 1, Max: 162}}
	}
	return nil
}
