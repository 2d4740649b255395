package main

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sluicehq/sluice/testsite"
)

// startShop starts a test site whose robots.txt names the shop's sitemap.
func startShop(t *testing.T, products int, latency time.Duration) *testsite.Server {
	t.Helper()
	srv, err := testsite.Start(testsite.Config{Latency: latency, Shop: testsite.ShopConfig{Products: products}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	srv.SetRobots(200, "User-agent: *\nAllow: /\nSitemap: "+srv.URL()+"/shop/sitemap.xml\n")
	return srv
}

// crawlArgs crawls srv's shop from its home page and robots.txt sitemap,
// extracting product pages into out.
func crawlArgs(srv *testsite.Server, out string, extra ...string) []string {
	return append([]string{"crawl", srv.URL() + "/shop/", "--robots-sitemaps", "--extract-has", "div.product",
		"--field", "name=span.name", "--field", "id=div.product@data-id", "-o", out, "-w", "4"}, extra...)
}

// TestCrawlCommandExact: `sluice crawl` on the test shop writes one record
// per product page, with its url, and the server sees every page
// requested exactly once (robots.txt aside), never a nofollow or off-scope
// page. The ledger shows the crawl counts.
func TestCrawlCommandExact(t *testing.T) {
	srv := startShop(t, 30, 0)
	dir := t.TempDir()
	r := sluice(t, dir, crawlArgs(srv, "out.jsonl")...)
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	recs := crawlRecords(t, filepath.Join(dir, "out.jsonl"))
	checkProducts(t, srv, recs)
	uris := srv.RequestURIs()
	for uri, n := range uris {
		if n > 1 && uri != "/robots.txt" {
			t.Errorf("%s requested %d times", uri, n)
		}
		if strings.Contains(uri, "secret") || strings.Contains(uri, "hidden") {
			t.Errorf("%s must not be requested", uri)
		}
	}
	for _, uri := range srv.ShopPages() {
		if uris[uri] != 1 {
			t.Errorf("%s requested %d times, want 1", uri, uris[uri])
		}
	}
	for _, want := range []string{"crawl: 31 pages extracted", "links: ", " nofollow", "frontier: 0 queued, 0 in flight"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("ledger lacks %q:\n%s", want, r.stderr)
		}
	}
}

// crawlRecord is one line of a crawl's JSONL output.
type crawlRecord struct {
	URL  string `json:"url"`
	Name string `json:"name"`
	ID   string `json:"id"`
}

func crawlRecords(t *testing.T, path string) []crawlRecord {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []crawlRecord
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var r crawlRecord
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("%s: %v", sc.Text(), err)
		}
		out = append(out, r)
	}
	return out
}

// checkProducts checks that recs hold every product page of srv exactly
// once (the orphan, reachable only through the sitemap, included).
func checkProducts(t *testing.T, srv *testsite.Server, recs []crawlRecord) {
	t.Helper()
	var got []string
	for _, r := range recs {
		if r.Name == "" || !strings.HasSuffix(r.URL, "/shop/p/"+r.ID) {
			t.Errorf("record %+v", r)
		}
		got = append(got, r.URL)
	}
	slices.Sort(got)
	want := srv.ShopProductURLs()
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("%d records, want %d:\n got %v\nwant %v", len(got), len(want), got, want)
	}
}

// Bad input: an unparseable seed URL, an invalid scope regex or a bad
// follow selector is a usage error naming it; an unreachable seed, a
// sitemap that is not one and a redirect out of scope are failures
// counted and dead-lettered while the crawl goes on.
func TestCrawlBadInput(t *testing.T) {
	srv := startShop(t, 12, 0)
	dir := t.TempDir()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"crawl", "http://a b/", "--field", "t=h1", "-o", "o.jsonl"}, `invalid seed URL "http://a b/"`},
		{[]string{"crawl", "shop.example", "--field", "t=h1", "-o", "o.jsonl"}, `invalid seed URL "shop.example"`},
		{[]string{"crawl", srv.URL(), "--scope", "regex:(", "--field", "t=h1", "-o", "o.jsonl"}, `--scope: crawl: scope regex "("`},
		{[]string{"crawl", srv.URL(), "--follow", "a[[", "--field", "t=h1", "-o", "o.jsonl"}, `--follow: crawl: follow selector "a[["`},
		{[]string{"crawl", "--field", "t=h1", "-o", "o.jsonl"}, "no seeds"},
	} {
		r := sluice(t, dir, tc.args...)
		if r.code != exitUsage || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("%v: exit %d, want %d with %q:\n%s", tc.args, r.code, exitUsage, tc.want, r.stderr)
		}
	}

	away := srv.RedirectURL(1, srv.URL()+"/products/0")
	r := sluice(t, dir, "crawl", srv.URL()+"/shop/", "http://127.0.0.1:1/", away, "--sitemap", srv.URL()+"/shop/about",
		"--scope", `regex:/shop/`, "--extract-has", "div.product", "--field", "name=span.name", "-o", "out.jsonl")
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	if n := len(crawlRecords(t, filepath.Join(dir, "out.jsonl"))); n != srv.ShopProducts() {
		t.Errorf("%d records, want %d", n, srv.ShopProducts())
	}
	dead, err := os.ReadFile(filepath.Join(dir, "out.jsonl.failed.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"127.0.0.1:1", "redirected out of scope to " + srv.URL() + "/products/0", "shop/about"} {
		if !strings.Contains(string(dead), want) {
			t.Errorf("dead letters lack %q:\n%s", want, dead)
		}
	}
	if !strings.Contains(r.stderr, "(3 failed)") || !strings.Contains(r.stderr, "1 failed to fetch") {
		t.Errorf("ledger does not count the three failures:\n%s", r.stderr)
	}
	if srv.Requests("/products/0") != 1 {
		t.Errorf("/products/0 requested %d times", srv.Requests("/products/0"))
	}
}
