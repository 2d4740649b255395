package dist

import (
	"sync"

	"github.com/nats-io/nats.go/jetstream"
)

// tracker holds the messages a worker took and has not acked, by input
// key: a commit event names keys, and their messages are acked then. A
// key redelivered while still in flight joins its entry instead of being
// processed twice.
//
// It also counts the keys taken and not yet fetched (unfetched): the
// source takes no more while a window of them is waiting, so a worker
// holds only what its fetchers will reach soon and the inputs left stay
// in the queue, where a worker with less to do can take them.
type tracker struct {
	mu        sync.Mutex
	byKey     map[string]*held
	byPart    map[int]int
	unfetched int
	// progress is signalled when a key is fetched or acked.
	progress chan struct{}
}

type held struct {
	msgs    []jetstream.Msg
	part    int
	fetched bool
}

func newTracker() *tracker {
	return &tracker{byKey: map[string]*held{}, byPart: map[int]int{}, progress: make(chan struct{}, 1)}
}

// fetched marks key fetched (or failed): it no longer counts against
// the source's window.
func (t *tracker) fetched(key string) {
	t.mu.Lock()
	h, ok := t.byKey[key]
	if ok && !h.fetched {
		h.fetched = true
		t.unfetched--
	}
	t.mu.Unlock()
	if ok {
		t.signal()
	}
}

func (t *tracker) signal() {
	select {
	case t.progress <- struct{}{}:
	default:
	}
}

// waiting is how many keys were taken and not yet fetched.
func (t *tracker) waiting() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.unfetched
}

// add records msg under key; first is true when the key was not in
// flight (so the input must be processed).
func (t *tracker) add(key string, part int, msg jetstream.Msg) (first bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if h, ok := t.byKey[key]; ok {
		h.msgs = append(h.msgs, msg)
		return false
	}
	t.byKey[key] = &held{msgs: []jetstream.Msg{msg}, part: part}
	t.byPart[part]++
	t.unfetched++
	return true
}

// take removes the keys and returns their messages.
func (t *tracker) take(keys []string) []jetstream.Msg {
	t.mu.Lock()
	defer t.signal()
	defer t.mu.Unlock()
	var out []jetstream.Msg
	for _, k := range keys {
		h, ok := t.byKey[k]
		if !ok {
			continue
		}
		out = append(out, h.msgs...)
		delete(t.byKey, k)
		t.byPart[h.part]--
		if !h.fetched {
			t.unfetched--
		}
	}
	return out
}

// all returns every held message (to extend their ack deadline).
func (t *tracker) all() []jetstream.Msg {
	t.mu.Lock()
	defer t.mu.Unlock()
	var out []jetstream.Msg
	for _, h := range t.byKey {
		out = append(out, h.msgs...)
	}
	return out
}

// inPartition is how many keys of partition p are in flight.
func (t *tracker) inPartition(p int) int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.byPart[p]
}

// len is how many keys are in flight.
func (t *tracker) len() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.byKey)
}
