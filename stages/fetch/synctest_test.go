package fetch

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"
)

// These tests run the host limits on the real clock inside a synctest
// bubble, where time advances only when every goroutine is blocked, so
// the elapsed times are exact.

func TestSlotsQueueInBubble(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := newHostState(2, 0, 1)
		var cur, peak atomic.Int32
		start := time.Now()
		var wg sync.WaitGroup
		for range 5 {
			wg.Go(func() {
				if err := h.acquire(t.Context()); err != nil {
					t.Error(err)
					return
				}
				n := cur.Add(1)
				for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
				}
				time.Sleep(time.Second)
				cur.Add(-1)
				h.release()
			})
		}
		wg.Wait()
		if got := time.Since(start); got != 3*time.Second || peak.Load() != 2 {
			t.Errorf("5 one-second jobs over 2 slots took %v with peak %d; want 3s and 2", got, peak.Load())
		}
	})
}

func TestRateAndPauseInBubble(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := realClock()
		h := newHostState(8, 2, 1) // 2 requests a second
		start := time.Now()
		for range 4 {
			wait, _ := h.delay(c.now())
			if err := c.sleep(t.Context(), wait); err != nil {
				t.Fatal(err)
			}
		}
		if got := time.Since(start); got != 1500*time.Millisecond {
			t.Errorf("4 starts at 2/s took %v, want 1.5s", got)
		}
		h.slowDown(c.now(), 3*time.Second) // halves the rate and pauses the host
		start = time.Now()
		wait, _ := h.delay(c.now())
		_ = c.sleep(t.Context(), wait)
		if got := time.Since(start); got != 3*time.Second {
			t.Errorf("start after a 3s Retry-After pause took %v, want 3s", got)
		}
	})
}

func TestSleepEndsWithContextInBubble(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), 2*time.Second)
		defer cancel()
		start := time.Now()
		err := sleepCtx(ctx, time.Hour)
		if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) != 2*time.Second {
			t.Errorf("sleep: %v after %v, want deadline after 2s", err, time.Since(start))
		}
	})
}
