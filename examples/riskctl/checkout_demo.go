package main

import (
	"bytes"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/riskkit/riskkit/examples"
	"github.com/riskkit/riskkit/risk"
)

func init() {
	registerDemo(20, "Checkout: scoring the sample with the checkout policy", checkoutDemo)
}

// checkoutDemo backtests the embedded checkout policy on the embedded
// sample and shows three decisions with their reasons, the way a person
// tuning the policy would first look at it.
func checkoutDemo(w io.Writer) error {
	src, err := examples.Policy("checkout.yaml")
	if err != nil {
		return err
	}
	p, err := risk.ParsePolicy(src)
	if err != nil {
		return err
	}
	eng, err := risk.CompilePolicy(p, risk.CheckoutSchema())
	if err != nil {
		return err
	}
	sample, source, err := checkoutSample()
	if err != nil {
		return err
	}
	rep := eng.Backtest(slices.Values(sample))

	shadow := 0
	for _, r := range p.Rules {
		if r.IsEnabled() && r.Mode == risk.Shadow {
			shadow++
		}
	}
	fmt.Fprintf(w, "policy %s %s (%d rules, %d in shadow) on %d checkouts from %s, %d labelled fraud\n\n",
		rep.PolicyID, rep.PolicyVersion, len(rep.Rules), shadow, rep.Inputs, source, rep.Fraud)
	for _, o := range rep.Outcomes {
		fmt.Fprintf(w, "  %-10s %6d  %6s\n", o.Outcome, o.Count, share(o.Count, rep.Inputs))
	}
	c := rep.Confusion
	fmt.Fprintf(w, "\nflagging %s as fraud: precision %s, recall %s, false positive rate %s\n",
		joinOutcomes(rep.Flagged), pct(c.Precision()), pct(c.Recall()), pct(c.FalsePositiveRate()))

	decisions := make([]risk.Decision, len(sample))
	for i := range sample {
		decisions[i] = eng.Evaluate(&sample[i].Input)
	}
	fmt.Fprintln(w, "\nthree decisions and why:")
	for _, prefer := range [][]func(*risk.Decision) bool{
		// An approval that still shows a reason says more than one where
		// nothing fired, and a review more than a challenge.
		{func(d *risk.Decision) bool { return d.Outcome == risk.Approve && len(d.Hits) > 0 }, is(risk.Approve)},
		{is(risk.Review), is(risk.Challenge)},
		{is(risk.Reject)},
	} {
		i := firstMatch(decisions, prefer)
		if i < 0 {
			fmt.Fprintln(w, "  (none of this kind in the sample)")
			continue
		}
		writeExample(w, sample[i].ID, &decisions[i])
	}
	return nil
}

func is(o risk.Outcome) func(*risk.Decision) bool {
	return func(d *risk.Decision) bool { return d.Outcome == o }
}

// firstMatch returns the index of the first decision that matches the
// first predicate any decision matches, or -1.
func firstMatch(ds []risk.Decision, prefer []func(*risk.Decision) bool) int {
	for _, ok := range prefer {
		for i := range ds {
			if ok(&ds[i]) {
				return i
			}
		}
	}
	return -1
}

// maxReasonsShown keeps an example decision to a few lines.
const maxReasonsShown = 4

func writeExample(w io.Writer, id string, d *risk.Decision) {
	fmt.Fprintf(w, "  %s: %s, score %d, decided by %s\n", id, d.Outcome, d.Score, d.Basis)
	if len(d.Hits) == 0 {
		fmt.Fprintln(w, "      no rule fired")
	}
	for i, h := range d.Hits {
		if i == maxReasonsShown {
			fmt.Fprintf(w, "      ... and %d more\n", len(d.Hits)-i)
			break
		}
		what := fmt.Sprintf("%+d", h.Score)
		if h.Action != "" {
			what = "->" + string(h.Action)
		}
		fmt.Fprintf(w, "      %-9s %s: %s\n", what, h.Reason, h.Message)
	}
}

// checkoutSample reads the embedded labelled checkouts.
func checkoutSample() ([]risk.Labeled[risk.Checkout], string, error) {
	const name = "transactions.jsonl"
	data, err := examples.Data(name)
	if err != nil {
		// Fallback while examples/data/transactions.jsonl is being
		// generated; remove once the file is committed.
		return inlineSample(), "a handful of inline examples", nil
	}
	lines := newLineReader("embedded:"+name, bytes.NewReader(data), stopOnError, io.Discard, "demo")
	var out []risk.Labeled[risk.Checkout]
	for _, l := range records(lines, decodeLabeledLine) {
		out = append(out, l)
	}
	if lines.err != nil {
		return nil, "", lines.err
	}
	return out, "embedded:" + name, nil
}

// inlineSample is a stand-in for the sample file until it is committed.
func inlineSample() []risk.Labeled[risk.Checkout] {
	t := time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)
	usd := func(s string) risk.Money { return risk.MustMoney(s + " USD") }
	known := risk.Known
	base := func(id string) risk.Checkout {
		return risk.Checkout{
			Customer: risk.Customer{ID: "c-" + id, Kind: risk.Individual, Country: "US", CreatedAt: t.AddDate(-2, 0, 0),
				Email: risk.Verified, Phone: risk.Verified, MFA: true},
			Payment:     risk.PaymentInstrument{Type: risk.Card, Funding: risk.Credit, IssuingCountry: "US", CVC: risk.Pass, Address: risk.Pass, ThreeDS: risk.Pass},
			Transaction: risk.Transaction{ID: id, Amount: usd("49.00"), Kind: risk.Renewal, IPCountry: "US", Billing: risk.Address{Country: "US"}, Time: t},
			Signals: risk.Signals{AccountsPerIP1h: known(0), AccountsPerIP24h: known(1), AccountsPerDevice1h: known(0), AccountsPerDevice24h: known(1),
				AccountsPerCard1h: known(0), AccountsPerCard24h: known(1), DistinctCards24h: known(1), FailedPayments24h: known(0)},
		}
	}
	ok := base("txn-1")
	traveller := base("txn-2")
	traveller.Transaction.IPCountry = "FR"
	traveller.Customer.Email = risk.Pending
	bot := base("txn-3")
	bot.Customer.CreatedAt, bot.Customer.Phone, bot.Customer.MFA = t.Add(-time.Hour), risk.NotRun, false
	bot.Transaction.Kind, bot.Transaction.Amount = risk.FirstPurchase, usd("900.00")
	bot.Signals.AccountsPerIP1h = known(6)
	prepaid := base("txn-4")
	prepaid.Payment.Funding = risk.Prepaid
	return []risk.Labeled[risk.Checkout]{
		{ID: "txn-1", Input: ok}, {ID: "txn-2", Input: traveller},
		{ID: "txn-3", Fraud: true, Input: bot}, {ID: "txn-4", Fraud: true, Input: prepaid},
	}
}
