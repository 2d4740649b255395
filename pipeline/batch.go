package pipeline

import (
	"context"
	"fmt"
	"time"
)

// Batch adds a stage that groups items into slices of at most maxSize,
// emitting a batch when it is full, when maxWait has passed since its first
// item (maxWait 0: no time limit), and at the end of input. maxSize < 1 or
// maxWait < 0 panics. Batch runs one goroutine.
func Batch[T any](p *Pipeline, name string, in Stream[T], maxSize int, maxWait time.Duration, opts ...StageOption) Stream[[]T] {
	if maxSize < 1 || maxWait < 0 {
		panic(fmt.Sprintf("pipeline: Batch %q: need maxSize >= 1 and maxWait >= 0, got %d and %v", name, maxSize, maxWait))
	}
	cfg := newStageConfig(name, opts)
	cfg.noWorkers("Batch", name)
	info := in.check(p, "batch", name)
	s := p.addStage(name, "batch", cfg, []*streamInfo{info})
	out := newStream[[]T](p, s, "")
	s.run = func(ctx context.Context, l lane, r *runner) {
		r.spawn(s, 1, func(int) error {
			(&batcher[T]{l: l, s: s, in: in.e.ch, out: out.e.ch, size: maxSize, wait: maxWait}).run()
			return nil
		}, func() error { close(out.e.ch); return nil })
	}
	return out
}

type batcher[T any] struct {
	l     lane
	s     *stage
	in    <-chan []T
	out   chan<- [][]T
	size  int
	wait  time.Duration
	buf   []T
	timer *time.Timer
}

func (b *batcher[T]) run() {
	b.timer = time.NewTimer(time.Hour)
	b.timer.Stop()
	defer b.timer.Stop()
	for {
		select {
		case chunk, ok := <-b.in:
			if !ok {
				b.flush()
				return
			}
			if !b.addAll(chunk) {
				return
			}
		case <-b.timer.C:
			if !b.flush() {
				return
			}
		case <-b.l.done:
			b.s.stats.dropped.Add(int64(len(b.buf)))
			return
		}
	}
}

// addAll adds a chunk's items, cutting a batch whenever one is full. It
// reports false when the run ended.
func (b *batcher[T]) addAll(chunk []T) bool {
	for i, v := range chunk {
		var zero T
		chunk[i] = zero
		b.s.stats.in.Add(1)
		if b.buf == nil {
			b.buf = make([]T, 0, b.size)
			if b.wait > 0 {
				b.timer.Reset(b.wait)
			}
		}
		b.buf = append(b.buf, v)
		if len(b.buf) == b.size && !b.flush() {
			b.s.stats.in.Add(int64(len(chunk) - i - 1))
			b.s.stats.dropped.Add(int64(len(chunk) - i - 1))
			return false
		}
	}
	return true
}

// flush sends the batch being filled, if any, as a chunk of its own (a
// batch is already many items).
func (b *batcher[T]) flush() bool {
	b.timer.Stop()
	n := int64(len(b.buf))
	if n == 0 {
		return true
	}
	if !send(b.l, b.out, [][]T{b.buf}) {
		b.s.stats.dropped.Add(n)
		return false
	}
	b.s.stats.out.Add(n)
	b.s.stats.emitted.Add(1)
	b.buf = nil
	return true
}
