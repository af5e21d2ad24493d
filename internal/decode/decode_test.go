package decode

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

type level string

var errLevel = errors.New("unknown level")

func (l *level) UnmarshalText(b []byte) error {
	switch string(b) {
	case "low", "high":
		*l = level(b)
		return nil
	}
	return fmt.Errorf("risk: level %q: %w", b, errLevel)
}

// count is a json.Unmarshaler only: its JSON rules must hold in YAML too.
type count struct {
	n     int64
	known bool
}

func (c *count) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*c = count{}
		return nil
	}
	var n int64
	if _, err := fmt.Sscan(string(b), &n); err != nil || fmt.Sprint(n) != string(b) {
		return fmt.Errorf("count %s is not an integer", b)
	}
	*c = count{n: n, known: true}
	return nil
}

type Base struct {
	ID string `json:"id"`
}

type item struct {
	SKU      string `json:"sku"`
	Quantity int32  `json:"quantity"`
}

type doc struct {
	Base
	Level    level            `json:"level"`
	Count    count            `json:"count"`
	Wait     time.Duration    `json:"wait"`
	Ratio    float64          `json:"ratio"`
	On       bool             `json:"on"`
	Small    uint8            `json:"small"`
	Items    []item           `json:"items"`
	Limits   map[string]int64 `json:"limits"`
	ByLevel  map[level]string `json:"by_level"`
	Next     *item            `json:"next"`
	Extra    any              `json:"extra"`
	Pair     [2]string        `json:"pair"`
	Skipped  string           `json:"-"`
	Untagged string
}

func TestInto(t *testing.T) {
	src := `id: d-1
level: high
count: 7
wait: 2d
ratio: 0.25
on: true
small: 200
items:
  - {sku: a, quantity: 2}
  - sku: b
limits: {USD: 10, EUR: 20}
by_level: {low: x}
next: {sku: c}
extra: {k: [1, "two"]}
pair: [x, y]
Untagged: u
`
	d, is := Parse([]byte(src))
	if is != nil {
		t.Fatal(is)
	}
	var got doc
	if is := d.Into(&got); is != nil {
		t.Fatal(is)
	}
	want := doc{Base: Base{ID: "d-1"}, Level: "high", Count: count{7, true}, Wait: 48 * time.Hour, Ratio: 0.25, On: true, Small: 200,
		Items: []item{{"a", 2}, {"b", 0}}, Limits: map[string]int64{"USD": 10, "EUR": 20}, ByLevel: map[level]string{"low": "x"},
		Next: &item{SKU: "c"}, Extra: map[string]any{"k": []any{1, "two"}}, Pair: [2]string{"x", "y"}, Untagged: "u"}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(count{})); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
	for path, want := range map[string][2]int{"": {1, 1}, "items[1].sku": {10, 10}, "items[1]": {10, 5}, "limits.EUR": {11, 24}, "items[1].quantity": {10, 5}, "nope.deeper": {1, 1}} {
		if l, c := d.Pos(path); l != want[0] || c != want[1] {
			t.Errorf("Pos(%q) = %d:%d, want %d:%d", path, l, c, want[0], want[1])
		}
	}
	if n := d.Node("items[0].sku"); n == nil || n.Value != "a" {
		t.Errorf("Node(items[0].sku) = %v", n)
	}
}

func TestIntoJSON(t *testing.T) {
	src := "{\n  \"id\": \"j\",\n  \"count\": null,\n  \"items\": [{\"sku\": \"a\", \"quantity\": 1}],\n  \"scor\": 3\n}"
	d, is := Parse([]byte(src))
	if is != nil {
		t.Fatal(is)
	}
	var got doc
	want := []Issue{{Path: "scor", Line: 5, Column: 3, Msg: `unknown key "scor"`}}
	if diff := cmp.Diff(want, d.Into(&got)); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
	if got.ID != "j" || got.Count.known || len(got.Items) != 1 {
		t.Errorf("got %+v", got)
	}
}

