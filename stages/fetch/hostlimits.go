package fetch

import (
	"context"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"
	"golang.org/x/time/rate"
)

// hostTable holds the state of recently seen hosts, bounded by an LRU.
// A host is its origin (see hostID), so 127.0.0.1:8080 and
// localhost:8080 are two hosts.
type hostTable struct {
	cache    *lru.Cache[hostID, *hostState]
	newState func() *hostState
}

func newHostTable(size int, newState func() *hostState) *hostTable {
	c, err := lru.New[hostID, *hostState](size)
	if err != nil {
		panic("fetch: host table: " + err.Error()) // size is > 0 after defaults
	}
	return &hostTable{cache: c, newState: newState}
}

// get returns the state of host key, creating it on first sight. O(1).
func (t *hostTable) get(key hostID) *hostState {
	if h, ok := t.cache.Get(key); ok {
		return h
	}
	h := t.newState()
	if prev, found, _ := t.cache.PeekOrAdd(key, h); found {
		return prev
	}
	return h
}

// hostState is one host's politeness state: a concurrency cap that
// adapts (AIMD), a token bucket, a pause set by Retry-After, and the
// cached robots.txt rules.
type hostState struct {
	mu       sync.Mutex
	limit    int // current concurrency cap, 1..maxLimit
	maxLimit int
	inFlight int
	okStreak int
	waiters  []chan struct{} // FIFO of requests waiting for a slot
	pausedTo time.Time
	limiter  *rate.Limiter // nil: no rate cap
	baseRate rate.Limit    // the rate the limiter recovers to
	degraded atomic.Bool   // limit or rate below their base: successes count
	robots   robotsState
}

func newHostState(maxConc int, perSec float64, burst int) *hostState {
	h := &hostState{limit: maxConc, maxLimit: maxConc}
	if perSec > 0 {
		h.baseRate = rate.Limit(perSec)
		h.limiter = rate.NewLimiter(h.baseRate, burst)
	}
	return h
}

// acquire takes a concurrency slot, waiting in FIFO order; it returns
// the context's error if ctx ends first.
func (h *hostState) acquire(ctx context.Context) error {
	h.mu.Lock()
	if h.inFlight < h.limit && len(h.waiters) == 0 {
		h.inFlight++
		h.mu.Unlock()
		return nil
	}
	ch := make(chan struct{})
	h.waiters = append(h.waiters, ch)
	h.mu.Unlock()
	select {
	case <-ch:
		return nil
	case <-ctx.Done():
	}
	h.mu.Lock()
	if i := slices.Index(h.waiters, ch); i >= 0 {
		h.waiters = slices.Delete(h.waiters, i, i+1)
		h.mu.Unlock()
		return ctx.Err()
	}
	h.mu.Unlock()
	h.release() // granted while we gave up: hand it on
	return ctx.Err()
}

// release returns a slot and wakes waiters the cap now admits.
func (h *hostState) release() {
	h.mu.Lock()
	h.inFlight--
	h.grantLocked()
	h.mu.Unlock()
}

func (h *hostState) grantLocked() {
	for h.inFlight < h.limit && len(h.waiters) > 0 {
		ch := h.waiters[0]
		h.waiters[0] = nil
		h.waiters = h.waiters[1:]
		h.inFlight++
		close(ch)
	}
}

// delay reserves a start time honouring the pause and the token bucket
// and returns how long to wait from now until it. cancel gives the token
// back if the caller does not go ahead.
func (h *hostState) delay(now time.Time) (wait time.Duration, cancel func()) {
	h.mu.Lock()
	at := now
	if h.pausedTo.After(now) {
		at = h.pausedTo
	}
	lim := h.limiter
	h.mu.Unlock()
	if lim == nil {
		return at.Sub(now), func() {}
	}
	r := lim.ReserveN(at, 1)
	return r.DelayFrom(now), func() { r.CancelAt(now) }
}

// slowDown halves the host's concurrency cap and rate after a 429 or
// 503 and pauses it for the server's Retry-After, if any.
func (h *hostState) slowDown(now time.Time, retryAfter time.Duration) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.limit = max(1, h.limit/2)
	h.okStreak = 0
	if h.limiter != nil {
		h.limiter.SetLimitAt(now, max(h.limiter.Limit()/2, h.baseRate/64))
	}
	if until := now.Add(retryAfter); retryAfter > 0 && until.After(h.pausedTo) {
		h.pausedTo = until
	}
	h.degraded.Store(h.limit < h.maxLimit || (h.limiter != nil && h.limiter.Limit() < h.baseRate))
}

// succeeded grows a degraded host back: one more slot, and a tenth of
// the base rate, for every cap-many successes in a row.
func (h *hostState) succeeded(now time.Time) {
	if !h.degraded.Load() {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.okStreak++
	if h.okStreak < h.limit {
		return
	}
	h.okStreak = 0
	h.limit = min(h.limit+1, h.maxLimit)
	if h.limiter != nil {
		h.limiter.SetLimitAt(now, min(h.limiter.Limit()+h.baseRate/10, h.baseRate))
	}
	h.grantLocked()
	h.degraded.Store(h.limit < h.maxLimit || (h.limiter != nil && h.limiter.Limit() < h.baseRate))
}

// setCrawlDelay caps the host's rate at one request per d.
func (h *hostState) setCrawlDelay(now time.Time, d time.Duration) {
	h.mu.Lock()
	defer h.mu.Unlock()
	r := rate.Every(d)
	if h.limiter == nil {
		h.baseRate = r
		h.limiter = rate.NewLimiter(r, 1)
		return
	}
	if r < h.baseRate {
		h.baseRate = r
		h.limiter.SetLimitAt(now, min(h.limiter.Limit(), r))
		h.limiter.SetBurstAt(now, 1)
	}
}
