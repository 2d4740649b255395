package sinks

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"sync"
	"testing"

	"github.com/sluicehq/sluice/pipeline"
	"github.com/sluicehq/sluice/record"
	"github.com/sluicehq/sluice/resume"
)

// memStore is a resume.Store kept in memory, standing for a checkpoint
// that is not a resume.Checkpoint (a JetStream KV bucket): the Committer
// must drive it through the interface alone.
type memStore struct {
	mu       sync.Mutex
	done     map[string]bool
	pending  map[string]bool
	offsets  map[string]int64
	prepared map[resume.Round][]string
	next     resume.Round
	rounds   [][]string // the keys of each committed round
	fp       resume.Fingerprint
}

func newMemStore() *memStore {
	return &memStore{done: map[string]bool{}, pending: map[string]bool{}, offsets: map[string]int64{}, prepared: map[resume.Round][]string{}}
}

func (m *memStore) Done(k string) bool    { m.mu.Lock(); defer m.mu.Unlock(); return m.done[k] }
func (m *memStore) Pending(k string) bool { m.mu.Lock(); defer m.mu.Unlock(); return m.pending[k] }
func (m *memStore) Len() int              { m.mu.Lock(); defer m.mu.Unlock(); return len(m.done) }
func (m *memStore) Close() error          { return nil }
func (m *memStore) Offset(id string) (int64, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	off, ok := m.offsets[id]
	return off, ok
}
func (m *memStore) Fingerprint() resume.Fingerprint { return m.fp }
func (m *memStore) SetFingerprint(fp resume.Fingerprint) error {
	m.fp = fp
	return nil
}

func (m *memStore) Prepare(keys []string, offsets map[string]int64) (resume.Round, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.next++
	m.prepared[m.next] = slices.Clone(keys)
	for _, k := range keys {
		m.pending[k] = true
	}
	return m.next, nil
}

func (m *memStore) Commit(r resume.Round) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	keys, ok := m.prepared[r]
	if !ok {
		return errors.New("memStore: unknown round")
	}
	for _, k := range keys {
		m.done[k] = true
		delete(m.pending, k)
	}
	delete(m.prepared, r)
	m.rounds = append(m.rounds, keys)
	return nil
}

// TestCommitterOverAnotherStore: a resume.Store that is not a
// *resume.Checkpoint records the rounds, and a key it reports pending is
// replaced in the SQL sink, not added to.
func TestCommitterOverAnotherStore(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st := newMemStore()
	st.pending["a"] = true // a round an earlier run prepared and never committed
	s, _ := NewSQLite[record.Record](filepath.Join(dir, "out.db"), SQLiteConfig{})
	d, _ := NewJSONL[FailureRecord](filepath.Join(dir, "dead.jsonl"), JSONLConfig{})
	c, err := NewCommitter(st, []Target[record.Record]{s}, d, CommitterConfig{Every: 2})
	must(t, err)
	must(t, c.Write(ctx, items("a", 1)))
	must(t, c.Fail(ctx, pipeline.Failure{Stage: "s", Input: "b", Err: errors.New("x")}))
	must(t, c.Write(ctx, items("c", 2)))
	must(t, c.Close(ctx))
	if got := fmt.Sprint(st.rounds); got != "[[] [a b] [c]]" {
		t.Errorf("committed rounds %s, want [[] [a b] [c]]", got)
	}
	if !st.Done("a") || st.Pending("a") || st.Len() != 3 {
		t.Errorf("store: done a=%v pending a=%v len=%d", st.Done("a"), st.Pending("a"), st.Len())
	}
	checkKeyCounts(t, "sqlite", map[string]int{"a": 1, "c": 2}, sqliteKeys(t, filepath.Join(dir, "out.db")))
}

// TestCommitterNilCheckpointPointer: a nil *resume.Checkpoint, as callers
// pass when they run without one, means no checkpoint.
func TestCommitterNilCheckpointPointer(t *testing.T) {
	var ckpt *resume.Checkpoint
	j, _ := NewJSONL[record.Record](filepath.Join(t.TempDir(), "o.jsonl"), JSONLConfig{})
	c, err := NewCommitter(ckpt, []Target[record.Record]{j}, nil, CommitterConfig{})
	must(t, err)
	must(t, c.Write(context.Background(), items("a", 1)))
	must(t, c.Close(context.Background()))
}
