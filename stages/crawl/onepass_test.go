package crawl_test

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"sync/atomic"
	"testing"

	"github.com/sluicehq/sluice/pipeline"
	"github.com/sluicehq/sluice/pipeline/pipelinetest"
	"github.com/sluicehq/sluice/record"
	"github.com/sluicehq/sluice/sources"
	"github.com/sluicehq/sluice/stages/crawl"
	"github.com/sluicehq/sluice/stages/extract"
	"github.com/sluicehq/sluice/stages/fetch"
	"github.com/sluicehq/sluice/testsite"
)

// onePass is what the test's Extractor leaves in fetch.Response.Extracted.
type onePass struct {
	recs []record.Record
	err  error
}

// TestCrawlOnePass crawls the shop with Config.Extractor and without: the
// same pages are handed on with the same counts and the same records, and
// with the Extractor every page handed on was extracted in the link
// stage's pass.
func TestCrawlOnePass(t *testing.T) {
	srv := startShop(t, testsite.ShopConfig{})
	x, err := extract.NewHTML(extract.HTMLSpec{Items: "div.product", Fields: []extract.Field{
		{Name: "id", Attr: "data-id", Required: true},
		{Name: "name", Selector: "span.name"},
		{Name: "links", Selector: "a", Take: extract.TakeCount},
	}})
	if err != nil {
		t.Fatal(err)
	}
	var called, inPass atomic.Int64
	extractor := func(resp *fetch.Response, v extract.ElementVisitor) bool {
		called.Add(1)
		recs, ok, err := x.RecordsVisiting(resp, v)
		if ok {
			resp.Extracted = onePass{recs, err}
		}
		return ok
	}
	run := func(cfg crawl.Config) ([]string, crawl.Stats) {
		cfg.Extract = []crawl.Rule{{Has: "div.product"}}
		c, err := crawl.New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		p := pipeline.New()
		home := crawl.Seeds(p, "home", srv.URL()+"/shop/")
		maps := crawl.RobotsSitemapSeeds(p, "sitemaps", srv.URL()+"/shop/", sources.SitemapConfig{})
		pages := c.Stage(p, "crawl", pipeline.Merge(p, "seeds", home, maps), newFetcher(t).Fetch, pipeline.Workers(4))
		recs := pipeline.Map(p, "extract", pages, func(_ context.Context, r *fetch.Response) (string, error) {
			defer r.Release()
			if e, ok := r.Extracted.(onePass); ok {
				inPass.Add(1)
				return fmt.Sprintf("%v %v", e.recs, e.err), nil
			}
			recs, err := x.Records(r)
			return fmt.Sprintf("%v %v", recs, err), nil
		})
		col := pipelinetest.Collect(p, "sink", recs)
		if err := p.Run(runCtx(t)); err != nil {
			t.Fatal(err)
		}
		pipelinetest.CheckAccounting(t, p)
		out := col.Items()
		slices.Sort(out)
		return out, c.Stats()
	}
	want, wantStats := run(crawl.Config{})
	if inPass.Load() != 0 || called.Load() != 0 {
		t.Fatalf("without an Extractor: %d pages extracted in the link pass", inPass.Load())
	}
	got, gotStats := run(crawl.Config{Extractor: extractor})
	if !reflect.DeepEqual(got, want) {
		t.Errorf("records differ:\n got %q\nwant %q", got, want)
	}
	if gotStats != wantStats {
		t.Errorf("stats differ:\n got %+v\nwant %+v", gotStats, wantStats)
	}
	if len(want) != srv.ShopProducts()+1 || inPass.Load() != int64(len(want)) {
		t.Errorf("%d pages extracted in the link pass of %d handed on (%d offered), want all %d",
			inPass.Load(), len(got), called.Load(), srv.ShopProducts()+1)
	}
}
