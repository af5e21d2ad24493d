package onboarding

import (
	"bytes"
	"encoding"
	"errors"
	"fmt"
	"io"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/riskkit/riskkit/internal/yamlpos"
	"github.com/riskkit/riskkit/risk"
	"go.yaml.in/yaml/v3"
)

// DecodeApplicant reads one applicant from JSON or YAML, in the field names
// of [Applicant]'s JSON tags, and validates it with [Applicant.Validate].
// Unknown and repeated keys, values of the wrong shape, unknown enumeration
// names, malformed amounts and times, and everything Validate rejects are
// errors: an *[Error] listing every problem with its path, line and column.
// It never panics, whatever the input.
func DecodeApplicant(data []byte) (Applicant, error) {
	var a Applicant
	root, err := parseDocument(data, "applicant")
	if err != nil {
		return Applicant{}, err
	}
	d := newNodeDecoder()
	d.decode(root, "", reflect.ValueOf(&a).Elem())
	what := "applicant"
	if a.ID != "" {
		what = "applicant " + strconv.Quote(a.ID)
	}
	if len(d.list) > 0 {
		return Applicant{}, &Error{What: what, Issues: d.list}
	}
	is := issues{pos: d.position}
	a.validate(&is, "", false)
	if err := is.err(what); err != nil {
		return Applicant{}, err
	}
	return a, nil
}

// parseDocument parses data as a single YAML (or JSON) document and returns
// its root node, or an *Error naming what was expected.
func parseDocument(data []byte, what string) (*yaml.Node, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, &Error{What: what, Issues: []risk.Issue{{Msg: "the document is empty"}}}
		}
		return nil, &Error{What: what, Issues: []risk.Issue{yamlIssue(err)}}
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		is := risk.Issue{Msg: "more than one document; give one " + what}
		if err == nil {
			is.Line, is.Column = extra.Line, extra.Column
		} else {
			is = yamlIssue(err)
		}
		return nil, &Error{What: what, Issues: []risk.Issue{is}}
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		return nil, &Error{What: what, Issues: []risk.Issue{{Msg: "the document is empty"}}}
	}
	return doc.Content[0], nil
}

// yamlLine matches the line numbers go.yaml.in/yaml/v3 puts in its messages.
var yamlLine = regexp.MustCompile(`^(?:yaml: )?line (\d+): `)

// yamlIssue turns a YAML syntax error into an issue with its line.
func yamlIssue(err error) risk.Issue {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
		line, _ := strconv.Atoi(m[1])
		return risk.Issue{Line: line, Msg: strings.TrimPrefix(err.Error(), m[0])}
	}
	return risk.Issue{Msg: msg}
}

// nodeDecoder decodes a YAML node tree into Go values by their JSON tags,
// collecting every problem with its position, and remembers where each path
// was written so that later validation can point at it.
type nodeDecoder struct {
	list  []risk.Issue
	nodes map[string]*yaml.Node
}

func newNodeDecoder() *nodeDecoder { return &nodeDecoder{nodes: map[string]*yaml.Node{}} }

// maxIssues bounds the problems reported for one document, so that a
// hostile document of many aliases to a bad mapping cannot make the list
// grow with the product of their counts.
const maxIssues = 50

func (d *nodeDecoder) issue(n *yaml.Node, path, format string, args ...any) {
	switch {
	case len(d.list) < maxIssues:
		d.list = append(d.list, risk.Issue{Path: path, Line: n.Line, Column: n.Column, Msg: fmt.Sprintf(format, args...)})
	case len(d.list) == maxIssues:
		d.list = append(d.list, risk.Issue{Line: n.Line, Column: n.Column, Msg: "too many problems; stopping here"})
	}
}

// position returns where path, or the closest enclosing path, was written.
func (d *nodeDecoder) position(path string) (int, int) {
	for p := path; ; {
		if n, ok := d.nodes[p]; ok {
			return n.Line, n.Column
		}
		i := strings.LastIndexAny(p, ".[")
		if i < 0 {
			if n, ok := d.nodes[""]; ok {
				return n.Line, n.Column
			}
			return 0, 0
		}
		p = p[:i]
	}
}

func isNull(n *yaml.Node) bool { return n.Kind == yaml.ScalarNode && n.Tag == "!!null" }

