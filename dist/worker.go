package dist

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/sluicehq/sluice/job"
	"github.com/sluicehq/sluice/observe"
	"github.com/sluicehq/sluice/resume"
)

// DefaultMaxDeliver is how many times an input may be handed out before
// a worker dead-letters it instead of processing it again.
const DefaultMaxDeliver = 5

// Worker runs a job's inputs from the cluster: it pulls them from the
// partitions it holds, runs fetch → parse → filter → sink through
// job.Run, and acks an input only after the commit round holding its
// records (or its failure) is durable. Its zero value, with JS set, runs
// the only job in the cluster.
type Worker struct {
	// JS is the JetStream context. Required.
	JS jetstream.JetStream
	// Job names the job to run; empty: the only job in the jobs bucket.
	Job string
	// ID names the worker; default host-pid-random.
	ID string
	// Dir is where the worker's own files go: dead letters, checkpoint,
	// and the output of a file sink (its name gets the worker's ID, see
	// package doc for the merge). Default the current directory.
	Dir string
	// Registry holds the job's kinds; nil: job.DefaultRegistry(). The
	// worker registers its SourceKind in it.
	Registry *job.Registry
	// Lookup resolves ${VAR} in the job spec; nil: os.LookupEnv.
	Lookup func(string) (string, bool)
	// MaxDeliver is how many deliveries an input gets; the next one is
	// dead-lettered. Default DefaultMaxDeliver.
	MaxDeliver int
	// ExitWhenDone ends the run once the coordinator has enqueued every
	// input and the queue is empty.
	ExitWhenDone bool
	// WaitForJob makes Run wait, when the cluster has no job yet (or not
	// the named one, or not its queue yet), until a coordinator enqueues
	// one, instead of failing with ErrNoJob: workers of a fleet may start
	// before the coordinator. OnWait, if set, is called once when the
	// wait begins, with the reason.
	WaitForJob bool
	OnWait     func(reason error)
	// Configure, if set, is called with the job once it is parsed and
	// set up for this worker, before it is built: it may change the job
	// (the sluice command sets the memory budget there). What a job
	// reads when it is built (its memory budget, fetch settings, commit
	// cadence, paths) takes effect as changed; its parse section, filters
	// and stages were compiled when it was parsed, so a change to those
	// needs job.Job.Validate, which compiles them again. An error ends
	// Run with it.
	Configure func(*job.Job) error
	// Observers also see the run's events.
	Observers []observe.Observer
	// StatsInterval is how often the worker publishes its stats and
	// heartbeat; default 1s.
	StatsInterval time.Duration

	js    jetstream.JetStream
	id    string
	names Names
	q     *queue
	src   *source
	ack   *acker
	meta  Meta
	ckpt  *KVStore
	tr    *RobotsCache
	crawl *distCrawl // nil unless the job crawls
	// sinkPath names the job's file sink alike on every worker
	// (sharedSinkName), ownPath is the worker's own file.
	sinkPath, ownPath string
}

// Run runs the job until stop is closed (the work in flight is committed
// and acked, then Run returns), ctx ends, or, with ExitWhenDone, the
// queue is drained; it returns what the worker did. A job the worker
// cannot build is refused before any message is taken.
//
// The worker runs the job in rounds of job.Run: a round ends when the
// queue has nothing for the worker and inputs are still uncommitted (a
// commit round otherwise waits for the next input), so its last commit
// makes them durable and they are acked. A round that fails (a database
// that went away) has its uncommitted inputs handed back and is retried
// with a backoff; maxFailedRounds failures in a row end Run.
func (w *Worker) Run(ctx context.Context, stop <-chan struct{}) (WorkerStats, error) {
	j, err := w.prepare(ctx, stop)
	if errors.Is(err, errStoppedWaiting) {
		return WorkerStats{Worker: w.id}, nil // stopped before any work: nothing to hand back
	}
	if err != nil {
		return WorkerStats{}, err
	}
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	defer wg.Wait()
	w.src.leases = newLeases(w.q, w.id, w.src.tracker.inPartition)
	w.heartbeat(runCtx) // be counted before claiming a share
	stopRun := make(chan struct{})
	var once sync.Once
	end := func() { once.Do(func() { close(stopRun) }) }
	w.src.stop = stopRun
	wg.Go(func() { w.src.leases.run(runCtx) })
	wg.Go(func() { w.statsLoop(runCtx, end) })
	wg.Go(func() { w.extendLoop(runCtx) })
	wg.Go(func() {
		select {
		case <-stop:
			end()
		case <-runCtx.Done():
		}
	})
	err = w.rounds(runCtx, j, stopRun)
	cancel()
	wg.Wait()
	return w.finish(), err
}

