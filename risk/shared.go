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
	// unique numbers the parts of bodies that are never shared.
	unique int
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
	var visit func(e celast.Expr) int
	// key numbers the shape of e from the numbers of its parts, so that
	// shaping a policy takes time in proportion to its size.
	visit = func(e celast.Expr) int {
		var b strings.Builder
		part := func(x celast.Expr) { b.WriteString(strconv.Itoa(visit(x))); b.WriteByte(',') }
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
				part(sel.Operand())
			case celast.CallKind:
				call := e.AsCall()
				fmt.Fprintf(&b, "%q %q %v ", call.FunctionName(), a.GetOverloadIDs(e.ID()), call.IsMemberFunction())
				if call.IsMemberFunction() {
					part(call.Target())
				}
				for _, x := range call.Args() {
					part(x)
				}
			case celast.ListKind:
				l := e.AsList()
				fmt.Fprintf(&b, "%v ", l.OptionalIndices())
				for _, x := range l.Elements() {
					part(x)
				}
			case celast.MapKind:
				for _, en := range e.AsMap().Entries() {
					me := en.AsMapEntry()
					fmt.Fprintf(&b, "%v ", me.IsOptional())
					part(me.Key())
					part(me.Value())
				}
			case celast.StructKind:
				st := e.AsStruct()
				fmt.Fprintf(&b, "%q ", st.TypeName())
				for _, f := range st.Fields() {
					sf := f.AsStructField()
					fmt.Fprintf(&b, "%q %v ", sf.Name(), sf.IsOptional())
					part(sf.Value())
				}
			case celast.ComprehensionKind:
				c := e.AsComprehension()
				fmt.Fprintf(&b, "%q %q %q ", c.IterVar(), c.IterVar2(), c.AccuVar())
				for _, x := range []celast.Expr{c.IterRange(), c.AccuInit()} {
					part(x)
				}
				// The body is part of the shape but not shaped on its own:
				// its parts may read the loop variables.
				fmt.Fprintf(&b, "%d %d %d", s.body(a, c.LoopCondition()), s.body(a, c.LoopStep()), s.body(a, c.Result()))
			}
		}
		id := s.number(b.String())
		ids[e.ID()] = id
		return id
	}
	visit(a.Expr())
	// Each shape is counted once per place it occurs.
	for _, id := range ids {
		s.uses[id]++
	}
}

// body numbers the shape of the body of a comprehension without counting
// its parts.
func (s *sharing) body(a *celast.AST, e celast.Expr) int {
	var b strings.Builder
	var write func(e celast.Expr)
	write = func(e celast.Expr) {
		fmt.Fprintf(&b, "(%d ", e.Kind())
		if r, ok := a.ReferenceMap()[e.ID()]; ok && r.Name != "" && r.Value == nil {
			fmt.Fprintf(&b, "ref %q", r.Name)
		}
		switch e.Kind() {
		case celast.LiteralKind:
			v := e.AsLiteral()
			fmt.Fprintf(&b, "%s %#v", v.Type().TypeName(), v.Value())
		case celast.IdentKind:
			fmt.Fprintf(&b, "%q", e.AsIdent())
		case celast.SelectKind:
			sel := e.AsSelect()
			fmt.Fprintf(&b, "%q %v ", sel.FieldName(), sel.IsTestOnly())
			write(sel.Operand())
		case celast.CallKind:
			call := e.AsCall()
			fmt.Fprintf(&b, "%q %q %v ", call.FunctionName(), a.GetOverloadIDs(e.ID()), call.IsMemberFunction())
			if call.IsMemberFunction() {
				write(call.Target())
			}
			for _, x := range call.Args() {
				write(x)
			}
		default:
			// Lists, maps, structs and nested comprehensions in a body:
			// too rare to share; a unique shape keeps them apart.
			s.unique++
			fmt.Fprintf(&b, "unique %d", s.unique)
		}
		b.WriteByte(')')
	}
	write(e)
	return s.number(b.String())
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
