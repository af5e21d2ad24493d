package budget

import (
	"fmt"
	"strconv"

	"github.com/riskkit/riskkit/internal/decode"
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
// *[risk.DocumentError] wrapping [ErrInvalidBudget] with every problem found, each with its line, column
// and path such as "budgets[1].amount": malformed YAML, unknown or repeated
// keys, values of the wrong shape, unknown currencies or names, impossible
// dates, and everything Validate rejects.
func ParseBudgets(src []byte) ([]Budget, error) {
	var doc struct {
		Budgets *[]Budget `json:"budgets"`
	}
	d, list := decode.Parse(src)
	if d != nil {
		list = d.Into(&doc)
		if d.Root().Kind == yaml.MappingNode && d.Node("budgets") == nil {
			list = append(list, risk.Issue{Path: "budgets", Msg: "missing"})
			list[len(list)-1].Line, list[len(list)-1].Column = d.Pos("")
		}
	}
	if len(list) > 0 {
		for i := range list {
			list[i].Err = invalid(list[i].Err)
		}
		return nil, risk.NewDocumentError("budget", ErrInvalidBudget, "budgets", list)
	}
	var out []Budget
	if doc.Budgets != nil {
		out = *doc.Budgets
	}
	c := issues{Collector: decode.Collector{Doc: d}}
	ids := make(map[string]int, len(out))
	for i := range out {
		b := &out[i]
		if len(b.Thresholds) == 0 {
			// An empty list means the defaults, as no list does; nil keeps
			// the two alike through a JSON round trip.
			b.Thresholds = nil
		}
		c.prefix = "budgets[" + strconv.Itoa(i) + "]"
		b.validate(&c)
		if b.ID == "" {
			continue
		}
		if j, dup := ids[b.ID]; dup {
			c.add("id", fmt.Sprintf("%q is also the id of budgets[%d]", b.ID, j), nil)
		} else {
			ids[b.ID] = i
		}
	}
	if len(c.Issues) > 0 {
		return nil, risk.NewDocumentError("budget", ErrInvalidBudget, "budgets", c.Issues)
	}
	return out, nil
}
