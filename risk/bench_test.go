package risk

import (
	"bufio"
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"net/netip"
	"reflect"
	"slices"
	"testing"
	"time"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
	"cel.dev/cel-go/common/types/traits"
	"cel.dev/cel-go/ext"
	"github.com/riskkit/riskkit/examples"
)

// The benchmarks evaluate the example checkout policy on the example data
// three ways: with the engine, the obvious cel-go way (one program per rule,
// ext.NativeTypes over plain mirror structs, a map activation per decision),
// and as the same rules hand-written in Go.

func loadCheckouts(tb testing.TB) (*Policy, []Labeled[Checkout]) {
	tb.Helper()
	src, err := examples.Policy("checkout.yaml")
	if err != nil {
		tb.Fatal(err)
	}
	p, err := ParsePolicy(src)
	if err != nil {
		tb.Fatal(err)
	}
	data, err := examples.Data("transactions.jsonl")
	if err != nil {
		tb.Skip("example data not generated:", err)
	}
	var out []Labeled[Checkout]
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var l Labeled[Checkout]
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			tb.Fatal(err)
		}
		out = append(out, l)
	}
	return p, out
}

func BenchmarkEvaluate(b *testing.B) {
	p, data := loadCheckouts(b)
	inputs := make([]Checkout, len(data))
	for i, l := range data {
		inputs[i] = l.Input
	}
	b.Run("engine", func(b *testing.B) {
		e, err := CompilePolicy(p, CheckoutSchema())
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			_ = e.Evaluate(&inputs[i%len(inputs)])
		}
	})
	b.Run("celgo", func(b *testing.B) {
		base := newCELBaseline(b, p)
		mirrors := make([]nCheckout, len(inputs))
		for i := range inputs {
			mirrors[i] = mirror(&inputs[i])
		}
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			_ = base.evaluate(&mirrors[i%len(mirrors)])
		}
	})
	b.Run("go", func(b *testing.B) {
		g := newGoBaseline(b, p)
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			_ = g.evaluate(&inputs[i%len(inputs)])
		}
	})
}

// BenchmarkEvaluateQuiet measures a decision on which no rule fires, the
// case the allocation target is stated for.
func BenchmarkEvaluateQuiet(b *testing.B) {
	p, data := loadCheckouts(b)
	e, err := CompilePolicy(p, CheckoutSchema())
	if err != nil {
		b.Fatal(err)
	}
	for _, l := range data {
		in := l.Input
		if d := e.Evaluate(&in); len(d.Hits)+len(d.Shadow)+len(d.Missing)+len(d.Errors) == 0 {
			b.ReportAllocs()
			for b.Loop() {
				_ = e.Evaluate(&in)
			}
			return
		}
	}
	b.Skip("no input on which nothing fires")
}

func BenchmarkEvaluateParallel(b *testing.B) {
	p, data := loadCheckouts(b)
	e, err := CompilePolicy(p, CheckoutSchema())
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			_ = e.Evaluate(&data[i%len(data)].Input)
			i++
		}
	})
}

// BenchmarkBacktest reports decisions per second for a whole backtest.
func BenchmarkBacktest(b *testing.B) {
	p, data := loadCheckouts(b)
	e, err := CompilePolicy(p, CheckoutSchema())
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		_ = e.Backtest(slices.Values(data))
	}
	b.ReportMetric(float64(b.N*len(data))/b.Elapsed().Seconds(), "decisions/s")
}

// TestBaselinesAgree checks that the three implementations reach the same
// outcome wherever the baselines can: the mirror structs read an unsupplied
// signal as zero, so inputs with missing signals are left out.
func TestBaselinesAgree(t *testing.T) {
	p, data := loadCheckouts(t)
	e, err := CompilePolicy(p, CheckoutSchema())
	if err != nil {
		t.Fatal(err)
	}
	base := newCELBaseline(t, p)
	g := newGoBaseline(t, p)
	compared := 0
	for _, l := range data {
		d := e.Evaluate(&l.Input)
		if len(d.Missing) > 0 || len(d.Errors) > 0 {
			continue
		}
		compared++
		m := mirror(&l.Input)
		want := fmt.Sprint(d.Outcome, d.Score, ids(d.Hits))
		if got := base.evaluate(&m); fmt.Sprint(got.Outcome, got.Score, ids(got.Hits)) != want {
			t.Errorf("%s: cel-go baseline %s, engine %s", l.ID, got.String(), want)
		}
		if got := g.evaluate(&l.Input); fmt.Sprint(got.Outcome, got.Score, ids(got.Hits)) != want {
			t.Errorf("%s: Go baseline %s, engine %s", l.ID, got.String(), want)
		}
	}
	if compared < len(data)/3 {
		t.Errorf("compared only %d of %d inputs", compared, len(data))
	}
}

