package pipeline

import (
	"sync/atomic"
	"time"
)

// StageStats is a snapshot of one stage's counters. It can be read while the
// pipeline runs (see [Pipeline.Stats]) and after Run returns.
//
// For every stage, once Run has returned:
//
//	In = Out + Filtered + Failed + Dropped
//
// Out counts input items that produced output; Emitted counts the items the
// stage sent on, which differs from Out for FlatMap (fan-out), Batch (one
// batch per many items) and Broadcast (one copy per branch). Dropped counts
// items abandoned because the run was cancelled; it is 0 in a run that ends
// without a fatal error or cancellation.
type StageStats struct {
	Name     string
	Kind     string // "source", "map", "flatmap", "filter", "batch", "merge", "broadcast", "sink"
	Workers  int
	In       int64
	Out      int64
	Emitted  int64
	Filtered int64
	Failed   int64
	Dropped  int64
	// InFlight is the number of items being worked on now.
	InFlight int64
	// Busy is the total time workers spent in user code (summed across
	// workers, so it can exceed wall time).
	Busy time.Duration
}

// counters are one stage's live statistics. Each stage has its own, padded
// to keep stages off each other's cache lines.
type counters struct {
	_        [64]byte
	in       atomic.Int64
	out      atomic.Int64
	emitted  atomic.Int64
	filtered atomic.Int64
	failed   atomic.Int64
	dropped  atomic.Int64
	busy     atomic.Int64
	// working is the in-flight gauge of stages whose workers tally (see
	// tally); gauge says the stage keeps it.
	working atomic.Int64
	gauge   bool
	_       [64]byte
}

func (c *counters) snapshot(s *stage) StageStats {
	st := StageStats{
		Name:     s.name,
		Kind:     s.kind,
		Workers:  s.cfg.workers,
		Filtered: c.filtered.Load(),
		Failed:   c.failed.Load(),
		Dropped:  c.dropped.Load(),
		Out:      c.out.Load(),
		Emitted:  c.emitted.Load(),
		Busy:     time.Duration(c.busy.Load()),
	}
	st.In = c.in.Load() // read last, so InFlight never goes negative
	st.InFlight = st.In - st.Out - st.Filtered - st.Failed - st.Dropped
	if c.gauge {
		st.InFlight = c.working.Load()
	}
	if st.InFlight < 0 {
		st.InFlight = 0
	}
	return st
}
