package budget

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/riskkit/riskkit/internal/yamlpos"
	"github.com/riskkit/riskkit/risk"
	"go.yaml.in/yaml/v3"
)

// ParseBudgets reads a YAML or JSON document that lists budgets under the
// key "budgets", in the field names of [Budget]'s JSON tags:
//
//	budgets:
//	  - id: acme-monthly
//	    customer_id: cus_acme
//	    amount: 5000.00 USD
//	    period: monthly
//	    start: 2026-01-01
//	    time_zone: America/New_York
//	    thresholds:
//	      - {percent: 80}
//	      - {percent: 100, basis: forecast, comparison: gt}
//
// It returns the budgets in document order, each valid by
// [Budget.Validate], with distinct ids. Otherwise the error is a
// *[ValidationError] with every problem found, each with its line, column
// and path such as "budgets[1].amount": malformed YAML, unknown or repeated
// keys, values of the wrong shape, unknown currencies or names, impossible
// dates, and everything Validate rejects.
func ParseBudgets(src []byte) ([]Budget, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		msg := strings.TrimPrefix(err.Error(), "yaml: ")
		line := 0
		if m := yamlLine.FindStringSubmatch(msg); m != nil {
			line, _ = strconv.Atoi(m[1])
			msg = strings.TrimPrefix(strings.Replace(msg, m[0], "", 1), ": ")
		}
		return nil, &ValidationError{Issues: []risk.Issue{{Line: line, Msg: msg}}, errs: []error{err}}
	}
	d := decoder{}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		return nil, &ValidationError{Issues: []risk.Issue{{Msg: "empty document; want a mapping with the key budgets"}}}
	}
	root := yamlpos.Resolve(doc.Content[0])
	var list *yaml.Node
	d.mapping(root, "", func(key string, v *yaml.Node) bool {
		if key != "budgets" {
			return false
		}
		list = v
		return true
	})
	if root.Kind == yaml.MappingNode && list == nil {
		d.issue(root, "budgets", "missing", nil)
	}
	var out []Budget
	if list != nil {
		if list = yamlpos.Resolve(list); list.Kind != yaml.SequenceNode {
			d.issue(list, "budgets", "want a list of budgets", nil)
		} else {
			out = make([]Budget, len(list.Content))
			ids := map[string]int{}
			for i, item := range list.Content {
				path := "budgets[" + strconv.Itoa(i) + "]"
				d.budget(yamlpos.Resolve(item), path, &out[i])
				if id := out[i].ID; id != "" {
					if j, dup := ids[id]; dup {
						d.issue(item, path+".id", fmt.Sprintf("%q is also the id of budgets[%d]", id, j), nil)
					} else {
						ids[id] = i
					}
				}
			}
		}
	}
	if err := d.err(""); err != nil {
		return nil, err
	}
	return out, nil
}

// yamlLine matches the line numbers go.yaml.in/yaml/v3 puts in its messages.
var yamlLine = regexp.MustCompile(`line (\d+)`)

// decoder walks a YAML node tree, collecting positioned issues.
type decoder struct {
	issues
}

func (d *decoder) issue(n *yaml.Node, path, msg string, err error) {
	d.list = append(d.list, risk.Issue{Path: path, Line: n.Line, Column: n.Column, Msg: msg})
	if err != nil {
		d.errs = append(d.errs, err)
	}
}

// mapping calls field for each key of a mapping node, reporting non-mapping
// nodes, non-scalar and repeated keys, and keys field does not know (it
// returns false for them).
func (d *decoder) mapping(n *yaml.Node, path string, field func(key string, v *yaml.Node) bool) {
	if n.Kind != yaml.MappingNode {
		what := "the document"
		if path != "" {
			what = path
		}
		d.issue(n, path, "want a mapping of keys to values for "+what, nil)
		return
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := yamlpos.Resolve(n.Content[i]), n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			d.issue(k, path, "want a plain key", nil)
			continue
		}
		kp := k.Value
		if path != "" {
			kp = path + "." + k.Value
		}
		if seen[k.Value] {
			d.issue(k, kp, "repeated key", nil)
			continue
		}
		seen[k.Value] = true
		if !field(k.Value, v) {
			d.issue(k, kp, fmt.Sprintf("unknown key %q", k.Value), nil)
		}
	}
}

// scalar returns the text of a scalar node; null is "". It reports any
// other kind of node.
func (d *decoder) scalar(n *yaml.Node, path string) (string, bool) {
	n = yamlpos.Resolve(n)
	if n.Kind != yaml.ScalarNode {
		d.issue(n, path, "want a single value, not a list or mapping", nil)
		return "", false
	}
	if n.Tag == "!!null" {
		return "", true
	}
	return n.Value, true
}

// text decodes a scalar into a value with UnmarshalText.
func (d *decoder) text(n *yaml.Node, path string, v interface{ UnmarshalText([]byte) error }) {
	s, ok := d.scalar(n, path)
	if !ok {
		return
	}
	if err := v.UnmarshalText([]byte(s)); err != nil {
		d.issue(yamlpos.Resolve(n), path, trimPackage(err.Error()), err)
	}
}

func (d *decoder) str(n *yaml.Node, path string, v *string) {
	if s, ok := d.scalar(n, path); ok {
		*v = s
	}
}

func (d *decoder) integer(n *yaml.Node, path string, v *int) {
	parseScalar(d, n, path, v, strconv.Atoi, "a whole number")
}

