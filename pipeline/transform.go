package pipeline

import (
	"context"
	"fmt"
)

// step runs user code for one item and hands its outputs to emit.
type step[In, Out any] func(ctx context.Context, v In, emit func(Out) error, clk *busyClock) error

// Map adds a stage that turns each item into exactly one output by calling
// fn. A [Skip] error drops the item as a per-item failure; any other error
// is fatal. With Workers(n), fn runs on n goroutines at once.
func Map[In, Out any](p *Pipeline, name string, in Stream[In], fn func(ctx context.Context, v In) (Out, error), opts ...StageOption) Stream[Out] {
	if fn == nil {
		panic(fmt.Sprintf("pipeline: Map %q: nil func", name))
	}
	var s *stage
	do := func(ctx context.Context, v In, emit func(Out) error, clk *busyClock) error {
		t0 := clk.start()
		o, err := fn(ctx, v)
		clk.stop(t0, &s.stats.busy)
		if err != nil {
			return err
		}
		return emit(o)
	}
	s, out := transform(p, "map", name, in, do, opts)
	if !s.cfg.ordered {
		s.run = func(ctx context.Context, l lane, r *runner) {
			r.spawn(s, s.cfg.workers, func(int) error {
				return mapWork(ctx, l, r, s, in, out, fn)
			}, func() error { close(out.e.ch); return nil })
		}
	}
	return out
}

// mapWork is an unordered Map worker: work without the step indirection,
// since Map is the most common stage. The worker loops here, in sink.go and
// in fanout.go repeat their bookkeeping on purpose: gathering it into a
// shared worker struct moved the tally and clock off registers and cost
// ~20% on the five-Map benchmark.
func mapWork[In, Out any](ctx context.Context, l lane, r *runner, s *stage, in Stream[In], out Stream[Out], fn func(context.Context, In) (Out, error)) error {
	var clk busyClock
	t := tally{c: &s.stats}
	ob := newOutbox(out)
	ib := inbox[In]{ch: in.e.ch}
	idle := func() { t.flush(); ob.flush(l) }
	defer idle()
	for {
		v, ok := ib.next(l, idle)
		if !ok {
			return nil
		}
		t.item(clk.slow())
		t0 := clk.start()
		o, err := fn(ctx, v)
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
		if !ob.put(l, o, clk.slow()) {
			t.dropped++
			return nil
		}
		t.out++
		t.emitted++
		t.done(clk.slow())
	}
}

// FlatMap adds a stage that turns each item into zero or more outputs:
// fn calls emit for each output. emit returns an error when the run is
// ending; fn should then return it. An item for which fn emits nothing
// counts as filtered. A [Skip] error drops the item as a per-item failure
// (outputs already emitted for it stay emitted); any other error is fatal.
// Busy time includes time fn spends blocked in emit.
func FlatMap[In, Out any](p *Pipeline, name string, in Stream[In], fn func(ctx context.Context, v In, emit func(Out) error) error, opts ...StageOption) Stream[Out] {
	if fn == nil {
		panic(fmt.Sprintf("pipeline: FlatMap %q: nil func", name))
	}
	var s *stage
	do := func(ctx context.Context, v In, emit func(Out) error, clk *busyClock) error {
		t0 := clk.start()
		err := fn(ctx, v, emit)
		clk.stop(t0, &s.stats.busy)
		return err
	}
	s, out := transform(p, "flatmap", name, in, do, opts)
	return out
}

// Filter adds a stage that passes on the items for which keep returns true
// and counts the others as filtered. Errors are handled as in [Map].
func Filter[T any](p *Pipeline, name string, in Stream[T], keep func(ctx context.Context, v T) (bool, error), opts ...StageOption) Stream[T] {
	if keep == nil {
		panic(fmt.Sprintf("pipeline: Filter %q: nil func", name))
	}
	var s *stage
	do := func(ctx context.Context, v T, emit func(T) error, clk *busyClock) error {
		t0 := clk.start()
		ok, err := keep(ctx, v)
		clk.stop(t0, &s.stats.busy)
		if err != nil || !ok {
			return err
		}
		return emit(v)
	}
	s, out := transform(p, "filter", name, in, do, opts)
	return out
}

// transform adds a Map/FlatMap/Filter stage running do on each item.
func transform[In, Out any](p *Pipeline, kind, name string, in Stream[In], do step[In, Out], opts []StageOption) (*stage, Stream[Out]) {
	cfg := newStageConfig(name, opts)
	info := in.check(p, kind, name)
	s := p.addStage(name, kind, cfg, []*streamInfo{info})
	s.stats.gauge = !cfg.ordered
	out := newStream[Out](p, s, "")
	s.run = func(ctx context.Context, l lane, r *runner) {
		if cfg.ordered {
			runOrdered(ctx, l, r, s, in, out, do)
			return
		}
		r.spawn(s, cfg.workers, func(int) error {
			return work(ctx, l, r, s, in, out, do)
		}, func() error { close(out.e.ch); return nil })
	}
	return s, out
}

// work is one unordered worker: it takes items until the input closes or
// the run ends, and emits each item's outputs as they come.
func work[In, Out any](ctx context.Context, l lane, r *runner, s *stage, in Stream[In], out Stream[Out], do step[In, Out]) error {
	var n int
	var clk busyClock
	t := tally{c: &s.stats}
	ob := newOutbox(out)
	ib := inbox[In]{ch: in.e.ch}
	idle := func() { t.flush(); ob.flush(l) }
	defer idle()
	emit := func(o Out) error {
		if !ob.put(l, o, clk.slow()) {
			return context.Cause(ctx)
		}
		n++
		t.emitted++
		return nil
	}
	for {
		v, ok := ib.next(l, idle)
		if !ok {
			return nil
		}
		t.item(clk.slow())
		n = 0
		err := do(ctx, v, emit, &clk)
		t.returned()
		if err != nil {
			t.flush()
			stop, fatal := r.outcome(ctx, s, v, err)
			if stop {
				return fatal
			}
			continue
		}
		if n > 0 {
			t.out++
		} else {
			t.filtered++
		}
		t.done(clk.slow())
	}
}
