package risk

import (
	"fmt"
	"math/rand/v2"
	"net/netip"
	"testing"
)

// TestCIDRSetSearches checks that a short list searched range by range and
// the same list searched by prefix length agree, on addresses in, at the
// edges of and outside the ranges, of both families and IPv4 in IPv6.
func TestCIDRSetSearches(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for round := range 200 {
		var ranges []string
		for range 1 + rng.IntN(smallSet) {
			if rng.IntN(2) == 0 {
				ranges = append(ranges, fmt.Sprintf("%d.%d.0.0/%d", 10+rng.IntN(3), rng.IntN(4), 8+rng.IntN(25)))
			} else {
				ranges = append(ranges, fmt.Sprintf("2001:db8:%x::/%d", rng.IntN(4), 32+rng.IntN(97)))
			}
		}
		few, err := newCIDRSet("few", ranges)
		if err != nil {
			t.Fatal(err)
		}
		if few.few == nil {
			t.Fatalf("round %d: %d ranges not searched one by one", round, len(ranges))
		}
		byLen := *few
		byLen.few = nil
		for range 50 {
			var a netip.Addr
			switch rng.IntN(3) {
			case 0:
				a = netip.AddrFrom4([4]byte{byte(10 + rng.IntN(3)), byte(rng.IntN(4)), byte(rng.IntN(256)), byte(rng.IntN(256))})
			case 1:
				a = netip.AddrFrom16(netip.AddrFrom4([4]byte{byte(10 + rng.IntN(3)), byte(rng.IntN(4)), 0, 1}).As16())
			default:
				a = netip.MustParseAddr(fmt.Sprintf("2001:db8:%x::%x", rng.IntN(4), rng.IntN(1<<16)))
			}
			if got, want := few.contains(a), byLen.contains(a); got != want {
				t.Fatalf("ranges %v, address %v: one by one %v, by prefix length %v", ranges, a, got, want)
			}
		}
	}
}
