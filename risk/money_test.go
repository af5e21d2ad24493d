package risk

import (
	"encoding/json"
	"errors"
	"math"
	"math/big"
	"math/rand/v2"
	"strings"
	"testing"
	"unsafe"

	"github.com/google/go-cmp/cmp"
	"go.yaml.in/yaml/v3"
)

// moneyOpt lets cmp look inside Money; == on Money is the intended equality.
var moneyOpt = cmp.AllowUnexported(Money{})

// usdMinor, jpyMinor and bhdMinor build test amounts in currencies with
// exponents 2, 0 and 3; eurMinor is another currency with exponent 2.
func usdMinor(minor int64) Money { return Money{minor: minor, currency: "USD"} }
func jpyMinor(minor int64) Money { return Money{minor: minor, currency: "JPY"} }
func bhdMinor(minor int64) Money { return Money{minor: minor, currency: "BHD"} }
func eurMinor(minor int64) Money { return Money{minor: minor, currency: "EUR"} }

// checkMoneyErr fails t unless err matches want: nil means no error, and a
// non-nil want must be found by errors.Is. Every non-nil error must also
// contain each of the fragments, so messages keep naming what is wrong.
func checkMoneyErr(t *testing.T, err, want error, fragments ...string) {
	t.Helper()
	switch {
	case want == nil && err != nil:
		t.Fatalf("unexpected error: %v", err)
	case want != nil && err == nil:
		t.Fatalf("got no error, want one wrapping %v", want)
	case want != nil && !errors.Is(err, want):
		t.Fatalf("error %q does not wrap %q", err, want)
	}
	if err == nil {
		return
	}
	for _, f := range fragments {
		if !strings.Contains(err.Error(), f) {
			t.Errorf("error %q does not mention %q", err, f)
		}
	}
}

// errMoneyAny stands for an error with no sentinel to match.
var errMoneyAny = errors.New("any error")

func checkMoneyErrAny(t *testing.T, err, want error, fragments ...string) {
	t.Helper()
	if want == errMoneyAny {
		if err == nil {
			t.Fatal("got no error, want one")
		}
		want = nil
		for _, f := range fragments {
			if !strings.Contains(err.Error(), f) {
				t.Errorf("error %q does not mention %q", err, f)
			}
		}
		return
	}
	checkMoneyErr(t, err, want, fragments...)
}

func TestCurrencyExponent(t *testing.T) {
	tests := []struct {
		name, code string
		want       int
		wantErr    error
		why        string
	}{
		{name: "USD", code: "USD", want: 2, why: "cents"},
		{name: "EUR", code: "EUR", want: 2, why: "cents"},
		{name: "JPY", code: "JPY", want: 0, why: "the yen has no minor unit in use"},
		{name: "KRW", code: "KRW", want: 0, why: "no minor unit"},
		{name: "BHD", code: "BHD", want: 3, why: "1000 fils to the dinar"},
		{name: "KWD", code: "KWD", want: 3, why: "1000 fils to the dinar"},
		{name: "CLF", code: "CLF", want: 4, why: "the Chilean unit of account has four decimals"},
		{name: "XTS", code: "XTS", want: 2, why: "the ISO testing code is known to x/text"},
		{name: "lower case", code: "usd", wantErr: ErrUnknownCurrency, why: "x/text folds case, Money does not"},
		{name: "mixed case", code: "Usd", wantErr: ErrUnknownCurrency, why: "codes are upper case"},
		{name: "two letters", code: "US", wantErr: ErrUnknownCurrency, why: "codes have three letters"},
		{name: "four letters", code: "USDX", wantErr: ErrUnknownCurrency, why: "codes have three letters"},
		{name: "empty", code: "", wantErr: ErrUnknownCurrency, why: "no code"},
		{name: "unassigned", code: "ABC", wantErr: ErrUnknownCurrency, why: "well formed but not a currency"},
		{name: "XXX", code: "XXX", wantErr: ErrUnknownCurrency, why: "ISO's no-currency code is the zero Money's job"},
		{name: "digit", code: "US1", wantErr: ErrUnknownCurrency, why: "letters only"},
		{name: "non-ASCII", code: "ÜSD", wantErr: ErrUnknownCurrency, why: "ASCII letters only"},
		{name: "padded", code: " USD", wantErr: ErrUnknownCurrency, why: "no surrounding space"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := CurrencyExponent(tt.code)
			checkMoneyErr(t, err, tt.wantErr, `"`+tt.code+`"`)
			if got != tt.want {
				t.Errorf("CurrencyExponent(%q) = %d, want %d (%s)", tt.code, got, tt.want, tt.why)
			}
		})
	}
}

func TestCurrencyExponentAllocs(t *testing.T) {
	code := strings.Clone("BHD") // not a constant the compiler could see through
	if n := testing.AllocsPerRun(100, func() { _, _ = CurrencyExponent(code) }); n != 0 {
		t.Errorf("CurrencyExponent allocates %v times per call, want 0", n)
	}
}

func TestNewMoney(t *testing.T) {
	tests := []struct {
		name    string
		minor   int64
		code    string
		want    Money
		wantErr error
	}{
		{name: "USD", minor: 24995, code: "USD", want: usdMinor(24995)},
		{name: "negative", minor: -5, code: "USD", want: usdMinor(-5)},
		{name: "zero amount", minor: 0, code: "JPY", want: jpyMinor(0)},
		{name: "extremes", minor: math.MinInt64, code: "BHD", want: bhdMinor(math.MinInt64)},
		{name: "lower case", minor: 1, code: "usd", wantErr: ErrUnknownCurrency},
		{name: "unknown", minor: 1, code: "QQQ", wantErr: ErrUnknownCurrency},
		{name: "empty code", minor: 0, code: "", wantErr: ErrUnknownCurrency},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := NewMoney(tt.minor, tt.code)
			checkMoneyErr(t, err, tt.wantErr, `"`+tt.code+`"`)
			if diff := cmp.Diff(tt.want, got, moneyOpt); diff != "" {
				t.Errorf("NewMoney(%d, %q) mismatch (-want +got):\n%s", tt.minor, tt.code, diff)
			}
		})
	}
}

