// Package text holds the small helpers riskkit's packages use to write for
// people, each written once.
package text

import (
	"strconv"
	"strings"
)

// Plural formats a count and a noun, in the plural unless the count is 1 or
// -1: "3 hosts", "1 host", "4 countries", "2 days".
func Plural[N ~int | ~int64](n N, noun string) string {
	return strconv.FormatInt(int64(n), 10) + " " + Noun(n, noun)
}

// Noun returns noun, or its plural when n is not 1 or -1. A noun ending in
// a consonant and "y" takes "ies" ("country", "countries"); others take
// "s" ("day", "days"; "address" is not written by riskkit).
func Noun[N ~int | ~int64](n N, noun string) string {
	if n == 1 || n == -1 || noun == "" {
		return noun
	}
	if stem, ok := strings.CutSuffix(noun, "y"); ok && stem != "" && !strings.ContainsRune("aeiou", rune(stem[len(stem)-1])) {
		return stem + "ies"
	}
	return noun + "s"
}
