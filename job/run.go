package job

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/sourcegraph/conc/panics"

	"github.com/sluicehq/sluice/observe"
	"github.com/sluicehq/sluice/observe/ledger"
	"github.com/sluicehq/sluice/pipeline"
	"github.com/sluicehq/sluice/resume"
	"github.com/sluicehq/sluice/sinks"
	"github.com/sluicehq/sluice/stages/crawl"
)

// DefaultSnapshotInterval is how often Run sends observers a stage
// snapshot when RunOptions.SnapshotInterval is zero.
const DefaultSnapshotInterval = 250 * time.Millisecond

// RunOptions says how Run runs a job. The zero value starts a fresh run
// (refusing to overwrite a checkpoint that records finished inputs) with
// the job's own failure budget and no observers.
type RunOptions struct {
	// Resume continues from the job's checkpoint: inputs already
	// committed are skipped, so every input is written exactly once.
	Resume bool
	// Restart discards an earlier run's checkpoint and output files.
	Restart bool
	// MaxFailures, if set, replaces the job's max_failures.
	MaxFailures *MaxFailures
	// Observers see the run's events (see package observe). They never
	// slow the run: each has its own goroutine and mailbox.
	Observers []observe.Observer
	// SnapshotInterval is how often observers get a stage snapshot;
	// default DefaultSnapshotInterval.
	SnapshotInterval time.Duration
	// Checkpoint and Transport are passed to Build (see BuildOptions): a
	// checkpoint kept elsewhere than the job's file, and a RoundTripper
	// for every request.
	Checkpoint resume.Store
	Transport  http.RoundTripper
	// RemoteCrawl is passed to Build (see BuildOptions.RemoteCrawl): a
	// crawl whose frontier lives outside the run.
	RemoteCrawl RemoteCrawl
	// Stop, when closed, stops the run gracefully: no more input is read,
	// the work in flight finishes and is committed, and Run returns a
	// Report with Outcome observe.Interrupted. Cancelling ctx instead
	// aborts at once (what was committed stays committed).
	Stop <-chan struct{}
}

// Report is what a run did.
type Report struct {
	// Job is the job's name.
	Job string
	// Outcome is how the run ended.
	Outcome observe.Outcome
	// Stages holds every stage's final counters.
	Stages []pipeline.StageStats
	// Total is the number of inputs the source's file holds, counted
	// beside the run (for progress); -1 when the source cannot count (a
	// queue, standard input) or the run ended before the count did.
	Total int64
	// Inputs is how many inputs the source read; Done how many finished
	// (written, filtered out or failed) and were committed; Failed how
	// many of those failed.
	Inputs, Done, Failed int64
	// Resumed is how many inputs an earlier run had finished.
	Resumed int
	// Duplicates is how many inputs were skipped as repeats of earlier
	// ones (see SourceSpec.KeepDuplicates).
	Duplicates int64
	// Extracted is how many records the parser produced; Written how many
	// the sink committed (records it refused are failures, not writes);
	// Refused how many it refused (a constraint, a column's type): the
	// records of inputs counted in Failed.
	Extracted, Written, Refused int64
	// Failures groups the failures by stage and reason, most frequent
	// first.
	Failures []ledger.ReasonCount
	// Started is when the run started; Elapsed how long it took.
	Started time.Time
	Elapsed time.Duration
	// Output, DeadLetters and Checkpoint say where the run wrote.
	Output, DeadLetters, Checkpoint string
	// Warnings are the first warnings of the run (things that failed no
	// input, such as a selector that matched nothing on the first pages
	// or a ragged CSV row); WarningCount counts them all.
	Warnings     []observe.Warning
	WarningCount int64
	// Crawl holds the crawl's counters when the job crawls, else nil.
	Crawl *crawl.Stats
}

// Summary is the report in the ledger's terms.
func (r Report) Summary() ledger.Summary {
	return ledger.Summary{Elapsed: r.Elapsed, Inputs: r.Inputs, Done: r.Done, Failed: r.Failed,
		Resumed: r.Resumed, Duplicates: r.Duplicates, Extracted: r.Extracted, Written: r.Written, Refused: r.Refused, Crawl: r.Crawl != nil}
}

// FailureLimitError ends a run whose failures exceed its failure budget.
type FailureLimitError struct {
	// Limit is the budget; Failed and Done the counts that broke it.
	Limit        MaxFailures
	Failed, Done int64
	// Default says Limit is DefaultMaxFailures: the job set none.
	Default bool
}

