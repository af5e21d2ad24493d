package abuse_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"
	"github.com/riskkit/riskkit/abuse"
)

func newTriage(t testing.TB, cfg abuse.TriageConfig) *abuse.Triage {
	t.Helper()
	tr, err := abuse.NewTriage(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

// alert returns a security alert on sub-1's vm-1 observed from t0 to t1.
func alert(id, kind string, changes ...func(*abuse.Notice)) abuse.Notice {
	n := abuse.Notice{
		Source: abuse.FromSecurityAlert, ID: id, Kind: kind, Subscription: "sub-1",
		Resources:  []abuse.AffectedResource{{ID: "/subscriptions/sub-1/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm-1"}},
		DetectedAt: t1, FirstObserved: t0, LastObserved: t1, Severity: abuse.NoticeHigh, Confidence: abuse.NoticeMedium,
		Status: abuse.NoticeActive,
	}
	for _, c := range changes {
		c(&n)
	}
	return n
}

func TestCategoryMapping(t *testing.T) {
	tr := newTriage(t, abuse.TriageConfig{Rules: []abuse.KindRule{{Kind: "Phishing*", Category: abuse.Malware}, {Kind: "MyHostRule"}}})
	tests := []struct {
		source abuse.NoticeSource
		kind   string
		detail string
		want   abuse.Category
	}{
		{abuse.FromFraudEvent, "", "", abuse.CryptoMining},
		{abuse.FromFraudEvent, "NetworkConnectionsToCryptoMiningPools", "", abuse.CryptoMining},
		{abuse.FromSecurityAlert, "networkConnectionsToCryptoMiningPools", "", abuse.CryptoMining},
		{abuse.FromSecurityAlert, "CryptoMining", "", abuse.CryptoMining},
		{abuse.FromFraudEvent, "UsageAnomalyDetection", "", abuse.TheftOfService},
		{abuse.FromFraudEvent, "UsageAnomalyDetection", "MiningPool_IP", abuse.CryptoMining},
		{abuse.FromFraudEvent, "MultiRegionVirtualMachineScaleSetDeploymentAnomaly", "", abuse.TheftOfService},
		{abuse.FromFraudEvent, "MultiRegionMachineLearningUsageAnomaly", "", abuse.TheftOfService},
		{abuse.FromSecurityAlert, "AzureContainerInstances_AnomalousDeployment", "", abuse.TheftOfService},
		{abuse.FromSecurityAlert, "QuotaIncreaseAnomaly", "", abuse.TheftOfService},
		{abuse.FromSecurityAlert, "ARM_SuspiciousOperations", "", abuse.Hacking},
		{abuse.FromAbuseReport, "Brute Force", "", abuse.Hacking},
		{abuse.FromAbuseReport, "Denial of Service", "", abuse.DenialOfService},
		{abuse.FromEnforcement, "DDoS", "", abuse.DenialOfService},
		{abuse.FromAbuseReport, "Spam", "", abuse.Spam},
		{abuse.FromAbuseReport, "Phishing website", "", abuse.Malware}, // the host's rule wins
		{abuse.FromAbuseReport, "Malware", "", abuse.Malware},
		{abuse.FromEnforcement, "resale of pirated subscriptions", "", abuse.SubscriptionResale},
		{abuse.FromFraudEvent, "ServiceHealthSecurityAdvisory", "", ""},
		{abuse.FromAbuseReport, "Illegal", "", ""},
		{abuse.FromAuditRecord, "reset_customer_user_password", "", ""},
		{abuse.FromSecurityAlert, "MyHostRule", "", ""},
		{abuse.FromSecurityAlert, "SomethingNew_2027", "", ""},
	}
	for _, tc := range tests {
		t.Run(string(tc.source)+"/"+tc.kind+"/"+tc.detail, func(t *testing.T) {
			n := abuse.Notice{Source: tc.source, Kind: tc.kind}
			if tc.detail != "" {
				n.Details = map[string]string{tc.detail: `["1.2.3.4"]`}
			}
			got, ok := tr.Category(&n)
			if got != tc.want || ok != (tc.want != "") {
				t.Errorf("Category = %q, %v; want %q", got, ok, tc.want)
			}
		})
	}
	if _, err := abuse.NewTriage(abuse.TriageConfig{Rules: []abuse.KindRule{{Kind: "x", Category: "piracy"}}}); !errors.Is(err, abuse.ErrInvalidConfig) {
		t.Errorf("a rule with an unknown category: %v, want ErrInvalidConfig", err)
	}
	_, err := abuse.NewTriage(abuse.TriageConfig{Boost: 101, Deadlines: abuse.Deadlines{Mitigate: -time.Hour}})
	if !errors.Is(err, abuse.ErrInvalidConfig) || !strings.Contains(err.Error(), "has 2 problems") ||
		!strings.Contains(err.Error(), "Deadlines.Mitigate: deadline -1h0m0s is negative") {
		t.Errorf("NewTriage = %v, want both problems at once", err)
	}
}

// TestCorrelation covers hits and misses of notices against riskkit's
// findings, at the edges of the slack.
func TestCorrelation(t *testing.T) {
	tr := newTriage(t, abuse.TriageConfig{})
	mining := abuse.Finding{ID: "ab-1", Type: "mining.activity", Category: abuse.CryptoMining, Subscription: "sub-1", Resource: "vm-1",
		Severity: 85, Confidence: 80, FirstSeen: t0, LastSeen: t1, Count: 1, Windows: 1}
	with := func(f abuse.Finding, change func(*abuse.Finding)) abuse.Finding { change(&f); return f }
	tests := []struct {
		name    string
		notice  abuse.Notice
		finding abuse.Finding
		hit     bool
	}{
		{"same resource and time", alert("a", "CryptoMining"), mining, true},
		{"resource by ARM path, other case", alert("a", "CryptoMining"), with(mining, func(f *abuse.Finding) { f.Resource = "VM-1" }), true},
		{"subscription id in another case", alert("a", "CryptoMining"), with(mining, func(f *abuse.Finding) { f.Subscription = "SUB-1" }), true},
		{"other resource", alert("a", "CryptoMining"), with(mining, func(f *abuse.Finding) { f.Resource = "vm-2" }), false},
		{"other subscription", alert("a", "CryptoMining"), with(mining, func(f *abuse.Finding) { f.Subscription = "sub-2" }), false},
		{"other category", alert("a", "CryptoMining"), with(mining, func(f *abuse.Finding) { f.Category = abuse.Spam }), false},
		{"an anomaly matches any category", alert("a", "UsageAnomalyDetection"), with(mining, func(f *abuse.Finding) { f.Category = abuse.Spam }), true},
		{"subscription-wide finding", alert("a", "CryptoMining"), with(mining, func(f *abuse.Finding) { f.Resource = "" }), true},
		{"notice without resources", alert("a", "CryptoMining", func(n *abuse.Notice) { n.Resources = nil }), mining, true},
		{"ends exactly at the slack", alert("a", "CryptoMining"),
			with(mining, func(f *abuse.Finding) { f.FirstSeen, f.LastSeen = t2, t2 }), true},
		{"one nanosecond past the slack", alert("a", "CryptoMining"),
			with(mining, func(f *abuse.Finding) { f.FirstSeen, f.LastSeen = t2.Add(1), t2.Add(1) }), false},
		{"before, within the slack", alert("a", "CryptoMining"),
			with(mining, func(f *abuse.Finding) { f.FirstSeen, f.LastSeen = t0.Add(-2*time.Hour), t0.Add(-time.Hour) }), true},
		{"a notice finding never corroborates", alert("a", "CryptoMining"), with(mining, func(f *abuse.Finding) { f.ID = abuse.NoticeFindingPrefix + "x" }), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, raised := tr.Triage(&tc.notice, []abuse.Finding{tc.finding})
			if got.Finding == nil {
				t.Fatal("no finding made")
			}
			if tc.hit {
				if diff := gocmp.Diff([]string{tc.finding.ID}, got.Corroborated); diff != "" || got.Gap {
					t.Errorf("corroborated (-want +got):\n%s gap %v", diff, got.Gap)
				}
				if len(raised) != 1 || raised[0].Confidence != tc.finding.Confidence+15 {
					t.Errorf("raised %+v; want the finding at %d%%", raised, tc.finding.Confidence+15)
				}
				// max(65 from a medium notice, 80) + 15
				if got.Finding.Confidence != 95 {
					t.Errorf("notice finding confidence %d, want 95", got.Finding.Confidence)
				}
				return
			}
			if len(got.Corroborated) != 0 || len(raised) != 0 || !got.Gap {
				t.Errorf("corroborated %v, raised %v, gap %v; want a detection gap", got.Corroborated, raised, got.Gap)
			}
			if got.Finding.Confidence != 65 {
				t.Errorf("notice finding confidence %d, want 65", got.Finding.Confidence)
			}
		})
	}
}

func TestNoticeFinding(t *testing.T) {
	tr := newTriage(t, abuse.TriageConfig{})
	data := noticeDoc(t, "fraud_event_new.json")
	ns, err := abuse.ParseNotices(abuse.FromFraudEvent, data)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := tr.Triage(&ns[0], nil)
	f := got.Finding
	want := abuse.Finding{
		ID: f.ID, Type: "notice.network_connections_to_crypto_mining_pools", Category: abuse.CryptoMining,
		Subscription: ns[0].Subscription, Resource: "vm-miner", Severity: 55, Confidence: 85,
		Summary:   "fraud_event notice " + ns[0].ID + ": Action Required: Virtual machine connecting to crypto currency mining pool Detected",
		Evidence:  abuse.Evidence{Counts: map[string]int64{"hit_count": 31}, Samples: []string{"104.243.33.118", "pool.minexmr.com"}},
		FirstSeen: utc("2023-05-16T06:00:00Z"), LastSeen: utc("2023-05-16T08:00:00Z"), Count: 31, Windows: 1,
	}
	if diff := cmpDiff(want, *f); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if err := abuse.CheckFinding(f, abuse.Interval{Start: f.FirstSeen, End: f.LastSeen}); err != nil {
		t.Errorf("the notice's finding is not well formed: %v", err)
	}
}
