package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"time"
)

// The files written.
const (
	noticesFile   = "notices.jsonl"
	decisionsFile = "notices_decisions.json"
)

// seed fixes the output; change it only together with the committed files.
const seed1, seed2 = 2026_11_16, 0x4e071ce5

// day is the day of the abuse example's telemetry.
var day = time.Date(2026, 11, 16, 0, 0, 0, 0, time.UTC)

// at returns a time on day (or after) from hours and minutes.
func at(h, m int) time.Time {
	return day.Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute)
}

// zoneless writes a time as the fraud events API does: no zone, two
// decimals.
func zoneless(t time.Time) string { return t.Format("2006-01-02T15:04:05.00") }

// batch is one line of notices.jsonl.
type batch struct {
	Source   string    `json:"source"`
	Received time.Time `json:"received"`
	Body     any       `json:"body"`
}

// decision is one entry of notices_decisions.json: a host decision that
// names its case by a notice in it.
type decision struct {
	ID         string    `json:"id"`
	Notice     string    `json:"notice"`
	Kind       string    `json:"kind"`
	Resolution string    `json:"resolution,omitempty"`
	By         string    `json:"by"`
	At         time.Time `json:"at"`
	Note       string    `json:"note,omitempty"`
}

type obj = map[string]any

// ids draws GUIDs from the seeded source.
type ids struct{ r *rand.Rand }

func (g ids) guid() string {
	a, b := g.r.Uint64(), g.r.Uint64()
	return fmt.Sprintf("%08x-%04x-4%03x-%04x-%012x", a>>32, a>>16&0xffff, a&0xfff, 0x8000|b>>48&0x3fff, b&0xffffffffffff)
}

func armVM(sub, vm string) string {
	return "/subscriptions/" + sub + "/resourceGroups/rg-" + sub + "/providers/Microsoft.Compute/virtualMachines/" + vm
}

