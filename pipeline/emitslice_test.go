package pipeline_test

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/sluicehq/sluice/pipeline"
	"github.com/sluicehq/sluice/pipeline/pipelinetest"
)

// emitMixed emits 0..n-1 through a mix of Emit and EmitSlice calls whose
// lengths cross the 64-item chunk size, and returns what it emitted.
func emitMixed(e *pipeline.Emitter[int]) (int, error) {
	next := 0
	for _, size := range []int{1, 0, 63, 64, 65, 200, 3, 1000, 129} {
		if err := e.Emit(next); err != nil {
			return next, err
		}
		next++
		batch := make([]int, size)
		for i := range batch {
			batch[i] = next
			next++
		}
		if err := e.EmitSlice(batch); err != nil {
			return next, err
		}
	}
	return next, nil
}

// TestEmitSlice: items handed over with EmitSlice arrive once each, in
// order where the consumer has one worker, and are counted like Emit's,
// both on a chunking edge (one consumer worker) and on an edge of single
// items (a consumer with several workers).
func TestEmitSlice(t *testing.T) {
	for _, workers := range []int{1, 4} {
		t.Run(map[int]string{1: "chunked", 4: "single-items"}[workers], func(t *testing.T) {
			p := pipeline.New()
			var emitted int
			src := pipeline.Source(p, "src", func(_ context.Context, e *pipeline.Emitter[int]) (err error) {
				emitted, err = emitMixed(e)
				return err
			})
			double := pipeline.Map(p, "double", src, func(_ context.Context, v int) (int, error) {
				return 2 * v, nil
			}, pipeline.Workers(workers))
			var mu sync.Mutex
			var got []int
			pipeline.Sink(p, "sink", double, pipeline.WriterFunc[int](func(_ context.Context, v int) error {
				mu.Lock()
				got = append(got, v)
				mu.Unlock()
				return nil
			}))
			if err := pipelinetest.Run(t, p, 20*time.Second); err != nil {
				t.Fatal(err)
			}
			if workers > 1 {
				slices.Sort(got)
			}
			if len(got) != emitted {
				t.Fatalf("sink got %d items, source emitted %d", len(got), emitted)
			}
			for i, v := range got {
				if v != 2*i {
					t.Fatalf("item %d is %d, want %d", i, v, 2*i)
				}
			}
			st := p.Stats()[0]
			if st.Emitted != int64(emitted) || st.Out != int64(emitted) {
				t.Errorf("source stats: emitted %d, out %d; want %d", st.Emitted, st.Out, emitted)
			}
		})
	}
}

// TestEmitSliceCancelled: once the run is cancelled, EmitSlice returns
// the cause rather than waiting on a consumer that has gone.
func TestEmitSliceCancelled(t *testing.T) {
	p := pipeline.New()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	errc := make(chan error, 1)
	src := pipeline.Source(p, "src", func(ctx context.Context, e *pipeline.Emitter[int]) error {
		for {
			if err := e.EmitSlice(make([]int, 100)); err != nil {
				errc <- err
				return err
			}
		}
	})
	pipeline.Sink(p, "sink", src, pipeline.WriterFunc[int](func(context.Context, int) error {
		cancel()
		<-ctx.Done()
		return nil
	}))
	runCtx, stop := context.WithTimeout(ctx, 20*time.Second)
	defer stop()
	if err := p.Run(runCtx); err == nil {
		t.Fatal("Run returned nil after cancel")
	}
	if runCtx.Err() == context.DeadlineExceeded {
		t.Fatal("the run outlived its cancel by 20 s")
	}
	select {
	case err := <-errc:
		if err == nil {
			t.Fatal("EmitSlice returned nil after cancel")
		}
	default:
		t.Fatal("the source did not see its EmitSlice fail")
	}
}
