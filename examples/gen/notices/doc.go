// Command notices writes examples/data/notices.jsonl, the provider's
// fraud and misuse notices about the subscriptions of the abuse example,
// and examples/data/notices_decisions.json, what the partner's analysts
// decided about them; `riskctl notices` triages and replays them.
//
//	go run ./examples/gen/notices          # rewrite the committed files
//	go run ./examples/gen/notices -o dir
//
// # Output
//
// notices.jsonl holds one abuse.NoticeBatch a line: a response body as the
// host received it, with the time it was received. The bodies are written
// the way the provider writes them, every documented quirk included:
// timestamps without a zone and with offsets, numbers and booleans in
// strings, IsTest in PascalCase, activityLogs as a JSON string, the
// 9999-12-31 "not resolved" sentinel, "None" reasons, detail lists as JSON
// inside strings, and alert types and levels riskkit does not know.
//
//	webhook         an azure-fraud-event-detected pointer for sub-023
//	fraud_event     the new events model: sub-023's miner (its detectors saw
//	                it too), a service-health advisory for sub-001; the old
//	                model: sub-027's miner no detector can see
//	security_alert  a Graph list: sub-026's usage anomaly, sub-021's
//	                authorised penetration test, sub-047's quiet fraud, a
//	                test alert and an unknown alert type; a day later the
//	                provider reactivates sub-026's alert, and sub-022's
//	                alert arrives already resolved as legitimate in the
//	                portal
//	audit_record    an audit records page: password resets, credentials and
//	                a global administrator grant in bursts on sub-034,
//	                three orders in minutes on sub-044, a spending limit
//	                raised and a failed order on sub-045
//	enforcement     the provider suspends sub-028 for a DDoS
//	abuse_report    third parties report spam from sub-036 and phishing on
//	                sub-040
//
// notices_decisions.json lists the analysts' decisions, each naming the
// notice whose case it is about.
//
// # Determinism
//
// Ids come from a PCG source with a fixed seed, so the files are the same
// on every run; a test compares them with the committed copies.
package main