func TestNewMoneyDoesNotRetainInput(t *testing.T) {
	// A Money must not pin the caller's string, which may be a slice of a
	// large buffer; it keeps x/text's copy of the code instead.
	buf := strings.Repeat("x", 1000) + "USD"
	code := buf[1000:]
	m, err := NewMoney(1, code)
	if err != nil {
		t.Fatal(err)
	}
	if m.Currency() != "USD" {
		t.Fatalf("Currency() = %q, want USD", m.Currency())
	}
	if unsafe.StringData(m.currency) == unsafe.StringData(code) {
		t.Error("the Money shares memory with the caller's code")
	}
}

func TestParseMoney(t *testing.T) {
	tests := []struct {
		name, in string
		want     Money
		why      string
	}{
		{name: "dollars and cents", in: "249.95 USD", want: usdMinor(24995)},
		{name: "whole dollars", in: "10 USD", want: usdMinor(1000), why: "decimals may be left out"},
		{name: "negative whole", in: "-10 USD", want: usdMinor(-1000)},
		{name: "fewer decimals", in: "0.5 USD", want: usdMinor(50), why: "0.5 is 0.50"},
		{name: "negative cents", in: "-0.05 USD", want: usdMinor(-5)},
		{name: "zero", in: "0 USD", want: usdMinor(0)},
		{name: "negative zero", in: "-0.00 USD", want: usdMinor(0), why: "there is no negative zero in int64"},
		{name: "leading zeros", in: "007.00 USD", want: usdMinor(700)},
		{name: "yen", in: "1000 JPY", want: jpyMinor(1000)},
		{name: "negative yen", in: "-1 JPY", want: jpyMinor(-1)},
		{name: "dinar", in: "1.250 BHD", want: bhdMinor(1250)},
		{name: "dinar one decimal", in: "1.2 BHD", want: bhdMinor(1200)},
		{name: "fils", in: "0.001 BHD", want: bhdMinor(1)},
		{name: "max USD", in: "92233720368547758.07 USD", want: usdMinor(math.MaxInt64)},
		{name: "min USD", in: "-92233720368547758.08 USD", want: usdMinor(math.MinInt64), why: "MinInt64's magnitude exceeds MaxInt64"},
		{name: "max JPY", in: "9223372036854775807 JPY", want: jpyMinor(math.MaxInt64)},
		{name: "min BHD", in: "-9223372036854775.808 BHD", want: bhdMinor(math.MinInt64)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseMoney(tt.in)
			if err != nil {
				t.Fatalf("ParseMoney(%q): %v", tt.in, err)
			}
			if diff := cmp.Diff(tt.want, got, moneyOpt); diff != "" {
				t.Errorf("ParseMoney(%q) mismatch (-want +got) %s:\n%s", tt.in, tt.why, diff)
			}
		})
	}
}

func TestParseMoneyErrors(t *testing.T) {
	tests := []struct {
		name, in string
		wantErr  error  // errMoneyAny: an error with no sentinel
		mention  string // a fragment the message must contain
		why      string
	}{
		{name: "empty", in: "", wantErr: errMoneyAny, mention: "empty"},
		{name: "no currency", in: "10", wantErr: errMoneyAny, mention: "one space", why: "the code is required"},
		{name: "no amount", in: " USD", wantErr: errMoneyAny, mention: "missing amount"},
		{name: "trailing space", in: "10 ", wantErr: errMoneyAny, mention: "missing currency code"},
		{name: "two spaces", in: "10  USD", wantErr: errMoneyAny, mention: "one space"},
		{name: "leading space", in: " 10 USD", wantErr: errMoneyAny, mention: "one space"},
		{name: "tab", in: "10\tUSD", wantErr: errMoneyAny, mention: "one space"},
		{name: "no space", in: "10USD", wantErr: errMoneyAny, mention: "one space"},
		{name: "code first", in: "USD 10", wantErr: ErrUnknownCurrency, mention: `"10"`},
		{name: "lower-case code", in: "10 usd", wantErr: ErrUnknownCurrency, mention: "upper-case"},
		{name: "unknown code", in: "10 ABC", wantErr: ErrUnknownCurrency, mention: `"ABC"`},
		{name: "XXX", in: "10 XXX", wantErr: ErrUnknownCurrency, mention: "no currency"},
		{name: "trailing newline", in: "10 USD\n", wantErr: ErrUnknownCurrency, mention: `"USD\n"`},
		{name: "too many cents", in: "1.999 USD", wantErr: errMoneyAny, mention: "3 decimal places, but USD has 2", why: "parsing never rounds"},
		{name: "decimals on yen", in: "1.5 JPY", wantErr: errMoneyAny, mention: "JPY has 0"},
		{name: "zero decimals on yen", in: "1.0 JPY", wantErr: errMoneyAny, mention: "JPY has 0", why: "even a zero digit is a decimal the yen lacks"},
		{name: "four decimals on dinar", in: "1.2500 BHD", wantErr: errMoneyAny, mention: "BHD has 3"},
		{name: "grouping comma", in: "1,000.00 USD", wantErr: errMoneyAny, mention: "','"},
		{name: "grouping underscore", in: "1_000 USD", wantErr: errMoneyAny, mention: "'_'"},
		{name: "plus sign", in: "+10 USD", wantErr: errMoneyAny, mention: "'+'"},
		{name: "double minus", in: "--10 USD", wantErr: errMoneyAny, mention: "'-'"},
		{name: "minus only", in: "- USD", wantErr: errMoneyAny, mention: "no digits before"},
		{name: "unicode minus", in: "−10 USD", wantErr: errMoneyAny, mention: "'−'"},
		{name: "decimal comma", in: "10,5 USD", wantErr: errMoneyAny, mention: "','"},
		{name: "exponent", in: "1e3 USD", wantErr: errMoneyAny, mention: "'e'"},
		{name: "two points", in: "1.2.3 USD", wantErr: errMoneyAny, mention: "'.'"},
		{name: "no integer digits", in: ".5 USD", wantErr: errMoneyAny, mention: "before the decimal point"},
		{name: "no fraction digits", in: "5. USD", wantErr: errMoneyAny, mention: "after the decimal point"},
		{name: "NaN", in: "NaN USD", wantErr: errMoneyAny, mention: "'N'"},
		{name: "over max", in: "92233720368547758.08 USD", wantErr: ErrOverflow, why: "one cent above MaxInt64"},
		{name: "under min", in: "-92233720368547758.09 USD", wantErr: ErrOverflow, why: "one cent below MinInt64"},
		{name: "over max via padding", in: "922337203685477580.8 BHD", wantErr: ErrOverflow, why: "the missing decimals are zeros that still count"},
		{name: "huge", in: "99999999999999999999999999 JPY", wantErr: ErrOverflow},
		{name: "huge and malformed", in: "99999999999999999999999999x JPY", wantErr: errMoneyAny, mention: "'x'", why: "malformed is reported before overflow"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseMoney(tt.in)
			checkMoneyErrAny(t, err, tt.wantErr, "risk: parse money "+moneyQuote(tt.in), tt.mention)
			if got != (Money{}) {
				t.Errorf("ParseMoney(%q) = %#v with an error, want the zero Money", tt.in, got)
			}
		})
	}
}

