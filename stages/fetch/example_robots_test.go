package fetch_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync/atomic"

	"github.com/sluicehq/sluice/stages/fetch"
)

// Keeping robots.txt answers across runs: the second Fetcher (a second
// run) finds the host's rules in the file the first one wrote and does
// not ask for robots.txt again.
func ExampleOpenRobotsFile() {
	var asked atomic.Int32
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			asked.Add(1)
			fmt.Fprint(w, "User-agent: *\nDisallow: /private\n")
			return
		}
		fmt.Fprint(w, "<h1>hello</h1>")
	}))
	defer site.Close()
	dir, err := os.MkdirTemp("", "robots")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "job.robots.json")

	for run := 1; run <= 2; run++ {
		store, err := fetch.OpenRobotsFile(path, 0) // answers kept 24h
		if err != nil {
			panic(err)
		}
		f, err := fetch.New(fetch.Config{RobotsStore: store})
		if err != nil {
			panic(err)
		}
		_, errPage := f.Fetch(context.Background(), fetch.FromURL(site.URL+"/page"))
		_, errPrivate := f.Fetch(context.Background(), fetch.FromURL(site.URL+"/private"))
		f.Close()
		if err := store.Close(); err != nil { // writes the file
			panic(err)
		}
		fmt.Printf("run %d: /page ok %v, /private disallowed %v; robots.txt asked %d time(s) so far\n",
			run, errPage == nil, errors.Is(errPrivate, fetch.ErrDisallowed), asked.Load())
	}
	// Output:
	// run 1: /page ok true, /private disallowed true; robots.txt asked 1 time(s) so far
	// run 2: /page ok true, /private disallowed true; robots.txt asked 1 time(s) so far
}
