package pipeline_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/sluicehq/sluice/pipeline"
	"github.com/sluicehq/sluice/pipeline/pipelinetest"
)

func ints(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = i
	}
	return s
}

// TestMatrix runs Map → Filter → FlatMap over Workers(1|8) × ordered or not
// and checks the outputs, their order where promised, and the accounting.
func TestMatrix(t *testing.T) {
	for _, workers := range []int{1, 8} {
		for _, ordered := range []bool{false, true} {
			t.Run(fmt.Sprintf("workers=%d/ordered=%v", workers, ordered), func(t *testing.T) {
				opts := []pipeline.StageOption{pipeline.Workers(workers)}
				if ordered {
					opts = append(opts, pipeline.Ordered())
				}
				p := pipeline.New()
				src := pipeline.FromSlice(p, "src", ints(1000))
				sq := pipeline.Map(p, "square", src, func(_ context.Context, v int) (int, error) { return v * v, nil }, opts...)
				even := pipeline.Filter(p, "even", sq, func(_ context.Context, v int) (bool, error) { return v%2 == 0, nil }, opts...)
				twice := pipeline.FlatMap(p, "twice", even, func(_ context.Context, v int, emit func(int) error) error {
					if err := emit(v); err != nil {
						return err
					}
					return emit(-v)
				}, opts...)
				got := pipelinetest.Collect(p, "sink", twice)
				if err := pipelinetest.Run(t, p, 10*time.Second); err != nil {
					t.Fatal(err)
				}
				var want []int
				for i := 0; i < 1000; i += 2 {
					want = append(want, i*i, -i*i)
				}
				items := got.Items()
				if !ordered && workers > 1 {
					slices.Sort(items)
					slices.Sort(want)
				}
				if !slices.Equal(items, want) {
					t.Fatalf("got %d items, want %d; first %v", len(items), len(want), items[:min(6, len(items))])
				}
				pipelinetest.CheckAccounting(t, p)
				st := stats(p)
				if st["even"].Filtered != 500 || st["twice"].Emitted != 1000 || st["sink"].In != 1000 {
					t.Fatalf("stats: %+v", p.Stats())
				}
				if got.Closes() != 1 {
					t.Fatalf("sink closed %d times", got.Closes())
				}
			})
		}
	}
}

func stats(p *pipeline.Pipeline) map[string]pipeline.StageStats {
	m := map[string]pipeline.StageStats{}
	for _, s := range p.Stats() {
		m[s.Name] = s
	}
	return m
}

// TestOrderedRandomDelays: 8 workers with random per-item delays still emit
// in input order.
func TestOrderedRandomDelays(t *testing.T) {
	p := pipeline.New()
	src := pipeline.FromSlice(p, "src", ints(300))
	slow := pipeline.Map(p, "slow", src, func(ctx context.Context, v int) (int, error) {
		select {
		case <-time.After(time.Duration(rand.IntN(2000)) * time.Microsecond):
		case <-ctx.Done():
			return 0, ctx.Err()
		}
		return v, nil
	}, pipeline.Workers(8), pipeline.Ordered())
	got := pipelinetest.Collect(p, "sink", slow)
	if err := pipelinetest.Run(t, p, 20*time.Second); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got.Items(), ints(300)) {
		t.Fatalf("order broken: %v", got.Items()[:20])
	}
}

// infinite is a source that never ends on its own.
func infinite(p *pipeline.Pipeline) pipeline.Stream[int] {
	return pipeline.Source(p, "forever", func(ctx context.Context, e *pipeline.Emitter[int]) error {
		for i := 0; ; i++ {
			if err := e.Emit(i); err != nil {
				return err
			}
		}
	})
}

func TestCancelMidRun(t *testing.T) {
	for _, ordered := range []bool{false, true} {
		t.Run(fmt.Sprint("ordered=", ordered), func(t *testing.T) {
			opts := []pipeline.StageOption{pipeline.Workers(4)}
			if ordered {
				opts = append(opts, pipeline.Ordered())
			}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			p := pipeline.New()
			m := pipeline.Map(p, "id", infinite(p), func(_ context.Context, v int) (int, error) { return v, nil }, opts...)
			n := 0
			pipeline.Sink(p, "sink", m, pipeline.WriterFunc[int](func(context.Context, int) error {
				if n++; n == 1000 {
					cancel()
				}
				return nil
			}))
			done := make(chan error, 1)
			go func() { done <- p.Run(ctx) }()
			var err error
			select {
			case err = <-done:
			case <-time.After(10 * time.Second): // a bound on a hang, not a timing check
				t.Fatalf("Run did not return after the cancel; stats: %+v", p.Stats())
			}
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("Run = %v, want context.Canceled", err)
			}
			pipelinetest.CheckAccounting(t, p)
		})
	}
}