var (
	durationType  = reflect.TypeFor[time.Duration]()
	signalType    = reflect.TypeFor[risk.Signal]()
	amountsType   = reflect.TypeFor[Amounts]()
	unmarshalerTy = reflect.TypeFor[encoding.TextUnmarshaler]()
)

// maxDepth bounds the nesting the decoder follows, so that a hostile
// document of nested aliases cannot make it recurse without end.
const maxDepth = 32

// decode decodes n into v, which must be settable.
func (d *nodeDecoder) decode(n *yaml.Node, path string, v reflect.Value) {
	d.decodeDepth(n, path, v, 0)
}

func (d *nodeDecoder) decodeDepth(n *yaml.Node, path string, v reflect.Value, depth int) {
	n = yamlpos.Resolve(n)
	d.nodes[path] = n
	if depth > maxDepth {
		d.issue(n, path, "nested more than %d levels deep", maxDepth)
		return
	}
	t := v.Type()
	switch t {
	case durationType:
		s, ok := d.scalar(n, path, "a duration such as 48h or 7d")
		if !ok || s == "" {
			return
		}
		dur, err := parseDuration(s)
		if err != nil {
			d.issue(n, path, "%v", err)
			return
		}
		v.SetInt(int64(dur))
		return
	case signalType:
		s, ok := d.scalar(n, path, "a whole number or null")
		if !ok || s == "" {
			v.Set(reflect.Zero(t))
			return
		}
		i, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n.Tag != "!!int" {
			d.issue(n, path, "%q is not a whole number", s)
			return
		}
		v.Set(reflect.ValueOf(risk.Known(i)))
		return
	case amountsType:
		if n.Kind == yaml.ScalarNode && !isNull(n) {
			m := d.money(n, path)
			if !m.IsZero() {
				v.Set(reflect.ValueOf(Amounts{m}))
			}
			return
		}
	}
	if reflect.PointerTo(t).Implements(unmarshalerTy) && t.Kind() != reflect.Slice {
		s, ok := d.scalar(n, path, "a single value")
		if !ok || s == "" && isNull(n) {
			return
		}
		if err := v.Addr().Interface().(encoding.TextUnmarshaler).UnmarshalText([]byte(s)); err != nil {
			d.issue(n, path, "%s", trimPackage(err.Error()))
		}
		return
	}
	switch t.Kind() {
	case reflect.Pointer:
		if isNull(n) {
			v.Set(reflect.Zero(t))
			return
		}
		p := reflect.New(t.Elem())
		d.decodeDepth(n, path, p.Elem(), depth+1)
		v.Set(p)
	case reflect.Struct:
		if isNull(n) {
			return
		}
		fields := structFields(t)
		d.mapping(n, path, func(key string, kn, vn *yaml.Node) bool {
			idx, ok := fields[key]
			if !ok {
				return false
			}
			d.decodeDepth(vn, join(path, key), v.FieldByIndex(idx), depth+1)
			return true
		})
	case reflect.Map:
		if isNull(n) {
			return
		}
		if t.Key().Kind() != reflect.String {
			d.issue(n, path, "cannot decode into %v", t)
			return
		}
		if v.IsNil() {
			v.Set(reflect.MakeMap(t))
		}
		d.mapping(n, path, func(key string, kn, vn *yaml.Node) bool {
			e := reflect.New(t.Elem()).Elem()
			d.decodeDepth(vn, join(path, key), e, depth+1)
			v.SetMapIndex(reflect.ValueOf(key).Convert(t.Key()), e)
			return true
		})
	case reflect.Slice:
		if isNull(n) {
			return
		}
		if n.Kind != yaml.SequenceNode {
			d.issue(n, path, "want a list")
			return
		}
		s := reflect.MakeSlice(t, len(n.Content), len(n.Content))
		for i, e := range n.Content {
			d.decodeDepth(e, path+"["+strconv.Itoa(i)+"]", s.Index(i), depth+1)
		}
		v.Set(s)
	case reflect.String:
		if s, ok := d.scalar(n, path, "a string"); ok {
			v.SetString(s)
		}
	case reflect.Bool:
		s, ok := d.scalar(n, path, "true or false")
		if !ok || s == "" {
			return
		}
		b, err := strconv.ParseBool(strings.ToLower(s))
		if err != nil || n.Tag != "!!bool" {
			d.issue(n, path, "%q is not true or false", s)
			return
		}
		v.SetBool(b)
	case reflect.Int, reflect.Int64, reflect.Int32:
		s, ok := d.scalar(n, path, "a whole number")
		if !ok || s == "" {
			return
		}
		i, err := strconv.ParseInt(s, 10, t.Bits())
		if err != nil || n.Tag != "!!int" {
			d.issue(n, path, "%q is not a whole number", s)
			return
		}
		v.SetInt(i)
	default:
		d.issue(n, path, "cannot decode into %v", t)
	}
}

