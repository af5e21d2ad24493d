package risk

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/riskkit/riskkit/internal/decode"
	"github.com/riskkit/riskkit/internal/enum"
	"github.com/riskkit/riskkit/internal/yamlpos"
	"go.yaml.in/yaml/v3"
)

// Outcome is what a policy decides, such as "approve" or "reject". A policy
// lists its own outcomes from most to least severe; these are the ones the
// checkout policies use.
type Outcome string

// Outcomes of checkout policies.
const (
	Approve   Outcome = "approve"
	Challenge Outcome = "challenge"
	Review    Outcome = "review"
	Reject    Outcome = "reject"
)

// Mode says whether a rule affects decisions. The zero Mode, "", is
// Active.
type Mode string

// Rule modes. A shadow rule is evaluated and reported in
// [Decision.Shadow] but never changes the outcome or the score, so a new rule
// can be watched before it is trusted.
const (
	Active Mode = "active"
	Shadow Mode = "shadow"
)

// ErrorMode says what an erroring rule does to a decision. The zero
// ErrorMode, "", is FailOpen.
type ErrorMode string

// Error modes. Under FailOpen (the default) an active rule that errors is
// reported in [Decision.Errors] and otherwise ignored. Under FailClosed it
// also raises the outcome to at least the policy's ErrorOutcome. Shadow rules
// never change the outcome, erroring or not.
const (
	FailOpen   ErrorMode = "fail_open"
	FailClosed ErrorMode = "fail_closed"
)

var (
	modes      = enum.New("risk", "mode", "", Active, Shadow)
	errorModes = enum.New("risk", "on_error", "", FailOpen, FailClosed)
)

// String returns the mode's name; the zero Mode, which means active, is "".
func (m Mode) String() string { return modes.Name(m) }

// MarshalText returns the mode's name, or an error for an unknown mode.
func (m Mode) MarshalText() ([]byte, error) { return modes.Text(m) }

// UnmarshalText accepts "active", "shadow" or "" (active).
func (m *Mode) UnmarshalText(b []byte) (err error) {
	*m, err = modes.Parse(b)
	return err
}

// String returns the error mode's name; the zero ErrorMode, which means
// fail_open, is "".
func (m ErrorMode) String() string { return errorModes.Name(m) }

// MarshalText returns the error mode's name, or an error for an unknown
// one.
func (m ErrorMode) MarshalText() ([]byte, error) { return errorModes.Text(m) }

// UnmarshalText accepts "fail_open", "fail_closed" or "" (fail_open).
func (m *ErrorMode) UnmarshalText(b []byte) (err error) {
	*m, err = errorModes.Parse(b)
	return err
}

// Policy is a policy document. Policies are usually written in YAML or JSON
// and read with [ParsePolicy]; one built in Go is compiled the same way, but
// its problems can name only rule ids, not lines.
type Policy struct {
	ID          string `yaml:"id" json:"id"`
	Version     string `yaml:"version" json:"version"`
	Description string `yaml:"description,omitempty" json:"description,omitempty"`

	// Outcomes lists the outcomes from most to least severe. The last is the
	// outcome when nothing else applies.
	Outcomes []Outcome `yaml:"outcomes" json:"outcomes"`
	// Bands map the total score to an outcome: the band with the highest
	// MinScore at or below the score applies.
	Bands []Band `yaml:"bands,omitempty" json:"bands,omitempty"`
	// OnError is FailOpen (the default when empty) or FailClosed.
	OnError ErrorMode `yaml:"on_error,omitempty" json:"on_error,omitempty"`
	// ErrorOutcome is the outcome a FailClosed policy reaches at least when
	// an active rule errors.
	ErrorOutcome Outcome `yaml:"error_outcome,omitempty" json:"error_outcome,omitempty"`

	// Lists are named sets of strings; rules test membership with
	// `x in lists.name`, a constant-time lookup.
	Lists map[string][]string `yaml:"lists,omitempty" json:"lists,omitempty"`
	// CIDRs are named sets of IP ranges; rules test an address with
	// `ip in lists.name`, also by lookup.
	CIDRs map[string][]string `yaml:"cidrs,omitempty" json:"cidrs,omitempty"`
	// Params are named constants that rules read as params.name: integers,
	// doubles, booleans, strings, and amounts of money written as
	// "500.00 USD".
	//
	// A map of parameters, such as amounts by currency
	// ({EUR: "460.00 EUR", USD: "500.00 USD"}), is a CEL map read as
	// params.name["EUR"]; its values share one type.
	Params map[string]any `yaml:"params,omitempty" json:"params,omitempty"`
	// Variables are named CEL expressions that rules and later variables
	// read as variables.name. Each is computed at most once per decision,
	// and only when a rule needs it.
	Variables []Variable `yaml:"variables,omitempty" json:"variables,omitempty"`
	// DecisionBudget is the cost in CEL cost units that one decision may
	// spend on all its rules together; 0 selects [DefaultDecisionBudget].
	// Rules left when it is spent are rule errors.
	DecisionBudget int64 `yaml:"decision_budget,omitempty" json:"decision_budget,omitempty"`

	Rules []Rule `yaml:"rules" json:"rules"`
}

// Variable is a named CEL sub-expression of a policy.
type Variable struct {
	// Name is an identifier; rules read the value as variables.Name.
	Name string `yaml:"name" json:"name"`
	// Expression is a CEL expression of any type over the policy's input,
	// its lists and parameters, and the variables listed before it.
	Expression string `yaml:"expression" json:"expression"`

	pos exprPos
}

