package abuse

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/riskkit/riskkit/internal/decode"
	"github.com/riskkit/riskkit/internal/enum"
	"github.com/riskkit/riskkit/risk"
)

// Enforcement is an enforcement step of the ladder, from the softest: none,
// notify, throttle, suspend. The zero value is NoAction.
type Enforcement string

// Actions. An enforcement policy's outcomes are these names, most severe
// first, with "none" for NoAction.
const (
	NoAction Enforcement = ""
	Notify   Enforcement = "notify"
	Throttle Enforcement = "throttle"
	Suspend  Enforcement = "suspend"
)

var actions = enum.New("abuse", "action", "none", Suspend, Throttle, Notify)

// String returns the action's name, or "none" for the zero value.
func (a Enforcement) String() string { return actions.Name(a) }

// MarshalText returns the action's name, "none" for the zero value,
// or an error for a value that is not an action.
func (a Enforcement) MarshalText() ([]byte, error) { return actions.Text(a) }

// UnmarshalText accepts the action names, "none" or empty text for
// the zero value, and refuses anything else.
func (a *Enforcement) UnmarshalText(b []byte) (err error) {
	*a, err = actions.Parse(b)
	return err
}

// rank orders actions from the softest.
func (a Enforcement) rank() int {
	switch a {
	case Notify:
		return 1
	case Throttle:
		return 2
	case Suspend:
		return 3
	}
	return 0
}

// Step is one concrete thing a host does to carry out an action. The
// zero value is no step.
type Step string

// Steps. Every action but NoAction tells the customer and the partner, as
// the source guidance requires the partner to be notified of enforcement.
// Throttling picks the steps that stop the kind of misuse found without
// stopping the customer's other work.
const (
	StepNotifyCustomer     Step = "notify_customer"
	StepNotifyPartner      Step = "notify_partner"
	StepSuspend            Step = "suspend_subscription"
	StepBlockPort25        Step = "block_outbound_port_25"
	StepBlockSubmission    Step = "block_outbound_submission_ports"
	StepCapGPUQuota        Step = "cap_gpu_quota"
	StepBlockPoolPorts     Step = "block_mining_pool_ports"
	StepRateLimitEgress    Step = "rate_limit_egress"
	StepRestrictEgress     Step = "restrict_egress_ports"
	StepQuarantineContent  Step = "quarantine_hosted_content"
	StepBlockDomains       Step = "block_listed_domains"
	StepBlockForeignSignIn Step = "block_foreign_tenant_sign_ins"
	StepHoldProvisioning   Step = "hold_new_provisioning"
	StepRequirePrepayment  Step = "require_prepayment"
)

var stepNames = enum.New("abuse", "step", "", StepNotifyCustomer, StepNotifyPartner, StepSuspend, StepBlockPort25,
	StepBlockSubmission, StepCapGPUQuota, StepBlockPoolPorts, StepRateLimitEgress, StepRestrictEgress, StepQuarantineContent,
	StepBlockDomains, StepBlockForeignSignIn, StepHoldProvisioning, StepRequirePrepayment)

// String returns the step's name.
func (s Step) String() string { return stepNames.Name(s) }

// MarshalText returns the step's name, or an error for a value that is
// not a step.
func (s Step) MarshalText() ([]byte, error) { return stepNames.Text(s) }

// UnmarshalText accepts the step names or empty text for the zero value,
// and refuses anything else.
func (s *Step) UnmarshalText(b []byte) (err error) {
	*s, err = stepNames.Parse(b)
	return err
}

// steps returns what carrying out action a on finding f takes.
func steps(a Enforcement, f *Finding) []Step {
	notify := []Step{StepNotifyCustomer, StepNotifyPartner}
	switch a {
	case Suspend:
		return append([]Step{StepSuspend}, notify...)
	case Throttle:
		var s []Step
		switch f.Category {
		case Spam:
			s = []Step{StepBlockPort25}
			if f.Type == "spam.submission_spread" {
				s = []Step{StepBlockSubmission}
			}
		case CryptoMining:
			s = []Step{StepCapGPUQuota, StepBlockPoolPorts}
		case DenialOfService:
			s = []Step{StepRateLimitEgress}
		case Hacking:
			if f.Direction != Inbound {
				s = []Step{StepRestrictEgress}
			}
		case Malware:
			if f.Type == "malware.hosted" {
				s = []Step{StepQuarantineContent}
			} else {
				s = []Step{StepBlockDomains}
			}
		case SubscriptionResale:
			s = []Step{StepBlockForeignSignIn}
		case TheftOfService:
			s = []Step{StepHoldProvisioning, StepRequirePrepayment}
		}
		return append(s, notify...)
	case Notify:
		return notify
	}
	return nil
}

