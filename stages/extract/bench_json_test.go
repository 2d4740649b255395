package extract_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/sluicehq/sluice/stages/extract"
)

// apiPage is a JSON API page of n items shaped like the test site's.
func apiPage(n int) []byte {
	var b strings.Builder
	b.WriteString(`{"page":3,"pages":50,"items":[`)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"id":%d,"name":"Crème brûlée n°%d","price":"%d.50","url":"/products/%d","tags":["a","b"],"stock":{"warehouse":"north","count":%d}}`, i, i, 10+i, i, i*3)
	}
	b.WriteString(`],"next":"/api/products?page=4"}`)
	return []byte(b.String())
}

type benchAPIItem struct {
	ID    int64  `json:"id"`
	Name  string `json:"name"`
	Price string `json:"price"`
	URL   string `json:"url"`
	Stock struct {
		Count int64 `json:"count"`
	} `json:"stock"`
}

// BenchmarkExtractJSON compares the gjson spec and the typed decode with
// encoding/json decoding the whole page by hand, for 20 and 200 items.
func BenchmarkExtractJSON(b *testing.B) {
	for _, n := range []int{20, 200} {
		body := apiPage(n)
		resp := response(b, "https://api.example/products?page=3", "application/json", body)
		b.Run(fmt.Sprintf("%d-items/handwritten-encoding-json", n), func(b *testing.B) {
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			for b.Loop() {
				var page struct {
					Items []benchAPIItem `json:"items"`
				}
				if err := json.Unmarshal(body, &page); err != nil || len(page.Items) != n {
					b.Fatal(err)
				}
			}
		})
		b.Run(fmt.Sprintf("%d-items/sluice-spec", n), func(b *testing.B) {
			j := mustJSON(b, extract.JSONSpec{Items: "items", Fields: []extract.JSONField{
				{Name: "id", Type: extract.TypeInt}, {Name: "name"}, {Name: "price", Type: extract.TypeFloat},
				{Name: "url"}, {Name: "stock", Path: "stock.count", Type: extract.TypeInt},
			}})
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			for b.Loop() {
				if recs, err := j.Records(resp); err != nil || len(recs) != n {
					b.Fatal(err)
				}
			}
		})
		b.Run(fmt.Sprintf("%d-items/sluice-struct", n), func(b *testing.B) {
			js, err := extract.NewJSONStruct[benchAPIItem]("items")
			if err != nil {
				b.Fatal(err)
			}
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			for b.Loop() {
				if vals, err := js.Values(resp); err != nil || len(vals) != n {
					b.Fatal(err)
				}
			}
		})
	}
}