// generate returns the two files.
func generate() ([]byte, []byte, error) {
	g := ids{rand.New(rand.NewPCG(seed1, seed2))}
	partner := g.guid()
	minerEntity, advisoryEntity, blindEntity := g.guid(), g.guid(), g.guid()
	minerEvent := "sub-023_" + minerEntity
	blindEvent := "sub-027_" + blindEntity
	alerts := map[string]string{}
	for _, s := range []string{"sub-026", "sub-021", "sub-047", "sub-002", "sub-003", "sub-022"} {
		alerts[s] = s + "-" + g.guid()
	}
	analysts := []string{"ana@partner.example", "ben@partner.example"}

	newModel := func(sub, entity, typ string, detected time.Time) obj {
		return obj{
			"eventTime": zoneless(detected), "eventId": sub + "_" + entity, "eventType": typ,
			"partnerTenantId": partner, "partnerFriendlyName": "Example Cloud Partner",
			"customerTenantId": "tn-" + sub, "customerFriendlyName": "Customer " + sub,
			"subscriptionId": sub, "subscriptionName": "Production", "subscriptionType": "modern",
			"entityId": entity, "hitCount": "0", "catalogOfferId": "ms-azr-17g", "eventStatus": "Active",
			"resolvedReason": "None", "resolvedOn": "9999-12-31T23:59:59.9970000", "resolvedBy": "",
			"country": "US", "IsTest": "false", "activityLogs": "",
		}
	}
	miner := newModel("sub-023", minerEntity, "NetworkConnectionsToCryptoMiningPools", at(9, 36).Add(2530*time.Millisecond))
	for k, v := range (obj{
		"severity": "High", "confidenceLevel": "high", "hitCount": "57",
		"displayName": "Action Required: Virtual machine connecting to crypto currency mining pool Detected",
		"description": "Analysis of Azure resource network activity detected the resource was communicating with a crypto currency mining pool.",
		"entityName":  "vm-gpu", "entityUrl": armVM("sub-023", "vm-gpu"), "serviceName": "Microsoft.Compute",
		"resourceName": "vm-gpu", "resourceGroupName": "rg-sub-023",
		"firstOccurrence": zoneless(at(8, 10)), "lastOccurrence": zoneless(at(9, 30)),
		"firstObserved": zoneless(at(8, 10)), "lastObserved": zoneless(at(9, 30)),
		"affectedResources": []obj{{"azureResourceId": armVM("sub-023", "vm-gpu"), "type": "Microsoft.Compute/virtualMachines"}},
		"additionalDetails": obj{
			"resourceid": armVM("sub-023", "vm-gpu"), "resourcetype": "Microsoft.Compute/virtualMachines",
			"vM_IP": "[\r\n  \"20.61.14.9\"\r\n]", "miningPool_IP": "[\r\n  \"193.233.59.197\"\r\n]",
			"connectionCount": "57", "cryptoCurrencyMiningPoolDomainName": "gulf.moneroocean.stream",
		},
	}) {
		miner[k] = v
	}
	advisory := newModel("sub-001", advisoryEntity, "ServiceHealthSecurityAdvisory", at(6, 0))
	advisory["severity"], advisory["confidenceLevel"] = "Low", "Medium"
	advisory["displayName"] = "Security advisory sent to the customer"
	advisory["affectedResources"] = []obj{}
	// The old model: no type, no levels, the sentinel for unobserved too.
	blind := obj{
		"eventTime": "2026-11-16T08:55:45.69", "eventId": blindEvent,
		"partnerTenantId": partner, "partnerFriendlyName": "Example Cloud Partner",
		"customerTenantId": "tn-sub-027", "customerFriendlyName": "Customer sub-027",
		"subscriptionId": "sub-027", "subscriptionType": "modern", "entityId": blindEntity, "entityName": "vm-batch",
		"entityUrl": `\subscriptions\sub-027\vm-batch`, "hitCount": "212", "catalogOfferId": "ms-azr-17g",
		"eventStatus": "Active", "serviceName": "Microsoft.Compute", "resourceName": "vm-batch", "resourceGroupName": "rg-sub-027",
		"firstOccurrence": "2026-11-16T08:00:00", "lastOccurrence": "2026-11-16T08:50:00",
		"resolvedReason": "None", "resolvedOn": "9999-12-31T23:59:59.9970000", "resolvedBy": "",
		"firstObserved": "9999-12-31T23:59:59.9970000", "lastObserved": "9999-12-31T23:59:59.9970000",
	}

	graph := func(sub, typ, status, sev, conf string, detected, first, last time.Time, res []obj) obj {
		return obj{
			"@odata.type": "#microsoft.graph.partner.security.partnerSecurityAlert",
			"id":          alerts[sub], "displayName": typ + " detected", "description": "See the alert reference for " + typ + ".",
			"alertType": typ, "status": status, "severity": sev, "confidenceLevel": conf,
			"customerTenantId": "tn-" + sub, "subscriptionId": sub, "valueAddedResellerTenantId": nil, "catalogOfferId": "MS-AZR-0017G",
			"detectedDateTime": detected.Format(time.RFC3339Nano), "firstObservedDateTime": first.Format(time.RFC3339),
			"lastObservedDateTime": last.Format(time.RFC3339), "resolvedReason": nil, "resolvedOnDateTime": nil, "resolvedBy": nil,
			"isTest": "false", "affectedResources": res, "activityLogs": []obj{}, "additionalDetails": obj{},
		}
	}
	res := func(sub, vm string) []obj {
		return []obj{{"resourceId": armVM(sub, vm), "resourceType": "AzureResource"}}
	}
	anomaly := graph("sub-026", "usageAnomalyDetection", "active", "medium", "medium", at(9, 20), at(8, 0), at(9, 0), []obj{})
	pentest := graph("sub-021", "ARM_SuspiciousOperations", "active", "high", "medium", at(9, 5), at(8, 20), at(8, 50), res("sub-021", "vm-pentest"))
	quiet := graph("sub-047", "ARM_AnomalousResourceConsumption", "active", "high", "high", at(9, 58), at(8, 0), at(9, 45), res("sub-047", "vm-web"))
	test := graph("sub-002", "networkConnectionsToCryptoMiningPools", "active", "high", "high", at(9, 0), at(8, 0), at(8, 30), res("sub-002", "vm-web"))
	test["isTest"] = "true"
	unknown := graph("sub-003", "AzureOpenAI_AnomalousTokenUsage", "active", "medium", "unknownFutureValue", at(9, 40), at(9, 0), at(9, 30), []obj{})
	// Resolved in the portal before the host fetched it.
	settled := graph("sub-022", "usageAnomalyDetection", "resolved", "low", "low", at(10, 50), at(10, 0), at(10, 30), res("sub-022", "vm-web"))
	settled["resolvedReason"], settled["resolvedOnDateTime"], settled["resolvedBy"] = "legitimate", at(11, 20).Format(time.RFC3339), analysts[1]
	settled["activityLogs"] = []obj{
		{"statusFrom": "active", "statusTo": "resolved", "updatedBy": analysts[1], "updatedDateTime": at(11, 20).Format(time.RFC3339)},
	}
	// A day later the provider sees the anomaly again and reactivates the
	// alert the analysts had ignored.
	again := graph("sub-026", "usageAnomalyDetection", "active", "high", "medium", at(9, 20), at(8, 0), at(24+8, 40), []obj{})
	again["activityLogs"] = []obj{
		{"statusFrom": "active", "statusTo": "resolved", "updatedBy": analysts[0], "updatedDateTime": at(12, 30).Format(time.RFC3339)},
		{"statusFrom": "resolved", "statusTo": "active", "updatedBy": "provider", "updatedDateTime": at(24+8, 55).Format(time.RFC3339)},
	}

	audit := func(sub, op, rtype string, when time.Time, extra obj) obj {
		o := obj{
			"partnerId": partner, "customerId": "tn-" + sub, "customerName": "Customer " + sub,
			"userPrincipalName": "admin@" + sub + ".example", "resourceType": rtype, "operationType": op,
			"operationDate": when.Format(time.RFC3339Nano), "operationStatus": "succeeded",
			"customizedData": []obj{{"key": "SubscriptionId", "value": sub}},
			"id":             fmt.Sprintf("%s_tn-%s_%s_%d", partner, sub, op, when.UnixNano()/100),
		}
		for k, v := range extra {
			o[k] = v
		}
		return o
	}
	var records []obj
	for i := range 6 {
		records = append(records, audit("sub-034", "reset_customer_user_password", "customer_user", at(10, 2+7*i),
			obj{"resourceNewValue": fmt.Sprintf(`{"userPrincipalName":"user%d@sub-034.example"}`, i+1)}))
	}
	for i := range 3 {
		records = append(records, audit("sub-034", "add_application_credential", "application_credential", at(10, 45+3*i), nil))
	}
	records = append(records,
		audit("sub-034", "add_member_to_customer_directory_role", "customer_directory_role", at(10, 58),
			obj{"resourceNewValue": `{"roleName":"Global Administrator","member":"helpdesk@sub-034.example"}`}),
		audit("sub-044", "create_order", "order", at(9, 10), nil),
		audit("sub-044", "create_order", "order", at(9, 12), nil),
		audit("sub-044", "create_order", "order", at(9, 15), nil),
		audit("sub-045", "increase_spending_limit", "spending_limit", at(9, 30), nil),
		audit("sub-045", "create_order", "order", at(9, 31), obj{"operationStatus": "failed"}),
	)

	batches := []batch{
		{"webhook", at(9, 40), obj{
			"EventName":    "azure-fraud-event-detected",
			"ResourceUri":  "https://api.partnercenter.microsoft.com/v1/fraudEvents?SubscriptionId=sub-023&EventStatus=Active",
			"ResourceName": nil, "AuditUri": nil, "ResourceChangeUtcDate": "2026-11-16T09:38:12.1234567+00:00",
		}},
		{"fraud_event", at(9, 45), []obj{miner, advisory}},
		{"fraud_event", at(9, 50), []obj{blind}},
		{"security_alert", at(10, 0), obj{
			"@odata.context": "https://graph.microsoft.com/beta/$metadata#security/partner/securityAlerts",
			"value":          []obj{anomaly, pentest, quiet, test, unknown},
		}},
		{"audit_record", at(11, 0), obj{"totalCount": len(records), "items": records, "attributes": obj{"objectType": "Collection"}}},
		{"enforcement", at(11, 30), obj{
			"caseId": "AUP-2026-1116-0028", "violation": "DDoS", "enforcementAction": "suspended",
			"subscriptionId": "sub-028", "customerTenantId": "tn-sub-028", "noticeDateTime": at(11, 20).Format(time.RFC3339),
			"firstObservedDateTime": at(9, 0).Format(time.RFC3339), "lastObservedDateTime": at(10, 50).Format(time.RFC3339),
			"resourceIds": []string{armVM("sub-028", "vm-web")},
			"description": "The subscription was suspended: it sent a flood of UDP traffic to a third party.",
		}},
		{"abuse_report", at(13, 0), []obj{
			{"reportId": "MSRC-AB-" + g.guid()[:8], "incidentType": "Spam", "subscriptionId": "sub-036",
				"reportedDateTime": at(12, 40).Format(time.RFC3339), "firstObservedDateTime": at(9, 0).Format(time.RFC3339),
				"lastObservedDateTime": at(11, 0).Format(time.RFC3339), "ips": []string{"20.61.36.11"},
				"resourceIds": []string{armVM("sub-036", "vm-new")}},
			{"reportId": "MSRC-AB-" + g.guid()[:8], "incidentType": "Phishing website", "subscriptionId": "sub-040",
				"reportedDateTime": "2026-11-16T12:50:00", "urls": []string{"https://sub-040.example/login/verify"},
				"resourceIds": []string{armVM("sub-040", "vm-web")}},
		}},
		{"security_alert", at(24+9, 10), obj{"value": []obj{again, settled}}},
	}
	var nb bytes.Buffer
	enc := json.NewEncoder(&nb)
	enc.SetEscapeHTML(false)
	for _, b := range batches {
		if err := enc.Encode(b); err != nil {
			return nil, nil, err
		}
	}

	a, b := analysts[0], analysts[1]
	fe, sa := func(id string) string { return "fraud_event:" + id }, func(sub string) string { return "security_alert:" + alerts[sub] }
	ds := []decision{
		{"d01", fe(minerEvent), "acknowledge", "", a, at(9, 50), ""},
		{"d02", fe(minerEvent), "investigate", "", a, at(10, 5), "pool connections confirmed in the flow logs"},
		{"d03", fe(minerEvent), "resolve", "fraud", a, at(10, 50), "xmrig under a compromised account; VM deallocated"},
		{"d04", fe("sub-001_" + advisoryEntity), "resolve", "ignore", b, at(10, 15), "advisory copy; the customer was told"},
		{"d05", sa("sub-021"), "acknowledge", "", b, at(10, 10), ""},
		{"d06", sa("sub-021"), "resolve", "legitimate", b, at(10, 30), "authorised penetration test, ticket SEC-114"},
		{"d07", sa("sub-026"), "acknowledge", "", a, at(10, 12), ""},
		{"d08", sa("sub-026"), "resolve", "ignore", a, at(12, 30), "nightly batch job"},
		{"d09", sa("sub-047"), "acknowledge", "", b, at(10, 30), ""},
		{"d10", sa("sub-047"), "investigate", "", b, at(11, 0), "GPU spend far above plan; customer not answering"},
		{"d11", sa("sub-003"), "acknowledge", "", b, at(10, 40), "unknown alert type: asked the provider"},
		{"d12", fe(blindEvent), "acknowledge", "", a, at(11, 30), ""},
		{"d13", "enforcement:AUP-2026-1116-0028", "acknowledge", "", a, at(11, 40), ""},
		{"d14", "enforcement:AUP-2026-1116-0028", "resolve", "fraud", a, at(12, 0), "compromised web server; customer informed"},
		{"d15", sa("sub-026"), "acknowledge", "", a, at(24+9, 30), "reactivated: looking again"},
		{"d16", sa("sub-026"), "resolve", "fraud", a, at(24+11, 0), "a miner after all, hidden in the batch job"},
		{"d17", fe(blindEvent), "resolve", "fraud", b, at(24+10, 0), "miner without an agent; the detectors could not see it"},
	}
	db, err := json.MarshalIndent(ds, "", "  ")
	if err != nil {
		return nil, nil, err
	}
	return nb.Bytes(), append(db, '\n'), nil
}
