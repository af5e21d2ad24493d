package risk

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"

	"cel.dev/cel-go/cel"
	celast "cel.dev/cel-go/common/ast"
	"cel.dev/cel-go/common/cost"
	"cel.dev/cel-go/common/overloads"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
	"cel.dev/cel-go/ext"
)

// Limits bound what a policy may ask of the engine. The zero value of each
// field selects its default.
type Limits struct {
	// MaxExpressionSize is the longest rule expression, in code points
	// (default 4096).
	MaxExpressionSize int
	// MaxNesting is the deepest nesting of a rule expression (default 64).
	MaxNesting int
	// MaxCost is the largest estimated cost of one rule, in CEL cost units,
	// and also the runtime cost at which a rule stops with an error
	// (default 100000).
	MaxCost int64
	// MaxStringSize is the length the cost estimate assumes for input
	// strings (default 256). Longer inputs are charged their actual length
	// at run time.
	MaxStringSize int
	// MaxRegexProgram is the largest compiled regular expression, in
	// instructions of its program (default 2000).
	MaxRegexProgram int
	// MaxRules is the most rules and variables a policy may have (default
	// 10000).
	MaxRules int
	// MaxPolicySize is the largest policy document [Compile] reads, in
	// bytes (default 4 MiB).
	MaxPolicySize int
}

func (l Limits) withDefaults() Limits {
	if l.MaxExpressionSize <= 0 {
		l.MaxExpressionSize = 4096
	}
	if l.MaxNesting <= 0 {
		l.MaxNesting = 64
	}
	if l.MaxCost <= 0 {
		l.MaxCost = 100000
	}
	if l.MaxStringSize <= 0 {
		l.MaxStringSize = 256
	}
	if l.MaxRegexProgram <= 0 {
		l.MaxRegexProgram = 2000
	}
	if l.MaxRules <= 0 {
		l.MaxRules = 10000
	}
	if l.MaxPolicySize <= 0 {
		l.MaxPolicySize = 4 << 20
	}
	return l
}

// DefaultDecisionBudget is the cost one decision may spend on all its rules
// together when the policy does not set decision_budget: ten rules at the
// default MaxCost.
const DefaultDecisionBudget = 1000000

// Option configures [Compile], [CompilePolicy] and [CompileExpression].
type Option func(*options)

type options struct {
	limits    Limits
	container string
	observer  Observer
	env       []cel.EnvOption
}

func newOptions(opts []Option) options {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	return o
}

// WithLimits sets the limits rules are checked against.
func WithLimits(l Limits) Option { return func(o *options) { o.limits = l } }

// withContainer resolves names in the CEL container (namespace) name.
func withContainer(name string) Option { return func(o *options) { o.container = name } }

// withDeclarations adds declarations to the environment rules are checked
// in, such as the functions some conformance tests declare for the checker
// alone. Policies cannot declare functions: a function needs Go code.
func withDeclarations(decls ...cel.EnvOption) Option {
	return func(o *options) { o.env = append(o.env, decls...) }
}

// Engine is a compiled policy over inputs of type T. It is immutable and safe
// for concurrent use; compile a policy once and share the engine. A zero
// Engine, which no compiler made, has no rules: its decisions carry one
// rule error saying so, its backtests count nothing and Explain returns an
// error; none of its methods panics.
type Engine[T any] struct {
	id, version  string
	outcomes     []Outcome
	rank         map[Outcome]int
	bands        []Band // by MinScore, highest first
	failClosed   bool
	errorOutcome int
	allowOutcome int
	rules        []compiledRule
	variables    []*compiled
	inputs       *inputTable
	vars         *varTable
	maxCost      int64
	budget       int64
	frames       sync.Pool
	env          *cel.Env     // for Explain
	observer     Observer     // nil: none
	ruleObserver RuleObserver // observer, when it wants rules too
}

type compiledRule struct {
	id, reason, message string
	score               int64
	action              int // index into outcomes, or -1
	allow               bool
	shadow              bool
	x                   *compiled
	// cond is the planned condition, or x.fallback when x runs on cel-go.
	cond func(*frame) (bool, st)
	// hit is what a decision lists when the rule fires.
	hit Hit
	// ast and pos are the checked condition and where it is in the
	// policy, for Explain.
	ast *celast.AST
	pos exprPos
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
	lim := newOptions(opts).limits.withDefaults()
	if len(src) > lim.MaxPolicySize {
		return nil, fmt.Errorf("risk: policy of %d bytes is over the limit of %d bytes", len(src), lim.MaxPolicySize)
	}
	p, err := ParsePolicy(src)
	if err != nil {
		return nil, err
	}
	return CompilePolicy(p, schema, opts...)
}

var identRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// CompilePolicy type-checks every rule and variable of p against the input
// described by schema and prepares it for evaluation. It returns every
// problem it finds at once, as a *[DocumentError] wrapping [ErrInvalidPolicy]: malformed policy
// structure, duplicate rule ids, rules that do not parse, read unknown
// variables, fields, lists or parameters, are not of type bool, or exceed
// the size, nesting or cost limits.
func CompilePolicy[T any](p *Policy, schema *Object[T], opts ...Option) (*Engine[T], error) {
	o := newOptions(opts)
	e := &Engine[T]{id: p.ID, version: p.Version}
	c := newCompiler(p, schema.desc, o)
	if n := len(p.Rules) + len(p.Variables); n > c.limits.MaxRules {
		c.add("", 0, 0, "policy has %d rules and variables, over the limit of %d", n, c.limits.MaxRules)
		return nil, c.err()
	}
	c.structure(e.setOutcomes)
	if c.env == nil {
		return nil, c.err()
	}
	e.variables = c.variables()
	// Every condition is checked before any is planned, so that the
	// sub-expressions several rules share are computed once per decision.
	checked := make([]*checkedExpr, len(p.Rules))
	shared := newSharing()
	for i := range p.Rules {
		r := &p.Rules[i]
		if strings.TrimSpace(r.When) == "" {
			continue
		}
		if checked[i] = c.check(r.When, r.pos, r.ID, types.BoolType); checked[i] != nil && r.IsEnabled() {
			shared.count(checked[i].native)
		}
	}
	for i := range p.Rules {
		r := &p.Rules[i]
		if checked[i] == nil || !r.IsEnabled() {
			continue
		}
		x := c.plan(checked[i], shared)
		if x == nil {
			continue
		}
		action := -1
		if r.Action != "" && r.Action != AllowAction {
			action = e.rank[r.Action]
		}
		msg := r.Message
		if msg == "" {
			msg = r.Description
		}
		cr := compiledRule{id: r.ID, reason: r.Reason, message: msg, score: r.Score,
			action: action, allow: r.Action == AllowAction, shadow: r.Mode == Shadow, x: x,
			hit: Hit{RuleID: r.ID, Reason: r.Reason, Score: r.Score, Message: msg},
			ast: checked[i].native, pos: r.pos}
		cr.cond = x.fallback
		if x.node.k == kBool {
			cr.cond = x.node.b
		}
		switch {
		case cr.allow:
			cr.hit.Action = AllowAction
		case action >= 0 && action < len(e.outcomes):
			cr.hit.Action = e.outcomes[action]
		}
		e.rules = append(e.rules, cr)
	}
	if len(c.issues) > 0 {
		return nil, c.err()
	}
	e.inputs, e.vars, e.maxCost = c.inputs, c.vars, c.limits.MaxCost
	e.budget = p.DecisionBudget
	if e.budget <= 0 {
		e.budget = DefaultDecisionBudget
	}
	e.env = c.env
	e.observer = o.observer
	e.ruleObserver, _ = o.observer.(RuleObserver)
	e.frames.New = func() any {
		f := &frame{varVals: make([]varSlot, len(e.variables))}
		f.act = activation{f: f, vars: e.vars}
		return f
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
	e.allowOutcome = len(p.Outcomes) - 1
}

// structure checks everything but the expressions, then hands the validated
// outcome structure to set.
func (c *compiler) structure(set func(*Policy)) {
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
		if o == AllowAction {
			c.add("", 0, 0, "outcome %q is reserved for allow rules; name the least severe outcome otherwise", o)
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
	if p.DecisionBudget < 0 {
		c.add("", 0, 0, "decision_budget %d is negative", p.DecisionBudget)
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
		if r.Action == AllowAction && r.Score != 0 {
			c.add(id, line, col, "an allow rule has no score")
		}
		if r.Action != "" && r.Action != AllowAction && !known[r.Action] {
			c.add(id, line, col, "action %q is not an outcome of the policy (want one of %v)", r.Action, p.Outcomes)
		}
		switch r.Mode {
		case "", Active, Shadow:
		default:
			c.add(id, line, col, "mode %q is not active or shadow", r.Mode)
		}
	}
	if len(c.issues) == 0 {
		set(p)
	}
}

// constants turns lists and parameters into values and CEL declarations,
// sorted by name so that compilation is deterministic.
func (c *compiler) constants() []cel.EnvOption {
	p := c.policy
	var decls []cel.EnvOption
	def := func(name string, v ref.Val, t *cel.Type) {
		c.consts[name] = v
		c.vars.byName[name] = func(*frame) ref.Val { return v }
		c.constVars.byName[name] = c.vars.byName[name]
		decls = append(decls, cel.Variable(name, t))
	}
	for _, name := range sortedKeys(p.Lists) {
		if !identRE.MatchString(name) {
			c.add("", 0, 0, "list name %q is not an identifier", name)
			continue
		}
		def("lists."+name, newStringSet(p.Lists[name]), cel.ListType(cel.StringType))
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
		def("lists."+name, cidrVal{set}, cidrSetType)
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
		def("params."+name, v, t)
	}
	return decls
}

var moneyText = regexp.MustCompile(`^-?[0-9]+(\.[0-9]+)? [A-Z]{3}$`)

func paramValue(x any) (ref.Val, *cel.Type, error) {
	switch x := x.(type) {
	case bool:
		return types.Bool(x), cel.BoolType, nil
	case int:
		return types.Int(x), cel.IntType, nil
	case int64:
		return types.Int(x), cel.IntType, nil
	case uint64:
		if x > math.MaxInt64 {
			return nil, nil, fmt.Errorf("%d overflows int", x)
		}
		return types.Int(x), cel.IntType, nil
	case float64:
		return types.Double(x), cel.DoubleType, nil
	case string:
		if moneyText.MatchString(x) {
			m, err := ParseMoney(x)
			if err != nil {
				return nil, nil, err
			}
			return moneyVal{m}, moneyType, nil
		}
		return types.String(x), cel.StringType, nil
	case []any:
		vals := make([]string, len(x))
		for i, e := range x {
			s, ok := e.(string)
			if !ok {
				return nil, nil, fmt.Errorf("list parameters hold strings only (element %d is %T)", i, e)
			}
			vals[i] = s
		}
		return newStringSet(vals), cel.ListType(cel.StringType), nil
	case map[string]any:
		return mapParam(x)
	}
	return nil, nil, fmt.Errorf("unsupported value %v of type %T", x, x)
}

// mapParam turns a map of parameters into a CEL map from string to one
// type, such as amounts of money by currency.
func mapParam(x map[string]any) (ref.Val, *cel.Type, error) {
	entries := make(map[ref.Val]ref.Val, len(x))
	var elem *cel.Type
	for _, k := range sortedKeys(x) {
		v, t, err := paramValue(x[k])
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %v", k, err)
		}
		if _, isMap := x[k].(map[string]any); isMap {
			return nil, nil, fmt.Errorf("%s: maps of maps are not supported", k)
		}
		if elem != nil && !elem.IsExactType(t) {
			return nil, nil, fmt.Errorf("%s: a map parameter holds values of one type (%s, not %s)", k, elem, t)
		}
		if m, ok := v.(moneyVal); ok && m.m.currency != k && moneyText.MatchString(k+" "+k) && len(k) == 3 && strings.ToUpper(k) == k {
			return nil, nil, fmt.Errorf("%s: amount %v is not in %s", k, m.m, k)
		}
		elem = t
		entries[types.String(k)] = v
	}
	if elem == nil {
		elem = cel.DynType
	}
	return types.NewRefValMap(types.DefaultTypeAdapter, entries), cel.MapType(cel.StringType, elem), nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// environment builds the CEL environment: cel-go's standard library and
// extensions, the schema's variables, the policy's constants, and the
// functions riskkit adds.
func (c *compiler) environment(decls []cel.EnvOption, container string) *cel.Env {
	prov, err := newTypeProvider(c.root)
	if err != nil {
		c.add("", 0, 0, "%v", err)
		return nil
	}
	c.objects = prov.objects
	opts := []cel.EnvOption{
		cel.CustomTypeProvider(prov),
		cel.CrossTypeNumericComparisons(true),
		cel.OptionalTypes(),
		ext.Strings(), ext.Math(), ext.Sets(), ext.Lists(), ext.Regex(), ext.Encoders(),
		ext.Bindings(), ext.TwoVarComprehensions(), ext.Network(),
		cel.ParserExpressionSizeLimit(c.limits.MaxExpressionSize),
		cel.ParserRecursionLimit(c.limits.MaxNesting),
		// Explain writes comprehensions back as the macros they came from.
		cel.EnableMacroCallTracking(),
	}
	if container != "" {
		opts = append(opts, cel.Container(container))
	}
	if c.policy.ID != expressionPolicyID {
		// Policies are checked more strictly than cel-go's default: a
		// duration or timestamp literal that cannot be parsed is a compile
		// error rather than an error on every decision.
		opts = append(opts, cel.ASTValidators(cel.ValidateDurationLiterals(), cel.ValidateTimestampLiterals()))
	}
	opts = append(opts, riskFunctions()...)
	for _, f := range c.root.fields {
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

// estimate checks that the estimated cost of an expression is within the
// limit, and otherwise says which comprehension or list makes it costly.
func (c *compiler) estimate(checked *cel.Ast, id string, line, col int, locate func(e celast.Expr) (int, int)) bool {
	est, err := c.env.EstimateCost(checked, c.sizes())
	if err != nil {
		c.add(id, line, col, "estimating cost: %v", err)
		return false
	}
	c.lastCost = est.Max
	if est.Max <= uint64(c.limits.MaxCost) {
		return true
	}
	if l, cl, what, ok := c.costliest(checked, locate); ok {
		line, col = l, cl
		c.add(id, line, col, "estimated cost %s exceeds the limit %d: %s", costText(est.Max), c.limits.MaxCost, what)
		return false
	}
	c.add(id, line, col, "estimated cost %s exceeds the limit %d", costText(est.Max), c.limits.MaxCost)
	return false
}

// costliest finds the comprehension whose own estimated cost is the
// highest, and says where it is and what it iterates over.
func (c *compiler) costliest(checked *cel.Ast, locate func(celast.Expr) (int, int)) (line, col int, what string, ok bool) {
	a := checked.NativeRep()
	var best celast.Expr
	var bestCost uint64
	var visit func(e celast.Expr)
	visit = func(e celast.Expr) {
		if e.Kind() == celast.ComprehensionKind {
			sub := celast.NewCheckedAST(celast.NewAST(e, a.SourceInfo()), a.TypeMap(), a.ReferenceMap())
			if est, err := cost.Cost(sub, c.sizes()); err == nil && (best == nil || est.Max > bestCost) {
				best, bestCost = e, est.Max
			}
		}
		for _, sub := range children(e) {
			visit(sub)
		}
	}
	visit(a.Expr())
	if best == nil {
		return 0, 0, "", false
	}
	rng := best.AsComprehension().IterRange()
	text, err := cel.ExprToString(rng, a.SourceInfo())
	if err != nil {
		text = "its range"
	}
	line, col = locate(best)
	return line, col, fmt.Sprintf("the comprehension over %s costs up to %s (iterate over list fields with a declared maximum length or lists of constants, and bound what the loop builds)", text, costText(bestCost)), true
}

func costText(n uint64) string {
	if n == math.MaxUint64 {
		return "unbounded"
	}
	return fmt.Sprint(n)
}

func (c *compiler) sizes() sizeEstimator {
	return sizeEstimator{root: c.root, consts: c.consts, strings: uint64(c.limits.MaxStringSize), costs: c.costs, varSizes: c.varSizes}
}

// sizeEstimator gives the cost estimator the declared bounds of list fields,
// the sizes of constants and the assumed bound of input strings, and the
// costs of the functions riskkit charges differently from cel-go.
type sizeEstimator struct {
	root    *objectDesc
	consts  map[string]ref.Val
	strings uint64
	costs   *runtimeCosts
	// varSizes bound the sizes of the policy's variables.
	varSizes map[string]uint64
}

func (s sizeEstimator) EstimateSize(n cost.AstNode) *cost.SizeEstimate {
	if t := n.Type(); t.Kind() == types.OpaqueKind && t.TypeName() != types.OptionalType.TypeName() {
		// A value of an opaque type a host declares, made by a function
		// only Go code can add, is one value: its cost is the host's.
		return &cost.SizeEstimate{Min: 1, Max: 1}
	}
	path := n.Path()
	if len(path) == 0 {
		return nil
	}
	if sz, ok := s.varSizes[path[0]]; ok && len(path) == 1 {
		return &cost.SizeEstimate{Min: 0, Max: sz}
	}
	if v, ok := s.consts[path[0]]; ok && len(path) == 1 {
		if sz, ok := v.(interface{ Size() ref.Val }); ok {
			size := uint64(sz.Size().(types.Int))
			return &cost.SizeEstimate{Min: size, Max: size}
		}
		return nil
	}
	switch n.Type().Kind() {
	case types.StringKind, types.BytesKind:
		return &cost.SizeEstimate{Min: 0, Max: s.strings}
	case types.ListKind, types.MapKind:
		if f := s.field(path); f != nil && f.maxLen > 0 {
			return &cost.SizeEstimate{Min: 0, Max: uint64(f.maxLen)}
		} else if f != nil && f.kind == kDyn {
			// A field read as a CEL value has no declared bound; the
			// estimate assumes the string bound, and evaluation charges
			// actual sizes.
			return &cost.SizeEstimate{Min: 0, Max: s.strings}
		}
	}
	return nil
}

// maxConvertedString bounds the length of string() of a number, bool,
// duration or timestamp.
const maxConvertedString = 40

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
	strSize := func(n cost.AstNode) uint64 {
		if sz := n.ComputedSize(); sz != nil {
			return sz.Max
		}
		if sz := s.EstimateSize(n); sz != nil {
			return sz.Max
		}
		return s.strings
	}
	switch overloadID {
	case overloads.InList:
		// A constant list is a hash set: one pass over the string.
		if len(args) == 2 {
			if p := args[1].Path(); len(p) == 1 {
				if _, ok := s.consts[p[0]].(stringSet); ok {
					return &cost.CallEstimate{CostEstimate: cost.Estimate{Min: 1, Max: 1 + strSize(args[0])/10}}
				}
			}
		}
	case inCIDRs:
		// One lookup per distinct prefix length, at most 33 + 129.
		return &cost.CallEstimate{CostEstimate: cost.Estimate{Min: 1, Max: 162}}
	case overloads.IntToString, overloads.UintToString, overloads.DoubleToString, overloads.BoolToString,
		overloads.DurationToString, overloads.TimestampToString, stringOfMoney, moneyAmount, moneyCurrency:
		return &cost.CallEstimate{CostEstimate: cost.Estimate{Min: 1, Max: 1},
			ResultSize: &cost.SizeEstimate{Min: 0, Max: maxConvertedString}}
	}
	all := args
	if target != nil {
		all = append([]cost.AstNode{*target}, args...)
	}
	if pat, in, ok := regexCallArgs(function, all); ok {
		if lit, isLit := literalString(pat.Expr()); isLit {
			size := uint64(s.costs.patterns[lit])
			return &cost.CallEstimate{CostEstimate: cost.Estimate{Min: 1, Max: 1 + regexCost(size, strSize(in))}}
		}
	}
	return nil
}

// regexCallArgs finds the pattern and the input of a regular expression
// function among its arguments (the target first).
func regexCallArgs[N any](function string, all []N) (pattern, input N, ok bool) {
	switch function {
	case "matches", "regex.replace", "regex.extract", "regex.extractAll":
		if len(all) >= 2 {
			return all[1], all[0], true
		}
	}
	return pattern, input, false
}

// regexCost charges a match by the pattern's program size times the input
// length, the bound of a linear-time matcher's work. One unit per
// instruction and byte (string scans cost a tenth of a unit per byte)
// because each step of the matcher costs about as much as a cel-go
// operation.
func regexCost(progSize, inputLen uint64) uint64 {
	return cost.SafeMultiply(progSize, inputLen) + 1
}

// runtimeCosts charges at run time what [sizeEstimator] estimates
// differently from cel-go.
type runtimeCosts struct {
	patterns map[string]int // program sizes of the literal patterns
}

func (r *runtimeCosts) CallCost(function, overloadID string, args []ref.Val, result ref.Val) *uint64 {
	if overloadID == overloads.InList && len(args) == 2 {
		if _, ok := args[1].(stringSet); ok {
			c := uint64(1)
			if s, ok := args[0].(types.String); ok {
				c += uint64(len(s)) / 10
			}
			return &c
		}
	}
	if pat, in, ok := regexCallArgs(function, args); ok {
		p, ok1 := pat.(types.String)
		s, ok2 := in.(types.String)
		if ok1 && ok2 {
			size, known := r.patterns[string(p)]
			if !known {
				size = len(p) * 4 // a bound on the program size of a pattern
			}
			c := regexCost(uint64(size), uint64(len(s)))
			return &c
		}
	}
	return nil
}
