package abuse

import (
	"cmp"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/riskkit/riskkit/internal/enum"
	"github.com/riskkit/riskkit/internal/text"
	"github.com/riskkit/riskkit/risk"
)

// ActivityOp is what an activity-log record did, in riskkit's terms. The
// zero value is not a valid operation.
type ActivityOp string

// Activity operations the activity detectors read.
const (
	OpRoleGrant           ActivityOp = "role_grant"
	OpGlobalAdminGrant    ActivityOp = "global_admin_grant"
	OpMFADisabled         ActivityOp = "mfa_disabled"
	OpSecurityDefaultsOff ActivityOp = "security_defaults_disabled"
	OpPasswordReset       ActivityOp = "password_reset"
	OpCredentialCreated   ActivityOp = "credential_created"
	OpUserCreated         ActivityOp = "user_created"
	OpSubscriptionCreated ActivityOp = "subscription_created"
	OpQuotaIncrease       ActivityOp = "quota_increase"
	OpDeployment          ActivityOp = "deployment"
	OpSignIn              ActivityOp = "sign_in"
	// OpSpend is one day's spend of the subscription.
	OpSpend ActivityOp = "spend"
)

// ActivityOps returns every operation, in a fixed order.
func ActivityOps() []ActivityOp {
	return []ActivityOp{OpRoleGrant, OpGlobalAdminGrant, OpMFADisabled, OpSecurityDefaultsOff, OpPasswordReset,
		OpCredentialCreated, OpUserCreated, OpSubscriptionCreated, OpQuotaIncrease, OpDeployment, OpSignIn, OpSpend}
}

var activityOps = enum.New("abuse", "activity operation", "unknown", ActivityOps()...)

// String returns the operation's name, or "unknown" for the zero value.
func (o ActivityOp) String() string { return activityOps.Name(o) }

// MarshalText returns the operation's name, "unknown" for the zero value,
// or an error for a value that is not an operation.
func (o ActivityOp) MarshalText() ([]byte, error) { return activityOps.Text(o) }

// UnmarshalText accepts the operation names, "unknown" or empty text for
// the zero value, and refuses anything else.
func (o *ActivityOp) UnmarshalText(b []byte) (err error) {
	*o, err = activityOps.Parse(b)
	return err
}

// ActivityRecord is one entry of an activity log: the provider's audit
// records (see [ActivityFromNotice]) or the customer tenant's own logs,
// which the host maps to these operations.
type ActivityRecord struct {
	Time         time.Time  `json:"time"`
	Subscription string     `json:"subscription"`
	Op           ActivityOp `json:"op"`
	Actor        string     `json:"actor,omitzero"`
	// Target is who or what the operation was done to: the user whose
	// password was reset, the principal granted a role.
	Target string `json:"target,omitzero"`
	Role   string `json:"role,omitzero"`
	// Region is where a deployment went; Country where a sign-in came from
	// (ISO 3166-1 alpha-2).
	Region  string `json:"region,omitzero"`
	Country string `json:"country,omitzero"`
	// Amount is a day's spend.
	Amount risk.Money `json:"amount,omitzero"`
	// Notice is the key of the notice the record came from, if any.
	Notice string `json:"notice,omitzero"`
}

// ActivityFromNotice maps a Partner Center audit record to an activity
// record: reset_customer_user_password is a password reset,
// add_application_credential a credential, create_customer_user and
// create_partner_user new users, create_order new subscriptions,
// increase_spending_limit and update_customer_spending_budget quota
// increases, and creations of customer_directory_role or
// granular_admin_access_assignment resources role grants (global
// administrator grants when the new value names that role). Failed
// operations and other records give false.
func ActivityFromNotice(n *Notice) (ActivityRecord, bool) {
	if n.Source != FromAuditRecord {
		return ActivityRecord{}, false
	}
	if s, ok := n.Detail("operationStatus"); ok && !strings.EqualFold(s, "succeeded") {
		return ActivityRecord{}, false
	}
	r := ActivityRecord{Time: n.DetectedAt, Subscription: n.Subscription, Actor: n.Actor, Notice: n.Key()}
	if r.Subscription == "" {
		r.Subscription = n.CustomerTenant
	}
	switch strings.ToLower(n.Kind) {
	case "reset_customer_user_password":
		r.Op = OpPasswordReset
	case "add_application_credential":
		r.Op = OpCredentialCreated
	case "create_customer_user", "create_partner_user":
		r.Op = OpUserCreated
	case "create_order":
		r.Op = OpSubscriptionCreated
	case "increase_spending_limit", "update_customer_spending_budget":
		r.Op = OpQuotaIncrease
	default:
		rt := strings.ToLower(n.ResourceType)
		if (rt != "customer_directory_role" && rt != "granular_admin_access_assignment") || !strings.HasPrefix(strings.ToLower(n.Kind), "create") && !strings.HasPrefix(strings.ToLower(n.Kind), "add") {
			return ActivityRecord{}, false
		}
		r.Op = OpRoleGrant
		nv := strings.ToLower(n.NewValue)
		if strings.Contains(nv, "global administrator") || strings.Contains(nv, "company administrator") {
			r.Op = OpGlobalAdminGrant
		}
	}
	return r, r.Subscription != ""
}

