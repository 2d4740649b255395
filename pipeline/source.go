package pipeline

import (
	"context"
	"fmt"
	"iter"
)

// Emitter is what a source function gets to hand items to the pipeline.
// It is valid only during the source function's call.
type Emitter[T any] struct {
	ctx context.Context
	l   lane
	s   *stage
	r   *runner
	out chan<- T
	t   tally
}

// Emit sends v downstream, waiting while downstream is busy. It returns a
// non-nil error when the source must stop: the run was cancelled or Stop was
// called. The source function should then return that error; the engine
// knows a stop from a failure. An item Emit could not send was never in the
// pipeline and is not counted.
func (e *Emitter[T]) Emit(v T) error {
	if !send(e.l, e.out, v) {
		return context.Cause(e.ctx)
	}
	e.t.in++
	e.t.out++
	e.t.emitted++
	e.t.done(false)
	return nil
}

// Skip records input (such as a malformed row) as a per-item failure of the
// source: it is counted and handed to the failure handler with err, which
// should say what was wrong and where (a line number). A non-nil result
// means the failure handler failed; the source should return it.
func (e *Emitter[T]) Skip(input any, err error) error {
	e.t.flush()
	e.s.stats.in.Add(1)
	return e.r.skip(e.ctx, e.s, input, Skip(err))
}

// Source adds a stage that produces items by calling fn once. fn calls
// e.Emit for each item and returns when it is done (nil), when Emit fails
// (return Emit's error), or with an error, which is fatal. fn's context
// ends when the run is cancelled or [Pipeline.Stop] is called (unless the
// source is marked [Inner]).
func Source[T any](p *Pipeline, name string, fn func(ctx context.Context, e *Emitter[T]) error, opts ...StageOption) Stream[T] {
	cfg := newStageConfig(name, opts)
	cfg.noWorkers("Source", name)
	if fn == nil {
		panic(fmt.Sprintf("pipeline: Source %q: nil func", name))
	}
	s := p.addStage(name, "source", cfg, nil)
	s.source = !cfg.inner
	out := newStream[T](p, s, "")
	s.run = func(ctx context.Context, l lane, r *runner) {
		r.spawn(s, 1, func(int) error {
			e := &Emitter[T]{ctx: ctx, l: l, s: s, r: r, out: out.ch, t: tally{c: &s.stats}}
			err := fn(ctx, e)
			e.t.flush()
			if err != nil && ctx.Err() != nil {
				return nil // stopped or cancelled; a cancel's cause is recorded already
			}
			return err
		}, func() error { close(out.ch); return nil })
	}
	return out
}

// FromSeq adds a source stage that emits every value of seq.
func FromSeq[T any](p *Pipeline, name string, seq iter.Seq[T], opts ...StageOption) Stream[T] {
	if seq == nil {
		panic(fmt.Sprintf("pipeline: FromSeq %q: nil iter.Seq", name))
	}
	return Source(p, name, func(ctx context.Context, e *Emitter[T]) error {
		for v := range seq {
			if err := e.Emit(v); err != nil {
				return err
			}
		}
		return nil
	}, opts...)
}

// FromSlice adds a source stage that emits the values of items in order.
func FromSlice[T any](p *Pipeline, name string, items []T, opts ...StageOption) Stream[T] {
	return Source(p, name, func(ctx context.Context, e *Emitter[T]) error {
		for _, v := range items {
			if err := e.Emit(v); err != nil {
				return err
			}
		}
		return nil
	}, opts...)
}

// FromChan adds a source stage that emits what it receives from ch until ch
// is closed or the run ends. The caller owns ch and must close it to end the
// stream.
func FromChan[T any](p *Pipeline, name string, ch <-chan T, opts ...StageOption) Stream[T] {
	if ch == nil {
		panic(fmt.Sprintf("pipeline: FromChan %q: nil channel", name))
	}
	return Source(p, name, func(ctx context.Context, e *Emitter[T]) error {
		for {
			v, ok := recv(e.l, ch)
			if !ok {
				return ctx.Err()
			}
			if err := e.Emit(v); err != nil {
				return err
			}
		}
	}, opts...)
}
