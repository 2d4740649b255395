// Package keyset holds the key hashes behind sluice's checkpoints (package
// resume's file checkpoint and package dist's JetStream one): 64-bit
// FNV-1a hashes of the input keys, in a set of about 10 bytes a hash.
package keyset

import "slices"

// Hash is 64-bit FNV-1a of key. A checkpoint keeps hashes, not keys, so
// its memory does not depend on the keys' length. Two
// distinct keys collide with probability about n²/2⁶⁵ for n keys (3·10⁻⁸
// for a million, 3·10⁻⁴ for 100 million); a collision makes a resume skip
// one key it should have run.
func Hash(key string) uint64 {
	const (
		offset64 = 14695981039346656037
		prime64  = 1099511628211
	)
	h := uint64(offset64)
	for i := 0; i < len(key); i++ {
		h ^= uint64(key[i])
		h *= prime64
	}
	return h
}

// Set is a set of key hashes in about 10 bytes a key (a Go
// map takes about 44): a sorted slice of every hash, and a small
// open-addressing table of the hashes added since they were last merged
// into the slice. The table is merged when it holds an eighth as many
// hashes as the slice (1024 at least), so merging costs a few moves a
// key, amortized, and the table about 2 bytes a key of the slice.
//
// Has may run concurrently with Has; Add, Load and Seal need exclusive
// use. The zero Set is empty and ready to use.
type Set struct {
	sorted []uint64
	recent hashTable
}

// minMerge is the fewest recent hashes merged into the slice at once.
const minMerge = 1024

// Load appends hashes in any order, repeats allowed, as a checkpoint
// reads them back; call Seal after the last Load, before any other use.
func (s *Set) Load(hs []uint64) { s.sorted = append(s.sorted, hs...) }

// Seal sorts and deduplicates the loaded hashes and trims the slice.
func (s *Set) Seal() {
	slices.Sort(s.sorted)
	s.sorted = slices.Clip(slices.Compact(s.sorted))
	if cap(s.sorted) > 2*len(s.sorted)+1024 {
		s.sorted = slices.Clone(s.sorted)
	}
}

// Has reports whether the set holds h.
func (s *Set) Has(h uint64) bool {
	if _, ok := slices.BinarySearch(s.sorted, h); ok {
		return true
	}
	return s.recent.has(h)
}

// Add puts h in the set.
func (s *Set) Add(h uint64) {
	if s.Has(h) {
		return
	}
	limit := max(minMerge, len(s.sorted)/8)
	if s.recent.slots == nil || s.recent.n >= limit {
		s.merge()
		s.recent.reset(max(minMerge, len(s.sorted)/8))
	}
	s.recent.add(h)
}

// Len is the number of hashes in the set.
func (s *Set) Len() int { return len(s.sorted) + s.recent.n }

// merge moves the recent hashes into the sorted slice, merging in place
// from the back, and empties the table.
func (s *Set) merge() {
	k := s.recent.drain()
	if len(k) == 0 {
		return
	}
	slices.Sort(k)
	n := len(s.sorted)
	s.sorted = slices.Grow(s.sorted, len(k))[:n+len(k)]
	i, j := n-1, len(k)-1
	for w := n + len(k) - 1; j >= 0; w-- {
		if i >= 0 && s.sorted[i] > k[j] {
			s.sorted[w] = s.sorted[i]
			i--
		} else {
			s.sorted[w] = k[j]
			j--
		}
	}
}

// hashTable is a set of hashes under linear probing, at most half full.
// A slot holds a hash, or 0 for empty; the hash 0 itself is kept aside.
type hashTable struct {
	slots []uint64
	n     int // hashes held, zero included
	zero  bool
}

// reset empties the table and sizes it for up to limit hashes.
func (t *hashTable) reset(limit int) {
	size := 1
	for size < 2*limit {
		size <<= 1
	}
	if len(t.slots) != size {
		t.slots = make([]uint64, size)
	} else {
		clear(t.slots)
	}
	t.n, t.zero = 0, false
}

// slot is where the probe for h starts. FNV-1a's low bits are weak for
// keys that differ only at their end, so the hash is mixed first.
func (t *hashTable) slot(h uint64) int {
	return int((h * 0x9E3779B97F4A7C15) >> 32 & uint64(len(t.slots)-1))
}

func (t *hashTable) has(h uint64) bool {
	if h == 0 {
		return t.zero
	}
	if len(t.slots) == 0 {
		return false
	}
	mask := len(t.slots) - 1
	for i := t.slot(h); ; i = (i + 1) & mask {
		switch t.slots[i] {
		case h:
			return true
		case 0:
			return false
		}
	}
}

// add inserts h, which the table does not hold; it must have room.
func (t *hashTable) add(h uint64) {
	t.n++
	if h == 0 {
		t.zero = true
		return
	}
	mask := len(t.slots) - 1
	i := t.slot(h)
	for t.slots[i] != 0 {
		i = (i + 1) & mask
	}
	t.slots[i] = h
}

// drain packs the table's hashes at the front of its slots and returns
// them; the table must be reset before its next use.
func (t *hashTable) drain() []uint64 {
	w := 0
	for _, h := range t.slots {
		if h != 0 {
			t.slots[w] = h
			w++
		}
	}
	if t.zero {
		// slots is at least twice the hashes held, so there is room
		t.slots[w] = 0
		w++
	}
	out := t.slots[:w]
	t.n, t.zero = 0, false
	return out
}
