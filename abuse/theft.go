package abuse

import (
	"strings"
	"time"

	"github.com/riskkit/riskkit/internal/text"
	"github.com/riskkit/riskkit/risk"
)

// theftDetector looks for theft of service, customers who do not mean to
// pay:
//
//   - "theft.exposure": unbilled and outstanding usage beyond prepayment
//     plus credit limit (medium; high when no payment has ever arrived,
//     service used before payment). A credit limit or prepayment that was
//     not supplied counts as none, so a missing limit never hides exposure;
//   - "theft.account_burst": at least SharedAccounts other recent accounts
//     share this one's device, card or address (medium; high at three
//     times the threshold);
//   - "theft.country_mismatch": the billing, sign-up IP, phone and card
//     countries disagree (low for two countries, medium for three or more);
//   - "theft.sudden_deployment": an account younger than NewAccount deploys
//     at least GPUs GPUs (high) or Instances instances (medium) in one
//     window.
//
// A check whose facts the account does not carry is reported as a gap (see
// [GapReporter]), so that an empty Account is unchecked rather than clean.
type theftDetector struct{ cfg TheftConfig }

func (d *theftDetector) Name() string      { return "theft" }
func (d *theftDetector) Sources() []Source { return []Source{SourceAccount} }
func (d *theftDetector) Traits() Traits {
	return Traits{Optional: []Source{SourceActivity}, OrderIndependent: true, SubscriptionWide: true}
}

func (d *theftDetector) Detect(in *DetectorInput) []Finding {
	t := in.Telemetry
	a := t.Account
	if a == nil {
		return nil
	}
	var out []Finding
	if f, ok := d.exposure(t, a); ok {
		out = append(out, f)
	}

	shared := map[string]int64{}
	var most int64
	for _, s := range []struct {
		name string
		sig  risk.Signal
	}{{"device", a.AccountsSharingDevice}, {"card", a.AccountsSharingCard}, {"address", a.AccountsSharingAddress}} {
		if n, ok := s.sig.Get(); ok && n >= d.cfg.SharedAccounts {
			shared["accounts_sharing_"+s.name] = n
			most = max(most, n)
		}
	}
	if len(shared) > 0 {
		sev := Severity(50)
		if most >= satMul(3, d.cfg.SharedAccounts) {
			sev = 70
		}
		var what []string
		for _, k := range []string{"device", "card", "address"} {
			if n, ok := shared["accounts_sharing_"+k]; ok {
				what = append(what, text.Plural(n, "account")+" share its "+k)
			}
		}
		out = append(out, Finding{
			Type: "theft.account_burst", Category: TheftOfService, Severity: sev, Confidence: 70,
			Summary:   "account burst: " + strings.Join(what, ", "),
			Evidence:  Evidence{Counts: shared},
			FirstSeen: t.Window.Start, LastSeen: t.Window.End, Count: most,
		})
	}

	var countries, labelled []string
	for _, c := range []struct{ name, code string }{
		{"billing", a.BillingCountry}, {"ip", a.IPCountry}, {"phone", a.PhoneCountry}, {"card", a.CardCountry},
	} {
		if c.code != "" {
			code := strings.ToUpper(c.code)
			countries = append(countries, code)
			labelled = append(labelled, c.name+"="+code)
		}
	}
	if distinct := len(sortedUnique(countries)); distinct >= 2 {
		sev, conf := Severity(25), 35
		if distinct >= 3 {
			sev, conf = 45, 55
		}
		out = append(out, Finding{
			Type: "theft.country_mismatch", Category: TheftOfService, Severity: sev, Confidence: conf,
			Summary:   "countries disagree: " + strings.Join(labelled, ", "),
			Evidence:  Evidence{Counts: map[string]int64{"countries": int64(distinct)}, Samples: labelled},
			FirstSeen: t.Window.Start, LastSeen: t.Window.End, Count: int64(distinct),
		})
	}

	if !a.CreatedAt.IsZero() {
		var gpus, instances int64
		var skus []string
		var when span
		for i := range t.Activity {
			e := &t.Activity[i]
			if e.Kind != Deployment || e.Count <= 0 || e.Time.Sub(a.CreatedAt) >= d.cfg.NewAccount || e.Time.Before(a.CreatedAt) {
				continue
			}
			instances = satAdd(instances, e.Count)
			gpus = satAdd(gpus, satMul(e.Count, max(e.GPUs, 0)))
			skus = append(skus, e.SKU)
			when.add(e.Time)
		}
		if gpus >= d.cfg.GPUs || instances >= d.cfg.Instances {
			sev, conf := Severity(55), 60
			if gpus >= d.cfg.GPUs {
				sev, conf = 70, 70
			}
			out = append(out, Finding{
				Type: "theft.sudden_deployment", Category: TheftOfService, Severity: sev, Confidence: conf,
				Summary: "new account deployed " + text.Plural(instances, "instance") + " with " + text.Plural(gpus, "GPU") +
					" in its first " + days(d.cfg.NewAccount),
				Evidence:  Evidence{Counts: map[string]int64{"instances": instances, "gpus": gpus}, Samples: samples(sortedUnique(skus))},
				FirstSeen: when.first, LastSeen: when.last, Count: instances,
			})
		}
	}
	return out
}

