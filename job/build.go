package job

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"sync/atomic"
	"time"

	"github.com/sluicehq/sluice/pipeline"
	"github.com/sluicehq/sluice/record"
	"github.com/sluicehq/sluice/resume"
	"github.com/sluicehq/sluice/sinks"
	"github.com/sluicehq/sluice/sources"
	"github.com/sluicehq/sluice/stages/fetch"
)

// Stage names of a built job, in order. StageResume is present only when
// resuming and StageFilter only when the job has filters.
const (
	StageRead   = "read"
	StageResume = "resume"
	StageFetch  = "fetch"
	StageParse  = "parse"
	// StageTransform runs the job's record stages (Job.Stages), present
	// only when it has some.
	StageTransform = "transform"
	StageFilter    = "filter"
	StageWrite     = "write"
)

// BuildOptions says how a job's pipeline is built.
type BuildOptions struct {
	// Resume continues from the job's checkpoint, skipping inputs done.
	Resume bool
	// Restart discards an existing checkpoint. Without Resume or Restart,
	// an existing checkpoint with committed inputs is a
	// *CheckpointExistsError.
	Restart bool
	// OnFailure sees every per-item failure before it is dead-lettered;
	// a non-nil result is fatal (a failure budget exceeded, say).
	OnFailure func(ctx context.Context, f pipeline.Failure) error
	// ObserveFetch sees every fetch: the request, its response or error
	// and how long it took, retries included.
	ObserveFetch func(req fetch.Request, resp *fetch.Response, err error, elapsed time.Duration)
	// Warn, if set, receives warnings: things the user should know that
	// fail no input (a selector matching nothing on the first pages, a
	// ragged CSV row).
	Warn func(msg, url string)
	// Checkpoint, if set, is the checkpoint to use instead of the job's
	// checkpoint file (a resume.Store kept elsewhere, such as a JetStream
	// key-value bucket); the caller opens and closes it, and Resume and
	// Restart do not apply to it.
	Checkpoint resume.Store
	// Transport, if set, sends every request of the fetch stage (see
	// fetch.Config.Transport): a shared robots.txt cache, a recorder.
	Transport http.RoundTripper
	// Stopping, if set, reports that the run is stopping: inputs not yet
	// fetched are then dropped (pipeline.ErrDrop), not processed, so a
	// stop finishes only the work in flight; a resumed run does them.
	Stopping func() bool
	// OnCommit sees the keys each commit round made durable: the inputs
	// whose records were written and those that were dead-lettered.
	OnCommit func(sinks.CommitEvent)
	// RemoteCrawl, if set, runs a crawl job's pages from a frontier kept
	// outside the run (see RemoteCrawl); jobs that do not crawl ignore it.
	RemoteCrawl RemoteCrawl
}

// CheckpointExistsError says a fresh run would overwrite a checkpoint that
// records committed inputs.
type CheckpointExistsError struct {
	Path string
	Done int
}

// Error says where the checkpoint is and how to go on.
func (e *CheckpointExistsError) Error() string {
	return fmt.Sprintf("job: checkpoint %s already records %d finished inputs: pass --resume to continue that run, or --restart to start over", e.Path, e.Done)
}

// RecordCounts counts records, which the stage ledger (one item per input)
// does not show.
type RecordCounts struct {
	// Extracted is how many records the parser produced.
	Extracted atomic.Int64
	// Kept is how many of them passed the filters.
	Kept atomic.Int64
}

// Built is a job's built pipeline and what it holds open. Most programs
// call Run instead, which builds, runs and reports.
type Built struct {
	// Pipeline is ready to Run.
	Pipeline *pipeline.Pipeline
	// Records counts records extracted and kept.
	Records *RecordCounts
	// Resumed is how many inputs the checkpoint held done at the start.
	Resumed int

	ckpt resume.Store
	// ownCkpt says Build opened ckpt, so Close closes it.
	ownCkpt bool
	// recordInput says a run records the input's checksum in ckpt, beside
	// the pipeline (see Job.recordInput): a fresh checkpoint of a job
	// keyed by line number.
	recordInput bool
	fetcher     *fetch.Fetcher
	robots      *fetch.RobotsFile // nil: robots.txt is not kept across runs
	crawl       *crawlRun         // nil unless the job crawls (job/crawl.go)
	watch       *fieldWatch
}

