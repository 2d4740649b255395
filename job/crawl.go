package job

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"sync"
	"time"

	"github.com/sluicehq/sluice/pipeline"
	"github.com/sluicehq/sluice/record"
	"github.com/sluicehq/sluice/sinks"
	"github.com/sluicehq/sluice/sources"
	"github.com/sluicehq/sluice/stages/crawl"
	"github.com/sluicehq/sluice/stages/extract"
	"github.com/sluicehq/sluice/stages/fetch"
)

// StageCrawl names the crawl's stages in a job with a crawl section:
// StageCrawl+"-seeds", "-frontier" and "-fetch" (which also reads each
// page for links; see crawl.Crawler.Stage), whose pages go to StageParse.
const StageCrawl = "crawl"

// CrawlSpec is a job's crawl section: start from seed pages, follow their
// links within a scope, and parse the pages the extract rules pick. The
// seeds are URLs, sitemaps and, when the job has a source section, the
// URLs the source reads.
type CrawlSpec struct {
	// URLs are the pages the crawl starts from.
	URLs []string `yaml:"urls"`
	// Sitemaps are sitemaps whose URLs are seeds (indexes are followed,
	// gzip is read).
	Sitemaps []string `yaml:"sitemaps"`
	// RobotsSitemaps adds the sitemaps named by the robots.txt of each
	// seed URL's site.
	RobotsSitemaps bool `yaml:"robots_sitemaps"`
	// Scope is host (default), domain, prefix or regex:EXPR (see
	// crawl.Config.Scope).
	Scope string `yaml:"scope"`
	// MaxDepth is the deepest link depth followed; 0: no limit.
	MaxDepth int `yaml:"max_depth"`
	// MaxPages caps the URLs admitted to the frontier, over every run of
	// the store; 0: no limit.
	MaxPages int64 `yaml:"max_pages"`
	// Follow lists the CSS selectors of the elements whose href is
	// followed; default a[href], area[href] and link[rel=next].
	Follow []string `yaml:"follow"`
	// IgnoreNofollow follows rel=nofollow links too.
	IgnoreNofollow bool `yaml:"ignore_nofollow"`
	// IgnoreRobotsMeta disregards <meta name="robots"> and X-Robots-Tag.
	IgnoreRobotsMeta bool `yaml:"ignore_robots_meta"`
	// Extract picks the pages to parse: a page matching any rule is
	// parsed, the others are only followed. Empty: every page.
	Extract []CrawlRule `yaml:"extract"`
	// Store is the frontier's file (a bbolt database), kept for --resume;
	// default the sink's path (or the job name) plus ".frontier".
	Store string `yaml:"store"`
}

// CrawlRule picks pages to parse; a rule with both fields needs both.
type CrawlRule struct {
	// URL is a regular expression the page's normalized URL must match.
	URL string `yaml:"url"`
	// Has is a CSS selector the page must have a match for.
	Has string `yaml:"has"`
}

// crawlConfig is the crawl.Config the section describes, over store.
func (c *CrawlSpec) crawlConfig(store crawl.Store, perHost int) crawl.Config {
	cfg := crawl.Config{Scope: c.Scope, MaxDepth: c.MaxDepth, MaxPages: c.MaxPages, Follow: c.Follow,
		IgnoreNofollow: c.IgnoreNofollow, IgnoreRobotsMeta: c.IgnoreRobotsMeta, Store: store, PerHostInFlight: perHost}
	for _, r := range c.Extract {
		cfg.Extract = append(cfg.Extract, crawl.Rule{URL: r.URL, Has: r.Has})
	}
	return cfg
}

// checkSourceOrSeeds checks the source section, which a crawl may go
// without.
func (j *Job) checkSourceOrSeeds(dir string) error {
	s := j.Source
	if j.Crawl != nil && s.Kind == "" && s.Path == "" && s.URL == "" {
		return nil
	}
	return j.checkSource(dir)
}

// checkCrawl checks the crawl section: seeds, scope, selectors and rules,
// each error at its own path; it sets the store's default path.
func (j *Job) checkCrawl(dir string) error {
	c := j.Crawl
	if c == nil {
		return nil
	}
	if len(c.URLs) == 0 && len(c.Sitemaps) == 0 && j.Source.Kind == "" {
		return j.errorAt("crawl", nil, "a crawl needs seeds: crawl.urls, crawl.sitemaps or a source section")
	}
	for i, u := range c.URLs {
		if err := checkSeedURL(u); err != nil {
			return j.errorAt(fmt.Sprintf("crawl.urls[%d]", i), err, "invalid seed URL %q: %v", u, err)
		}
	}
	for i, u := range c.Sitemaps {
		if err := checkSeedURL(u); err != nil {
			return j.errorAt(fmt.Sprintf("crawl.sitemaps[%d]", i), err, "invalid sitemap URL %q: %v", u, err)
		}
	}
	if c.RobotsSitemaps && len(c.URLs) == 0 {
		return j.errorAt("crawl.robots_sitemaps", nil, "robots_sitemaps reads the robots.txt of the sites of crawl.urls, and there are none")
	}
	if err := j.checkCrawlRules(); err != nil {
		return err
	}
	if c.Store == "" {
		base := j.Sink.Path
		if base == "" {
			base = resolve(dir, j.Name)
		}
		c.Store = base + ".frontier"
	} else {
		c.Store = resolve(dir, c.Store)
	}
	return nil
}