func moneyQuote(s string) string { b, _ := json.Marshal(s); return string(b) }

func TestMustMoney(t *testing.T) {
	if got, want := MustMoney("1.250 BHD"), bhdMinor(1250); got != want {
		t.Errorf("MustMoney = %#v, want %#v", got, want)
	}
	defer func() {
		err, _ := recover().(error)
		if !errors.Is(err, ErrUnknownCurrency) {
			t.Errorf("MustMoney(bad) panicked with %v, want an error wrapping ErrUnknownCurrency", err)
		}
	}()
	MustMoney("1 usd")
}

func TestMoneyString(t *testing.T) {
	tests := []struct {
		name string
		m    Money
		want string
	}{
		{name: "zero value", m: Money{}, want: ""},
		{name: "dollars", m: usdMinor(24995), want: "249.95 USD"},
		{name: "cents pad", m: usdMinor(5), want: "0.05 USD"},
		{name: "negative cents", m: usdMinor(-5), want: "-0.05 USD"},
		{name: "zero dollars", m: usdMinor(0), want: "0.00 USD"},
		{name: "whole dollars", m: usdMinor(1000), want: "10.00 USD"},
		{name: "yen", m: jpyMinor(1000), want: "1000 JPY"},
		{name: "negative yen", m: jpyMinor(-7), want: "-7 JPY"},
		{name: "dinar", m: bhdMinor(1250), want: "1.250 BHD"},
		{name: "fils", m: bhdMinor(-1), want: "-0.001 BHD"},
		{name: "max", m: usdMinor(math.MaxInt64), want: "92233720368547758.07 USD"},
		{name: "min", m: usdMinor(math.MinInt64), want: "-92233720368547758.08 USD"},
		{name: "min yen", m: jpyMinor(math.MinInt64), want: "-9223372036854775808 JPY"},
		{name: "CLF", m: Money{minor: 12345, currency: "CLF"}, want: "1.2345 CLF"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.m.String(); got != tt.want {
				t.Errorf("String() = %q, want %q", got, tt.want)
			}
			if tt.want == "" {
				return
			}
			back, err := ParseMoney(tt.want)
			if err != nil || back != tt.m {
				t.Errorf("ParseMoney(%q) = %#v, %v; want %#v", tt.want, back, err, tt.m)
			}
		})
	}
}

