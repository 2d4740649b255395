package crawl_test

import (
	"context"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/sluicehq/sluice/pipeline"
	"github.com/sluicehq/sluice/pipeline/pipelinetest"
	"github.com/sluicehq/sluice/sources"
	"github.com/sluicehq/sluice/stages/crawl"
	"github.com/sluicehq/sluice/stages/fetch"
	"github.com/sluicehq/sluice/testsite"
)

func startShop(t testing.TB, shop testsite.ShopConfig) *testsite.Server {
	t.Helper()
	srv, err := testsite.Start(testsite.Config{Shop: shop})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	srv.SetRobots(200, "User-agent: *\nAllow: /\nSitemap: "+srv.URL()+"/shop/sitemap.xml\n")
	return srv
}

func newFetcher(t testing.TB) *fetch.Fetcher {
	t.Helper()
	f, err := fetch.New(fetch.Config{Retries: -1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(f.Close)
	return f
}

// shopCrawl crawls srv's shop from its home page and its robots.txt
// sitemap, extracting product pages, and returns the product ids of the
// pages handed on.
func shopCrawl(ctx context.Context, srv *testsite.Server, f *fetch.Fetcher, cfg crawl.Config) ([]int, *crawl.Crawler, *pipeline.Pipeline, error) {
	cfg.Extract = append(cfg.Extract, crawl.Rule{Has: "div.product"})
	c, err := crawl.New(cfg)
	if err != nil {
		return nil, nil, nil, err
	}
	p := pipeline.New()
	home := crawl.Seeds(p, "home", srv.URL()+"/shop/")
	maps := crawl.RobotsSitemapSeeds(p, "sitemaps", srv.URL()+"/shop/", sources.SitemapConfig{})
	pages := c.Stage(p, "crawl", pipeline.Merge(p, "seeds", home, maps), f.Fetch, pipeline.Workers(4))
	ids := pipeline.Map(p, "id", pages, func(_ context.Context, r *fetch.Response) (int, error) { return productID(r.Body), nil })
	col := pipelinetest.Collect(p, "sink", ids)
	err = p.Run(ctx)
	return col.Items(), c, p, err
}

var dataID = regexp.MustCompile(`data-id="(\d+)"`)

func productID(body []byte) int {
	m := dataID.FindSubmatch(body)
	if m == nil {
		return -1
	}
	n, _ := strconv.Atoi(string(m[1]))
	return n
}

func runCtx(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	return ctx
}
