package pipeline

import (
	"context"
	"fmt"
	"sync"
)

// Writer is the end of a pipeline: Write is called for each item, and Close
// exactly once when the input is done or the run ends, whichever way it
// ends, to flush and release what the writer holds. Close gets a context
// that is not cancelled, so it can flush after a fatal error.
//
// With Workers(n), Write is called from n goroutines at once.
type Writer[T any] interface {
	Write(ctx context.Context, v T) error
	Close(ctx context.Context) error
}

// WriterFunc adapts a function to a [Writer] whose Close does nothing.
type WriterFunc[T any] func(ctx context.Context, v T) error

// Write calls f(ctx, v).
func (f WriterFunc[T]) Write(ctx context.Context, v T) error { return f(ctx, v) }

// Close does nothing and returns nil.
func (f WriterFunc[T]) Close(context.Context) error { return nil }

// Sink adds a stage that writes every item of in to w. A [Skip] error from
// Write drops the item as a per-item failure; any other error, and any
// error from Close, is fatal. Run closes w exactly once, also when the run
// fails before it starts.
func Sink[T any](p *Pipeline, name string, in Stream[T], w Writer[T], opts ...StageOption) {
	if w == nil {
		panic(fmt.Sprintf("pipeline: Sink %q: nil Writer", name))
	}
	cfg := newStageConfig(name, opts)
	if cfg.setOrdered {
		panic(fmt.Sprintf("pipeline: Sink %q: Ordered is not supported; use Workers(1) to write in order", name))
	}
	info := in.check(p, "sink", name)
	s := p.addStage(name, "sink", cfg, []*streamInfo{info})
	s.stats.gauge = true
	var once sync.Once
	s.closeSink = func(ctx context.Context) (err error) {
		once.Do(func() { err = w.Close(ctx) })
		return err
	}
	s.run = func(ctx context.Context, l lane, r *runner) {
		r.spawn(s, cfg.workers, func(int) error {
			return writeAll(ctx, l, r, s, in, w)
		}, func() error { return s.closeSink(context.WithoutCancel(ctx)) })
	}
}

func writeAll[T any](ctx context.Context, l lane, r *runner, s *stage, in Stream[T], w Writer[T]) error {
	var clk busyClock
	t := tally{c: &s.stats}
	defer t.flush()
	ib := inbox[T]{ch: in.e.ch}
	for {
		v, ok := ib.next(l, t.flush)
		if !ok {
			return nil
		}
		t.item(clk.slow())
		t0 := clk.start()
		err := w.Write(ctx, v)
		clk.stop(t0, &s.stats.busy)
		t.returned()
		if err != nil {
			t.flush()
			stop, fatal := r.outcome(ctx, s, v, err)
			if stop {
				return fatal
			}
			continue
		}
		t.out++
		t.done(clk.slow())
	}
}
