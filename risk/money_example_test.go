package risk_test

import (
	"errors"
	"fmt"

	"github.com/riskkit/riskkit/risk"
)

func ExampleParseMoney() {
	for _, s := range []string{"249.95 USD", "0.5 USD", "1000 JPY", "1.250 BHD", "1.999 USD", "10 usd"} {
		m, err := risk.ParseMoney(s)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Printf("%-10s = %d minor units of %s (exponent %d)\n", m, m.Minor(), m.Currency(), m.Exponent())
	}
	// Output:
	// 249.95 USD = 24995 minor units of USD (exponent 2)
	// 0.50 USD   = 50 minor units of USD (exponent 2)
	// 1000 JPY   = 1000 minor units of JPY (exponent 0)
	// 1.250 BHD  = 1250 minor units of BHD (exponent 3)
	// risk: parse money "1.999 USD": amount "1.999" has 3 decimal places, but USD has 2
	// risk: parse money "10 usd": risk: unknown currency "usd": want 3 upper-case letters
}

func ExampleMoney_Add() {
	// A total can start from the zero Money, which adopts the first
	// amount's currency.
	var total risk.Money
	for _, s := range []string{"19.99 USD", "5.01 USD"} {
		var err error
		if total, err = total.Add(risk.MustMoney(s)); err != nil {
			panic(err)
		}
	}
	fmt.Println(total)

	_, err := total.Add(risk.MustMoney("1.00 EUR"))
	fmt.Println(errors.Is(err, risk.ErrCurrencyMismatch), err)
	// Output:
	// 25.00 USD
	// true risk: currency mismatch: 25.00 USD + 1.00 EUR
}

func ExampleMoney_Allocate() {
	// Refund 100.00 USD across three line items priced 10, 20 and 30:
	// the exact shares are 16.666..., 33.333... and 50.00, and the cent
	// left over goes to the part with the largest fraction.
	parts, err := risk.MustMoney("100.00 USD").Allocate(10, 20, 30)
	if err != nil {
		panic(err)
	}
	fmt.Println(parts)

	// Split 0.10 USD three ways: the parts still add up to the whole.
	parts, _ = risk.MustMoney("-0.10 USD").Split(3)
	fmt.Println(parts)
	// Output:
	// [16.67 USD 33.33 USD 50.00 USD]
	// [-0.04 USD -0.03 USD -0.03 USD]
}

func ExampleMoney_MulDiv() {
	price := risk.MustMoney("19.99 USD")

	// A 15% fee is 2.9985 USD before rounding.
	for _, r := range []risk.Rounding{risk.RoundHalfEven, risk.RoundDown, risk.RoundUp} {
		fee, err := price.MulDiv(15, 100, r)
		if err != nil {
			panic(err)
		}
		fmt.Printf("%-9v %v\n", r, fee)
	}

	// Half of 0.05 USD is a tie: half_even goes to the even cent, half_up
	// away from zero.
	five := risk.MustMoney("0.05 USD")
	even, _ := five.MulDiv(1, 2, risk.RoundHalfEven)
	up, _ := five.MulDiv(1, 2, risk.RoundHalfUp)
	fmt.Println(even, up)
	// Output:
	// half_even 3.00 USD
	// down      2.99 USD
	// up        3.00 USD
	// 0.02 USD 0.03 USD
}