// CustomerRecord is what an enforcement policy knows about the customer
// behind a finding: the customer, as riskkit models every customer, and
// the customer's record with the host. Its JSON is the customer's fields
// with the record's beside them, as in
// {"id": "c-42", "kind": "business", "trusted": true}.
type CustomerRecord struct {
	risk.Customer
	// Trusted reports whether the host vouches for the customer, for
	// example after a long clean record or a signed contract; policies may
	// enforce a step softer.
	Trusted bool `json:"trusted,omitzero"`
	// PriorViolations counts confirmed violations before this finding.
	PriorViolations int64 `json:"prior_violations,omitzero"`
	// Tier is the host's own customer tier, such as "enterprise".
	Tier string `json:"tier,omitzero"`
}

// EnforcementCase is the input of an enforcement policy: one finding, the customer,
// and the time of the decision.
type EnforcementCase struct {
	Finding  Finding        `json:"finding"`
	Customer CustomerRecord `json:"customer"`
	Now      time.Time      `json:"now"`
}

// CaseSchema describes [EnforcementCase] to the policy engine. Enforcement policies
// read these variables:
//
//	finding   riskkit.Finding: id, type, category, subscription, resource,
//	          subject, severity (double), level ("low", "medium", "high"),
//	          confidence (int, percent), direction ("inbound", "outbound",
//	          "none"), summary, count, windows, first_seen, last_seen,
//	          active_for (last_seen - first_seen), samples (at most 5)
//	customer  riskkit.AbuseCustomer: id, trusted, kind, created_at,
//	          prior_violations, tier
//	now       the time of the decision
func CaseSchema() *risk.Object[EnforcementCase] {
	finding := risk.NewObject[Finding]("riskkit.Finding").
		String("id", func(f *Finding) string { return f.ID }).
		String("type", func(f *Finding) string { return f.Type }).
		String("category", func(f *Finding) string { return string(f.Category) }).
		String("subscription", func(f *Finding) string { return f.Subscription }).
		String("resource", func(f *Finding) string { return f.Resource }).
		String("subject", func(f *Finding) string { return f.Subject }).
		Double("severity", func(f *Finding) float64 { return f.Severity.Float() }).
		String("level", func(f *Finding) string { return f.Level().String() }).
		Int("confidence", func(f *Finding) int64 { return int64(f.Confidence) }).
		String("direction", func(f *Finding) string { return f.Direction.String() }).
		String("summary", func(f *Finding) string { return f.Summary }).
		Int("count", func(f *Finding) int64 { return f.Count }).
		Int("windows", func(f *Finding) int64 { return f.Windows }).
		Time("first_seen", func(f *Finding) time.Time { return f.FirstSeen }).
		Time("last_seen", func(f *Finding) time.Time { return f.LastSeen }).
		Duration("active_for", func(f *Finding) time.Duration { return f.LastSeen.Sub(f.FirstSeen) }).
		Strings("samples", MaxSamples, func(f *Finding) []string { return f.Evidence.Samples })
	customer := risk.NewObject[CustomerRecord]("riskkit.AbuseCustomer").
		String("id", func(c *CustomerRecord) string { return c.ID }).
		Bool("trusted", func(c *CustomerRecord) bool { return c.Trusted }).
		String("kind", func(c *CustomerRecord) string { return string(c.Kind) }).
		Time("created_at", func(c *CustomerRecord) time.Time { return c.CreatedAt }).
		Int("prior_violations", func(c *CustomerRecord) int64 { return c.PriorViolations }).
		String("tier", func(c *CustomerRecord) string { return c.Tier })
	root := risk.NewObject[EnforcementCase]("riskkit.AbuseCase")
	risk.ObjectField(root, "finding", finding, func(c *EnforcementCase) *Finding { return &c.Finding })
	risk.ObjectField(root, "customer", customer, func(c *EnforcementCase) *CustomerRecord { return &c.Customer })
	root.Time("now", func(c *EnforcementCase) time.Time { return c.Now })
	return root
}

// Default response deadlines, overridden by the policy parameters
// deadline_high and deadline_other.
const (
	DefaultHighDeadline  = time.Hour
	DefaultOtherDeadline = 24 * time.Hour
)

// Enforcer turns findings into enforcement recommendations with a policy on
// the risk engine. It is immutable and safe for concurrent use.
type Enforcer struct {
	engine      *risk.Engine[EnforcementCase]
	high, other time.Duration
}