// ActivityConfig sets the activity-log detectors. The zero value of every
// field selects its documented default.
type ActivityConfig struct {
	// BurstWindow is the span in which resets and credentials count as a
	// burst (default 1 hour).
	BurstWindow time.Duration
	// PasswordResets and Credentials are the bursts that make findings
	// (defaults 5 and 3).
	PasswordResets int
	Credentials    int
	// BulkWindow is the span in which created users and subscriptions count
	// as bulk (default 24 hours); BulkUsers and BulkSubscriptions the
	// counts (defaults 10 and 3).
	BulkWindow        time.Duration
	BulkUsers         int
	BulkSubscriptions int
	// SpendFactor is how many times the subscription's average daily spend
	// a day must reach to count as a jump (default 3); SignInLead how long
	// before the jump a sign-in from a new country counts (default 48
	// hours).
	SpendFactor int64
	SignInLead  time.Duration
}

func (c ActivityConfig) withDefaults() (ActivityConfig, error) {
	is := issues{sentinel: ErrInvalidConfig}
	for _, f := range []struct {
		name     string
		negative bool
	}{{"BurstWindow", c.BurstWindow < 0}, {"PasswordResets", c.PasswordResets < 0}, {"Credentials", c.Credentials < 0},
		{"BulkWindow", c.BulkWindow < 0}, {"BulkUsers", c.BulkUsers < 0}, {"BulkSubscriptions", c.BulkSubscriptions < 0},
		{"SpendFactor", c.SpendFactor < 0}, {"SignInLead", c.SignInLead < 0}} {
		if f.negative {
			is.add(f.name, "is negative")
		}
	}
	if err := is.err("activity config", nil); err != nil {
		return c, err
	}
	c.BurstWindow = cmp.Or(c.BurstWindow, time.Hour)
	c.PasswordResets = cmp.Or(c.PasswordResets, 5)
	c.Credentials = cmp.Or(c.Credentials, 3)
	c.BulkWindow = cmp.Or(c.BulkWindow, 24*time.Hour)
	c.BulkUsers = cmp.Or(c.BulkUsers, 10)
	c.BulkSubscriptions = cmp.Or(c.BulkSubscriptions, 3)
	c.SpendFactor = cmp.Or(c.SpendFactor, 3)
	c.SignInLead = cmp.Or(c.SignInLead, 48*time.Hour)
	return c, nil
}

// ActivityBaseline is what the activity detectors remember of one
// subscription: where it signs in from, where it deploys, and what it
// spends. It is plain data; the host stores it.
type ActivityBaseline struct {
	Subscription string   `json:"subscription"`
	Countries    []string `json:"countries,omitzero"`
	Regions      []string `json:"regions,omitzero"`
	// Spend is the total of SpendDays days of spend.
	Spend     risk.Money `json:"spend,omitzero"`
	SpendDays int64      `json:"spend_days,omitzero"`
}

// ActivityFinding is a finding of the activity detectors with what they
// could not check about it.
type ActivityFinding struct {
	Finding
	// Unchecked says what the logs could not show, such as whether a grant
	// was approved.
	Unchecked []string `json:"unchecked,omitzero"`
}

// ActivityDetector finds account takeover, theft of service and resale in
// activity logs. It is immutable and safe for concurrent use.
//
// Per subscription, over the records given:
//
//	activity.global_admin          a global administrator granted: hacking,
//	                               7.0, 60%
//	activity.admin_grant           another role with admin or owner in its
//	                               name granted: hacking, 4.5, 45%
//	activity.mfa_disabled          MFA or security defaults turned off:
//	                               hacking, 6.5, 60%; 8.0 and 80% when a
//	                               password reset, credential or admin grant
//	                               came in the burst window before
//	activity.password_reset_burst  5 resets in an hour: hacking, 6.0, 60%
//	activity.credential_burst      3 credentials or keys in an hour:
//	                               hacking, 6.5, 60%
//	activity.bulk_users            10 users created in a day: subscription
//	                               resale, 5.0, 50%
//	activity.bulk_subscriptions    3 subscriptions created in a day: theft
//	                               of service, 6.0, 55%
//	activity.quota_increase        a spending limit or quota raised: theft
//	                               of service, 3.5, 35%
//	activity.new_region            a deployment in a region never used
//	                               before: theft of service, 4.0, 40%
//	activity.new_country_spend     a sign-in from a new country within 48
//	                               hours before a day of 3 times the average
//	                               spend: hacking (account takeover), 7.5,
//	                               70%
//
// New regions and countries need history: a subscription without any
// reports them as unchecked instead.
type ActivityDetector struct{ cfg ActivityConfig }

