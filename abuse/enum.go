package abuse

import (
	"fmt"
	"strings"
)

// parseEnum returns s as a T when it is one of known, and an error naming
// the type and the accepted values otherwise. zeroName is what the zero
// value is called in text ("none", "unknown"); it and the empty string both
// decode to the zero value.
func parseEnum[T ~string](typ, zeroName string, s []byte, known ...T) (T, error) {
	if len(s) == 0 || string(s) == zeroName {
		return "", nil
	}
	for _, k := range known {
		if string(k) == string(s) {
			return k, nil
		}
	}
	names := make([]string, len(known))
	for i, k := range known {
		names[i] = string(k)
	}
	return "", fmt.Errorf("abuse: unknown %s %q (want %s)", typ, s, strings.Join(names, ", "))
}

// enumString returns the name of an enum value, or zeroName for the zero
// value.
func enumString[T ~string](v T, zeroName string) string {
	if v == "" {
		return zeroName
	}
	return string(v)
}
