package dist

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/sluicehq/sluice/job"
	"github.com/sluicehq/sluice/pipeline"
	"github.com/sluicehq/sluice/sources"
)

// Coordinator puts a job into the cluster: it stores the job's spec for
// the workers and publishes its inputs, each once, to the job's
// work-queue stream. Its zero value (with JS set) works.
type Coordinator struct {
	// JS is the JetStream context. Required.
	JS jetstream.JetStream
	// Settings are the queue settings; the first coordinator of a job
	// fixes them.
	Settings Settings
	// Registry holds the kind of the job's source; nil:
	// job.DefaultRegistry().
	Registry *job.Registry
	// Worker names the coordinator in dead letters of inputs its source
	// could not read; default "coordinator".
	Worker string
}

// EnqueueReport is what Enqueue published.
type EnqueueReport struct {
	// Enqueued counts the inputs the stream took as new; Duplicates those
	// it already had (enqueued by an earlier coordinator of the job).
	Enqueued, Duplicates int64
	// Unreadable counts inputs the source could not read (bad rows),
	// dead-lettered at once.
	Unreadable int64
	Elapsed    time.Duration
}

// Enqueue stores the job's spec (spec, or j re-encoded when spec is nil)
// in the jobs bucket and publishes every input the job's source reads to
// partition PartitionOf(host) of the job's stream, with the input key as
// Nats-Msg-Id: JetStream drops a key it has seen within the dedupe
// window, so running Enqueue again (a restarted coordinator) adds only
// what is missing.
func (c *Coordinator) Enqueue(ctx context.Context, j *job.Job, spec []byte) (EnqueueReport, error) {
	start := time.Now()
	if spec == nil {
		var err error
		if spec, err = EncodeJob(j); err != nil {
			return EnqueueReport{}, err
		}
	}
	n := NamesFor(j.Name)
	q, err := openQueue(ctx, c.JS, n, c.Settings)
	if err != nil {
		return EnqueueReport{}, err
	}
	if err := c.storeSpec(ctx, q, spec); err != nil {
		return EnqueueReport{}, err
	}
	meta, err := c.startMeta(ctx, q, j)
	if err != nil {
		return EnqueueReport{}, err
	}
	var rep EnqueueReport
	if j.Crawl != nil {
		rep, err = c.enqueueCrawl(ctx, q, j)
	} else {
		pub := &publisher{js: c.JS, q: q, worker: c.worker()}
		rep, err = pub.run(ctx, c.registry(), j)
	}
	rep.Elapsed = time.Since(start)
	if err != nil {
		return rep, err
	}
	meta.Enqueued, meta.Duplicates, meta.Done = meta.Enqueued+rep.Enqueued, meta.Duplicates+rep.Duplicates, true
	if err := putJSON(ctx, q.stats, metaKey, meta); err != nil {
		return rep, err
	}
	return rep, nil
}

func (c *Coordinator) registry() *job.Registry {
	if c.Registry != nil {
		return c.Registry
	}
	return job.DefaultRegistry()
}

func (c *Coordinator) worker() string {
	if c.Worker != "" {
		return c.Worker
	}
	return "coordinator"
}

// storeSpec puts the spec in the jobs bucket. Another spec under the same
// name is replaced only when the job's queue is empty.
func (c *Coordinator) storeSpec(ctx context.Context, q *queue, spec []byte) error {
	kv, err := ensureBucket(ctx, c.JS, jetstream.KeyValueConfig{Bucket: JobsBucket})
	if err != nil {
		return err
	}
	old, err := kv.Get(ctx, q.names.ID)
	if err == nil && !bytes.Equal(old.Value(), spec) {
		info, err := q.stream.Info(ctx)
		if err != nil {
			return fmt.Errorf("dist: %w", err)
		}
		if info.State.Msgs > 0 {
			return fmt.Errorf("dist: job %q is already in the cluster with another spec and %d inputs queued: let it finish, or delete stream %s, or rename the job",
				q.names.Job, info.State.Msgs, q.names.Stream())
		}
	}
	if _, err := kv.Put(ctx, q.names.ID, spec); err != nil {
		return fmt.Errorf("dist: store job spec: %w", err)
	}
	return nil
}