// TestFatalWorkerInfiniteSource: one of 8 workers fails while the source
// never ends; Run must return that error, not deadlock.
func TestFatalWorkerInfiniteSource(t *testing.T) {
	boom := errors.New("boom")
	p := pipeline.New()
	m := pipeline.Map(p, "explode", infinite(p), func(_ context.Context, v int) (int, error) {
		if v == 500 {
			return 0, boom
		}
		return v, nil
	}, pipeline.Workers(8))
	c := pipelinetest.Collect(p, "sink", m)
	err := pipelinetest.Run(t, p, 10*time.Second)
	var se *pipeline.StageError
	if !errors.Is(err, boom) || !errors.As(err, &se) || se.Stage != "explode" {
		t.Fatalf("Run = %v, want boom from stage explode", err)
	}
	if c.Closes() != 1 {
		t.Fatalf("sink closed %d times", c.Closes())
	}
	pipelinetest.CheckAccounting(t, p)
	if stats(p)["explode"].Failed < 1 {
		t.Fatal("failing item not counted")
	}
}

func TestPanicInWorker(t *testing.T) {
	p := pipeline.New()
	m := pipeline.Map(p, "panicky", pipeline.FromSlice(p, "src", ints(100)), func(_ context.Context, v int) (int, error) {
		if v == 42 {
			panic(fmt.Sprintf("bad item %d", v))
		}
		return v, nil
	}, pipeline.Workers(4))
	c := pipelinetest.Collect(p, "sink", m)
	err := pipelinetest.Run(t, p, 10*time.Second)
	var pe *pipeline.PanicError
	if !errors.As(err, &pe) || pe.Stage != "panicky" || pe.Value != "bad item 42" || len(pe.Stack) == 0 {
		t.Fatalf("Run = %v, want *PanicError from panicky", err)
	}
	if c.Closes() != 1 {
		t.Fatalf("sink closed %d times", c.Closes())
	}
}

// TestConsumerStopsEarly: the sink has seen enough and calls Stop; the
// infinite source stops, what was read drains, and Run returns nil.
func TestConsumerStopsEarly(t *testing.T) {
	p := pipeline.New()
	m := pipeline.Map(p, "id", infinite(p), func(_ context.Context, v int) (int, error) { return v, nil }, pipeline.Workers(3))
	var got []int
	pipeline.Sink(p, "sink", m, pipeline.WriterFunc[int](func(_ context.Context, v int) error {
		if got = append(got, v); len(got) == 50 {
			p.Stop()
		}
		return nil
	}))
	if err := pipelinetest.Run(t, p, 10*time.Second); err != nil {
		t.Fatal(err)
	}
	st := stats(p)
	if len(got) < 50 || int64(len(got)) != st["forever"].Out {
		t.Fatalf("sink got %d items, source emitted %d: something read was lost", len(got), st["forever"].Out)
	}
	pipelinetest.CheckAccounting(t, p)
	for _, s := range p.Stats() {
		if s.Dropped != 0 {
			t.Fatalf("stage %s dropped %d items on a graceful stop", s.Name, s.Dropped)
		}
	}
}

// TestCancelShowingThroughAStage: when the caller cancels the run with a
// cause, a sink that then fails with the context's own error, and keeps
// failing with it when closed (as a committer's broken transaction does:
// "insert: context canceled"), has not failed: Run returns the cause.
func TestCancelShowingThroughAStage(t *testing.T) {
	stop := errors.New("stopped by the caller")
	ctx, cancel := context.WithCancelCause(context.Background())
	defer cancel(nil)
	p := pipeline.New()
	w := &stickyWriter{cancelAt: 100, cancel: func() { cancel(stop) }}
	pipeline.Sink(p, "sink", infinite(p), w)
	if err := p.Run(ctx); !errors.Is(err, stop) || w.err == nil {
		t.Fatalf("Run = %v (the sink's error %v), want the caller's cause", err, w.err)
	}
	pipelinetest.CheckAccounting(t, p)

	// A close that fails for a reason of its own is still a failure.
	disk := errors.New("disk full")
	ctx, cancel = context.WithCancelCause(context.Background())
	defer cancel(nil)
	p = pipeline.New()
	w = &stickyWriter{cancelAt: 100, cancel: func() { cancel(stop) }, closeErr: disk}
	pipeline.Sink(p, "sink", infinite(p), w)
	if err := p.Run(ctx); !errors.Is(err, disk) {
		t.Fatalf("Run = %v, want the close's own error", err)
	}
}

// stickyWriter cancels the run at its cancelAt-th write and fails that
// write with the context's error, which it keeps and returns from every
// later call, Close included (joined with closeErr).
type stickyWriter struct {
	n, cancelAt int
	cancel      func()
	err         error
	closeErr    error
}

func (w *stickyWriter) Write(ctx context.Context, _ int) error {
	if w.err != nil {
		return w.err
	}
	if w.n++; w.n == w.cancelAt {
		w.cancel()
		w.err = fmt.Errorf("insert: %w", ctx.Err())
		return w.err
	}
	return nil
}

func (w *stickyWriter) Close(context.Context) error { return errors.Join(w.err, w.closeErr) }
