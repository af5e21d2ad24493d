package abuse

import (
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"hash/fnv"
	"slices"
	"strings"
	"time"
)

// KindRule maps provider notices to a [Category]. Rules are data: a host
// adds its own in [TriageConfig.Rules], tried before [DefaultKindRules],
// and the first rule that matches a notice decides.
type KindRule struct {
	// Source limits the rule to one notice source; empty matches any.
	Source NoticeSource `json:"source,omitzero"`
	// Kind is matched against the notice's kind ignoring case, spaces,
	// underscores and hyphens, so that "Denial of Service" and
	// "denial_of_service" are one kind. A leading or trailing "*" matches
	// any suffix or prefix, and "*" alone any kind; an empty Kind matches
	// notices without a kind (old-model fraud events).
	Kind string `json:"kind"`
	// Detail, when set, limits the rule to notices carrying that detail
	// (matched ignoring case), such as miningPool_IP.
	Detail string `json:"detail,omitzero"`
	// Category is what matching notices are about; empty means context
	// only: the notice is attached to an open case and makes no finding.
	Category Category `json:"category,omitzero"`
}

// DefaultKindRules returns the built-in mapping of provider kinds to
// categories, from the provider's documentation:
//
//	crypto mining        old-model fraud events (they have no type),
//	                     NetworkConnectionsToCryptoMiningPools, CryptoMining,
//	                     "crypto mining" and "bitcoin mining" enforcement,
//	                     and any notice with a miningPool_IP detail
//	theft of service     the usage and deployment anomalies
//	                     (UsageAnomalyDetection, *DeploymentAnomaly,
//	                     *UsageAnomaly, ARM_AnomalousResourceConsumption,
//	                     *_AnomalousDeployment, Quota*), stolen payment
//	hacking              ARM_SuspiciousOperations, account takeover, Brute
//	                     Force, hacking
//	denial of service    Denial of Service, DDoS
//	spam                 Spam, spamming, Phishing website (phishing has no
//	                     category of its own)
//	malware              Malware, malware distribution
//	subscription resale  resale of pirated subscriptions
//	context only         ServiceHealthSecurityAdvisory, Illegal, Responsible
//	                     AI, audit records, webhooks, anything unknown
//
// A usage anomaly is suspected theft of service until a pool address says
// it is mining, which is why the detail rule comes first.
func DefaultKindRules() []KindRule {
	return []KindRule{
		{Source: FromFraudEvent, Kind: "", Category: CryptoMining},
		{Source: FromAuditRecord, Kind: "*"},
		{Source: FromWebhook, Kind: "*"},
		{Kind: "*", Detail: "miningPool_IP", Category: CryptoMining},
		{Kind: "NetworkConnectionsToCryptoMiningPools", Category: CryptoMining},
		{Kind: "CryptoMining", Category: CryptoMining},
		{Kind: "crypto mining", Category: CryptoMining},
		{Kind: "bitcoin mining", Category: CryptoMining},
		{Kind: "UsageAnomalyDetection", Category: TheftOfService},
		{Kind: "*DeploymentAnomaly", Category: TheftOfService},
		{Kind: "*UsageAnomaly", Category: TheftOfService},
		{Kind: "ARM_AnomalousResourceConsumption", Category: TheftOfService},
		{Kind: "*AnomalousDeployment", Category: TheftOfService},
		{Kind: "Quota*", Category: TheftOfService},
		{Kind: "theft of service", Category: TheftOfService},
		{Kind: "stolen payment instrument", Category: TheftOfService},
		{Kind: "ARM_SuspiciousOperations", Category: Hacking},
		{Kind: "*AccountTakeover*", Category: Hacking},
		{Kind: "Brute Force", Category: Hacking},
		{Kind: "hacking", Category: Hacking},
		{Kind: "Denial of Service", Category: DenialOfService},
		{Kind: "DDoS", Category: DenialOfService},
		{Kind: "Spam", Category: Spam},
		{Kind: "spamming", Category: Spam},
		{Kind: "Phishing*", Category: Spam},
		{Kind: "Malware", Category: Malware},
		{Kind: "malware distribution", Category: Malware},
		{Kind: "resale of pirated subscriptions", Category: SubscriptionResale},
		{Kind: "subscription resale", Category: SubscriptionResale},
		{Kind: "ServiceHealthSecurityAdvisory"},
	}
}