// Finish tells the parts that watch a run that it is over (a selector
// that matched nothing on a run shorter than the watch is warned about
// now). Run calls it after Pipeline.Run returns.
func (r *Built) Finish() { r.watch.finish() }

// HostStates returns the fetcher's per-host politeness state (AIMD
// concurrency limit, rate, pause), for a dashboard.
func (r *Built) HostStates() []fetch.HostState { return r.fetcher.HostStates() }

// Close releases the checkpoint and the fetcher's connections, and
// writes the robots.txt answers of the run for the next one. Call it
// after Pipeline.Run has returned.
func (r *Built) Close() error {
	r.fetcher.Close()
	err := r.crawl.close()
	if r.robots != nil {
		err = errors.Join(err, r.robots.Close())
	}
	if r.ckpt == nil || !r.ownCkpt {
		return err
	}
	return errors.Join(err, r.ckpt.Close())
}

// Graph returns the stages of the job's pipeline with their workers. It
// opens no file and connects to nothing.
func (j *Job) Graph(resume bool) (pipeline.Graph, error) {
	r, err := j.assemble(nil, BuildOptions{Resume: resume})
	if err != nil {
		return pipeline.Graph{}, err
	}
	defer r.Close()
	return r.Pipeline.Graph(), nil
}

// Build assembles the job's pipeline:
// read → [resume] → fetch → parse → [filter] → write, with every failure
// dead-lettered and checkpointed through a sinks.Committer; a job with a
// crawl section fetches through the crawl instead (see CrawlSpec).
func (j *Job) Build(opts BuildOptions) (*Built, error) {
	var ckpt resume.Store = opts.Checkpoint
	own := ckpt == nil
	if own {
		c, err := j.openCheckpoint(opts)
		if err != nil {
			return nil, err
		}
		ckpt = c
	} else if err := j.checkFingerprint(ckpt); err != nil {
		return nil, err
	}
	r, err := j.assemble(ckpt, opts)
	if err != nil {
		if own {
			ckpt.Close()
		}
		return nil, err
	}
	r.ownCkpt = own
	r.recordInput = own && !opts.Resume && j.lineKeyed()
	r.Resumed = ckpt.Len()
	return r, nil
}

// assemble builds the pipeline over ckpt (nil: no checkpoint, for Graph).
func (j *Job) assemble(ckpt resume.Store, opts BuildOptions) (*Built, error) {
	var cr *crawlRun
	onCommit := opts.OnCommit
	if j.Crawl != nil && opts.RemoteCrawl == nil {
		var err error
		if cr, err = j.openCrawl(ckpt != nil, opts.Resume); err != nil {
			return nil, err
		}
		onCommit = cr.onCommit(onCommit) // pages are done in the frontier once committed
	}
	committer, err := j.committer(ckpt, onCommit)
	if err != nil {
		return nil, errors.Join(err, cr.close())
	}
	cfg, _ := j.FetchConfig()
	cfg.Transport = opts.Transport
	if j.Crawl == nil {
		// Bodies are held from fetch until parsed, then released (parseFunc).
		// A crawl drops pages inside its own stage, so it has no budget.
		cfg.Budget = fetch.NewBudget(j.BodyBudget())
	}
	var robots *fetch.RobotsFile
	// robots.txt answers are kept beside the job's own checkpoint file; a
	// run over a checkpoint kept elsewhere (a cluster's workers, which
	// share theirs through it for an hour) keeps none of its own.
	if ckpt != nil && opts.Checkpoint == nil && !j.Fetch.IgnoreRobots && !j.Fetch.FreshRobots && j.robotsPath != "" {
		if robots, err = fetch.OpenRobotsFile(j.robotsPath, cfg.RobotsTTL); err != nil {
			return nil, errors.Join(fmt.Errorf("job: %w", err), cr.close())
		}
		cfg.RobotsStore = robots
	}
	f, err := fetch.New(cfg)
	if err != nil {
		return nil, errors.Join(fmt.Errorf("job: fetch: %w", err), cr.close())
	}
	r := &Built{Records: &RecordCounts{}, ckpt: ckpt, fetcher: f, robots: robots, crawl: cr, watch: newFieldWatch(j, opts.Warn)}
	onFailure := committer.Fail
	if opts.OnFailure != nil {
		onFailure = func(ctx context.Context, fl pipeline.Failure) error {
			if err := opts.OnFailure(ctx, fl); err != nil {
				return err
			}
			return committer.Fail(ctx, fl)
		}
	}
	r.Pipeline = pipeline.New(pipeline.OnFailure(onFailure))
	j.stages(r, committer, opts)
	return r, nil
}

