package dist

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"strings"
	"sync"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/sluicehq/sluice/internal/keyset"
	"github.com/sluicehq/sluice/resume"
)

// KVStore is a job's checkpoint in a JetStream key-value bucket
// (Names.CheckpointBucket), shared by every worker of the job: it
// implements resume.Store.
//
// Each round a worker prepares is one or more entries
// "r.<worker>.<round>.<chunk>" holding at most chunkKeys key hashes, the
// file offsets and a state: Prepare writes them pending, Commit rewrites
// them done. After the acker has published a round's dead letters it
// writes a "s.<worker>.<seq>" entry: those keys are settled (see
// Settled). The bucket is watched, so every worker's Done sees the
// rounds any worker committed, within a watch round-trip.
type KVStore struct {
	kv     jetstream.KeyValue
	worker string // the KV-safe worker ID in entry names
	w      jetstream.KeyWatcher
	ready  chan struct{}
	exited chan struct{}

	mu      sync.RWMutex
	done    keyset.Set // committed, cluster-wide
	settled keyset.Set // committed and, if failed, dead-lettered
	pending map[uint64]struct{}
	offsets map[string]int64
	fp      resume.Fingerprint
	round   uint64 // the last round number this store prepared
	prep    []string
	seq     uint64 // the last settle entry this store wrote
	closed  bool
}

// chunkKeys bounds the key hashes in one entry: 32k hashes are about
// 350 KB of JSON, well under JetStream's 1 MiB message limit.
const chunkKeys = 32 << 10

const fingerprintKey = "fingerprint"

// roundEntry is the value of one round chunk.
type roundEntry struct {
	State   string           `json:"state"` // "pending" or "done"
	Hashes  []byte           `json:"hashes"`
	Offsets map[string]int64 `json:"offsets,omitempty"`
}

// OpenKVStore opens (creating if need be) the checkpoint bucket of the
// job named n for the worker called worker, and loads it. The store
// watches the bucket until Close.
func OpenKVStore(ctx context.Context, js jetstream.JetStream, n Names, worker string) (*KVStore, error) {
	kv, err := ensureBucket(ctx, js, jetstream.KeyValueConfig{Bucket: n.CheckpointBucket(), Storage: jetstream.FileStorage})
	if err != nil {
		return nil, err
	}
	w, err := kv.WatchAll(context.Background())
	if err != nil {
		return nil, fmt.Errorf("dist: checkpoint: %w", err)
	}
	s := &KVStore{kv: kv, worker: kvSafe(worker), w: w, ready: make(chan struct{}), exited: make(chan struct{}),
		pending: map[uint64]struct{}{}, offsets: map[string]int64{}}
	go s.watch()
	select {
	case <-s.ready:
		return s, nil
	case <-s.exited:
		return nil, errors.New("dist: checkpoint: the bucket watch ended while loading")
	case <-ctx.Done():
		s.Close()
		return nil, fmt.Errorf("dist: checkpoint: loading: %w", context.Cause(ctx))
	}
}

// watch applies every entry of the bucket, the initial ones and each
// update, until Close stops the watcher.
func (s *KVStore) watch() {
	defer close(s.exited)
	loaded := false
	for e := range s.w.Updates() {
		if e == nil {
			if !loaded {
				loaded = true
				close(s.ready)
			}
			continue
		}
		s.apply(e)
	}
}

// apply takes one bucket entry into the index.
func (s *KVStore) apply(e jetstream.KeyValueEntry) {
	if e.Operation() != jetstream.KeyValuePut {
		return
	}
	key := e.Key()
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case key == fingerprintKey:
		var fp resume.Fingerprint
		if json.Unmarshal(e.Value(), &fp) == nil {
			s.fp = fp
		}
	case strings.HasPrefix(key, "s."):
		for _, h := range decodeHashes(e.Value()) {
			s.settled.Add(h)
		}
	case strings.HasPrefix(key, "r."):
		var r roundEntry
		if json.Unmarshal(e.Value(), &r) != nil {
			return
		}
		s.applyRound(r)
	}
}