func TestMoneyAccessors(t *testing.T) {
	type accessors struct {
		Minor    int64
		Currency string
		Exponent int
		IsZero   bool
		Sign     int
	}
	tests := []struct {
		name string
		m    Money
		want accessors
	}{
		{name: "zero value", m: Money{}, want: accessors{IsZero: true}},
		{name: "zero dollars", m: usdMinor(0), want: accessors{Currency: "USD", Exponent: 2}},
		{name: "negative", m: usdMinor(-3), want: accessors{Minor: -3, Currency: "USD", Exponent: 2, Sign: -1}},
		{name: "yen", m: jpyMinor(1000), want: accessors{Minor: 1000, Currency: "JPY", Sign: 1}},
		{name: "dinar", m: bhdMinor(1), want: accessors{Minor: 1, Currency: "BHD", Exponent: 3, Sign: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := accessors{tt.m.Minor(), tt.m.Currency(), tt.m.Exponent(), tt.m.IsZero(), tt.m.Sign()}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("accessors mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// moneyOp is a binary Money operation under test.
type moneyOp struct {
	name string
	fn   func(a, b Money) (Money, error)
}

func TestMoneyAddSub(t *testing.T) {
	add := moneyOp{"Add", Money.Add}
	sub := moneyOp{"Sub", Money.Sub}
	tests := []struct {
		name    string
		op      moneyOp
		a, b    Money
		want    Money
		wantErr error
		why     string
	}{
		{name: "add", op: add, a: usdMinor(150), b: usdMinor(250), want: usdMinor(400)},
		{name: "add negative", op: add, a: usdMinor(150), b: usdMinor(-250), want: usdMinor(-100)},
		{name: "add to zero value", op: add, a: Money{}, b: jpyMinor(5), want: jpyMinor(5), why: "sums start from Money{}"},
		{name: "add zero value", op: add, a: jpyMinor(5), b: Money{}, want: jpyMinor(5)},
		{name: "add zero values", op: add, a: Money{}, b: Money{}, want: Money{}},
		{name: "add mismatch", op: add, a: usdMinor(1), b: eurMinor(1), wantErr: ErrCurrencyMismatch},
		{name: "add mismatch zero amounts", op: add, a: usdMinor(0), b: eurMinor(0), wantErr: ErrCurrencyMismatch, why: "0 USD is not the zero Money"},
		{name: "add to max", op: add, a: usdMinor(math.MaxInt64), b: usdMinor(1), wantErr: ErrOverflow},
		{name: "add to min", op: add, a: usdMinor(math.MinInt64), b: usdMinor(-1), wantErr: ErrOverflow},
		{name: "add max and min", op: add, a: usdMinor(math.MaxInt64), b: usdMinor(math.MinInt64), want: usdMinor(-1)},
		{name: "add max to max", op: add, a: usdMinor(math.MaxInt64), b: usdMinor(math.MaxInt64), wantErr: ErrOverflow},
		{name: "add min to min", op: add, a: usdMinor(math.MinInt64), b: usdMinor(math.MinInt64), wantErr: ErrOverflow},
		{name: "add reaching max", op: add, a: usdMinor(math.MaxInt64 - 1), b: usdMinor(1), want: usdMinor(math.MaxInt64)},
		{name: "sub", op: sub, a: usdMinor(150), b: usdMinor(250), want: usdMinor(-100)},
		{name: "sub from zero value", op: sub, a: Money{}, b: bhdMinor(5), want: bhdMinor(-5), why: "zero value acts as 0 BHD"},
		{name: "sub zero value", op: sub, a: bhdMinor(5), b: Money{}, want: bhdMinor(5)},
		{name: "sub mismatch", op: sub, a: usdMinor(1), b: jpyMinor(1), wantErr: ErrCurrencyMismatch},
		{name: "sub from min", op: sub, a: usdMinor(math.MinInt64), b: usdMinor(1), wantErr: ErrOverflow},
		{name: "sub from max", op: sub, a: usdMinor(math.MaxInt64), b: usdMinor(-1), wantErr: ErrOverflow},
		{name: "sub min from zero", op: sub, a: usdMinor(0), b: usdMinor(math.MinInt64), wantErr: ErrOverflow},
		{name: "sub min from -1", op: sub, a: usdMinor(-1), b: usdMinor(math.MinInt64), want: usdMinor(math.MaxInt64)},
		{name: "sub min from zero value", op: sub, a: Money{}, b: usdMinor(math.MinInt64), wantErr: ErrOverflow, why: "it negates MinInt64"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.op.fn(tt.a, tt.b)
			var codes []string
			if tt.wantErr == ErrCurrencyMismatch {
				codes = []string{tt.a.currency, tt.b.currency}
			}
			checkMoneyErr(t, err, tt.wantErr, codes...)
			if diff := cmp.Diff(tt.want, got, moneyOpt); diff != "" {
				t.Errorf("%v.%s(%v) mismatch (-want +got) %s:\n%s", tt.a, tt.op.name, tt.b, tt.why, diff)
			}
		})
	}
}

func TestMoneyNeg(t *testing.T) {
	tests := []struct {
		name    string
		m, want Money
		wantErr error
	}{
		{name: "positive", m: usdMinor(5), want: usdMinor(-5)},
		{name: "negative", m: usdMinor(-5), want: usdMinor(5)},
		{name: "zero amount", m: jpyMinor(0), want: jpyMinor(0)},
		{name: "zero value", m: Money{}, want: Money{}},
		{name: "max", m: usdMinor(math.MaxInt64), want: usdMinor(-math.MaxInt64)},
		{name: "min", m: usdMinor(math.MinInt64), wantErr: ErrOverflow},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.m.Neg()
			checkMoneyErr(t, err, tt.wantErr)
			if diff := cmp.Diff(tt.want, got, moneyOpt); diff != "" {
				t.Errorf("Neg() mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestMoneyMul(t *testing.T) {
	tests := []struct {
		name    string
		m       Money
		n       int64
		want    Money
		wantErr error
		why     string
	}{
		{name: "price of three", m: usdMinor(1999), n: 3, want: usdMinor(5997)},
		{name: "negative factor", m: usdMinor(1999), n: -2, want: usdMinor(-3998)},
		{name: "both negative", m: usdMinor(-2), n: -2, want: usdMinor(4)},
		{name: "by zero", m: usdMinor(math.MaxInt64), n: 0, want: usdMinor(0)},
		{name: "zero value", m: Money{}, n: 7, want: Money{}},
		{name: "max by one", m: usdMinor(math.MaxInt64), n: 1, want: usdMinor(math.MaxInt64)},
		{name: "max by two", m: usdMinor(math.MaxInt64), n: 2, wantErr: ErrOverflow},
		{name: "max by minus one", m: usdMinor(math.MaxInt64), n: -1, want: usdMinor(-math.MaxInt64)},
		{name: "min by one", m: usdMinor(math.MinInt64), n: 1, want: usdMinor(math.MinInt64)},
		{name: "min by minus one", m: usdMinor(math.MinInt64), n: -1, wantErr: ErrOverflow},
		{name: "minus one by min", m: usdMinor(-1), n: math.MinInt64, wantErr: ErrOverflow},
		{name: "one by min", m: usdMinor(1), n: math.MinInt64, want: usdMinor(math.MinInt64)},
		{name: "half min by two", m: usdMinor(math.MinInt64 / 2), n: 2, want: usdMinor(math.MinInt64)},
		{name: "half min by minus two", m: usdMinor(math.MinInt64 / 2), n: -2, wantErr: ErrOverflow},
		{name: "wraps to positive", m: usdMinor(1 << 32), n: 1 << 32, wantErr: ErrOverflow, why: "2^64 wraps to 0 in int64"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.m.Mul(tt.n)
			checkMoneyErr(t, err, tt.wantErr)
			if diff := cmp.Diff(tt.want, got, moneyOpt); diff != "" {
				t.Errorf("Mul(%d) mismatch (-want +got) %s:\n%s", tt.n, tt.why, diff)
			}
		})
	}
}

func TestMoneyCmp(t *testing.T) {
	tests := []struct {
		name    string
		a, b    Money
		want    int
		wantErr error
	}{
		{name: "less", a: usdMinor(1), b: usdMinor(2), want: -1},
		{name: "equal", a: usdMinor(2), b: usdMinor(2), want: 0},
		{name: "greater", a: usdMinor(3), b: usdMinor(2), want: 1},
		{name: "extremes", a: usdMinor(math.MinInt64), b: usdMinor(math.MaxInt64), want: -1},
		{name: "zero value below positive", a: Money{}, b: jpyMinor(1), want: -1},
		{name: "zero value above negative", a: Money{}, b: jpyMinor(-1), want: 1},
		{name: "zero value equals zero amount", a: jpyMinor(0), b: Money{}, want: 0},
		{name: "zero values", a: Money{}, b: Money{}, want: 0},
		{name: "mismatch", a: usdMinor(1), b: eurMinor(1), wantErr: ErrCurrencyMismatch},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.a.Cmp(tt.b)
			checkMoneyErr(t, err, tt.wantErr)
			if got != tt.want {
				t.Errorf("%v.Cmp(%v) = %d, want %d", tt.a, tt.b, got, tt.want)
			}
		})
	}
}

func TestRoundingString(t *testing.T) {
	tests := []struct {
		r    Rounding
		want string
	}{
		{RoundHalfEven, "half_even"},
		{RoundHalfUp, "half_up"},
		{RoundDown, "down"},
		{RoundUp, "up"},
		{RoundFloor, "floor"},
		{RoundCeiling, "ceiling"},
		{Rounding(42), "Rounding(42)"},
	}
	for _, tt := range tests {
		if got := tt.r.String(); got != tt.want {
			t.Errorf("Rounding(%d).String() = %q, want %q", uint8(tt.r), got, tt.want)
		}
	}
	var zero Rounding
	if zero != RoundHalfEven {
		t.Errorf("zero Rounding is %v, want half_even", zero)
	}
}

// TestMoneyMulDivRounding halves odd and even amounts of both signs, so that
// every mode meets exact ties, and also checks a third and two thirds.
func TestMoneyMulDivRounding(t *testing.T) {
	modes := []Rounding{RoundHalfEven, RoundHalfUp, RoundDown, RoundUp, RoundFloor, RoundCeiling}
	tests := []struct {
		name     string
		minor    int64 // of USD
		num, den int64
		want     [6]int64 // in the order of modes
	}{
		{name: "+2.5", minor: 5, num: 1, den: 2, want: [6]int64{2, 3, 2, 3, 2, 3}},
		{name: "+3.5", minor: 7, num: 1, den: 2, want: [6]int64{4, 4, 3, 4, 3, 4}},
		{name: "-2.5", minor: -5, num: 1, den: 2, want: [6]int64{-2, -3, -2, -3, -3, -2}},
		{name: "-3.5", minor: -7, num: 1, den: 2, want: [6]int64{-4, -4, -3, -4, -4, -3}},
		{name: "-2.5 by negative num", minor: 5, num: -1, den: 2, want: [6]int64{-2, -3, -2, -3, -3, -2}},
		{name: "+0.5", minor: 1, num: 1, den: 2, want: [6]int64{0, 1, 0, 1, 0, 1}},
		{name: "-0.5", minor: -1, num: 1, den: 2, want: [6]int64{0, -1, 0, -1, -1, 0}},
		{name: "+1/3", minor: 1, num: 1, den: 3, want: [6]int64{0, 0, 0, 1, 0, 1}},
		{name: "+2/3", minor: 2, num: 1, den: 3, want: [6]int64{1, 1, 0, 1, 0, 1}},
		{name: "-1/3", minor: -1, num: 1, den: 3, want: [6]int64{0, 0, 0, -1, -1, 0}},
		{name: "-2/3", minor: -2, num: 1, den: 3, want: [6]int64{-1, -1, 0, -1, -1, 0}},
		{name: "exact", minor: 10, num: 3, den: 5, want: [6]int64{6, 6, 6, 6, 6, 6}},
		{name: "zero", minor: 0, num: -3, den: 5, want: [6]int64{0, 0, 0, 0, 0, 0}},
		{name: "15% of 19.99", minor: 1999, num: 15, den: 100, want: [6]int64{300, 300, 299, 300, 299, 300}},
		{name: "just under a tie", minor: 4999999, num: 1, den: 10000000, want: [6]int64{0, 0, 0, 1, 0, 1}},
	}
	for _, tt := range tests {
		for i, r := range modes {
			t.Run(tt.name+"/"+r.String(), func(t *testing.T) {
				got, err := usdMinor(tt.minor).MulDiv(tt.num, tt.den, r)
				if err != nil {
					t.Fatal(err)
				}
				if want := usdMinor(tt.want[i]); got != want {
					t.Errorf("%d×%d/%d rounded %v = %d, want %d", tt.minor, tt.num, tt.den, r, got.minor, want.minor)
				}
			})
		}
	}
}

func TestMoneyMulDiv(t *testing.T) {
	tests := []struct {
		name     string
		m        Money
		num, den int64
		r        Rounding
		want     Money
		wantErr  error // errMoneyAny: an error with no sentinel
		why      string
	}{
		{name: "yen", m: jpyMinor(1001), num: 1, den: 2, want: jpyMinor(500)},
		{name: "dinar", m: bhdMinor(1005), num: 1, den: 10, r: RoundHalfUp, want: bhdMinor(101)},
		{name: "zero value", m: Money{}, num: 3, den: 2, want: Money{}},
		{name: "128-bit intermediate", m: usdMinor(math.MaxInt64), num: math.MaxInt64, den: math.MaxInt64, want: usdMinor(math.MaxInt64), why: "m*num needs 126 bits"},
		{name: "min through 128 bits", m: usdMinor(math.MinInt64), num: 3, den: 3, want: usdMinor(math.MinInt64)},
		{name: "min by minus one", m: usdMinor(math.MinInt64), num: -1, den: 1, wantErr: ErrOverflow},
		{name: "max by two", m: usdMinor(math.MaxInt64), num: 2, den: 1, wantErr: ErrOverflow},
		{name: "quotient over 64 bits", m: usdMinor(math.MaxInt64), num: math.MaxInt64, den: 2, wantErr: ErrOverflow, why: "bits.Div64 would panic"},
		{name: "exact at max", m: usdMinor(math.MaxInt64), num: 4, den: 4, r: RoundUp, want: usdMinor(math.MaxInt64), why: "exact, so nothing to round"},
		{name: "half up past max", m: usdMinor(math.MaxInt64), num: 3, den: 2, r: RoundHalfUp, wantErr: ErrOverflow},
		// (2^32-1)(2^32+1)/2 = MaxInt64 + 0.5: the truncated quotient fits,
		// but rounding away from zero does not.
		{name: "half even rounds past max", m: usdMinor(1<<32 - 1), num: 1<<32 + 1, den: 2, wantErr: ErrOverflow, why: "MaxInt64 is odd, so the tie goes up"},
		{name: "half up rounds past max", m: usdMinor(1<<32 - 1), num: 1<<32 + 1, den: 2, r: RoundHalfUp, wantErr: ErrOverflow},
		{name: "up rounds past max", m: usdMinor(1<<32 - 1), num: 1<<32 + 1, den: 2, r: RoundUp, wantErr: ErrOverflow},
		{name: "ceiling rounds past max", m: usdMinor(1<<32 - 1), num: 1<<32 + 1, den: 2, r: RoundCeiling, wantErr: ErrOverflow},
		{name: "down stays at max", m: usdMinor(1<<32 - 1), num: 1<<32 + 1, den: 2, r: RoundDown, want: usdMinor(math.MaxInt64)},
		{name: "floor stays at max", m: usdMinor(1<<32 - 1), num: 1<<32 + 1, den: 2, r: RoundFloor, want: usdMinor(math.MaxInt64)},
		// The mirror image, MinInt64 + 0.5, may round to MinInt64.
		{name: "half even rounds to min", m: usdMinor(-(1<<32 - 1)), num: 1<<32 + 1, den: 2, want: usdMinor(math.MinInt64)},
		{name: "half up rounds to min", m: usdMinor(-(1<<32 - 1)), num: 1<<32 + 1, den: 2, r: RoundHalfUp, want: usdMinor(math.MinInt64)},
		{name: "floor rounds to min", m: usdMinor(-(1<<32 - 1)), num: 1<<32 + 1, den: 2, r: RoundFloor, want: usdMinor(math.MinInt64)},
		{name: "ceiling toward zero near min", m: usdMinor(-(1<<32 - 1)), num: 1<<32 + 1, den: 2, r: RoundCeiling, want: usdMinor(-math.MaxInt64)},
		{name: "quotient just over 2^63", m: usdMinor(math.MinInt64), num: math.MinInt64, den: math.MaxInt64, r: RoundDown, wantErr: ErrOverflow, why: "positive 2^63+1 does not fit"},
		{name: "zero den", m: usdMinor(1), num: 1, den: 0, wantErr: errMoneyAny},
		{name: "negative den", m: usdMinor(1), num: 1, den: -2, wantErr: errMoneyAny, why: "num carries the sign"},
		{name: "bad rounding", m: usdMinor(1), num: 1, den: 2, r: Rounding(9), wantErr: errMoneyAny},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.m.MulDiv(tt.num, tt.den, tt.r)
			checkMoneyErrAny(t, err, tt.wantErr)
			if diff := cmp.Diff(tt.want, got, moneyOpt); diff != "" {
				t.Errorf("MulDiv(%d, %d, %v) mismatch (-want +got) %s:\n%s", tt.num, tt.den, tt.r, tt.why, diff)
			}
		})
	}
}

// TestMoneyMulDivAgainstBig checks MulDiv against math/big over random
// operands, including ones whose product needs all 128 bits.
func TestMoneyMulDivAgainstBig(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	modes := []Rounding{RoundHalfEven, RoundHalfUp, RoundDown, RoundUp, RoundFloor, RoundCeiling}
	for range 20000 {
		m, num := moneyRandInt64(rng), moneyRandInt64(rng)
		den := max(1, moneyRandInt64(rng)&math.MaxInt64) // into [1, MaxInt64]
		r := modes[rng.IntN(len(modes))]
		want, fits := bigMulDiv(m, num, den, r)
		got, err := usdMinor(m).MulDiv(num, den, r)
		switch {
		case !fits && !errors.Is(err, ErrOverflow):
			t.Fatalf("%d×%d/%d %v = %v, %v; want ErrOverflow", m, num, den, r, got.minor, err)
		case fits && (err != nil || got.minor != want):
			t.Fatalf("%d×%d/%d %v = %v, %v; want %d", m, num, den, r, got.minor, err, want)
		}
	}
}

// moneyRandInt64 returns int64s spread over all magnitudes, with the extremes
// more common than uniform sampling would make them.
func moneyRandInt64(rng *rand.Rand) int64 {
	switch rng.IntN(8) {
	case 0:
		return math.MaxInt64 - rng.Int64N(3)
	case 1:
		return math.MinInt64 + rng.Int64N(3)
	case 2:
		return rng.Int64N(21) - 10
	}
	v := int64(rng.Uint64() >> rng.UintN(64))
	if rng.IntN(2) == 0 {
		v = -v
	}
	return v
}

// bigMulDiv is the reference for MulDiv: exact rational arithmetic, rounded
// by the definition of each mode.
func bigMulDiv(m, num, den int64, r Rounding) (int64, bool) {
	p := new(big.Int).Mul(big.NewInt(m), big.NewInt(num))
	d := big.NewInt(den)
	q, rem := new(big.Int).QuoRem(p, d, new(big.Int)) // q truncated toward zero
	if rem.Sign() != 0 {
		twice := new(big.Int).Abs(rem)
		twice.Lsh(twice, 1)
		c := twice.Cmp(d) // half compared with the tie
		neg := p.Sign() < 0
		var away bool
		switch r {
		case RoundHalfEven:
			away = c > 0 || c == 0 && q.Bit(0) == 1
		case RoundHalfUp:
			away = c >= 0
		case RoundUp:
			away = true
		case RoundFloor:
			away = neg
		case RoundCeiling:
			away = !neg
		}
		if away {
			q.Add(q, big.NewInt(int64(p.Sign())))
		}
	}
	return q.Int64(), q.IsInt64()
}

func TestMoneyAllocate(t *testing.T) {
	tests := []struct {
		name    string
		m       Money
		weights []int64
		want    []Money
		wantErr error // errMoneyAny: an error with no sentinel
		why     string
	}{
		{name: "even", m: usdMinor(100), weights: []int64{1, 1}, want: []Money{usdMinor(50), usdMinor(50)}},
		{name: "thirds", m: usdMinor(10000), weights: []int64{1, 1, 1}, want: []Money{usdMinor(3334), usdMinor(3333), usdMinor(3333)}, why: "ties go to earlier parts"},
		{name: "largest remainder wins", m: usdMinor(100), weights: []int64{1, 2}, want: []Money{usdMinor(33), usdMinor(67)}, why: "66.67 has the larger fraction"},
		{name: "70/30 of 0.05", m: usdMinor(5), weights: []int64{70, 30}, want: []Money{usdMinor(4), usdMinor(1)}, why: "3.5 and 1.5 tie; the earlier part gets the unit"},
		{name: "zero weight gets nothing", m: usdMinor(101), weights: []int64{0, 1, 0, 1}, want: []Money{usdMinor(0), usdMinor(51), usdMinor(0), usdMinor(50)}},
		{name: "negative mirrors", m: usdMinor(-100), weights: []int64{1, 2}, want: []Money{usdMinor(-33), usdMinor(-67)}},
		{name: "negative thirds", m: usdMinor(-10000), weights: []int64{1, 1, 1}, want: []Money{usdMinor(-3334), usdMinor(-3333), usdMinor(-3333)}},
		{name: "one part", m: jpyMinor(7), weights: []int64{5}, want: []Money{jpyMinor(7)}},
		{name: "more parts than units", m: jpyMinor(2), weights: []int64{1, 1, 1, 1}, want: []Money{jpyMinor(1), jpyMinor(1), jpyMinor(0), jpyMinor(0)}},
		{name: "zero amount", m: bhdMinor(0), weights: []int64{1, 2}, want: []Money{bhdMinor(0), bhdMinor(0)}},
		{name: "zero value", m: Money{}, weights: []int64{1, 2}, want: []Money{{}, {}}},
		{name: "min", m: usdMinor(math.MinInt64), weights: []int64{0, 1}, want: []Money{usdMinor(0), usdMinor(math.MinInt64)}, why: "a part may hold MinInt64's magnitude"},
		{name: "max with huge weights", m: usdMinor(math.MaxInt64), weights: []int64{math.MaxInt64 - 1, 1}, want: []Money{usdMinor(math.MaxInt64 - 1), usdMinor(1)}, why: "128-bit product"},
		{name: "remainder order", m: usdMinor(10), weights: []int64{3, 3, 4, 5}, want: []Money{usdMinor(2), usdMinor(2), usdMinor(3), usdMinor(3)}, why: "fractions .0 .0 .6667 .3333 over 15ths"},
		{name: "no weights", m: usdMinor(1), weights: nil, wantErr: errMoneyAny},
		{name: "negative weight", m: usdMinor(1), weights: []int64{2, -1}, wantErr: errMoneyAny},
		{name: "zero sum", m: usdMinor(1), weights: []int64{0, 0}, wantErr: errMoneyAny},
		{name: "weights overflow", m: usdMinor(1), weights: []int64{math.MaxInt64, 1}, wantErr: ErrOverflow},
		{name: "zero value still checks", m: Money{}, weights: []int64{-1}, wantErr: errMoneyAny},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.m.Allocate(tt.weights...)
			checkMoneyErrAny(t, err, tt.wantErr, "risk: allocate")
			if diff := cmp.Diff(tt.want, got, moneyOpt); diff != "" {
				t.Errorf("Allocate(%v) mismatch (-want +got) %s:\n%s", tt.weights, tt.why, diff)
			}
		})
	}
}

