package dist

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/sluicehq/sluice/job"
	"github.com/sluicehq/sluice/pipeline"
	"github.com/sluicehq/sluice/stages/crawl"
	"github.com/sluicehq/sluice/stages/fetch"
)

// distCrawl is a worker's side of a distributed crawl, the
// job.RemoteCrawl its rounds run with: pages come from the partitions
// the worker leases, and a detached crawler reads them, its links going
// to the cluster's seen-set and work queue.
type distCrawl struct {
	w     *Worker
	c     *crawl.Crawler
	seen  *seenSet
	seeds *seedScope
}

// openCrawl opens a crawl job's seen-set and seed stream and builds the
// detached crawler over them.
func (w *Worker) openCrawl(ctx context.Context, cfg crawl.Config) (*distCrawl, error) {
	seen, seeds, err := openSeen(ctx, w.js, w.q, cfg.MaxPages)
	if err != nil {
		return nil, err
	}
	cfg.Store = seen
	if seeds.c, err = crawl.NewDetached(cfg); err != nil {
		return nil, fmt.Errorf("dist: job %q: %w", w.names.Job, err)
	}
	return &distCrawl{w: w, c: seeds.c, seen: seen, seeds: seeds}, nil
}

// Pages is the source stage of the worker's pages.
func (d *distCrawl) Pages(p *pipeline.Pipeline, name string) pipeline.Stream[fetch.Request] {
	return pipeline.Source(p, name, func(ctx context.Context, e *pipeline.Emitter[fetch.Request]) error {
		return d.w.src.pull(ctx, func(in input) error { return e.Emit(in.request()) }, e.Flush)
	})
}

// Visit queues a page's links in the cluster and reports whether to
// extract it.
func (d *distCrawl) Visit(_ context.Context, resp *fetch.Response) (bool, error) {
	return d.c.Visit(resp)
}

// stats are the crawler's counters, with the URLs the cluster's
// MaxPages refused.
func (d *distCrawl) stats() *crawl.Stats {
	st := d.c.Stats()
	st.OverMax += d.seen.overMax.Load()
	return &st
}

// remote is the worker's job.RemoteCrawl, nil when the job does not
// crawl.
func (w *Worker) remote() job.RemoteCrawl {
	if w.crawl == nil {
		return nil
	}
	return w.crawl
}

// openSeen opens the job's seen bucket and seed stream.
func openSeen(ctx context.Context, js jetstream.JetStream, q *queue, maxPages int64) (*seenSet, *seedScope, error) {
	kv, err := ensureBucket(ctx, js, jetstream.KeyValueConfig{Bucket: q.names.SeenBucket(), Storage: jetstream.FileStorage})
	if err != nil {
		return nil, nil, err
	}
	st, err := ensureStream(ctx, js, jetstream.StreamConfig{Name: q.names.SeedStream(), Subjects: []string{q.names.SeedSubject()},
		Retention: jetstream.LimitsPolicy, Storage: jetstream.FileStorage, Duplicates: q.settings.Dedupe})
	if err != nil {
		return nil, nil, err
	}
	seeds := &seedScope{js: js, stream: st}
	return &seenSet{js: js, kv: kv, q: q, maxPages: maxPages, seeds: seeds.position}, seeds, nil
}

// seedMsg is one seed in the seed stream.
type seedMsg struct {
	URL  string            `json:"url"`
	Meta map[string]string `json:"meta,omitempty"`
}

// seedScope is a worker's copy of the crawl's seeds: it widens the
// detached crawler's scope with every seed of the seed stream up to the
// position a page carries, before the page is processed.
type seedScope struct {
	js     jetstream.JetStream
	stream jetstream.Stream
	c      *crawl.Crawler

	mu      sync.Mutex
	applied uint64 // the last seed stream sequence read
}

func (s *seedScope) position() uint64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.applied
}

// sync widens the scope with the seeds up to sequence upTo.
func (s *seedScope) sync(ctx context.Context, upTo uint64) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if upTo <= s.applied {
		return nil
	}
	return readSeeds(ctx, s.js, s.stream, s.applied, upTo, func(seq uint64, sd seedMsg) error {
		_, _ = s.c.Seed(sd.URL, sd.Meta) // a bad seed was dead-lettered by the coordinator
		s.applied = seq
		return nil
	})
}

