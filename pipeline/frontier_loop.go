package pipeline

import "fmt"

// loop is the frontier's one goroutine. It waits on four things at once —
// the seeds, the consumer taking a chunk, a wake-up from Discover or Done,
// and the end of the run or of the sources (Stop) — so it uses its own
// select rather than the send and recv helpers, which wait on one channel
// and the lane; every wait still ends with the run.
//
// src is the sources' lane (closed by Stop), run the run's.
func (f *Frontier[T]) loop(src, run lane) (err error) {
	f.mu.Lock()
	f.s.stats.in.Add(int64(f.q.Len())) // carried over from an earlier run
	f.mu.Unlock()
	seeds := f.in.e.ch
	var held []T
	stopped := false
	defer func() { f.close(len(held)) }()
	for {
		if !stopped && len(held) == 0 {
			if held, err = f.take(); err != nil {
				return err
			}
			if seeds == nil && len(held) == 0 && f.finished() {
				return nil
			}
		}
		var outCh chan<- []T
		stopCh := src.done
		if stopped {
			stopCh = nil
		} else if len(held) > 0 {
			outCh = f.out.e.ch
		}
		select {
		case outCh <- held:
			f.s.stats.out.Add(int64(len(held)))
			f.s.stats.emitted.Add(int64(len(held)))
			held = nil
		case chunk, ok := <-seeds:
			if !ok {
				seeds = nil
				break
			}
			if err := f.seed(chunk); err != nil {
				return err
			}
		case <-f.wake:
		case <-stopCh:
			stopped = true
		case <-run.done:
			return nil
		}
		if stopped && seeds == nil {
			return nil
		}
	}
}

// take pops up to one chunk of items (one item when the consumer has
// several workers) and counts them as in flight.
func (f *Frontier[T]) take() ([]T, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := min(f.q.Len(), f.out.info.chunkMax())
	if n == 0 {
		return nil, nil
	}
	held := make([]T, 0, n)
	for range n {
		v, ok, err := f.q.Pop()
		if err != nil {
			f.handed += int64(len(held))
			return held, fmt.Errorf("pipeline: frontier %q: queue: %w", f.s.name, err)
		}
		if !ok {
			break
		}
		held = append(held, v)
	}
	f.handed += int64(len(held))
	return held, nil
}

// seed queues a chunk of seeds and clears it, so the chunk's arena does
// not keep them alive.
func (f *Frontier[T]) seed(chunk []T) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i, v := range chunk {
		f.s.stats.in.Add(1)
		ok, err := f.q.Push(v)
		if err != nil {
			f.s.stats.failed.Add(1)
			return fmt.Errorf("pipeline: frontier %q: queue: %w", f.s.name, err)
		}
		if !ok {
			f.s.stats.filtered.Add(1)
		}
		var zero T
		chunk[i] = zero
	}
	return nil
}

// finished reports, and records, that the crawl is over: the queue is
// empty and nothing is in flight (the caller knows the seeds are done).
func (f *Frontier[T]) finished() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.q.Len() > 0 || f.handed > 0 {
		return false
	}
	f.closed = true
	return true
}

// close marks the output closed and counts what stays behind as dropped:
// the queue's items and those taken but not handed on.
func (f *Frontier[T]) close(held int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.closed {
		f.closed = true
	}
	f.s.stats.dropped.Add(int64(f.q.Len() + held))
}
