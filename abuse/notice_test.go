package abuse_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/riskkit/riskkit/abuse"
	"github.com/riskkit/riskkit/risk"
)

// noticeDoc reads a documented example from testdata/notices.
func noticeDoc(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "notices", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// noticeDocs maps each documented example to its source.
var noticeDocs = map[string]abuse.NoticeSource{
	"fraud_event_old.json": abuse.FromFraudEvent,
	"fraud_event_new.json": abuse.FromFraudEvent,
	"security_alerts.json": abuse.FromSecurityAlert,
	"webhook.json":         abuse.FromWebhook,
	"audit_records.json":   abuse.FromAuditRecord,
	"enforcement.json":     abuse.FromEnforcement,
	"abuse_report.json":    abuse.FromAbuseReport,
}

func utc(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return t.UTC()
}

// ignoreRaw leaves the original documents out of comparisons.
var ignoreRaw = cmpopts.IgnoreFields(abuse.Notice{}, "Raw")

// ignoreErr leaves out the sentinel every issue wraps; the tests check it
// with errors.Is.
var ignoreErr = cmpopts.IgnoreFields(risk.Issue{}, "Err")

// TestParseNoticesDocumentedExamples decodes every documented example and
// checks every field the model keeps, with each source's quirks.
func TestParseNoticesDocumentedExamples(t *testing.T) {
	const (
		sub     = "9c1a3e2b-5f0d-4e4a-8d6e-1f2b3c4d5e6f"
		cust    = "5c8f0f2a-1e1b-4d52-9a3c-8f4c6e2d1b90"
		partner = "7a4e0ad8-5b6d-4b4c-a1f6-0c5a2f8c1d7e"
		vmPath  = "/subscriptions/" + sub + "/resourceGroups/rg-1/providers/Microsoft.Compute/virtualMachines/"
	)
	tests := []struct {
		file string
		want []abuse.Notice
	}{
		{"fraud_event_old.json", []abuse.Notice{{
			// Old model: no type (crypto mining), the hit count in a string,
			// "None" for no reason, the 9999-12-31 sentinel for unresolved
			// and unobserved, timestamps without a zone.
			Source: abuse.FromFraudEvent, ID: "2a7064fb-d0a7-4c2f-b5b2-6f7fb4a0ca26_2edeb5b1-9d6c-4c1c-9d2a-3b1c8a0a5f11",
			PartnerTenant: partner, CustomerTenant: cust, CustomerName: "test customer",
			Subscription: "2a7064fb-d0a7-4c2f-b5b2-6f7fb4a0ca26", Offer: "ms-azr-17g",
			Resources:     []abuse.AffectedResource{{ID: "sampleresource", Type: "sampleservice"}},
			DetectedAt:    utc("2021-12-08T00:25:45.69Z"),
			FirstObserved: utc("2021-12-08T00:25:45.69Z"), LastObserved: utc("2021-12-08T00:25:45.69Z"),
			HitCount: 10, Status: abuse.NoticeActive,
			Details: map[string]string{
				"entityId": "2edeb5b1-9d6c-4c1c-9d2a-3b1c8a0a5f11", "entityName": "sampleentity", "entityUrl": `\sample\entity\url`,
				"serviceName": "sampleservice", "resourceName": "sampleresource", "resourceGroupName": "sampleresourcegroup",
				"subscriptionType": "modern", "partnerFriendlyName": "test partner",
			},
		}}},
		{"fraud_event_new.json", []abuse.Notice{{
			// New model: lower-case confidence, IsTest in PascalCase and in a
			// string, activityLogs as a JSON string with offsets.
			Source: abuse.FromFraudEvent, ID: sub + "_0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0",
			Kind:        "NetworkConnectionsToCryptoMiningPools",
			Title:       "Action Required: Virtual machine connecting to crypto currency mining pool Detected",
			Description: "Analysis of Azure resource network activity detected the resource was communicating with a crypto currency mining pool.",
			Severity:    abuse.NoticeMedium, Confidence: abuse.NoticeHigh,
			PartnerTenant: partner, CustomerTenant: cust, CustomerName: "test customer",
			ResellerTenant: "3e2d1c0b-a998-4877-6655-443322110000", Subscription: sub, Offer: "ms-azr-17g",
			Resources:     []abuse.AffectedResource{{ID: vmPath + "vm-miner", Type: "Microsoft.Compute/virtualMachines"}},
			DetectedAt:    utc("2023-05-16T08:12:31.5Z"),
			FirstObserved: utc("2023-05-16T06:00:00Z"), LastObserved: utc("2023-05-16T08:00:00Z"),
			HitCount: 31, Status: abuse.NoticeResolved, ResolvedReason: abuse.ResolvedFraud,
			ResolvedAt: utc("2023-05-16T11:25:45.69Z"), ResolvedBy: "adminagent@test.com",
			History: []abuse.StatusChange{
				{From: abuse.NoticeActive, To: abuse.NoticeInvestigating, By: "adminagent@test.com", At: utc("2023-05-16T09:50:15.3339273Z")},
				{From: abuse.NoticeInvestigating, To: abuse.NoticeResolved, By: "adminagent@test.com", At: utc("2023-05-16T11:25:45.69Z")},
			},
			Details: map[string]string{
				"resourceid": vmPath + "vm-miner", "resourcetype": "Microsoft.Compute/virtualMachines",
				"vM_IP": "[\r\n  \"13.89.185.189\"\r\n]", "miningPool_IP": "[\r\n  \"104.243.33.118\"\r\n]",
				"connectionCount": "31", "cryptoCurrencyMiningPoolDomainName": "pool.minexmr.com",
				"entityId": "0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0", "entityName": "vm-miner", "entityUrl": vmPath + "vm-miner",
				"serviceName": "Microsoft.Compute", "resourceName": "vm-miner", "resourceGroupName": "rg-1", "country": "US",
				"subscriptionName": "Azure subscription 1", "subscriptionType": "modern", "partnerFriendlyName": "test partner",
				"valueAddedResellerFriendlyName": "test reseller",
			},
		}}},
		{"security_alerts.json", []abuse.Notice{{
			// Graph: a {"value": [...]} list, camelCase types, nulls, isTest
			// as a string in one alert and a boolean in the other.
			Source: abuse.FromSecurityAlert, ID: "6a0b3d1c-7e5f-4a2b-9c8d-0e1f2a3b4c5d",
			Kind:        "networkConnectionsToCryptoMiningPools",
			Title:       "Action Required: Virtual machine connecting to crypto currency mining pool Detected",
			Description: "Analysis of Azure resource network activity detected the resource was communicating with a crypto currency mining pool.",
			Severity:    abuse.NoticeHigh, Confidence: abuse.NoticeMedium, CustomerTenant: cust, Subscription: sub, Offer: "MS-AZR-0017G",
			Resources:     []abuse.AffectedResource{{ID: vmPath + "vm-name", Type: "AzureResource"}},
			DetectedAt:    utc("2023-07-14T19:58:51.778Z"),
			FirstObserved: utc("2023-07-14T17:30:00Z"), LastObserved: utc("2023-07-14T19:30:00Z"),
			Status: abuse.NoticeActive,
			Details: map[string]string{
				"VM_IP": "[\r\n  \"13.89.185.189\"\r\n]", "MiningPool_IP": "[\r\n  \"104.243.33.118\"\r\n]",
				"ConnectionCount": "31", "CryptoCurrencyMiningPoolDomainName": "pool.minexmr.com",
			},
		}, {
			Source: abuse.FromSecurityAlert, ID: sub + "-0d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a",
			Kind: "usageAnomalyDetection", Title: "Usage anomaly detected",
			Description: "A rise in Machine Learning CPU deployment regions against the 30-day trend; a cluster of subscriptions is controlled from one login IP.",
			Severity:    abuse.NoticeMedium, Confidence: "unknownFutureValue", CustomerTenant: cust, Subscription: sub,
			DetectedAt:    utc("2023-07-10T04:00:00Z"),
			FirstObserved: utc("2023-07-09T00:00:00Z"), LastObserved: utc("2023-07-10T00:00:00Z"),
			Status: abuse.NoticeResolved, ResolvedReason: abuse.ResolvedLegitimate,
			ResolvedAt: utc("2023-07-11T09:00:00Z"), ResolvedBy: "admin@contoso.com",
			History: []abuse.StatusChange{
				{From: abuse.NoticeActive, To: abuse.NoticeInvestigating, By: "admin@contoso.com", At: utc("2023-07-10T05:00:00Z")},
				{From: abuse.NoticeInvestigating, To: abuse.NoticeResolved, By: "admin@contoso.com", At: utc("2023-07-11T09:00:00Z")},
			},
		}}},
		{"webhook.json", []abuse.Notice{{
			// A pointer: no detail, the subscription and status in the URI.
			Source: abuse.FromWebhook, ID: "azure-fraud-event-detected@2023-05-16T08:12:31.1234567Z",
			Kind:         "azure-fraud-event-detected",
			Pointer:      "https://api.partnercenter.microsoft.com/v1/fraudEvents?SubscriptionId=" + sub + "&EventStatus=Active",
			Subscription: sub, Status: abuse.NoticeActive, DetectedAt: utc("2023-05-16T08:12:31.1234567Z"),
		}}},
		{"audit_records.json", []abuse.Notice{{
			Source: abuse.FromAuditRecord, ID: partner + "_" + cust + "_reset_customer_user_password_638198610001200000",
			Kind: "reset_customer_user_password", PartnerTenant: partner, CustomerTenant: cust, CustomerName: "test customer",
			Subscription: sub, Actor: "admin@partner.onmicrosoft.com", ResourceType: "customer_user",
			NewValue:   `{"userPrincipalName":"ops2@customer.onmicrosoft.com"}`,
			DetectedAt: utc("2023-05-16T07:50:00.12Z"),
			Details: map[string]string{"operationStatus": "succeeded", "originalCorrelationId": "d9f8e7c6-b5a4-4321-9876-543210fedcba",
				"UserId": "a1b2c3d4", "SubscriptionId": sub},
		}, {
			Source: abuse.FromAuditRecord, ID: partner + "_" + cust + "_create_order_638198613000000000",
			Kind: "create_order", PartnerTenant: partner, CustomerTenant: cust, CustomerName: "test customer",
			Actor: "admin@partner.onmicrosoft.com", ResourceType: "order", DetectedAt: utc("2023-05-16T07:55:00Z"),
			Details: map[string]string{"operationStatus": "succeeded", "applicationId": "00000000-0000-0000-0000-000000000001"},
		}}},
		{"enforcement.json", []abuse.Notice{{
			Source: abuse.FromEnforcement, ID: "AUP-2023-0042", Kind: "crypto mining",
			Description:    "The subscription was disabled after a routine audit found suspicious activity that violates the Acceptable Use Policy.",
			CustomerTenant: cust, Subscription: sub, DetectedAt: utc("2023-05-17T09:00:00Z"),
			Details: map[string]string{"enforcementAction": "suspended"},
		}}},
		{"abuse_report.json", []abuse.Notice{{
			Source: abuse.FromAbuseReport, ID: "MSRC-AB-000123", Kind: "Brute Force", Subscription: sub,
			Resources:     []abuse.AffectedResource{{ID: vmPath + "vm-tools"}},
			DetectedAt:    utc("2024-07-02T10:00:00Z"),
			FirstObserved: utc("2024-07-02T08:00:00Z"), LastObserved: utc("2024-07-02T09:30:00Z"),
			Details: map[string]string{"ips": "13.89.185.189"},
		}, {
			Source: abuse.FromAbuseReport, ID: "MSRC-AB-000124", Kind: "Phishing website", Subscription: sub,
			DetectedAt: utc("2024-07-03T10:00:00Z"),
			Details:    map[string]string{"urls": "https://login-contoso.example/phish"},
		}}},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			data := noticeDoc(t, tc.file)
			got, err := abuse.ParseNotices(noticeDocs[tc.file], data)
			if err != nil {
				t.Fatal(err)
			}
			if diff := gocmp.Diff(tc.want, got, ignoreRaw); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			for _, n := range got {
				if len(n.Raw) == 0 || !strings.Contains(string(data), string(n.Raw)) {
					t.Errorf("notice %s: Raw is not the original document", n.ID)
				}
			}
		})
	}
}

