package risk_test

import (
	"fmt"
	"time"

	"github.com/riskkit/riskkit/risk"
)

// An invoice issued on a day in the customer's calendar is overdue from the
// start of its due day there, whatever the zone of the instant at hand.
func ExampleDate() {
	santiago, err := time.LoadLocation("America/Santiago")
	if err != nil {
		fmt.Println(err)
		return
	}
	issued, err := risk.ParseDate("2022-08-12")
	if err != nil {
		fmt.Println(err)
		return
	}
	due := issued.AddDays(30)
	now := time.Date(2022, 9, 20, 2, 0, 0, 0, time.UTC) // still the 19th in Santiago
	today := risk.DateOf(now, santiago)

	fmt.Println("due:", due, due.Weekday())
	// Chile skipped midnight on 2022-09-11, so that day began at 01:00.
	fmt.Println("due day starts:", due.Start(santiago).Format(time.RFC3339))
	fmt.Println("today:", today, "days overdue:", today.DaysSince(due))
	fmt.Println("next month:", due.AddMonths(1))

	_, err = risk.ParseDate("2026-02-29")
	fmt.Println(err)
	// Output:
	// due: 2022-09-11 Sunday
	// due day starts: 2022-09-11T01:00:00-03:00
	// today: 2022-09-19 days overdue: 8
	// next month: 2022-10-11
	// risk: parse date "2026-02-29": day 29 does not exist in February 2026
}
