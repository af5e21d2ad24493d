package onboarding

import (
	"strconv"

	"github.com/riskkit/riskkit/internal/decode"
	"github.com/riskkit/riskkit/risk"
)

// DecodeApplicant reads one applicant from JSON or YAML, in the field names
// of [Applicant]'s JSON tags, and validates it with [Applicant.Validate].
// Unknown and repeated keys, values of the wrong shape, unknown enumeration
// names, malformed amounts and times, and everything Validate rejects are
// errors: a *[risk.DocumentError] listing every problem with its path, line
// and column. It never panics, whatever the input.
func DecodeApplicant(data []byte) (Applicant, error) {
	var a Applicant
	doc, list := decode.Parse(data)
	if doc != nil {
		list = doc.Into(&a)
	}
	what := "applicant"
	if a.ID != "" {
		what = "applicant " + strconv.Quote(a.ID)
	}
	if len(list) > 0 {
		return Applicant{}, risk.NewDocumentError("onboarding", ErrInvalidDocument, what, list)
	}
	is := issues{decode.Collector{Doc: doc}}
	a.validate(&is, "", false)
	if err := is.err(what); err != nil {
		return Applicant{}, err
	}
	return a, nil
}

// UnmarshalText reads a single amount, such as "500.00 USD", which
// documents may write instead of a list of one.
func (a *Amounts) UnmarshalText(b []byte) error {
	m, err := risk.ParseMoney(string(b))
	if err != nil {
		return err
	}
	*a = Amounts{m}
	return nil
}
