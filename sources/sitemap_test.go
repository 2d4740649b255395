package sources

import (
	"bytes"
	"compress/gzip"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/sluicehq/sluice/pipeline"
)

func urlset(locs ...string) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	b.WriteString(`<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">` + "\n")
	for _, l := range locs {
		b.WriteString("  <url>\n    <loc>" + l + "</loc>\n    <lastmod>2026-01-02</lastmod>\n" +
			"    <image:image><image:loc>https://img.example/i.png</image:loc></image:image>\n  </url>\n")
	}
	b.WriteString("</urlset>\n")
	return b.String()
}

func sitemapIndex(locs ...string) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">` + "\n")
	for _, l := range locs {
		b.WriteString("  <sitemap><loc>" + l + "</loc></sitemap>\n")
	}
	b.WriteString("</sitemapindex>\n")
	return b.String()
}

func gzipBytes(t testing.TB, s string) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write([]byte(s))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// sitemapSite serves a tree of sitemaps: plain, .gz files, gzip-encoded
// responses, a 404, bad XML, a duplicate and a nested index.
func sitemapSite(t *testing.T) *httptest.Server {
	mux := http.NewServeMux()
	var srv *httptest.Server
	u := func(p string) string { return srv.URL + p }
	mux.HandleFunc("/index.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(sitemapIndex(u("/s1.xml"), u("/s2.xml.gz"), u("/s3.xml"), u("/missing.xml"),
			u("/bad.xml"), u("/s1.xml"), "mailto:x@example.com", u("/nested.xml"))))
	})
	mux.HandleFunc("/s1.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(urlset("https://a.example/1", "https://a.example/2")))
	})
	mux.HandleFunc("/s2.xml.gz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/gzip")
		w.Write(gzipBytes(t, urlset("https://a.example/3")))
	})
	mux.HandleFunc("/s3.xml", func(w http.ResponseWriter, r *http.Request) {
		if !strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
			t.Error("client did not ask for gzip")
		}
		w.Header().Set("Content-Encoding", "gzip")
		w.Write(gzipBytes(t, urlset("https://a.example/4", " not-a-url ")))
	})
	mux.HandleFunc("/bad.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(strings.TrimSuffix(urlset("https://a.example/5"), "</urlset>\n") + "<url><loc>https://a.example/6</loc></oops>"))
	})
	mux.HandleFunc("/nested.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(sitemapIndex(u("/s4.xml"))))
	})
	mux.HandleFunc("/s4.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(urlset("https://a.example/7")))
	})
	srv = httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func TestSitemapIndex(t *testing.T) {
	srv := sitemapSite(t)
	got, fails, err := runSource(t, func(p *pipeline.Pipeline) pipeline.Stream[Item] {
		return Sitemap(p, "sitemap", srv.URL+"/index.xml", SitemapConfig{Client: srv.Client()})
	})
	if err != nil {
		t.Fatal(err)
	}
	var urls []string
	for _, it := range got {
		urls = append(urls, it.URL)
	}
	want := []string{"https://a.example/1", "https://a.example/2", "https://a.example/3", "https://a.example/4", "https://a.example/5", "https://a.example/7"}
	if !reflect.DeepEqual(urls, want) {
		t.Fatalf("urls %q\nwant %q", urls, want)
	}
	first := got[0]
	if first.Key != first.URL || first.Line != 3 {
		t.Errorf("first item %+v: want key = url, line 3", first)
	}
	wantFields := map[string]string{"lastmod": "2026-01-02", "changefreq": "", "priority": "", "sitemap": srv.URL + "/s1.xml"}
	if !reflect.DeepEqual(first.Fields(), wantFields) {
		t.Errorf("fields %v, want %v", first.Fields(), wantFields)
	}
	wantFails := []string{
		`sources: ` + srv.URL + `/index.xml: line 9: invalid url "mailto:x@example.com": scheme "mailto" is not allowed`,
		`sources: ` + srv.URL + `/s3.xml: line 8: invalid url " not-a-url ": missing scheme (want http:// or https://)`,
		`sources: bad sitemap ` + srv.URL + `/missing.xml: status 404 Not Found`,
		`sources: bad sitemap ` + srv.URL + `/bad.xml: XML syntax error on line 8: element <url> closed by </oops>`,
		`sources: bad sitemap ` + srv.URL + `/s1.xml: already read in this walk`,
	}
	var msgs []string
	for _, f := range fails {
		msgs = append(msgs, f.Err.Error())
	}
	if !reflect.DeepEqual(msgs, wantFails) {
		t.Fatalf("failures:\n got %q\nwant %q", msgs, wantFails)
	}
	if !errors.Is(fails[2].Err, ErrBadSitemap) || fails[2].Input != srv.URL+"/missing.xml" {
		t.Errorf("404 failure %+v", fails[2])
	}
}

