package filter

import (
	"context"
	"fmt"
	"sync"

	"github.com/hashicorp/golang-lru/v2/simplelru"
	"github.com/sluicehq/sluice/record"
)

// Dedupe drops items whose key it has seen before, remembering at most a
// fixed number of keys.
//
// Up to the limit it is exact: every repeat of a key is dropped. When a new
// key arrives and the limit is reached, the least recently seen key is
// forgotten (an LRU; seeing a key again counts as a use). So memory stays
// bounded (about limit × (key length + ~100 bytes)), and the overflow
// errs towards keeping: a duplicate whose key was forgotten — one that
// recurs only after more than limit other distinct keys — passes again. An
// unseen key is never dropped, so nothing is lost silently; Stats reports
// how many keys were forgotten, which says whether the limit was too small.
//
// Items whose key is empty are always kept and not remembered.
//
// Dedupe is safe for concurrent use, so one value can serve a stage with
// Workers(n); with several workers, which of two racing duplicates is
// kept is not defined.
type Dedupe[T any] struct {
	key     func(T) string
	mu      sync.Mutex
	seen    *simplelru.LRU[string, struct{}]
	kept    int64
	dropped int64
	evicted int64
}

// DedupeStats counts what a [Dedupe] did.
type DedupeStats struct {
	Kept    int64 // items passed on (including those with an empty key)
	Dropped int64 // repeats dropped
	Evicted int64 // keys forgotten because the limit was reached
	Size    int   // keys remembered now
}

// NewDedupe returns a Dedupe keyed by key that remembers at most limit
// keys. It panics if key is nil or limit < 1 (programmer errors).
func NewDedupe[T any](key func(T) string, limit int) *Dedupe[T] {
	if key == nil {
		panic("filter: NewDedupe: nil key func")
	}
	seen, err := simplelru.NewLRU[string, struct{}](limit, nil)
	if err != nil {
		panic(fmt.Sprintf("filter: NewDedupe: limit %d: %v", limit, err))
	}
	return &Dedupe[T]{key: key, seen: seen}
}

// Keep is the stage function for pipeline.Filter: it reports whether v's
// key is new. It never fails.
func (d *Dedupe[T]) Keep(_ context.Context, v T) (bool, error) {
	return d.First(d.key(v)), nil
}

// First reports whether key is seen for the first time (within the limit),
// and remembers it. An empty key is always first.
func (d *Dedupe[T]) First(key string) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	if key == "" {
		d.kept++
		return true
	}
	if _, ok := d.seen.Get(key); ok {
		d.dropped++
		return false
	}
	if d.seen.Add(key, struct{}{}) {
		d.evicted++
	}
	d.kept++
	return true
}

// Stats returns the counters.
func (d *Dedupe[T]) Stats() DedupeStats {
	d.mu.Lock()
	defer d.mu.Unlock()
	return DedupeStats{Kept: d.kept, Dropped: d.dropped, Evicted: d.evicted, Size: d.seen.Len()}
}

// FieldKey returns a key function for [NewDedupe] that uses the named field
// of a record (its text form; empty when the field is missing or nil).
func FieldKey(name string) func(record.Record) string {
	return func(r record.Record) string {
		v, _ := r.Get(name)
		return text(v)
	}
}

// RecordKey is a key function for [NewDedupe] that uses the record's Key.
func RecordKey(r record.Record) string { return r.Key }