func ids(hits []Hit) []string {
	out := make([]string, len(hits))
	for i, h := range hits {
		out[i] = h.RuleID
	}
	return out
}

// outcomeOf combines hits the way the engine does, for the baselines.
func outcomeOf(p *Policy, score int64, hits []Hit) Outcome {
	rank := func(o Outcome) int { return slices.Index(p.Outcomes, o) }
	best := len(p.Outcomes) - 1
	for _, h := range hits {
		if h.Action == AllowAction {
			return p.Outcomes[best]
		}
	}
	for _, h := range hits {
		if h.Action != "" {
			best = min(best, rank(h.Action))
		}
	}
	for _, b := range p.Bands { // the example policy lists bands from the highest
		if score >= b.MinScore {
			best = min(best, rank(b.Outcome))
			break
		}
	}
	return p.Outcomes[best]
}

// The obvious cel-go way.

// nMoney is money as the obvious cel-go host would pass it: a custom value,
// typed dyn, that implements traits.Adder, traits.Comparer and traits.Indexer,
// because cel-go's operators dispatch to Add and Compare, and field selection
// on a dyn value to Get.
type nMoney struct {
	Minor    int64  `json:"minor"`
	Currency string `json:"currency"`
}

var nMoneyType = types.NewObjectType("risk.nMoney", traits.AdderType, traits.ComparerType, traits.IndexerType)

func (m nMoney) ConvertToNative(reflect.Type) (any, error) { return m, nil }
func (m nMoney) ConvertToType(ref.Type) ref.Val            { return types.NewErr("no conversion") }
func (m nMoney) Equal(o ref.Val) ref.Val                   { return types.Bool(o.Value() == any(m)) }
func (m nMoney) Type() ref.Type                            { return nMoneyType }
func (m nMoney) Value() any                                { return m }
func (m nMoney) Compare(o ref.Val) ref.Val {
	y, ok := o.Value().(nMoney)
	if !ok || y.Currency != m.Currency {
		return types.NewErr("currency mismatch")
	}
	return types.Int(cmp.Compare(m.Minor, y.Minor))
}

func (m nMoney) Add(o ref.Val) ref.Val {
	y, ok := o.Value().(nMoney)
	if !ok || y.Currency != m.Currency {
		return types.NewErr("currency mismatch")
	}
	return nMoney{Minor: m.Minor + y.Minor, Currency: m.Currency}
}

func (m nMoney) Get(field ref.Val) ref.Val {
	switch field {
	case types.String("minor"):
		return types.Int(m.Minor)
	case types.String("currency"):
		return types.String(m.Currency)
	}
	return types.NewErr("no such field %v", field)
}

type nCredit struct {
	Status string `json:"status"`
	Band   string `json:"band"`
}

type nHistory struct {
	InvoicesPaid     int64     `json:"invoices_paid"`
	InvoicesPaidLate int64     `json:"invoices_paid_late"`
	AmountPaid       ref.Val   `json:"amount_paid"`
	Chargebacks      int64     `json:"chargebacks"`
	FirstPaymentAt   time.Time `json:"first_payment_at"`
}

type nCustomer struct {
	ID                   string    `json:"id"`
	Kind                 string    `json:"kind"`
	Country              string    `json:"country"`
	CreatedAt            time.Time `json:"created_at"`
	Email                string    `json:"email"`
	Phone                string    `json:"phone"`
	MFA                  bool      `json:"mfa"`
	Identity             string    `json:"identity"`
	BusinessRegistration string    `json:"business_registration"`
	Credit               nCredit   `json:"credit"`
	PersonalContact      bool      `json:"personal_contact"`
	History              nHistory  `json:"history"`
	CreditLimit          ref.Val   `json:"credit_limit"`
	PrepaidBalance       ref.Val   `json:"prepaid_balance"`
	OutstandingBalance   ref.Val   `json:"outstanding_balance"`
}

