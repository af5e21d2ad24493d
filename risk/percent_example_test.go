package risk_test

import (
	"fmt"

	"github.com/riskkit/riskkit/risk"
)

func ExampleParsePercent() {
	p, _ := risk.ParsePercent("80.37")
	fmt.Println(p, int64(p))
	_, err := risk.ParsePercent("80.375")
	fmt.Println(err)
	// Output:
	// 80.37% 8037
	// risk: parse percent "80.375": more than two decimals; a percentage is exact to 0.01
}