// NewEnforcer compiles an enforcement policy (see risk.Policy for the
// format) against [CaseSchema]. The policy's outcomes must be actions,
// "suspend", "throttle", "notify" and "none", listed in that order with any
// left out; the last is the default. Two optional string parameters set the
// response deadlines: deadline_high for high-severity findings (default 1
// hour) and deadline_other for the rest (default 24 hours), written as Go
// durations such as "90m". The problems NewEnforcer finds itself come
// back at once in a *[risk.DocumentError] wrapping [ErrInvalidPolicy], each
// with its line and column; those of the rules are the risk engine's.
func NewEnforcer(policy []byte, opts ...risk.Option) (*Enforcer, error) {
	p, err := risk.ParsePolicy(policy)
	if err != nil {
		return nil, err
	}
	e := &Enforcer{high: DefaultHighDeadline, other: DefaultOtherDeadline}
	is := issues{sentinel: ErrInvalidPolicy}
	last := 4
	for i, o := range p.Outcomes {
		path := "outcomes[" + strconv.Itoa(i) + "]"
		var a Enforcement
		if err := a.UnmarshalText([]byte(o)); err != nil || o == "" {
			is.add(path, "outcome %q is not an action (want suspend, throttle, notify or none)", o)
			continue
		}
		if a.rank() >= last {
			is.add(path, "outcomes must run from suspend down to none; %q is out of order", o)
		}
		last = a.rank()
	}
	for _, param := range []struct {
		name string
		d    *time.Duration
	}{{"deadline_high", &e.high}, {"deadline_other", &e.other}} {
		v, ok := p.Params[param.name]
		if !ok {
			continue
		}
		s, isString := v.(string)
		dur, perr := time.ParseDuration(s)
		if !isString || perr != nil || dur <= 0 {
			is.add("params."+param.name, "%v is not a positive duration such as \"1h\"", v)
			continue
		}
		*param.d = dur
	}
	if !is.ok() {
		doc, _ := decode.Parse(policy)
		return nil, is.err("policy "+strconv.Quote(p.ID), doc)
	}
	e.engine, err = risk.CompilePolicy(p, CaseSchema(), opts...)
	if err != nil {
		return nil, err
	}
	return e, nil
}

// PolicyID returns the id of the enforcement policy.
func (e *Enforcer) PolicyID() string { return e.engine.PolicyID() }

// PolicyVersion returns the version of the enforcement policy.
func (e *Enforcer) PolicyVersion() string { return e.engine.PolicyVersion() }

// Recommendation is what to do about one finding.
type Recommendation struct {
	FindingID    string      `json:"finding_id"`
	Subscription string      `json:"subscription"`
	Resource     string      `json:"resource,omitzero"`
	Type         string      `json:"type"`
	Category     Category    `json:"category"`
	Level        Level       `json:"level"`
	Action       Enforcement `json:"action"`
	Steps        []Step      `json:"steps,omitzero"`
	// Reasons are the reason codes of the policy rules that fired.
	Reasons []string `json:"reasons,omitzero"`
	// Deadline is when the host should have acted: now plus the policy's
	// deadline for the finding's level. Zero for NoAction.
	Deadline time.Time `json:"deadline,omitzero"`
	// IdempotencyKey is the same every time the same finding gets the same
	// action, so that a host that retries never suspends or notifies twice;
	// a finding escalated to a harsher action gets a new key.
	IdempotencyKey string `json:"idempotency_key"`
	// Decision is the policy's full decision, with shadow rules, rule
	// errors and missing inputs.
	Decision risk.Decision `json:"decision"`
}

// Recommend evaluates the policy on one finding of customer c at now.
func (e *Enforcer) Recommend(f Finding, c CustomerRecord, now time.Time) Recommendation {
	in := EnforcementCase{Finding: f, Customer: c, Now: now}
	d := e.engine.Evaluate(&in)
	var a Enforcement
	if err := a.UnmarshalText([]byte(d.Outcome)); err != nil {
		// NewEnforcer accepted only action outcomes; this cannot happen,
		// but a wrong action must never pass silently.
		a = Notify
	}
	r := Recommendation{
		FindingID: f.ID, Subscription: f.Subscription, Resource: f.Resource, Type: f.Type,
		Category: f.Category, Level: f.Level(), Action: a, Steps: steps(a, &f),
		Reasons: d.Reasons(), Decision: d,
		IdempotencyKey: "abuse:" + f.ID + ":" + a.String(),
	}
	if a != NoAction {
		r.Deadline = now.Add(e.other)
		if f.Level() == High {
			r.Deadline = now.Add(e.high)
		}
	}
	return r
}

// Plan is what to do about all of one customer's open findings.
type Plan struct {
	Customer string `json:"customer"`
	// Action is the harshest action recommended.
	Action Enforcement `json:"action"`
	// Deadline is the earliest deadline of a recommendation with that
	// action.
	Deadline time.Time `json:"deadline,omitzero"`
	// Recommendations are sorted from the harshest action, then by
	// severity, highest first, then by finding id.
	Recommendations []Recommendation `json:"recommendations,omitzero"`
}

// Plan recommends an action for each finding and sums them up.
func (e *Enforcer) Plan(findings []Finding, c CustomerRecord, now time.Time) Plan {
	p := Plan{Customer: c.ID}
	sev := map[string]Severity{}
	for _, f := range findings {
		p.Recommendations = append(p.Recommendations, e.Recommend(f, c, now))
		sev[f.ID] = f.Severity
	}
	slices.SortFunc(p.Recommendations, func(a, b Recommendation) int {
		return cmp.Or(-cmp.Compare(a.Action.rank(), b.Action.rank()), -cmp.Compare(sev[a.FindingID], sev[b.FindingID]),
			strings.Compare(a.FindingID, b.FindingID))
	})
	for _, r := range p.Recommendations {
		if r.Action.rank() > p.Action.rank() {
			p.Action, p.Deadline = r.Action, r.Deadline
		} else if r.Action == p.Action && r.Deadline.Before(p.Deadline) {
			p.Deadline = r.Deadline
		}
	}
	return p
}
