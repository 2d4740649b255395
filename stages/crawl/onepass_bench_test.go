package crawl

import (
	"io"
	"net/http"
	"net/url"
	"testing"

	"github.com/sluicehq/sluice/stages/extract"
	"github.com/sluicehq/sluice/stages/fetch"
	"github.com/sluicehq/sluice/testsite"
)

// BenchmarkOnePass reads a product page and a listing page of the test
// shop for links and fields: by the token pass then the streaming
// extractor (two passes), and by the extractor with the link visitor
// (one pass).
//
//	go test -run '^$' -bench OnePass -count 6 ./stages/crawl
func BenchmarkOnePass(b *testing.B) {
	srv, err := testsite.Start(testsite.Config{Shop: testsite.ShopConfig{Products: 100}})
	if err != nil {
		b.Fatal(err)
	}
	defer srv.Close()
	var resps []*fetch.Response
	for _, uri := range []string{"/shop/p/7", "/shop/c/1?page=2&sort=name"} {
		resp, err := http.Get(srv.URL() + uri)
		if err != nil {
			b.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		u, _ := url.Parse(srv.URL() + uri)
		resps = append(resps, &fetch.Response{Request: fetch.Request{URL: u.String(), Key: u.String()}, URL: u, StatusCode: 200, Body: body, ContentType: "text/html"})
	}
	c, err := New(Config{Extract: []Rule{{Has: "div.product"}}})
	if err != nil {
		b.Fatal(err)
	}
	x, err := extract.NewHTML(extract.HTMLSpec{Fields: []extract.Field{
		{Name: "name", Selector: "span.name"}, {Name: "id", Selector: "div.product", Attr: "data-id"}}})
	if err != nil {
		b.Fatal(err)
	}
	b.Run("two-passes", func(b *testing.B) {
		for b.Loop() {
			for _, r := range resps {
				if _, ok := c.tokens.scan(r.Body); !ok {
					b.Fatal("not scanned")
				}
				if _, err := x.Records(r); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
	b.Run("one-pass", func(b *testing.B) {
		for b.Loop() {
			for _, r := range resps {
				v := c.tokens.visitor()
				if _, ok, err := x.RecordsVisiting(r, v); !ok || err != nil {
					b.Fatal("not in one pass", err)
				}
				v.pageInfo()
				v.release()
			}
		}
	})
}
