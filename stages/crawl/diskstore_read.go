package crawl

import (
	"hash/maphash"

	bolt "go.etcd.io/bbolt"
)

// The reads of a DiskStore share one bbolt read transaction, opened at
// the first read after a write and rolled back before the next write, so
// it always sees every write; a lookup then costs a B-tree search, not a
// transaction. The store's mutex orders the two, so the read transaction
// never blocks a write (bbolt remaps the file only with no reader open).

// reader returns the shared read transaction, opening it if needed.
func (s *DiskStore) reader() (*bolt.Tx, error) {
	if s.rtx == nil {
		tx, err := s.db.Begin(false)
		if err != nil {
			return nil, err
		}
		s.rtx, s.rSeen = tx, tx.Bucket(bucketSeen)
	}
	return s.rtx, nil
}

// endRead rolls the shared read transaction back; flush and Close call it
// before they write.
func (s *DiskStore) endRead() {
	if s.rtx != nil {
		_ = s.rtx.Rollback() // a read transaction has nothing to lose
		s.rtx, s.rSeen = nil, nil
	}
}

// seenOnDisk looks key up in the written seen-set: its claimer ("" for
// an entry's own key) and whether it is there.
func (s *DiskStore) seenOnDisk(key string) (owner string, ok bool, err error) {
	if _, err := s.reader(); err != nil {
		return "", false, err
	}
	if v := s.rSeen.Get([]byte(key)); len(v) > 0 {
		return string(v[1:]), true, nil
	}
	return "", false, nil
}

// seenCacheSlots is the size of a DiskStore's cache of seen keys: 8192
// string headers (128 KiB) and the keys they hold (~50 bytes each).
const seenCacheSlots = 1 << 13

// seenFilterBits is the size of a DiskStore's filter of seen keys, 1 MiB:
// under 3% false positives up to a million keys; past a few million most
// new keys are looked up on disk again, as without the filter.
const seenFilterBits = 1 << 23

// seenIndex keeps two fixed-size summaries of a DiskStore's seen-set, so
// that most lookups need no B-tree search. Neither ever answers wrongly:
//
//   - cache is a direct-mapped cache of keys known to be in the set. A key
//     is put in its slot when it is added or found, replacing the slot's
//     key; a hit compares the whole key. It catches the common duplicate,
//     a link to a page many pages link to or to one found shortly before.
//     It holds no owners: Claim, which needs them, goes by the set.
//   - filter is a Bloom filter of every key in the set (rebuilt when the
//     store is opened), so a new key is known new without a search.
type seenIndex struct {
	seed   maphash.Seed
	cache  []string
	filter []uint64
}

func newSeenIndex() seenIndex {
	return seenIndex{seed: maphash.MakeSeed(), cache: make([]string, seenCacheSlots),
		filter: make([]uint64, seenFilterBits/64)}
}

func (x *seenIndex) hash(key string) uint64 { return maphash.String(x.seed, key) }

// slot is the cache slot of the key with hash h.
func (x *seenIndex) slot(h uint64) *string { return &x.cache[h&(seenCacheSlots-1)] }

// filterBits are the three filter bits of hash h (double hashing).
func filterBits(h uint64) [3]uint32 {
	a, b := uint32(h>>32), uint32(h)|1
	return [3]uint32{a % seenFilterBits, (a + b) % seenFilterBits, (a + 2*b) % seenFilterBits}
}

// add puts the key with hash h in the filter.
func (x *seenIndex) add(h uint64) {
	for _, i := range filterBits(h) {
		x.filter[i/64] |= 1 << (i % 64)
	}
}

// mayHave reports false when the key with hash h is certainly not in the
// set.
func (x *seenIndex) mayHave(h uint64) bool {
	for _, i := range filterBits(h) {
		if x.filter[i/64]&(1<<(i%64)) == 0 {
			return false
		}
	}
	return true
}
