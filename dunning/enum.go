package dunning

import "fmt"

// parseEnum returns s as a T when it is one of known, and an error naming
// the type and the accepted values otherwise.
func parseEnum[T ~string](typ string, s []byte, known ...T) (T, error) {
	for _, k := range known {
		if string(k) == string(s) {
			return k, nil
		}
	}
	return "", fmt.Errorf("dunning: unknown %s %q (want one of %v)", typ, s, known)
}
