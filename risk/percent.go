package risk

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Percent is an exact percentage in hundredths of a percent (basis points):
// Percent(8000) is 80%, Percent(8037) is 80.37% and Percent(1) is 0.01%, the
// finest step it can take. Working in whole hundredths keeps ratios exact:
// a budget threshold of 80.37% is met by exactly the amounts whose ratio to
// the budget is at least 0.8037, and an onboarding prepayment of 150% is
// exactly one and a half times the amount, with no floating point involved.
//
// The zero value is 0%. Percent is a plain integer, safe for concurrent use.
type Percent int64

// ParsePercent parses a percentage with at most two decimals, such as "80",
// "80.5", "80.37" or "-3.25", optionally followed by "%". More decimals are
// an error rather than a rounding, so a percentage means what it says.
func ParsePercent(s string) (Percent, error) {
	p, err := parsePercent(s)
	if err != nil {
		return 0, fmt.Errorf("risk: parse percent %q: %w", s, err)
	}
	return p, nil
}

func parsePercent(s string) (Percent, error) {
	s = strings.TrimSuffix(s, "%")
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	whole, frac, hasPoint := strings.Cut(s, ".")
	switch {
	case whole == "":
		return 0, errors.New("want digits, as in 80 or 80.25")
	case hasPoint && frac == "":
		return 0, errors.New("no digits after the decimal point")
	case len(frac) > 2:
		return 0, errors.New("more than two decimals; a percentage is exact to 0.01")
	}
	var v int64
	for i := range len(whole) + 2 {
		var c byte = '0'
		switch {
		case i < len(whole):
			c = whole[i]
		case i-len(whole) < len(frac):
			c = frac[i-len(whole)]
		}
		if c < '0' || c > '9' {
			return 0, fmt.Errorf("invalid character %q", c)
		}
		if v > (math.MaxInt64-int64(c-'0'))/10 {
			return 0, ErrOverflow
		}
		v = v*10 + int64(c-'0')
	}
	if neg {
		v = -v
	}
	return Percent(v), nil
}

// String returns p with the decimals it needs and a percent sign, as in
// "80%", "80.5%" or "80.37%".
func (p Percent) String() string {
	var buf [24]byte
	b, _ := p.AppendText(buf[:0])
	return string(append(b, '%'))
}

// AppendText implements [encoding.TextAppender]: it appends the
// [Percent.MarshalText] form, such as "80.37", to b.
func (p Percent) AppendText(b []byte) ([]byte, error) {
	mag := uint64(p)
	if p < 0 {
		b = append(b, '-')
		mag = -mag
	}
	b = strconv.AppendUint(b, mag/100, 10)
	switch frac := mag % 100; {
	case frac == 0:
	case frac%10 == 0:
		b = append(b, '.', byte('0'+frac/10))
	default:
		b = append(b, '.', byte('0'+frac/10), byte('0'+frac%10))
	}
	return b, nil
}

// MarshalText implements [encoding.TextMarshaler] with the [Percent.String]
// form without the percent sign, such as "80.37", so that YAML and JSON
// documents can write a percentage as a plain number.
func (p Percent) MarshalText() ([]byte, error) { return p.AppendText(nil) }

// UnmarshalText implements [encoding.TextUnmarshaler] with [ParsePercent].
func (p *Percent) UnmarshalText(b []byte) error {
	v, err := ParsePercent(string(b))
	if err != nil {
		return err
	}
	*p = v
	return nil
}
