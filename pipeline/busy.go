package pipeline

import (
	"sync/atomic"
	"time"
)

// busyClock measures a worker's busy time cheaply. Reading the clock twice
// per item costs more than a trivial stage's whole work on some machines,
// so a worker whose items are quick times one item in up to 64 and counts
// it for the items it stands for; one slow item (over 20µs) switches back
// to timing every item. Busy is exact for slow stages and a sampled
// estimate for quick ones. Each worker has its own busyClock.
type busyClock struct {
	every, count int64
	scale        int64
}

const (
	busyMaxEvery = 64
	busyQuick    = 20 * time.Microsecond
)

// start returns the time to measure from, or the zero time when this item
// is not sampled.
func (c *busyClock) start() time.Time {
	if c.every == 0 {
		c.every = 1
	}
	c.count++
	if c.count < c.every {
		return time.Time{}
	}
	c.count, c.scale = 0, c.every
	return time.Now()
}

// stop adds the sampled duration since t0 to busy.
func (c *busyClock) stop(t0 time.Time, busy *atomic.Int64) {
	if t0.IsZero() {
		return
	}
	d := time.Since(t0)
	busy.Add(int64(d) * c.scale)
	if d < busyQuick {
		c.every = min(c.every*2, busyMaxEvery)
	} else {
		c.every = 1
	}
}
