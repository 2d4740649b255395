package pipelinetest_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/sluicehq/sluice/internal/leakcheck"
	"github.com/sluicehq/sluice/pipeline"
	"github.com/sluicehq/sluice/pipeline/pipelinetest"
)

func TestMain(m *testing.M) { leakcheck.VerifyTestMain(m) }

// fakeT records failures instead of failing the real test.
type fakeT struct {
	testing.TB
	errs []string
}

func (f *fakeT) Helper()                        {}
func (f *fakeT) Errorf(format string, a ...any) { f.errs = append(f.errs, fmt.Sprintf(format, a...)) }

func TestRunReportsATimeout(t *testing.T) {
	p := pipeline.New()
	src := pipeline.Source(p, "stuck", func(ctx context.Context, e *pipeline.Emitter[int]) error {
		<-ctx.Done()
		return ctx.Err()
	})
	pipelinetest.Collect(p, "sink", src)
	ft := &fakeT{TB: t}
	err := pipelinetest.Run(ft, p, 50*time.Millisecond)
	if !errors.Is(err, context.DeadlineExceeded) || len(ft.errs) != 1 {
		t.Fatalf("err=%v reported=%q", err, ft.errs)
	}
}

func TestCollectorAndFailures(t *testing.T) {
	var fails pipelinetest.Failures
	p := pipeline.New(pipeline.OnFailure(fails.Handle))
	odd := pipeline.Map(p, "odd", pipeline.FromSlice(p, "n", []int{1, 2, 3, 4}), func(_ context.Context, v int) (int, error) {
		if v%2 == 0 {
			return 0, pipeline.Skip(errors.New("even"))
		}
		return v, nil
	})
	c := pipelinetest.Collect(p, "c", odd)
	if err := pipelinetest.Run(t, p, 5*time.Second); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(c.Items()) != "[1 3]" || c.Closes() != 1 || len(fails.List()) != 2 {
		t.Fatalf("items %v closes %d failures %v", c.Items(), c.Closes(), fails.List())
	}
	pipelinetest.CheckAccounting(t, p)
}

// Collect gathers what a stream carries; in a test, run the pipeline with
// pipelinetest.Run(t, p, timeout) and check it with CheckAccounting.
func ExampleCollect() {
	p := pipeline.New()
	doubled := pipeline.Map(p, "double", pipeline.FromSlice(p, "in", []int{1, 2, 3}),
		func(_ context.Context, v int) (int, error) { return 2 * v, nil })
	got := pipelinetest.Collect(p, "out", doubled)
	if err := p.Run(context.Background()); err != nil {
		fmt.Println(err)
	}
	fmt.Println(got.Items(), got.Closes())
	// Output: [2 4 6] 1
}
