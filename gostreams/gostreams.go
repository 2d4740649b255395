package gostreams

import (
	"context"
	"fmt"
	"reflect"

	streams "github.com/reugn/go-streams"
	"github.com/reugn/go-streams/extension"

	"github.com/sluicehq/sluice/pipeline"
)

// TypeError is the per-item failure for an element of the wrong type
// coming out of go-streams.
type TypeError struct {
	Got  any
	Want reflect.Type
}

// Error says which type came and which was wanted.
func (e *TypeError) Error() string {
	return fmt.Sprintf("gostreams: element of type %T (%v), want %v", e.Got, e.Got, e.Want)
}

// inlet is a pipeline.Writer that feeds a go-streams Inlet and closes its
// input channel exactly once, which tells go-streams the input is done.
type inlet[T any] struct {
	in    chan<- any
	after func()
}

func (w inlet[T]) Write(ctx context.Context, v T) error {
	select {
	case w.in <- v:
		return nil
	case <-ctx.Done():
		return context.Cause(ctx)
	}
}

func (w inlet[T]) Close(context.Context) error {
	close(w.in)
	if w.after != nil {
		w.after()
	}
	return nil
}

// Via runs flow inside the pipeline: the items of in go into flow, and what
// flow emits comes out as the returned stream, checked to be of type Out.
// It adds two stages: name+".in" writes into the flow, name reads from it.
// flow's input is closed exactly once when in ends or the run ends, and
// its output is read to the end, so flow's goroutines finish before Run
// returns.
func Via[In, Out any](p *pipeline.Pipeline, name string, in pipeline.Stream[In], flow streams.Flow) pipeline.Stream[Out] {
	pipeline.Sink(p, name+".in", in, inlet[In]{in: flow.In()})
	return drain[Out](p, name, flow.Out(), true)
}

// FromSource adds a source stage that emits what the go-streams outlet (a
// Source or a Flow) emits, checked to be of type T. It stops reading when
// the outlet's channel closes or the run ends; goroutines of the outlet are
// its own.
func FromSource[T any](p *pipeline.Pipeline, name string, src streams.Outlet) pipeline.Stream[T] {
	return drain[T](p, name, src.Out(), false)
}

func drain[T any](p *pipeline.Pipeline, name string, out <-chan any, toEnd bool) pipeline.Stream[T] {
	var opts []pipeline.StageOption
	if toEnd {
		opts = append(opts, pipeline.Inner())
	}
	want := reflect.TypeFor[T]()
	return pipeline.Source(p, name, func(ctx context.Context, e *pipeline.Emitter[T]) error {
		for {
			x, ok, err := take(ctx, e, out)
			if err != nil {
				if toEnd {
					discard(out)
				}
				return err
			}
			if !ok {
				return nil
			}
			v, typed := x.(T)
			if !typed {
				if err := e.Skip(x, &TypeError{Got: x, Want: want}); err != nil {
					return err
				}
				continue
			}
			if err := e.Emit(v); err != nil {
				if toEnd {
					discard(out)
				}
				return err
			}
		}
	}, opts...)
}

// take receives the next element of out; before it waits, it flushes what
// the emitter holds so nothing sits behind a slow go-streams operator.
func take[T any](ctx context.Context, e *pipeline.Emitter[T], out <-chan any) (any, bool, error) {
	select {
	case x, ok := <-out:
		return x, ok, nil
	default:
	}
	if err := e.Flush(); err != nil {
		return nil, false, err
	}
	select {
	case x, ok := <-out:
		return x, ok, nil
	case <-ctx.Done():
		return nil, false, ctx.Err()
	}
}

// discard reads out to its end after the run was cancelled, so the flow's
// goroutines, whose input is being closed, can finish.
func discard(out <-chan any) {
	for range out {
	}
}

// ToSink adds a sink stage that writes the items of in into a go-streams
// sink; at the end it closes the sink's input and waits for the sink to
// complete.
func ToSink[T any](p *pipeline.Pipeline, name string, in pipeline.Stream[T], sink streams.Sink) {
	pipeline.Sink(p, name, in, inlet[T]{in: sink.In(), after: sink.AwaitCompletion})
}

// AsSource adds a sink stage that hands the items of in to go-streams, and
// returns the go-streams Source they come out of. buffer is the capacity of
// the channel between them. The channel is closed when in ends or the run
// ends; the go-streams side must read it, or the pipeline blocks.
func AsSource[T any](p *pipeline.Pipeline, name string, in pipeline.Stream[T], buffer int) streams.Source {
	ch := make(chan any, buffer)
	pipeline.Sink(p, name, in, inlet[T]{in: ch})
	return extension.NewChanSource(ch)
}
