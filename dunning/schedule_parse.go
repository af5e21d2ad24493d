package dunning

import (
	"errors"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/riskkit/riskkit/internal/yamlpos"
	"github.com/riskkit/riskkit/risk"
	"go.yaml.in/yaml/v3"
)

// ParseSchedule reads a schedule from YAML or JSON, checks it and compiles
// its conditions, as [NewSchedule] does. Unknown keys are errors. Every
// problem is reported at once in a *[ValidationError] with its field path
// and its line and column in src, such as
//
//	14:17: stages[2].after_days: want a whole number of days, not "ten"
//
// A document looks like this:
//
//	id: standard
//	version: "2026.11"
//	name: Standard collections
//	age_from: due_date           # or issue_date
//	grace_days: 3                # overdue from 3 days after the day after the due date
//	credit_blocked_time: true
//	retries:
//	  offsets_days: [1, 3, 5]    # or tries: 4 and within_days: 14
//	stages:                      # most severe first
//	  - id: suspend
//	    name: Suspended
//	    after_days: 30
//	    min_balance: ["20.00 USD", "20.00 EUR"]
//	    min_invoices: 1
//	    measure: overdue         # count only overdue money; the default is unpaid
//	    when: "!account.hard_declined"
//	    actions: [restrict_purchases, suspend_subscriptions, {reminder: suspended}]
//	  - id: remind
//	    after_days: 1
//	    actions: [{reminder: overdue}, retry_payment]
//	campaigns:
//	  - id: recovery
//	    thresholds: ["100.00 USD"] # of overdue money, unless measure: unpaid
//	    max_attempts: 3
//	    min_interval: 7d
//	    from_stage: suspend
//
// A cancel action is written {cancel: immediately} or {cancel: end_of_term}.
func ParseSchedule(src []byte) (*Schedule, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		msg := strings.TrimPrefix(err.Error(), "yaml: ")
		line := 0
		if m := yamlLineRE.FindStringSubmatch(msg); m != nil {
			line, _ = strconv.Atoi(m[1])
			msg = strings.TrimPrefix(msg, m[0]+": ")
		}
		return nil, &ValidationError{Doc: "schedule", Issues: []risk.Issue{{Line: line, Column: 1, Msg: msg}}}
	}
	if len(doc.Content) == 0 {
		return nil, &ValidationError{Doc: "schedule", Issues: []risk.Issue{{Msg: "document is empty"}}}
	}
	root := doc.Content[0]
	w := &walker{}
	s := w.schedule(root)
	if err := w.is.err("schedule"); err != nil {
		if s.ID != "" {
			err.(*ValidationError).Doc = "schedule " + strconv.Quote(s.ID)
		}
		return nil, err
	}
	return newSchedule(s, func(path string) (int, int) {
		n := nodeAt(root, path)
		return n.Line, n.Column
	})
}

var yamlLineRE = regexp.MustCompile(`^line (\d+)`)

// walker turns a YAML node tree into a Schedule, recording every problem
// with its position.
type walker struct {
	is issues
}

func (w *walker) fail(n *yaml.Node, path, format string, args ...any) {
	w.is.add(path, n.Line, n.Column, format, args...)
}

// object walks a mapping, calling the field's function for each known key
// and reporting unknown and repeated keys.
func (w *walker) object(n *yaml.Node, path string, fields map[string]func(*yaml.Node, string)) {
	n = yamlpos.Resolve(n)
	if n.Kind != yaml.MappingNode {
		w.fail(n, path, "want a mapping of keys to values, not %s", nodeKind(n))
		return
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		p := join(path, k.Value)
		f, ok := fields[k.Value]
		switch {
		case !ok:
			w.fail(k, p, "unknown key %q (want one of %s)", k.Value, keyList(fields))
		case seen[k.Value]:
			w.fail(k, p, "key %q appears twice", k.Value)
		default:
			f(yamlpos.Resolve(v), p)
		}
		seen[k.Value] = true
	}
}

func keyList(fields map[string]func(*yaml.Node, string)) string {
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return strings.Join(keys, ", ")
}

func nodeKind(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return "nothing"
		}
		return strconv.Quote(n.Value)
	}
	return "this"
}

