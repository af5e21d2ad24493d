package budget

import "github.com/riskkit/riskkit/risk"

// Evaluation counts days as numbers from 1970-01-01 in an int64, so that a
// day is an index into the ledger and local midnight is a multiplication.

// unixOrdinal is the [risk.Date.Ordinal] of 1970-01-01.
const unixOrdinal = 719163

// dayNum returns the number of days from 1970-01-01 to d.
func dayNum(d risk.Date) int64 { return d.Ordinal() - unixOrdinal }

// dateOfDayNum is the inverse of dayNum; day numbers outside the years 1 to
// 9999 give the first or last valid day.
func dateOfDayNum(n int64) risk.Date { return risk.DateFromOrdinal(max(n+unixOrdinal, 1)) }

// addMonths returns the first of the month n months after d's month. d's
// day is ignored: periods are whole months from the first.
func addMonths(d risk.Date, n int) risk.Date {
	_, _, day := d.Parts()
	return d.AddDays(1 - day).AddMonths(n)
}

// dayOfMonth returns the day of the month of d, 1 to 31.
func dayOfMonth(d risk.Date) int {
	_, _, day := d.Parts()
	return day
}

// appendDate appends d in its YYYY-MM-DD form.
func appendDate(b []byte, d risk.Date) []byte {
	b, _ = d.AppendText(b) // never fails
	return b
}
