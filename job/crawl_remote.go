package job

import (
	"context"
	"time"

	"github.com/sluicehq/sluice/pipeline"
	"github.com/sluicehq/sluice/stages/crawl"
	"github.com/sluicehq/sluice/stages/fetch"
)

// StageLinks is the stage of a remote crawl (see RemoteCrawl) that reads
// each fetched page's links and picks the pages to extract.
const StageLinks = "links"

// RemoteCrawl runs a crawl job whose frontier lives outside the run: the
// work queue of a cluster, where every worker takes pages, queues the
// links it finds, and extracts the pages the rules pick (package dist).
// With BuildOptions.RemoteCrawl set, a job with a crawl section is built
// as pages → fetch → links → parse → [transform] → [filter] → write: no
// seeds, frontier or store of its own. Every page a run takes reaches
// the sink's commit event, written or failed; a page that is not to be
// extracted (followed only, a duplicate, noindex) is committed with no
// records, after its links were queued.
type RemoteCrawl interface {
	// Pages adds the source stage that hands out the pages to fetch,
	// each with its Key (the normalized URL) and Depth.
	Pages(p *pipeline.Pipeline, name string) pipeline.Stream[fetch.Request]
	// Visit reads a fetched page: it queues the links to follow where
	// the frontier lives and reports whether the page is to be
	// extracted. A pipeline.Skip error fails the page; any other error
	// is fatal to the run.
	Visit(ctx context.Context, resp *fetch.Response) (extract bool, err error)
}

// CrawlConfig returns the crawl.Config of the job's crawl section, with
// no store, or false when the job does not crawl.
func (j *Job) CrawlConfig() (crawl.Config, bool) {
	if j.Crawl == nil {
		return crawl.Config{}, false
	}
	return j.Crawl.crawlConfig(nil, j.Fetch.PerHostConcurrency), true
}

// CrawlSeeds adds to p the source stage(s) reading the job's crawl seeds
// (its crawl URLs, sitemaps and source), as a run of the job reads
// them, and returns their stream; the source stage is named name (see
// StageRead). It panics when the job does not crawl.
func (j *Job) CrawlSeeds(p *pipeline.Pipeline) pipeline.Stream[fetch.Request] {
	if j.Crawl == nil {
		panic("job: CrawlSeeds on a job without a crawl section")
	}
	return j.crawlSeeds(p)
}

// remoteCrawlStages adds a remote crawl's stages to r.Pipeline.
func (j *Job) remoteCrawlStages(r *Built, rc RemoteCrawl, opts BuildOptions) pipeline.Stream[page] {
	p := r.Pipeline
	reqs := rc.Pages(p, StageRead)
	fetched := pipeline.Map(p, StageFetch, reqs, requestFetchFunc(r.fetcher, opts), pipeline.Workers(j.FetchWorkers()))
	return pipeline.Map(p, StageLinks, fetched, func(ctx context.Context, pg page) (page, error) {
		extract, err := rc.Visit(ctx, pg.Resp)
		if err != nil || !extract {
			pg.Resp.Release()
			pg.Resp = nil // parsed as no records: the page is committed, and acked
		}
		return pg, err
	}, pipeline.Workers(j.FetchWorkers()))
}

// requestFetchFunc is fetchFunc for a crawl's requests, which carry
// their depth and seed data.
func requestFetchFunc(f *fetch.Fetcher, opts BuildOptions) func(context.Context, fetch.Request) (page, error) {
	observe, stopping := opts.ObserveFetch, opts.Stopping
	return func(ctx context.Context, req fetch.Request) (page, error) {
		if stopping != nil && stopping() {
			return page{}, errLeftForResume
		}
		start := time.Now()
		resp, err := f.Fetch(ctx, req)
		if observe != nil && ctx.Err() == nil {
			observe(req, resp, err, time.Since(start))
		}
		if err != nil {
			return page{}, err
		}
		return page{Key: req.Key, URL: req.URL, Resp: resp}, nil
	}
}
