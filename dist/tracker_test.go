package dist

import "testing"

// TestTrackerWindowCount: a key counts against the source's window from
// its first take until it is fetched or acked, once, whatever the order;
// a redelivery of a key in flight does not count again; progress is
// signalled on fetch and on ack.
func TestTrackerWindowCount(t *testing.T) {
	tr := newTracker()
	for _, k := range []string{"a", "b", "c"} {
		if !tr.add(k, 1, nil) {
			t.Fatalf("add %s: not first", k)
		}
	}
	if tr.add("b", 1, nil) { // redelivered while in flight: joins
		t.Fatal("second add of b was first")
	}
	if got := tr.waiting(); got != 3 {
		t.Fatalf("waiting %d after three takes, want 3", got)
	}
	drain := func() bool {
		select {
		case <-tr.progress:
			return true
		default:
			return false
		}
	}
	tr.fetched("a")
	tr.fetched("a")       // twice: counted once
	tr.fetched("unknown") // not held: nothing
	if got := tr.waiting(); got != 2 || !drain() {
		t.Fatalf("waiting %d after a's fetch, want 2 and a signal", got)
	}
	if msgs := tr.take([]string{"a", "b"}); len(msgs) != 3 { // a once, b twice
		t.Fatalf("take returned %d messages, want 3", len(msgs))
	}
	if got := tr.waiting(); got != 1 || !drain() || tr.len() != 1 {
		t.Fatalf("waiting %d, len %d after acking a (fetched) and b (not), want 1 and 1", got, tr.len())
	}
	tr.fetched("c")
	tr.take([]string{"c"})
	if got := tr.waiting(); got != 0 || tr.len() != 0 || tr.inPartition(1) != 0 {
		t.Fatalf("waiting %d, len %d, in partition %d at the end, want 0", got, tr.len(), tr.inPartition(1))
	}
}
