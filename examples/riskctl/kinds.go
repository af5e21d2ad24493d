package main

// The policy commands work on every kind of policy riskkit compiles: a
// checkout policy (risk.CheckoutSchema over risk.Checkout), an onboarding
// policy (onboarding.Compile over onboarding.Input) and an enforcement
// policy (abuse.NewEnforcer over abuse.EnforcementCase). The kind is read from the
// document, or given with -kind.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"slices"
	"strings"

	"github.com/riskkit/riskkit/abuse"
	"github.com/riskkit/riskkit/examples"
	"github.com/riskkit/riskkit/internal/text"
	"github.com/riskkit/riskkit/onboarding"
	"github.com/riskkit/riskkit/risk"
	"github.com/riskkit/riskkit/risk/risktest"
	"go.yaml.in/yaml/v3"
)

// kind is a kind of policy.
type kind string

const (
	kindCheckout    kind = "checkout"
	kindOnboarding  kind = "onboarding"
	kindEnforcement kind = "enforcement"
)

// kindFlag is -kind: empty to read the kind from the document.
type kindFlag kind

func (k *kindFlag) String() string { return string(*k) }

func (k *kindFlag) Set(s string) error {
	switch kind(s) {
	case kindCheckout, kindOnboarding, kindEnforcement:
		*k = kindFlag(s)
	case "abuse":
		*k = kindFlag(kindEnforcement)
	default:
		return fmt.Errorf("want checkout, onboarding or enforcement (abuse), not %q", s)
	}
	return nil
}

const kindUsage = "policy `kind`: checkout, onboarding or enforcement (default: read from the policy: a controls section is onboarding, outcomes that are all suspend/throttle/notify/none enforcement, anything else checkout)"

// detectKind reads the kind of a policy from its document: onboarding
// policies have a controls section, and an enforcement policy's outcomes
// are the enforcement actions.
func detectKind(src []byte) kind {
	var doc struct {
		Controls yaml.Node `yaml:"controls"`
		Outcomes []string  `yaml:"outcomes"`
	}
	if yaml.Unmarshal(src, &doc) != nil {
		return kindCheckout // the checkout compiler reports what is wrong
	}
	if !doc.Controls.IsZero() {
		return kindOnboarding
	}
	if len(doc.Outcomes) > 0 && !slices.ContainsFunc(doc.Outcomes, func(o string) bool {
		var a abuse.Enforcement
		return a.UnmarshalText([]byte(o)) != nil || o == ""
	}) {
		return kindEnforcement
	}
	return kindCheckout
}

// policy is a compiled policy of any kind, with what the commands need to
// read its inputs.
type policy interface {
	Kind() kind
	ID() string
	Version() string
	Outcomes() []risk.Outcome
	RuleIDs() []string
	// Source is the policy document.
	Source() []byte
	// evaluate decodes each input line and decides it.
	evaluate(lines *lineReader) iter.Seq2[int, evaluated]
	// test runs a risktest file.
	test(src []byte) ([]risktest.Result, error)
	// backtest scores labelled lines on workers goroutines; with other
	// (of the same kind) it also lists the inputs whose outcome changes
	// from other's. tick is called after each record read.
	backtest(lines *lineReader, flagged []risk.Outcome, other policy, workers int, tick func()) (*risk.Report, []risk.Change, error)
	// inputName says what one input is, for messages.
	inputName() string
	// explain writes every rule's result on one input and the values of
	// the input fields each reads.
	explain(w io.Writer, doc []byte, name string) error
}

// evaluated is one input and its decision.
type evaluated struct {
	id       string
	decision risk.Decision
	input    any // a pointer to the decoded input
}

// typed is a policy over inputs of type T.
type typed[T any] struct {
	kind   kind
	eng    *risk.Engine[T]
	schema *risk.Object[T]
	src    []byte
	input  string
	// decodeEval reads a line to evaluate: an input, or a labelled record
	// whose label is ignored.
	decodeEval    func([]byte) (evalInput[T], *lineError)
	decodeLabeled func([]byte) (risk.Labeled[T], *lineError)
}

