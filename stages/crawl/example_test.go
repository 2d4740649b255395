package crawl_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"

	"github.com/sluicehq/sluice/pipeline"
	"github.com/sluicehq/sluice/stages/crawl"
	"github.com/sluicehq/sluice/stages/fetch"
)

// A whole crawl against a local site: follow links from the home page,
// hand on the product pages only.
func Example() {
	site := map[string]string{
		"/":           `<a href="/list?page=1">shop</a> <a href="https://elsewhere.example/">out</a>`,
		"/list":       `<a href="/p/1">one</a> <a href="/p/2#top">two</a> <a rel="nofollow" href="/cart">cart</a>`,
		"/p/1":        `<div class="product">one</div><a href="/">home</a>`,
		"/p/2":        `<div class="product">two</div><a href="/p/1">one</a>`,
		"/robots.txt": ``,
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, ok := site[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, body)
	}))
	defer srv.Close()

	f, err := fetch.New(fetch.Config{})
	if err != nil {
		panic(err)
	}
	defer f.Close()
	c, err := crawl.New(crawl.Config{Extract: []crawl.Rule{{Has: "div.product"}}, DoneWhenEmitted: true})
	if err != nil {
		panic(err)
	}
	p := pipeline.New()
	pages := c.Stage(p, "crawl", crawl.Seeds(p, "seeds", srv.URL+"/"), f.Fetch, pipeline.Workers(4))
	var got []string
	pipeline.Sink(p, "print", pages, pipeline.WriterFunc[*fetch.Response](func(_ context.Context, r *fetch.Response) error {
		got = append(got, r.URL.Path)
		return nil
	}))
	if err := p.Run(context.Background()); err != nil {
		panic(err)
	}
	slices.Sort(got)
	st := c.Stats()
	fmt.Println(got, "nofollow:", st.Nofollow, "out of scope:", st.OutOfScope, "follow only:", st.FollowOnly)
	// Output: [/p/1 /p/2] nofollow: 1 out of scope: 1 follow only: 2
}
