package crawl

import (
	"bytes"
	"io"
	"net/http"
	"net/url"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/sluicehq/sluice/stages/fetch"
	"github.com/sluicehq/sluice/testsite"
)

// BenchmarkPageInfo reads a product page and a listing page of the test
// shop with the default follow selectors and a Has rule, by the token
// pass and by the document.
func BenchmarkPageInfo(b *testing.B) {
	var pages [][]byte
	for _, r := range benchShopPages(b) {
		pages = append(pages, r.Body)
	}
	c, err := New(Config{Extract: []Rule{{Has: "div.product"}}})
	if err != nil {
		b.Fatal(err)
	}
	b.Run("tokens", func(b *testing.B) {
		for b.Loop() {
			for _, p := range pages {
				if _, ok := c.tokens.scan(p); !ok {
					b.Fatal("not scanned")
				}
			}
		}
	})
	b.Run("document", func(b *testing.B) {
		for b.Loop() {
			for _, p := range pages {
				doc, _ := goquery.NewDocumentFromReader(bytes.NewReader(p))
				c.domInfo(doc)
			}
		}
	})
}

// benchShopPages fetches a product page and a listing page of a
// 100-product test shop, as responses for the link stage to read.
func benchShopPages(b *testing.B) []*fetch.Response {
	b.Helper()
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
	return resps
}
