package job

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/sluicehq/sluice/testsite"
)

func crawlShop(t *testing.T) *testsite.Server {
	t.Helper()
	srv, err := testsite.Start(testsite.Config{Shop: testsite.ShopConfig{Products: 40}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	srv.SetRobots(200, "User-agent: *\nAllow: /\nSitemap: "+srv.URL()+"/shop/sitemap.xml\n")
	return srv
}

func crawlJob(t *testing.T, dir, body string) *Job {
	t.Helper()
	j, err := Parse([]byte(body), Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	return j
}

// A YAML crawl job crawls the shop from its home page and the robots.txt
// sitemap: one record per product, each with its url, every page
// requested once; the frontier is kept next to the output.
func TestRunCrawlJob(t *testing.T) {
	srv := crawlShop(t)
	dir := t.TempDir()
	j := crawlJob(t, dir, `
crawl:
  urls: [`+srv.URL()+`/shop/]
  robots_sitemaps: true
  extract: [{has: div.product}]
fetch: {workers: 4, retries: -1}
parse:
  html:
    fields: [{name: name, selector: span.name}]
sink: {path: out.jsonl}
`)
	if j.Crawl.Store != filepath.Join(dir, "out.jsonl.frontier") {
		t.Errorf("store %q", j.Crawl.Store)
	}
	rep, err := Run(context.Background(), j, RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	got := readURLs(t, filepath.Join(dir, "out.jsonl"))
	want := srv.ShopProductURLs()
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("urls written:\n%v\nwant\n%v", got, want)
	}
	for uri, n := range srv.RequestURIs() {
		if n > 1 && uri != "/robots.txt" {
			t.Errorf("%s requested %d times", uri, n)
		}
	}
	st := rep.Crawl
	if st == nil || st.Pages != int64(len(want)) || st.Discovered == 0 || st.Duplicate == 0 || st.OutOfScope == 0 || st.Nofollow == 0 || st.Frontier != 0 {
		t.Errorf("crawl stats %+v", st)
	}
	if rep.Written != int64(len(want)) {
		t.Errorf("written %d, want %d", rep.Written, len(want))
	}
	if _, err := os.Stat(j.Crawl.Store); err != nil {
		t.Error(err)
	}

	// A resume of the finished crawl fetches nothing but its seed again
	// (already seen) and writes nothing more.
	srv.ResetStats()
	if _, err := Run(context.Background(), j, RunOptions{Resume: true}); err != nil {
		t.Fatal(err)
	}
	if got := readURLs(t, filepath.Join(dir, "out.jsonl")); len(got) != len(want) {
		t.Errorf("after resume: %d records, want %d", len(got), len(want))
	}
	for uri := range srv.RequestURIs() {
		if strings.HasPrefix(uri, "/shop/p/") || strings.HasPrefix(uri, "/shop/c/") {
			t.Errorf("resume of a finished crawl requested %s", uri)
		}
	}
	// A fresh run is refused while the checkpoint holds work...
	var ce *CheckpointExistsError
	if _, err := Run(context.Background(), j, RunOptions{}); !errors.As(err, &ce) {
		t.Fatalf("fresh run over a finished one: %v", err)
	}
	// ...and --restart starts over, the store included.
	srv.ResetStats()
	if _, err := Run(context.Background(), j, RunOptions{Restart: true}); err != nil {
		t.Fatal(err)
	}
	if srv.Requests("/shop/c/0") == 0 {
		t.Error("restart did not crawl again")
	}
	if got := readURLs(t, filepath.Join(dir, "out.jsonl")); len(got) != len(want) {
		t.Errorf("after restart: %d records, want %d", len(got), len(want))
	}
}

// readURLs returns the sorted url column of a JSONL output.
func readURLs(t *testing.T, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var rec struct {
			URL  string `json:"url"`
			Name string `json:"name"`
		}
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			t.Fatal(err)
		}
		if rec.Name == "" {
			t.Errorf("record without its field: %s", sc.Text())
		}
		out = append(out, rec.URL)
	}
	slices.Sort(out)
	return out
}

func TestCrawlSpecErrors(t *testing.T) {
	const rest = "parse: {html: {fields: [{name: t, selector: h1}]}}\nsink: {path: out.jsonl}\n"
	for _, tc := range []struct{ crawl, want string }{
		{"crawl: {urls: ['http://a.example/'], scope: 'regex:a(b'}", `job.yaml:1:38: crawl.scope: crawl: scope regex "a(b"`},
		{"crawl:\n  urls: ['http://a.example/', 'not a url']", `job.yaml:2:31: crawl.urls[1]: invalid seed URL "not a url"`},
		{"crawl: {urls: ['ftp://a.example/']}", `crawl.urls[0]: invalid seed URL "ftp://a.example/": want an absolute http`},
		{"crawl: {sitemaps: ['/sitemap.xml']}", `crawl.sitemaps[0]: invalid sitemap URL`},
		{"crawl: {scope: host}", "crawl: a crawl needs seeds"},
		{"crawl: {urls: ['http://a.example/'], follow: ['a[[']}", `crawl.follow[0]: crawl: follow selector "a[["`},
		{"crawl: {urls: ['http://a.example/'], extract: [{url: 'x)'}]}", `crawl.extract[0]: crawl: extract rule 1: url regex "x)"`},
		{"crawl: {urls: ['http://a.example/'], max_depth: -1}", "crawl.max_depth: must not be negative"},
		{"crawl: {urls: ['http://a.example/'], mx_depth: 2}", `mx_depth`},
		{"crawl: {sitemaps: ['http://a.example/s.xml'], robots_sitemaps: true}", "crawl.robots_sitemaps"},
	} {
		_, err := Parse([]byte(tc.crawl+"\n"+rest), Options{Dir: t.TempDir()})
		var je *Error
		if !errors.As(err, &je) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s:\n got %v\nwant an *Error with %q", tc.crawl, err, tc.want)
		}
	}
}