func TestProblems(t *testing.T) {
	tests := []struct {
		name, src string
		want      []Issue
	}{
		{"unknown key with a suggestion", "id: x\nitems:\n  - {sku: a, quantiy: 2}\n",
			[]Issue{{Path: "items[0].quantiy", Line: 3, Column: 14, Msg: `unknown key "quantiy"; did you mean "quantity"?`}}},
		{"repeated key", "id: x\nid: y\n", []Issue{{Path: "id", Line: 2, Column: 1, Msg: `repeated key "id"`}}},
		{"wrong shapes", "items: {sku: a}\nid: [1]\non: yes\nratio: abc\n", []Issue{
			{Path: "items", Line: 1, Column: 8, Msg: "want a list"},
			{Path: "id", Line: 2, Column: 5, Msg: "want a string, not a list or mapping"},
			{Path: "on", Line: 3, Column: 5, Msg: `"yes" is not true or false`},
			{Path: "ratio", Line: 4, Column: 8, Msg: `"abc" is not a finite number`},
		}},
		{"out of range", "small: 300\nitems: [{quantity: 99999999999}]\n", []Issue{
			{Path: "small", Line: 1, Column: 8, Msg: `"300" is not a whole number of at least 0 in the range of a 8-bit number`},
			{Path: "items[0].quantity", Line: 2, Column: 20, Msg: `"99999999999" is not a whole number in the range of a 32-bit number`},
		}},
		{"text unmarshaler error keeps its cause", "level: medium\n", []Issue{
			{Path: "level", Line: 1, Column: 8, Msg: `level "medium": unknown level`, Err: errLevel},
		}},
		{"json unmarshaler error", "count: 1.5\n", []Issue{{Path: "count", Line: 1, Column: 8, Msg: "count 1.5 is not an integer", Err: errors.New("count 1.5 is not an integer")}}},
		{"duration", "wait: soon\n", []Issue{{Path: "wait", Line: 1, Column: 7, Msg: `"soon" is not a duration such as 36h or 7d`, Err: errors.New(`"soon" is not a duration such as 36h or 7d`)}}},
		{"map key", "by_level: {mid: x}\n", []Issue{{Path: "by_level.mid", Line: 1, Column: 17, Msg: `key: level "mid": unknown level`, Err: errLevel}}},
		{"array length", "pair: [x]\n", []Issue{{Path: "pair", Line: 1, Column: 7, Msg: "want a list of 2"}}},
		{"not a mapping", "- a\n", []Issue{{Line: 1, Column: 1, Msg: "want a mapping of keys to values"}}},
		{"complex key", "? [a]\n: b\n", []Issue{{Line: 1, Column: 3, Msg: "want a plain key"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, is := Parse([]byte(tt.src))
			if is != nil {
				t.Fatal(is)
			}
			var got doc
			if diff := cmp.Diff(tt.want, d.Into(&got), equateErrors); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}
}

// equateErrors treats two errors as equal when one wraps the other or they
// say the same.
var equateErrors = cmp.Comparer(func(a, b error) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return errors.Is(a, b) || errors.Is(b, a) || a.Error() == b.Error()
})

func TestParseProblems(t *testing.T) {
	tests := []struct {
		name, src string
		want      Issue
	}{
		{"empty", " \n", Issue{Msg: "the document is empty"}},
		{"null", "~\n", Issue{Msg: "the document is empty"}},
		// The unclosed "[" is on line 2; the YAML library says line 1.
		{"unclosed flow sequence", "a: 1\nb: [1, 2\nc: 3\n", Issue{Line: 2, Msg: "syntax error: did not find expected ',' or ']'"}},
		{"bad indentation", "a:\n  b: 1\n c: 2\n", Issue{Line: 3, Msg: "syntax error: did not find expected key"}},
		{"unterminated at the end", "a: [\n\n\n", Issue{Line: 4, Msg: "syntax error: did not find expected node content"}},
		// Scanner errors are counted from one already.
		{"tab", "a: 1\n\tb: 2\n", Issue{Line: 2, Msg: "syntax error: found a tab character that violates indentation"}},
		{"control character", "a: 1\nb: \"x\x01\"\n", Issue{Line: 2, Column: 6, Msg: "control character U+0001 is not allowed"}},
		{"invalid UTF-8", "a: 1\nb: x\xff\n", Issue{Line: 2, Column: 5, Msg: "the text is not valid UTF-8"}},
		{"undefined alias", "a: 1\nb: *nowhere\n", Issue{Line: 2, Column: 4, Msg: "alias *nowhere names no anchor"}},
		{"two documents", "a: 1\n---\nb: 2\n", Issue{Line: 2, Column: 1, Msg: "a second document; give one"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, is := Parse([]byte(tt.src))
			if d != nil || len(is) != 1 {
				t.Fatalf("Parse = %v, %v; want one issue", d, is)
			}
			if diff := cmp.Diff(tt.want, is[0]); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}
}

func TestBounds(t *testing.T) {
	t.Run("nesting", func(t *testing.T) {
		type deep struct {
			Next *deep `json:"next"`
		}
		src := strings.Repeat("{next: ", 40) + "null" + strings.Repeat("}", 40)
		d, is := Parse([]byte(src))
		if is != nil {
			t.Fatal(is)
		}
		var got deep
		is = d.Into(&got)
		if len(is) != 1 || !strings.Contains(is[0].Msg, "nested more than 32 levels") {
			t.Errorf("Into = %v", is)
		}
	})
	t.Run("aliases", func(t *testing.T) {
		// Ten levels of ten aliases: 10^10 strings if expanded.
		var b strings.Builder
		b.WriteString("l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n")
		for i := 1; i <= 10; i++ {
			fmt.Fprintf(&b, "l%d: &l%d [", i, i)
			for j := range 10 {
				if j > 0 {
					b.WriteString(", ")
				}
				fmt.Fprintf(&b, "*l%d", i-1)
			}
			b.WriteString("]\n")
		}
		d, is := Parse([]byte(b.String()))
		if is != nil {
			t.Fatal(is)
		}
		var got struct {
			L10 [][][][][][][][][][][]string `json:"l10"`
		}
		is = d.Into(&got)
		if len(is) == 0 || !strings.Contains(is[len(is)-1].Msg, "through its aliases") {
			t.Errorf("Into = %v", is)
		}
	})
	t.Run("many problems", func(t *testing.T) {
		src := "items:\n" + strings.Repeat("  - {sku: [1]}\n", 80)
		d, _ := Parse([]byte(src))
		var got doc
		is := d.Into(&got)
		if len(is) != MaxProblems+1 || is[MaxProblems].Msg != "too many problems; stopping here" {
			t.Errorf("got %d issues, last %v", len(is), is[len(is)-1])
		}
	})
	t.Run("not a pointer", func(t *testing.T) {
		d, _ := Parse([]byte("id: x\n"))
		var got doc
		if is := d.Into(got); len(is) != 1 {
			t.Errorf("Into(non-pointer) = %v", is)
		}
		if is := d.Into((*doc)(nil)); len(is) != 1 {
			t.Errorf("Into(nil) = %v", is)
		}
	})
}

func TestParseDuration(t *testing.T) {
	for in, want := range map[string]time.Duration{"36h": 36 * time.Hour, "7d": 7 * 24 * time.Hour, "1h30m": 90 * time.Minute, "-2d": -48 * time.Hour} {
		if got, err := ParseDuration(in); err != nil || got != want {
			t.Errorf("ParseDuration(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "d", "1.5d", "106752d", "7 days", "1y"} {
		if _, err := ParseDuration(in); err == nil {
			t.Errorf("ParseDuration(%q) succeeded", in)
		}
	}
}

func TestIssueString(t *testing.T) {
	for _, tt := range []struct {
		is   Issue
		want string
	}{
		{Issue{Line: 3, Column: 7, RuleID: "r1", Path: "rules[0].when", Msg: "bad"}, "3:7: rule r1: rules[0].when: bad"},
		{Issue{Line: 3, Msg: "bad"}, "3: bad"},
		{Issue{Msg: "bad"}, "bad"},
	} {
		if got := tt.is.String(); got != tt.want {
			t.Errorf("String() = %q, want %q", got, tt.want)
		}
	}
}

func FuzzInto(f *testing.F) {
	f.Add([]byte("id: d\nitems: [{sku: a, quantity: 2}]\nlimits: {USD: 1}\nwait: 3d\n"))
	f.Add([]byte(`{"id": "j", "count": 3, "by_level": {"low": "x"}, "extra": [1, {"a": null}]}`))
	f.Add([]byte("a: &a [*a]\n"))
	f.Add([]byte("next: &n {next: *n}\n"))
	f.Add([]byte("a: [\n"))
	f.Add([]byte("small: -1\nratio: .nan\npair: [1, 2, 3]\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		d, is := Parse(src)
		if d == nil {
			if len(is) == 0 {
				t.Fatal("no document and no issue")
			}
			return
		}
		var got doc
		is = d.Into(&got)
		if len(is) > MaxProblems+1 {
			t.Fatalf("%d issues", len(is))
		}
		for _, i := range is {
			if i.Msg == "" {
				t.Fatalf("issue without a message: %+v", i)
			}
		}
	})
}

func TestField(t *testing.T) {
	src := "id: d\ncases:\n  - input: {sku: a, quantity: x}\n"
	d, is := Parse([]byte(src))
	if is != nil {
		t.Fatal(is)
	}
	var outer struct {
		ID    string `json:"id"`
		Cases []struct {
			Input any `json:"input"`
		} `json:"cases"`
	}
	if is := d.Into(&outer); is != nil {
		t.Fatal(is)
	}
	var it item
	found, is := d.Field("cases[0].input", &it)
	want := []Issue{{Path: "cases[0].input.quantity", Line: 3, Column: 31, Msg: `"x" is not a whole number`}}
	if !found || !cmp.Equal(want, is) {
		t.Errorf("Field = %v, %v; want %v", found, is, want)
	}
	if found, is := d.Field("cases[1].input", &it); found || is != nil {
		t.Errorf("Field of a missing path = %v, %v", found, is)
	}
	var id string
	if found, is := d.Field("id", &id); !found || is != nil || id != "d" {
		t.Errorf("Field(id) = %v, %v, %q", found, is, id)
	}
}

func TestMergeKeys(t *testing.T) {
	src := `base: &base {sku: a, quantity: 1}
more: &more {quantity: 2}
items:
  - <<: *base
    quantity: 3
  - <<: [*more, *base]
  - {<<: *base, sku: b}
`
	d, is := Parse([]byte(src))
	if is != nil {
		t.Fatal(is)
	}
	var got struct {
		Base  item   `json:"base"`
		More  item   `json:"more"`
		Items []item `json:"items"`
	}
	if is := d.Into(&got); is != nil {
		t.Fatal(is)
	}
	// The mapping's own keys win, then the earlier merge.
	want := []item{{"a", 3}, {"a", 2}, {"b", 1}}
	if diff := cmp.Diff(want, got.Items); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
	d, _ = Parse([]byte("items:\n  - <<: 5\n"))
	if is := d.Into(&got); len(is) != 1 || !strings.Contains(is[0].Msg, "merge key") {
		t.Errorf("a merge of a scalar: %v", is)
	}
}

func TestParseAtLocate(t *testing.T) {
	src := []byte("{\"a\": 1}\n{\"a\": 1,\n \"b\": {\"c\": [1, \"x\"]}}\n")
	start := bytes.IndexByte(src, '\n') + 1
	d, issues := ParseAt(src, start, len(src))
	if issues != nil {
		t.Fatal(issues)
	}
	for path, want := range map[string][2]int{
		"":         {2, 1},
		"a":        {2, 7},
		"b.c[1]":   {3, 17},
		"b.c[1].z": {3, 17}, // past a scalar: the scalar
		"b.d":      {3, 7},  // no such key: the mapping
		"b.c[7]":   {3, 13},
	} {
		if l, c := d.Locate(path); l != want[0] || c != want[1] {
			t.Errorf("Locate(%q) = %d:%d, want %d:%d", path, l, c, want[0], want[1])
		}
	}
	if _, issues := ParseAt(src, start, start+5); len(issues) != 1 || issues[0].Line < 2 {
		t.Errorf("a syntax error is placed before the record: %v", issues)
	}
	var nilDoc *Document
	if l, c := nilDoc.Locate("a"); l != 0 || c != 0 {
		t.Errorf("nil document located %d:%d", l, c)
	}
}

// TestIntoSkip checks that top-level keys left to another reader are
// neither decoded nor unknown, while a misspelt key still is.
func TestIntoSkip(t *testing.T) {
	doc, issues := Parse([]byte("name: x\ncontrols: {a: 1}\nnmae: y\n"))
	if issues != nil {
		t.Fatal(issues)
	}
	var v struct {
		Name string `json:"name"`
	}
	issues = doc.Into(&v, "controls")
	if len(issues) != 1 || issues[0].Path != "nmae" || issues[0].Line != 3 || v.Name != "x" {
		t.Errorf("Into with controls skipped: %v, %+v", issues, v)
	}
	if issues = doc.Into(&v); len(issues) != 2 {
		t.Errorf("Into without skipping: %v, want controls and nmae unknown", issues)
	}
}