// startMeta records the job's meta, keeping an earlier coordinator's
// counts; a different partition count is refused.
func (c *Coordinator) startMeta(ctx context.Context, q *queue, j *job.Job) (Meta, error) {
	var m Meta
	found, err := getJSON(ctx, q.stats, metaKey, &m)
	if err != nil {
		return m, err
	}
	set := q.settings
	if found && m.Partitions != set.Partitions {
		return m, &ConfigMismatchError{What: "job", Name: q.names.Job,
			Diffs: []string{fmt.Sprintf("partitions %d, want %d", m.Partitions, set.Partitions)}}
	}
	if !found {
		m = Meta{Job: j.Name, Partitions: set.Partitions, Dedupe: set.Dedupe, AckWait: set.AckWait, Started: time.Now(), Crawl: j.Crawl != nil}
		info, err := q.stream.Info(ctx)
		if err != nil {
			return m, fmt.Errorf("dist: %w", err)
		}
		m.FirstSeq = info.State.LastSeq
	}
	cfg, _ := j.FetchConfig()
	m.PerHostConcurrency, m.PerHostRate, m.Done = cfg.PerHostConcurrency, cfg.PerHostRate, false
	if m.PerHostConcurrency == 0 {
		m.PerHostConcurrency = 8 // fetch's default
	}
	return m, putJSON(ctx, q.stats, metaKey, m)
}

// publisher publishes a job's inputs.
type publisher struct {
	js      jetstream.JetStream
	q       *queue
	worker  string
	rep     EnqueueReport
	pending []jetstream.PubAckFuture
}

// run reads the job's source through a pipeline whose sink publishes.
func (p *publisher) run(ctx context.Context, reg *job.Registry, j *job.Job) (EnqueueReport, error) {
	kind, ok := reg.Source(j.Source.Kind)
	if !ok {
		return p.rep, fmt.Errorf("dist: unknown source kind %q", j.Source.Kind)
	}
	pl := pipeline.New(pipeline.OnFailure(p.unreadable))
	items := kind.Build(pl, job.StageRead, j.Source)
	pipeline.Sink(pl, "enqueue", items, p)
	if err := pl.Run(ctx); err != nil {
		return p.rep, fmt.Errorf("dist: enqueue: %w", err)
	}
	return p.rep, nil
}

// publishWindow is how many publishes may await their ack.
const publishWindow = 2048

// Write publishes one input.
func (p *publisher) Write(ctx context.Context, it sources.Item) error {
	data, err := json.Marshal(inputOf(it))
	if err != nil {
		return err
	}
	subj := p.q.names.Subject(PartitionOf(HostOf(it.URL), p.q.settings.Partitions))
	f, err := p.js.PublishAsync(subj, data, jetstream.WithMsgID(it.Key))
	if err != nil {
		return fmt.Errorf("publish %s: %w", it.Key, err)
	}
	p.pending = append(p.pending, f)
	if len(p.pending) >= publishWindow {
		return p.settle(ctx)
	}
	return nil
}

// Close waits for the publishes in flight.
func (p *publisher) Close(ctx context.Context) error { return p.settle(ctx) }

// settle waits for every pending publish and counts its outcome.
func (p *publisher) settle(ctx context.Context) error {
	for _, f := range p.pending {
		select {
		case ack := <-f.Ok():
			if ack.Duplicate {
				p.rep.Duplicates++
			} else {
				p.rep.Enqueued++
			}
		case err := <-f.Err():
			return fmt.Errorf("publish %s: %w", f.Msg().Header.Get(jetstream.MsgIDHeader), err)
		case <-ctx.Done():
			return context.Cause(ctx)
		}
	}
	clear(p.pending)
	p.pending = p.pending[:0]
	return nil
}

// unreadable dead-letters an input the source could not read.
func (p *publisher) unreadable(ctx context.Context, f pipeline.Failure) error {
	p.rep.Unreadable++
	key := fmt.Sprintf("%s:%v", f.Stage, f.Input)
	if it, ok := f.Input.(sources.Item); ok {
		key = it.Key
	}
	dl := DeadLetter{Key: key, Stage: f.Stage, Reason: "unreadable input", Error: errString(f.Err), Worker: p.worker, Time: time.Now()}
	return publishDead(ctx, p.js, p.q.names, dl)
}

// publishDead publishes a dead letter, once per key.
func publishDead(ctx context.Context, js jetstream.JetStream, n Names, dl DeadLetter) error {
	data, err := json.Marshal(dl)
	if err != nil {
		return err
	}
	if _, err := js.Publish(ctx, n.DeadSubject(), data, jetstream.WithMsgID(dl.Key)); err != nil {
		return fmt.Errorf("dist: publish dead letter %s: %w", dl.Key, err)
	}
	return nil
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// putJSON stores v as JSON under key.
func putJSON(ctx context.Context, kv jetstream.KeyValue, key string, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	if _, err := kv.Put(ctx, key, data); err != nil {
		return fmt.Errorf("dist: put %s: %w", key, err)
	}
	return nil
}

// getJSON loads key into v; found is false when the key is absent.
func getJSON(ctx context.Context, kv jetstream.KeyValue, key string, v any) (found bool, err error) {
	e, err := kv.Get(ctx, key)
	if errors.Is(err, jetstream.ErrKeyNotFound) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("dist: get %s: %w", key, err)
	}
	if err := json.Unmarshal(e.Value(), v); err != nil {
		return false, fmt.Errorf("dist: %s: %w", key, err)
	}
	return true, nil
}