// Error says how many failed and what the budget allows.
func (e *FailureLimitError) Error() string {
	what := "--max-failures " + e.Limit.String() + " allows"
	if e.Default {
		what = "the default failure budget (" + e.Limit.String() + ") allows; set --max-failures or max_failures to change it"
	}
	if e.Failed == e.Done {
		return fmt.Sprintf("run failed: all %d finished inputs failed, more than %s", e.Done, what)
	}
	return fmt.Sprintf("too many failures: %d of %d finished inputs failed, more than %s", e.Failed, e.Done, what)
}

// Run runs the job to its end and reports: it opens the checkpoint
// (resuming or restarting as opts say), builds the pipeline, runs it with
// the failure budget enforced live, commits the sinks and the checkpoint,
// and tells the observers every step. It returns after every goroutine it
// started has ended and every observer has seen RunFinished.
//
// The error is nil when the run completed within its failure budget or
// was stopped through opts.Stop (see Report.Outcome); a
// *FailureLimitError when the budget was exceeded; ctx's cause when ctx
// ended the run; an *Error, *UsageError or *CheckpointExistsError (see
// IsUsage) when
// the run could not start because of its inputs or flags; else the fatal
// error of the run.
func Run(ctx context.Context, j *Job, opts RunOptions) (Report, error) {
	if opts.Resume && opts.Restart {
		return Report{}, &UsageError{Err: errors.New("--resume and --restart exclude each other: resume continues the earlier run, restart discards it")}
	}
	if err := j.Preflight(ctx, true); err != nil {
		return Report{}, err
	}
	r := &runner{j: j, opts: opts, limit: j.limit, hub: observe.NewHub(opts.Observers...)}
	switch {
	case opts.MaxFailures != nil:
		r.limit = *opts.MaxFailures
	case strings.TrimSpace(j.MaxFailures) == "":
		r.limit, r.defaultLimit = DefaultMaxFailures, true
	}
	return r.run(ctx)
}

// IsUsage reports whether err says the run could not start because of
// what it was given (a job file, flags, a checkpoint in the way), rather
// than failing while it ran: the sluice command exits 2 for these.
func IsUsage(err error) bool {
	var je *Error
	var ce *CheckpointExistsError
	var ue *UsageError
	return errors.As(err, &je) || errors.As(err, &ce) || errors.As(err, &ue)
}

// UsageError says a run could not start because of what it was given: a
// missing input file, options that exclude each other.
type UsageError struct{ Err error }

// Error returns the underlying error's text.
func (e *UsageError) Error() string { return e.Err.Error() }

// Unwrap returns the underlying error.
func (e *UsageError) Unwrap() error { return e.Err }

// runner is one Run.
type runner struct {
	j        *Job
	opts     RunOptions
	limit    MaxFailures
	hub      *observe.Hub
	failures ledger.Failures
	built    *Built
	// defaultLimit says limit is DefaultMaxFailures, not the user's.
	defaultLimit bool
	// written counts the records the sink committed.
	written atomic.Int64
	// rejected counts the inputs whose rows a sink refused at commit:
	// failures that the write stage counted as done.
	rejected atomic.Int64
	// refused counts the records of those inputs.
	refused atomic.Int64
	// total is the number of inputs, counted beside the run; -1 until
	// the count ends, and when the inputs cannot be counted.
	total atomic.Int64
	// stopping is set when a stop is requested.
	stopping atomic.Bool
	// mu guards the warnings: how many, and the first ones.
	mu       sync.Mutex
	warnings int64
	kept     []observe.Warning
}