func (p *typed[T]) Kind() kind               { return p.kind }
func (p *typed[T]) ID() string               { return p.eng.PolicyID() }
func (p *typed[T]) Version() string          { return p.eng.PolicyVersion() }
func (p *typed[T]) Outcomes() []risk.Outcome { return p.eng.Outcomes() }
func (p *typed[T]) RuleIDs() []string        { return p.eng.RuleIDs() }
func (p *typed[T]) Source() []byte           { return p.src }
func (p *typed[T]) inputName() string        { return p.input }

func (p *typed[T]) evaluate(lines *lineReader) iter.Seq2[int, evaluated] {
	return func(yield func(int, evaluated) bool) {
		for n, in := range records(lines, p.decodeEval) {
			if !yield(n, evaluated{id: in.id, decision: p.eng.Evaluate(in.in), input: in.in}) {
				return
			}
		}
	}
}

func (p *typed[T]) test(src []byte) ([]risktest.Result, error) { return risktest.Check(p.eng, src) }

func (p *typed[T]) backtest(lines *lineReader, flagged []risk.Outcome, other policy, workers int, tick func()) (*risk.Report, []risk.Change, error) {
	opts := risk.BacktestOptions[T]{Flagged: flagged, Workers: workers}
	var changes []risk.Change
	if other != nil {
		o, ok := other.(*typed[T])
		if !ok {
			return nil, nil, usageError("cannot compare a %s policy with a %s policy", p.kind, other.Kind())
		}
		// Both policies score each record as it is read, so the data is
		// read once and stdin works too.
		opts.Baseline = o.eng
		opts.OnChange = func(c risk.Change) { changes = append(changes, c) }
	}
	seq := func(yield func(risk.Labeled[T]) bool) {
		for _, l := range records(lines, p.decodeLabeled) {
			if !yield(l) {
				return
			}
			tick()
		}
	}
	return p.eng.BacktestWith(seq, opts), changes, nil
}

// loadPolicy reads and compiles a policy of kind k, or of the kind its
// document shows when k is empty. A policy that does not compile is
// reported with every problem, each as FILE:LINE:COL.
func loadPolicy(e *env, spec string, k kind) (policy, error) {
	src, err := readSource(e, spec, examples.Policy)
	if err != nil {
		return nil, err
	}
	p, err := compilePolicy(src, k)
	if err != nil {
		ps := policyProblems(displayName(spec), err)
		var b strings.Builder
		fmt.Fprintf(&b, "%s policy %s has %s:", p.Kind(), displayName(spec), text.Plural(len(ps), "problem"))
		for _, p := range ps {
			b.WriteString("\n\t")
			b.WriteString(p.String())
		}
		return nil, errors.New(b.String())
	}
	return p, nil
}

// compilePolicy compiles src as a policy of kind k (read from src when
// empty). On error the policy returned is nil but for its Kind, which
// says what src was compiled as.
func compilePolicy(src []byte, k kind) (policy, error) {
	if k == "" {
		k = detectKind(src)
	}
	switch k {
	case kindOnboarding:
		pol, err := onboarding.Compile(src)
		if err != nil {
			return failed(k), err
		}
		return &typed[onboarding.Input]{kind: k, eng: pol.Engine(), schema: onboarding.InputSchema(), src: src, input: "onboarding input",
			decodeEval:    decodeEnvelope(func(in *onboarding.Input) string { return in.ID }),
			decodeLabeled: decodeLabeled("input", func(in *onboarding.Input) string { return in.ID }, nil)}, nil
	case kindEnforcement:
		// NewEnforcer checks what makes a policy an enforcement policy
		// (its outcomes and deadlines); the engine is compiled the same way.
		if _, err := abuse.NewEnforcer(src); err != nil {
			return failed(k), err
		}
		eng, err := risk.Compile(src, abuse.CaseSchema())
		if err != nil {
			return failed(k), err
		}
		return &typed[abuse.EnforcementCase]{kind: k, eng: eng, schema: abuse.CaseSchema(), src: src, input: "enforcement case",
			decodeEval:    decodeEnvelope(func(c *abuse.EnforcementCase) string { return c.Finding.ID }),
			decodeLabeled: decodeLabeled("case", func(c *abuse.EnforcementCase) string { return c.Finding.ID }, nil)}, nil
	}
	eng, err := risk.Compile(src, risk.CheckoutSchema())
	if err != nil {
		return failed(kindCheckout), err
	}
	return &typed[risk.Checkout]{kind: kindCheckout, eng: eng, schema: risk.CheckoutSchema(), src: src, input: "checkout",
		decodeEval: decodeEvalLine, decodeLabeled: decodeLabeledLine}, nil
}

