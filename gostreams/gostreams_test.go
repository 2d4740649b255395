package gostreams_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/reugn/go-streams/extension"
	"github.com/reugn/go-streams/flow"

	"github.com/sluicehq/sluice/gostreams"
	"github.com/sluicehq/sluice/internal/leakcheck"
	"github.com/sluicehq/sluice/pipeline"
	"github.com/sluicehq/sluice/pipeline/pipelinetest"
)

func TestMain(m *testing.M) { leakcheck.VerifyTestMain(m) }

func count(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = i + 1
	}
	return s
}

// TestBatchOperatorInsidePipeline runs go-streams' own Batch operator
// between two typed sluice stages.
func TestBatchOperatorInsidePipeline(t *testing.T) {
	p := pipeline.New()
	src := pipeline.FromSlice(p, "src", count(1000))
	batches := gostreams.Via[int, []int](p, "batch", src, flow.NewBatch[int](100, time.Hour))
	sums := pipeline.Map(p, "sum", batches, func(_ context.Context, b []int) (int, error) {
		s := 0
		for _, v := range b {
			s += v
		}
		return s, nil
	})
	got := pipelinetest.Collect(p, "sink", sums)
	if err := pipelinetest.Run(t, p, 10*time.Second); err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, s := range got.Items() {
		total += s
	}
	if len(got.Items()) != 10 || total != 500500 {
		t.Fatalf("got %d batches summing to %d", len(got.Items()), total)
	}
	pipelinetest.CheckAccounting(t, p)
}

// TestSlidingWindowInsidePipeline: go-streams' SlidingWindow on processing
// time; every item lands in at least one window and Run returns.
func TestSlidingWindowInsidePipeline(t *testing.T) {
	p := pipeline.New()
	src := pipeline.FromSlice(p, "src", count(200))
	win := flow.NewSlidingWindowWithOpts(20*time.Millisecond, 10*time.Millisecond, flow.SlidingWindowOpts[int]{EmitPartialWindow: true})
	windows := gostreams.Via[int, []int](p, "window", src, win)
	got := pipelinetest.Collect(p, "sink", windows)
	if err := pipelinetest.Run(t, p, 10*time.Second); err != nil {
		t.Fatal(err)
	}
	seen := map[int]bool{}
	for _, w := range got.Items() {
		for _, v := range w {
			seen[v] = true
		}
	}
	if len(seen) != 200 {
		t.Fatalf("windows covered %d of 200 items", len(seen))
	}
}

// TestWrongTypeIsPerItemFailure: a go-streams Map that emits a string for
// some items; the typed stage after it gets the ints, the strings become
// per-item failures naming both types.
func TestWrongTypeIsPerItemFailure(t *testing.T) {
	var fails pipelinetest.Failures
	p := pipeline.New(pipeline.OnFailure(fails.Handle))
	src := pipeline.FromSlice(p, "src", count(10))
	odd := flow.NewMap(func(v int) any {
		if v%5 == 0 {
			return "five"
		}
		return v
	}, 1)
	typed := gostreams.Via[int, int](p, "mixed", src, odd)
	got := pipelinetest.Collect(p, "sink", typed)
	if err := pipelinetest.Run(t, p, 5*time.Second); err != nil {
		t.Fatal(err)
	}
	if len(got.Items()) != 8 || len(fails.List()) != 2 {
		t.Fatalf("items %v failures %v", got.Items(), fails.List())
	}
	var te *gostreams.TypeError
	f := fails.List()[0]
	if f.Stage != "mixed" || !errors.As(f.Err, &te) || te.Got != "five" || te.Error() != "gostreams: element of type string (five), want int" {
		t.Fatalf("failure %+v", f)
	}
}