// NewActivityDetector checks cfg and fills in its defaults.
func NewActivityDetector(cfg ActivityConfig) (*ActivityDetector, error) {
	c, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	return &ActivityDetector{cfg: c}, nil
}

// Config returns the configuration with every default filled in.
func (d *ActivityDetector) Config() ActivityConfig { return d.cfg }

// ActivityState is what the activity detectors remember between
// evaluations: each subscription's baseline, sorted by subscription. It is
// plain data that round-trips through JSON; the zero value is empty.
type ActivityState struct {
	Baselines []ActivityBaseline `json:"baselines,omitzero"`
}

// ActivityResult is what one evaluation of the activity detectors found.
// It has no instant at which time alone changes anything: the detectors
// judge only the records they are given, so nothing in the state expires.
type ActivityResult struct {
	// State is the new state, with the records folded into the
	// subscriptions' baselines: store it and pass it back as prev.
	State ActivityState `json:"state"`
	// Findings are sorted by subscription, type and first sighting.
	Findings []ActivityFinding `json:"findings,omitzero"`
	// Unchecked lists the checks that could not be made, by subscription.
	Unchecked []ActivityGap `json:"unchecked,omitzero"`
}

// Evaluate runs the detectors over records, against the state the previous
// evaluation returned, and returns the findings and the new state. Every
// problem of the records comes back at once in a *[risk.DocumentError]
// wrapping [ErrInvalidActivity], with paths such as "[3].time": a record
// without a time, a subscription or a known operation, spend without a
// non-negative amount, or a record dated after now, which the host has
// not seen yet. Spend in a currency unlike the baseline's is an error too.
// prev is not modified.
func (d *ActivityDetector) Evaluate(prev ActivityState, records []ActivityRecord, now time.Time) (ActivityResult, error) {
	if d == nil {
		return ActivityResult{}, errors.New("abuse: nil ActivityDetector")
	}
	if now.IsZero() {
		return ActivityResult{}, errors.New("abuse: the evaluation time is zero")
	}
	bySub := map[string][]ActivityRecord{}
	is := issues{sentinel: ErrInvalidActivity}
	for i, r := range records {
		path := "[" + strconv.Itoa(i) + "]"
		switch {
		case r.Time.IsZero():
			is.add(path+".time", "activity record %d has no time", i)
		case r.Time.After(now):
			is.add(path+".time", "activity record %d at %s is after now, %s", i, r.Time.Format(time.RFC3339), now.Format(time.RFC3339))
		case r.Subscription == "":
			is.add(path+".subscription", "activity record %d has no subscription", i)
		case !slices.Contains(ActivityOps(), r.Op):
			is.add(path+".op", "activity record %d: operation %q is not known", i, r.Op)
		case r.Op == OpSpend && (r.Amount.IsZero() || r.Amount.Sign() < 0):
			is.add(path+".amount", "activity record %d: spend needs a non-negative amount", i)
		default:
			bySub[r.Subscription] = append(bySub[r.Subscription], r)
		}
	}
	if err := is.err("activity records", nil); err != nil {
		return ActivityResult{}, err
	}
	base := map[string]ActivityBaseline{}
	for _, b := range prev.Baselines {
		base[b.Subscription] = b
	}
	var res ActivityResult
	for _, sub := range slices.Sorted(maps.Keys(bySub)) {
		rs := bySub[sub]
		slices.SortStableFunc(rs, func(a, b ActivityRecord) int { return a.Time.Compare(b.Time) })
		b, ok := base[sub]
		if !ok {
			b = ActivityBaseline{Subscription: sub}
		}
		fs, gaps, nb, err := d.detect(b, rs)
		if err != nil {
			return ActivityResult{}, err
		}
		base[sub] = nb
		res.Findings = append(res.Findings, fs...)
		res.Unchecked = append(res.Unchecked, gaps...)
	}
	for _, sub := range slices.Sorted(maps.Keys(base)) {
		res.State.Baselines = append(res.State.Baselines, base[sub])
	}
	slices.SortStableFunc(res.Findings, func(a, b ActivityFinding) int {
		return cmp.Or(cmp.Compare(a.Subscription, b.Subscription), cmp.Compare(a.Type, b.Type), a.FirstSeen.Compare(b.FirstSeen))
	})
	return res, nil
}