// failedPolicy is the kind of a policy that did not compile.
type failedPolicy struct {
	policy
	k kind
}

func (f failedPolicy) Kind() kind { return f.k }

func failed(k kind) policy { return failedPolicy{k: k} }

// decodeEnvelope decodes a line to evaluate: a T, or a labelled record
// {"id", "fraud", "input": T} whose label is ignored, so that one data file
// serves both eval and backtest.
func decodeEnvelope[T any](idOf func(*T) string) func([]byte) (evalInput[T], *lineError) {
	return func(b []byte) (evalInput[T], *lineError) {
		var probe struct {
			Input json.RawMessage `json:"input"`
		}
		if json.Unmarshal(b, &probe) == nil && len(probe.Input) > 0 {
			var l struct {
				ID    string `json:"id"`
				Fraud *bool  `json:"fraud"`
				Input *T     `json:"input"`
			}
			if le := decodeStrict(b, &l); le != nil {
				return evalInput[T]{}, le
			}
			id := l.ID
			if id == "" {
				id = idOf(l.Input)
			}
			return evalInput[T]{id: id, in: l.Input}, nil
		}
		v := new(T)
		if le := decodeStrict(b, v); le != nil {
			return evalInput[T]{}, le
		}
		return evalInput[T]{id: idOf(v), in: v}, nil
	}
}

// decodeLabeled decodes one backtest record, {"id", "fraud", "input"}. The
// label and the input are pointers so that a record missing either is an
// error rather than an empty input counted as legitimate. topLevel are the
// input's own keys, which a record that forgot "input" shows.
func decodeLabeled[T any](noun string, idOf func(*T) string, topLevel []string) func([]byte) (risk.Labeled[T], *lineError) {
	return func(b []byte) (risk.Labeled[T], *lineError) {
		var l struct {
			ID    string `json:"id"`
			Fraud *bool  `json:"fraud"`
			Input *T     `json:"input"`
		}
		if err := decodeStrict(b, &l); err != nil {
			if slices.Contains(topLevel, err.Path) || (topLevel == nil && strings.HasPrefix(err.Msg, "unknown key") && !bytes.Contains(b, []byte(`"input"`))) {
				err.Msg += `; backtest records put the ` + noun + ` under "input": {"id": ..., "fraud": true|false, "input": {...}}`
			}
			return risk.Labeled[T]{}, err
		}
		switch {
		case l.Input == nil:
			return risk.Labeled[T]{}, &lineError{Msg: `no "input": backtest records are {"id": ..., "fraud": true|false, "input": {...}}`}
		case l.Fraud == nil:
			return risk.Labeled[T]{}, &lineError{Msg: `no "fraud" label: a backtest needs to know whether each input was fraud`}
		}
		id := l.ID
		if id == "" {
			id = idOf(l.Input)
		}
		return risk.Labeled[T]{ID: id, Fraud: *l.Fraud, Input: *l.Input}, nil
	}
}

// decodeLabeledLine decodes one labelled checkout.
var decodeLabeledLine = decodeLabeled("checkout", func(c *risk.Checkout) string { return c.Transaction.ID },
	[]string{"customer", "payment", "txn", "signals"})
