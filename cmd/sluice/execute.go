package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/sluicehq/sluice/job"
	"github.com/sluicehq/sluice/observe"
	"github.com/sluicehq/sluice/observe/dashboard"
	"github.com/sluicehq/sluice/observe/metrics"
	"github.com/sluicehq/sluice/observe/progress"
)

// execute runs j through job.Run with signals handled and progress shown,
// then prints the ledger; the error carries the exit code.
func (a *app) execute(ctx context.Context, j *job.Job, flags runFlags, resumeHint string) error {
	if flags.nats != "" {
		return a.executeNATS(ctx, j, flags)
	}
	opts := job.RunOptions{Resume: flags.resume, Restart: flags.restart}
	if flags.maxFailures != "" {
		limit, err := job.ParseMaxFailures(flags.maxFailures)
		if err != nil {
			return usageError(fmt.Errorf("--max-failures: %s", strings.TrimPrefix(err.Error(), "job: ")))
		}
		opts.MaxFailures = &limit
	}
	if flags.memory != "" {
		if _, err := job.ParseMemory(flags.memory); err != nil {
			return usageError(fmt.Errorf("--memory: %s", strings.TrimPrefix(err.Error(), "job: ")))
		}
		j.Memory = flags.memory
	}
	a.limitMemory(j)
	// Signals are caught before anything is printed: whoever reads the
	// metrics' or dashboard's address may press Ctrl-C at once.
	stopReq := make(chan struct{})
	opts.Stop = stopReq
	runCtx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	sig, stopSignals := watchSignals(func(s os.Signal) {
		a.say("stopping (%s): reading no more input, finishing the work in flight; signal again to abort", s)
		close(stopReq)
	}, cancel)
	defer stopSignals()

	if flags.metricsAddr != "" {
		m := metrics.New()
		stop, err := serveMetrics(flags.metricsAddr, m, a)
		if err != nil {
			return usageError(err)
		}
		defer stop()
		opts.Observers = append(opts.Observers, m)
	}
	if flags.uiAddr != "" {
		d := dashboard.New(dashboard.Config{})
		stop, err := a.serveDashboard(ctx, flags.uiAddr, flags.uiLinger, d)
		if err != nil {
			return usageError(err)
		}
		defer stop()
		opts.Observers = append(opts.Observers, d)
	}
	if !a.quiet {
		rep := progress.New(progress.Config{Out: a.Err, Bars: a.errIsTerminal(), Interval: flags.interval, LogTo: a.logOut.set})
		opts.Observers = append(opts.Observers, rep.Observer())
	}
	// The log sees only what it logs: a run it alone observes builds no
	// Fetch events.
	opts.Observers = append(opts.Observers, observe.Only(observe.Func(func(e observe.Event) {
		switch e := e.(type) {
		case *observe.RunStarted:
			a.log.Info("run started", "job", e.Job, "resumed", e.Resumed, "sink", j.Sink.Kind)
		case *observe.Failure:
			a.log.Debug("item failed", "stage", e.Stage, "attempts", e.Attempts, "err", e.Err)
		case *observe.Warning:
			if e.URL != "" {
				a.log.Warn(e.Msg, "e.g.", e.URL)
			} else {
				a.log.Warn(e.Msg)
			}
		}
	}), observe.KindRunStarted|observe.KindFailure|observe.KindWarning))
	a.warns.hold()
	defer a.warns.release(a.Err)

	rep, err, stuck := a.wait(runCtx, j, opts, sig)
	if stuck {
		return &exitError{code: exitInterrupted, err: fmt.Errorf("aborted: the run did not end within %s of the second signal; what was committed stays committed, resume with:\n  %s", abortGrace, resumeHint)}
	}
	stopSignals()
	return a.finish(j, rep, err, sig.interrupted.Load(), resumeHint)
}

// abortGrace is how long an aborted run may take to wind down before the
// command exits without it (a source blocked reading stdin, say).
const abortGrace = 5 * time.Second

// wait runs the job and returns its result; stuck is true when the run
// did not end within abortGrace of a second signal.
func (a *app) wait(ctx context.Context, j *job.Job, opts job.RunOptions, sig *stopper) (job.Report, error, bool) {
	type result struct {
		rep job.Report
		err error
	}
	done := make(chan result, 1)
	go func() {
		rep, err := job.Run(ctx, j, opts)
		done <- result{rep, err}
	}()
	select {
	case r := <-done:
		return r.rep, r.err, false
	case <-sig.aborted:
		a.say("aborting: cancelling the work in flight")
	}
	t := time.NewTimer(abortGrace)
	defer t.Stop()
	select {
	case r := <-done:
		return r.rep, r.err, false
	case <-t.C:
		return job.Report{}, nil, true
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
	a.say("metrics: http://%s/metrics", ln.Addr())
	return func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
		wg.Wait()
	}, nil
}

// serveDashboard listens on addr before the run starts (so a taken
// address is a usage error) and serves d there. The returned function,
// called after the run, keeps serving the final state for linger (or
// until SIGINT/SIGTERM), then ends the page's streams and the server.
func (a *app) serveDashboard(ctx context.Context, addr string, linger time.Duration, d *dashboard.Dashboard) (func(), error) {
	if !strings.Contains(addr, ":") {
		addr = "127.0.0.1:" + addr // a bare port: loopback only
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("--ui: %w", err)
	}
	srv := &http.Server{Handler: d.Handler(), ReadHeaderTimeout: 5 * time.Second}
	var wg sync.WaitGroup
	wg.Go(func() { _ = srv.Serve(ln) })
	url := "http://" + ln.Addr().String() + "/"
	a.say("dashboard: %s", url)
	if host, _, _ := net.SplitHostPort(addr); !isLoopback(host) {
		a.log.Warn("the dashboard is reachable from the network; pass --ui 127.0.0.1:PORT to keep it local", "addr", addr)
	}
	return func() {
		if linger > 0 && d.Frame().State != "waiting" {
			wait, cancel := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
			a.say("the run is over; serving its final state at %s for %s (Ctrl-C to exit)", url, linger)
			t := time.NewTimer(linger)
			select {
			case <-t.C:
			case <-wait.Done():
			}
			t.Stop()
			cancel()
		}
		d.Close()
		sctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
		wg.Wait()
	}, nil
}

// isLoopback reports whether host names only this machine.
func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