// maxFailedRounds is how many rounds in a row may fail before Run gives
// up.
const maxFailedRounds = 5

// rounds runs job.Run until stopped.
func (w *Worker) rounds(ctx context.Context, j *job.Job, stop <-chan struct{}) error {
	failed := 0
	for {
		acked := w.ack.acked()
		_, err := job.Run(ctx, j, job.RunOptions{Stop: stop, Checkpoint: sharedFingerprint{w.ckpt, w}, Transport: w.tr, RemoteCrawl: w.remote(),
			Observers: append([]observe.Observer{observe.Lossless(observe.Only(w.ack, observe.KindFetch|observe.KindFailure|observe.KindCommitted)),
				observe.Lossless(observe.Only(w.src.fetchProgress(), observe.KindFetch|observe.KindFailure))}, w.Observers...)})
		// Inputs still held were not reported committed (a failed
		// round): hand them back, else their redeliveries would join a
		// stale entry and never run again. The acker is Lossless, so it
		// misses no commit event.
		w.handBack()
		switch {
		case ctx.Err() != nil:
			return context.Cause(ctx)
		case err != nil && job.IsUsage(err):
			return fmt.Errorf("dist: %w", err)
		case err != nil:
			if w.ack.acked() == acked {
				failed++
			} else {
				failed = 1
			}
			if failed >= maxFailedRounds {
				return fmt.Errorf("dist: %d rounds failed in a row: %w", failed, err)
			}
			w.ack.roundFailed(err)
			select {
			case <-time.After(time.Duration(failed) * time.Second):
			case <-stop:
				return nil
			case <-ctx.Done():
				return context.Cause(ctx)
			}
			continue
		}
		failed = 0
		select {
		case <-stop:
			return nil
		default:
		}
	}
}

// handBack naks the inputs a failed round took and did not commit, so
// they are redelivered at once.
func (w *Worker) handBack() {
	w.src.tracker.mu.Lock()
	keys := make([]string, 0, len(w.src.tracker.byKey))
	for k := range w.src.tracker.byKey {
		keys = append(keys, k)
	}
	w.src.tracker.mu.Unlock()
	for _, m := range w.src.tracker.take(keys) {
		_ = m.Nak()
	}
}

// prepare loads, checks and adapts the job, and opens the queue.
func (w *Worker) prepare(ctx context.Context, stop <-chan struct{}) (*job.Job, error) {
	w.js = w.JS
	w.id = w.ID
	if w.id == "" {
		host, _ := os.Hostname()
		w.id = fmt.Sprintf("%s-%d-%04x", host, os.Getpid(), rand.IntN(1<<16))
	}
	name, spec, err := w.findJob(ctx, stop)
	if err != nil {
		return nil, err
	}
	w.names = NamesFor(name)
	if w.q, err = openQueue(ctx, w.js, w.names, Settings{Partitions: w.meta.Partitions, Dedupe: w.meta.Dedupe, AckWait: w.meta.AckWait}); err != nil {
		return nil, err
	}
	w.src = &source{w: w, q: w.q, tracker: newTracker()}
	w.ack = &acker{w: w, failures: map[string]*observe.Failure{}, stats: WorkerStats{Worker: w.id, PID: os.Getpid(), Started: time.Now(), Reasons: map[string]int64{}}}
	w.ack.stats.Host, _ = os.Hostname()
	j, err := w.loadJob(spec)
	if err != nil {
		return nil, err
	}
	if err := checkSink(ctx, j); err != nil {
		return nil, err
	}
	if cfg, ok := j.CrawlConfig(); ok {
		if w.crawl, err = w.openCrawl(ctx, cfg); err != nil {
			return nil, err
		}
	}
	if w.tr, err = w.robotsCache(ctx, j); err != nil {
		return nil, err
	}
	if w.ckpt, err = OpenKVStore(ctx, w.js, w.names, w.id); err != nil {
		return nil, err
	}
	w.src.batch = j.FetchWorkers()
	return j, nil
}

// sharedFingerprint records the job's fingerprint in the shared store
// with the job's file sink path in place of the worker's own, so that
// every worker of a job records the same one.
type sharedFingerprint struct {
	*KVStore
	w *Worker
}

