package risk

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"regexp/syntax"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/ast"
	"cel.dev/cel-go/common/cost"
	"cel.dev/cel-go/common/operators"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
	"cel.dev/cel-go/ext"

	"github.com/riskkit/riskkit/internal/checked"
)

// FuzzDifferential generates a well-typed rule over the checkout schema and a
// checkout from the fuzzer's bytes, and requires the engine to reach the
// answer cel-go's interpreter reaches on the same input (its mirror structs
// from bench_test.go, with the inputs the engine treats as missing marked
// unknown by partial evaluation). The comparison rule:
//
//	cel-go true     -> the rule fires
//	cel-go false    -> the rule is quiet: no hit, no error, nothing missing
//	cel-go unknown  -> the rule is listed as missing (it read an unsupplied input)
//	cel-go error    -> the rule errors, or is listed as missing: a missing
//	                   input beats an error, so a rule that read an unsupplied
//	                   input may report it instead of the error; or the engine
//	                   refused the rule at compile time, as it does a constant
//	                   sub-expression that errors (where the constant is not
//	                   reached on some input, cel-go answers there and the
//	                   refusal is a disagreement)
//
// The engine refusing a rule cel-go accepts, or panicking, is a disagreement
// too. Disagreements known in the current engine are pinned in
// testdata/differential_failures.txt by the grammar production (or input
// feature) that provokes them and a minimal form: the fuzz target tolerates a
// disagreement only when the rule used a pinned production and the
// disagreement is of the pinned kind (any kind for a production marked
// with a trailing *, whose wrong value can surface anywhere), and
// TestDifferentialKnownFailures fails once a minimal form agrees, so that the
// list only shrinks.
func FuzzDifferential(f *testing.F) {
	for _, seed := range differentialSeeds {
		f.Add([]byte(seed.rule), []byte(seed.input))
	}
	h := newDifferential(f)
	known := h.knownSignatures(f)
	f.Fuzz(func(t *testing.T, rule, input []byte) {
		g := &ruleGen{data: rule, used: map[string]bool{}}
		expr := g.boolExpr(0)
		in, features := genCheckout(input)
		why, sig := h.differ(expr, &in)
		if why == "" {
			return
		}
		for _, p := range slices.Concat(slices.Sorted(mapKeys(g.used)), features) {
			k, ok := known[p+" "+sig]
			if !ok {
				k, ok = known[p+"* *"]
			}
			if ok {
				t.Skipf("known disagreement %s (%s): %s on %s: %s", p, k.reason, expr, describeCheckout(&in), why)
			}
		}
		t.Fatalf("%s\non %s:\n%s\n(signature %s; productions %v %v)", expr, describeCheckout(&in), why, sig, slices.Sorted(mapKeys(g.used)), features)
	})
}

// knownSignatures runs each pinned minimal form and indexes the pins by
// production and the signature of their disagreement: a disagreement found
// by fuzzing is tolerated only when it has the signature of a pin whose
// production the rule used.
func (h *differential) knownSignatures(tb testing.TB) map[string]differentialPin {
	tb.Helper()
	inputs := differentialInputs()
	known := map[string]differentialPin{}
	for _, p := range loadDifferentialPins(tb) {
		in := inputs[p.input]
		if why, sig := h.differ(p.expr, &in); why != "" {
			if strings.HasSuffix(p.production, "*") {
				// A wrong value or a swallowed error travels: any disagreement
				// of a rule that used the production may be this one.
				sig = "*"
			}
			known[p.production+" "+sig] = p
		}
	}
	return known
}

