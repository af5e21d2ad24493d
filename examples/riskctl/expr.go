package main

import (
	"bytes"
	"fmt"

	"github.com/riskkit/riskkit/abuse"
	"github.com/riskkit/riskkit/examples"
	"github.com/riskkit/riskkit/onboarding"
	"github.com/riskkit/riskkit/risk"
)

func runExpr(e *env, args []string) error {
	fs := newFlags(e, "expr", "'CEL' [INPUT.json]")
	k := kindFlag(kindCheckout)
	fs.Var(&k, "kind", "the input's `kind`: checkout (risk.Checkout), onboarding (onboarding.Input) or enforcement (abuse.Case)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() < 1 || fs.NArg() > 2 {
		return usageError("expr takes an expression and at most one input file (default stdin), got %d arguments", fs.NArg())
	}
	src, input := fs.Arg(0), fs.Arg(1)
	doc, err := readSource(e, input, examples.Data)
	if err != nil {
		return err
	}
	doc = bytes.TrimSpace(doc)
	var out string
	switch kind(k) {
	case kindOnboarding:
		out, err = evalExpr(src, onboarding.InputSchema(), decodeEnvelope(func(in *onboarding.Input) string { return in.ID }), doc, input)
	case kindEnforcement:
		out, err = evalExpr(src, abuse.CaseSchema(), decodeEnvelope(func(c *abuse.EnforcementCase) string { return c.Finding.ID }), doc, input)
	default:
		out, err = evalExpr(src, risk.CheckoutSchema(), decodeEvalLine, doc, input)
	}
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, out)
	return nil
}

// evalExpr compiles src against schema, decodes doc and evaluates.
func evalExpr[T any](src string, schema *risk.Object[T], decode func([]byte) (evalInput[T], *lineError), doc []byte, input string) (string, error) {
	x, err := risk.CompileExpression(src, schema)
	if err != nil {
		var b bytes.Buffer
		for _, p := range policyProblems("<expr>", err) {
			b.WriteString("\n\t" + p.String())
		}
		return "", fmt.Errorf("the expression does not compile:%s", b.String())
	}
	in, le := decode(doc)
	if le != nil {
		le.File = displayName(input)
		return "", le
	}
	v, err := x.Eval(in.in)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%v (%s)", v.Value(), x.Type()), nil
}