// checkCrawlRules compiles the scope, follow selectors and extract rules
// one by one, so an error names the one at fault.
func (j *Job) checkCrawlRules() error {
	c := j.Crawl
	switch {
	case c.MaxDepth < 0:
		return j.errorAt("crawl.max_depth", nil, "must not be negative")
	case c.MaxPages < 0:
		return j.errorAt("crawl.max_pages", nil, "must not be negative")
	}
	if _, err := crawl.New(crawl.Config{Scope: c.Scope}); err != nil {
		return j.errorAt("crawl.scope", err, "%v", err)
	}
	for i, f := range c.Follow {
		if _, err := crawl.New(crawl.Config{Follow: []string{f}}); err != nil {
			return j.errorAt(fmt.Sprintf("crawl.follow[%d]", i), err, "%v", err)
		}
	}
	for i, r := range c.Extract {
		if _, err := crawl.New(crawl.Config{Extract: []crawl.Rule{{URL: r.URL, Has: r.Has}}}); err != nil {
			return j.errorAt(fmt.Sprintf("crawl.extract[%d]", i), err, "%v", err)
		}
	}
	return nil
}

// checkSeedURL accepts absolute http(s) URLs.
func checkSeedURL(raw string) error {
	u, err := url.Parse(raw)
	switch {
	case err != nil:
		return errors.Unwrap(err)
	case u.Scheme != "http" && u.Scheme != "https":
		return errors.New("want an absolute http:// or https:// URL")
	case u.Host == "":
		return errors.New("no host")
	}
	return nil
}

// crawlRun is a built job's crawl: the crawler and its store.
type crawlRun struct {
	c     *crawl.Crawler
	store crawl.Store
	mu    sync.Mutex
	err   error // the first MarkDone error
}

// openCrawl builds the crawl over the store file when persist (a fresh
// run removes an earlier run's store; a resumed one reopens it), or over
// a memory store (for Graph).
func (j *Job) openCrawl(persist, resume bool) (*crawlRun, error) {
	var store crawl.Store = crawl.NewMemoryStore()
	if persist {
		if !resume {
			if err := os.Remove(j.Crawl.Store); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return nil, fmt.Errorf("job: crawl store: %w", err)
			}
		}
		ds, err := crawl.OpenStore(j.Crawl.Store, crawl.StoreConfig{})
		if err != nil {
			return nil, fmt.Errorf("job: %w", err)
		}
		store = ds
	}
	// the per-host cap of the fetcher (0: both default to 8)
	cfg := j.Crawl.crawlConfig(store, j.Fetch.PerHostConcurrency)
	cfg.Extractor = j.onePassExtractor()
	c, err := crawl.New(cfg)
	if err != nil {
		store.Close()
		return nil, fmt.Errorf("job: %w", err)
	}
	return &crawlRun{c: c, store: store}, nil
}

// extracted is a page's records (or the error that failed it), extracted
// by the crawl's link stage in its pass over the page.
type extracted struct {
	recs []record.Record
	err  error
}

// onePassExtractor is the crawl's Extractor when the job extracts HTML:
// the link stage's pass over a page also extracts it, and the parse stage
// takes the records from the response (see parseFunc).
func (j *Job) onePassExtractor() func(*fetch.Response, extract.ElementVisitor) bool {
	h := j.comp.html
	if h == nil || !h.Streams() {
		return nil
	}
	return func(resp *fetch.Response, v extract.ElementVisitor) bool {
		recs, ok, err := h.RecordsVisiting(resp, v)
		if ok {
			resp.Extracted = extracted{recs, err}
		}
		return ok
	}
}

// onCommit marks the pages a commit round made durable done in the store
// (written or dead-lettered), then calls next: "done" in the frontier
// means committed, so a resumed crawl refetches only what was in flight.
func (cr *crawlRun) onCommit(next func(sinks.CommitEvent)) func(sinks.CommitEvent) {
	return func(ev sinks.CommitEvent) {
		keys := make([]string, 0, len(ev.Written)+len(ev.Failed))
		keys = append(append(keys, ev.Written...), ev.Failed...)
		if err := cr.store.MarkDone(keys...); err != nil {
			cr.setErr(err)
		}
		if next != nil {
			next(ev)
		}
	}
}

