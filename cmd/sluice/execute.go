package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/sluicehq/sluice/job"
	"github.com/sluicehq/sluice/observe/ledger"
	"github.com/sluicehq/sluice/observe/metrics"
	"github.com/sluicehq/sluice/observe/progress"
	"github.com/sluicehq/sluice/pipeline"
)

// limitError is the fatal error of a run whose failures exceed
// --max-failures.
type limitError struct {
	limit        job.MaxFailures
	failed, done int64
}

func (e *limitError) Error() string {
	return fmt.Sprintf("too many failures: %d of %d finished inputs failed, more than --max-failures %s allows", e.failed, e.done, e.limit)
}

// execution is one run of a job.
type execution struct {
	a        *app
	j        *job.Job
	flags    runFlags
	limit    job.MaxFailures
	failures ledger.Failures
	run      *job.Run
	// resumeHint is the command that resumes this run.
	resumeHint string
}

// execute runs j to the end (or a signal) and reports; the error carries
// the exit code.
func (a *app) execute(ctx context.Context, j *job.Job, flags runFlags, resumeHint string) error {
	limit := j.Limit()
	if flags.maxFailures != "" {
		var err error
		if limit, err = job.ParseMaxFailures(flags.maxFailures); err != nil {
			return usageError(fmt.Errorf("--max-failures: %s", strings.TrimPrefix(err.Error(), "job: ")))
		}
	}
	if err := checkInput(j); err != nil {
		return usageError(err)
	}
	e := &execution{a: a, j: j, flags: flags, limit: limit, resumeHint: resumeHint}
	var m *metrics.Metrics
	opts := job.BuildOptions{Resume: flags.resume, Restart: flags.restart, OnFailure: e.onFailure}
	if flags.metricsAddr != "" {
		m = metrics.New(func() []pipeline.StageStats { return e.run.Pipeline.Stats() })
		opts.ObserveFetch = m.ObserveFetch
	}
	r, err := j.Build(opts)
	if err != nil {
		var ce *job.CheckpointExistsError
		if errors.As(err, &ce) {
			return usageError(err)
		}
		return err
	}
	e.run = r
	defer r.Close()
	if m != nil {
		stop, err := serveMetrics(flags.metricsAddr, m, a)
		if err != nil {
			return usageError(err)
		}
		defer stop()
	}
	return e.runPipeline(ctx)
}

// onFailure counts a failure and enforces the failure budget live.
func (e *execution) onFailure(_ context.Context, f pipeline.Failure) error {
	failed := e.failures.Add(f)
	e.a.log.Debug("item failed", "stage", f.Stage, "attempts", f.Attempts, "err", f.Err)
	if e.limit.IsZero() {
		return nil
	}
	done := failed + e.committedInputs()
	if e.limit.Exceeded(failed, done, false) {
		return &limitError{limit: e.limit, failed: failed, done: done}
	}
	return nil
}

// committedInputs is how many inputs reached the sink stage.
func (e *execution) committedInputs() int64 {
	for _, st := range e.run.Pipeline.Stats() {
		if st.Name == job.StageWrite {
			return st.In
		}
	}
	return 0
}

// runPipeline runs with signals handled and progress shown, then reports.
func (e *execution) runPipeline(ctx context.Context) error {
	p := e.run.Pipeline
	runCtx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	sig, stopSignals := watchSignals(func(s os.Signal) {
		e.a.log.Warn("stopping: reading no more input, finishing the work in flight; signal again to abort", "signal", s.String())
		p.Stop()
	}, cancel)
	defer stopSignals()
	stopProgress := e.startProgress()
	start := time.Now()
	e.a.log.Info("run started", "job", e.j.Name, "inputs", e.run.Total, "resumed", e.run.Resumed, "sink", e.j.Sink.Kind)
	err := e.wait(runCtx, sig)
	if errors.Is(err, errStuck) {
		stopProgress()
		return &exitError{code: exitInterrupted, err: fmt.Errorf("aborted: the run did not end within %s of the second signal; what was committed stays committed, resume with:\n  %s", abortGrace, e.resumeHint)}
	}
	elapsed := time.Since(start)
	stopProgress()
	stopSignals()
	return e.finish(err, elapsed, sig.interrupted.Load())
}

// abortGrace is how long an aborted run may take to wind down before the
// command exits without it (a source blocked reading stdin, say).
const abortGrace = 5 * time.Second

// errStuck says an aborted run did not end within abortGrace.
var errStuck = errors.New("run did not end after the abort")

// wait runs the pipeline and returns its result, or errStuck when it did
// not end within abortGrace of a second signal.
func (e *execution) wait(ctx context.Context, sig *stopper) error {
	done := make(chan error, 1)
	go func() { done <- e.run.Pipeline.Run(ctx) }()
	select {
	case err := <-done:
		return err
	case <-sig.aborted:
		e.a.log.Warn("aborting: cancelling the work in flight")
	}
	t := time.NewTimer(abortGrace)
	defer t.Stop()
	select {
	case err := <-done:
		return err
	case <-t.C:
		return errStuck
	}
}

// startProgress shows progress until the returned function is called.
func (e *execution) startProgress() func() {
	if e.a.quiet {
		return func() {}
	}
	rep := progress.New(progress.Config{Out: e.a.Err, Bars: e.a.errIsTerminal(), Interval: e.flags.interval, Total: e.run.Total,
		LogTo: e.a.logOut.set})
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() { rep.Run(ctx, e.run.Pipeline.Stats) })
	return func() {
		cancel()
		wg.Wait()
	}
}

// serveMetrics serves m on addr until the returned function is called.
func serveMetrics(addr string, m *metrics.Metrics, a *app) (func(), error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("--metrics-addr: %w", err)
	}
	mux := http.NewServeMux()
	mux.Handle("/metrics", m.Handler())
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	var wg sync.WaitGroup
	wg.Go(func() { _ = srv.Serve(ln) })
	a.log.Info("serving metrics", "url", "http://"+ln.Addr().String()+"/metrics")
	return func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
		wg.Wait()
	}, nil
}

// checkInput fails early, as a usage error, when the job's input file is
// missing, rather than as a fatal error of a run that has started.
func checkInput(j *job.Job) error {
	p := j.Source.Path
	if p == "" || p == "-" {
		return nil
	}
	if _, err := os.Stat(p); err != nil {
		return fmt.Errorf("source.path: %w", err)
	}
	return nil
}