// TestAllocateProperties checks over random inputs that the parts add up to
// m exactly, have m's sign, are their exact share truncated toward zero or
// one unit more, that zero weights get zero, and that the extra units go by
// largest remainder, earlier parts first.
func TestAllocateProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(20240601, 7))
	for i := range 5000 {
		m := usdMinor(moneyRandInt64(rng))
		weights := make([]int64, 1+rng.IntN(12))
		maxW := []int64{3, 100, math.MaxInt64 / 16}[rng.IntN(3)]
		for j := range weights {
			weights[j] = rng.Int64N(maxW + 1)
		}
		weights[rng.IntN(len(weights))]++ // a positive sum
		parts, err := m.Allocate(weights...)
		if err != nil {
			t.Fatalf("#%d: %v.Allocate(%v): %v", i, m, weights, err)
		}
		if len(parts) != len(weights) {
			t.Fatalf("#%d: got %d parts, want %d", i, len(parts), len(weights))
		}
		var total int64
		for _, w := range weights {
			total += w
		}
		mag := new(big.Int).Abs(big.NewInt(m.minor))
		rems, extras := make([]*big.Int, len(parts)), make([]bool, len(parts))
		sum := new(big.Int)
		for j, p := range parts {
			if p.currency != "USD" {
				t.Fatalf("#%d: part %d is %#v", i, j, p)
			}
			sum.Add(sum, big.NewInt(p.minor))
			if weights[j] == 0 && p.minor != 0 {
				t.Errorf("#%d: zero weight got %v", i, p)
			}
			// |part| is the truncated exact share |m|*w/total, or one more.
			q, r := new(big.Int).QuoRem(new(big.Int).Mul(mag, big.NewInt(weights[j])), big.NewInt(total), new(big.Int))
			extra := new(big.Int).Sub(new(big.Int).Abs(big.NewInt(p.minor)), q).Int64()
			if extra != 0 && extra != 1 || p.minor != 0 && p.Sign() != m.Sign() {
				t.Fatalf("#%d: %v.Allocate(%v): part %d = %d, exact share %v + %v/%d", i, m, weights, j, p.minor, q, r, total)
			}
			rems[j], extras[j] = r, extra == 1
		}
		// No part got an extra unit while one with a larger remainder, or an
		// equal one earlier in the list, went without.
		for j := range parts {
			for k := range parts {
				if !extras[j] || extras[k] {
					continue
				}
				if c := rems[j].Cmp(rems[k]); c < 0 || c == 0 && k < j {
					t.Fatalf("#%d: %v.Allocate(%v): part %d got a unit before part %d", i, m, weights, j, k)
				}
			}
		}
		if sum.Cmp(big.NewInt(m.minor)) != 0 {
			t.Fatalf("#%d: %v.Allocate(%v) parts sum to %v, want %d", i, m, weights, sum, m.minor)
		}
	}
}

