// Package pipelinetest has helpers for testing code built on package
// pipeline: collect what a stream carries, record failures, and run a
// pipeline with a deadline so a hung test fails instead of hanging.
package pipelinetest

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/sluicehq/sluice/pipeline"
)

// Collector gathers every item written to it. It is a pipeline.Writer and
// safe for a sink with several workers.
type Collector[T any] struct {
	mu     sync.Mutex
	items  []T
	closed int
}

// Collect adds a sink stage named name that gathers the items of in.
func Collect[T any](p *pipeline.Pipeline, name string, in pipeline.Stream[T]) *Collector[T] {
	c := &Collector[T]{}
	pipeline.Sink(p, name, in, c)
	return c
}

// Write appends v.
func (c *Collector[T]) Write(_ context.Context, v T) error {
	c.mu.Lock()
	c.items = append(c.items, v)
	c.mu.Unlock()
	return nil
}

// Close records that the sink was closed.
func (c *Collector[T]) Close(context.Context) error {
	c.mu.Lock()
	c.closed++
	c.mu.Unlock()
	return nil
}

// Items returns a copy of the items gathered so far, in arrival order.
func (c *Collector[T]) Items() []T {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]T(nil), c.items...)
}

// Closes returns how many times Close was called (1 after every Run).
func (c *Collector[T]) Closes() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.closed
}

// Failures records the pipeline's per-item failures. Pass its Handle method
// to pipeline.OnFailure.
type Failures struct {
	mu   sync.Mutex
	list []pipeline.Failure
}

// Handle records f; use it as the pipeline's failure handler.
func (f *Failures) Handle(_ context.Context, fl pipeline.Failure) error {
	f.mu.Lock()
	f.list = append(f.list, fl)
	f.mu.Unlock()
	return nil
}

// List returns a copy of the failures recorded so far.
func (f *Failures) List() []pipeline.Failure {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]pipeline.Failure(nil), f.list...)
}

// Run runs p with a deadline of timeout and returns Run's error. If the
// deadline passes, the test fails with the stage statistics, which show
// where items got stuck.
func Run(t testing.TB, p *pipeline.Pipeline, timeout time.Duration) error {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	err := p.Run(ctx)
	if ctx.Err() == context.DeadlineExceeded {
		t.Errorf("pipelinetest: run did not finish within %v; stats: %+v", timeout, p.Stats())
	}
	return err
}

// CheckAccounting fails the test for every stage of p whose counters break
// In = Out + Filtered + Failed + Dropped.
func CheckAccounting(t testing.TB, p *pipeline.Pipeline) {
	t.Helper()
	for _, s := range p.Stats() {
		if s.In != s.Out+s.Filtered+s.Failed+s.Dropped {
			t.Errorf("pipelinetest: stage %q: in %d != out %d + filtered %d + failed %d + dropped %d",
				s.Name, s.In, s.Out, s.Filtered, s.Failed, s.Dropped)
		}
	}
}
