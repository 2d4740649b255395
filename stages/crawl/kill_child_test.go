package crawl_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/sluicehq/sluice/pipeline"
	"github.com/sluicehq/sluice/sources"
	"github.com/sluicehq/sluice/stages/crawl"
	"github.com/sluicehq/sluice/stages/fetch"
)

// The kill test re-executes the test binary with these variables set;
// TestMain then runs runChild instead of the tests.
const (
	childEnv     = "SLUICE_CRAWL_CHILD" // the crawl's directory
	childSiteEnv = "SLUICE_CRAWL_SITE"  // the shop's base URL
)

// runChild crawls the shop named by childSiteEnv with a DiskStore in the
// directory named by childEnv. Its sink appends "id key" lines to
// pages.txt and then marks the key done: the commit event's order.
func runChild() int {
	if err := childCrawl(context.Background(), os.Getenv(childEnv), os.Getenv(childSiteEnv)); err != nil {
		fmt.Fprintln(os.Stderr, "child:", err)
		return 1
	}
	return 0
}

func childCrawl(ctx context.Context, dir, site string) error {
	store, err := crawl.OpenStore(filepath.Join(dir, "frontier.db"), crawl.StoreConfig{})
	if err != nil {
		return err
	}
	defer store.Close()
	out, err := os.OpenFile(filepath.Join(dir, "pages.txt"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	defer out.Close()
	f, err := fetch.New(fetch.Config{Retries: -1})
	if err != nil {
		return err
	}
	defer f.Close()
	c, err := crawl.New(crawl.Config{Store: store, Extract: []crawl.Rule{{Has: "div.product"}}})
	if err != nil {
		return err
	}
	p := pipeline.New()
	home := crawl.Seeds(p, "home", site+"/shop/")
	maps := crawl.RobotsSitemapSeeds(p, "sitemaps", site+"/shop/", sources.SitemapConfig{})
	pages := c.Stage(p, "crawl", pipeline.Merge(p, "seeds", home, maps), f.Fetch, pipeline.Workers(4))
	pipeline.Sink(p, "commit", pages, pipeline.WriterFunc[*fetch.Response](func(_ context.Context, r *fetch.Response) error {
		if _, err := fmt.Fprintf(out, "%d %s\n", productID(r.Body), r.Request.Key); err != nil {
			return err
		}
		return store.MarkDone(r.Request.Key)
	}))
	return p.Run(ctx)
}
