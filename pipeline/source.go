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
	out *outbox[T]
	t   tally
	// counted is how many of out's sent items are tallied.
	counted int64
}

// Emit hands v downstream, waiting while downstream is full. It returns a
// non-nil error when the source must stop: the run was cancelled or Stop was
// called. The source function should then return that error; the engine
// knows a stop from a failure.
//
// While the next stage is busy, Emit may hold up to 64 items to send them
// together; they go out with a later Emit, when the source function
// returns, or at Flush. A source that may wait a long time for its next
// item (a socket, a terminal) calls Flush before it waits. Items are
// counted when they are sent. An item handed to Emit is delivered unless
// the run is cancelled: after Stop, Emit returns an error but what it held,
// including v, still goes downstream when the source function returns.
func (e *Emitter[T]) Emit(v T) error {
	if !e.out.put(e.l, v, false) {
		return context.Cause(e.ctx)
	}
	e.count()
	return nil
}

// EmitSlice hands every item of vs downstream in order, as Emit would one
// by one, but without copying them: where the next stage takes items in
// chunks, vs itself travels in chunks of up to 64 cut from it in place.
// The emitter owns vs from the call on; the caller must not read or write
// it again (the next stage clears each slot it takes). Items Emit held go
// first. A source that builds its items in batches, such as a parallel
// parser, hands each batch over with one call. The result is Emit's.
func (e *Emitter[T]) EmitSlice(vs []T) error {
	if !e.out.putAll(e.l, vs) {
		return context.Cause(e.ctx)
	}
	e.count()
	return nil
}

// Flush sends the items Emit holds, waiting while downstream is full.
func (e *Emitter[T]) Flush() error {
	if _, ok := e.out.flush(e.l); !ok {
		return context.Cause(e.ctx)
	}
	e.count()
	return nil
}

// count tallies the items the outbox has sent since the last count.
func (e *Emitter[T]) count() {
	n := e.out.sent - e.counted
	if n == 0 {
		return
	}
	e.counted = e.out.sent
	e.t.in += n
	e.t.out += n
	e.t.emitted += n
	if e.t.pending += int(n); e.t.pending >= tallyBatch {
		e.t.flush()
	}
}

// Skip records input (such as a malformed row) as a per-item failure of the
// source: it is counted and handed to the failure handler with err, which
// should say what was wrong and where (a line number). A non-nil result
// means the source must stop — the failure handler failed, or the run was
// cancelled or stopped — and the source should return it.
func (e *Emitter[T]) Skip(input any, err error) error {
	if e.ctx.Err() != nil {
		return context.Cause(e.ctx)
	}
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
			e := &Emitter[T]{ctx: ctx, l: l, s: s, r: r, out: newOutbox(out), t: tally{c: &s.stats}}
			err := fn(ctx, e)
			e.out.flush(r.runLane) // held items go out even after Stop
			e.count()
			e.t.flush()
			if err != nil && ctx.Err() != nil {
				return nil // stopped or cancelled; a cancel's cause is recorded already
			}
			return err
		}, func() error { close(out.e.ch); return nil })
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
			v, ok := recvOrIdle(e.l, ch, func() { _ = e.Flush() })
			if !ok {
				return ctx.Err()
			}
			if err := e.Emit(v); err != nil {
				return err
			}
		}
	}, opts...)
}