func TestSplit(t *testing.T) {
	tests := []struct {
		name    string
		m       Money
		n       int
		want    []Money
		wantErr bool
	}{
		{name: "thirds", m: usdMinor(10000), n: 3, want: []Money{usdMinor(3334), usdMinor(3333), usdMinor(3333)}},
		{name: "negative", m: usdMinor(-5), n: 2, want: []Money{usdMinor(-3), usdMinor(-2)}},
		{name: "one", m: jpyMinor(5), n: 1, want: []Money{jpyMinor(5)}},
		{name: "min", m: jpyMinor(math.MinInt64), n: 2, want: []Money{jpyMinor(math.MinInt64 / 2), jpyMinor(math.MinInt64 / 2)}},
		{name: "zero value", m: Money{}, n: 2, want: []Money{{}, {}}},
		{name: "zero parts", m: usdMinor(1), n: 0, wantErr: true},
		{name: "negative parts", m: usdMinor(1), n: -1, wantErr: true},
		// A hostile count would allocate 48 GB and kill the process, which
		// no recover can catch.
		{name: "too many parts", m: usdMinor(1), n: math.MaxInt32, wantErr: true},
		{name: "the most parts", m: Money{}, n: MaxParts, want: make([]Money, MaxParts)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.m.Split(tt.n)
			if (err != nil) != tt.wantErr {
				t.Fatalf("Split(%d) error = %v, want error %v", tt.n, err, tt.wantErr)
			}
			if diff := cmp.Diff(tt.want, got, moneyOpt); diff != "" {
				t.Errorf("Split(%d) mismatch (-want +got):\n%s", tt.n, diff)
			}
		})
	}
}