// detect runs the detectors over one subscription's records, in time
// order.
func (d *ActivityDetector) detect(b ActivityBaseline, rs []ActivityRecord) ([]ActivityFinding, []ActivityGap, ActivityBaseline, error) {
	sub := b.Subscription
	var out []ActivityFinding
	add := func(typ string, cat Category, sev Severity, conf int, first, last time.Time, count int64, summary string, samples []string, unchecked ...string) {
		f := Finding{Type: typ, Category: cat, Subscription: sub, Severity: sev, Confidence: conf, Summary: summary,
			FirstSeen: first, LastSeen: last, Count: count, Windows: 1, Evidence: Evidence{Samples: samples}}
		if len(samples) > MaxSamples {
			f.Evidence.Samples = samples[:MaxSamples]
		}
		f.ID = findingID(&f)
		out = append(out, ActivityFinding{Finding: f, Unchecked: unchecked})
	}
	burst := func(op ActivityOp, window time.Duration, need int) (first, last time.Time, n int, targets []string) {
		var ts []ActivityRecord
		for _, r := range rs {
			if r.Op == op {
				ts = append(ts, r)
			}
		}
		for i := range ts {
			j := i
			for j < len(ts) && ts[j].Time.Sub(ts[i].Time) < window {
				j++
			}
			if j-i >= need && j-i > n {
				first, last, n = ts[i].Time, ts[j-1].Time, j-i
				targets = nil
				for _, r := range ts[i:j] {
					targets = append(targets, cmp.Or(r.Target, r.Actor))
				}
			}
		}
		return first, last, n, sortedUnique(targets)
	}
	approval := "whether the change was approved: the logs carry no change tickets"

	for i, r := range rs {
		switch r.Op {
		case OpGlobalAdminGrant:
			add("activity.global_admin", Hacking, 70, 60, r.Time, r.Time, 1, "global administrator granted"+to(r.Target)+" by "+cmp.Or(r.Actor, "unknown"),
				[]string{r.Target}, approval)
		case OpRoleGrant:
			if role := strings.ToLower(r.Role); strings.Contains(role, "admin") || strings.Contains(role, "owner") {
				add("activity.admin_grant", Hacking, 45, 45, r.Time, r.Time, 1, r.Role+" granted"+to(r.Target), []string{r.Target}, approval)
			}
		case OpMFADisabled, OpSecurityDefaultsOff:
			sev, conf, why := Severity(65), 60, ""
			for _, p := range rs[:i] {
				if r.Time.Sub(p.Time) <= d.cfg.BurstWindow &&
					(p.Op == OpPasswordReset || p.Op == OpCredentialCreated || p.Op == OpGlobalAdminGrant || p.Op == OpRoleGrant) {
					sev, conf, why = 80, 80, " right after "+string(p.Op)
					break
				}
			}
			add("activity.mfa_disabled", Hacking, sev, conf, r.Time, r.Time, 1, string(r.Op)+" by "+cmp.Or(r.Actor, "unknown")+why,
				nil, "whether the sign-in that did it was the account's owner")
		}
	}
	if first, last, n, ts := burst(OpPasswordReset, d.cfg.BurstWindow, d.cfg.PasswordResets); n > 0 {
		add("activity.password_reset_burst", Hacking, 60, 60, first, last, int64(n), text.Plural(n, "password reset")+" within "+d.cfg.BurstWindow.String(), ts,
			"who asked for the resets")
	}
	if first, last, n, ts := burst(OpCredentialCreated, d.cfg.BurstWindow, d.cfg.Credentials); n > 0 {
		add("activity.credential_burst", Hacking, 65, 60, first, last, int64(n), text.Plural(n, "credential")+" or keys created within "+d.cfg.BurstWindow.String(), ts,
			"what the credentials were used for")
	}
	if first, last, n, ts := burst(OpUserCreated, d.cfg.BulkWindow, d.cfg.BulkUsers); n > 0 {
		add("activity.bulk_users", SubscriptionResale, 50, 50, first, last, int64(n), text.Plural(n, "user")+" created within "+d.cfg.BulkWindow.String(), ts,
			"whom the users belong to: the logs name accounts, not people")
	}
	if first, last, n, ts := burst(OpSubscriptionCreated, d.cfg.BulkWindow, d.cfg.BulkSubscriptions); n > 0 {
		add("activity.bulk_subscriptions", TheftOfService, 60, 55, first, last, int64(n), text.Plural(n, "subscription")+" created within "+d.cfg.BulkWindow.String(), ts,
			"whether payment was collected for them")
	}
	for _, r := range rs {
		if r.Op == OpQuotaIncrease {
			add("activity.quota_increase", TheftOfService, 35, 35, r.Time, r.Time, 1, "spending limit or quota raised by "+cmp.Or(r.Actor, "unknown"), nil,
				"whether the customer asked for it", "the size of the increase")
		}
	}

	knownRegions, knownCountries := len(b.Regions) > 0, len(b.Countries) > 0
	newRegion, newCountry := map[string]bool{}, []ActivityRecord{}
	for _, r := range rs {
		switch r.Op {
		case OpDeployment:
			reg := strings.ToLower(strings.TrimSpace(r.Region))
			if reg == "" {
				continue
			}
			if knownRegions && !slices.Contains(b.Regions, reg) && !newRegion[reg] {
				newRegion[reg] = true
				add("activity.new_region", TheftOfService, 40, 40, r.Time, r.Time, 1, "first deployment in region "+reg, []string{reg},
					"whether the customer planned the region")
			}
			if !slices.Contains(b.Regions, reg) {
				b.Regions = append(b.Regions, reg)
				slices.Sort(b.Regions)
			}
		case OpSignIn:
			c := strings.ToUpper(strings.TrimSpace(r.Country))
			if c == "" {
				continue
			}
			if knownCountries && !slices.Contains(b.Countries, c) {
				newCountry = append(newCountry, r)
			}
		}
	}
	spendDays := 0
	for _, r := range rs {
		if r.Op != OpSpend {
			continue
		}
		spendDays++
		if b.SpendDays > 0 && !b.Spend.IsZero() && b.Spend.Sign() > 0 {
			lhs, err1 := r.Amount.Mul(b.SpendDays)
			rhs, err2 := b.Spend.Mul(d.cfg.SpendFactor)
			c, err3 := lhs.Cmp(rhs)
			if err := errors.Join(err1, err2, err3); err != nil {
				return nil, nil, b, fmt.Errorf("abuse: activity spend of %s: %w", sub, err)
			}
			if c >= 0 {
				for _, s := range newCountry {
					if !s.Time.After(r.Time.Add(24*time.Hour)) && r.Time.Sub(s.Time) <= d.cfg.SignInLead {
						add("activity.new_country_spend", Hacking, 75, 70, s.Time, r.Time, 1,
							fmt.Sprintf("sign-in from new country %s, then spend of %s on %s", s.Country, r.Amount, r.Time.Format("2006-01-02")),
							[]string{s.Country, cmp.Or(s.Actor, s.Target)}, "whether the sign-in was the owner travelling")
						break
					}
				}
			}
		}
		var err error
		if b.Spend.IsZero() {
			b.Spend = r.Amount
		} else if b.Spend, err = b.Spend.Add(r.Amount); err != nil {
			return nil, nil, b, fmt.Errorf("abuse: activity spend of %s: %w", sub, err)
		}
		b.SpendDays++
	}
	for _, r := range rs {
		if c := strings.ToUpper(strings.TrimSpace(r.Country)); r.Op == OpSignIn && c != "" && !slices.Contains(b.Countries, c) {
			b.Countries = append(b.Countries, c)
			slices.Sort(b.Countries)
		}
	}
	var gaps []ActivityGap
	if !knownRegions && slices.ContainsFunc(rs, func(r ActivityRecord) bool { return r.Op == OpDeployment }) {
		gaps = append(gaps, ActivityGap{sub, "activity.new_region", "no region history yet: every region is new"})
	}
	if !knownCountries && slices.ContainsFunc(rs, func(r ActivityRecord) bool { return r.Op == OpSignIn }) {
		gaps = append(gaps, ActivityGap{sub, "activity.new_country_spend", "no sign-in history yet: every country is new"})
	}
	if len(newCountry) > 0 && spendDays == 0 {
		gaps = append(gaps, ActivityGap{sub, "activity.new_country_spend", "sign-ins from new countries, but no spend records to compare"})
	}
	return out, gaps, b, nil
}

func to(target string) string {
	if target == "" {
		return ""
	}
	return " to " + target
}

// ActivityGap is a check the activity detectors could not make for a
// subscription.
type ActivityGap struct {
	Subscription string `json:"subscription"`
	Check        string `json:"check"`
	Why          string `json:"why"`
}
