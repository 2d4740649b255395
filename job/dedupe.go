package job

import (
	"context"
	"hash/maphash"

	"github.com/sluicehq/sluice/sources"
)

// StageDedupe drops inputs seen before in the run: the same key (with a
// key column) or the same URL (without one). Present unless the source
// sets keep_duplicates.
const StageDedupe = "dedupe"

// seenSet is a set of 64-bit hashes in one open-addressing table: about
// 11 bytes an input at most, where a Go map of strings takes 50 and more.
// Two different inputs share a hash with a chance of about n²/2⁶⁵ in a
// run of n inputs (10⁻⁷ at ten million).
type seenSet struct {
	seed  maphash.Seed
	slots []uint64 // 0 is empty
	n     int
}

func newSeenSet() *seenSet { return &seenSet{seed: maphash.MakeSeed(), slots: make([]uint64, 1024)} }

// add reports whether s was not in the set, and adds it.
func (s *seenSet) add(key string) bool {
	h := maphash.String(s.seed, key) | 1 // never 0, the empty mark
	if (s.n+1)*4 > len(s.slots)*3 {
		s.grow()
	}
	mask := uint64(len(s.slots) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		switch s.slots[i] {
		case h:
			return false
		case 0:
			s.slots[i] = h
			s.n++
			return true
		}
	}
}

func (s *seenSet) grow() {
	old := s.slots
	s.slots = make([]uint64, 2*len(old))
	mask := uint64(len(s.slots) - 1)
	for _, h := range old {
		if h == 0 {
			continue
		}
		i := h & mask
		for s.slots[i] != 0 {
			i = (i + 1) & mask
		}
		s.slots[i] = h
	}
}

// dedupeFunc is the dedupe stage's predicate; the stage runs one worker,
// so the set needs no lock.
func (j *Job) dedupeFunc() func(context.Context, sources.Item) (bool, error) {
	seen, byKey := newSeenSet(), j.Source.KeyColumn != ""
	return func(_ context.Context, it sources.Item) (bool, error) {
		if byKey {
			return seen.add(it.Key), nil
		}
		return seen.add(it.URL), nil
	}
}
