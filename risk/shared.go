package risk

import (
	"fmt"
	"strconv"
	"strings"

	celast "cel.dev/cel-go/common/ast"
)

// sharing finds the boolean sub-expressions that occur more than once in
// a policy's rules, such as `payment.type == "card"` or a pass over the
// line items, so that a decision computes each once: the first rule that
// needs one computes it, the others read its value.
//
// Sub-expressions are compared by shape: the same operators, overloads,
// names and literals, whatever rule or line they come from. Only those
// outside the bodies of comprehensions count (a comprehension as a whole
// does), so that a shape never depends on a loop variable.
type sharing struct {
	// shapes numbers each distinct shape; uses counts its occurrences.
	shapes map[string]int
	uses   []int
	// ids is the shape of every counted node, by AST and node id.
	ids map[*celast.AST]map[int64]int
	// memo is the memo bit of each shape planned as shared so far.
	memo map[int]int
}

// maxShared bounds the sub-expressions a decision remembers: one bit each.
const maxShared = 64

func newSharing() *sharing {
	return &sharing{shapes: map[string]int{}, ids: map[*celast.AST]map[int64]int{}, memo: map[int]int{}}
}

// count records the shapes of a's sub-expressions.
func (s *sharing) count(a *celast.AST) {
	ids := map[int64]int{}
	s.ids[a] = ids
	s.shape(a, a.Expr(), ids)
	// Each shape is counted once per place it occurs.
	for _, id := range ids {
		s.uses[id]++
	}
}

// shape numbers the shape of e from the numbers of its parts, so that
// shaping a policy takes time in proportion to its size. With ids it
// records the shapes of e and of its parts by node id, except inside the
// bodies of comprehensions: those are part of the comprehension's shape
// but not shared on their own, as they may read the loop variables.
func (s *sharing) shape(a *celast.AST, e celast.Expr, ids map[int64]int) int {
	var b strings.Builder
	part := func(x celast.Expr, ids map[int64]int) {
		b.WriteString(strconv.Itoa(s.shape(a, x, ids)))
		b.WriteByte(',')
	}
	fmt.Fprintf(&b, "%d:", e.Kind())
	if r, ok := a.ReferenceMap()[e.ID()]; ok && r.Name != "" && r.Value == nil {
		fmt.Fprintf(&b, "ref %q", r.Name)
	} else {
		switch e.Kind() {
		case celast.LiteralKind:
			v := e.AsLiteral()
			fmt.Fprintf(&b, "%s %#v", v.Type().TypeName(), v.Value())
		case celast.IdentKind:
			fmt.Fprintf(&b, "%q", e.AsIdent())
		case celast.SelectKind:
			sel := e.AsSelect()
			fmt.Fprintf(&b, "%q %v ", sel.FieldName(), sel.IsTestOnly())
			part(sel.Operand(), ids)
		case celast.CallKind:
			call := e.AsCall()
			fmt.Fprintf(&b, "%q %q %v ", call.FunctionName(), a.GetOverloadIDs(e.ID()), call.IsMemberFunction())
			if call.IsMemberFunction() {
				part(call.Target(), ids)
			}
			for _, x := range call.Args() {
				part(x, ids)
			}
		case celast.ListKind:
			l := e.AsList()
			fmt.Fprintf(&b, "%v ", l.OptionalIndices())
			for _, x := range l.Elements() {
				part(x, ids)
			}
		case celast.MapKind:
			for _, en := range e.AsMap().Entries() {
				me := en.AsMapEntry()
				fmt.Fprintf(&b, "%v ", me.IsOptional())
				part(me.Key(), ids)
				part(me.Value(), ids)
			}
		case celast.StructKind:
			st := e.AsStruct()
			fmt.Fprintf(&b, "%q ", st.TypeName())
			for _, f := range st.Fields() {
				sf := f.AsStructField()
				fmt.Fprintf(&b, "%q %v ", sf.Name(), sf.IsOptional())
				part(sf.Value(), ids)
			}
		case celast.ComprehensionKind:
			c := e.AsComprehension()
			fmt.Fprintf(&b, "%q %q %q ", c.IterVar(), c.IterVar2(), c.AccuVar())
			part(c.IterRange(), ids)
			part(c.AccuInit(), ids)
			part(c.LoopCondition(), nil)
			part(c.LoopStep(), nil)
			part(c.Result(), nil)
		}
	}
	id := s.number(b.String())
	if ids != nil {
		ids[e.ID()] = id
	}
	return id
}

// number returns the number of shape key.
func (s *sharing) number(key string) int {
	id, ok := s.shapes[key]
	if !ok {
		id = len(s.uses)
		s.shapes[key] = id
		s.uses = append(s.uses, 0)
	}
	return id
}

// bit returns the memo bit of e, a sub-expression of a, when it occurs
// more than once in the policy and a bit is left for it.
func (s *sharing) bit(a *celast.AST, e celast.Expr) (int, bool) {
	if s == nil {
		return 0, false
	}
	id, ok := s.ids[a][e.ID()]
	if !ok || s.uses[id] < 2 {
		return 0, false
	}
	if b, ok := s.memo[id]; ok {
		return b, true
	}
	if len(s.memo) == maxShared {
		return 0, false
	}
	b := len(s.memo)
	s.memo[id] = b
	return b, true
}
