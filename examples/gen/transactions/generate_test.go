package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/riskkit/riskkit/risk"
)

// TestCommittedFileIsCurrent regenerates the sample in memory and compares
// it with the file the examples package embeds, so that a change to the
// generator cannot land without the data it produces.
func TestCommittedFileIsCurrent(t *testing.T) { command.CheckCommitted(t) }

// TestRecords decodes every record strictly and checks the properties the
// sample promises: its size, the share of fraud, the currencies, 2026
// timestamps, and amounts that add up.
func TestRecords(t *testing.T) {
	b, err := generate()
	if err != nil {
		t.Fatal(err)
	}
	if len(b) > 3<<20 {
		t.Errorf("sample is %d bytes, want at most 3 MiB", len(b))
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(nil, 1<<20)
	var n, fraud int
	ids := map[string]bool{}
	currencies := map[string]int{}
	year := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for sc.Scan() {
		n++
		dec := json.NewDecoder(bytes.NewReader(sc.Bytes()))
		dec.DisallowUnknownFields()
		var l risk.Labeled[risk.Checkout]
		if err := dec.Decode(&l); err != nil {
			t.Fatalf("line %d: %v", n, err)
		}
		if ids[l.ID] {
			t.Errorf("line %d: id %s repeats", n, l.ID)
		}
		ids[l.ID] = true
		if l.Fraud {
			fraud++
		}
		in := &l.Input
		txn := &in.Transaction
		if txn.ID != l.ID {
			t.Errorf("line %d: record id %s, transaction id %s", n, l.ID, txn.ID)
		}
		if txn.Time.Before(year) || !txn.Time.Before(year.AddDate(1, 0, 0)) {
			t.Errorf("line %d: time %v is not in 2026", n, txn.Time)
		}
		if in.Customer.CreatedAt.IsZero() || in.Customer.CreatedAt.After(txn.Time) {
			t.Errorf("line %d: customer created %v, purchase at %v", n, in.Customer.CreatedAt, txn.Time)
		}
		if f := in.Customer.History.FirstPaymentAt; !f.IsZero() && f.After(txn.Time) {
			t.Errorf("line %d: first payment %v after the purchase at %v", n, f, txn.Time)
		}
		total := risk.Money{}
		for _, li := range txn.LineItems {
			if total, err = total.Add(li.Amount); err != nil {
				t.Fatalf("line %d: %v", n, err)
			}
		}
		if len(txn.LineItems) == 0 || total != txn.Amount {
			t.Errorf("line %d: line items add up to %v, amount is %v", n, total, txn.Amount)
		}
		currencies[txn.Amount.Currency()]++
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if n != records {
		t.Errorf("got %d records, want %d", n, records)
	}
	if share := float64(fraud) / float64(n); share < 0.04 || share > 0.06 {
		t.Errorf("fraud is %.1f%% of the sample, want 4%% to 6%%", 100*share)
	}
	for _, c := range []string{"USD", "EUR", "GBP", "JPY"} {
		if currencies[c] == 0 {
			t.Errorf("no amounts in %s", c)
		}
	}
	if 2*currencies["USD"] < n {
		t.Errorf("USD amounts are %d of %d, want most", currencies["USD"], n)
	}
}

// TestRun checks that the output flag writes what generate returns and
// that bad arguments are errors.
func TestRun(t *testing.T) { command.CheckRun(t) }
