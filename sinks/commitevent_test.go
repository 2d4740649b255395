package sinks

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/sluicehq/sluice/pipeline"
	"github.com/sluicehq/sluice/record"
	"github.com/sluicehq/sluice/resume"
)

// failingStore fails Prepare once fail is set.
type failingStore struct {
	*memStore
	fail bool
}

func (s *failingStore) Prepare(keys []string, offsets map[string]int64) (resume.Round, error) {
	if s.fail {
		return 0, errors.New("store down")
	}
	return s.memStore.Prepare(keys, offsets)
}

// TestCommitterOnCommit: OnCommit gets each durable round's keys, written
// and failed apart, and is not called for a round that failed.
func TestCommitterOnCommit(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st := &failingStore{memStore: newMemStore()}
	j, _ := NewJSONL[record.Record](filepath.Join(dir, "o.jsonl"), JSONLConfig{})
	d, _ := NewJSONL[FailureRecord](filepath.Join(dir, "d.jsonl"), JSONLConfig{})
	var events []string
	c, err := NewCommitter(st, []Target[record.Record]{j}, d, CommitterConfig{Every: 3, OnCommit: func(ev CommitEvent) {
		if !st.Done(ev.Written[0]) {
			t.Error("OnCommit before the checkpoint committed")
		}
		events = append(events, fmt.Sprintf("%v %v %v %d", ev.Written, ev.Failed, ev.Rejected, ev.Items))
	}})
	must(t, err)
	must(t, c.Write(ctx, items("a", 2)))
	must(t, c.Fail(ctx, pipeline.Failure{Stage: "s", Input: "b", Err: errors.New("x")}))
	must(t, c.Fail(ctx, pipeline.Failure{Stage: "s", Input: 7, Err: errors.New("keyless")})) // no key: not in events
	must(t, c.Write(ctx, items("c", 0)))
	must(t, c.Write(ctx, items("d", 1)))
	st.fail = true
	must(t, c.Write(ctx, items("e", 1)))
	if err := c.Write(ctx, items("f", 1)); err == nil {
		t.Fatal("a round whose checkpoint failed committed")
	}
	c.Close(ctx)
	if got := fmt.Sprint(events); got != "[[a c] [b] [] 2]" {
		t.Errorf("events %s, want [[a c] [b] [] 2]", got)
	}
}