func mapKeys[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// differentialSeeds are rules and inputs that exercise each part of the
// grammar; the corpus in testdata/fuzz/FuzzDifferential adds what fuzzing
// found.
var differentialSeeds = []struct{ rule, input string }{
	{"", ""},
	{"\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a", "\x01\x01\x01\x01"},
	{"\x05\x03\x00\x01\x07\x02", "\xff\xfe\xfd\xfc\xfb\xfa"},
	{"\x0c\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b", "\x10\x20\x30\x40\x50\x60\x70\x80"},
	{"\x0d\x0e\x0f\x10\x11\x12\x13\x14\x15", "\x02\x04\x06\x08\x0a\x0c\x0e\x10\x12\x14"},
	{"\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f", "\x7f\x7f\x7f\x7f\x7f\x7f\x7f"},
}

// differential holds cel-go's environment for the mirror structs and the
// policy constants every generated rule may read.
type differential struct {
	env    *cel.Env
	consts map[string]any
}

// The constants of the one-rule policy each generated rule is compiled in.
var (
	diffLists  = map[string][]string{"risky_countries": {"NG", "RU", "BR"}, "empty": {}}
	diffCIDRs  = map[string][]string{"tor_exits": {"203.0.113.0/24", "2001:db8::/32"}}
	diffParams = map[string]any{"limit": 5, "large": "500.00 USD", "ratio": 0.5, "tag": "gpu_compute"}
)

func newDifferential(tb testing.TB) *differential {
	tb.Helper()
	opts := []cel.EnvOption{
		ext.NativeTypes(reflect.TypeFor[nCheckout](), ext.ParseStructTag("json")),
		cel.OptionalTypes(), ext.Strings(), ext.Math(), ext.Sets(), ext.Lists(), ext.Regex(), ext.Encoders(),
		ext.Bindings(), ext.TwoVarComprehensions(),
		cel.CrossTypeNumericComparisons(true),
		cel.Variable("customer", cel.ObjectType("risk.nCustomer")),
		cel.Variable("payment", cel.ObjectType("risk.nPayment")),
		cel.Variable("txn", cel.ObjectType("risk.nTxn")),
		cel.Variable("signals", cel.ObjectType("risk.nSignals")),
	}
	consts := map[string]any{}
	for name, vals := range diffLists {
		opts = append(opts, cel.Variable("lists."+name, cel.ListType(cel.StringType)))
		consts["lists."+name] = vals
	}
	for name, ranges := range diffCIDRs {
		set, err := newCIDRSet(name, ranges)
		if err != nil {
			tb.Fatal(err)
		}
		opts = append(opts, cel.Variable("lists."+name, cel.DynType))
		consts["lists."+name] = cidrVal{set}
	}
	for name, v := range diffParams {
		switch v := v.(type) {
		case int:
			opts = append(opts, cel.Variable("params."+name, cel.IntType))
			consts["params."+name] = int64(v)
		case float64:
			opts = append(opts, cel.Variable("params."+name, cel.DoubleType))
			consts["params."+name] = v
		case string:
			if m, err := ParseMoney(v); err == nil {
				opts = append(opts, cel.Variable("params."+name, cel.DynType))
				consts["params."+name] = checkedMoney{nm(m).(nMoney)}
			} else {
				opts = append(opts, cel.Variable("params."+name, cel.StringType))
				consts["params."+name] = v
			}
		}
	}
	env, err := cel.NewEnv(opts...)
	if err != nil {
		tb.Fatal(err)
	}
	return &differential{env: env, consts: consts}
}

// checkedMoney is the mirror's money with Money's checked addition: the
// mirror's own Add wraps around on overflow, where Money errors.
type checkedMoney struct{ nMoney }

func (m checkedMoney) Add(o ref.Val) ref.Val {
	y, ok := o.Value().(nMoney)
	if !ok || y.Currency != m.Currency {
		return types.NewErr("currency mismatch")
	}
	sum, ok := checked.Add(m.Minor, y.Minor)
	if !ok {
		return types.NewErr("amount overflows int64 minor units")
	}
	return checkedMoney{nMoney{Minor: sum, Currency: m.Currency}}
}

// checkMirrorMoney gives every amount of a mirror checked addition.
func checkMirrorMoney(m *nCheckout) {
	fix := func(v *ref.Val) {
		if n, ok := (*v).(nMoney); ok {
			*v = checkedMoney{n}
		}
	}
	fix(&m.Customer.History.AmountPaid)
	fix(&m.Customer.CreditLimit)
	fix(&m.Customer.PrepaidBalance)
	fix(&m.Customer.OutstandingBalance)
	fix(&m.Txn.Amount)
	for i := range m.Txn.LineItems {
		fix(&m.Txn.LineItems[i].Amount)
	}
	fix(&m.Signals.UnbilledUsage)
}

// missingPatterns marks the inputs the engine treats as not supplied as
// unknown to cel-go: unset signals, zero money and zero times. Line items'
// amounts are never generated unset, because cel-go cannot mark a field of a
// comprehension's element unknown.
func missingPatterns(c *Checkout) []*cel.AttributePatternType {
	var ps []*cel.AttributePatternType
	add := func(missing bool, v string, path ...string) {
		if !missing {
			return
		}
		p := cel.AttributePattern(v)
		for _, q := range path {
			p = p.QualString(q)
		}
		ps = append(ps, p)
	}
	cu, tx, si := &c.Customer, &c.Transaction, &c.Signals
	add(cu.CreatedAt.IsZero(), "customer", "created_at")
	add(cu.History.AmountPaid.IsZero(), "customer", "history", "amount_paid")
	add(cu.History.FirstPaymentAt.IsZero(), "customer", "history", "first_payment_at")
	add(cu.CreditLimit.IsZero(), "customer", "credit_limit")
	add(cu.PrepaidBalance.IsZero(), "customer", "prepaid_balance")
	add(cu.OutstandingBalance.IsZero(), "customer", "outstanding_balance")
	add(tx.Amount.IsZero(), "txn", "amount")
	add(tx.Time.IsZero(), "txn", "time")
	for name, s := range map[string]Signal{
		"accounts_per_ip_1h": si.AccountsPerIP1h, "accounts_per_ip_24h": si.AccountsPerIP24h,
		"accounts_per_device_1h": si.AccountsPerDevice1h, "accounts_per_device_24h": si.AccountsPerDevice24h,
		"accounts_per_card_1h": si.AccountsPerCard1h, "accounts_per_card_24h": si.AccountsPerCard24h,
		"purchases_24h": si.Purchases24h, "distinct_cards_24h": si.DistinctCards24h,
		"failed_payments_24h": si.FailedPayments24h,
	} {
		add(s.IsZero(), "signals", name)
	}
	add(si.UnbilledUsage.IsZero(), "signals", "unbilled_usage")
	return ps
}

// celGo evaluates expr on cel-go: "true", "false", "unknown" or "error";
// "rejected" when cel-go's checker refuses it, or "too costly" when it
// passes ten times the engine's cost limit.
func (h *differential) celGo(expr string, c *Checkout) (string, string) {
	ast, iss := h.env.Compile(expr)
	if iss.Err() != nil {
		return "rejected", iss.Err().Error()
	}
	// The engine stops a rule at its runtime cost limit; cel-go gets ten
	// times as much, so that a rule the engine may finish also finishes here,
	// and so that a rule of unbounded work cannot hang the fuzzer.
	prg, err := h.env.Program(ast, cel.EvalOptions(cel.OptPartialEval), cel.CostLimit(10*diffMaxCost))
	if err != nil {
		return "rejected", err.Error()
	}
	m := mirror(c)
	checkMirrorMoney(&m)
	vars := map[string]any{"customer": &m.Customer, "payment": &m.Payment, "txn": &m.Txn, "signals": &m.Signals}
	for k, v := range h.consts {
		vars[k] = v
	}
	act, err := cel.PartialVars(vars, missingPatterns(c)...)
	if err != nil {
		return "rejected", err.Error()
	}
	out, _, err := prg.Eval(act)
	switch {
	case err != nil && strings.Contains(err.Error(), "cost limit exceeded"):
		return "too costly", err.Error()
	case err != nil:
		return "error", err.Error()
	case types.IsUnknown(out):
		return "unknown", ""
	case types.IsError(out):
		return "error", fmt.Sprint(out)
	case out == types.True:
		return "true", ""
	case out == types.False:
		return "false", ""
	}
	return "error", fmt.Sprintf("not a bool: %v", out)
}

// engine evaluates expr as the one rule of a policy: "true" (fired),
// "false" (quiet), "missing", "error", "rejected" or "panic".
func (h *differential) engine(expr string, c *Checkout) (got, detail string) {
	defer func() {
		if r := recover(); r != nil {
			got, detail = "panic", fmt.Sprint(r)
		}
	}()
	// The rule is there twice, so that the second reads what the first
	// computed of their shared sub-expressions (see sharing); it is the
	// second that is compared.
	p := &Policy{ID: "differential", Outcomes: []Outcome{"hit", "none"}, Lists: diffLists, CIDRs: diffCIDRs, Params: diffParams,
		Rules: []Rule{{ID: "first", When: expr, Action: "hit", Reason: "R"}, {ID: "r", When: expr, Action: "hit", Reason: "R"}}}
	e, err := CompilePolicy(p, CheckoutSchema())
	if ce, ok := errors.AsType[*DocumentError](err); ok && len(ce.Issues) > 0 {
		return "rejected", ce.Issues[0].Msg
	}
	if err != nil {
		return "rejected", err.Error()
	}
	d := e.Evaluate(c)
	for _, x := range d.Errors {
		if x.RuleID == "r" {
			return "error", x.Err
		}
	}
	for _, m := range d.Missing {
		if m.RuleID == "r" {
			return "missing", m.Inputs.String()
		}
	}
	if d.Fired("r") {
		return "true", ""
	}
	return "false", ""
}

// diffMaxCost is the engine's default limit on a rule's estimated cost.
const diffMaxCost = 100000

// overBudget reports whether cel-go's cost estimate for expr, with the
// schema's declared bounds (at most 100 line items, strings of at most 256
// bytes), passes the engine's default cost limit.
func (h *differential) overBudget(expr string) bool {
	ast, iss := h.env.Compile(expr)
	if iss.Err() != nil {
		return false
	}
	est, err := h.env.EstimateCost(ast, diffSizes{})
	return err == nil && est.Max > diffMaxCost
}

// diffSizes gives cel-go's cost estimator the checkout schema's bounds.
type diffSizes struct{}

func (diffSizes) EstimateSize(n cost.AstNode) *cost.SizeEstimate {
	path := n.Path()
	if len(path) == 1 && strings.HasPrefix(path[0], "lists.") {
		size := uint64(len(diffLists[strings.TrimPrefix(path[0], "lists.")]))
		return &cost.SizeEstimate{Min: size, Max: size}
	}
	if slices.Equal(path, []string{"txn", "line_items"}) {
		return &cost.SizeEstimate{Min: 0, Max: maxLineItems}
	}
	if len(path) > 0 && n.Type().Kind() == types.StringKind {
		return &cost.SizeEstimate{Min: 0, Max: 256}
	}
	return nil
}

// EstimateCallCost charges what the package doc prices differently from
// cel-go: membership in a CIDR list is a lookup per distinct prefix length
// (at most 33 for IPv4 and 129 for IPv6), and a regular expression costs
// its compiled program's size times the input's length.
func (d diffSizes) EstimateCallCost(function, _ string, target *cost.AstNode, args []cost.AstNode) *cost.CallEstimate {
	if function == operators.In && len(args) == 2 && slices.Equal(args[1].Path(), []string{"lists.tor_exits"}) {
		return &cost.CallEstimate{CostEstimate: cost.Estimate{Min: 1, Max: 33 + 129}}
	}
	if function == "matches" && target != nil && len(args) == 1 {
		e := args[0].Expr()
		if e.Kind() != ast.LiteralKind {
			return nil
		}
		pattern, ok := e.AsLiteral().Value().(string)
		if !ok {
			return nil
		}
		re, err := syntax.Parse(pattern, syntax.Perl)
		if err != nil {
			return nil
		}
		prog, err := syntax.Compile(re.Simplify())
		if err != nil {
			return nil
		}
		in := uint64(256)
		if sz := (*target).ComputedSize(); sz != nil {
			in = sz.Max
		}
		return &cost.CallEstimate{CostEstimate: cost.Estimate{Min: 1, Max: 2 + cost.SafeMultiply(uint64(len(prog.Inst)), in)}}
	}
	return nil
}

// differ compares the engine with cel-go on one rule and input. It
// describes the disagreement, or returns "", and gives its signature: what
// each side answered, and for a rule the engine refuses, its reason.
func (h *differential) differ(expr string, c *Checkout) (why, signature string) {
	got, gotDetail := h.engine(expr, c)
	if got == "rejected" && strings.Contains(gotDetail, "estimated cost") && h.overBudget(expr) {
		return "", "" // beyond the documented cost limit by cel-go's own estimate too
	}
	want, wantDetail := h.celGo(expr, c)
	switch want {
	case "rejected":
		return "", "" // the grammar produced something cel-go refuses: nothing to compare
	case "too costly":
		return "", "" // past any cost limit the engine could run it to: nothing to compare
	}
	ok := got == want ||
		(want == "unknown" && got == "missing") ||
		(want == "error" && (got == "missing" || got == "rejected"))
	if ok {
		return "", ""
	}
	class := func(r string) string {
		switch r {
		case "true", "false":
			return "value"
		}
		return r
	}
	signature = class(want) + "->" + class(got)
	switch got {
	case "true", "false":
		if class(want) == "value" {
			signature = "wrong bool"
		}
	case "rejected":
		signature = "rejected"
		if strings.Contains(gotDetail, "estimated cost") {
			signature = "rejected: cost"
		}
	case "panic":
		signature = "panic"
	}
	return fmt.Sprintf("cel-go %s %s, engine %s %s", want, wantDetail, got, gotDetail), signature
}

// ruleGen builds a typed CEL expression from bytes. Every choice reads one
// byte; when the bytes run out every choice is 0, which is always a leaf, so
// generation ends. used records the productions chosen.
type ruleGen struct {
	data  []byte
	pos   int
	used  map[string]bool
	items []string // line item variables in scope
	ints  []string // int variables in scope
}

const maxGenDepth = 5

func (g *ruleGen) next() int {
	if g.pos >= len(g.data) {
		return 0
	}
	b := g.data[g.pos]
	g.pos++
	return int(b)
}

func (g *ruleGen) pick(n int) int { return g.next() % n }

func (g *ruleGen) from(pool ...string) string { return pool[g.pick(len(pool))] }

func (g *ruleGen) use(p string) { g.used[p] = true }

// choose picks a production: a leaf at the depth limit or when the bytes run
// out, otherwise any.
func (g *ruleGen) choose(d, leaves, all int) int {
	if d >= maxGenDepth {
		return g.pick(leaves)
	}
	return g.pick(all)
}

var cmpOps = []string{"==", "!=", "<", "<=", ">", ">="}

func (g *ruleGen) boolExpr(d int) string {
	switch g.choose(d, 2, 36) {
	case 0:
		return g.from("true", "false")
	case 1:
		return g.from("customer.mfa", "customer.personal_contact", "txn.card_present")
	case 2:
		g.use("cmp_int")
		return g.intExpr(d+1) + " " + g.from(cmpOps...) + " " + g.intExpr(d+1)
	case 3:
		g.use("cmp_double")
		return g.doubleExpr(d+1) + " " + g.from(cmpOps...) + " " + g.doubleExpr(d+1)
	case 4:
		g.use("cmp_int_double")
		return g.intExpr(d+1) + " " + g.from(cmpOps...) + " " + g.doubleExpr(d+1)
	case 5:
		g.use("cmp_string")
		return g.stringExpr(d+1) + " " + g.from(cmpOps...) + " " + g.stringExpr(d+1)
	case 6:
		g.use("cmp_timestamp")
		return g.timeExpr(d+1) + " " + g.from(cmpOps...) + " " + g.timeExpr(d+1)
	case 7:
		g.use("cmp_duration")
		return g.durExpr(d+1) + " " + g.from(cmpOps...) + " " + g.durExpr(d+1)
	case 8:
		g.use("cmp_money")
		return g.moneyExpr(d+1) + " " + g.from("<", "<=", ">", ">=") + " " + g.moneyExpr(d+1)
	case 9:
		g.use("and")
		return "(" + g.boolExpr(d+1) + " && " + g.boolExpr(d+1) + ")"
	case 10:
		g.use("or")
		return "(" + g.boolExpr(d+1) + " || " + g.boolExpr(d+1) + ")"
	case 11:
		g.use("not")
		return "!" + g.boolAtom(d+1)
	case 12:
		g.use("cond_bool")
		return "(" + g.boolExpr(d+1) + " ? " + g.boolExpr(d+1) + " : " + g.boolExpr(d+1) + ")"
	case 13:
		fn := g.from("contains", "startsWith", "endsWith")
		g.use("string_" + fn)
		return g.stringAtom(d+1) + "." + fn + "(" + g.stringExpr(d+1) + ")"
	case 14:
		g.use("matches")
		return g.stringAtom(d+1) + ".matches(" + g.from(`"^[a-z]+$"`, `"N"`, `""`, `"^$"`, `"(?i)abc"`, `"[0-9]{2,}"`) + ")"
	case 15:
		g.use("in_string_list")
		return g.stringExpr(d+1) + " in " + g.stringList(d+1)
	case 16:
		g.use("in_int_list")
		return g.intExpr(d+1) + " in " + g.intList(d+1)
	case 17:
		g.use("in_empty_list")
		return g.from(g.intExpr(d+1), g.stringExpr(d+1)) + " in []"
	case 18:
		g.use("in_policy_list")
		return g.stringExpr(d+1) + " in lists." + g.from("risky_countries", "empty")
	case 19:
		m := g.from("exists", "all", "exists_one")
		g.use("items_" + m)
		return "txn.line_items." + m + "(" + g.withItem(func(v string) string { return v + ", " + g.boolExpr(d+1) }) + ")"
	case 20:
		m := g.from("exists", "all", "exists_one")
		g.use("int_list_" + m)
		list := g.intList(d + 1)
		return list + "." + m + "(" + g.withInt(func(v string) string { return v + ", " + g.boolExpr(d+1) }) + ")"
	case 21:
		fn := g.from("contains", "intersects")
		g.use("sets_" + fn)
		return "sets." + fn + "(" + g.intList(d+1) + ", " + g.intList(d+1) + ")"
	case 22:
		g.use("dyn_eq")
		return "dyn(" + g.intExpr(d+1) + ") " + g.from("==", "!=") + " dyn(" + g.doubleExpr(d+1) + ")"
	case 23:
		g.use("list_concat_size")
		return "(" + g.stringList(d+1) + " + " + g.stringList(d+1) + ").size() " + g.from(cmpOps...) + " " + g.intExpr(d+1)
	case 24:
		g.use("list_eq")
		return g.stringList(d+1) + " " + g.from("==", "!=") + " " + g.stringList(d+1)
	case 25:
		g.use("eq_bool")
		return g.boolAtom(d+1) + " " + g.from("==", "!=") + " " + g.boolAtom(d+1)
	case 26:
		g.use("in_cidrs")
		return g.from("txn.ip", g.stringExpr(d+1)) + " in lists.tor_exits"
	case 27:
		g.use("map_index")
		return `{"NG": 3, "US": 1}[` + g.stringExpr(d+1) + "] " + g.from(cmpOps...) + " " + g.intExpr(d+1)
	case 28:
		g.use("optional_index")
		return `{"NG": 3, "US": 1}[?` + g.stringExpr(d+1) + "].orValue(" + g.intExpr(d+1) + ") " + g.from(cmpOps...) + " " + g.intExpr(d+1)
	case 29:
		g.use("cel_bind")
		value := g.intExpr(d + 1)
		return "cel.bind(" + g.withInt(func(v string) string { return v + ", " + value + ", " + g.boolExpr(d+1) }) + ")"
	case 30:
		m := g.from("all", "exists")
		g.use("two_var_" + m)
		list := g.intList(d + 1)
		return list + "." + m + "(" + g.withInt(func(i string) string {
			return i + ", " + g.withInt(func(v string) string { return v + ", " + g.boolExpr(d+1) })
		}) + ")"
	case 31:
		g.use("cmp_uint")
		return g.uintExpr(d+1) + " " + g.from(cmpOps...) + " " + g.uintExpr(d+1)
	case 32:
		g.use("type_of")
		arg := g.from("dyn("+g.intExpr(d+1)+")", "dyn("+g.doubleExpr(d+1)+")", "dyn("+g.stringExpr(d+1)+")")
		return "type(" + arg + ") == " + g.from("int", "double", "string", "uint")
	case 33:
		fn := g.from("math.isNaN", "math.isInf", "math.isFinite")
		g.use(fn)
		return fn + "(" + g.doubleExpr(d+1) + ")"
	case 34:
		g.use("bytes_size")
		return "bytes(" + g.stringExpr(d+1) + ").size() " + g.from(cmpOps...) + " " + g.intExpr(d+1)
	case 35:
		g.use("optional_of")
		return g.from("optional.of("+g.intExpr(d+1)+")", "optional.none()") + ".orValue(" + g.intExpr(d+1) + ") " + g.from(cmpOps...) + " " + g.intExpr(d+1)
	default:
		g.use("in_params")
		return g.from("params.tag", g.stringExpr(d+1)) + " == params.tag"
	}
}

// boolAtom is a bool expression safe to write after a unary operator.
func (g *ruleGen) boolAtom(d int) string { return "(" + g.boolExpr(d) + ")" }

func (g *ruleGen) withItem(body func(v string) string) string {
	v := "l" + strconv.Itoa(len(g.items))
	g.items = append(g.items, v)
	defer func() { g.items = g.items[:len(g.items)-1] }()
	return body(v)
}

func (g *ruleGen) withInt(body func(v string) string) string {
	v := "n" + strconv.Itoa(len(g.ints))
	g.ints = append(g.ints, v)
	defer func() { g.ints = g.ints[:len(g.ints)-1] }()
	return body(v)
}

var intFields = []string{
	"signals.accounts_per_ip_1h", "signals.accounts_per_ip_24h", "signals.accounts_per_device_1h",
	"signals.accounts_per_device_24h", "signals.accounts_per_card_1h", "signals.accounts_per_card_24h",
	"signals.purchases_24h", "signals.distinct_cards_24h", "signals.failed_payments_24h",
	"customer.history.invoices_paid", "customer.history.invoices_paid_late", "customer.history.chargebacks",
	"params.limit",
}

func (g *ruleGen) intExpr(d int) string {
	switch g.choose(d, 3, 26) {
	case 0:
		return g.from("0", "1", "-1", "2", "7", "100", "9223372036854775807", "(-9223372036854775807 - 1)")
	case 1:
		return g.from(intFields...)
	case 2:
		if len(g.ints) > 0 {
			return g.from(g.ints...)
		}
		if len(g.items) > 0 {
			return g.items[len(g.items)-1] + ".quantity"
		}
		return "3"
	case 3, 4, 5, 6, 7:
		op := []string{"+", "-", "*", "/", "%"}[g.pick(5)]
		g.use("int_arith_" + op)
		return "(" + g.intExpr(d+1) + " " + op + " " + g.intExpr(d+1) + ")"
	case 8:
		g.use("int_neg")
		return "-(" + g.intExpr(d+1) + ")"
	case 9:
		g.use("size_string")
		return "size(" + g.stringExpr(d+1) + ")"
	case 10:
		g.use("size_items")
		return g.from("size(txn.line_items)", "txn.line_items.size()")
	case 11:
		g.use("int_of_double")
		return "int(" + g.doubleExpr(d+1) + ")"
	case 12:
		g.use("int_of_string")
		return "int(" + g.stringExpr(d+1) + ")"
	case 13:
		g.use("int_of_timestamp")
		return "int(" + g.timeExpr(d+1) + ")"
	case 14:
		g.use("int_of_duration")
		return "int(" + g.durExpr(d+1) + ")"
	case 15:
		acc := g.from("getFullYear", "getMonth", "getDayOfMonth", "getDayOfWeek", "getDayOfYear", "getHours", "getMinutes")
		tz := g.from("", "", `"America/New_York"`, `"UTC"`)
		g.use("timestamp_" + acc)
		return g.timeAtom(d+1) + "." + acc + "(" + tz + ")"
	case 16:
		acc := g.from("getHours", "getMinutes", "getSeconds")
		g.use("duration_" + acc)
		return g.durAtom(d+1) + "." + acc + "()"
	case 17:
		fn := g.from("math.abs", "math.greatest", "math.least")
		g.use(fn + "_int")
		if fn == "math.abs" {
			return fn + "(" + g.intExpr(d+1) + ")"
		}
		return fn + "(" + g.intExpr(d+1) + ", " + g.intExpr(d+1) + ")"
	case 18:
		g.use("cond_int")
		return "(" + g.boolExpr(d+1) + " ? " + g.intExpr(d+1) + " : " + g.intExpr(d+1) + ")"
	case 19:
		g.use("items_filter_size")
		return "txn.line_items.filter(" + g.withItem(func(v string) string { return v + ", " + g.boolExpr(d+1) }) + ").size()"
	case 20:
		g.use("size_int_list")
		return "size(" + g.intList(d+1) + ")"
	case 22, 23:
		fn := g.from("indexOf", "lastIndexOf")
		g.use("string_" + fn)
		return g.stringAtom(d+1) + "." + fn + "(" + g.stringExpr(d+1) + ")"
	case 24:
		g.use("string_split_size")
		return g.stringAtom(d+1) + ".split(" + g.stringExpr(d+1) + ").size()"
	case 25:
		g.use("math.greatest_3")
		return "math.greatest(" + g.intExpr(d+1) + ", " + g.intExpr(d+1) + ", " + g.intExpr(d+1) + ")"
	default:
		g.use("int_list_map_size")
		list := g.intList(d + 1)
		return list + ".map(" + g.withInt(func(v string) string { return v + ", " + g.intExpr(d+1) }) + ").size()"
	}
}

func (g *ruleGen) uintExpr(d int) string {
	switch g.choose(d, 1, 4) {
	case 0:
		return g.from("0u", "1u", "7u", "18446744073709551615u")
	case 1:
		g.use("uint_of_int")
		return "uint(" + g.intExpr(d+1) + ")"
	case 2:
		op := g.from("+", "-", "*", "/", "%")
		g.use("uint_arith_" + op)
		return "(" + g.uintExpr(d+1) + " " + op + " " + g.uintExpr(d+1) + ")"
	default:
		g.use("uint_of_double")
		return "uint(" + g.doubleExpr(d+1) + ")"
	}
}

func (g *ruleGen) intList(d int) string {
	if d >= maxGenDepth {
		return g.from("[1, 2, 3]", "[0]", "[]")
	}
	n := g.pick(4)
	if n > 0 {
		g.use("int_list_literal")
	}
	elems := make([]string, n)
	for i := range elems {
		elems[i] = g.intExpr(d + 1)
	}
	return "[" + strings.Join(elems, ", ") + "]"
}

func (g *ruleGen) stringList(d int) string {
	switch g.choose(d, 2, 5) {
	case 0:
		return g.from(`["NG", "US"]`, `[""]`, `["a", "b", "c"]`)
	case 1:
		return "[]"
	case 2:
		g.use("items_map_sku")
		return "txn.line_items.map(" + g.withItem(func(v string) string { return v + ", " + v + "." + g.from("sku", "category") }) + ")"
	case 3:
		g.use("items_filter_map")
		var cond string
		return "txn.line_items.filter(" + g.withItem(func(v string) string {
			cond = v + ", " + g.boolExpr(d+1)
			return cond
		}) + ").map(" + g.withItem(func(v string) string { return v + ", " + v + ".sku" }) + ")"
	default:
		g.use("string_list_literal")
		n := 1 + g.pick(3)
		elems := make([]string, n)
		for i := range elems {
			elems[i] = g.stringExpr(d + 1)
		}
		return "[" + strings.Join(elems, ", ") + "]"
	}
}

func (g *ruleGen) doubleExpr(d int) string {
	switch g.choose(d, 2, 10) {
	case 0:
		return g.from("0.0", "1.5", "-2.5", "0.1", "1e308", "-1e308", "params.ratio")
	case 1:
		return "double(" + g.from(intFields...) + ")"
	case 2, 3, 4, 5:
		op := []string{"+", "-", "*", "/"}[g.pick(4)]
		g.use("double_arith_" + op)
		return "(" + g.doubleExpr(d+1) + " " + op + " " + g.doubleExpr(d+1) + ")"
	case 6:
		g.use("double_of_int")
		return "double(" + g.intExpr(d+1) + ")"
	case 7:
		g.use("double_of_string")
		return "double(" + g.stringExpr(d+1) + ")"
	case 8:
		fn := g.from("math.abs", "math.ceil", "math.floor", "math.round", "math.trunc")
		g.use(fn + "_double")
		return fn + "(" + g.doubleExpr(d+1) + ")"
	default:
		g.use("cond_double")
		return "(" + g.boolExpr(d+1) + " ? " + g.doubleExpr(d+1) + " : " + g.doubleExpr(d+1) + ")"
	}
}

var stringFields = []string{
	"customer.id", "customer.kind", "customer.country", "customer.email", "customer.phone",
	"customer.identity", "customer.business_registration", "customer.credit.status", "customer.credit.band",
	"payment.type", "payment.funding", "payment.issuing_country", "payment.cvc", "payment.address",
	"payment.three_ds", "payment.fingerprint", "txn.id", "txn.customer_id", "txn.kind", "txn.ip",
	"txn.ip_country", "txn.device_id", "txn.billing.line1", "txn.billing.city", "txn.billing.postal_code",
	"txn.billing.country", "params.tag",
}

func (g *ruleGen) stringExpr(d int) string {
	switch g.choose(d, 3, 15) {
	case 0:
		return g.from(`""`, `"a"`, `"NG"`, `"US"`, `"card"`, `"ÄbC "`, `"abc"`, `"12"`, `"gpu_compute"`)
	case 1:
		return g.from(stringFields...)
	case 2:
		if len(g.items) > 0 {
			return g.items[len(g.items)-1] + "." + g.from("sku", "category")
		}
		return `"x"`
	case 3:
		g.use("string_concat")
		return "(" + g.stringExpr(d+1) + " + " + g.stringExpr(d+1) + ")"
	case 4:
		fn := g.from("lowerAscii", "upperAscii", "trim")
		g.use("string_" + fn)
		return g.stringAtom(d+1) + "." + fn + "()"
	case 5:
		g.use("string_of_int")
		return "string(" + g.intExpr(d+1) + ")"
	case 6:
		g.use("string_of_double")
		return "string(" + g.doubleExpr(d+1) + ")"
	case 7:
		g.use("string_of_timestamp")
		return "string(" + g.timeExpr(d+1) + ")"
	case 8:
		g.use("string_of_duration")
		return "string(" + g.durExpr(d+1) + ")"
	case 10:
		g.use("string_replace")
		return g.stringAtom(d+1) + ".replace(" + g.stringExpr(d+1) + ", " + g.stringExpr(d+1) + ")"
	case 11:
		g.use("string_substring")
		return g.stringAtom(d+1) + ".substring(" + g.intExpr(d+1) + ")"
	case 12:
		g.use("string_charAt")
		return g.stringAtom(d+1) + ".charAt(" + g.intExpr(d+1) + ")"
	case 13:
		g.use("list_join")
		return g.stringList(d+1) + ".join(" + g.stringExpr(d+1) + ")"
	case 14:
		g.use("string_format")
		return `"%s-%d".format([` + g.stringExpr(d+1) + ", " + g.intExpr(d+1) + "])"
	default:
		g.use("cond_string")
		return "(" + g.boolExpr(d+1) + " ? " + g.stringExpr(d+1) + " : " + g.stringExpr(d+1) + ")"
	}
}

// stringAtom is a string expression safe as the receiver of a method.
func (g *ruleGen) stringAtom(d int) string {
	s := g.stringExpr(d)
	if strings.HasPrefix(s, "(") || !strings.ContainsAny(s, " +?") {
		return s
	}
	return "(" + s + ")"
}

func (g *ruleGen) timeExpr(d int) string {
	switch g.choose(d, 2, 5) {
	case 0:
		return g.from("txn.time", "customer.created_at", "customer.history.first_payment_at")
	case 1:
		lit := g.from(`timestamp("2026-03-01T12:00:00Z")`, `timestamp("1970-01-01T00:00:00Z")`,
			`timestamp("0001-01-01T00:00:00Z")`, `timestamp("9999-12-31T23:59:59Z")`, `timestamp("2026-03-01T12:00:00+05:30")`)
		if strings.Contains(lit, "0001-") || strings.Contains(lit, "9999-") {
			g.use("timestamp_extreme_literal")
		}
		return lit
	case 2:
		g.use("timestamp_plus_duration")
		return "(" + g.timeExpr(d+1) + " + " + g.durExpr(d+1) + ")"
	case 3:
		g.use("timestamp_minus_duration")
		return "(" + g.timeExpr(d+1) + " - " + g.durExpr(d+1) + ")"
	default:
		g.use("timestamp_of_int")
		return "timestamp(" + g.intExpr(d+1) + ")"
	}
}

func (g *ruleGen) timeAtom(d int) string { return g.timeExpr(d) }

func (g *ruleGen) durExpr(d int) string {
	switch g.choose(d, 1, 5) {
	case 0:
		return g.from(`duration("1h")`, `duration("0s")`, `duration("-90m")`, `duration("8760h")`,
			`duration("72h")`, `duration("1.5s")`, `duration("2562047h")`)
	case 1:
		g.use("timestamp_minus_timestamp")
		return "(" + g.timeExpr(d+1) + " - " + g.timeExpr(d+1) + ")"
	case 2:
		op := g.from("+", "-")
		g.use("duration_arith_" + op)
		return "(" + g.durExpr(d+1) + " " + op + " " + g.durExpr(d+1) + ")"
	case 3:
		g.use("duration_of_string")
		return "duration(" + g.stringExpr(d+1) + ")"
	default:
		g.use("cond_duration")
		return "(" + g.boolExpr(d+1) + " ? " + g.durExpr(d+1) + " : " + g.durExpr(d+1) + ")"
	}
}

func (g *ruleGen) durAtom(d int) string { return g.durExpr(d) }

func (g *ruleGen) moneyExpr(d int) string {
	switch g.choose(d, 2, 3) {
	case 0:
		return g.from("txn.amount", "customer.credit_limit", "customer.prepaid_balance", "customer.outstanding_balance",
			"customer.history.amount_paid", "signals.unbilled_usage", "params.large")
	case 1:
		if len(g.items) > 0 {
			return g.items[len(g.items)-1] + ".amount"
		}
		return "txn.amount"
	default:
		g.use("money_add")
		return "(" + g.moneyExpr(d+1) + " + " + g.moneyExpr(d+1) + ")"
	}
}

// genCheckout builds a checkout from bytes, with missing signals, zero
// values and extremes, and names the input features that appear.
func genCheckout(data []byte) (Checkout, []string) {
	g := &ruleGen{data: data}
	var features []string
	feature := func(f string) {
		if !slices.Contains(features, f) {
			features = append(features, f)
		}
	}
	str := func(pool ...string) string { return g.from(pool...) }
	someStrings := []string{"", "US", "NG", "abc", "ÄbC ", "12", "a", strings.Repeat("x", 256), "gpu_compute"}
	ints := []int64{0, 1, -1, 3, 100, math.MaxInt64, math.MinInt64}
	i64 := func() int64 {
		v := ints[g.pick(len(ints))]
		if v == math.MaxInt64 || v == math.MinInt64 {
			feature("input_extreme_int")
		}
		return v
	}
	money := func() Money {
		switch g.pick(6) {
		case 0:
			return Money{} // missing
		case 1:
			return MustMoney("0.00 USD")
		case 2:
			return MustMoney("500.00 USD")
		case 3:
			return MustMoney("750.00 EUR")
		case 4:
			m, _ := NewMoney(math.MaxInt64, "USD")
			feature("input_extreme_money")
			return m
		}
		return MustMoney("12.34 USD")
	}
	moneyPresent := func() Money {
		if m := money(); !m.IsZero() {
			return m
		}
		return MustMoney("1.00 USD")
	}
	instant := func() time.Time {
		switch g.pick(6) {
		case 0:
			return time.Time{} // missing
		case 1:
			return time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
		case 2:
			return time.Date(2025, 3, 1, 11, 59, 59, 999999999, time.UTC)
		case 3:
			feature("input_extreme_time")
			return time.Date(1, 1, 1, 0, 0, 1, 0, time.UTC)
		case 4:
			feature("input_extreme_time")
			return time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC)
		}
		return time.Date(2026, 2, 28, 23, 30, 0, 0, time.UTC)
	}
	signal := func() Signal {
		if g.pick(3) == 0 {
			return Signal{}
		}
		return Known(i64())
	}
	verif := func() Verification { return Verification(str("", "pending", "verified", "failed")) }
	check := func() CheckResult { return CheckResult(str("", "pass", "fail", "unavailable")) }
	var c Checkout
	cu := &c.Customer
	cu.ID = str(someStrings...)
	cu.Kind = CustomerKind(str("individual", "business", ""))
	cu.Country = str(someStrings...)
	cu.CreatedAt = instant()
	cu.Email, cu.Phone, cu.Identity, cu.BusinessRegistration = verif(), verif(), verif(), verif()
	cu.MFA = g.pick(2) == 1
	cu.Credit = CreditCheck{Status: verif(), Band: str("", "A", "E")}
	cu.PersonalContact = g.pick(2) == 1
	cu.History = PaymentHistory{InvoicesPaid: i64(), InvoicesPaidLate: i64(), AmountPaid: money(), Chargebacks: i64(), FirstPaymentAt: instant()}
	cu.CreditLimit, cu.PrepaidBalance, cu.OutstandingBalance = money(), money(), money()
	c.Payment = PaymentInstrument{Type: InstrumentType(str("card", "wallet", "")), Funding: Funding(str("credit", "prepaid", "")),
		IssuingCountry: str(someStrings...), CVC: check(), Address: check(), ThreeDS: check(), Fingerprint: str(someStrings...)}
	tx := &c.Transaction
	tx.ID, tx.CustomerID = str(someStrings...), str(someStrings...)
	tx.Amount = money()
	tx.Kind = TransactionKind(str("first_purchase", "renewal", ""))
	tx.CardPresent = g.pick(2) == 1
	tx.IP, tx.IPCountry, tx.DeviceID = str("", "203.0.113.7", "::1", "not-an-ip"), str(someStrings...), str(someStrings...)
	tx.Billing = Address{Line1: str(someStrings...), City: str(someStrings...), PostalCode: str(someStrings...), Country: str(someStrings...)}
	tx.Time = instant()
	n := g.pick(4)
	if n == 3 {
		n = maxLineItems
		feature("input_max_line_items")
	}
	for i := range n {
		tx.LineItems = append(tx.LineItems, LineItem{SKU: str(someStrings...) + strconv.Itoa(i%3),
			Category: str("gpu_compute", "compute", "", "storage"), Quantity: i64(), Amount: moneyPresent()})
	}
	si := &c.Signals
	si.AccountsPerIP1h, si.AccountsPerIP24h, si.AccountsPerDevice1h = signal(), signal(), signal()
	si.AccountsPerDevice24h, si.AccountsPerCard1h, si.AccountsPerCard24h = signal(), signal(), signal()
	si.Purchases24h, si.DistinctCards24h, si.FailedPayments24h = signal(), signal(), signal()
	si.UnbilledUsage = money()
	return c, features
}

