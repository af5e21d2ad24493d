package abuse

import (
	"net/netip"
	"strconv"
)

// isPublic reports whether a is an address on the public internet: a global
// unicast address that is not private, not shared by carrier-grade NAT and
// not loopback or link-local. The documentation ranges (192.0.2.0/24 and
// friends) count as public, so that examples can use them.
func isPublic(a netip.Addr) bool {
	a = a.Unmap()
	return a.IsGlobalUnicast() && !a.IsPrivate() && !isCGNAT(a)
}

// isCGNAT reports whether a is in the shared address space of carrier-grade
// NAT, 100.64.0.0/10 (RFC 6598), which netip does not count as private but
// which is not reachable from the internet either.
func isCGNAT(a netip.Addr) bool {
	if !a.Is4() {
		return false
	}
	b := a.As4()
	return b[0] == 100 && b[1]&0xC0 == 64
}

// endpoint formats an address and port as "203.0.113.7:3333" or
// "[2001:db8::1]:3333".
func endpoint(a netip.Addr, port uint16) string {
	return netip.AddrPortFrom(a, port).String()
}

// portName formats a port as "port 22".
func portName(p uint16) string { return "port " + strconv.Itoa(int(p)) }

// ranked is one candidate for the samples of a finding: a destination and
// how much traffic went to it.
type ranked struct {
	addr   netip.Addr
	port   uint16
	weight int64
}

// less orders candidates by weight, heaviest first, then by address and
// port, so that the samples do not depend on the order of the records.
func (r ranked) less(o ranked) bool {
	if r.weight != o.weight {
		return r.weight > o.weight
	}
	if c := r.addr.Compare(o.addr); c != 0 {
		return c < 0
	}
	return r.port < o.port
}

// topDests keeps the MaxSamples heaviest destinations seen, without
// allocating, merging repeated destinations by their heaviest record.
type topDests struct {
	n     int
	items [MaxSamples]ranked
}

func (t *topDests) add(a netip.Addr, port uint16, weight int64) {
	c := ranked{a, port, weight}
	for i := 0; i < t.n; i++ {
		if t.items[i].addr == a && t.items[i].port == port {
			if !c.less(t.items[i]) {
				return
			}
			copy(t.items[i:], t.items[i+1:t.n])
			t.n--
			break
		}
	}
	i := t.n
	for i > 0 && c.less(t.items[i-1]) {
		i--
	}
	if i >= MaxSamples {
		return
	}
	if t.n < MaxSamples {
		t.n++
	}
	copy(t.items[i+1:t.n], t.items[i:t.n-1])
	t.items[i] = c
}

// endpoints returns the kept destinations as "address:port".
func (t *topDests) endpoints() []string {
	out := make([]string, t.n)
	for i := range t.n {
		out[i] = endpoint(t.items[i].addr, t.items[i].port)
	}
	return out
}

// addrs returns the kept destinations as addresses, without ports.
func (t *topDests) addrs() []string {
	out := make([]string, t.n)
	for i := range t.n {
		out[i] = t.items[i].addr.String()
	}
	return out
}
