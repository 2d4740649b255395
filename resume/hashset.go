package resume

import "slices"

// hashSet is the set of done key hashes: a sorted slice for what was
// loaded (8 bytes a key; a Go map takes about 44) and a map for what this
// run adds.
type hashSet struct {
	sorted []uint64
	added  map[uint64]struct{}
}

// load appends hashes read from the log; call seal when done.
func (s *hashSet) load(hs []uint64) { s.sorted = append(s.sorted, hs...) }

// seal sorts and deduplicates the loaded hashes and trims the slice.
func (s *hashSet) seal() {
	slices.Sort(s.sorted)
	s.sorted = slices.Clip(slices.Compact(s.sorted))
	if cap(s.sorted) > 2*len(s.sorted)+1024 {
		s.sorted = slices.Clone(s.sorted)
	}
	s.added = map[uint64]struct{}{}
}

func (s *hashSet) has(h uint64) bool {
	if _, ok := slices.BinarySearch(s.sorted, h); ok {
		return true
	}
	_, ok := s.added[h]
	return ok
}

func (s *hashSet) add(h uint64) {
	if !s.has(h) {
		s.added[h] = struct{}{}
	}
}

func (s *hashSet) len() int { return len(s.sorted) + len(s.added) }
