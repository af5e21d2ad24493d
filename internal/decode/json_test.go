package decode

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestJSON(t *testing.T) {
	tests := []struct {
		name, src string
		want      []Issue
	}{
		{"well formed", `{"id": "j", "items": [{"sku": "a", "quantity": 2}], "on": true}`, nil},
		{"what only the walk reads", `{"id": "j", "wait": "36h"}`, nil},
		{"syntax", "{\"id\": \"j\",\n \"on\": tru}", []Issue{{Line: 2, Column: 11, Msg: "syntax error: invalid character '}' in literal true (expecting 'e')"}}},
		{"truncated", `{"id": "j"`, []Issue{{Line: 1, Column: 11, Msg: "the document ends inside a JSON value (truncated?)"}}},
		{"trailing data", `{"id": "j"} {"id": "k"}`, []Issue{{Line: 1, Column: 13, Msg: "unexpected data after the JSON value (one value per document or line)"}}},
		{"empty", " \n", []Issue{{Msg: "the document is empty"}}},
		{"every problem, located", "{\"id\": 7,\n \"items\": [{\"sku\": \"a\", \"quantity\": \"2\"}],\n \"on\": \"yes\", \"smal\": 1}", []Issue{
			{Path: "id", Line: 1, Column: 8, Msg: "want a string, got a JSON number"},
			{Path: "items[0].quantity", Line: 2, Column: 37, Msg: "want a whole number, got a JSON string"},
			{Path: "on", Line: 3, Column: 8, Msg: "want true or false, got a JSON string"},
			{Path: "smal", Line: 3, Column: 15, Msg: `unknown key "smal"; did you mean "small"?`},
		}},
		{"not an object", `[1]`, []Issue{{Line: 1, Column: 1, Msg: "want an object, got a JSON array"}}},
		{"a list that is not one", `{"items": {"sku": "a"}}`, []Issue{{Path: "items", Line: 1, Column: 11, Msg: "want an array, got a JSON object"}}},
		{"a repeated key", `{"id": "a", "on": true, "id": "b"}`, []Issue{{Path: "id", Line: 1, Column: 25, Msg: `repeated key "id"`}}},
		{"a key repeated in another case", `{"id": "a", "ID": "b"}`, []Issue{{Path: "ID", Line: 1, Column: 13, Msg: `unknown key "ID"`}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var d doc
			got := JSON([]byte(tt.src), &d)
			if diff := cmp.Diff(tt.want, got, cmpopts.IgnoreFields(Issue{}, "Err")); diff != "" {
				t.Errorf("issues (-want +got):\n%s", diff)
			}
		})
	}
}

// TestJSONAgrees decodes documents encoding/json accepts both ways: the
// fast path and the walk build the same value.
func TestJSONAgrees(t *testing.T) {
	src := []byte(`{"id": "j", "level": "high", "count": 3, "ratio": 0.5, "on": true, "small": 7,
		"items": [{"sku": "a", "quantity": 2}], "limits": {"USD": 10}, "by_level": {"low": "x"},
		"next": {"sku": "b"}, "extra": [1, "two"], "pair": ["p", "q"], "Untagged": "u"}`)
	var fast doc
	if is := JSON(src, &fast); is != nil {
		t.Fatal(is)
	}
	var walked doc
	d, is := Parse(src)
	if d == nil {
		t.Fatal(is)
	}
	if is := d.Into(&walked); is != nil {
		t.Fatal(is)
	}
	// encoding/json reads numbers in an any as float64, YAML as int.
	fast.Extra, walked.Extra = nil, nil
	if diff := cmp.Diff(walked, fast, cmp.AllowUnexported(count{})); diff != "" {
		t.Errorf("fast path and walk differ (-walk +fast):\n%s", diff)
	}
}

func TestDecodeChoosesByFirstByte(t *testing.T) {
	var y, j doc
	if is := Decode([]byte("id: y\nwait: 2h\n"), &y); is != nil || y.ID != "y" || y.Wait != 2*time.Hour {
		t.Errorf("YAML: %+v %v", y, is)
	}
	if is := Decode([]byte(" {\"id\": \"j\"}"), &j); is != nil || j.ID != "j" {
		t.Errorf("JSON: %+v %v", j, is)
	}
	if is := Decode([]byte("{id: flow}"), &j); is != nil || j.ID != "flow" {
		t.Errorf("a YAML flow mapping is YAML: %+v %v", j, is)
	}
}

