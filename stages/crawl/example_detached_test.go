package crawl_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/sluicehq/sluice/stages/crawl"
	"github.com/sluicehq/sluice/stages/fetch"
)

// A detached crawler reads pages fetched elsewhere: Visit queues a page's
// links in the store (here a MemoryStore; in a cluster, the work queue)
// and says whether to extract the page.
func ExampleNewDetached() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, `<div class="product">one</div><a href="/p/2#top">two</a> <a rel="nofollow" href="/cart">cart</a> <a href="https://elsewhere.example/">out</a>`)
	}))
	defer srv.Close()
	store := crawl.NewMemoryStore()
	c, err := crawl.NewDetached(crawl.Config{Store: store, Extract: []crawl.Rule{{Has: "div.product"}}})
	if err != nil {
		panic(err)
	}
	seed, _ := c.Seed(srv.URL+"/p/1", nil)
	f, _ := fetch.New(fetch.Config{})
	defer f.Close()
	resp, err := f.Fetch(context.Background(), fetch.Request{URL: seed.URL, Key: seed.Key})
	if err != nil {
		panic(err)
	}
	extract, err := c.Visit(resp)
	fmt.Println("extract:", extract, err)
	next, _, _ := store.Next(nil)
	fmt.Println("queued:", strings.TrimPrefix(next.Key, srv.URL), "depth", next.Depth)
	st := c.Stats()
	fmt.Println("links:", st.Discovered, "discovered,", st.Nofollow, "nofollow,", st.OutOfScope, "out of scope")
	// Output:
	// extract: true <nil>
	// queued: /p/2 depth 1
	// links: 3 discovered, 1 nofollow, 1 out of scope
}
