package dunning

import "hash/maphash"

// idIndex maps the ids of a ledger's invoices or entries to their indexes.
// It is an open-addressing table that is cleared and refilled for every
// ledger without allocating, and it finds a duplicate id in the same probe
// that inserts it. Each slot keeps the top bits of its id's hash, so a probe
// reads another item's id only when the hashes agree. For the short string
// keys of ledgers it is several times cheaper than a Go map, which is most
// of what aging a large book costs beyond reading it.
type idIndex struct {
	seed  maphash.Seed
	slots []uint64 // hash<<32 | index+1; 0 is empty
	mask  uint64
}

// reset empties the index and sizes it for n ids.
func (x *idIndex) reset(n int) {
	if x.slots == nil {
		x.seed = maphash.MakeSeed()
	}
	size := 8
	for size < 2*n {
		size *= 2
	}
	if cap(x.slots) < size {
		x.slots = make([]uint64, size)
	} else {
		x.slots = x.slots[:size]
		clear(x.slots)
	}
	x.mask = uint64(size - 1)
}

// insert adds id as item i, and reports false if id is already there.
// key returns the id of an item already inserted.
func (x *idIndex) insert(id string, i int32, key func(int32) string) bool {
	h := maphash.String(x.seed, id)
	tag := h &^ (1<<32 - 1)
	for p := h & x.mask; ; p = (p + 1) & x.mask {
		s := x.slots[p]
		if s == 0 {
			x.slots[p] = tag | uint64(i+1)
			return true
		}
		if s&^(1<<32-1) == tag && key(int32(s&(1<<32-1))-1) == id {
			return false
		}
	}
}

// find returns the item with the given id.
func (x *idIndex) find(id string, key func(int32) string) (int32, bool) {
	if len(x.slots) == 0 {
		return 0, false
	}
	h := maphash.String(x.seed, id)
	tag := h &^ (1<<32 - 1)
	for p := h & x.mask; ; p = (p + 1) & x.mask {
		s := x.slots[p]
		if s == 0 {
			return 0, false
		}
		if s&^(1<<32-1) == tag {
			if j := int32(s&(1<<32-1)) - 1; key(j) == id {
				return j, true
			}
		}
	}
}
