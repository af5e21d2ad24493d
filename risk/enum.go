package risk

import "fmt"

// parseEnum returns s as a T when it is one of known, and an error naming
// the type and the accepted values otherwise. The empty string is accepted
// and means "not reported"; every enum in this package gives it that meaning.
func parseEnum[T ~string](typ string, s []byte, known ...T) (T, error) {
	if len(s) == 0 {
		return "", nil
	}
	for _, k := range known {
		if string(k) == string(s) {
			return k, nil
		}
	}
	return "", fmt.Errorf("risk: unknown %s %q (want one of %v)", typ, s, known)
}