func (d *decoder) boolean(n *yaml.Node, path string, v *bool) {
	parseScalar(d, n, path, v, strconv.ParseBool, "true or false")
}

func (d *decoder) number(n *yaml.Node, path string, v *float64) {
	parseScalar(d, n, path, v, func(s string) (float64, error) { return strconv.ParseFloat(s, 64) }, "a number")
}

// parseScalar sets *v from a non-empty scalar with parse, and reports the
// node as not being want when parse fails.
func parseScalar[T any](d *decoder, n *yaml.Node, path string, v *T, parse func(string) (T, error), want string) {
	s, ok := d.scalar(n, path)
	if !ok || s == "" {
		return
	}
	x, err := parse(s)
	if err != nil {
		d.issue(yamlpos.Resolve(n), path, fmt.Sprintf("%q is not %s", s, want), nil)
		return
	}
	*v = x
}

// budget decodes one budget, then validates it and places each problem at
// the closest node it has a position for.
func (d *decoder) budget(n *yaml.Node, path string, b *Budget) {
	before := len(d.list)
	pos := map[string]*yaml.Node{"": n}
	at := func(field string, v *yaml.Node) string {
		pos[field] = yamlpos.Resolve(v)
		return path + "." + field
	}
	d.mapping(n, path, func(key string, v *yaml.Node) bool {
		switch key {
		case "id":
			d.str(v, at(key, v), &b.ID)
		case "customer_id":
			d.str(v, at(key, v), &b.CustomerID)
		case "description":
			d.str(v, at(key, v), &b.Description)
		case "amount":
			d.text(v, at(key, v), &b.Amount)
		case "period":
			d.text(v, at(key, v), &b.Period)
		case "start":
			d.text(v, at(key, v), &b.Start)
		case "end":
			d.text(v, at(key, v), &b.End)
		case "time_zone":
			d.str(v, at(key, v), &b.TimeZone)
		case "auto_adjust":
			d.integer(v, at(key, v), &b.AutoAdjust)
		case "forecast":
			d.text(v, at(key, v), &b.Forecast)
		case "forecast_through":
			d.text(v, at(key, v), &b.ForecastThrough)
		case "thresholds":
			d.thresholds(yamlpos.Resolve(v), at(key, v), &b.Thresholds, pos)
		case "anomalies":
			d.anomalies(yamlpos.Resolve(v), at(key, v), &b.Anomalies, pos)
		default:
			return false
		}
		return true
	})
	if len(d.list) > before {
		// Validating a half-decoded budget would report the fields that
		// failed to decode a second time, as missing.
		return
	}
	var c issues
	b.validate(&c)
	for _, is := range c.list {
		p := is.Path
		for {
			if node, ok := pos[p]; ok {
				is.Line, is.Column = node.Line, node.Column
				break
			}
			i := strings.LastIndexAny(p, ".[")
			if i < 0 {
				p = ""
				continue
			}
			p = p[:i]
		}
		is.Path = path + "." + is.Path
		d.list = append(d.list, is)
	}
	d.errs = append(d.errs, c.errs...)
}

func (d *decoder) thresholds(n *yaml.Node, path string, ts *[]Threshold, pos map[string]*yaml.Node) {
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return
	}
	if n.Kind != yaml.SequenceNode {
		d.issue(n, path, "want a list of thresholds", nil)
		return
	}
	if len(n.Content) == 0 {
		// An empty list means the defaults, as no list does; nil keeps the
		// two alike through a JSON round trip.
		return
	}
	if len(n.Content) > MaxThresholds {
		d.issue(n, path, fmt.Sprintf("%d thresholds; at most %d", len(n.Content), MaxThresholds), nil)
		return
	}
	*ts = make([]Threshold, len(n.Content))
	for i, item := range n.Content {
		item = yamlpos.Resolve(item)
		field := "thresholds[" + strconv.Itoa(i) + "]"
		pos[field] = item
		tp := path + "[" + strconv.Itoa(i) + "]"
		t := &(*ts)[i]
		d.mapping(item, tp, func(key string, v *yaml.Node) bool {
			pos[field+"."+key] = yamlpos.Resolve(v)
			switch key {
			case "percent":
				d.text(v, tp+"."+key, &t.Percent)
			case "basis":
				d.text(v, tp+"."+key, &t.Basis)
			case "comparison":
				d.text(v, tp+"."+key, &t.Comparison)
			default:
				return false
			}
			return true
		})
	}
}

func (d *decoder) anomalies(n *yaml.Node, path string, a *AnomalySettings, pos map[string]*yaml.Node) {
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return
	}
	d.mapping(n, path, func(key string, v *yaml.Node) bool {
		pos["anomalies."+key] = yamlpos.Resolve(v)
		switch key {
		case "disabled":
			d.boolean(v, path+"."+key, &a.Disabled)
		case "min_score":
			d.number(v, path+"."+key, &a.MinScore)
		case "min_impact":
			d.text(v, path+"."+key, &a.MinImpact)
		default:
			return false
		}
		return true
	})
}

// trimPackage drops the "budget: " and "risk: " prefixes of an error
// message that is about to be placed under a path, including those of
// wrapped sentinel errors in the middle of it.
func trimPackage(msg string) string {
	for _, p := range []string{"budget: ", "risk: "} {
		msg = strings.TrimPrefix(msg, p)
		msg = strings.ReplaceAll(msg, ": "+p, ": ")
	}
	return msg
}