type nPayment struct {
	Type           string `json:"type"`
	Funding        string `json:"funding"`
	IssuingCountry string `json:"issuing_country"`
	CVC            string `json:"cvc"`
	Address        string `json:"address"`
	ThreeDS        string `json:"three_ds"`
	Fingerprint    string `json:"fingerprint"`
}

type nLineItem struct {
	SKU      string  `json:"sku"`
	Category string  `json:"category"`
	Quantity int64   `json:"quantity"`
	Amount   ref.Val `json:"amount"`
}

type nAddress struct {
	Line1      string `json:"line1"`
	City       string `json:"city"`
	PostalCode string `json:"postal_code"`
	Country    string `json:"country"`
}

type nTxn struct {
	ID          string      `json:"id"`
	CustomerID  string      `json:"customer_id"`
	Amount      ref.Val     `json:"amount"`
	Kind        string      `json:"kind"`
	CardPresent bool        `json:"card_present"`
	LineItems   []nLineItem `json:"line_items"`
	IP          string      `json:"ip"`
	IPCountry   string      `json:"ip_country"`
	DeviceID    string      `json:"device_id"`
	Billing     nAddress    `json:"billing"`
	Time        time.Time   `json:"time"`
}

type nSignals struct {
	AccountsPerIP1h      int64   `json:"accounts_per_ip_1h"`
	AccountsPerIP24h     int64   `json:"accounts_per_ip_24h"`
	AccountsPerDevice1h  int64   `json:"accounts_per_device_1h"`
	AccountsPerDevice24h int64   `json:"accounts_per_device_24h"`
	AccountsPerCard1h    int64   `json:"accounts_per_card_1h"`
	AccountsPerCard24h   int64   `json:"accounts_per_card_24h"`
	Purchases24h         int64   `json:"purchases_24h"`
	DistinctCards24h     int64   `json:"distinct_cards_24h"`
	FailedPayments24h    int64   `json:"failed_payments_24h"`
	UnbilledUsage        ref.Val `json:"unbilled_usage"`
}

type nCheckout struct {
	Customer nCustomer
	Payment  nPayment
	Txn      nTxn
	Signals  nSignals
}

func nm(m Money) ref.Val { return nMoney{Minor: m.Minor(), Currency: m.Currency()} }

func sig(s Signal) int64 { n, _ := s.Get(); return n }

func mirror(c *Checkout) nCheckout {
	cu, pa, tx, si := &c.Customer, &c.Payment, &c.Transaction, &c.Signals
	items := make([]nLineItem, len(tx.LineItems))
	for i, l := range tx.LineItems {
		items[i] = nLineItem{SKU: l.SKU, Category: l.Category, Quantity: l.Quantity, Amount: nm(l.Amount)}
	}
	return nCheckout{
		Customer: nCustomer{ID: cu.ID, Kind: string(cu.Kind), Country: cu.Country, CreatedAt: cu.CreatedAt,
			Email: cu.Email.String(), Phone: cu.Phone.String(), MFA: cu.MFA, Identity: cu.Identity.String(),
			BusinessRegistration: cu.BusinessRegistration.String(),
			Credit:               nCredit{Status: cu.Credit.Status.String(), Band: cu.Credit.Band},
			PersonalContact:      cu.PersonalContact,
			History: nHistory{InvoicesPaid: cu.History.InvoicesPaid, InvoicesPaidLate: cu.History.InvoicesPaidLate,
				AmountPaid: nm(cu.History.AmountPaid), Chargebacks: cu.History.Chargebacks, FirstPaymentAt: cu.History.FirstPaymentAt},
			CreditLimit: nm(cu.CreditLimit), PrepaidBalance: nm(cu.PrepaidBalance), OutstandingBalance: nm(cu.OutstandingBalance)},
		Payment: nPayment{Type: string(pa.Type), Funding: string(pa.Funding), IssuingCountry: pa.IssuingCountry,
			CVC: pa.CVC.String(), Address: pa.Address.String(), ThreeDS: pa.ThreeDS.String(), Fingerprint: pa.Fingerprint},
		Txn: nTxn{ID: tx.ID, CustomerID: tx.CustomerID, Amount: nm(tx.Amount), Kind: string(tx.Kind), CardPresent: tx.CardPresent,
			LineItems: items, IP: tx.IP, IPCountry: tx.IPCountry, DeviceID: tx.DeviceID,
			Billing: nAddress{tx.Billing.Line1, tx.Billing.City, tx.Billing.PostalCode, tx.Billing.Country}, Time: tx.Time},
		Signals: nSignals{sig(si.AccountsPerIP1h), sig(si.AccountsPerIP24h), sig(si.AccountsPerDevice1h), sig(si.AccountsPerDevice24h),
			sig(si.AccountsPerCard1h), sig(si.AccountsPerCard24h), sig(si.Purchases24h), sig(si.DistinctCards24h),
			sig(si.FailedPayments24h), nm(si.UnbilledUsage)},
	}
}

