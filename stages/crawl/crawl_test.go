package crawl_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/sluicehq/sluice/pipeline/pipelinetest"
	"github.com/sluicehq/sluice/stages/crawl"
	"github.com/sluicehq/sluice/testsite"
)

// TestCrawlShopExact crawls the test shop from its home page and its
// sitemap (found through robots.txt): every product is handed on exactly
// once, every listing page is fetched once, no URL is requested twice on
// the server side, and nofollow, robots meta, fragments, query order,
// canonical links and off-site links are all honoured.
func TestCrawlShopExact(t *testing.T) {
	srv := startShop(t, testsite.ShopConfig{})
	ids, c, p, err := shopCrawl(runCtx(t), srv, newFetcher(t), crawl.Config{})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(ids)
	want := make([]int, srv.ShopProducts()+1)
	for i := range want {
		want[i] = i
	}
	if !slices.Equal(ids, want) {
		t.Errorf("products handed on: %v\nwant %v", ids, want)
	}
	uris := srv.RequestURIs()
	for uri, n := range uris {
		if n > 1 && uri != "/robots.txt" {
			t.Errorf("%s requested %d times", uri, n)
		}
		if strings.Contains(uri, "secret") || strings.Contains(uri, "hidden") || strings.Contains(uri, "sort=name&page") {
			t.Errorf("%s must not be requested", uri)
		}
	}
	for _, uri := range srv.ShopPages() {
		if uris[uri] != 1 {
			t.Errorf("%s requested %d times, want 1", uri, uris[uri])
		}
	}
	st := c.Stats()
	if st.Nofollow == 0 || st.OutOfScope == 0 || st.Duplicate == 0 || st.NofollowPages != 1 || st.Noindex != 1 || st.Pages != int64(len(want)) || st.Frontier != 0 || st.InFlight != 0 {
		t.Errorf("stats %+v", st)
	}
	pipelinetest.CheckAccounting(t, p)
}

// TestCrawlLimits checks depth, max-pages and scope limits on the shop.
func TestCrawlLimits(t *testing.T) {
	srv := startShop(t, testsite.ShopConfig{})
	f := newFetcher(t)
	t.Run("depth", func(t *testing.T) {
		srv.ResetStats()
		_, c, _, err := shopCrawl(runCtx(t), srv, f, crawl.Config{MaxDepth: 1})
		if err != nil {
			t.Fatal(err)
		}
		if st := c.Stats(); st.OverDepth == 0 {
			t.Errorf("stats %+v", st)
		}
		if n := srv.Requests("/shop/about"); n != 1 {
			t.Errorf("about (depth 1) requested %d times", n)
		}
	})
	t.Run("max-pages", func(t *testing.T) {
		_, c, _, err := shopCrawl(runCtx(t), srv, f, crawl.Config{MaxPages: 20})
		if err != nil {
			t.Fatal(err)
		}
		if st := c.Stats(); st.OverMax == 0 || c.Store().Admitted() != 20 {
			t.Errorf("stats %+v admitted %d", st, c.Store().Admitted())
		}
	})
	t.Run("regex", func(t *testing.T) {
		srv.ResetStats()
		_, c, _, err := shopCrawl(runCtx(t), srv, f, crawl.Config{Scope: `regex:/shop/(c/0|p/)`})
		if err != nil {
			t.Fatal(err)
		}
		if n := srv.Requests("/shop/c/1") + srv.Requests("/shop/about"); n != 0 || srv.Requests("/shop/c/0") == 0 || c.Stats().OutOfScope == 0 {
			t.Errorf("out-of-scope pages requested %d times; stats %+v", n, c.Stats())
		}
	})
}

func TestConfigErrors(t *testing.T) {
	for _, tc := range []struct {
		cfg  crawl.Config
		want string
	}{
		{crawl.Config{Scope: "regex:a(b"}, `scope regex "a(b"`},
		{crawl.Config{Scope: "planet"}, `scope "planet"`},
		{crawl.Config{Follow: []string{"a[["}}, `follow selector "a[["`},
		{crawl.Config{Extract: []crawl.Rule{{URL: "x)"}}}, `url regex "x)"`},
		{crawl.Config{Extract: []crawl.Rule{{}}}, "rule 1 is empty"},
	} {
		if _, err := crawl.New(tc.cfg); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("New(%+v) = %v, want an error with %q", tc.cfg, err, tc.want)
		}
	}
}
