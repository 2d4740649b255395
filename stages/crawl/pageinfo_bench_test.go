package crawl

import (
	"bytes"
	"io"
	"net/http"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/sluicehq/sluice/testsite"
)

// BenchmarkPageInfo reads a product page and a listing page of the test
// shop with the default follow selectors and a Has rule, by the token
// pass and by the document.
func BenchmarkPageInfo(b *testing.B) {
	srv, err := testsite.Start(testsite.Config{Shop: testsite.ShopConfig{Products: 100}})
	if err != nil {
		b.Fatal(err)
	}
	defer srv.Close()
	var pages [][]byte
	for _, uri := range []string{"/shop/p/7", "/shop/c/1?page=2&sort=name"} {
		resp, err := http.Get(srv.URL() + uri)
		if err != nil {
			b.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		pages = append(pages, body)
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