// applyRound marks a round chunk's keys pending or done; s.mu is held.
func (s *KVStore) applyRound(r roundEntry) {
	hs := decodeHashes(r.Hashes)
	if r.State != "done" {
		for _, h := range hs {
			s.pending[h] = struct{}{}
		}
		return
	}
	for _, h := range hs {
		s.done.Add(h)
		delete(s.pending, h)
	}
	maps.Copy(s.offsets, r.Offsets)
}

// Done reports whether key was committed, by any worker.
func (s *KVStore) Done(key string) bool {
	s.mu.RLock()
	ok := s.done.Has(keyset.Hash(key))
	s.mu.RUnlock()
	return ok
}

// Settled reports whether key was committed and, if it failed, its dead
// letter published: a redelivery of it can be acked without running it.
func (s *KVStore) Settled(key string) bool {
	s.mu.RLock()
	ok := s.settled.Has(keyset.Hash(key))
	s.mu.RUnlock()
	return ok
}

// Pending reports whether key belongs to a round prepared and not
// committed (by a worker that died in between, say).
func (s *KVStore) Pending(key string) bool {
	h := keyset.Hash(key)
	s.mu.RLock()
	defer s.mu.RUnlock()
	_, p := s.pending[h]
	return p && !s.done.Has(h)
}

// Offset returns the offset file sink id had at its last committed round.
func (s *KVStore) Offset(id string) (int64, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	off, ok := s.offsets[id]
	return off, ok
}

// Len returns how many keys are done, cluster-wide.
func (s *KVStore) Len() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.done.Len()
}

// kvTimeout bounds each write to the bucket.
const kvTimeout = 10 * time.Second

// Prepare writes the round's entries pending and returns its number.
func (s *KVStore) Prepare(keys []string, offsets map[string]int64) (resume.Round, error) {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return 0, errStoreClosed
	}
	s.round++
	n := s.round
	s.prep = nil
	s.mu.Unlock()
	hs := make([]uint64, len(keys))
	for i, k := range keys {
		hs[i] = keyset.Hash(k)
	}
	names, err := s.writeRound(n, hs, offsets, "pending")
	if err != nil {
		return 0, err
	}
	s.mu.Lock()
	s.prep = names
	for _, h := range hs {
		s.pending[h] = struct{}{}
	}
	s.mu.Unlock()
	return resume.Round(n), nil
}

// writeRound puts the round's chunks in the given state and returns their
// entry names. A round without keys still gets one chunk, for its
// offsets.
func (s *KVStore) writeRound(n uint64, hs []uint64, offsets map[string]int64, state string) ([]string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), kvTimeout)
	defer cancel()
	var names []string
	for i := 0; i == 0 || i*chunkKeys < len(hs); i++ {
		chunk := hs[i*chunkKeys : min(len(hs), (i+1)*chunkKeys)]
		r := roundEntry{State: state, Hashes: encodeHashes(chunk)}
		if i == 0 {
			r.Offsets = offsets
		}
		data, err := json.Marshal(r)
		if err != nil {
			return nil, fmt.Errorf("dist: checkpoint: %w", err)
		}
		name := fmt.Sprintf("r.%s.%d.%d", s.worker, n, i)
		if _, err := s.kv.Put(ctx, name, data); err != nil {
			return nil, fmt.Errorf("dist: checkpoint: prepare %s: %w", name, err)
		}
		names = append(names, name)
	}
	return names, nil
}

// Commit rewrites the prepared round's entries done.
func (s *KVStore) Commit(id resume.Round) error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return errStoreClosed
	}
	names := s.prep
	if names == nil || uint64(id) != s.round {
		s.mu.Unlock()
		return errors.New("dist: checkpoint: commit of a round that is not the prepared one")
	}
	s.prep = nil
	s.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), kvTimeout)
	defer cancel()
	for _, name := range names {
		e, err := s.kv.Get(ctx, name)
		if err != nil {
			return fmt.Errorf("dist: checkpoint: commit %s: %w", name, err)
		}
		var r roundEntry
		if err := json.Unmarshal(e.Value(), &r); err != nil {
			return fmt.Errorf("dist: checkpoint: commit %s: %w", name, err)
		}
		r.State = "done"
		data, _ := json.Marshal(r)
		if _, err := s.kv.Update(ctx, name, data, e.Revision()); err != nil {
			return fmt.Errorf("dist: checkpoint: commit %s: %w", name, err)
		}
		s.mu.Lock()
		s.applyRound(r) // visible here at once, to the others through the watch
		s.mu.Unlock()
	}
	return nil
}