func TestSitemapRootFatal(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/500", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "down", 500) })
	mux.HandleFunc("/html", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("<html><body>hi</body></html>")) })
	mux.HandleFunc("/empty", func(w http.ResponseWriter, r *http.Request) {})
	mux.HandleFunc("/big", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(urlset("https://a.example/1", "https://a.example/2")))
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	tests := []struct {
		path string
		cfg  SitemapConfig
		want string
	}{
		{"/500", SitemapConfig{}, "/500: status 500 Internal Server Error"},
		{"/html", SitemapConfig{}, "/html: root element <html> is not <urlset> or <sitemapindex>"},
		{"/empty", SitemapConfig{}, "/empty: empty document"},
		{"/big", SitemapConfig{MaxBytes: 300}, "/big: document larger than 300 bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			_, _, err := runSource(t, func(p *pipeline.Pipeline) pipeline.Stream[Item] {
				return Sitemap(p, "sitemap", srv.URL+tt.path, tt.cfg) // nil Client: a client with a timeout
			})
			if !errors.Is(err, ErrBadSitemap) || !strings.HasSuffix(err.Error(), tt.want) {
				t.Fatalf("err = %v; want ErrBadSitemap ending %q", err, tt.want)
			}
		})
	}
}

func TestSitemapMaxDepth(t *testing.T) {
	mux := http.NewServeMux()
	var srv *httptest.Server
	mux.HandleFunc("/i0.xml", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(sitemapIndex(srv.URL + "/i1.xml"))) })
	mux.HandleFunc("/i1.xml", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(sitemapIndex(srv.URL + "/i2.xml"))) })
	mux.HandleFunc("/i2.xml", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(urlset("https://a.example/"))) })
	srv = httptest.NewServer(mux)
	defer srv.Close()
	for _, tt := range []struct {
		depth, items, fails int
	}{{1, 0, 1}, {2, 1, 0}} {
		got, fails, err := runSource(t, func(p *pipeline.Pipeline) pipeline.Stream[Item] {
			return Sitemap(p, "sitemap", srv.URL+"/i0.xml", SitemapConfig{Client: srv.Client(), MaxDepth: tt.depth})
		})
		if err != nil || len(got) != tt.items || len(fails) != tt.fails {
			t.Fatalf("depth %d: err %v items %v fails %v", tt.depth, err, got, fails)
		}
		if tt.fails == 1 && fails[0].Err.Error() != "sources: bad sitemap "+srv.URL+"/i2.xml: sitemap index nesting exceeds MaxDepth 1" {
			t.Fatalf("message %q", fails[0].Err)
		}
	}
}

func TestSitemapFileAndReader(t *testing.T) {
	dir := t.TempDir()
	gz := filepath.Join(dir, "sitemap.xml.gz")
	if err := os.WriteFile(gz, gzipBytes(t, urlset("https://a.example/1")), 0o600); err != nil {
		t.Fatal(err)
	}
	latin1 := "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<urlset><url><loc>https://a.example/caf\xe9</loc></url></urlset>"
	for name, build := range map[string]func(p *pipeline.Pipeline) pipeline.Stream[Item]{
		"file.gz": func(p *pipeline.Pipeline) pipeline.Stream[Item] { return SitemapFile(p, "sm", gz, SitemapConfig{}) },
		"gzip reader": func(p *pipeline.Pipeline) pipeline.Stream[Item] {
			return SitemapReader(p, "sm", bytes.NewReader(gzipBytes(t, urlset("https://a.example/1"))), SitemapConfig{})
		},
		"latin1": func(p *pipeline.Pipeline) pipeline.Stream[Item] {
			return SitemapReader(p, "sm", strings.NewReader(latin1), SitemapConfig{})
		},
	} {
		got, fails, err := runSource(t, build)
		if err != nil || len(fails) != 0 || len(got) != 1 {
			t.Fatalf("%s: err %v fails %v items %v", name, err, fails, got)
		}
		if want := []string{"https://a.example/1", "https://a.example/café"}; !slices.Contains(want, got[0].URL) {
			t.Fatalf("%s: url %q", name, got[0].URL)
		}
	}
}