// AllowAction is the action of an allow rule. An active allow rule that
// fires decides the outcome: the policy's default (last, least severe)
// outcome, whatever the actions of other rules, the score band and rule
// errors say. Every rule is still evaluated and reported. An allow rule has
// no score; "allow" cannot name an outcome.
const AllowAction Outcome = "allow"

// Band maps scores of at least MinScore to an outcome.
type Band struct {
	MinScore int64   `yaml:"min_score" json:"min_score"`
	Outcome  Outcome `yaml:"outcome" json:"outcome"`
}

// Rule is one condition of a policy and what it contributes when it holds.
type Rule struct {
	// ID names the rule in decisions; keep it stable across versions.
	ID          string `yaml:"id" json:"id"`
	Description string `yaml:"description,omitempty" json:"description,omitempty"`
	// When is a CEL expression of type bool over the policy's input.
	When string `yaml:"when" json:"when"`
	// Score is added to the decision's score when the rule fires.
	Score int64 `yaml:"score,omitempty" json:"score,omitempty"`
	// Action is an outcome the decision reaches at least when the rule fires.
	Action Outcome `yaml:"action,omitempty" json:"action,omitempty"`
	// Reason is the stable reason code reported when the rule fires.
	Reason string `yaml:"reason" json:"reason"`
	// Message is shown to a person reviewing the decision; it defaults to
	// the description.
	Message string `yaml:"message,omitempty" json:"message,omitempty"`
	// Mode is Active (the default when empty) or Shadow.
	Mode Mode `yaml:"mode,omitempty" json:"mode,omitempty"`
	// Enabled is true when nil; a disabled rule is still type-checked.
	Enabled *bool `yaml:"enabled,omitempty" json:"enabled,omitempty"`

	// pos is where the rule's when expression starts in the source.
	pos exprPos
}

// IsEnabled reports whether the rule is enabled.
func (r *Rule) IsEnabled() bool { return r.Enabled == nil || *r.Enabled }

// exprPos locates an expression inside a YAML document so that a position
// inside the expression can be reported as a line and column of the file.
type exprPos struct {
	line, col int // 1-based start of the expression's first character
	block     bool
	// ruleLine and ruleCol locate the rule itself, for problems that are
	// not inside its expression.
	ruleLine, ruleCol int
}

func (p exprPos) at(line, col int) (int, int) {
	if p.line == 0 {
		return 0, 0
	}
	if line <= 1 {
		return p.line, p.col + col
	}
	if p.block {
		return p.line + line - 1, p.col + col
	}
	// A multi-line plain scalar is folded into one line; the best we can
	// say is where the expression starts.
	return p.line, p.col
}

// ErrInvalidPolicy is wrapped by every problem [ParsePolicy], [Compile],
// [CompilePolicy] and [CompileExpression] report: the error is a
// *[DocumentError] listing each problem with its rule id, line and column.
var ErrInvalidPolicy = errors.New("risk: invalid policy")

// policyError returns the problems of the policy with the given id as a
// *DocumentError, each wrapping ErrInvalidPolicy.
func policyError(id string, issues []Issue) error {
	subject := "policy"
	switch id {
	case "":
	case expressionPolicyID:
		subject = "expression"
	default:
		subject = fmt.Sprintf("policy %q", id)
	}
	return NewDocumentError("risk", ErrInvalidPolicy, subject, issues)
}

// ParsePolicy reads a policy from YAML or JSON. Unknown keys are errors,
// except the top-level sections named, which belong to the caller (such as
// onboarding's controls) and are left to it. The returned policy remembers
// where each rule's expression is, so that [CompilePolicy] can report
// problems by line and column.
func ParsePolicy(src []byte, sections ...string) (*Policy, error) {
	var p Policy
	doc, issues := decode.Parse(src)
	if doc != nil {
		issues = doc.Into(&p, sections...)
	}
	if len(issues) > 0 {
		id := ""
		if doc != nil {
			if n := doc.Node("id"); n != nil && n.Kind == yaml.ScalarNode {
				id = n.Value
			}
		}
		return nil, policyError(id, issues)
	}
	root := doc.Root()
	locateExprs(root, src, "rules", "when", len(p.Rules), func(i int, pos exprPos) { p.Rules[i].pos = pos })
	locateExprs(root, src, "variables", "expression", len(p.Variables), func(i int, pos exprPos) { p.Variables[i].pos = pos })
	return &p, nil
}

// exprPosOf locates the expression held by value, an entry of item.
func exprPosOf(item, value *yaml.Node, lines [][]byte) exprPos {
	if value == nil {
		return exprPos{ruleLine: item.Line, ruleCol: item.Column}
	}
	pos := exprPos{line: value.Line, col: value.Column, ruleLine: item.Line, ruleCol: item.Column}
	switch value.Style {
	case yaml.LiteralStyle, yaml.FoldedStyle:
		pos.line = value.Line + 1
		pos.col = 1
		if pos.line-1 < len(lines) {
			l := lines[pos.line-1]
			pos.col = len(l) - len(bytes.TrimLeft(l, " ")) + 1
		}
		pos.block = value.Style == yaml.LiteralStyle
	case yaml.DoubleQuotedStyle, yaml.SingleQuotedStyle:
		pos.col++
	}
	return pos
}

// locateExprs records where the expression under key of each entry of the
// top-level sequence section starts.
func locateExprs(root *yaml.Node, src []byte, section, key string, n int, set func(i int, pos exprPos)) {
	seq := yamlpos.Value(root, section)
	if seq == nil || seq.Kind != yaml.SequenceNode {
		return
	}
	lines := bytes.Split(src, []byte("\n"))
	for i, item := range seq.Content {
		if i >= n {
			break
		}
		set(i, exprPosOf(item, yamlpos.Value(item, key), lines))
	}
}