// Settle records that keys' dead letters are published (see Settled).
func (s *KVStore) Settle(ctx context.Context, keys []string) error {
	if len(keys) == 0 {
		return nil
	}
	hs := make([]uint64, len(keys))
	for i, k := range keys {
		hs[i] = keyset.Hash(k)
	}
	for i := 0; i*chunkKeys < len(hs); i++ {
		s.mu.Lock()
		s.seq++
		name := fmt.Sprintf("s.%s.%d", s.worker, s.seq)
		s.mu.Unlock()
		chunk := hs[i*chunkKeys : min(len(hs), (i+1)*chunkKeys)]
		if _, err := s.kv.Put(ctx, name, encodeHashes(chunk)); err != nil {
			return fmt.Errorf("dist: checkpoint: settle: %w", err)
		}
	}
	s.mu.Lock()
	for _, h := range hs {
		s.settled.Add(h)
	}
	s.mu.Unlock()
	return nil
}

// Fingerprint returns the job fingerprint recorded in the bucket.
func (s *KVStore) Fingerprint() resume.Fingerprint {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return maps.Clone(s.fp)
}

// SetFingerprint checks fp against the recorded fingerprint and records
// the two merged, as resume.Checkpoint.SetFingerprint does; a worker
// racing another writes with the revision it read, and rechecks.
func (s *KVStore) SetFingerprint(fp resume.Fingerprint) error {
	ctx, cancel := context.WithTimeout(context.Background(), kvTimeout)
	defer cancel()
	for range 10 {
		var have resume.Fingerprint
		var rev uint64
		e, err := s.kv.Get(ctx, fingerprintKey)
		switch {
		case errors.Is(err, jetstream.ErrKeyNotFound):
		case err != nil:
			return fmt.Errorf("dist: checkpoint: %w", err)
		default:
			rev = e.Revision()
			if err := json.Unmarshal(e.Value(), &have); err != nil {
				return fmt.Errorf("dist: checkpoint: fingerprint: %w", err)
			}
		}
		if changes := have.Diff(fp); len(changes) > 0 {
			return &resume.FingerprintMismatchError{Path: "nats:" + s.kv.Bucket(), Changes: changes}
		}
		merged := maps.Clone(have)
		if merged == nil {
			merged = resume.Fingerprint{}
		}
		maps.Copy(merged, fp)
		if rev != 0 && maps.Equal(merged, have) {
			s.setFP(merged)
			return nil
		}
		data, _ := json.Marshal(merged)
		if rev == 0 {
			_, err = s.kv.Create(ctx, fingerprintKey, data)
		} else {
			_, err = s.kv.Update(ctx, fingerprintKey, data, rev)
		}
		if err == nil {
			s.setFP(merged)
			return nil
		}
		if !errors.Is(err, jetstream.ErrKeyExists) {
			var apiErr *jetstream.APIError
			if !errors.As(err, &apiErr) {
				return fmt.Errorf("dist: checkpoint: fingerprint: %w", err)
			}
		}
	}
	return errors.New("dist: checkpoint: fingerprint: too many concurrent writers")
}

func (s *KVStore) setFP(fp resume.Fingerprint) {
	s.mu.Lock()
	s.fp = fp
	s.mu.Unlock()
}

// Close stops the watch. The bucket stays: it is the job's checkpoint.
func (s *KVStore) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	s.mu.Unlock()
	err := s.w.Stop()
	<-s.exited
	return err
}

var errStoreClosed = errors.New("dist: checkpoint is closed")

var _ resume.Store = (*KVStore)(nil)

func encodeHashes(hs []uint64) []byte {
	b := make([]byte, 8*len(hs))
	for i, h := range hs {
		binary.LittleEndian.PutUint64(b[8*i:], h)
	}
	return b
}

func decodeHashes(b []byte) []uint64 {
	hs := make([]uint64, len(b)/8)
	for i := range hs {
		hs[i] = binary.LittleEndian.Uint64(b[8*i:])
	}
	return hs
}

// kvSafe maps s to the characters a KV key token may hold.
func kvSafe(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	return b.String()
}