// TestSplitIsAllocate checks that Split's shortcut agrees with Allocate with
// equal weights, as documented.
func TestSplitIsAllocate(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for range 2000 {
		m := bhdMinor(moneyRandInt64(rng))
		n := 1 + rng.IntN(20)
		weights := make([]int64, n)
		for i := range weights {
			weights[i] = 7
		}
		want, err := m.Allocate(weights...)
		if err != nil {
			t.Fatal(err)
		}
		got, err := m.Split(n)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, got, moneyOpt); diff != "" {
			t.Fatalf("%v.Split(%d) differs from Allocate (-want +got):\n%s", m, n, diff)
		}
	}
}

func TestMoneyJSON(t *testing.T) {
	type doc struct {
		X Money `json:"x,omitzero"`
	}
	tests := []struct {
		name string
		in   doc
		want string
		why  string
	}{
		{name: "zero value omitted", in: doc{}, want: `{}`},
		{name: "zero amount kept", in: doc{X: usdMinor(0)}, want: `{"x":"0.00 USD"}`, why: "0 USD is an amount, not a missing one"},
		{name: "amount", in: doc{X: usdMinor(24995)}, want: `{"x":"249.95 USD"}`},
		{name: "yen", in: doc{X: jpyMinor(-1000)}, want: `{"x":"-1000 JPY"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := json.Marshal(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if string(b) != tt.want {
				t.Errorf("Marshal = %s, want %s", b, tt.want)
			}
			var back doc
			if err := json.Unmarshal(b, &back); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.in, back, moneyOpt); diff != "" {
				t.Errorf("round trip mismatch (-want +got):\n%s", diff)
			}
		})
	}

	t.Run("without omitzero", func(t *testing.T) {
		b, err := json.Marshal(struct{ X Money }{})
		if err != nil || string(b) != `{"X":""}` {
			t.Errorf("Marshal = %s, %v; want {\"X\":\"\"}", b, err)
		}
	})
	t.Run("empty string decodes to zero value", func(t *testing.T) {
		d := doc{X: usdMinor(1)}
		if err := json.Unmarshal([]byte(`{"x":""}`), &d); err != nil || !d.X.IsZero() {
			t.Errorf("got %#v, %v; want the zero Money", d.X, err)
		}
	})
	t.Run("bad amount", func(t *testing.T) {
		d := doc{X: usdMinor(1)}
		err := json.Unmarshal([]byte(`{"x":"1.999 USD"}`), &d)
		if err == nil || !strings.Contains(err.Error(), "risk: parse money") {
			t.Errorf("Unmarshal error = %v, want a parse error", err)
		}
		if d.X != usdMinor(1) {
			t.Errorf("failed decode changed the value to %v", d.X)
		}
	})
	t.Run("number is not money", func(t *testing.T) {
		var d doc
		if err := json.Unmarshal([]byte(`{"x":249.95}`), &d); err == nil {
			t.Error("a bare JSON number decoded as Money")
		}
	})
}

func TestMoneyYAML(t *testing.T) {
	type doc struct {
		X Money `yaml:"x,omitempty"`
	}
	tests := []struct {
		name, in string
		want     Money
		wantErr  string
	}{
		{name: "plain scalar", in: "x: 249.95 USD", want: usdMinor(24995)},
		{name: "quoted", in: `x: "1000 JPY"`, want: jpyMinor(1000)},
		{name: "null", in: "x: ~", want: Money{}},
		{name: "empty string", in: `x: ""`, want: Money{}},
		{name: "missing", in: "{}", want: Money{}},
		{name: "bare number", in: "x: 249.95", wantErr: "risk: parse money"},
		{name: "too many decimals", in: "x: 1.999 USD", wantErr: "decimal places"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got doc
			err := yaml.Unmarshal([]byte(tt.in), &got)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Unmarshal error = %v, want one mentioning %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got.X, moneyOpt); diff != "" {
				t.Errorf("Unmarshal(%q) mismatch (-want +got):\n%s", tt.in, diff)
			}
		})
	}

	t.Run("marshal", func(t *testing.T) {
		for _, tt := range []struct {
			in   doc
			want string
		}{
			{doc{X: bhdMinor(1250)}, "x: 1.250 BHD\n"},
			{doc{}, "{}\n"}, // omitempty asks Money.IsZero via yaml.IsZeroer
		} {
			b, err := yaml.Marshal(tt.in)
			if err != nil || string(b) != tt.want {
				t.Errorf("Marshal(%v) = %q, %v; want %q", tt.in.X, b, err, tt.want)
			}
		}
	})
}

func TestMoneyAllocs(t *testing.T) {
	a, b := usdMinor(24995), usdMinor(5)
	s := strings.Clone("249.95 USD")
	checks := []struct {
		name string
		fn   func()
	}{
		{"Add", func() { _, _ = a.Add(b) }},
		{"Sub", func() { _, _ = a.Sub(b) }},
		{"Mul", func() { _, _ = a.Mul(3) }},
		{"MulDiv", func() { _, _ = a.MulDiv(15, 100, RoundHalfUp) }},
		{"Cmp", func() { _, _ = a.Cmp(b) }},
		{"Exponent", func() { _ = a.Exponent() }},
		{"ParseMoney", func() { _, _ = ParseMoney(s) }},
	}
	for _, c := range checks {
		if n := testing.AllocsPerRun(100, c.fn); n != 0 {
			t.Errorf("%s allocates %v times per call, want 0", c.name, n)
		}
	}
	if n := testing.AllocsPerRun(100, func() { _ = a.String() }); n > 1 {
		t.Errorf("String allocates %v times per call, want at most 1", n)
	}
}

var (
	moneySink    Money
	moneySinkErr error
)

func BenchmarkParseMoney(b *testing.B) {
	s := strings.Clone("249.95 USD")
	b.ReportAllocs()
	for b.Loop() {
		moneySink, moneySinkErr = ParseMoney(s)
	}
}

func BenchmarkMoneyAdd(b *testing.B) {
	x, y := usdMinor(24995), usdMinor(5)
	b.ReportAllocs()
	for b.Loop() {
		moneySink, moneySinkErr = x.Add(y)
	}
}

func BenchmarkMoneyString(b *testing.B) {
	m := usdMinor(-24995)
	var s string
	b.ReportAllocs()
	for b.Loop() {
		s = m.String()
	}
	_ = s
}

func BenchmarkMoneyExponent(b *testing.B) {
	m := bhdMinor(1)
	var n int
	b.ReportAllocs()
	for b.Loop() {
		n += m.Exponent()
	}
	_ = n
}

func BenchmarkMoneyMulDiv(b *testing.B) {
	m := usdMinor(1999)
	b.ReportAllocs()
	for b.Loop() {
		moneySink, moneySinkErr = m.MulDiv(15, 100, RoundHalfEven)
	}
}

func BenchmarkMoneyAllocate(b *testing.B) {
	m := usdMinor(10000)
	var parts []Money
	b.ReportAllocs()
	for b.Loop() {
		parts, moneySinkErr = m.Allocate(1, 2, 3, 4)
	}
	_ = parts
}