// benchCIDRs carries a CIDR list into cel-go as an opaque value.
type benchCIDRs struct{ set *cidrSet }

var cidrValType = types.NewObjectType("bench.CIDRs", traits.ContainerType)

func (c benchCIDRs) ConvertToNative(reflect.Type) (any, error) { return c.set, nil }
func (c benchCIDRs) ConvertToType(ref.Type) ref.Val            { return types.NewErr("no conversion") }
func (c benchCIDRs) Equal(o ref.Val) ref.Val                   { return types.Bool(o == c) }
func (c benchCIDRs) Type() ref.Type                            { return cidrValType }
func (c benchCIDRs) Value() any                                { return c.set }
func (c benchCIDRs) Contains(ip ref.Val) ref.Val {
	s, ok := ip.(types.String)
	if !ok {
		return types.NewErr("not a string")
	}
	a, err := netip.ParseAddr(string(s))
	if err != nil {
		return types.NewErr("not an IP address")
	}
	return types.Bool(c.set.contains(a))
}

type celBaseline struct {
	policy *Policy
	rules  []celRule
	vars   []celVar
	consts map[string]any
}

type celRule struct {
	r   *Rule
	prg cel.Program
}

type celVar struct {
	name string
	prg  cel.Program
}

func newCELBaseline(tb testing.TB, p *Policy) *celBaseline {
	tb.Helper()
	opts := []cel.EnvOption{
		ext.NativeTypes(reflect.TypeFor[nCheckout](), ext.ParseStructTag("json")),
		ext.Strings(),
		cel.Variable("customer", cel.ObjectType("risk.nCustomer")),
		cel.Variable("payment", cel.ObjectType("risk.nPayment")),
		cel.Variable("txn", cel.ObjectType("risk.nTxn")),
		cel.Variable("signals", cel.ObjectType("risk.nSignals")),
	}
	consts := map[string]any{}
	for name, vals := range p.Lists {
		opts = append(opts, cel.Variable("lists."+name, cel.ListType(cel.StringType)))
		consts["lists."+name] = vals
	}
	for name, ranges := range p.CIDRs {
		set, err := newCIDRSet(name, ranges)
		if err != nil {
			tb.Fatal(err)
		}
		opts = append(opts, cel.Variable("lists."+name, cel.DynType))
		consts["lists."+name] = benchCIDRs{set}
	}
	for name, v := range p.Params {
		switch v := v.(type) {
		case map[string]any:
			m := map[string]any{}
			for k, x := range v {
				m[k] = nm(MustMoney(x.(string)))
			}
			opts = append(opts, cel.Variable("params."+name, cel.MapType(cel.StringType, cel.DynType)))
			consts["params."+name] = m
		case int:
			opts = append(opts, cel.Variable("params."+name, cel.IntType))
			consts["params."+name] = int64(v)
		case string:
			if m, err := ParseMoney(v); err == nil {
				opts = append(opts, cel.Variable("params."+name, cel.DynType))
				consts["params."+name] = nm(m)
			} else {
				opts = append(opts, cel.Variable("params."+name, cel.StringType))
				consts["params."+name] = v
			}
		default:
			tb.Fatalf("param %s: unsupported %T", name, v)
		}
	}
	opts = append(opts, cel.Function("currency", cel.MemberOverload("nmoney_currency", []*cel.Type{cel.DynType}, cel.StringType,
		cel.UnaryBinding(func(v ref.Val) ref.Val { return types.String(v.(nMoney).Currency) }))))
	env, err := cel.NewEnv(opts...)
	if err != nil {
		tb.Fatal(err)
	}
	b := &celBaseline{policy: p, consts: consts}
	// Variables are evaluated in order before the rules, each into the
	// activation, the way a host without an engine would share them.
	for _, v := range p.Variables {
		ast, iss := env.Compile(v.Expression)
		if iss.Err() != nil {
			tb.Fatalf("variable %s: %v", v.Name, iss.Err())
		}
		prg, err := env.Program(ast)
		if err != nil {
			tb.Fatal(err)
		}
		b.vars = append(b.vars, celVar{"variables." + v.Name, prg})
		if env, err = env.Extend(cel.Variable("variables."+v.Name, ast.OutputType())); err != nil {
			tb.Fatal(err)
		}
	}
	for i := range p.Rules {
		r := &p.Rules[i]
		if !r.IsEnabled() {
			continue
		}
		ast, iss := env.Compile(r.When)
		if iss.Err() != nil {
			tb.Fatalf("rule %s: %v", r.ID, iss.Err())
		}
		prg, err := env.Program(ast)
		if err != nil {
			tb.Fatal(err)
		}
		b.rules = append(b.rules, celRule{r, prg})
	}
	return b
}