func (w *walker) list(n *yaml.Node, path string, each func(*yaml.Node, string)) {
	if n.Kind != yaml.SequenceNode {
		w.fail(n, path, "want a list, not %s", nodeKind(n))
		return
	}
	for i, e := range n.Content {
		each(yamlpos.Resolve(e), path+"["+strconv.Itoa(i)+"]")
	}
}

func (w *walker) str(n *yaml.Node, path string) string {
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		w.fail(n, path, "want a string, not %s", nodeKind(n))
		return ""
	}
	return n.Value
}

func (w *walker) integer(n *yaml.Node, path, what string) int {
	if n.Kind == yaml.ScalarNode && n.Tag == "!!int" {
		if v, err := strconv.ParseInt(n.Value, 0, 32); err == nil {
			return int(v)
		}
	}
	w.fail(n, path, "want %s, not %s", what, nodeKind(n))
	return 0
}

func (w *walker) boolean(n *yaml.Node, path string) bool {
	if n.Kind == yaml.ScalarNode && n.Tag == "!!bool" {
		var b bool
		if err := n.Decode(&b); err == nil {
			return b
		}
	}
	w.fail(n, path, "want true or false, not %s", nodeKind(n))
	return false
}

// amounts reads one amount or a list of amounts, as in "50.00 USD" or
// ["50.00 USD", "45.00 EUR"].
func (w *walker) amounts(n *yaml.Node, path string) []risk.Money {
	one := func(n *yaml.Node, p string) (risk.Money, bool) {
		s := w.str(n, p)
		if s == "" {
			return risk.Money{}, false
		}
		m, err := risk.ParseMoney(s)
		if err != nil {
			w.fail(n, p, "%s", strings.TrimPrefix(err.Error(), "risk: "))
			return risk.Money{}, false
		}
		return m, true
	}
	if n.Kind == yaml.ScalarNode {
		if m, ok := one(n, path+"[0]"); ok {
			return []risk.Money{m}
		}
		return nil
	}
	var out []risk.Money
	w.list(n, path, func(e *yaml.Node, p string) {
		if m, ok := one(e, p); ok {
			out = append(out, m)
		}
	})
	return out
}

func (w *walker) schedule(n *yaml.Node) Schedule {
	var s Schedule
	w.object(n, "", map[string]func(*yaml.Node, string){
		"id":          func(n *yaml.Node, p string) { s.ID = w.str(n, p) },
		"version":     func(n *yaml.Node, p string) { s.Version = w.str(n, p) },
		"name":        func(n *yaml.Node, p string) { s.Name = w.str(n, p) },
		"description": func(n *yaml.Node, p string) { s.Description = w.str(n, p) },
		"age_from": func(n *yaml.Node, p string) {
			if err := s.AgeFrom.UnmarshalText([]byte(w.str(n, p))); err != nil {
				w.fail(n, p, "age_from %q is not due_date or issue_date", n.Value)
			}
		},
		"credit_blocked_time": func(n *yaml.Node, p string) { s.CreditBlockedTime = w.boolean(n, p) },
		"grace_days":          func(n *yaml.Node, p string) { s.GraceDays = w.integer(n, p, "a whole number of days") },
		"stages": func(n *yaml.Node, p string) {
			w.list(n, p, func(e *yaml.Node, p string) { s.Stages = append(s.Stages, w.stage(e, p)) })
		},
		"retries": func(n *yaml.Node, p string) {
			w.object(n, p, map[string]func(*yaml.Node, string){
				"offsets_days": func(n *yaml.Node, p string) {
					w.list(n, p, func(e *yaml.Node, p string) {
						s.Retries.OffsetsDays = append(s.Retries.OffsetsDays, w.integer(e, p, "a whole number of days"))
					})
				},
				"tries":       func(n *yaml.Node, p string) { s.Retries.Tries = w.integer(n, p, "a whole number of tries") },
				"within_days": func(n *yaml.Node, p string) { s.Retries.WithinDays = w.integer(n, p, "a whole number of days") },
			})
		},
		"campaigns": func(n *yaml.Node, p string) {
			w.list(n, p, func(e *yaml.Node, p string) { s.Campaigns = append(s.Campaigns, w.campaign(e, p)) })
		},
	})
	return s
}