func TestPlace(t *testing.T) {
	src := []byte("{\"id\": \"j\",\n \"items\": [{\"sku\": \"a\"}, {\"sku\": \"\"}]}")
	issues := []Issue{{Path: "items[1].sku", Msg: "empty"}, {Msg: "no path"}, {Path: "id", Line: 9, Msg: "placed already"}}
	Place(src, issues)
	want := []Issue{{Path: "items[1].sku", Line: 2, Column: 34, Msg: "empty"}, {Msg: "no path"}, {Path: "id", Line: 9, Msg: "placed already"}}
	if diff := cmp.Diff(want, issues); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// FuzzJSON requires JSON never to panic, to accept what strict
// encoding/json accepts, and to explain every refusal.
func FuzzJSON(f *testing.F) {
	f.Add([]byte(`{"id": "j", "count": 3, "by_level": {"low": "x"}, "extra": [1, {"a": null}]}`))
	f.Add([]byte(`{"id": 7, "items": [{"quantity": "2"}]}`))
	f.Add([]byte(`{"wait": "3d", "pair": ["a"]}`))
	f.Add([]byte(`{"id": "j"} x`))
	f.Add([]byte(`{"next": {"next": null}, "Untagged": 1e400}`))
	f.Add([]byte(`{"id": "a", "items": [{"sku": "x", "SKU": "y"}], "i\u0064": "b"}`))
	f.Fuzz(func(t *testing.T, src []byte) {
		var got doc
		is := JSON(src, &got)
		dec := json.NewDecoder(bytes.NewReader(src))
		dec.DisallowUnknownFields()
		var ref doc
		if dec.Decode(&ref) == nil && len(bytes.TrimSpace(src[dec.InputOffset():])) == 0 {
			if RepeatsKey(src) != repeatsKeyByTokens(t, src) {
				t.Fatalf("RepeatsKey(%q) = %v", src, RepeatsKey(src))
			}
			if is != nil && !RepeatsKey(src) {
				t.Fatalf("encoding/json accepts %q, JSON refuses: %v", src, is)
			}
		}
		for _, i := range is {
			if i.Msg == "" {
				t.Fatalf("issue without a message: %+v", i)
			}
		}
		if is == nil && reflect.ValueOf(got).IsZero() && len(bytes.TrimSpace(src)) > 0 && !bytes.Contains(src, []byte("{")) {
			t.Fatalf("accepted %q into nothing", src)
		}
	})
}

// repeatsKeyByTokens is RepeatsKey written with encoding/json's tokenizer,
// for FuzzJSON to compare with.
func repeatsKeyByTokens(t *testing.T, src []byte) bool {
	dec := json.NewDecoder(bytes.NewReader(src))
	type level struct {
		object bool
		keys   map[string]bool
		key    bool // the next string is a key
	}
	var open []*level
	for {
		tok, err := dec.Token()
		if err != nil {
			return false
		}
		var top *level
		if len(open) > 0 {
			top = open[len(open)-1]
		}
		switch tok := tok.(type) {
		case json.Delim:
			switch tok {
			case '{', '[':
				if top != nil && top.object {
					top.key = true
				}
				open = append(open, &level{object: tok == '{', keys: map[string]bool{}, key: tok == '{'})
			default:
				open = open[:len(open)-1]
			}
			continue
		case string:
			if top != nil && top.object && top.key {
				k := strings.ToLower(tok)
				if top.keys[k] {
					return true
				}
				top.keys[k] = true
				top.key = false
				continue
			}
		}
		if top != nil && top.object {
			top.key = true
		}
	}
}

func TestRepeatsKey(t *testing.T) {
	many := func(dup bool) string {
		var b strings.Builder
		b.WriteString(`{"outer": {"k0": 0`)
		for i := 1; i < 40; i++ {
			fmt.Fprintf(&b, `, "k%d": %d`, i, i)
		}
		if dup {
			b.WriteString(`, "K17": 1`)
		}
		b.WriteString(`}, "k0": [{"k0": 1}, {"k0": 2}]}`)
		return b.String()
	}
	for _, tc := range []struct {
		src  string
		want bool
	}{
		{`{"a": 1, "b": {"a": 2}, "c": [{"a": 3}, {"a": 4}]}`, false},
		{`{"a": 1, "b": 2, "A": 3}`, true},
		{`{"a": "x", "\u0061": 2}`, true},
		{`{"é": 1, "É": 2}`, true},
		{`["a", "a", {"a": "a"}]`, false},
		{`{"a": {"b": 1, "b": 2}}`, true},
		{many(false), false},
		{many(true), true},
	} {
		if got := RepeatsKey([]byte(tc.src)); got != tc.want {
			t.Errorf("RepeatsKey(%s) = %v", tc.src, got)
		}
	}
}