func (b *celBaseline) evaluate(c *nCheckout) Decision {
	act := map[string]any{"customer": &c.Customer, "payment": &c.Payment, "txn": &c.Txn, "signals": &c.Signals}
	for k, v := range b.consts {
		act[k] = v
	}
	for _, v := range b.vars {
		out, _, _ := v.prg.Eval(act)
		act[v.name] = out
	}
	d := Decision{PolicyID: b.policy.ID, PolicyVersion: b.policy.Version}
	for _, r := range b.rules {
		out, _, err := r.prg.Eval(act)
		if err != nil || out != types.True || r.r.Mode == Shadow {
			continue
		}
		d.Hits = append(d.Hits, hitOf(r.r))
		d.Score += r.r.Score
	}
	d.Outcome = outcomeOf(b.policy, d.Score, d.Hits)
	return d
}

func hitOf(r *Rule) Hit {
	msg := r.Message
	if msg == "" {
		msg = r.Description
	}
	return Hit{RuleID: r.ID, Reason: r.Reason, Score: r.Score, Action: r.Action, Message: msg}
}

// The same rules hand-written in Go.

type goBaseline struct {
	policy  *Policy
	regions map[string]bool
	funding map[string]bool
	strong  map[string]bool
	allow   map[string]bool
	hosting *cidrSet
	tor     *cidrSet
	large   map[string]Money
	hits    []Hit // by goRuleOrder
}

func newGoBaseline(tb testing.TB, p *Policy) *goBaseline {
	tb.Helper()
	set := func(name string) map[string]bool {
		m := map[string]bool{}
		for _, v := range p.Lists[name] {
			m[v] = true
		}
		return m
	}
	g := &goBaseline{policy: p, regions: set("high_risk_regions"), funding: set("high_risk_funding"),
		strong: set("strong_credit_bands"), allow: set("allowlisted_customers"), large: map[string]Money{}}
	var err error
	if g.hosting, err = newCIDRSet("hosting", p.CIDRs["hosting_ranges"]); err != nil {
		tb.Fatal(err)
	}
	if g.tor, err = newCIDRSet("tor", p.CIDRs["tor_exits"]); err != nil {
		tb.Fatal(err)
	}
	for c, m := range p.Params["large_purchase"].(map[string]any) {
		g.large[c] = MustMoney(m.(string))
	}
	for _, id := range goRuleOrder {
		i := slices.IndexFunc(p.Rules, func(r Rule) bool { return r.ID == id })
		if i < 0 {
			tb.Fatalf("rule %s is not in the policy", id)
		}
		g.hits = append(g.hits, hitOf(&p.Rules[i]))
	}
	return g
}

func (g *goBaseline) param(name string) int64 { return int64(g.policy.Params[name].(int)) }

// goRuleOrder names the checks of goBaseline.evaluate, in the same order.
var goRuleOrder = []string{"allowlisted_customer", "high_risk_funding", "cnp_ip_issuer_mismatch", "cnp_billing_issuer_mismatch",
	"cvc_failed", "avs_failed", "no_3ds_large_first_purchase", "high_risk_region", "hosting_ip", "tor_exit_ip",
	"ip_signup_burst_1h", "ip_signup_velocity_24h", "device_signup_burst_1h", "device_signup_velocity_24h",
	"card_shared_1h", "card_shared_24h", "many_cards_24h", "failed_payments_24h", "usage_before_first_payment",
	"unbilled_beyond_cover", "over_credit_limit", "chargeback_history", "gpu_on_new_account",
	"new_account_large_purchase", "identity_failed", "email_not_verified", "phone_not_verified",
	"no_mfa_large_first_purchase", "trusted_tenure", "personal_contact", "verified_business"}

