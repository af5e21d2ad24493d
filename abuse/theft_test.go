package abuse_test

import (
	"testing"
	"time"

	"github.com/riskkit/riskkit/abuse"
	"github.com/riskkit/riskkit/risk"
)

func deploy(at time.Time, sku string, count, gpus int64) func(*abuse.Telemetry) {
	return func(t *abuse.Telemetry) {
		t.Activity = append(t.Activity, abuse.ActivityEvent{Time: at, Kind: abuse.Deployment, SKU: sku, Count: count, GPUs: gpus})
	}
}

func TestTheftThresholds(t *testing.T) {
	usd := risk.MustMoney
	young := t0.Add(-6 * 24 * time.Hour)
	cases := []detectorCase{
		{
			name:   "within credit",
			reason: "unbilled 900 against prepaid 500 and credit 500",
			tel:    with(window(t0), account(abuse.AccountFacts{Unbilled: usd("900.00 USD"), Prepaid: usd("500.00 USD"), CreditLimit: usd("500.00 USD")})),
		},
		{
			name:   "exactly at the limit",
			reason: "exposure of zero is not exposure",
			tel:    with(window(t0), account(abuse.AccountFacts{Unbilled: usd("1000.00 USD"), Prepaid: usd("500.00 USD"), CreditLimit: usd("500.00 USD")})),
		},
		{
			name:   "one cent over",
			reason: "any usage beyond prepayment plus credit is exposure",
			tel:    with(window(t0), account(abuse.AccountFacts{Unbilled: usd("1000.01 USD"), Prepaid: usd("500.00 USD"), CreditLimit: usd("500.00 USD")})),
			want:   []brief{{"theft.exposure", 50, 90, "", 1}},
		},
		{
			name:   "outstanding counts",
			reason: "invoiced and unpaid is owed as much as unbilled",
			tel: with(window(t0), account(abuse.AccountFacts{Unbilled: usd("600.00 USD"), Outstanding: usd("600.00 USD"),
				Prepaid: usd("500.00 USD"), CreditLimit: usd("500.00 USD")})),
			want: []brief{{"theft.exposure", 50, 90, "", 1}},
		},
		{
			name:   "used before the first payment",
			reason: "exposure with no payment ever received is high",
			tel:    with(window(t0), account(abuse.AccountFacts{Unbilled: usd("50.00 USD"), PaymentsChecked: true})),
			want:   []brief{{"theft.exposure", 70, 90, "", 1}},
		},
		{
			name:   "unbilled not supplied",
			reason: "without the usage figure there is nothing to compare",
			tel:    with(window(t0), account(abuse.AccountFacts{CreditLimit: usd("500.00 USD")})),
		},
		{
			name:   "account burst at the threshold",
			reason: "3 other accounts share the device",
			tel:    with(window(t0), account(abuse.AccountFacts{AccountsSharingDevice: risk.Known(3), AccountsSharingCard: risk.Known(2)})),
			want:   []brief{{"theft.account_burst", 50, 70, "", 3}},
		},
		{
			name:   "account burst one short",
			reason: "2 other accounts sharing a card can be a family",
			tel:    with(window(t0), account(abuse.AccountFacts{AccountsSharingCard: risk.Known(2)})),
		},
		{
			name:   "large account burst",
			reason: "9 accounts sharing an address is three times the threshold",
			tel:    with(window(t0), account(abuse.AccountFacts{AccountsSharingAddress: risk.Known(9)})),
			want:   []brief{{"theft.account_burst", 70, 70, "", 9}},
		},
		{
			name:   "two countries",
			reason: "a card from another country is common; low",
			tel:    with(window(t0), account(abuse.AccountFacts{BillingCountry: "DE", IPCountry: "DE", CardCountry: "us"})),
			want:   []brief{{"theft.country_mismatch", 25, 35, "", 2}},
		},
		{
			name:   "three countries",
			reason: "billing, IP and phone in three countries",
			tel:    with(window(t0), account(abuse.AccountFacts{BillingCountry: "DE", IPCountry: "NG", PhoneCountry: "VN", CardCountry: "DE"})),
			want:   []brief{{"theft.country_mismatch", 45, 55, "", 3}},
		},
		{
			name:   "one country supplied",
			reason: "nothing to disagree with",
			tel:    with(window(t0), account(abuse.AccountFacts{BillingCountry: "DE"})),
		},
		{
			name:   "GPU burst from a new account",
			reason: "8 GPUs in the first week",
			tel:    with(window(t0), account(abuse.AccountFacts{CreatedAt: young}), deploy(t0.Add(time.Minute), "gpu-8x", 1, 8)),
			want:   []brief{{"theft.sudden_deployment", 70, 70, "", 1}},
		},
		{
			name:   "GPU burst one short",
			reason: "7 GPUs is below the threshold",
			tel:    with(window(t0), account(abuse.AccountFacts{CreatedAt: young}), deploy(t0.Add(time.Minute), "gpu-1x", 7, 1)),
		},
		{
			name:   "GPU burst from an older account",
			reason: "an account exactly 7 days old is no longer new",
			tel: with(window(t0), account(abuse.AccountFacts{CreatedAt: t0.Add(time.Minute - 7*24*time.Hour)}),
				deploy(t0.Add(time.Minute), "gpu-8x", 4, 8)),
		},
		{
			name:   "many instances from a new account",
			reason: "50 instances of any SKU in the first week",
			tel:    with(window(t0), account(abuse.AccountFacts{CreatedAt: young}), deploy(t0.Add(time.Minute), "d4", 30, 0), deploy(t0.Add(2*time.Minute), "d8", 20, 0)),
			want:   []brief{{"theft.sudden_deployment", 55, 60, "", 50}},
		},
	}
	runCases(t, "theft", cases)
}

// TestTheftGaps checks that account facts left out are reported as not
// checked rather than read as clean.
func TestTheftGaps(t *testing.T) {
	m := mustMonitor(t, abuse.Config{})
	usd := risk.MustMoney
	all := []string{
		"exposure: unbilled usage not supplied",
		"use before payment: payments not supplied",
		"account burst: no counts of accounts sharing a device, card or address supplied",
		"country mismatch: fewer than two of the billing, sign-up IP, phone and card countries supplied",
		"sudden deployment: account creation time not supplied",
	}
	for _, tc := range []struct {
		name string
		acct abuse.AccountFacts
		want []string
	}{
		{"empty account", abuse.AccountFacts{}, all},
		{"every fact", abuse.AccountFacts{Unbilled: usd("10.00 USD"), CreditLimit: usd("100.00 USD"), PaymentsChecked: true,
			AccountsSharingCard: risk.Known(0), BillingCountry: "DE", CardCountry: "DE", CreatedAt: t0.Add(-time.Hour)}, nil},
		{"one country", abuse.AccountFacts{Unbilled: usd("10.00 USD"), CreditLimit: usd("100.00 USD"), PaymentsChecked: true,
			AccountsSharingCard: risk.Known(0), BillingCountry: "DE", CreatedAt: t0.Add(-time.Hour)}, all[3:4]},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tel := with(window(t0), without(abuse.SourceActivity), account(tc.acct))
			tel.Collected = append(tel.Collected, abuse.SourceActivity)
			_, rep, err := evaluate(m, abuse.State{}, tel, t1)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, u := range rep.Unchecked {
				if u.Detector == "theft" {
					got = u.Gaps
				}
			}
			if diff := cmpDiff(tc.want, got); diff != "" {
				t.Errorf("theft gaps (-want +got):\n%s", diff)
			}
		})
	}
}