// SetFingerprint records fp with the worker's own output path replaced.
func (s sharedFingerprint) SetFingerprint(fp resume.Fingerprint) error {
	if s.w.ownPath != "" {
		fp = maps.Clone(fp)
		for part, v := range fp {
			fp[part] = strings.ReplaceAll(v, s.w.ownPath, s.w.sinkPath)
		}
	}
	return s.KVStore.SetFingerprint(fp)
}

// robotsCache opens the job's robots bucket and the transport over it.
func (w *Worker) robotsCache(ctx context.Context, j *job.Job) (*RobotsCache, error) {
	kv, err := ensureBucket(ctx, w.js, jetstream.KeyValueConfig{Bucket: w.names.RobotsBucket(), TTL: RobotsTTL})
	if err != nil {
		return nil, err
	}
	cfg, err := j.FetchConfig()
	if err != nil {
		return nil, fmt.Errorf("dist: job %q: %w", w.names.Job, err)
	}
	base, err := baseTransport(cfg)
	if err != nil {
		return nil, err
	}
	return &RobotsCache{KV: kv, Base: base}, nil
}

// ErrNoJob is why a worker finds nothing to work on: the cluster has no
// job yet, not the one named, or not its queue yet.
var ErrNoJob = errors.New("dist: no job to work on")

// errStoppedWaiting ends a Run stopped before its job appeared.
var errStoppedWaiting = errors.New("dist: stopped while waiting for a job")

// jobWaitPoll is how often a waiting worker looks for its job again.
const jobWaitPoll = 250 * time.Millisecond

// findJob loads the worker's job, spec and queue metadata; with
// WaitForJob it waits for a job that is not there yet, until stop or ctx.
func (w *Worker) findJob(ctx context.Context, stop <-chan struct{}) (string, []byte, error) {
	waiting := false
	for {
		name, spec, err := w.loadJobMeta(ctx)
		if err == nil || !w.WaitForJob || !errors.Is(err, ErrNoJob) {
			return name, spec, err
		}
		if !waiting && w.OnWait != nil {
			w.OnWait(err)
		}
		waiting = true
		t := time.NewTimer(jobWaitPoll)
		select {
		case <-t.C:
		case <-stop:
			t.Stop()
			return "", nil, errStoppedWaiting
		case <-ctx.Done():
			t.Stop()
			return "", nil, fmt.Errorf("%w (%w)", context.Cause(ctx), err)
		}
	}
}

// loadJobMeta loads the job's spec and its queue's metadata.
func (w *Worker) loadJobMeta(ctx context.Context) (string, []byte, error) {
	name, spec, err := LoadSpec(ctx, w.js, w.Job)
	if err != nil {
		return "", nil, err
	}
	stats, err := ensureBucket(ctx, w.js, jetstream.KeyValueConfig{Bucket: NamesFor(name).StatsBucket()})
	if err != nil {
		return "", nil, err
	}
	found, err := getJSON(ctx, stats, metaKey, &w.meta)
	if err != nil {
		return "", nil, err
	}
	if !found {
		return "", nil, fmt.Errorf("%w: job %q has no queue yet: run `sluice run JOB.yaml --nats URL` first", ErrNoJob, name)
	}
	return name, spec, nil
}

// LoadSpec returns the spec of the named job from the jobs bucket; with
// an empty name, the only job there.
func LoadSpec(ctx context.Context, js jetstream.JetStream, name string) (string, []byte, error) {
	kv, err := js.KeyValue(ctx, JobsBucket)
	if errors.Is(err, jetstream.ErrBucketNotFound) {
		return "", nil, fmt.Errorf("%w: the cluster has no job yet: run `sluice run JOB.yaml --nats URL` first", ErrNoJob)
	}
	if err != nil {
		return "", nil, fmt.Errorf("dist: %w", err)
	}
	if name == "" {
		keys, err := kv.Keys(ctx)
		if err != nil && !errors.Is(err, jetstream.ErrNoKeysFound) {
			return "", nil, fmt.Errorf("dist: %w", err)
		}
		if len(keys) == 0 {
			return "", nil, fmt.Errorf("%w: the cluster has no job yet: run `sluice run JOB.yaml --nats URL` first", ErrNoJob)
		}
		if len(keys) > 1 {
			return "", nil, fmt.Errorf("dist: %d jobs in the cluster (%s): name one with --job", len(keys), strings.Join(keys, ", "))
		}
		name = keys[0]
	}
	e, err := kv.Get(ctx, NamesFor(name).ID)
	if errors.Is(err, jetstream.ErrKeyNotFound) {
		return "", nil, fmt.Errorf("%w: the cluster has no job %q", ErrNoJob, name)
	}
	if err != nil {
		return "", nil, fmt.Errorf("dist: %w", err)
	}
	return name, e.Value(), nil
}

