package pipeline_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/sluicehq/sluice/pipeline"
	"github.com/sluicehq/sluice/pipeline/pipelinetest"
)

type triedErr struct{ n int }

func (e triedErr) Error() string { return fmt.Sprintf("gave up after %d tries", e.n) }
func (e triedErr) Attempts() int { return e.n }

func TestSkipGoesToFailureHandler(t *testing.T) {
	var fails pipelinetest.Failures
	p := pipeline.New(pipeline.OnFailure(fails.Handle))
	src := pipeline.Source(p, "rows", func(_ context.Context, e *pipeline.Emitter[int]) error {
		for i := range 10 {
			if i == 3 {
				if err := e.Skip("line 4: a,b,\"c", errors.New("bad quoting")); err != nil {
					return err
				}
				continue
			}
			if err := e.Emit(i); err != nil {
				return err
			}
		}
		return nil
	})
	m := pipeline.Map(p, "fetch", src, func(_ context.Context, v int) (int, error) {
		if v%4 == 0 {
			return 0, pipeline.Skip(fmt.Errorf("item %d: %w", v, triedErr{3}))
		}
		return v, nil
	}, pipeline.Workers(2))
	out := pipelinetest.Collect(p, "sink", m)
	if err := pipelinetest.Run(t, p, 5*time.Second); err != nil {
		t.Fatal(err)
	}
	if len(out.Items()) != 6 {
		t.Fatalf("got %v", out.Items())
	}
	byStage := map[string][]pipeline.Failure{}
	for _, f := range fails.List() {
		byStage[f.Stage] = append(byStage[f.Stage], f)
	}
	if len(byStage["rows"]) != 1 || byStage["rows"][0].Input != "line 4: a,b,\"c" || byStage["rows"][0].Attempts != 1 {
		t.Fatalf("source failures: %+v", byStage["rows"])
	}
	if len(byStage["fetch"]) != 3 { // 0, 4, 8
		t.Fatalf("fetch failures: %+v", byStage["fetch"])
	}
	for _, f := range byStage["fetch"] {
		var te triedErr
		if f.Attempts != 3 || !errors.As(f.Err, &te) || !pipeline.IsSkip(f.Err) || f.Time.IsZero() {
			t.Fatalf("failure record %+v", f)
		}
	}
	st := stats(p)
	if st["rows"].In != 10 || st["rows"].Failed != 1 || st["fetch"].Failed != 3 {
		t.Fatalf("stats %+v", p.Stats())
	}
	pipelinetest.CheckAccounting(t, p)
}

func TestFailureHandlerErrorIsFatal(t *testing.T) {
	disk := errors.New("disk full")
	p := pipeline.New(pipeline.OnFailure(func(context.Context, pipeline.Failure) error { return disk }))
	m := pipeline.Map(p, "m", infinite(p), func(_ context.Context, v int) (int, error) {
		return 0, pipeline.Skip(errors.New("nope"))
	})
	pipelinetest.Collect(p, "sink", m)
	if err := pipelinetest.Run(t, p, 5*time.Second); !errors.Is(err, disk) {
		t.Fatalf("Run = %v, want disk full", err)
	}
}

func TestSinkSkipAndCloseError(t *testing.T) {
	closeErr := errors.New("flush failed")
	p := pipeline.New()
	w := &countingWriter{closeErr: closeErr, skipEvery: 5}
	pipeline.Sink(p, "db", pipeline.FromSlice(p, "src", ints(20)), w)
	err := pipelinetest.Run(t, p, 5*time.Second)
	var se *pipeline.StageError
	if !errors.As(err, &se) || se.Stage != "db" || !errors.Is(err, closeErr) {
		t.Fatalf("Run = %v", err)
	}
	if w.closes != 1 || w.writes != 16 || stats(p)["db"].Failed != 4 {
		t.Fatalf("closes=%d writes=%d stats=%+v", w.closes, w.writes, stats(p)["db"])
	}
}

