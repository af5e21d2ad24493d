// Command applicants writes examples/data/applicants.jsonl, sign-ups at a
// cloud reseller for the onboarding policy and `riskctl onboard`.
//
//	go run ./examples/gen/applicants           # rewrite the committed file
//	go run ./examples/gen/applicants -o x.jsonl
//
// Without -o it writes examples/data/applicants.jsonl under the module root,
// found by walking up from the working directory to go.mod.
//
// # Output
//
// Each line is one onboarding.Applicant in its JSON form. The first lines
// are the paths the onboarding policy distinguishes, each under a stable id:
//
//	biz-northwind      a clean business: verified, strong commercial report,
//	                   net worth stated, a phone call made, MFA enrolled
//	ind-ana-lima       a clean individual with a band B credit report who
//	                   asks for GPU compute
//	bot-burst-1..4     a robotic sign-up burst: one datacenter address and
//	                   device, forms filled in a second or two, disposable
//	                   email, high bot scores
//	card-stolen        the stolen-card pattern: a foreign card with wrong
//	                   security code and address, shared with other new
//	                   accounts, several cards tried
//	region-prepay      a sign-up from a high-risk region, card authenticated
//	                   with 3-D Secure: approved once it prepays
//	id-pending         an identity check still running
//
// Then come 24 ordinary sign-ups drawn from the seeded source: individuals
// and businesses in several countries and currencies, most verified, some
// with a check pending or not run, a few with a card from abroad, an
// unverified phone or a disposable address.
//
// All sign-ups happen on 2026-11-25 between 08:00 and 18:00 UTC, in time
// order.
//
// # Determinism
//
// The output depends only on the fixed seed of the PCG source in
// generate.go: running the command again rewrites the file byte for byte.
// The package's test regenerates the data in memory and compares it with the
// committed file.
package main