// loadJob decodes the spec with the JetStream source in place of the
// job's own and the worker's own files.
func (w *Worker) loadJob(spec []byte) (*job.Job, error) {
	reg := w.Registry
	if reg == nil {
		reg = job.DefaultRegistry()
	}
	if err := reg.RegisterSource(SourceKind, w.src.kind()); err != nil {
		return nil, fmt.Errorf("dist: %w", err)
	}
	lookup := w.Lookup
	if lookup == nil {
		lookup = os.LookupEnv
	}
	dir := w.Dir
	if dir == "" {
		dir = "."
	}
	j, err := job.Parse(spec, job.Options{Registry: reg, Lookup: lookup, Dir: dir})
	if err != nil {
		return nil, fmt.Errorf("dist: job %q from the cluster: %w", w.names.Job, err)
	}
	j.Source = job.SourceSpec{Kind: SourceKind}
	// The worker's own files go in a directory of its own: job.Run locks
	// the directory of the checkpoint against a second run writing the
	// same outputs, which here is intended (upserts by key).
	own := filepath.Join(dir, w.names.ID+"."+w.id)
	if err := os.MkdirAll(own, 0o755); err != nil {
		return nil, fmt.Errorf("dist: %w", err)
	}
	j.DeadLetter.Path = filepath.Join(own, "failed.jsonl")
	j.Checkpoint = filepath.Join(own, "checkpoint")
	if j.Sink.Path != "" {
		w.sinkPath = sharedSinkName(j.Sink.Path, dir)
		j.Sink.Path = PerWorkerPath(j.Sink.Path, dir, w.id)
		w.ownPath, _ = filepath.Abs(j.Sink.Path)
	}
	if j.Commit.Interval == 0 {
		j.Commit.Interval = time.Second // ack sooner than the 5s default
	}
	switch {
	case j.Sink.Path == "" && j.Sink.Mode == "append":
		return nil, fmt.Errorf("dist: job %q: sink mode append would write an input twice when it is redelivered after a worker dies; use mode: upsert", w.names.Job)
	case j.Sink.Path == "" || j.Sink.Kind == "sqlite":
		j.Sink.Mode = "upsert"
	}
	if w.Configure != nil {
		if err := w.Configure(j); err != nil {
			return nil, fmt.Errorf("dist: job %q: %w", w.names.Job, err)
		}
	}
	if _, err := j.Graph(false); err != nil {
		return nil, fmt.Errorf("dist: job %q cannot be built here: %w", w.names.Job, err)
	}
	return j, nil
}

// PerWorkerPath is where a worker writes a file sink's output: the
// file's base name with the worker's ID before its extension, in dir.
func PerWorkerPath(path, dir, id string) string {
	base := filepath.Base(path)
	ext := filepath.Ext(base)
	return filepath.Join(dir, strings.TrimSuffix(base, ext)+"."+id+ext)
}

// sharedSinkName names the job's file sink the same way on every worker,
// whatever its --dir: relative to the worker's directory when it lies
// there (a relative path in the spec), absolute otherwise. The shared
// fingerprint records it in place of each worker's own file.
func sharedSinkName(path, dir string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		return path
	}
	if absDir, err := filepath.Abs(dir); err == nil {
		if rel, err := filepath.Rel(absDir, abs); err == nil && filepath.IsLocal(rel) {
			return filepath.ToSlash(rel)
		}
	}
	return abs
}

func (w *Worker) maxDeliver() int {
	if w.MaxDeliver > 0 {
		return w.MaxDeliver
	}
	return DefaultMaxDeliver
}

// deadNow dead-letters a message the source will not process, then acks
// it; if the dead letter cannot be published the message is left to be
// redelivered.
func (w *Worker) deadNow(ctx context.Context, msg jetstream.Msg, dl DeadLetter) {
	dl.Worker, dl.Time = w.id, time.Now()
	ctx, cancel := context.WithTimeout(ctx, requestTimeout)
	defer cancel()
	if err := publishDead(ctx, w.js, w.names, dl); err != nil {
		return
	}
	_ = msg.Ack()
	w.ack.deadLettered(dl.Reason)
}
