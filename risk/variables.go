package risk

import (
	"time"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/cost"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
)

// varSlot caches one policy variable for one decision.
type varSlot struct {
	done    bool
	s       st
	missing uint64
	err     error
	b       bool
	i       int64
	t       time.Time
	str     string
	m       Money
	o       any
	v       ref.Val // the value of a variable cel-go computes
}

// variables compiles the policy's variables in order, each visible to the
// variables after it and to the rules.
func (c *compiler) variables() []*compiled {
	p := c.policy
	out := make([]*compiled, len(p.Variables))
	seen := map[string]bool{}
	for i := range p.Variables {
		v := &p.Variables[i]
		c.varNodes = append(c.varNodes, fnode{})
		where := "variables." + v.Name
		line, col := v.pos.ruleLine, v.pos.ruleCol
		switch {
		case !identRE.MatchString(v.Name):
			c.addAt(where, line, col, "variable name %q is not an identifier", v.Name)
			continue
		case seen[v.Name]:
			c.addAt(where, line, col, "variable %s is defined twice", v.Name)
			continue
		}
		seen[v.Name] = true
		c.path = where
		x := c.compile(v.Expression, v.pos, "", nil)
		c.path = ""
		if x == nil {
			// Declared anyway, so that rules reading it are not reported
			// as well.
			if env, err := c.env.Extend(cel.Variable(where, cel.DynType)); err == nil {
				c.env = env
			}
			continue
		}
		env, err := c.env.Extend(cel.Variable(where, x.typ))
		if err != nil {
			c.addAt(where, line, col, "%v", err)
			continue
		}
		c.env = env
		// Building a value costs at least a tenth of a unit per element or
		// byte, so ten times the cost bounds a variable's size; the
		// estimate never goes below the assumed string size.
		c.varSizes[where] = max(uint64(c.limits.MaxStringSize), cost.SafeMultiply(c.lastCost, 10))
		out[i] = x
		c.varIdx[where] = i
		c.varNodes[i] = cachedNode(i, x)
		idx := i
		c.vars.byName[where] = func(f *frame) ref.Val { return f.variable(idx, x) }
	}
	return out
}

func (c *compiler) addAt(path string, line, col int, format string, args ...any) {
	c.path = path
	c.add("", line, col, format, args...)
	c.path = ""
}

// slot computes variable idx once per decision, with the loop variables and
// the missing inputs and error of the rule that needs it kept aside.
func (f *frame) slot(idx int, x *compiled) *varSlot {
	vs := &f.varVals[idx]
	if vs.done {
		return vs
	}
	// The variable's work is charged to the decision, not to the rule that
	// happens to need it first.
	// Computed inside a planned comprehension, the variable's own loops
	// would overwrite the enclosing loop's variables: they are kept aside
	// then, which the outermost loop variable, set only inside a loop,
	// tells.
	var saved [2 * maxNest]any
	inLoop := f.vars[0] != nil
	if inLoop {
		saved = f.vars
	}
	m, e, c := f.missing, f.err, f.cost
	f.missing, f.err, f.cost = 0, nil, 0
	n := x.node
	switch n.k {
	case kBool:
		vs.b, vs.s = n.b(f)
	case kInt, kDuration:
		vs.i, vs.s = n.i(f)
	case kTime:
		vs.t, vs.s = n.t(f)
	case kString:
		vs.str, vs.s = n.s(f)
	case kMoney:
		vs.m, vs.s = n.m(f)
	case kObject:
		vs.o, vs.s = n.o(f)
	default:
		vs.v = f.run(x.prg)
		vs.s = f.absorb(vs.v)
	}
	vs.missing, vs.err, vs.done = f.missing, f.err, true
	f.varCost += f.cost
	if inLoop {
		f.vars = saved
	}
	f.missing, f.err, f.cost = m, e, c
	return vs
}

// use passes a cached variable's failure on to the rule reading it.
func (f *frame) use(vs *varSlot) st {
	switch vs.s {
	case sUnknown:
		f.missing |= vs.missing
	case sError:
		f.err = vs.err
	}
	return vs.s
}

// variable returns variable idx as a CEL value, for cel-go.
func (f *frame) variable(idx int, x *compiled) ref.Val {
	vs := f.slot(idx, x)
	switch vs.s {
	case sUnknown:
		if vs.v != nil {
			return vs.v
		}
		var u *types.Unknown
		for i := 0; i <= maxInputBits; i++ {
			if vs.missing&(1<<i) != 0 {
				next := types.NewUnknown(int64(i), nil)
				if u == nil {
					u = next
				} else {
					u = types.MergeUnknowns(u, next)
				}
			}
		}
		if u == nil {
			u = types.NewUnknown(-1, nil)
		}
		return u
	case sError:
		if vs.v != nil {
			return vs.v
		}
		return types.WrapErr(vs.err)
	}
	switch x.node.k {
	case kBool:
		return types.Bool(vs.b)
	case kInt:
		return types.Int(vs.i)
	case kDuration:
		return types.Duration{Duration: time.Duration(vs.i)}
	case kTime:
		return types.Timestamp{Time: vs.t.UTC()}
	case kString:
		return types.String(vs.str)
	case kMoney:
		return moneyVal{vs.m}
	case kObject:
		return objVal{path: x.node.path, p: vs.o}
	}
	return vs.v
}

// cachedNode is the planned read of variable idx, computed at most once per
// decision. Variables of types the planner does not represent are read by
// cel-go through the activation.
func cachedNode(idx int, x *compiled) fnode {
	n := x.node
	switch n.k {
	case kBool:
		return fnode{k: kBool, b: func(f *frame) (bool, st) {
			vs := f.slot(idx, x)
			return vs.b, f.use(vs)
		}}
	case kInt, kDuration:
		return fnode{k: n.k, i: func(f *frame) (int64, st) {
			vs := f.slot(idx, x)
			return vs.i, f.use(vs)
		}}
	case kTime:
		return fnode{k: kTime, t: func(f *frame) (time.Time, st) {
			vs := f.slot(idx, x)
			return vs.t, f.use(vs)
		}}
	case kString:
		return fnode{k: kString, s: func(f *frame) (string, st) {
			vs := f.slot(idx, x)
			return vs.str, f.use(vs)
		}}
	case kMoney:
		return fnode{k: kMoney, m: func(f *frame) (Money, st) {
			vs := f.slot(idx, x)
			return vs.m, f.use(vs)
		}}
	case kObject:
		return fnode{k: kObject, path: n.path, o: func(f *frame) (any, st) {
			vs := f.slot(idx, x)
			return vs.o, f.use(vs)
		}}
	}
	return fnode{}
}