// TestParseNoticesQuirks checks each tolerated quirk on its own.
func TestParseNoticesQuirks(t *testing.T) {
	base := `"eventId":"e1","subscriptionId":"s1","eventTime":"2023-05-16T08:00:00"`
	tests := []struct {
		name  string
		doc   string
		check func(n abuse.Notice) string
	}{
		{"PascalCase keys", `{"EventId":"e1","SubscriptionId":"s1","EventTime":"2023-05-16T08:00:00","EventStatus":"INVESTIGATING"}`,
			func(n abuse.Notice) string { return gocmp.Diff(abuse.NoticeInvestigating, n.Status) }},
		{"number as a number", `{` + base + `,"hitCount":7}`,
			func(n abuse.Notice) string { return gocmp.Diff(int64(7), n.HitCount) }},
		{"number in a string", `{` + base + `,"hitCount":" 12 "}`,
			func(n abuse.Notice) string { return gocmp.Diff(int64(12), n.HitCount) }},
		{"boolean in a string", `{` + base + `,"isTest":"True"}`,
			func(n abuse.Notice) string { return gocmp.Diff(true, n.Test) }},
		{"zone-less time is UTC", `{` + base + `}`,
			func(n abuse.Notice) string { return gocmp.Diff(utc("2023-05-16T08:00:00Z"), n.DetectedAt) }},
		{"offset time becomes UTC", `{"eventId":"e1","subscriptionId":"s1","eventTime":"2023-05-16T13:30:00+05:30"}`,
			func(n abuse.Notice) string { return gocmp.Diff(utc("2023-05-16T08:00:00Z"), n.DetectedAt) }},
		{"sentinel is unresolved", `{` + base + `,"resolvedOn":"9999-12-31T23:59:59.9970000","resolvedReason":"None"}`,
			func(n abuse.Notice) string {
				return gocmp.Diff([2]any{time.Time{}, abuse.Unresolved}, [2]any{n.ResolvedAt, n.ResolvedReason})
			}},
		{"unknown type, status and level kept", `{` + base + `,"eventType":"ARM_BrandNewDetection","eventStatus":"Snoozed","severity":"Critical"}`,
			func(n abuse.Notice) string {
				return gocmp.Diff([3]string{"ARM_BrandNewDetection", "Snoozed", "Critical"}, [3]string{n.Kind, string(n.Status), string(n.Severity)})
			}},
		{"unknown reason kept", `{` + base + `,"resolvedReason":"Duplicate"}`,
			func(n abuse.Notice) string { return gocmp.Diff(abuse.Resolution("Duplicate"), n.ResolvedReason) }},
		{"activity logs as an array", `{` + base + `,"activityLogs":[{"statusFrom":"Active","statusTo":"Resolved","dateTime":"2023-05-16T09:00:00Z"}]}`,
			func(n abuse.Notice) string {
				return gocmp.Diff([]abuse.StatusChange{{From: abuse.NoticeActive, To: abuse.NoticeResolved, At: utc("2023-05-16T09:00:00Z")}}, n.History)
			}},
		{"empty activity log string", `{` + base + `,"activityLogs":""}`,
			func(n abuse.Notice) string { return gocmp.Diff([]abuse.StatusChange(nil), n.History) }},
		{"unknown fields ignored", `{` + base + `,"someNewField":{"a":[1,2]}}`,
			func(n abuse.Notice) string { return gocmp.Diff("e1", n.ID) }},
		{"detail values that are not strings", `{` + base + `,"additionalDetails":{"count":3,"list":["a"],"none":null}}`,
			func(n abuse.Notice) string {
				return gocmp.Diff(map[string]string{"count": "3", "list": `["a"]`}, n.Details)
			}},
		{"one object instead of an array", `{` + base + `}`,
			func(n abuse.Notice) string { return gocmp.Diff("s1", n.Subscription) }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ns, err := abuse.ParseNotices(abuse.FromFraudEvent, []byte(tc.doc))
			if err != nil {
				t.Fatal(err)
			}
			if len(ns) != 1 {
				t.Fatalf("%d notices, want 1", len(ns))
			}
			if diff := tc.check(ns[0]); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// TestParseNoticesErrors checks that problems are located by path, line
// and column, and that all of them are reported at once.
func TestParseNoticesErrors(t *testing.T) {
	tests := []struct {
		name string
		src  abuse.NoticeSource
		doc  string
		want []risk.Issue
	}{
		{"syntax", abuse.FromFraudEvent, "[\n  {\"eventId\": }\n]",
			[]risk.Issue{{Line: 2, Column: 15, Msg: "invalid JSON: invalid character '}' looking for beginning of value"}}},
		{"bad time and number", abuse.FromFraudEvent,
			"[\n {\"eventId\":\"e1\",\"subscriptionId\":\"s\",\n  \"eventTime\":\"yesterday\",\n  \"hitCount\":\"ten\"}\n]",
			[]risk.Issue{
				{Path: "[0].eventTime", Line: 3, Column: 15, Msg: `"yesterday" is not a date-time such as 2021-12-08T00:25:45.69 or 2023-05-16T10:00:00Z`},
				{Path: "[0].hitCount", Line: 4, Column: 14, Msg: `"ten" is not a whole number`},
			}},
		{"second element", abuse.FromSecurityAlert,
			`{"value":[{"id":"a","subscriptionId":"s","detectedDateTime":"2023-01-01T00:00:00Z"},` + "\n" + `{"id":"b","subscriptionId":"s","detectedDateTime":"2023-01-01T00:00:00Z","isTest":"maybe"}]}`,
			[]risk.Issue{{Path: "value[1].isTest", Line: 2, Column: 83, Msg: `"maybe" is not true or false`}}},
		{"missing id and time", abuse.FromAuditRecord, `[{"operationType":"create_order"}]`,
			[]risk.Issue{{Path: "[0]", Line: 1, Column: 2, Msg: "the notice has no id"}}},
		{"no subscription", abuse.FromFraudEvent, `[{"eventId":"e","eventTime":"2023-01-01T00:00:00Z"}]`,
			[]risk.Issue{{Path: "[0]", Line: 1, Column: 2, Msg: "the notice names neither a subscription nor a customer tenant"}}},
		{"not an object", abuse.FromFraudEvent, `[1]`,
			[]risk.Issue{{Path: "[0]", Line: 1, Column: 2, Msg: "want an object"}}},
		{"activity log string not an array", abuse.FromFraudEvent, `{"eventId":"e","subscriptionId":"s","eventTime":"2023-01-01T00:00:00Z","activityLogs":"oops"}`,
			[]risk.Issue{{Path: "activityLogs", Line: 1, Column: 87, Msg: "want an array of objects (or a string holding one)"}}},
		{"trailing text", abuse.FromWebhook, `{} x`, []risk.Issue{{Line: 1, Column: 4, Msg: "unexpected text after the document"}}},
		{"empty", abuse.FromWebhook, ` `, []risk.Issue{{Line: 1, Column: 2, Msg: "no JSON document"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ns, err := abuse.ParseNotices(tc.src, []byte(tc.doc))
			var ne *risk.DocumentError
			if !errors.As(err, &ne) || !errors.Is(err, abuse.ErrInvalidNotice) {
				t.Fatalf("err = %v (%T), want a *risk.DocumentError wrapping ErrInvalidNotice", err, err)
			}
			if ns != nil {
				t.Errorf("notices %v with an error", ns)
			}
			if diff := gocmp.Diff(tc.want, ne.Issues, ignoreErr); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
	if _, err := abuse.ParseNotices("carrier_pigeon", []byte(`{}`)); err == nil {
		t.Error("an unknown source decoded")
	}
}

// TestParseNoticeFile reads batches from several sources and locates a
// problem inside one body by its line in the file.
func TestParseNoticeFile(t *testing.T) {
	file := `{"source":"webhook","received":"2023-05-16T08:13:00Z","body":` + compact(t, noticeDoc(t, "webhook.json")) + "}\n" +
		`{"source":"security_alert","body":` + compact(t, noticeDoc(t, "security_alerts.json")) + "}\n"
	ns, err := abuse.ParseNoticeFile([]byte(file))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, n := range ns {
		got = append(got, string(n.Source)+" "+n.Kind)
	}
	want := []string{"webhook azure-fraud-event-detected", "security_alert networkConnectionsToCryptoMiningPools", "security_alert usageAnomalyDetection"}
	if diff := gocmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	// The same as an array.
	arr := "[" + strings.ReplaceAll(strings.TrimSpace(file), "\n", ",\n") + "]"
	if ns2, err := abuse.ParseNoticeFile([]byte(arr)); err != nil || len(ns2) != len(ns) {
		t.Errorf("array form: %d notices, %v", len(ns2), err)
	}

	bad := file + `{"source":"fraud_event","body":[{"eventId":"e","subscriptionId":"s","eventTime":"never"}]}` + "\n" + `{"source":"telegram","body":{}}` +
		"\n" + `{"source":"webhook","received":"today","body":{}}`
	_, err = abuse.ParseNoticeFile([]byte(bad))
	var ne *risk.DocumentError
	if !errors.As(err, &ne) {
		t.Fatalf("err = %v, want a *risk.DocumentError", err)
	}
	want2 := []risk.Issue{
		{Path: "[2].body[0].eventTime", Line: 3, Column: 81, Msg: `"never" is not a date-time such as 2021-12-08T00:25:45.69 or 2023-05-16T10:00:00Z`},
		{Path: "[3].source", Line: 4, Column: 11, Msg: `"telegram" is not a notice source (want one of [fraud_event security_alert webhook audit_record enforcement abuse_report])`},
		{Path: "[4].received", Line: 5, Column: 32, Msg: `"today" is not an RFC 3339 time`},
	}
	if diff := gocmp.Diff(want2, ne.Issues, ignoreErr); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if !strings.Contains(err.Error(), "3:81: [2].body[0].eventTime") {
		t.Errorf("message %q does not locate the problem", err)
	}
}

func compact(t *testing.T, b []byte) string {
	t.Helper()
	var out strings.Builder
	for _, line := range strings.Split(string(b), "\n") {
		out.WriteString(strings.TrimSpace(line))
	}
	return out.String()
}

func TestNoticeHelpers(t *testing.T) {
	n := abuse.Notice{Details: map[string]string{"vM_IP": "[\r\n  \"13.89.185.189\",\"10.0.0.1\"\r\n]", "plain": "a"}}
	if v, ok := n.Detail("VM_IP"); !ok || !strings.Contains(v, "13.89") {
		t.Errorf("Detail(VM_IP) = %q, %v", v, ok)
	}
	if diff := gocmp.Diff([]string{"13.89.185.189", "10.0.0.1"}, n.DetailList("vm_ip")); diff != "" {
		t.Errorf("DetailList (-want +got):\n%s", diff)
	}
	if diff := gocmp.Diff([]string{"a"}, n.DetailList("plain")); diff != "" {
		t.Errorf("DetailList of a plain value (-want +got):\n%s", diff)
	}
	r := abuse.AffectedResource{ID: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm-1/"}
	if r.Name() != "vm-1" {
		t.Errorf("Name() = %q", r.Name())
	}
	var lv abuse.NoticeLevel
	_ = lv.UnmarshalText([]byte("HIGH"))
	var res abuse.Resolution
	_ = res.UnmarshalText([]byte("Ignored"))
	if lv != abuse.NoticeHigh || res != abuse.ResolvedIgnore || abuse.Unresolved.String() != "none" {
		t.Errorf("level %q, resolution %q", lv, res)
	}
	if err := (&abuse.Notice{Source: abuse.FromFraudEvent}).Validate(); err == nil ||
		!errors.Is(err, abuse.ErrInvalidNotice) ||
		!strings.Contains(err.Error(), "has 3 problems\n\tid: is empty\n\tdetected_at: is missing\n\tsubscription: neither subscription nor customer tenant is given") {
		t.Errorf("Validate = %v", err)
	}
}
