package pipeline

import (
	"context"
	"fmt"
	"time"
)

// step runs user code for one item and hands its outputs to emit.
type step[In, Out any] func(ctx context.Context, v In, emit func(Out) error) error

// Map adds a stage that turns each item into exactly one output by calling
// fn. A [Skip] error drops the item as a per-item failure; any other error
// is fatal. With Workers(n), fn runs on n goroutines at once.
func Map[In, Out any](p *Pipeline, name string, in Stream[In], fn func(ctx context.Context, v In) (Out, error), opts ...StageOption) Stream[Out] {
	if fn == nil {
		panic(fmt.Sprintf("pipeline: Map %q: nil func", name))
	}
	var s *stage
	do := func(ctx context.Context, v In, emit func(Out) error) error {
		t0 := time.Now()
		o, err := fn(ctx, v)
		s.stats.busy.Add(int64(time.Since(t0)))
		if err != nil {
			return err
		}
		return emit(o)
	}
	s, out := transform(p, "map", name, in, do, opts)
	return out
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
	do := func(ctx context.Context, v In, emit func(Out) error) error {
		t0 := time.Now()
		err := fn(ctx, v, emit)
		s.stats.busy.Add(int64(time.Since(t0)))
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
	do := func(ctx context.Context, v T, emit func(T) error) error {
		t0 := time.Now()
		ok, err := keep(ctx, v)
		s.stats.busy.Add(int64(time.Since(t0)))
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
	out := newStream[Out](p, s, "")
	s.run = func(ctx context.Context, l lane, r *runner) {
		if cfg.ordered {
			runOrdered(ctx, l, r, s, in.ch, out.ch, do)
			return
		}
		r.spawn(s, cfg.workers, func(int) error {
			return work(ctx, l, r, s, in.ch, out.ch, do)
		}, func() error { close(out.ch); return nil })
	}
	return s, out
}

// work is one unordered worker: it takes items until the input closes or
// the run ends, and emits each item's outputs as they come.
func work[In, Out any](ctx context.Context, l lane, r *runner, s *stage, in <-chan In, out chan<- Out, do step[In, Out]) error {
	var n int
	emit := func(o Out) error {
		if !send(l, out, o) {
			return context.Cause(ctx)
		}
		n++
		s.stats.emitted.Add(1)
		return nil
	}
	for {
		v, ok := recv(l, in)
		if !ok {
			return nil
		}
		s.stats.in.Add(1)
		n = 0
		if err := do(ctx, v, emit); err != nil {
			stop, fatal := r.outcome(ctx, s, v, err)
			if stop {
				return fatal
			}
			continue
		}
		if n > 0 {
			s.stats.out.Add(1)
		} else {
			s.stats.filtered.Add(1)
		}
	}
}