// scalar returns the text of a scalar node; null is "". It reports any other
// kind of node, saying what was wanted.
func (d *nodeDecoder) scalar(n *yaml.Node, path, want string) (string, bool) {
	if n.Kind != yaml.ScalarNode {
		d.issue(n, path, "want %s, not a list or mapping", want)
		return "", false
	}
	if isNull(n) {
		return "", true
	}
	return n.Value, true
}

// money decodes an amount such as "500.00 USD".
func (d *nodeDecoder) money(n *yaml.Node, path string) risk.Money {
	s, ok := d.scalar(n, path, `an amount such as "500.00 USD"`)
	if !ok || s == "" {
		return risk.Money{}
	}
	m, err := risk.ParseMoney(s)
	if err != nil {
		d.issue(n, path, "%s", trimPackage(err.Error()))
	}
	return m
}

// mapping calls field for each key of a mapping node, reporting other nodes,
// keys that are not plain scalars, repeated keys, and keys field does not
// know (it returns false for them).
func (d *nodeDecoder) mapping(n *yaml.Node, path string, field func(key string, k, v *yaml.Node) bool) {
	if n.Kind != yaml.MappingNode {
		d.issue(n, path, "want a mapping of keys to values")
		return
	}
	seen := make(map[string]bool, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := yamlpos.Resolve(n.Content[i]), n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			d.issue(k, path, "want a plain key")
			continue
		}
		kp := join(path, k.Value)
		if seen[k.Value] {
			d.issue(k, kp, "repeated key")
			continue
		}
		seen[k.Value] = true
		if !field(k.Value, k, v) {
			d.issue(k, kp, "unknown key %q", k.Value)
		}
	}
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// structFields maps the JSON names of t's fields to their indexes,
// flattening embedded structs without a tag as encoding/json does.
func structFields(t reflect.Type) map[string][]int {
	out := map[string][]int{}
	var walk func(t reflect.Type, prefix []int)
	walk = func(t reflect.Type, prefix []int) {
		for i := range t.NumField() {
			f := t.Field(i)
			tag := f.Tag.Get("json")
			name, _, _ := strings.Cut(tag, ",")
			idx := append(append([]int(nil), prefix...), i)
			if f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct {
				walk(f.Type, idx)
				continue
			}
			if !f.IsExported() || name == "-" {
				continue
			}
			if name == "" {
				name = f.Name
			}
			if _, dup := out[name]; !dup {
				out[name] = idx
			}
		}
	}
	walk(t, nil)
	return out
}

// trimPackage drops a package prefix such as "risk: " from a message, since
// the issue already says where it is.
func trimPackage(msg string) string {
	for _, p := range []string{"risk: ", "onboarding: ", "budget: ", "dunning: "} {
		msg = strings.ReplaceAll(strings.TrimPrefix(msg, p), ": "+p, ": ")
	}
	return msg
}

// parseDuration parses a Go duration such as "36h" or a number of days such
// as "7d"; it must be positive.
func parseDuration(s string) (time.Duration, error) {
	var d time.Duration
	if days, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.ParseInt(days, 10, 64)
		if err != nil || n <= 0 || n > 3660 {
			return 0, fmt.Errorf("%q is not a number of days from 1d to 3660d", s)
		}
		d = time.Duration(n) * 24 * time.Hour
	} else {
		var err error
		d, err = time.ParseDuration(s)
		if err != nil {
			return 0, fmt.Errorf("%q is not a duration such as 48h or 7d", s)
		}
	}
	if d <= 0 {
		return 0, fmt.Errorf("duration %q must be above zero", s)
	}
	return d, nil
}