func (r *runner) run(ctx context.Context) (Report, error) {
	lock, err := r.j.lockOutputs()
	if err != nil {
		return Report{}, err
	}
	defer lock.Release()
	built, err := r.j.Build(BuildOptions{Resume: r.opts.Resume, Restart: r.opts.Restart,
		OnFailure: r.onFailure, ObserveFetch: r.fetchObserver(), OnCommit: r.onCommit, Stopping: r.stopping.Load, Warn: r.warn,
		Checkpoint: r.opts.Checkpoint, Transport: r.opts.Transport, RemoteCrawl: r.opts.RemoteCrawl})
	if err != nil {
		return Report{}, err
	}
	defer built.Close()
	r.built = built
	p := built.Pipeline
	rep := Report{Job: r.j.Name, Resumed: built.Resumed, Started: time.Now(),
		Output: r.j.OutputName(), DeadLetters: r.j.DeadLetter.Path, Checkpoint: r.j.Checkpoint}
	r.total.Store(-1)
	r.hub.Start()
	r.hub.Publish(&observe.RunStarted{Time: rep.Started, Job: r.j.Name, Total: -1, Resumed: built.Resumed,
		Graph: p.Graph(), Output: rep.Output, DeadLetters: rep.DeadLetters, Checkpoint: rep.Checkpoint, Hosts: built.HostStates})
	counted := r.beside(ctx)

	var stopped bool
	var wg sync.WaitGroup
	done := make(chan struct{})
	wg.Go(func() { r.snapshots(done, rep.Started) })
	if r.opts.Stop != nil {
		stopReq := r.opts.Stop
		wg.Go(func() {
			select {
			case <-stopReq:
				stopped = true
				r.stopping.Store(true)
				p.Stop()
			case <-done:
			}
		})
	}
	runErr := p.Run(ctx)
	built.Finish()
	// A run that read its whole input waits for the count, which then
	// has little left to read; one that ended early stops it.
	counted(runErr != nil || r.stopping.Load() || ctx.Err() != nil)
	if runErr == nil && !r.stopping.Load() {
		r.warnIfNoInputs()
	}
	close(done)
	wg.Wait()

	rep.Total = r.total.Load()
	rep.Elapsed = time.Since(rep.Started)
	r.fill(&rep)
	rep.Outcome, runErr = r.outcome(ctx, runErr, stopped, rep)
	r.hub.Publish(&observe.RunFinished{Time: time.Now(), Elapsed: rep.Elapsed, Outcome: rep.Outcome, Err: runErr, Stages: rep.Stages})
	r.hub.Close()
	return rep, runErr
}

// fill sets the report's counts from the final stage counters.
func (r *runner) fill(rep *Report) {
	rep.Stages = r.built.Pipeline.Stats()
	rep.Failed = r.failures.Total()
	r.mu.Lock()
	rep.Warnings, rep.WarningCount = r.kept, r.warnings
	r.mu.Unlock()
	rep.Failures = r.failures.Top(0)
	rep.Extracted, rep.Written, rep.Refused = r.built.Records.Extracted.Load(), r.written.Load(), r.refused.Load()
	rep.Crawl = r.built.CrawlStats()
	for _, st := range rep.Stages {
		switch st.Name {
		case StageRead:
			rep.Inputs = st.Emitted + st.Failed
		case StageWrite:
			rep.Done = st.Out
		case StageDedupe:
			rep.Duplicates = st.Filtered
		}
	}
	rep.Done += rep.Failed - r.rejected.Load()
}

// outcome classifies how the run ended and the error Run returns.
func (r *runner) outcome(ctx context.Context, runErr error, stopped bool, rep Report) (observe.Outcome, error) {
	var le *FailureLimitError
	switch {
	case errors.As(runErr, &le):
		return observe.FailedPolicy, le
	case runErr != nil && ctx.Err() != nil:
		return observe.Aborted, runErr
	case runErr != nil:
		return observe.Failed, fmt.Errorf("run failed: %w", runErr)
	case stopped:
		return observe.Interrupted, nil
	case r.limit.Exceeded(rep.Failed, rep.Done, true):
		return observe.FailedPolicy, &FailureLimitError{Limit: r.limit, Failed: rep.Failed, Done: rep.Done, Default: r.defaultLimit}
	}
	return observe.Complete, nil
}

// warnIfNoInputs warns when a run that read its whole input found none in
// it: an empty file, or one of blank lines, comments or only a header,
// exported by mistake, would otherwise end like a run with nothing to do.
func (r *runner) warnIfNoInputs() {
	if r.j.Crawl != nil {
		return
	}
	for _, st := range r.built.Pipeline.Stats() {
		if st.Name != StageRead || st.Emitted+st.Failed > 0 {
			continue
		}
		switch s := r.j.Source; {
		case s.Path == "-" || s.Kind == "stdin":
			r.warn("standard input held no inputs", "")
		case s.Path != "":
			r.warn(fmt.Sprintf("%s held no inputs: it is empty, or holds only blank lines, comments or a header", filepath.Base(s.Path)), "")
		default:
			r.warn("the source read no inputs", "")
		}
	}
}

