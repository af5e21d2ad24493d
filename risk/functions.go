package risk

import (
	"fmt"
	"net/netip"
	"strings"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/operators"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
)

// Overload ids of the functions riskkit adds to CEL.
const (
	inCIDRs        = "in_cidrs_string"
	lessMoney      = "less_money"
	lessEqMoney    = "less_equals_money"
	greaterMoney   = "greater_money"
	greaterEqMoney = "greater_equals_money"
	addMoney       = "add_money"
	subtractMoney  = "subtract_money"
	mulMoneyInt    = "multiply_money_int"
	moneyOfString  = "money_string"
	moneyCurrency  = "money_currency"
	moneyAmount    = "money_amount"
	moneyMinor     = "money_minor"
	stringOfMoney  = "string_money"
)

// riskFunctions declares the functions riskkit adds to CEL: membership in
// CIDR lists and Money. CEL's operators reach Money and CIDR lists through
// their traits (see moneyVal and cidrVal); these declarations let the
// checker accept them.
func riskFunctions() []cel.EnvOption {
	unaryMoney := func(fn func(Money) ref.Val) cel.OverloadOpt {
		return cel.UnaryBinding(func(v ref.Val) ref.Val {
			m, ok := v.(moneyVal)
			if !ok {
				return types.MaybeNoSuchOverloadErr(v)
			}
			return fn(m.m)
		})
	}
	mm := []*cel.Type{moneyType, moneyType}
	return []cel.EnvOption{
		cel.Function(operators.In, cel.Overload(inCIDRs, []*cel.Type{cel.StringType, cidrSetType}, cel.BoolType)),
		cel.Function(operators.Less, cel.Overload(lessMoney, mm, cel.BoolType)),
		cel.Function(operators.LessEquals, cel.Overload(lessEqMoney, mm, cel.BoolType)),
		cel.Function(operators.Greater, cel.Overload(greaterMoney, mm, cel.BoolType)),
		cel.Function(operators.GreaterEquals, cel.Overload(greaterEqMoney, mm, cel.BoolType)),
		cel.Function(operators.Add, cel.Overload(addMoney, mm, moneyType)),
		cel.Function(operators.Subtract, cel.Overload(subtractMoney, mm, moneyType)),
		cel.Function(operators.Multiply, cel.Overload(mulMoneyInt, []*cel.Type{moneyType, cel.IntType}, moneyType)),
		cel.Function("money", cel.Overload(moneyOfString, []*cel.Type{cel.StringType}, moneyType,
			cel.UnaryBinding(func(v ref.Val) ref.Val {
				s, ok := v.(types.String)
				if !ok {
					return types.MaybeNoSuchOverloadErr(v)
				}
				return moneyResult(ParseMoney(string(s)))
			}))),
		cel.Function("currency", cel.MemberOverload(moneyCurrency, []*cel.Type{moneyType}, cel.StringType,
			unaryMoney(func(m Money) ref.Val { return types.String(m.currency) }))),
		cel.Function("amount", cel.MemberOverload(moneyAmount, []*cel.Type{moneyType}, cel.StringType,
			unaryMoney(func(m Money) ref.Val { return types.String(moneyAmountText(m)) }))),
		cel.Function("minor", cel.MemberOverload(moneyMinor, []*cel.Type{moneyType}, cel.IntType,
			unaryMoney(func(m Money) ref.Val { return types.Int(m.minor) }))),
		cel.Function("string", cel.Overload(stringOfMoney, []*cel.Type{moneyType}, cel.StringType,
			unaryMoney(func(m Money) ref.Val { return types.String(m.String()) }))),
	}
}

// moneyAmountText is the decimal amount of m without its currency, such as
// "10.00".
func moneyAmountText(m Money) string {
	return strings.TrimSuffix(m.String(), " "+m.currency)
}

// cidrSet is a named list of CIDR ranges. Membership is a map lookup per
// distinct prefix length, so its cost does not grow with the list; a list
// of a few ranges is searched range by range, which is faster.
type cidrSet struct {
	name  string
	bits  []int // distinct prefix lengths, IPv4 lengths offset by 200
	items map[netip.Prefix]struct{}
	few   []netip.Prefix // the ranges, when there are at most smallSet
}

func newCIDRSet(name string, ranges []string) (*cidrSet, error) {
	s := &cidrSet{name: name, items: map[netip.Prefix]struct{}{}}
	seen := map[int]bool{}
	for _, r := range ranges {
		pfx, err := netip.ParsePrefix(r)
		if err != nil {
			addr, aerr := netip.ParseAddr(r)
			if aerr != nil {
				return nil, fmt.Errorf("%q is not a CIDR range or IP address", r)
			}
			pfx = netip.PrefixFrom(addr, addr.BitLen())
		}
		pfx = pfx.Masked()
		if pfx.Addr().Is4In6() {
			pfx = netip.PrefixFrom(pfx.Addr().Unmap(), pfx.Bits()-96)
		}
		if _, dup := s.items[pfx]; !dup {
			s.few = append(s.few, pfx)
		}
		s.items[pfx] = struct{}{}
		key := pfx.Bits()
		if pfx.Addr().Is4() {
			key += 200
		}
		if !seen[key] {
			seen[key] = true
			s.bits = append(s.bits, key)
		}
	}
	if len(s.few) > smallSet {
		s.few = nil
	}
	return s, nil
}

func (s *cidrSet) contains(a netip.Addr) bool {
	a = a.Unmap()
	if s.few != nil {
		for _, p := range s.few {
			if p.Contains(a) {
				return true
			}
		}
		return false
	}
	v4 := a.Is4()
	for _, key := range s.bits {
		bits := key
		if bits >= 200 {
			if !v4 {
				continue
			}
			bits -= 200
		} else if v4 {
			continue
		}
		p, err := a.Prefix(bits)
		if err != nil {
			continue
		}
		if _, ok := s.items[p]; ok {
			return true
		}
	}
	return false
}
