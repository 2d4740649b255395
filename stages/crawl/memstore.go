package crawl

import "sync"

// MemoryStore is a [Store] held in memory: every key seen and every entry
// queued. It suits crawls of up to some hundred thousand URLs and tests;
// it does not survive the process. Larger or resumable crawls want
// [OpenStore]. The zero value is not usable; call NewMemoryStore.
type MemoryStore struct {
	mu       sync.Mutex
	seen     map[string]string // key → the entry that claimed it, or ""
	hosts    *hostRing[[]Entry]
	flight   map[string]struct{}
	queued   int
	admitted int64
	closed   bool
}

// NewMemoryStore returns an empty in-memory store.
func NewMemoryStore() *MemoryStore {
	return &MemoryStore{seen: map[string]string{}, hosts: newHostRing[[]Entry](), flight: map[string]struct{}{}}
}

// Add queues e unless its key was seen.
func (s *MemoryStore) Add(e Entry) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false, ErrClosed
	}
	if _, dup := s.seen[e.Key]; dup {
		return false, nil
	}
	s.seen[e.Key] = ""
	h := s.hosts.get(e.Host)
	h.v = append(h.v, e)
	s.queued++
	s.admitted++
	return true, nil
}

// Claim marks key seen on behalf of by.
func (s *MemoryStore) Claim(key, by string) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false, ErrClosed
	}
	if owner, dup := s.seen[key]; dup {
		return owner == by && by != "", nil
	}
	s.seen[key] = by
	return true, nil
}

// Next takes the next entry, round-robin across the hosts busy allows.
func (s *MemoryStore) Next(busy func(string) bool) (e Entry, ok bool, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return e, false, ErrClosed
	}
	s.hosts.each(func(h *ringHost[[]Entry]) bool {
		if busy != nil && busy(h.name) {
			return false
		}
		e, ok = h.v[0], true
		h.v[0] = Entry{}
		if h.v = h.v[1:]; len(h.v) == 0 {
			s.hosts.remove(h)
		}
		return true
	})
	if ok {
		s.queued--
		s.flight[e.Key] = struct{}{}
	}
	return e, ok, nil
}

// Len is the number of entries queued.
func (s *MemoryStore) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.queued
}

// Admitted is the number of entries ever queued.
func (s *MemoryStore) Admitted() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.admitted
}

// InFlight is the number of entries handed out and not marked done.
func (s *MemoryStore) InFlight() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.flight)
}

// MarkDone ends the flight of the entries with the given keys.
func (s *MemoryStore) MarkDone(keys ...string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, k := range keys {
		delete(s.flight, k)
	}
	return nil
}

// Close drops the store's contents.
func (s *MemoryStore) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	s.seen, s.flight = nil, nil
	return nil
}
