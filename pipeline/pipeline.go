package pipeline

import (
	"context"
	"errors"
	"fmt"
	"sync"
)

// Pipeline is a graph of stages. Build it with the stage constructors
// (which start nothing), then call Run once. The zero value is not usable;
// call New.
type Pipeline struct {
	mu        sync.Mutex
	stages    []*stage
	started   bool
	stopped   bool
	stopSrc   context.CancelCauseFunc
	onFailure func(context.Context, Failure) error
	failMu    sync.Mutex
}

// Option configures a Pipeline.
type Option func(*Pipeline)

// New returns an empty pipeline.
func New(opts ...Option) *Pipeline {
	p := &Pipeline{}
	for _, o := range opts {
		if o == nil {
			panic("pipeline: New: nil Option")
		}
		o(p)
	}
	return p
}

// OnFailure sets the handler that receives every per-item failure (see
// [Skip]). The engine calls it from the failing stage's goroutine, one call
// at a time, so it needs no locking of its own. A non-nil result is fatal:
// a dead-letter sink that cannot write must stop the run, not lose records.
// Without a handler, failures are only counted.
func OnFailure(fn func(ctx context.Context, f Failure) error) Option {
	if fn == nil {
		panic("pipeline: OnFailure: nil handler")
	}
	return func(p *Pipeline) { p.onFailure = fn }
}

func (p *Pipeline) handleFailure(ctx context.Context, f Failure) error {
	if p.onFailure == nil {
		return nil
	}
	p.failMu.Lock()
	defer p.failMu.Unlock()
	if err := p.onFailure(ctx, f); err != nil {
		return fmt.Errorf("failure handler: %w", err)
	}
	return nil
}

// Stop asks the sources to stop reading input. Items already read flow on
// through every stage to the sinks, which then close; Run returns nil once
// everything has drained (or the first fatal error). Stop is safe to call
// from any goroutine, any number of times, before or during Run.
func (p *Pipeline) Stop() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.stopped = true
	if p.stopSrc != nil {
		p.stopSrc(ErrStopped)
	}
}

// Stats returns a snapshot of every stage's counters, in the order the
// stages were added. It is safe to call while Run is running.
func (p *Pipeline) Stats() []StageStats {
	p.mu.Lock()
	stages := p.stages
	p.mu.Unlock()
	out := make([]StageStats, len(stages))
	for i, s := range stages {
		out[i] = s.stats.snapshot(s)
	}
	return out
}

// Run validates the graph, starts every stage, and waits. It returns only
// after every goroutine of the run has exited and every sink has been
// closed exactly once, on every path. The result is nil when all input was
// processed (or drained after Stop), the first fatal error as a
// *StageError or *PanicError, a validation error, or the cause of ctx when
// ctx ended the run (also when a stage then failed only with ctx's own
// error: see onlyCancellation). Run may be called only once.
func (p *Pipeline) Run(ctx context.Context) error {
	p.mu.Lock()
	if p.started {
		p.mu.Unlock()
		return errors.New("pipeline: Run called more than once")
	}
	p.started = true
	p.mu.Unlock()
	if err := p.validate(); err != nil {
		return errors.Join(err, p.closeSinks(ctx))
	}

	runCtx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	srcCtx, stopSrc := context.WithCancelCause(runCtx)
	defer stopSrc(nil)
	p.mu.Lock()
	p.stopSrc = stopSrc
	if p.stopped {
		stopSrc(ErrStopped)
	}
	p.mu.Unlock()

	r := &runner{p: p, cancel: cancel, runLane: laneOf(runCtx)}
	for _, s := range p.stages {
		for _, out := range s.output {
			out.open()
		}
	}
	for _, s := range p.stages {
		if s.source {
			s.run(srcCtx, laneOf(srcCtx), r)
		} else {
			s.run(runCtx, laneOf(runCtx), r)
		}
	}
	r.wg.Wait()

	if r.err != nil && (ctx.Err() == nil || !onlyCancellation(r.err)) {
		return r.err
	}
	if ctx.Err() != nil {
		return context.Cause(ctx)
	}
	return nil
}

// onlyCancellation reports whether err is a context's cancellation or
// deadline and nothing else, however wrapped: every error it joins must
// be one too. A stage that fails that way after the caller ended the run
// (a driver's "insert: context canceled", kept by a sink and returned
// again from Close) shows the caller's cancellation, not a failure.
func onlyCancellation(err error) bool {
	for {
		switch e := err.(type) {
		case nil:
			return false
		case interface{ Unwrap() []error }:
			errs := e.Unwrap()
			for _, err := range errs {
				if !onlyCancellation(err) {
					return false
				}
			}
			return len(errs) > 0
		}
		if err == context.Canceled || err == context.DeadlineExceeded {
			return true
		}
		err = errors.Unwrap(err)
	}
}

// closeSinks closes every sink once when Run fails before starting.
func (p *Pipeline) closeSinks(ctx context.Context) error {
	var errs []error
	for _, s := range p.stages {
		if s.closeSink == nil {
			continue
		}
		if err := s.closeSink(context.WithoutCancel(ctx)); err != nil {
			errs = append(errs, &StageError{Stage: s.name, Err: err})
		}
	}
	return errors.Join(errs...)
}

// validate reports graph errors before anything starts: duplicate stage
// names, and streams consumed twice or never.
func (p *Pipeline) validate() error {
	var errs []error
	seen := make(map[string]bool, len(p.stages))
	if len(p.stages) == 0 {
		errs = append(errs, errors.New("pipeline: no stages"))
	}
	for _, s := range p.stages {
		if seen[s.name] {
			errs = append(errs, fmt.Errorf("pipeline: duplicate stage name %q", s.name))
		}
		seen[s.name] = true
		for _, out := range s.output {
			switch len(out.consumers) {
			case 1:
			case 0:
				errs = append(errs, fmt.Errorf("pipeline: stage %q: output %s is never consumed", s.name, out.describe()))
			default:
				errs = append(errs, fmt.Errorf("pipeline: stage %q: output %s is consumed by %d stages %q; use Broadcast to feed several", s.name, out.describe(), len(out.consumers), out.consumers))
			}
		}
	}
	return errors.Join(errs...)
}

func (si *streamInfo) describe() string {
	if si.label == "" {
		return "stream"
	}
	return fmt.Sprintf("stream %q", si.label)
}
