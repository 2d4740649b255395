package crawl_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"

	"github.com/sluicehq/sluice/pipeline"
	"github.com/sluicehq/sluice/record"
	"github.com/sluicehq/sluice/stages/crawl"
	"github.com/sluicehq/sluice/stages/extract"
	"github.com/sluicehq/sluice/stages/fetch"
)

// Crawl → extract → sink: follow a site's links and turn its product
// pages into records, each with the page's URL.
func Example_extract() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		pages := map[string]string{"/": `<a href="/p/1">1</a> <a href="/p/2">2</a>`,
			"/p/1": `<h1 class="product">Tea</h1><a href="/p/2">next</a>`, "/p/2": `<h1 class="product">Cake</h1>`}
		fmt.Fprint(w, pages[r.URL.Path])
	}))
	defer srv.Close()

	f, _ := fetch.New(fetch.Config{IgnoreRobots: true})
	defer f.Close()
	c, _ := crawl.New(crawl.Config{Extract: []crawl.Rule{{Has: "h1.product"}}, DoneWhenEmitted: true})
	x, _ := extract.NewHTML(extract.HTMLSpec{Fields: []extract.Field{{Name: "name", Selector: "h1"}}})
	p := pipeline.New()
	pages := c.Stage(p, "crawl", crawl.Seeds(p, "seeds", srv.URL+"/"), f.Fetch, pipeline.Workers(4))
	records := pipeline.FlatMap(p, "extract", pages, x.Extract)
	var mu sync.Mutex
	var got []string
	pipeline.Sink(p, "sink", records, pipeline.WriterFunc[record.Record](func(_ context.Context, r record.Record) error {
		mu.Lock()
		defer mu.Unlock()
		name, _ := r.Get("name")
		got = append(got, fmt.Sprintf("%s %s", r.URL[len(srv.URL):], name))
		return nil
	}))
	if err := p.Run(context.Background()); err != nil {
		panic(err)
	}
	slices.Sort(got)
	fmt.Println(got)
	// Output: [/p/1 Tea /p/2 Cake]
}
