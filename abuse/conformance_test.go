package abuse_test

import (
	"strings"
	"testing"
	"time"

	"github.com/riskkit/riskkit/abuse"
	"github.com/riskkit/riskkit/abuse/abusetest"
	"github.com/riskkit/riskkit/risk"
)

// scenarios returns windows that make every built-in detector report
// something, and a few clean ones.
func scenarios() []abuse.DetectorInput {
	young := t0.Add(-2 * 24 * time.Hour)
	wins := []*abuse.Telemetry{
		window(t0),
		miner(t0),
		with(window(t0), withFlows(flood(t0.Add(10*time.Minute), 12, "198.51.100.9", 30000, 40_000_000, 100)...),
			withFlows(flood(t0.Add(20*time.Minute), 12, "198.51.100.10", 30000, 40_000_000, 100)...)),
		with(window(t0), withFlows(portScan(abuse.Outbound, public(40), 20, time.Minute)...),
			withFlows(portScan(abuse.Outbound, public(41), 16, 2*time.Minute)...),
			withFlows(portScan(abuse.Inbound, public(42), 30, 2*time.Minute)...),
			withFlows(sweep(40, 22, 3*time.Minute)...), withFlows(sweep(30, 3389, 4*time.Minute)...),
			logins(abuse.Outbound, 45, 1, 20*time.Minute), logins(abuse.Inbound, 31, 2, 40*time.Minute)),
		with(window(t0), smtp(500, 80)),
		with(window(t0), hosted(abuse.Malicious, "https://x.example/a", "https://x.example/b"), hosted(abuse.Suspicious, "https://x.example/c"),
			withDNS(abuse.CommandAndCtl, "c2.bad.example"), withDNS(abuse.Phishing, "p.bad.example"), generated(12, true), generated(3, false)),
		with(window(t0), account(abuse.AccountFacts{Tenant: "tenant-0", Profile: abuse.Profile{Seats: 2, Countries: []string{"DE"}, Kind: risk.Business}}),
			signIns(30, 12, "DE", "BR", "VN", "US", "NG", "IN", "FR", "JP", "CN"),
			deploy(t0.Add(time.Minute), "gpu-8x", 2, 8)),
		with(window(t0), account(abuse.AccountFacts{CreatedAt: young, PaymentsChecked: true, Unbilled: risk.MustMoney("4000.00 USD"),
			CreditLimit: risk.MustMoney("100.00 USD"), AccountsSharingDevice: risk.Known(12), AccountsSharingCard: risk.Known(4),
			BillingCountry: "US", IPCountry: "NG", PhoneCountry: "GB", CardCountry: "US"}),
			deploy(t0.Add(time.Minute), "gpu-8x", 3, 8), deploy(t0.Add(3*time.Minute), "d2", 60, 0)),
	}
	var in []abuse.DetectorInput
	for _, w := range wins {
		in = append(in, abuse.DetectorInput{Telemetry: w, Baseline: &abuse.Baseline{Subscription: w.Subscription, Resource: w.Resource}})
	}
	// A mail server with history, spiking.
	in = append(in, abuse.DetectorInput{Telemetry: with(window(t0), smtp(900, 120)),
		Baseline: &abuse.Baseline{Subscription: "sub-1", Resource: "vm-1", Windows: 50, SMTPWindows: 50, SMTPFlows: 40, SMTPRecipients: 6}})
	return in
}

// TestBuiltinConformance runs the abusetest harness on every built-in
// detector: deterministic, pure, never panicking and independent of the
// order of records.
func TestBuiltinConformance(t *testing.T) {
	ds, err := abuse.Detectors(abuse.Config{})
	if err != nil {
		t.Fatal(err)
	}
	in := scenarios()
	for _, d := range ds {
		t.Run(d.Name(), func(t *testing.T) {
			if !abuse.TraitsOf(d).OrderIndependent {
				t.Errorf("%s does not claim order independence", d.Name())
			}
			abusetest.Run(t, d, in...)
			found := 0
			for _, i := range in {
				found += len(d.Detect(&i))
			}
			if found == 0 {
				t.Errorf("the scenarios never make %s report anything, so the harness proves little", d.Name())
			}
		})
	}
}

// impure keeps state between calls, which the harness must catch.
type impure struct{ calls *int }

func (impure) Name() string            { return "impure" }
func (impure) Sources() []abuse.Source { return nil }
func (d impure) Detect(in *abuse.DetectorInput) []abuse.Finding {
	*d.calls++
	if len(in.Telemetry.Flows) > 0 {
		in.Telemetry.Flows[0].Port = 1 // writes to its input
	}
	return []abuse.Finding{{Type: "impure", Category: abuse.Spam, Severity: 2, Confidence: 10, Count: int64(*d.calls),
		FirstSeen: in.Telemetry.Window.Start, LastSeen: in.Telemetry.Window.Start}}
}

func (impure) Traits() abuse.Traits { return abuse.Traits{OrderIndependent: true} }

// orderly depends on the order of records while claiming not to.
type orderly struct{}

func (orderly) Name() string            { return "orderly" }
func (orderly) Sources() []abuse.Source { return nil }
func (orderly) Traits() abuse.Traits    { return abuse.Traits{OrderIndependent: true} }
func (orderly) Detect(in *abuse.DetectorInput) []abuse.Finding {
	t := in.Telemetry
	if len(t.Flows) == 0 || !t.Window.Contains(t.Flows[0].Time) {
		return nil
	}
	return []abuse.Finding{{Type: "orderly", Category: abuse.Hacking, Severity: 2, Confidence: 10, Count: 1,
		FirstSeen: t.Flows[0].Time, LastSeen: t.Flows[0].Time}}
}

func TestHarnessCatchesViolations(t *testing.T) {
	in := scenarios()
	calls := 0
	err := abusetest.Check(impure{&calls}, in...)
	if err == nil {
		t.Fatal("the harness accepted a detector that keeps state and writes to its input")
	}
	for _, want := range []string{"not deterministic", "changed its telemetry"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("harness error does not mention %q:\n%v", want, err)
		}
	}
	err = abusetest.Check(orderly{}, in...)
	if err == nil || !strings.Contains(err.Error(), "claims order independence") {
		t.Errorf("the harness accepted a detector that depends on record order: %v", err)
	}
}
