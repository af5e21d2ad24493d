package onboarding_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"testing"

	"github.com/riskkit/riskkit/examples"
	"github.com/riskkit/riskkit/onboarding"
	"github.com/riskkit/riskkit/risk"
)

// The benchmarks assess the example applicants with the example policy and,
// as the baseline the assessment is held to (at most twice its cost), run
// one decision of the example checkout policy on its sample.

func exampleApplicants(tb testing.TB) []onboarding.Applicant {
	tb.Helper()
	data, err := examples.Data("applicants.jsonl")
	if err != nil {
		tb.Fatal(err)
	}
	var out []onboarding.Applicant
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		a, err := onboarding.DecodeApplicant(sc.Bytes())
		if err != nil {
			tb.Fatal(err)
		}
		out = append(out, a)
	}
	return out
}

func exampleAssessor(tb testing.TB) *onboarding.Assessor {
	tb.Helper()
	return assessor(tb, string(examplePolicy(tb)), onboarding.Options{})
}

// BenchmarkAssess measures one sign-up assessment, decision and controls,
// over the example applicants in turn.
func BenchmarkAssess(b *testing.B) {
	as := exampleAssessor(b)
	apps := exampleApplicants(b)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		a := &apps[i%len(apps)]
		if _, err := signUp(as, a, a.Signup.At); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAssessParallel(b *testing.B) {
	as := exampleAssessor(b)
	apps := exampleApplicants(b)
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			a := &apps[i%len(apps)]
			if _, err := signUp(as, a, a.Signup.At); err != nil {
				b.Error(err)
				return
			}
			i++
		}
	})
}

// BenchmarkReassess measures a promotion: thirty days and a paid invoice
// after sign-up, with the list of changes.
func BenchmarkReassess(b *testing.B) {
	as := exampleAssessor(b)
	apps := exampleApplicants(b)
	prev := make([]onboarding.Assessment, len(apps))
	for i := range apps {
		var err error
		if prev[i], err = signUp(as, &apps[i], apps[i].Signup.At); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		p := &prev[i%len(prev)]
		paid, _ := risk.NewMoney(25000, p.Input.Currency)
		f := onboarding.Facts{History: &risk.PaymentHistory{InvoicesPaid: 1, AmountPaid: paid}}
		if _, _, err := reassess(as, p, f, day(30)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCheckoutEvaluate is the baseline: one decision of the example
// checkout policy, over the example checkouts in turn.
func BenchmarkCheckoutEvaluate(b *testing.B) {
	src, err := examples.Policy("checkout.yaml")
	if err != nil {
		b.Fatal(err)
	}
	e, err := risk.Compile(src, risk.CheckoutSchema())
	if err != nil {
		b.Fatal(err)
	}
	data, err := examples.Data("transactions.jsonl")
	if err != nil {
		b.Fatal(err)
	}
	var inputs []risk.Checkout
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var l risk.Labeled[risk.Checkout]
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			b.Fatal(err)
		}
		inputs = append(inputs, l.Input)
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		e.Evaluate(&inputs[i%len(inputs)])
	}
}

func BenchmarkDecodeApplicant(b *testing.B) {
	line := []byte(applicantJSON)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := onboarding.DecodeApplicant(line); err != nil {
			b.Fatal(err)
		}
	}
}
