package schema_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"testing"

	"github.com/riskkit/riskkit/examples"
	"github.com/riskkit/riskkit/examples/internal/jsonschema"
	"github.com/riskkit/riskkit/examples/schema"
	"github.com/riskkit/riskkit/risk"
	"go.yaml.in/yaml/v3"
)

// notCovered are the example data files no schema describes, and why.
var notCovered = map[string]string{
	"README.md":                 "prose",
	"spend_2026q1.jsonl":        "budget.Record lines; the budget schema describes budgets",
	"telemetry_customers.json":  "the generator's customer facts for the enforcement demo",
	"telemetry_labels.json":     "the generator's ground truth",
	"telemetry_state.json":      "abuse.State, stored by the host between windows",
	"abuse_hard_customers.json": "the generator's customer facts for the hard cases",
	"abuse_hard_labels.json":    "the generator's ground truth for the hard cases",
	"abuse_hard_state.json":     "abuse.State, stored by the host between windows",
}

func compiled(t *testing.T, name string) *jsonschema.Schema {
	t.Helper()
	src, err := os.ReadFile(schema.FileName(name))
	if err != nil {
		t.Fatal(err)
	}
	s, err := jsonschema.Compile(src)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// documents splits an example file into the documents a schema describes,
// each with a label for messages.
type document struct {
	where string
	json  []byte
}

func jsonLines(t *testing.T, file string, data []byte, field string) []document {
	t.Helper()
	var docs []document
	n := 0
	for l := range bytes.Lines(data) {
		n++
		if len(bytes.TrimSpace(l)) == 0 {
			continue
		}
		doc := bytes.TrimSpace(l)
		if field != "" {
			var m map[string]json.RawMessage
			if err := json.Unmarshal(doc, &m); err != nil {
				t.Fatalf("%s:%d: %v", file, n, err)
			}
			doc = m[field]
		}
		docs = append(docs, document{fmt.Sprintf("%s:%d", file, n), doc})
	}
	return docs
}

func jsonArray(t *testing.T, file string, data []byte) []document {
	t.Helper()
	var items []json.RawMessage
	if err := json.Unmarshal(data, &items); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	docs := make([]document, len(items))
	for i, it := range items {
		docs[i] = document{fmt.Sprintf("%s[%d]", file, i), it}
	}
	return docs
}

// yamlJSON converts a YAML node to the JSON value it stands for, keeping
// scalars that are not numbers, booleans or null as strings, as riskkit's
// decoders read them (YAML would otherwise turn dates into timestamps).
func yamlJSON(n *yaml.Node) any {
	switch n.Kind {
	case yaml.DocumentNode:
		return yamlJSON(n.Content[0])
	case yaml.AliasNode:
		return yamlJSON(n.Alias)
	case yaml.MappingNode:
		m := map[string]any{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			m[n.Content[i].Value] = yamlJSON(n.Content[i+1])
		}
		return m
	case yaml.SequenceNode:
		l := []any{}
		for _, c := range n.Content {
			l = append(l, yamlJSON(c))
		}
		return l
	}
	switch n.Tag {
	case "!!int", "!!float":
		return json.Number(n.Value)
	case "!!bool":
		b, _ := strconv.ParseBool(n.Value)
		return b
	case "!!null":
		return nil
	}
	return n.Value
}

func TestExampleDataValidates(t *testing.T) {
	data := func(name string) []byte {
		b, err := examples.Data(name)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	covered := map[string][]document{
		"applicants.jsonl":       jsonLines(t, "applicants.jsonl", data("applicants.jsonl"), ""),
		"telemetry.jsonl":        jsonLines(t, "telemetry.jsonl", data("telemetry.jsonl"), ""),
		"abuse_hard.jsonl":       jsonLines(t, "abuse_hard.jsonl", data("abuse_hard.jsonl"), ""),
		"transactions.jsonl":     jsonLines(t, "transactions.jsonl", data("transactions.jsonl"), "input"),
		"dunning_ledger.json":    {{"dunning_ledger.json", data("dunning_ledger.json")}},
		"dunning_portfolio.json": jsonArray(t, "dunning_portfolio.json", data("dunning_portfolio.json")),
	}
	schemaOf := map[string]string{
		"applicants.jsonl": "applicant", "telemetry.jsonl": "telemetry", "abuse_hard.jsonl": "telemetry", "transactions.jsonl": "checkout",
		"dunning_ledger.json": "ledger", "dunning_portfolio.json": "ledger",
	}
	for _, name := range examples.DataFiles() {
		if _, ok := covered[name]; !ok && notCovered[name] == "" {
			// Logged, not failed: data files of other packages arrive
			// without a schema, and that must not break their tests.
			t.Logf("data file %s has no schema check; add one, or say in notCovered why not", name)
		}
	}

	// The budgets of the example policy file.
	src, err := examples.Policy("budgets.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		t.Fatal(err)
	}
	budgets := yamlJSON(&doc).(map[string]any)["budgets"].([]any)
	for i, b := range budgets {
		j, _ := json.Marshal(b)
		covered["budgets.yaml"] = append(covered["budgets.yaml"], document{fmt.Sprintf("budgets.yaml: budgets[%d]", i), j})
	}
	schemaOf["budgets.yaml"] = "budget"

	// The decisions of the example checkout policy on the example data.
	policy, err := examples.Policy("checkout.yaml")
	if err != nil {
		t.Fatal(err)
	}
	eng, err := risk.Compile(policy, risk.CheckoutSchema())
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range covered["transactions.jsonl"] {
		var c risk.Checkout
		if err := json.Unmarshal(d.json, &c); err != nil {
			t.Fatalf("%s: %v", d.where, err)
		}
		dec := eng.Evaluate(&c)
		j, _ := json.Marshal(dec)
		covered["decisions"] = append(covered["decisions"], document{"decision on " + d.where, j})
	}
	schemaOf["decisions"] = "decision"

	for file, docs := range covered {
		s := compiled(t, schemaOf[file])
		bad := 0
		for _, d := range docs {
			for _, problem := range s.Validate(d.json) {
				if bad++; bad <= 10 {
					t.Errorf("%s: %s", d.where, problem)
				}
			}
		}
		if len(docs) == 0 {
			t.Errorf("%s: no documents", file)
		}
	}
}

// TestSchemasRefuseWhatDecodersRefuse checks a few mistakes a schema must
// catch: a misspelt key, an amount without a currency, an unknown name.
func TestSchemasRefuseWhatDecodersRefuse(t *testing.T) {
	s := compiled(t, "checkout")
	for _, doc := range []string{
		`{"txn": {"id": "t1", "amout": "20.00 USD"}}`,
		`{"txn": {"id": "t1", "amount": "20.00"}}`,
		`{"payment": {"funding": "gift_card"}}`,
		`{"signals": {"accounts_per_ip_1h": "3"}}`,
	} {
		if len(s.Validate([]byte(doc))) == 0 {
			t.Errorf("checkout schema accepts %s", doc)
		}
		if _, err := risk.DecodeCheckout([]byte(doc)); err == nil {
			t.Errorf("DecodeCheckout accepts %s, which the schema refuses", doc)
		}
	}
}
