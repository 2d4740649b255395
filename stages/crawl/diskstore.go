package crawl

import (
	"encoding/binary"
	"fmt"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
)

// StoreConfig configures [OpenStore]. The zero value works.
type StoreConfig struct {
	// FlushEvery is how many changes the store gathers in memory before it
	// writes them in one transaction. It bounds that memory. Default 4096.
	// MarkDone and Close always write at once.
	FlushEvery int
	// Sync makes every write wait for the disk (fsync), so the store
	// survives a power cut, not only a killed process. Default off: a
	// SIGKILL loses no written transaction either way.
	Sync bool
}

// DiskStore is a persistent [Store] in a bbolt file (go.etcd.io/bbolt):
// the seen-set, the per-host queues and the entries in flight live on
// disk, so memory stays bounded whatever the crawl's size: it holds the
// changes not yet written (at most FlushEvery), for each host with
// entries queued a few words of state, and a fixed-size cache and filter
// of the seen-set (~1.5 MiB) that answer most lookups without a B-tree
// search.
//
// It is resumable. Changes are written in order, one transaction per
// batch, and MarkDone writes everything before it, so after a crash
// (SIGKILL included) the file holds a consistent state in which every
// entry marked done has had everything it led to queued. Reopened, the
// store hands out again the entries that were in flight — taken by Next,
// not yet marked done — before the rest of their host's queue.
type DiskStore struct {
	mu    sync.Mutex
	db    *bolt.DB
	every int
	hosts *hostRing[*diskHost]

	seq      uint64 // last sequence number given
	admitted int64
	queued   int
	flight   int

	// changes not yet written
	pending int
	pSeen   map[string]string      // key → claimer ("" for an entry's own key)
	dirty   []*ringHost[*diskHost] // hosts with entries in pend
	pDel    []hostSeq              // queued entries taken from disk
	pFlight map[string]pendEntry   // entries taken, by key (encoded when written)
	pDone   []string
	// cursors keeps the cursor of a host that ran empty while deletes
	// of its entries are unwritten, should it come back before the write.
	cursors map[string]uint64

	rtx   *bolt.Tx     // the reads' shared transaction (diskstore_read.go)
	rSeen *bolt.Bucket // its seen bucket
	index seenIndex    // a cache and a filter of the seen-set
}

// diskHost is one host's queue state: entries on disk after cursor, and
// entries added since the last write.
type diskHost struct {
	disk   int
	cursor uint64
	pend   []pendEntry
}

type pendEntry struct {
	seq uint64
	e   Entry
}

type hostSeq struct {
	host string
	seq  uint64
}

var (
	bucketSeen   = []byte("seen")
	bucketQueue  = []byte("queue")
	bucketFlight = []byte("flight")
	bucketMeta   = []byte("meta")
	keySeq       = []byte("seq")
	keyAdmitted  = []byte("admitted")
)

// OpenStore opens the store in the file at path, creating it if needed.
// Only one process may have it open; another waits up to a second and
// fails.
func OpenStore(path string, cfg StoreConfig) (*DiskStore, error) {
	if cfg.FlushEvery <= 0 {
		cfg.FlushEvery = 4096
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second, NoSync: !cfg.Sync,
		NoFreelistSync: true, FreelistType: bolt.FreelistMapType})
	if err != nil {
		return nil, fmt.Errorf("crawl: open store %s: %w", path, err)
	}
	s := &DiskStore{db: db, every: cfg.FlushEvery, hosts: newHostRing[*diskHost](), index: newSeenIndex()}
	s.reset()
	if err := s.recover(); err != nil {
		db.Close()
		return nil, fmt.Errorf("crawl: open store %s: %w", path, err)
	}
	return s, nil
}

func (s *DiskStore) reset() {
	s.pending, s.pSeen, s.dirty, s.pDel, s.pFlight, s.pDone = 0, map[string]string{}, nil, nil, map[string]pendEntry{}, nil
	s.cursors = map[string]uint64{}
}

// host returns host's ring entry, with its state.
func (s *DiskStore) host(name string) *ringHost[*diskHost] {
	h := s.hosts.get(name)
	if h.v == nil {
		h.v = &diskHost{cursor: s.cursors[name]}
	}
	return h
}

// Add queues e unless its key was seen.
func (s *DiskStore) Add(e Entry) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, added, err := s.see(e.Key, ""); !added || err != nil {
		return false, err
	}
	s.seq++
	h := s.host(e.Host)
	if len(h.v.pend) == 0 {
		s.dirty = append(s.dirty, h)
	}
	h.v.pend = append(h.v.pend, pendEntry{seq: s.seq, e: e})
	s.queued++
	s.admitted++
	return true, s.changed()
}

// Claim marks key seen on behalf of by.
func (s *DiskStore) Claim(key, by string) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ok, added, err := s.see(key, by)
	if added && err == nil {
		err = s.changed()
	}
	return ok, err
}

