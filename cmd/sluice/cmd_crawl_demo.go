package main

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/sluicehq/sluice/job"
	"github.com/sluicehq/sluice/stages/extract"
	"github.com/sluicehq/sluice/testsite"
)

// demoCrawlFiles are the files the demo's crawl writes into its directory.
var demoCrawlFiles = []string{"crawl.jsonl", "crawl.jsonl.failed.jsonl", "crawl.jsonl.checkpoint", "crawl.jsonl.frontier"}

// demoCrawl crawls the test site's shop from its home page and sitemap,
// extracting the product pages, and prints the ledger with the crawl's
// counts. It always starts afresh: it takes a fraction of a second.
func (a *app) demoCrawl(ctx context.Context, srv *testsite.Server, df demoFlags) error {
	home := srv.URL() + "/shop/"
	spec := job.Job{
		Name: "demo-crawl",
		Crawl: &job.CrawlSpec{URLs: []string{home}, Sitemaps: []string{home + "sitemap.xml"},
			Extract: []job.CrawlRule{{Has: "div.product"}}},
		Fetch: job.FetchSpec{Workers: 16, PerHostConcurrency: 16},
		Parse: job.ParseSpec{HTML: &job.HTMLSpec{Fields: []extract.Field{
			{Name: "name", Selector: "span.name"}, {Name: "id", Selector: "div.product", Attr: "data-id", Type: "int"}}}},
		Sink: job.SinkSpec{Path: filepath.Join(df.dir, "crawl.jsonl")},
	}
	j, err := job.FromSpec("demo-crawl", spec, job.Options{})
	if err != nil {
		return err
	}
	fmt.Fprintf(a.Out, "\nsluice demo: crawling %s: follow links and the sitemap, extract product pages\n"+
		"  (the same as: sluice crawl %s --sitemap %ssitemap.xml --extract-has div.product --field name=span.name -o %s)\n",
		home, home, home, j.Sink.Path)
	run := runFlags{restart: true, interval: df.run.interval}
	if err := a.execute(ctx, j, run, "sluice demo --dir "+shellQuote(df.dir)); err != nil {
		return err
	}
	fmt.Fprintf(a.Out, "\ncrawled records: %s (one JSON line per product page, with its url)\n", j.Sink.Path)
	return nil
}