func (cr *crawlRun) setErr(err error) {
	cr.mu.Lock()
	defer cr.mu.Unlock()
	if cr.err == nil {
		cr.err = fmt.Errorf("job: crawl store: %w", err)
	}
}

// close closes the store and returns the first error the crawl's
// bookkeeping met.
func (cr *crawlRun) close() error {
	if cr == nil {
		return nil
	}
	err := cr.store.Close()
	cr.mu.Lock()
	defer cr.mu.Unlock()
	return errors.Join(cr.err, err)
}

// CrawlStats returns the crawl's counters, or nil when the job does not
// crawl.
func (r *Built) CrawlStats() *crawl.Stats {
	if r.crawl == nil {
		return nil
	}
	st := r.crawl.c.Stats()
	return &st
}

// crawlStages adds a crawl job's stages to r.Pipeline:
// seeds → crawl (frontier → fetch and links) → [resume] → parse →
// [transform] → [filter] → write. The parse stage takes the crawl's
// pages as they come, without a stage between to wrap them.
func (j *Job) crawlStages(r *Built, c *sinks.Committer[record.Record], opts BuildOptions) {
	p := r.Pipeline
	fetchFn := observedFetch(r.fetcher, opts.ObserveFetch)
	pages := r.crawl.c.Stage(p, StageCrawl, j.crawlSeeds(p), fetchFn, pipeline.Workers(j.FetchWorkers()))
	if opts.Resume {
		pages = pipeline.Filter(p, StageResume, pages, r.crawl.notDone(r.ckpt))
	}
	parse := j.parseFunc(r.Records, r.watch)
	batches := pipeline.Map(p, StageParse, pages, func(ctx context.Context, resp *fetch.Response) (sinks.Batch[record.Record], error) {
		return parse(ctx, page{Key: resp.Request.Key, URL: resp.Request.URL, Resp: resp})
	}, pipeline.Workers(j.ParseWorkers()))
	j.batchStages(r, batches, c)
}

// notDone keeps the pages the checkpoint does not hold. A page it holds
// was committed by the run that was killed before its store heard of it:
// it is marked done now, not written twice, and released.
func (cr *crawlRun) notDone(ckpt doneChecker) func(context.Context, *fetch.Response) (bool, error) {
	return func(_ context.Context, resp *fetch.Response) (bool, error) {
		if ckpt == nil || !ckpt.Done(resp.Request.Key) {
			return true, nil
		}
		resp.Release()
		return false, cr.store.MarkDone(resp.Request.Key)
	}
}

type doneChecker interface{ Done(key string) bool }

// crawlSeeds is the crawl's seed stream: the URLs and sitemaps of the
// crawl section in one source stage, merged with the job's source when
// it has one.
func (j *Job) crawlSeeds(p *pipeline.Pipeline) pipeline.Stream[fetch.Request] {
	cfg := crawl.SeedConfig{URLs: j.Crawl.URLs, Sitemaps: j.Crawl.Sitemaps, RobotsSitemaps: j.Crawl.RobotsSitemaps,
		Sitemap: sources.SitemapConfig{UserAgent: j.Fetch.UserAgent}}
	if j.Source.Kind == "" {
		return crawl.SeedSource(p, StageRead, cfg)
	}
	src, _ := j.reg.Source(j.Source.Kind)
	items := src.Build(p, StageRead, j.Source)
	fromSource := pipeline.Map(p, "seeds", items, func(_ context.Context, it sources.Item) (fetch.Request, error) {
		return fetch.Request{URL: it.URL, Meta: it.Fields()}, nil
	})
	if len(cfg.URLs) == 0 && len(cfg.Sitemaps) == 0 {
		return fromSource
	}
	return pipeline.Merge(p, "seeds-all", fromSource, crawl.SeedSource(p, "seeds-crawl", cfg))
}

// observedFetch is f.Fetch with every fetch reported to observe.
func observedFetch(f *fetch.Fetcher, observe func(fetch.Request, *fetch.Response, error, time.Duration)) crawl.FetchFunc {
	if observe == nil {
		return f.Fetch
	}
	return func(ctx context.Context, req fetch.Request) (*fetch.Response, error) {
		start := time.Now()
		resp, err := f.Fetch(ctx, req)
		if ctx.Err() == nil {
			observe(req, resp, err, time.Since(start))
		}
		return resp, err
	}
}