type countingWriter struct {
	writes, closes, skipEvery int
	closeErr                  error
}

func (w *countingWriter) Write(_ context.Context, v int) error {
	if w.skipEvery > 0 && v%w.skipEvery == 0 {
		return pipeline.Skip(errors.New("rejected"))
	}
	w.writes++
	return nil
}

func (w *countingWriter) Close(ctx context.Context) error {
	w.closes++
	if ctx.Err() != nil {
		return errors.New("close got a cancelled context")
	}
	return w.closeErr
}

func TestValidation(t *testing.T) {
	cases := []struct {
		name  string
		build func(p *pipeline.Pipeline, w *countingWriter)
		want  string
	}{
		{"duplicate name", func(p *pipeline.Pipeline, w *countingWriter) {
			s := pipeline.FromSlice(p, "x", ints(3))
			pipeline.Sink(p, "x", s, w)
		}, `duplicate stage name "x"`},
		{"consumed twice", func(p *pipeline.Pipeline, w *countingWriter) {
			s := pipeline.FromSlice(p, "src", ints(3))
			pipeline.Sink(p, "a", s, w)
			pipeline.Sink(p, "b", s, pipeline.WriterFunc[int](func(context.Context, int) error { return nil }))
		}, `stage "src": output stream is consumed by 2 stages ["a" "b"]`},
		{"never consumed", func(p *pipeline.Pipeline, w *countingWriter) {
			s := pipeline.FromSlice(p, "src", ints(3))
			pipeline.Map(p, "dangling", s, func(_ context.Context, v int) (int, error) { return v, nil })
			pipeline.Sink(p, "sink", pipeline.FromSlice(p, "other", ints(1)), w)
		}, `stage "dangling": output stream is never consumed`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := pipeline.New()
			w := &countingWriter{}
			c.build(p, w)
			err := p.Run(context.Background())
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("Run = %v, want %q", err, c.want)
			}
			if w.writes != 0 || w.closes != 1 {
				t.Fatalf("writes=%d closes=%d: nothing may start, the sink must still close once", w.writes, w.closes)
			}
		})
	}
	p := pipeline.New()
	pipelinetest.Collect(p, "s", pipeline.FromSlice(p, "src", ints(1)))
	_ = p.Run(context.Background())
	if err := p.Run(context.Background()); err == nil {
		t.Fatal("second Run succeeded")
	}
}

func TestConstructionPanics(t *testing.T) {
	p := pipeline.New()
	src := pipeline.FromSlice(p, "src", ints(1))
	other := pipeline.New()
	cases := map[string]func(){
		"Workers(0)": func() { pipeline.Workers(0) },
		"Buffer(-1)": func() { pipeline.Buffer(-1) },
		"nil map":    func() { pipeline.Map[int, int](p, "m", src, nil) },
		"nil filter": func() { pipeline.Filter[int](p, "f", src, nil) },
		"zero stream": func() {
			pipeline.Map(p, "m", pipeline.Stream[int]{}, func(_ context.Context, v int) (int, error) { return v, nil })
		},
		"other pipeline": func() { pipelinetest.Collect(other, "c", src) },
		"empty name":     func() { pipeline.FromSlice(p, "", ints(1)) },
		"batch workers":  func() { pipeline.Batch(p, "b", src, 10, 0, pipeline.Workers(2)) },
		"batch size 0":   func() { pipeline.Batch(p, "b", src, 0, 0) },
		"ordered sink": func() {
			pipeline.Sink(p, "s", src, pipeline.WriterFunc[int](func(context.Context, int) error { return nil }), pipeline.Ordered())
		},
	}
	for name, f := range cases {
		t.Run(name, func(t *testing.T) {
			defer func() {
				r := recover()
				if s, ok := r.(string); !ok || !strings.HasPrefix(s, "pipeline: ") {
					t.Fatalf("recovered %v, want a pipeline: panic", r)
				}
			}()
			f()
		})
	}
}