func (j *Job) openCheckpoint(opts BuildOptions) (*resume.Checkpoint, error) {
	if !opts.Resume {
		if err := j.clearCheckpoint(opts.Restart); err != nil {
			return nil, err
		}
		if !opts.Restart {
			if err := j.checkFreshOutput(); err != nil {
				return nil, err
			}
		}
	}
	// A run asks Done only about what earlier runs finished (the inputs
	// and crawl pages a resume skips): what it commits need not be held.
	ckpt, err := resume.OpenWith(j.Checkpoint, resume.Options{EarlierOnly: true})
	if err != nil {
		return nil, fmt.Errorf("job: %w", err)
	}
	if err := j.checkFingerprint(ckpt); err != nil {
		ckpt.Close()
		return nil, err
	}
	if opts.Resume {
		if err := j.checkInput(ckpt); err != nil {
			ckpt.Close()
			return nil, err
		}
	}
	return ckpt, nil
}

// checkFreshOutput refuses a fresh run over an output file that holds data
// no checkpoint accounts for: a file of the user's, or an earlier run's
// whose checkpoint was deleted. A JSONL or CSV sink starts its file anew,
// so the run would destroy it; --restart says that is meant.
func (j *Job) checkFreshOutput() error {
	if j.Sink.Kind != "jsonl" && j.Sink.Kind != "csv" {
		return nil
	}
	fi, err := os.Stat(j.Sink.Path)
	if err != nil || !fi.Mode().IsRegular() || fi.Size() == 0 {
		return nil
	}
	return &UsageError{Err: fmt.Errorf("job: %s already holds %d bytes that no checkpoint accounts for, and a fresh run starts it anew: pass --restart to replace it, or name another output", j.Sink.Path, fi.Size())}
}

// clearCheckpoint removes the checkpoint of an earlier run, refusing when
// it records work and restart is false.
func (j *Job) clearCheckpoint(restart bool) error {
	if _, err := os.Stat(j.Checkpoint); errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if !restart {
		old, err := resume.Open(j.Checkpoint)
		if err != nil {
			return fmt.Errorf("job: %w", err)
		}
		done := old.Len()
		old.Close()
		if done > 0 {
			return &CheckpointExistsError{Path: j.Checkpoint, Done: done}
		}
	}
	if err := os.Remove(j.Checkpoint); err != nil {
		return fmt.Errorf("job: %w", err)
	}
	return nil
}

func (j *Job) committer(ckpt resume.Store, onCommit func(sinks.CommitEvent)) (*sinks.Committer[record.Record], error) {
	sk, _ := j.reg.Sink(j.Sink.Kind)
	data, err := sk.New(j.Sink)
	if err != nil {
		return nil, fmt.Errorf("job: sink: %w", err)
	}
	dead, err := sinks.NewJSONL[sinks.FailureRecord](j.DeadLetter.Path, sinks.JSONLConfig{})
	if err != nil {
		return nil, fmt.Errorf("job: dead letter: %w", err)
	}
	cfg := sinks.CommitterConfig{Every: j.Commit.Every, Interval: j.Commit.Interval, OnCommit: onCommit, KeyColumn: j.Sink.KeyColumn}
	return sinks.NewCommitter(ckpt, []sinks.Target[record.Record]{data}, dead, cfg)
}

