package decode

import (
	"reflect"
	"strings"
)

// fields are the keys of a struct type: the json names of its exported
// fields, flattening embedded structs without a tag as encoding/json does.
type fields struct {
	index map[string][]int
	names []string // in declaration order, for suggestions
}

func structFields(t reflect.Type) fields {
	f := fields{index: map[string][]int{}}
	var walk func(t reflect.Type, prefix []int, depth int)
	walk = func(t reflect.Type, prefix []int, depth int) {
		for i := range t.NumField() {
			sf := t.Field(i)
			name, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
			idx := append(append([]int(nil), prefix...), i)
			ft := sf.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if sf.Anonymous && name == "" && ft.Kind() == reflect.Struct && depth < MaxDepth {
				walk(ft, idx, depth+1)
				continue
			}
			if !sf.IsExported() || name == "-" {
				continue
			}
			if name == "" {
				name = sf.Name
			}
			if _, dup := f.index[name]; !dup {
				f.index[name] = idx
				f.names = append(f.names, name)
			}
		}
	}
	walk(t, nil, 0)
	return f
}

// closest returns the name in names nearest to key, when it is within two
// edits and closer than any other, or "".
func closest(key string, names []string) string {
	best, bestD, tie := "", 3, false
	for _, n := range names {
		d := distance(key, n)
		switch {
		case d < bestD:
			best, bestD, tie = n, d, false
		case d == bestD:
			tie = true
		}
	}
	if tie {
		return ""
	}
	return best
}

// distance is the Levenshtein distance between a and b, in bytes, stopping
// early for strings too different in length to be near.
func distance(a, b string) int {
	if len(a) > 64 || len(b) > 64 || len(a)-len(b) > 2 || len(b)-len(a) > 2 {
		return 3
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
