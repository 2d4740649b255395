package crawl

import (
	"testing"

	"github.com/sluicehq/sluice/stages/extract"
)

// BenchmarkOnePass reads a product page and a listing page of the test
// shop for links and fields: by the token pass then the streaming
// extractor (two passes), and by the extractor with the link visitor
// (one pass).
//
//	go test -run '^$' -bench OnePass -count 6 ./stages/crawl
func BenchmarkOnePass(b *testing.B) {
	resps := benchShopPages(b)
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
