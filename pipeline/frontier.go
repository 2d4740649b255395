package pipeline

import (
	"context"
	"fmt"
	"sync"
)

// Queue holds the items a [Frontier] has accepted and not yet handed out.
// The frontier calls its methods one at a time, under its own lock, so an
// implementation needs no locking of its own; none of them may wait for
// the pipeline (a disk write is fine, a channel send is not). An error
// from any method is fatal to the run.
//
// A queue decides what it accepts: Push reports false for an item it
// rejects (a duplicate, an item beyond a limit), which the frontier counts
// as filtered. The order in which Pop hands items out — FIFO for a
// breadth-first crawl, round-robin across hosts, priorities — is the
// queue's. A queue that lives on disk may hold items from an earlier run;
// Len must count them.
type Queue[T any] interface {
	Push(v T) (accepted bool, err error)
	Pop() (v T, ok bool, err error)
	Len() int
}

// Frontier is a stage with one feedback edge, the way a crawl feeds the
// links it finds back to its fetcher. It takes seeds from a stream, and
// newly discovered items from the stages downstream of it through
// [Frontier.Discover]; it keeps them in a [Queue] and hands them on
// through [Frontier.Out].
//
// The run is a cycle, but not a channel cycle: Discover puts an item in
// the queue and never waits for the forward path, so a full forward path
// cannot deadlock the feedback path. Memory is bounded by the queue, which
// may spill to disk.
//
// The frontier ends its output exactly when the seeds are exhausted, the
// queue is empty and no item it handed out is still in flight. An item is
// in flight from the moment Out hands it on until [Frontier.Done] is
// called for it, so the stages downstream must call Done exactly once for
// every item they get from Out, after they have called Discover for
// everything the item led to: also when the item fails or is filtered
// out. An item that is never Done keeps the frontier, and so the run,
// open.
//
// [Pipeline.Stop] stops the frontier handing out items; it still drains
// its seeds into the queue, and Discover still queues what the items in
// flight lead to, so a queue that persists keeps them for the next run.
//
// Accounting: In counts the seeds, the Discover calls and the items a
// queue held when the run started; Filtered counts what the queue
// rejected; Out the items handed on; Dropped what was left in the queue,
// or taken from it and not handed on, when the run was stopped or
// cancelled (InFlight, while the run goes on, is the queue's length).
type Frontier[T any] struct {
	s    *stage
	q    Queue[T]
	in   Stream[T]
	out  Stream[T]
	wake chan struct{}

	mu     sync.Mutex
	handed int64 // taken from the queue and not Done
	closed bool  // the output is closed; later Discovers stay queued
}

// NewFrontier adds a frontier stage named name, fed by seeds and
// [Frontier.Discover], keeping what waits in q. It panics if q is nil.
// Buffer sets the capacity of the output channel; Workers and Ordered are
// not supported.
func NewFrontier[T any](p *Pipeline, name string, seeds Stream[T], q Queue[T], opts ...StageOption) *Frontier[T] {
	if q == nil {
		panic(fmt.Sprintf("pipeline: NewFrontier %q: nil Queue", name))
	}
	cfg := newStageConfig(name, opts)
	cfg.noWorkers("NewFrontier", name)
	info := seeds.check(p, "frontier", name)
	s := p.addStage(name, "frontier", cfg, []*streamInfo{info})
	s.source = true // Pipeline.Stop ends what it hands out
	f := &Frontier[T]{s: s, q: q, in: seeds, wake: make(chan struct{}, 1)}
	f.out = newStream[T](p, s, "")
	s.run = func(ctx context.Context, l lane, r *runner) {
		r.spawn(s, 1, func(int) error { return f.loop(l, r.runLane) },
			func() error { close(f.out.e.ch); return nil })
	}
	return f
}

// Out is the stream of items the frontier hands on. It must be consumed
// by exactly one stage, like every stream.
func (f *Frontier[T]) Out() Stream[T] { return f.out }

// Discover adds v to the frontier, unless the queue rejects it. It never
// waits for the forward path, so any stage may call it, from any
// goroutine. A non-nil result is the queue's error, which the caller
// should return (it is fatal).
func (f *Frontier[T]) Discover(v T) error {
	return f.DiscoverAll([]T{v})
}

// DiscoverAll is Discover for each of vs in order, under one lock and
// with one wake-up of the frontier: the cheaper way to hand over what one
// item led to, such as the links of a page. It stops at the first queue
// error, leaving the rest of vs out. It does not keep vs.
func (f *Frontier[T]) DiscoverAll(vs []T) error {
	if len(vs) == 0 {
		return nil
	}
	var accepted, filtered int64
	var err error
	f.mu.Lock()
	n := 0
	for _, v := range vs {
		n++
		var ok bool
		if ok, err = f.q.Push(v); err != nil {
			break
		}
		if ok {
			accepted++
		} else {
			filtered++
		}
	}
	f.s.stats.in.Add(int64(n)) // under the lock, so that In never lags Out
	if filtered > 0 {
		f.s.stats.filtered.Add(filtered)
	}
	if f.closed && accepted > 0 {
		f.s.stats.dropped.Add(accepted)
	}
	if err != nil {
		f.s.stats.failed.Add(1)
	}
	f.mu.Unlock()
	if err != nil {
		return fmt.Errorf("pipeline: frontier %q: queue: %w", f.s.name, err)
	}
	if accepted > 0 {
		f.poke()
	}
	return nil
}

// Done records that an item handed out by Out is finished: it was
// processed, or it failed or was filtered, and everything it led to was
// given to Discover. Calling Done more often than Out handed items out
// panics.
func (f *Frontier[T]) Done() {
	f.mu.Lock()
	f.handed--
	n := f.handed
	f.mu.Unlock()
	if n < 0 {
		panic(fmt.Sprintf("pipeline: frontier %q: Done called more often than items were handed out", f.s.name))
	}
	f.poke() // the end may have come, or a queue that paces items may hand out more
}

// Len is the number of items waiting in the queue.
func (f *Frontier[T]) Len() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.q.Len()
}

// InFlight is the number of items handed out and not yet Done.
func (f *Frontier[T]) InFlight() int64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.handed
}

func (f *Frontier[T]) poke() {
	select {
	case f.wake <- struct{}{}:
	default:
	}
}
