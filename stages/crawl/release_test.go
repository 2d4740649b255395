package crawl_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/sluicehq/sluice/pipeline"
	"github.com/sluicehq/sluice/stages/crawl"
	"github.com/sluicehq/sluice/stages/fetch"
	"github.com/sluicehq/sluice/testsite"
)

// TestCrawlReleasesPages crawls the shop with a fetcher whose body
// Budget holds a few pages: the crawl releases every page it does not
// hand on (listing pages, followed only; duplicates), so their bytes go
// back to the budget and the crawl does not stall, and the budget is
// empty at the end.
func TestCrawlReleasesPages(t *testing.T) {
	srv := startShop(t, testsite.ShopConfig{Products: 600})
	budget := fetch.NewBudget(16 << 10)
	f, err := fetch.New(fetch.Config{Retries: -1, Budget: budget})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(f.Close)
	store, err := crawl.OpenStore(filepath.Join(t.TempDir(), "f.db"), crawl.StoreConfig{})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	c, err := crawl.New(crawl.Config{Store: store, DoneWhenEmitted: true, Extract: []crawl.Rule{{Has: "div.product"}}})
	if err != nil {
		t.Fatal(err)
	}
	p := pipeline.New()
	pages := c.Stage(p, "crawl", crawl.Seeds(p, "home", srv.URL()+"/shop/"), f.Fetch, pipeline.Workers(4))
	pipeline.Sink(p, "release", pages, pipeline.WriterFunc[*fetch.Response](func(_ context.Context, r *fetch.Response) error {
		r.Release()
		return nil
	}))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := p.Run(ctx); err != nil {
		t.Fatal(err)
	}
	if st := c.Stats(); st.Pages != 600 || st.FollowOnly == 0 {
		t.Errorf("stats %+v", st)
	}
	if n := budget.Held(); n != 0 {
		t.Errorf("budget holds %d bytes after the crawl, want 0", n)
	}
}
