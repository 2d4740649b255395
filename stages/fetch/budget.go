package fetch

import (
	"context"
	"sync"
)

// Budget bounds the bytes of response bodies held at once: a fetch takes
// its body's size from the budget before it reads the body (its
// Content-Length, or the size read when the length was not given) and
// gives it back when the response is released ([Response.Release]), so
// what the fetch stage hands on and the next stage has not finished with
// is bounded in bytes, not in items. Small pages then flow many at a time
// and large ones a few at a time.
//
// A body larger than the whole budget takes all of it. Waiters are
// served first come, first served, so a large body is not starved by a
// stream of small ones. A Budget is safe for concurrent use; the nil
// *Budget bounds nothing.
type Budget struct {
	mu      sync.Mutex
	size    int64
	held    int64
	peak    int64
	waiters []*budgetWaiter
}

type budgetWaiter struct {
	n     int64
	ready chan struct{}
}

// NewBudget returns a budget of size bytes (at least 1).
func NewBudget(size int64) *Budget { return &Budget{size: max(size, 1)} }

// Size is the budget's size in bytes.
func (b *Budget) Size() int64 { return b.size }

// Held is the number of bytes taken and not yet given back.
func (b *Budget) Held() int64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.held
}

// Peak is the most bytes ever held at once.
func (b *Budget) Peak() int64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.peak
}

// acquire takes n bytes (at most the whole budget), waiting for them
// until ctx ends. It returns what it took, for release.
func (b *Budget) acquire(ctx context.Context, n int64) (int64, error) {
	if b == nil || n <= 0 {
		return 0, nil
	}
	n = min(n, b.size)
	b.mu.Lock()
	if len(b.waiters) == 0 && b.held+n <= b.size {
		b.take(n)
		b.mu.Unlock()
		return n, nil
	}
	w := &budgetWaiter{n: n, ready: make(chan struct{})}
	b.waiters = append(b.waiters, w)
	b.mu.Unlock()
	select {
	case <-w.ready:
		return n, nil
	case <-ctx.Done():
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	select {
	case <-w.ready: // granted as ctx ended: give it back
		b.held -= n
	default:
		for i, o := range b.waiters {
			if o == w {
				b.waiters = append(b.waiters[:i], b.waiters[i+1:]...)
				break
			}
		}
	}
	b.grant()
	return 0, ctx.Err()
}

// release gives back n bytes taken with acquire.
func (b *Budget) release(n int64) {
	if b == nil || n <= 0 {
		return
	}
	b.mu.Lock()
	b.held -= n
	b.grant()
	b.mu.Unlock()
}

// take records n bytes as held; b.mu is held.
func (b *Budget) take(n int64) {
	b.held += n
	b.peak = max(b.peak, b.held)
}

// grant wakes the waiters at the head of the queue that now fit; b.mu is
// held.
func (b *Budget) grant() {
	for len(b.waiters) > 0 {
		w := b.waiters[0]
		if b.held+w.n > b.size {
			return
		}
		b.take(w.n)
		close(w.ready)
		b.waiters[0] = nil
		b.waiters = b.waiters[1:]
	}
}