// beside reads the input beside the pipeline, on a goroutine of its own,
// so that the first request does not wait for a large input to be read
// again: it records the input's checksum for a later resume (see
// Job.recordInput), then counts the inputs into r.total (a million CSV
// rows take 30–90 ms to count, gzipped ~200). The returned function waits
// for it to end; stop ends it first. A panic in a source kind's Count is
// a warning: the total stays unknown.
func (r *runner) beside(ctx context.Context) (wait func(stop bool)) {
	record, count := r.built.recordInput, r.j.countable()
	if !record && !count {
		return func(bool) {}
	}
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		if record {
			// Best effort: unrecorded, a resume is not checked, and the
			// run itself reports an input it cannot read.
			_ = r.j.recordInput(ctx, r.built.ckpt)
		}
		if !count {
			return
		}
		var n int64
		if p := panics.Try(func() { n = r.j.total(ctx) }); p != nil {
			r.warn(fmt.Sprintf("counting the inputs for progress: %v", p.Value), "")
			return
		}
		r.total.Store(n)
	}()
	return func(stop bool) {
		if stop {
			cancel()
		}
		<-done
		cancel()
	}
}

// snapshots publishes stage snapshots until done is closed.
func (r *runner) snapshots(done <-chan struct{}, start time.Time) {
	if !r.hub.Wants(observe.KindStageSnapshot) {
		return
	}
	every := r.opts.SnapshotInterval
	if every <= 0 {
		every = DefaultSnapshotInterval
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-done:
			return
		case now := <-t.C:
			s := snapshot(r.built.Pipeline.Stats(), now, now.Sub(start))
			s.Total = r.total.Load()
			r.hub.Publish(s)
		}
	}
}

// snapshot builds a StageSnapshot; a stage's queue is what the stage
// before it has sent on and it has not yet taken.
func snapshot(stats []pipeline.StageStats, now time.Time, elapsed time.Duration) *observe.StageSnapshot {
	s := &observe.StageSnapshot{Time: now, Elapsed: elapsed, Stages: stats, Queues: make(map[string]int, len(stats))}
	for i := 1; i < len(stats); i++ {
		sent := max(stats[i-1].Out, stats[i-1].Emitted)
		s.Queues[stats[i].Name] = int(max(sent-stats[i].In, 0))
	}
	return s
}

// onFailure counts a failure, tells the observers and enforces the
// failure budget live.
func (r *runner) onFailure(_ context.Context, f pipeline.Failure) error {
	ev := failureEvent(f)
	failed := r.failures.Add(ev)
	r.hub.Publish(ev)
	if r.limit.IsZero() {
		return nil
	}
	done := failed + r.committedInputs()
	if r.limit.Exceeded(failed, done, false) {
		return &FailureLimitError{Limit: r.limit, Failed: failed, Done: done, Default: r.defaultLimit}
	}
	return nil
}

// committedInputs is how many inputs reached the sink stage.
func (r *runner) committedInputs() int64 {
	if r.built == nil {
		return 0
	}
	for _, st := range r.built.Pipeline.Stats() {
		if st.Name == StageWrite {
			return st.In
		}
	}
	return 0
}

// OutputName is where the records go, without secrets: the output path,
// or the Postgres table.
func (j *Job) OutputName() string {
	if j.Sink.Path != "" {
		return j.Sink.Path
	}
	return "postgres table " + j.Sink.Table
}

// onCommit tells the observers which inputs a commit round made durable.
func (r *runner) onCommit(c sinks.CommitEvent) {
	r.written.Add(int64(c.Items))
	r.refused.Add(int64(c.Refused))
	// An input whose rows a sink refused (a constraint, a column type)
	// passed the write stage but failed: its failure is in the dead-letter
	// file, and the ledger and the failure budget count it too.
	now := time.Now()
	for i, key := range c.Rejected {
		r.rejected.Add(1)
		ev := &observe.Failure{Time: now, Stage: StageWrite, Key: key, Reason: ledger.Reason(c.Rejections[i]), Attempts: 1, Err: c.Rejections[i]}
		r.failures.Add(ev)
		r.hub.Publish(ev)
	}
	if r.hub.Wants(observe.KindCommitted) {
		r.hub.Publish(&observe.Committed{Time: time.Now(), Written: c.Written, Failed: c.Failed, Records: int64(c.Items), Rejected: len(c.Rejected)})
	}
}

// maxReportWarnings caps the warnings a Report keeps (all are counted
// and published).
const maxReportWarnings = 100

// warn tells the observers about something that failed no input, and
// keeps it for the report.
func (r *runner) warn(msg, url string) {
	w := &observe.Warning{Time: time.Now(), Msg: msg, URL: url}
	r.mu.Lock()
	r.warnings++
	if len(r.kept) < maxReportWarnings {
		r.kept = append(r.kept, *w)
	}
	r.mu.Unlock()
	r.hub.Publish(w)
}