// countable reports whether the job's inputs can be counted in advance:
// a source kind that counts, reading a regular file. Counting a pipe, a
// FIFO or /dev/stdin would take the very inputs the source waits for.
func (j *Job) countable() bool {
	kind, _ := j.reg.Source(j.Source.Kind)
	if kind.Count == nil || j.Source.Path == "-" || j.Source.Kind == "stdin" {
		return false
	}
	if j.Source.Path == "" {
		return true // a kind of the program's own, counting what it reads
	}
	return regularFile(j.Source.Path)
}

// regularFile reports whether path names a regular file: one that can be
// read twice, unlike a pipe, a FIFO or /dev/stdin.
func regularFile(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().IsRegular()
}

// total counts the inputs, -1 when they cannot be counted or the count
// failed (the run reads the input again and reports what is wrong).
func (j *Job) total(ctx context.Context) int64 {
	if !j.countable() {
		return -1
	}
	kind, _ := j.reg.Source(j.Source.Kind)
	n, err := kind.Count(ctx, j.Source)
	if err != nil {
		return -1
	}
	return n
}

// stages adds the job's stages to r.Pipeline.
func (j *Job) stages(r *Built, c *sinks.Committer[record.Record], opts BuildOptions) {
	switch {
	case j.Crawl != nil && opts.RemoteCrawl != nil:
		j.recordStages(r, j.remoteCrawlStages(r, opts.RemoteCrawl, opts), c)
		return
	case j.Crawl != nil:
		j.crawlStages(r, c, opts)
		return
	}
	p := r.Pipeline
	src, _ := j.reg.Source(j.Source.Kind)
	spec := j.Source
	spec.Warn = opts.Warn
	items := src.Build(p, StageRead, spec)
	// The fetch stage's input buffer holds an input for every fetch
	// worker: when a round of responses comes back together, each worker
	// finds its next URL waiting rather than in line behind the one
	// goroutine that feeds them.
	feed := pipeline.Buffer(max(pipeline.DefaultBuffer, j.FetchWorkers()))
	if !j.Source.KeepDuplicates {
		items = pipeline.Filter(p, StageDedupe, items, j.dedupeFunc(), feed)
	}
	if opts.Resume {
		ckpt := r.ckpt
		items = pipeline.Filter(p, StageResume, items, func(_ context.Context, it sources.Item) (bool, error) {
			return ckpt == nil || !ckpt.Done(it.Key), nil
		}, feed)
	}
	pages := pipeline.Map(p, StageFetch, items, fetchFunc(r.fetcher, opts), pipeline.Workers(j.FetchWorkers()))
	j.recordStages(r, pages, c)
}

// recordStages adds parse → [transform] → [filter] → write.
func (j *Job) recordStages(r *Built, pages pipeline.Stream[page], c *sinks.Committer[record.Record]) {
	batches := pipeline.Map(r.Pipeline, StageParse, pages, j.parseFunc(r.Records, r.watch), pipeline.Workers(j.ParseWorkers()))
	j.batchStages(r, batches, c)
}

// batchStages adds the stages after parse: [transform] → [filter] → write.
func (j *Job) batchStages(r *Built, batches pipeline.Stream[sinks.Batch[record.Record]], c *sinks.Committer[record.Record]) {
	p := r.Pipeline
	if len(j.comp.stages) > 0 {
		batches = pipeline.Map(p, StageTransform, batches, j.transformFunc(r.Records), pipeline.Workers(j.ParseWorkers()))
	}
	if len(j.Filters) > 0 {
		batches = pipeline.Map(p, StageFilter, batches, j.filterFunc(r.Records), pipeline.Workers(j.ParseWorkers()))
	}
	pipeline.Sink(p, StageWrite, batches, c)
}
