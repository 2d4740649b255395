package dist

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/sluicehq/sluice/resume"
)

// The KVStore keeps resume.Store's two-phase protocol: a round prepared
// and not committed comes back pending after a reopen, without moving
// the offsets; a committed one comes back done with its offsets.
func TestKVStorePrepareCommitReopen(t *testing.T) {
	srv := startNATS(t)
	_, js := connectJS(t, srv.ClientURL())
	ctx := context.Background()
	n := NamesFor("store")
	s, err := OpenKVStore(ctx, js, n, "w1")
	if err != nil {
		t.Fatal(err)
	}
	r, err := s.Prepare([]string{"a", "b"}, map[string]int64{"jsonl:out": 10})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Commit(r); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Prepare([]string{"c"}, map[string]int64{"jsonl:out": 20}); err != nil {
		t.Fatal(err)
	}
	if err := s.Commit(r); err == nil {
		t.Fatal("commit of an earlier round was accepted")
	}
	s.Close() // a crash: the last round was never committed

	s, err = OpenKVStore(ctx, js, n, "w1b")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, c := range []struct {
		key           string
		done, pending bool
	}{{"a", true, false}, {"b", true, false}, {"c", false, true}, {"d", false, false}} {
		if s.Done(c.key) != c.done || s.Pending(c.key) != c.pending {
			t.Errorf("%s: done %v pending %v, want %v %v", c.key, s.Done(c.key), s.Pending(c.key), c.done, c.pending)
		}
	}
	if off, ok := s.Offset("jsonl:out"); !ok || off != 10 {
		t.Errorf("offset %d %v, want 10 (the committed round's)", off, ok)
	}
	if s.Len() != 2 {
		t.Errorf("len %d, want 2", s.Len())
	}
	// The pending key, replayed and committed, is done and no longer pending.
	r, err = s.Prepare([]string{"c"}, nil)
	if err == nil {
		err = s.Commit(r)
	}
	if err != nil || !s.Done("c") || s.Pending("c") {
		t.Fatalf("replayed c: err %v done %v pending %v", err, s.Done("c"), s.Pending("c"))
	}
}

// Workers sharing a job's store see each other's commits, and a round
// larger than one entry holds is split.
func TestKVStoreSharedByWorkers(t *testing.T) {
	srv := startNATS(t)
	_, js := connectJS(t, srv.ClientURL())
	ctx := context.Background()
	n := NamesFor("shared")
	a, err := OpenKVStore(ctx, js, n, "a")
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := OpenKVStore(ctx, js, n, "b")
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	big := make([]string, chunkKeys+100)
	for i := range big {
		big[i] = fmt.Sprintf("a%d", i)
	}
	done := make(chan error, 2)
	for _, c := range []struct {
		s    *KVStore
		keys []string
	}{{a, big}, {b, []string{"b1", "b2"}}} {
		go func() {
			r, err := c.s.Prepare(c.keys, nil)
			if err == nil {
				err = c.s.Commit(r)
			}
			done <- err
		}()
	}
	for range 2 {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	want := len(big) + 2
	deadline := time.Now().Add(5 * time.Second)
	for a.Len() != want || b.Len() != want {
		if time.Now().After(deadline) {
			t.Fatalf("a sees %d keys, b %d, want %d each", a.Len(), b.Len(), want)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if !a.Done("b2") || !b.Done(big[len(big)-1]) || b.Pending("a1") {
		t.Error("a worker does not see the other's keys done")
	}
	if err := a.Settle(ctx, []string{"a1"}); err != nil {
		t.Fatal(err)
	}
	for !b.Settled("a1") {
		if time.Now().After(deadline) {
			t.Fatal("b does not see a's settled key")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// The fingerprint is shared: a worker with another job is refused.
func TestKVStoreFingerprint(t *testing.T) {
	srv := startNATS(t)
	_, js := connectJS(t, srv.ClientURL())
	ctx := context.Background()
	a, err := OpenKVStore(ctx, js, NamesFor("fp"), "a")
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if err := a.SetFingerprint(resume.Fingerprint{"fields": "x"}); err != nil {
		t.Fatal(err)
	}
	b, err := OpenKVStore(ctx, js, NamesFor("fp"), "b")
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if err := b.SetFingerprint(resume.Fingerprint{"fields": "x", "output": "o"}); err != nil {
		t.Fatal(err)
	}
	var fe *resume.FingerprintMismatchError
	if err := b.SetFingerprint(resume.Fingerprint{"fields": "y"}); !errors.As(err, &fe) {
		t.Fatalf("changed fields: %v, want a mismatch", err)
	}
	if fp := b.Fingerprint(); fp["output"] != "o" || fp["fields"] != "x" {
		t.Fatalf("fingerprint %v", fp)
	}
}