// TestCancelWithFlowInside: cancelling the run closes the flow's input and
// drains it; goleak (TestMain) checks go-streams' goroutines are gone.
func TestCancelWithFlowInside(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	p := pipeline.New()
	src := pipeline.Source(p, "forever", func(ctx context.Context, e *pipeline.Emitter[int]) error {
		for i := 0; ; i++ {
			if err := e.Emit(i); err != nil {
				return err
			}
		}
	})
	through := gostreams.Via[int, int](p, "map", src, flow.NewMap(func(v int) int { return v * 2 }, 4))
	n := 0
	pipeline.Sink(p, "sink", through, pipeline.WriterFunc[int](func(context.Context, int) error {
		if n++; n == 500 {
			cancel()
		}
		return nil
	}))
	done := make(chan error, 1)
	go func() { done <- p.Run(ctx) }()
	if err := recv(t, done, "Run after the cancel"); !errors.Is(err, context.Canceled) {
		t.Fatalf("Run = %v", err)
	}
}

// recv waits for a value from ch, failing the test if none comes within
// 10 s: a bound on a hang, not a timing check.
func recv[T any](t *testing.T, ch <-chan T, what string) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(10 * time.Second):
		t.Fatalf("%s never came", what)
		panic("unreachable")
	}
}

// TestStopDrainsThroughFlow: Stop ends the outside input, but what was read
// still flows through the go-streams flow to the sink.
func TestStopDrainsThroughFlow(t *testing.T) {
	p := pipeline.New()
	src := pipeline.Source(p, "forever", func(ctx context.Context, e *pipeline.Emitter[int]) error {
		for i := 0; ; i++ {
			if err := e.Emit(i); err != nil {
				return err
			}
		}
	})
	through := gostreams.Via[int, int](p, "map", src, flow.NewMap(func(v int) int { return v }, 1))
	var got []int
	pipeline.Sink(p, "sink", through, pipeline.WriterFunc[int](func(_ context.Context, v int) error {
		if got = append(got, v); len(got) == 100 {
			p.Stop()
		}
		return nil
	}))
	if err := pipelinetest.Run(t, p, 5*time.Second); err != nil {
		t.Fatal(err)
	}
	var emitted int64
	for _, s := range p.Stats() {
		if s.Name == "forever" {
			emitted = s.Emitted
		}
	}
	if len(got) < 100 || int64(len(got)) != emitted || !slices.IsSorted(got) {
		t.Fatalf("sink got %d, source emitted %d", len(got), emitted)
	}
}

// TestAsSourceAndToSink hands a typed stream to go-streams and back out
// into a go-streams sink.
func TestAsSourceAndToSink(t *testing.T) {
	p := pipeline.New()
	gsrc := gostreams.AsSource(p, "to-go-streams", pipeline.FromSlice(p, "src", count(50)), 8)
	out := make(chan any)
	done := make(chan []any)
	go func() {
		var got []any
		for v := range out {
			got = append(got, v)
		}
		done <- got
	}()
	go gsrc.Via(flow.NewMap(func(v int) int { return v + 1000 }, 1)).To(extension.NewChanSink(out))
	if err := pipelinetest.Run(t, p, 5*time.Second); err != nil {
		t.Fatal(err)
	}
	got := recv(t, done, "the end of the go-streams chan sink")
	if len(got) != 50 || got[0] != 1001 {
		t.Fatalf("got %v", got)
	}

	p2 := pipeline.New()
	in := make(chan any)
	sink := extension.NewChanSink(in)
	seen := make(chan []any)
	go func() {
		var got []any
		for v := range in {
			got = append(got, v)
		}
		seen <- got
	}()
	gostreams.ToSink(p2, "gs-sink", pipeline.FromSlice(p2, "src", count(5)), sink)
	if err := pipelinetest.Run(t, p2, 5*time.Second); err != nil {
		t.Fatal(err)
	}
	if got := recv(t, seen, "the end of the go-streams sink"); !slices.Equal(got, []any{1, 2, 3, 4, 5}) {
		t.Fatalf("go-streams sink got %v", got)
	}
}
