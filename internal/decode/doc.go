// Package decode reads a YAML or JSON document into a Go value by the
// value's json tags, reporting every problem at once, each with the field's
// path in the document's own names and its 1-based line and column.
//
//	doc, problems := decode.Parse(src)
//	if problems == nil {
//		problems = doc.Into(&applicant)
//	}
//	for _, p := range problems {
//		fmt.Println(p) // 4:7: services[1].sku: want a string, not a list or mapping
//	}
//	line, col := doc.Pos("services[1]") // for problems a validator finds later
//
// It is the one positioned decoder of riskkit: every document reader in the
// module parses through it, so that a policy, a schedule, a ledger, a budget,
// an applicant, telemetry and a checkout report problems the same way.
//
// [Decode] is the entry point for a document of either syntax. A JSON
// document, such as a request body or a line of a JSON Lines file, goes
// through [JSON]: encoding/json reads it first, which is fast, and only a
// document it refuses is walked as above, to name and locate every problem.
// Problems a validator finds in the decoded value are located afterwards
// with [Place].
//
// # What it accepts
//
// A struct is a mapping whose keys are the json names of its exported
// fields (embedded structs without a tag are flattened, as encoding/json
// does); unknown and repeated keys are problems. A type that implements
// encoding.TextUnmarshaler reads a scalar's text (a list or map type that
// also reads text, such as a list of amounts that may be written as one, is
// decoded as a list or map when it is not written as a scalar); one that
// implements only json.Unmarshaler reads the node re-encoded as JSON, so
// that its JSON rules hold in YAML too. Strings, booleans, integers (range-checked), floats,
// slices, arrays, maps with string or text keys, pointers and time.Duration
// (Go syntax such as "36h", or whole days such as "7d") are built in; null
// leaves a value at its zero. Anything else is a problem naming the field,
// never a panic.
//
// # Bounds
//
// Syntax errors carry the line the YAML library found them on (it counts
// some from zero; Parse corrects that), undefined aliases and control
// characters are located, and a document nested deeper than [MaxDepth]
// levels or with more than [MaxProblems] problems stops there with a
// problem that says so.
package decode