// DetectGaps returns the findings and the theft checks the account facts
// could not support: an account with nothing filled in is unchecked, not
// clean.
func (d *theftDetector) DetectGaps(in *DetectorInput) ([]Finding, []string) {
	return d.Detect(in), d.gaps(in)
}

func (d *theftDetector) gaps(in *DetectorInput) []string {
	a := in.Telemetry.Account
	if a == nil {
		return nil
	}
	var gaps []string
	if a.Unbilled.IsZero() {
		gaps = append(gaps, "exposure: unbilled usage not supplied")
	}
	if !a.PaymentsChecked {
		gaps = append(gaps, "use before payment: payments not supplied")
	}
	_, dev := a.AccountsSharingDevice.Get()
	_, card := a.AccountsSharingCard.Get()
	_, addr := a.AccountsSharingAddress.Get()
	if !dev && !card && !addr {
		gaps = append(gaps, "account burst: no counts of accounts sharing a device, card or address supplied")
	}
	n := 0
	for _, c := range []string{a.BillingCountry, a.IPCountry, a.PhoneCountry, a.CardCountry} {
		if c != "" {
			n++
		}
	}
	if n < 2 {
		gaps = append(gaps, "country mismatch: fewer than two of the billing, sign-up IP, phone and card countries supplied")
	}
	if a.CreatedAt.IsZero() {
		gaps = append(gaps, "sudden deployment: account creation time not supplied")
	}
	return gaps
}

// exposure reports unbilled and outstanding usage beyond what prepayment
// and credit cover.
func (d *theftDetector) exposure(t *Telemetry, a *AccountFacts) (Finding, bool) {
	if a.Unbilled.IsZero() {
		return Finding{}, false
	}
	owed, err := a.Unbilled.Add(a.Outstanding)
	if err != nil {
		return Finding{}, false
	}
	covered, err := a.Prepaid.Add(a.CreditLimit)
	if err != nil {
		return Finding{}, false
	}
	over, err := owed.Sub(covered)
	if err != nil || over.Sign() <= 0 {
		return Finding{}, false
	}
	sev, summary := Severity(50), "usage beyond prepayment and credit: "+over.String()+" exposed"
	neverPaid := a.PaymentsChecked && a.FirstPaymentAt.IsZero()
	if neverPaid {
		sev, summary = 70, summary+", and no payment has arrived yet"
	}
	amounts := map[string]risk.Money{"exposure": over, "unbilled": a.Unbilled}
	for k, m := range map[string]risk.Money{"outstanding": a.Outstanding, "prepaid": a.Prepaid, "credit_limit": a.CreditLimit} {
		if !m.IsZero() {
			amounts[k] = m
		}
	}
	f := Finding{
		Type: "theft.exposure", Category: TheftOfService, Severity: sev, Confidence: 90,
		Summary:   summary,
		Evidence:  Evidence{Amounts: amounts},
		FirstSeen: t.Window.Start, LastSeen: t.Window.End, Count: 1,
	}
	if neverPaid {
		f.Evidence.Counts = map[string]int64{"payments": 0}
	}
	return f, true
}

// days formats a duration in whole days when it is one, as in "7 days".
func days(d time.Duration) string {
	if d%(24*time.Hour) == 0 {
		return text.Plural(d/(24*time.Hour), "day")
	}
	return d.String()
}