func (w *walker) stage(n *yaml.Node, path string) Stage {
	var st Stage
	w.object(n, path, map[string]func(*yaml.Node, string){
		"id":           func(n *yaml.Node, p string) { st.ID = w.str(n, p) },
		"name":         func(n *yaml.Node, p string) { st.Name = w.str(n, p) },
		"after_days":   func(n *yaml.Node, p string) { st.AfterDays = w.integer(n, p, "a whole number of days") },
		"min_balance":  func(n *yaml.Node, p string) { st.MinBalance = w.amounts(n, p) },
		"min_invoices": func(n *yaml.Node, p string) { st.MinInvoices = w.integer(n, p, "a whole number of invoices") },
		"measure":      func(n *yaml.Node, p string) { st.Measure = w.measure(n, p) },
		"when":         func(n *yaml.Node, p string) { st.When = w.str(n, p) },
		"actions": func(n *yaml.Node, p string) {
			w.list(n, p, func(e *yaml.Node, p string) {
				if a, ok := w.action(e, p); ok {
					st.Actions = append(st.Actions, a)
				}
			})
		},
	})
	return st
}

// measure reads unpaid or overdue.
func (w *walker) measure(n *yaml.Node, path string) Measure {
	var m Measure
	if s := w.str(n, path); s != "" {
		if err := m.UnmarshalText([]byte(s)); err != nil {
			w.fail(n, path, "measure %q is not unpaid or overdue", s)
		}
	}
	return m
}

// action reads "kind", {reminder: template} or {cancel: when}.
func (w *walker) action(n *yaml.Node, path string) (StageAction, bool) {
	switch n.Kind {
	case yaml.ScalarNode:
		k := ActionKind(n.Value)
		switch k {
		case Remind:
			w.fail(n, path, "write a reminder with its template, as in {reminder: overdue-notice}")
			return StageAction{}, false
		case Cancel:
			w.fail(n, path, "write cancel with when it takes effect: {cancel: immediately} or {cancel: end_of_term}")
			return StageAction{}, false
		}
		return StageAction{Kind: k}, true
	case yaml.MappingNode:
		if len(n.Content) != 2 {
			w.fail(n, path, "want one key, reminder or cancel, with its value")
			return StageAction{}, false
		}
		k, v := n.Content[0], yamlpos.Resolve(n.Content[1])
		switch ActionKind(k.Value) {
		case Remind:
			return StageAction{Kind: Remind, Template: w.str(v, path+".reminder")}, true
		case Cancel:
			return StageAction{Kind: Cancel, Cancel: CancelWhen(w.str(v, path+".cancel"))}, true
		}
		w.fail(k, path, "only reminder and cancel take a value; write %s on its own", k.Value)
		return StageAction{}, false
	}
	w.fail(n, path, "want an action name, {reminder: template} or {cancel: when}, not %s", nodeKind(n))
	return StageAction{}, false
}

func (w *walker) campaign(n *yaml.Node, path string) Campaign {
	var c Campaign
	w.object(n, path, map[string]func(*yaml.Node, string){
		"id":           func(n *yaml.Node, p string) { c.ID = w.str(n, p) },
		"name":         func(n *yaml.Node, p string) { c.Name = w.str(n, p) },
		"thresholds":   func(n *yaml.Node, p string) { c.Thresholds = w.amounts(n, p) },
		"measure":      func(n *yaml.Node, p string) { c.Measure = w.measure(n, p) },
		"max_attempts": func(n *yaml.Node, p string) { c.MaxAttempts = w.integer(n, p, "a whole number of attempts") },
		"min_interval": func(n *yaml.Node, p string) {
			d, err := parseInterval(w.str(n, p))
			if err != nil {
				w.fail(n, p, "%v", err)
			}
			c.MinInterval = d
		},
		"from_stage": func(n *yaml.Node, p string) { c.FromStage = w.str(n, p) },
		"template":   func(n *yaml.Node, p string) { c.Template = w.str(n, p) },
	})
	return c
}

// parseInterval reads "7d" (days of 24 hours) or a Go duration such as
// "36h".
func parseInterval(s string) (time.Duration, error) {
	if s == "" {
		return 0, errors.New(`want an interval such as "7d" or "36h"`)
	}
	if days, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.Atoi(days)
		if err != nil || n <= 0 || n > 3660 {
			return 0, errors.New(`want a whole number of days from 1 to 3660, as in "7d"`)
		}
		return time.Duration(n) * 24 * time.Hour, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, errors.New(`want an interval such as "7d" or "36h"`)
	}
	return d, nil
}