// see looks key up. A new key is recorded for by ("" for an entry's own
// key): ok and added. A key by claimed before: ok, not added. Any other
// key seen before: neither. The cache answers most duplicates of Add.
func (s *DiskStore) see(key, by string) (ok, added bool, err error) {
	if s.db == nil {
		return false, false, ErrClosed
	}
	h := s.index.hash(key)
	slot := s.index.slot(h)
	if by == "" && *slot == key {
		return false, false, nil
	}
	owner, dup := s.pSeen[key]
	if !dup && s.index.mayHave(h) {
		if owner, dup, err = s.seenOnDisk(key); err != nil {
			return false, false, err
		}
	}
	*slot = key
	if dup {
		return by != "" && owner == by, false, nil
	}
	s.pSeen[key] = by
	s.index.add(h)
	return true, true, nil
}

// changed counts one change and writes the batch when it is full.
func (s *DiskStore) changed() error {
	if s.pending++; s.pending >= s.every {
		return s.flush()
	}
	return nil
}

// Next takes the next entry, round-robin across the hosts busy allows.
func (s *DiskStore) Next(busy func(string) bool) (e Entry, ok bool, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.db == nil {
		return e, false, ErrClosed
	}
	s.hosts.each(func(h *ringHost[*diskHost]) bool {
		if busy != nil && busy(h.name) {
			return false
		}
		var seq uint64
		e, seq, err = s.take(h)
		if err != nil {
			return true
		}
		ok = true
		s.pFlight[e.Key] = pendEntry{seq: seq, e: e}
		s.queued--
		s.flight++
		if h.v.disk == 0 && len(h.v.pend) == 0 {
			s.cursors[h.name] = h.v.cursor
			s.hosts.remove(h)
		}
		return true
	})
	if err == nil && ok {
		err = s.changed()
	}
	return e, ok && err == nil, err
}

// take removes host h's oldest entry: from disk, or from what was added
// since the last write.
func (s *DiskStore) take(h *ringHost[*diskHost]) (Entry, uint64, error) {
	if h.v.disk == 0 {
		p := h.v.pend[0]
		h.v.pend[0] = pendEntry{}
		h.v.pend = h.v.pend[1:]
		return p.e, p.seq, nil
	}
	tx, err := s.reader()
	if err != nil {
		return Entry{}, 0, err
	}
	b := tx.Bucket(bucketQueue).Bucket([]byte(h.name))
	if b == nil {
		return Entry{}, 0, fmt.Errorf("crawl: store: queue of host %q is missing", h.name)
	}
	k, v := b.Cursor().Seek(binary.BigEndian.AppendUint64(nil, h.v.cursor+1))
	if k == nil {
		return Entry{}, 0, fmt.Errorf("crawl: store: queue of host %q ends early", h.name)
	}
	seq := binary.BigEndian.Uint64(k)
	e, err := decodeEntry(v)
	if err != nil {
		return Entry{}, 0, err
	}
	h.v.cursor, h.v.disk = seq, h.v.disk-1
	s.pDel = append(s.pDel, hostSeq{h.name, seq})
	return e, seq, nil
}

// Len is the number of entries queued.
func (s *DiskStore) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.queued
}

// Admitted is the number of entries ever queued, over every run.
func (s *DiskStore) Admitted() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.admitted
}

// InFlight is the number of entries handed out and not marked done.
func (s *DiskStore) InFlight() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.flight
}

// MarkDone ends the named entries' flight and writes every change so far,
// these included, before it returns.
func (s *DiskStore) MarkDone(keys ...string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.db == nil {
		return ErrClosed
	}
	s.done(keys)
	return s.flush()
}

// MarkDoneLater ends the named entries' flight like MarkDone, but the
// change is written with the next batch (or the next MarkDone, or Close)
// rather than at once: after a crash before then the entries are handed
// out again, as if they had been in flight. The crawl uses it for the
// pages it finishes itself (followed only, duplicates, failures), which
// would otherwise cost a transaction each.
func (s *DiskStore) MarkDoneLater(keys ...string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.db == nil {
		return ErrClosed
	}
	s.done(keys)
	return s.changed()
}

// done ends the flight of keys in memory; flush writes it.
func (s *DiskStore) done(keys []string) {
	for _, k := range keys {
		if _, ok := s.pFlight[k]; ok {
			delete(s.pFlight, k)
			s.flight--
			continue
		}
		s.pDone = append(s.pDone, k)
	}
}

// Close writes what is pending and closes the file.
func (s *DiskStore) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.db == nil {
		return nil
	}
	err := s.flush()
	s.endRead()
	if cerr := s.db.Close(); err == nil {
		err = cerr
	}
	s.db = nil
	return err
}
