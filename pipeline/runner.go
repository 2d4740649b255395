package pipeline

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"

	"github.com/sourcegraph/conc"
	"github.com/sourcegraph/conc/panics"
)

// runner is the state of one Run: it owns every goroutine of the run and
// records the first fatal error.
type runner struct {
	p       *Pipeline
	runLane lane // the run's lane, also for sources' last flush
	wg      conc.WaitGroup
	cancel  context.CancelCauseFunc
	once    sync.Once
	err     error
}

// spawn starts n goroutines for stage s, each running work(i) with panics
// caught. When the last of them returns, after runs (it closes the stage's
// outputs; for sinks it also closes the writer). A returned error is fatal.
func (r *runner) spawn(s *stage, n int, work func(i int) error, after func() error) {
	var left atomic.Int32
	left.Store(int32(n))
	for i := range n {
		r.wg.Go(func() {
			r.guard(s, func() error { return work(i) })
			if left.Add(-1) == 0 && after != nil {
				r.guard(s, after)
			}
		})
	}
}

// guard runs fn, turning a panic into a fatal *PanicError and a returned
// error into a fatal *StageError.
func (r *runner) guard(s *stage, fn func() error) {
	var err error
	var pc panics.Catcher
	pc.Try(func() { err = fn() })
	if rec := pc.Recovered(); rec != nil {
		r.fatal(&PanicError{Stage: s.name, Value: rec.Value, Stack: rec.Stack})
		return
	}
	if err != nil {
		r.fatal(&StageError{Stage: s.name, Err: err})
	}
}

// fatal records err as the run's error if it is the first, and cancels the
// run from inside the failing goroutine.
func (r *runner) fatal(err error) {
	r.once.Do(func() {
		r.err = err
		r.cancel(err)
	})
}

// skip accounts a per-item failure of stage s and hands it to the failure
// handler. A non-nil result is fatal.
func (r *runner) skip(ctx context.Context, s *stage, input any, err error) error {
	s.stats.failed.Add(1)
	return r.p.handleFailure(ctx, newFailure(s.name, input, err))
}

// outcome classifies the error a user function returned for one item:
// nil, a per-item failure (accounted, handed on), ErrDrop or cancellation
// (the item is dropped; a cancelled run's cause is already recorded), or
// fatal.
func (r *runner) outcome(ctx context.Context, s *stage, input any, err error) (stop bool, fatal error) {
	switch {
	case errors.Is(err, ErrDrop):
		s.stats.dropped.Add(1)
		return false, nil
	case IsSkip(err):
		if herr := r.skip(ctx, s, input, err); herr != nil {
			return true, herr
		}
		return false, nil
	case ctx.Err() != nil:
		s.stats.dropped.Add(1)
		return true, nil
	default:
		s.stats.failed.Add(1)
		return true, err
	}
}
