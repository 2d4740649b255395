package sources_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/sluicehq/sluice/pipeline"
	"github.com/sluicehq/sluice/sources"
)

// A CSV of URLs with a few bad rows: the good rows become items, the bad
// ones failures with their line numbers, and the run goes on. A row short
// of a field but with its URL is kept, with a warning.
func ExampleCSV() {
	in := "id,url,name\n" +
		"1,https://example.com/a,\"Smith, J\"\n" +
		"2,mailto:x@example.com,bad scheme\n" +
		"3,https://example.com/b\n" +
		"4,https://example.com/c,\"oops\n" +
		"5,https://example.com/d,ok\n"
	var failures []pipeline.Failure // the handler is called one at a time
	p := pipeline.New(pipeline.OnFailure(func(_ context.Context, f pipeline.Failure) error {
		failures = append(failures, f)
		return nil
	}))
	var warnings []sources.Warning
	items := sources.CSV(p, "csv", strings.NewReader(in), sources.CSVConfig{
		KeyColumn: sources.ColumnNamed("id"),
		Warnings:  func(w sources.Warning) { warnings = append(warnings, w) },
		Format:    func(f sources.CSVFormat) { fmt.Println("format:", f) },
	})
	pipeline.Sink(p, "print", items, pipeline.WriterFunc[sources.Item](func(_ context.Context, it sources.Item) error {
		name, _ := it.Field("name")
		fmt.Printf("item: key=%s line=%d %s %q\n", it.Key, it.Line, it.URL, name)
		return nil
	}))
	if err := p.Run(context.Background()); err != nil {
		fmt.Println("run:", err)
	}
	for _, w := range warnings {
		fmt.Println(w)
	}
	for _, f := range failures {
		fmt.Printf("failed: %v (input %q)\n", f.Err, f.Input)
	}
	// Output:
	// format: ',' (sniffed), header, url column 1, utf-8
	// item: key=1 line=2 https://example.com/a "Smith, J"
	// item: key=3 line=4 https://example.com/b ""
	// item: key=5 line=6 https://example.com/d "ok"
	// sources: line 4: warning: wrong number of fields: got 2, want 3; row kept
	// failed: sources: line 3: invalid url "mailto:x@example.com": scheme "mailto" is not allowed (input "2,mailto:x@example.com,bad scheme")
	// failed: sources: line 5: quoted field not closed before end of input (opened at column 25) (input "4,https://example.com/c,\"oops")
}

// A sitemap index served over HTTP: the source follows it to its child
// sitemaps and emits their URLs, then each item becomes a fetch request.
func ExampleSitemap() {
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	defer srv.Close()
	mux.HandleFunc("/sitemap.xml", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `<sitemapindex><sitemap><loc>%s/posts.xml</loc></sitemap></sitemapindex>`, srv.URL)
	})
	mux.HandleFunc("/posts.xml", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<urlset><url><loc>https://example.com/p/1</loc><lastmod>2026-11-01</lastmod></url>`+
			`<url><loc>https://example.com/p/2</loc></url></urlset>`)
	})
	p := pipeline.New()
	items := sources.Sitemap(p, "sitemap", srv.URL+"/sitemap.xml", sources.SitemapConfig{Client: srv.Client()})
	pipeline.Sink(p, "print", items, pipeline.WriterFunc[sources.Item](func(_ context.Context, it sources.Item) error {
		lastmod, _ := it.Field("lastmod")
		fmt.Println(it.URL, "key="+it.Key, "lastmod="+lastmod)
		return nil
	}))
	if err := p.Run(context.Background()); err != nil {
		fmt.Println("run:", err)
	}
	// Output:
	// https://example.com/p/1 key=https://example.com/p/1 lastmod=2026-11-01
	// https://example.com/p/2 key=https://example.com/p/2 lastmod=
}