// readSeeds calls fn for every seed after sequence from, up to upTo.
func readSeeds(ctx context.Context, js jetstream.JetStream, st jetstream.Stream, from, upTo uint64, fn func(uint64, seedMsg) error) error {
	name := st.CachedInfo().Config.Name
	cctx, cancel := context.WithTimeout(ctx, requestTimeout)
	cons, err := js.OrderedConsumer(cctx, name, jetstream.OrderedConsumerConfig{
		DeliverPolicy: jetstream.DeliverByStartSequencePolicy, OptStartSeq: from + 1})
	cancel()
	if err != nil {
		return fmt.Errorf("dist: seeds: %w", err)
	}
	for from < upTo {
		batch, err := cons.Fetch(1000, jetstream.FetchMaxWait(2*time.Second))
		if err != nil {
			return fmt.Errorf("dist: seeds: %w", err)
		}
		got := 0
		for m := range batch.Messages() {
			got++
			md, err := m.Metadata()
			if err != nil {
				return fmt.Errorf("dist: seeds: %w", err)
			}
			from = md.Sequence.Stream
			var sd seedMsg
			if json.Unmarshal(m.Data(), &sd) != nil {
				continue
			}
			if err := fn(from, sd); err != nil {
				return err
			}
		}
		if got == 0 {
			return fmt.Errorf("dist: seed stream %s ends before sequence %d", name, upTo)
		}
	}
	return nil
}

// enqueueCrawl puts a crawl job's seeds in the cluster: first every seed
// the job reads into the seed stream (so that any page in the queue
// finds the whole scope there), then each one, through the seen-set,
// into the work queue.
func (c *Coordinator) enqueueCrawl(ctx context.Context, q *queue, j *job.Job) (EnqueueReport, error) {
	cfg, _ := j.CrawlConfig()
	seen, seeds, err := openSeen(ctx, c.JS, q, cfg.MaxPages)
	if err != nil {
		return EnqueueReport{}, err
	}
	rec := &seedRecorder{publisher{js: c.JS, q: q, worker: c.worker()}}
	pl := pipeline.New(pipeline.OnFailure(rec.unreadable))
	pipeline.Sink(pl, "record-seeds", j.CrawlSeeds(pl), rec)
	if err := pl.Run(ctx); err != nil {
		return rec.rep, fmt.Errorf("dist: seeds: %w", err)
	}
	rep := EnqueueReport{Unreadable: rec.rep.Unreadable, Duplicates: rec.rep.Duplicates} // a seed read twice
	info, err := seeds.stream.Info(ctx)
	if err != nil {
		return rep, fmt.Errorf("dist: seeds: %w", err)
	}
	last := info.State.LastSeq
	cfg.Store = seen
	cr, err := crawl.NewDetached(cfg)
	if err != nil {
		return rep, fmt.Errorf("dist: %w", err)
	}
	seen.seeds = func() uint64 { return last }
	err = readSeeds(ctx, c.JS, seeds.stream, 0, last, func(_ uint64, sd seedMsg) error {
		e, err := cr.Seed(sd.URL, sd.Meta)
		if err != nil {
			rep.Unreadable++
			return publishDead(ctx, c.JS, q.names, DeadLetter{Key: sd.URL, URL: sd.URL, Stage: job.StageRead,
				Reason: "invalid seed", Error: err.Error(), Worker: c.worker(), Time: time.Now()})
		}
		ok, err := seen.Add(e)
		switch {
		case err != nil:
			return err
		case ok:
			rep.Enqueued++
		default:
			rep.Duplicates++
		}
		return nil
	})
	return rep, err
}

// seedRecorder publishes seeds to the seed stream, each URL once.
type seedRecorder struct{ publisher }

// Write publishes one seed.
func (r *seedRecorder) Write(ctx context.Context, req fetch.Request) error {
	data, err := json.Marshal(seedMsg{URL: req.URL, Meta: req.Meta})
	if err != nil {
		return err
	}
	f, err := r.js.PublishAsync(r.q.names.SeedSubject(), data, jetstream.WithMsgID(req.URL))
	if err != nil {
		return fmt.Errorf("publish seed %s: %w", req.URL, err)
	}
	r.pending = append(r.pending, f)
	if len(r.pending) >= publishWindow {
		return r.settle(ctx)
	}
	return nil
}