// describeCheckout shows a checkout as JSON, which leaves unset fields out.
func describeCheckout(c *Checkout) string {
	b, err := json.Marshal(c)
	if err != nil {
		return fmt.Sprintf("%+v", *c)
	}
	if len(b) > 2000 {
		return string(b[:2000]) + "…"
	}
	return string(b)
}

// differentialPin is one pinned disagreement: the production or input
// feature that provokes it, a minimal rule and input showing it, and why.
type differentialPin struct {
	production, input, expr, reason string
}

const differentialPinPath = "testdata/differential_failures.txt"

func loadDifferentialPins(tb testing.TB) []differentialPin {
	tb.Helper()
	var pins []differentialPin
	for _, l := range readBarLines(tb, differentialPinPath) {
		f := l.fields
		if len(f) != 4 {
			tb.Fatalf("%s:%d: want `production | input | rule | reason`", differentialPinPath, l.n)
		}
		pins = append(pins, differentialPin{production: f[0], input: f[1], expr: f[2], reason: f[3]})
	}
	return pins
}

// differentialInputs are the named inputs the pinned minimal forms run on.
func differentialInputs() map[string]Checkout {
	at := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	typical := Checkout{
		Customer: Customer{ID: "c1", Kind: Individual, Country: "US", CreatedAt: at.Add(-48 * time.Hour),
			CreditLimit: MustMoney("1000.00 USD"), History: PaymentHistory{InvoicesPaid: 3}},
		Payment: PaymentInstrument{Type: Card, Funding: Credit, IssuingCountry: "US"},
		Transaction: Transaction{ID: "t1", Amount: MustMoney("120.00 USD"), Kind: FirstPurchase, Time: at,
			LineItems: []LineItem{{SKU: "gpu-1", Category: CategoryGPUCompute, Quantity: 2, Amount: MustMoney("120.00 USD")}}},
		Signals: Signals{AccountsPerIP1h: Known(1), Purchases24h: Known(0)},
	}
	extreme := typical
	extreme.Customer.CreatedAt = time.Date(1, 1, 1, 0, 0, 1, 0, time.UTC)
	extreme.Transaction.Time = time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC)
	extreme.Customer.History.InvoicesPaid = math.MaxInt64
	return map[string]Checkout{"zero": {}, "typical": typical, "extreme": extreme}
}

// TestDifferentialKnownFailures checks that every pinned disagreement still
// disagrees, so that a fix shows up as a line to delete.
func TestDifferentialKnownFailures(t *testing.T) {
	h := newDifferential(t)
	inputs := differentialInputs()
	for _, p := range loadDifferentialPins(t) {
		in, ok := inputs[p.input]
		if !ok {
			t.Errorf("%s: unknown input %q", p.production, p.input)
			continue
		}
		if want, detail := h.celGo(p.expr, &in); want == "rejected" {
			t.Errorf("%s: cel-go rejects %s: %s", p.production, p.expr, detail)
			continue
		}
		if why, _ := h.differ(p.expr, &in); why == "" {
			t.Errorf("%s: %s on %s now agrees with cel-go; remove it from %s", p.production, p.expr, p.input, differentialPinPath)
		} else {
			t.Logf("%s: %s on %s: %s", p.production, p.expr, p.input, why)
		}
	}
}
