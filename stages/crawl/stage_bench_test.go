package crawl_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/sluicehq/sluice/pipeline"
	"github.com/sluicehq/sluice/stages/crawl"
	"github.com/sluicehq/sluice/stages/fetch"
	"github.com/sluicehq/sluice/testsite"
)

// BenchmarkCrawlStage crawls a generated shop of 20,000 products through
// Crawler.Stage over a DiskStore, 32 fetch workers, pages marked done
// when emitted and dropped; the test server runs in the same process, so
// ns/page counts its work too. For profiles of the crawl path:
//
//	go test -run '^$' -bench CrawlStage -benchtime 2x -cpuprofile cpu.out -memprofile mem.out ./stages/crawl
func BenchmarkCrawlStage(b *testing.B) {
	srv := startShop(b, testsite.ShopConfig{Products: 20_000})
	f := newFetcher(b)
	pages := int64(0)
	for b.Loop() {
		store, err := crawl.OpenStore(filepath.Join(b.TempDir(), "f.db"), crawl.StoreConfig{})
		if err != nil {
			b.Fatal(err)
		}
		c, err := crawl.New(crawl.Config{Store: store, DoneWhenEmitted: true, PerHostInFlight: 32,
			Extract: []crawl.Rule{{Has: "div.product"}}})
		if err != nil {
			b.Fatal(err)
		}
		p := pipeline.New()
		out := c.Stage(p, "crawl", crawl.Seeds(p, "home", srv.URL()+"/shop/"), f.Fetch, pipeline.Workers(32))
		pipeline.Sink(p, "drop", out, pipeline.WriterFunc[*fetch.Response](func(_ context.Context, r *fetch.Response) error {
			r.Release()
			return nil
		}))
		if err := p.Run(context.Background()); err != nil {
			b.Fatal(err)
		}
		if err := store.Close(); err != nil {
			b.Fatal(err)
		}
		pages += c.Stats().Pages + c.Stats().FollowOnly
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(pages), "ns/page")
	b.ReportMetric(0, "ns/op")
}