// normKind lower-cases s and drops everything but letters and digits.
func normKind(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if ('a' <= r && r <= 'z') || ('0' <= r && r <= '9') || r > 127 {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// matches reports whether the rule applies to n.
func (r *KindRule) matches(n *Notice) bool {
	if r.Source != "" && r.Source != n.Source {
		return false
	}
	if r.Detail != "" {
		if _, ok := n.Detail(r.Detail); !ok {
			return false
		}
	}
	pat := strings.TrimSpace(r.Kind)
	if pat == "" {
		return strings.TrimSpace(n.Kind) == ""
	}
	kind := normKind(n.Kind)
	pre, suf := strings.HasSuffix(pat, "*"), strings.HasPrefix(pat, "*")
	core := normKind(strings.Trim(pat, "*"))
	switch {
	case pre && suf:
		return strings.Contains(kind, core)
	case pre:
		return strings.HasPrefix(kind, core)
	case suf:
		return strings.HasSuffix(kind, core)
	}
	return kind == core
}

// Default triage settings.
const (
	// DefaultCorrelationSlack widens a notice's observed interval on both
	// sides when it is compared with riskkit's findings: providers report
	// activity in coarse windows.
	DefaultCorrelationSlack = time.Hour
	// DefaultCorroborationBoost is how many points of confidence a notice
	// and a finding that agree each gain.
	DefaultCorroborationBoost = 15
)

// TriageConfig configures a [Triage]. The zero value of every field
// selects its documented default.
type TriageConfig struct {
	// Rules map notice kinds to categories, tried before
	// [DefaultKindRules].
	Rules []KindRule
	// Slack widens notices' observed intervals for correlation (default
	// [DefaultCorrelationSlack]).
	Slack time.Duration
	// Boost is the confidence a corroborated notice and finding gain, in
	// points of percent, capped at 99 (default
	// [DefaultCorroborationBoost]).
	Boost int
	// Deadlines are the case deadlines; see [Deadlines].
	Deadlines Deadlines
	// PerSubscription groups every notice of a subscription into one case
	// instead of one case per notice.
	PerSubscription bool
	// Enforcer, when set, recommends enforcement for cases that name a
	// category, through the host's enforcement policy.
	Enforcer *Enforcer
}

// Triage maps provider notices to findings, correlates them with
// riskkit's own findings, and tracks each as a case to its answer (see
// [Triage.Evaluate]). It is immutable and safe for concurrent use.
type Triage struct {
	cfg   TriageConfig
	rules []KindRule
}

// NewTriage checks cfg once and fills in its defaults. The error is a
// *[risk.DocumentError] wrapping [ErrInvalidConfig] that lists every
// problem.
func NewTriage(cfg TriageConfig) (*Triage, error) {
	is := issues{sentinel: ErrInvalidConfig}
	if cfg.Slack < 0 {
		is.add("Slack", "%v is negative", cfg.Slack)
	}
	if cfg.Boost < 0 || cfg.Boost > 100 {
		is.add("Boost", "%d is not between 0 and 100", cfg.Boost)
	}
	if cfg.Slack <= 0 {
		cfg.Slack = DefaultCorrelationSlack
	}
	if cfg.Boost == 0 {
		cfg.Boost = DefaultCorroborationBoost
	}
	cfg.Deadlines = cfg.Deadlines.withDefaults(&is, "Deadlines")
	for i, r := range cfg.Rules {
		if r.Source != "" && !isNoticeSource(r.Source) {
			is.add(fmt.Sprintf("Rules[%d].Source", i), "%q is not a notice source", r.Source)
		}
		if r.Category != "" && !slices.Contains(Categories(), r.Category) {
			is.add(fmt.Sprintf("Rules[%d].Category", i), "%q is not a category", r.Category)
		}
	}
	if err := is.err("triage config", nil); err != nil {
		return nil, err
	}
	cfg.Rules = slices.Clone(cfg.Rules)
	return &Triage{cfg: cfg, rules: append(slices.Clone(cfg.Rules), DefaultKindRules()...)}, nil
}

// Config returns the configuration with every default filled in.
func (t *Triage) Config() TriageConfig { return t.cfg }

// Category returns the category of notice n and whether one applies;
// false means the notice is context only.
func (t *Triage) Category(n *Notice) (Category, bool) {
	for i := range t.rules {
		if t.rules[i].matches(n) {
			return t.rules[i].Category, t.rules[i].Category != ""
		}
	}
	return "", false
}

// Triaged is what triage made of one notice.
type Triaged struct {
	// Notice is the notice's key, source and id.
	Notice   string   `json:"notice"`
	Category Category `json:"category,omitzero"`
	// Finding is the finding the notice becomes; nil for a context-only
	// notice.
	Finding *Finding `json:"finding,omitzero"`
	// Corroborated lists riskkit's own findings that saw the same activity:
	// same subscription, same resource (or one of them subscription-wide),
	// overlapping time, and the same category (any category for a usage
	// anomaly). Their confidence and the notice's rise.
	Corroborated []string `json:"corroborated,omitzero"`
	// Gap reports a detection gap: the notice names a category and
	// riskkit's detectors found nothing of it.
	Gap bool `json:"gap,omitzero"`
	// Test reports a test notice, which opens no case.
	Test bool `json:"test,omitzero"`
}

// NoticeFindingPrefix starts the id of every finding made from a notice,
// so that they are never mistaken for riskkit's own.
const NoticeFindingPrefix = "nt-"

// Triage maps one notice to a category and a finding and correlates it
// with riskkit's findings. It returns the triage and copies of the
// corroborating findings with their raised confidence; findings the notice
// does not match are not returned and stay as they are.
func (t *Triage) Triage(n *Notice, findings []Finding) (Triaged, []Finding) {
	cat, ok := t.Category(n)
	tr := Triaged{Notice: n.Key(), Category: cat}
	if !ok {
		return tr, nil
	}
	f := noticeFinding(n, cat)
	first, last := f.FirstSeen.Add(-t.cfg.Slack), f.LastSeen.Add(t.cfg.Slack)
	var raised []Finding
	for _, g := range findings {
		if strings.HasPrefix(g.ID, NoticeFindingPrefix) || !strings.EqualFold(g.Subscription, n.Subscription) ||
			(g.Category != cat && cat != TheftOfService) || g.LastSeen.Before(first) || g.FirstSeen.After(last) ||
			!resourceMatches(n, g.Resource) {
			continue
		}
		tr.Corroborated = append(tr.Corroborated, g.ID)
		f.Confidence = max(f.Confidence, g.Confidence)
		g.Confidence = min(99, g.Confidence+t.cfg.Boost)
		raised = append(raised, g)
	}
	if len(tr.Corroborated) > 0 {
		f.Confidence = min(99, f.Confidence+t.cfg.Boost)
	}
	tr.Gap = len(tr.Corroborated) == 0 && !n.Test
	tr.Finding = &f
	return tr, raised
}

// resourceMatches reports whether a finding on resource res is about what
// notice n names: a notice or finding about the whole subscription matches
// every resource of it.
func resourceMatches(n *Notice, res string) bool {
	if res == "" || len(n.Resources) == 0 {
		return true
	}
	for _, r := range n.Resources {
		if strings.EqualFold(r.Name(), res) || strings.EqualFold(r.ID, res) {
			return true
		}
	}
	return false
}

// noticeFinding makes the finding a notice of category cat stands for.
// Severity and confidence follow the notice's levels (high 7.5 and 85%,
// medium 5.5 and 65%, low 3.0 and 45%); a notice without levels is medium,
// but an enforcement notice, which the provider acted on, is high and 90%.
func noticeFinding(n *Notice, cat Category) Finding {
	sev, conf := Severity(55), 60
	switch n.Severity {
	case NoticeHigh:
		sev = 75
	case NoticeLow, NoticeInformational:
		sev = 30
	}
	switch n.Confidence {
	case NoticeHigh:
		conf = 85
	case NoticeMedium:
		conf = 65
	case NoticeLow:
		conf = 45
	}
	if n.Source == FromEnforcement {
		sev, conf = 80, 90
	}
	dir := NoDirection
	if n.Source == FromAbuseReport && cat != SubscriptionResale && cat != TheftOfService {
		dir = Outbound // someone else was on the receiving end
	}
	first, last := n.Observed()
	kind := n.Kind
	if kind == "" {
		kind = string(n.Source)
	}
	f := Finding{
		Type: "notice." + snakeKind(kind), Category: cat, Subscription: n.Subscription,
		Severity: sev, Confidence: conf, Direction: dir,
		Summary:   noticeSummary(n),
		FirstSeen: first, LastSeen: last, Count: max(n.HitCount, 1), Windows: 1,
	}
	if len(n.Resources) > 0 {
		f.Resource = n.Resources[0].Name()
	}
	if n.HitCount > 0 {
		f.Evidence.Counts = map[string]int64{"hit_count": n.HitCount}
	}
	var samples []string
	for _, k := range []string{"miningPool_IP", "cryptoCurrencyMiningPoolDomainName", "ips", "urls"} {
		for _, s := range n.DetailList(k) {
			for _, part := range strings.Split(s, ",") {
				if part = strings.TrimSpace(part); part != "" && len(samples) < MaxSamples {
					samples = append(samples, part)
				}
			}
		}
	}
	f.Evidence.Samples = samples
	h := fnv.New64a()
	h.Write([]byte(n.Key()))
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], uint64(n.DetectedAt.UnixNano()))
	h.Write(b[:])
	f.ID = NoticeFindingPrefix + hex.EncodeToString(h.Sum(nil))
	return f
}

// snakeKind writes a provider kind as a lower-case dotted-name part, as in
// "network_connections_to_crypto_mining_pools".
func snakeKind(s string) string {
	var b strings.Builder
	prevLower := false
	for _, r := range s {
		switch {
		case 'A' <= r && r <= 'Z':
			if prevLower {
				b.WriteByte('_')
			}
			b.WriteRune(r + 'a' - 'A')
			prevLower = false
		case ('a' <= r && r <= 'z') || ('0' <= r && r <= '9'):
			b.WriteRune(r)
			prevLower = true
		default:
			if b.Len() > 0 && !strings.HasSuffix(b.String(), "_") {
				b.WriteByte('_')
			}
			prevLower = false
		}
	}
	return strings.Trim(b.String(), "_")
}

func noticeSummary(n *Notice) string {
	what := n.Title
	if what == "" {
		what = n.Kind
	}
	if what == "" {
		what = "possible crypto mining"
	}
	return fmt.Sprintf("%s notice %s: %s", n.Source, n.ID, what)
}