func (g *goBaseline) evaluate(c *Checkout) Decision {
	cu, pa, tx, si := &c.Customer, &c.Payment, &c.Transaction, &c.Signals
	age := tx.Time.Sub(cu.CreatedAt)
	large, known := g.large[tx.Amount.Currency()]
	isLarge := known && tx.Amount.Minor() >= large.Minor()
	cnp := pa.Type == Card && !tx.CardPresent
	gpu := false
	for _, l := range tx.LineItems {
		gpu = gpu || l.Category == CategoryGPUCompute
	}
	ge := func(s Signal, p string) bool { n, ok := s.Get(); return ok && n >= g.param(p) }
	inCIDR := func(set *cidrSet) bool {
		a, err := netip.ParseAddr(tx.IP)
		return err == nil && set.contains(a)
	}
	unbilled, limit, prepaid := si.UnbilledUsage, cu.CreditLimit, cu.PrepaidBalance
	fired := [...]bool{
		g.allow[cu.ID],
		g.funding[string(pa.Funding)],
		cnp && pa.IssuingCountry != "" && tx.IPCountry != "" && pa.IssuingCountry != tx.IPCountry,
		cnp && pa.IssuingCountry != "" && tx.Billing.Country != "" && pa.IssuingCountry != tx.Billing.Country,
		pa.CVC == Fail,
		pa.Address == Fail,
		tx.Kind == FirstPurchase && pa.Type == Card && pa.ThreeDS != Pass && isLarge,
		g.regions[tx.IPCountry] || g.regions[tx.Billing.Country] || g.regions[pa.IssuingCountry],
		tx.IP != "" && inCIDR(g.hosting),
		tx.IP != "" && inCIDR(g.tor),
		ge(si.AccountsPerIP1h, "accounts_per_ip_1h"),
		ge(si.AccountsPerIP24h, "accounts_per_ip_24h"),
		ge(si.AccountsPerDevice1h, "accounts_per_device_1h"),
		ge(si.AccountsPerDevice24h, "accounts_per_device_24h"),
		ge(si.AccountsPerCard1h, "accounts_per_card_1h"),
		ge(si.AccountsPerCard24h, "accounts_per_card_24h"),
		ge(si.DistinctCards24h, "distinct_cards_24h"),
		ge(si.FailedPayments24h, "failed_payments_24h"),
		unbilled.Minor() > 0 && cu.History.InvoicesPaid == 0 && cu.History.FirstPaymentAt.IsZero(),
		!unbilled.IsZero() && !limit.IsZero() && !prepaid.IsZero() &&
			unbilled.Minor() > prepaid.Minor()+limit.Minor(),
		!cu.OutstandingBalance.IsZero() && !limit.IsZero() && cu.OutstandingBalance.Minor() > limit.Minor(),
		cu.History.Chargebacks >= 1,
		gpu && age < 72*time.Hour,
		age < 24*time.Hour && isLarge,
		cu.Identity == Failed || cu.BusinessRegistration == Failed,
		cu.Email != Verified,
		cu.Phone != Verified,
		tx.Kind == FirstPurchase && !cu.MFA && isLarge,
		age >= 8760*time.Hour && cu.History.InvoicesPaid >= g.param("clean_history_invoices") &&
			cu.History.InvoicesPaidLate <= g.param("clean_history_max_late") && cu.History.Chargebacks == 0,
		cu.PersonalContact,
		cu.Kind == Business && cu.BusinessRegistration == Verified &&
			cu.Credit.Status == Verified && g.strong[cu.Credit.Band],
	}
	d := Decision{PolicyID: g.policy.ID, PolicyVersion: g.policy.Version}
	for i, ok := range fired {
		if ok {
			d.Hits = append(d.Hits, g.hits[i])
			d.Score += g.hits[i].Score
		}
	}
	d.Outcome = outcomeOf(g.policy, d.Score, d.Hits)
	return d
}
