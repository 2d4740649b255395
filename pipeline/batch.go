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
			batcher[T]{l: l, s: s, in: in.ch, out: newOutbox(out), size: maxSize, wait: maxWait}.run()
			return nil
		}, func() error { close(out.ch); return nil })
	}
	return out
}

type batcher[T any] struct {
	l    lane
	s    *stage
	in   <-chan []T
	out  *outbox[[]T]
	size int
	wait time.Duration
}

func (b batcher[T]) run() {
	var buf []T
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	defer timer.Stop()
	flush := func() bool {
		timer.Stop()
		if len(buf) == 0 {
			return true
		}
		n := int64(len(buf))
		if !b.out.put(b.l, buf) {
			b.s.stats.dropped.Add(n)
			return false
		}
		if _, ok := b.out.flush(b.l); !ok {
			return false
		}
		b.s.stats.out.Add(n)
		b.s.stats.emitted.Add(1)
		buf = nil
		return true
	}
	for {
		select {
		case chunk, ok := <-b.in:
			if !ok {
				flush()
				return
			}
			for i, v := range chunk {
				var zero T
				chunk[i] = zero
				b.s.stats.in.Add(1)
				if buf == nil {
					buf = make([]T, 0, b.size)
					if b.wait > 0 {
						timer.Reset(b.wait)
					}
				}
				buf = append(buf, v)
				if len(buf) == b.size && !flush() {
					b.s.stats.dropped.Add(int64(len(chunk) - i - 1))
					return
				}
			}
		case <-timer.C:
			if !flush() {
				return
			}
		case <-b.l.done:
			b.s.stats.dropped.Add(int64(len(buf)))
			return
		}
	}
}
