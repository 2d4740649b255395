package fetch_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sort"
	"sync"

	"github.com/sluicehq/sluice/pipeline"
	"github.com/sluicehq/sluice/stages/fetch"
)

// A whole pipeline: URLs in, fetched pages out, failures recorded.
func Example() {
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/robots.txt":
			fmt.Fprint(w, "User-agent: *\nDisallow: /private\n")
		case "/a", "/b":
			w.Header().Set("Content-Type", "text/html; charset=windows-1252")
			fmt.Fprint(w, "<h1>caf\xe9 "+r.URL.Path+"</h1>") // é in windows-1252
		default:
			http.NotFound(w, r)
		}
	}))
	defer site.Close()

	f, err := fetch.New(fetch.Config{})
	if err != nil {
		panic(err)
	}
	defer f.Close()

	var mu sync.Mutex
	var lines []string
	p := pipeline.New(pipeline.OnFailure(func(_ context.Context, fl pipeline.Failure) error {
		mu.Lock()
		defer mu.Unlock()
		var se *fetch.StatusError
		switch {
		case errors.As(fl.Err, &se):
			lines = append(lines, fmt.Sprintf("failed: status %d", se.Code))
		case errors.Is(fl.Err, fetch.ErrDisallowed):
			lines = append(lines, "failed: disallowed by robots.txt")
		}
		return nil
	}))
	urls := pipeline.FromSlice(p, "urls", []fetch.Request{
		fetch.FromURL(site.URL + "/a"), fetch.FromURL(site.URL + "/b"),
		fetch.FromURL(site.URL + "/missing"), fetch.FromURL(site.URL + "/private"),
	})
	pages := pipeline.Map(p, "fetch", urls, f.Fetch, pipeline.Workers(4))
	pipeline.Sink(p, "print", pages, pipeline.WriterFunc[*fetch.Response](func(_ context.Context, r *fetch.Response) error {
		mu.Lock()
		defer mu.Unlock()
		lines = append(lines, fmt.Sprintf("%d %s %s", r.StatusCode, r.Charset, r.Body))
		return nil
	}))
	if err := p.Run(context.Background()); err != nil {
		panic(err)
	}
	sort.Strings(lines)
	for _, l := range lines {
		fmt.Println(l)
	}
	// Output:
	// 200 windows-1252 <h1>café /a</h1>
	// 200 windows-1252 <h1>café /b</h1>
	// failed: disallowed by robots.txt
	// failed: status 404
}
