package extract_test

import (
	"bytes"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/andybalholm/cascadia"
	"github.com/sluicehq/sluice/stages/extract"
)

// benchSpec is 6 page fields plus a 20-item list of 4 fields per item.
var benchSpec = extract.HTMLSpec{Fields: []extract.Field{
	{Name: "title", Selector: "title"},
	{Name: "h1", Selector: "h1.page-title"},
	{Name: "description", Selector: `meta[name="description"]`, Attr: "content"},
	{Name: "canonical", Selector: `link[rel="canonical"]`, Attr: "href"},
	{Name: "count", Selector: "p.result-count"},
	{Name: "next", Selector: "a.next", Attr: "href"},
}}

var benchItems = extract.HTMLSpec{Items: "li.product", Fields: []extract.Field{
	{Name: "sku", Attr: "data-sku"},
	{Name: "name", Selector: "h2.name a"},
	{Name: "url", Selector: "h2.name a", Attr: "href"},
	{Name: "price", Selector: ".price", Attr: "data-amount", Type: extract.TypeFloat},
}}

// handPage is what the hand-written baseline produces.
type handPage struct {
	Title, H1, Description, Canonical, Count, Next string
	Items                                          []handItem
}

type handItem struct {
	SKU, Name, URL string
	Price          float64
}

// handWritten is the baseline: goquery with precompiled cascadia selectors,
// the way a careful Go programmer writes it by hand.
type handWritten struct {
	title, h1, desc, canon, count, next, items, name, price cascadia.Selector
}

func newHandWritten() *handWritten {
	return &handWritten{
		title: cascadia.MustCompile("title"), h1: cascadia.MustCompile("h1.page-title"),
		desc: cascadia.MustCompile(`meta[name="description"]`), canon: cascadia.MustCompile(`link[rel="canonical"]`),
		count: cascadia.MustCompile("p.result-count"), next: cascadia.MustCompile("a.next"),
		items: cascadia.MustCompile("li.product"), name: cascadia.MustCompile("h2.name a"),
		price: cascadia.MustCompile(".price"),
	}
}

func (h *handWritten) extract(body []byte, base *url.URL) (handPage, error) {
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(body))
	if err != nil {
		return handPage{}, err
	}
	abs := func(ref string) string {
		u, err := url.Parse(strings.TrimSpace(ref))
		if err != nil {
			return ref
		}
		return base.ResolveReference(u).String()
	}
	p := handPage{
		Title:       strings.TrimSpace(doc.FindMatcher(h.title).First().Text()),
		H1:          strings.TrimSpace(doc.FindMatcher(h.h1).First().Text()),
		Description: doc.FindMatcher(h.desc).First().AttrOr("content", ""),
		Canonical:   abs(doc.FindMatcher(h.canon).First().AttrOr("href", "")),
		Count:       strings.TrimSpace(doc.FindMatcher(h.count).First().Text()),
		Next:        abs(doc.FindMatcher(h.next).First().AttrOr("href", "")),
	}
	doc.FindMatcher(h.items).Each(func(_ int, s *goquery.Selection) {
		a := s.FindMatcher(h.name).First()
		price, _ := strconv.ParseFloat(s.FindMatcher(h.price).First().AttrOr("data-amount", ""), 64)
		p.Items = append(p.Items, handItem{
			SKU: s.AttrOr("data-sku", ""), Name: strings.TrimSpace(a.Text()),
			URL: abs(a.AttrOr("href", "")), Price: price,
		})
	})
	return p, nil
}

func BenchmarkExtractListing(b *testing.B) {
	for _, size := range []struct {
		name  string
		bytes int
	}{{"30KB", 30 << 10}, {"100KB", 100 << 10}} {
		body := listingPage(size.bytes)
		resp := response(b, "https://shop.example.com/catalog/garden?page=2", "text/html", body)
		b.Run(size.name+"/handwritten-goquery", func(b *testing.B) {
			h := newHandWritten()
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			for b.Loop() {
				p, err := h.extract(body, resp.URL)
				if err != nil || len(p.Items) != 20 {
					b.Fatal(err, len(p.Items))
				}
			}
		})
		b.Run(size.name+"/sluice", func(b *testing.B) {
			h := mustHTML(b, benchNested)
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			for b.Loop() {
				recs, err := h.Records(resp)
				if err != nil || len(recs) != 1 {
					b.Fatal(err, len(recs))
				}
			}
		})
	}
}

// benchNested is benchSpec plus the 20-item list as a nested field, all
// extracted from one parse.
var benchNested = extract.HTMLSpec{Fields: append(benchSpec.Fields[:len(benchSpec.Fields):len(benchSpec.Fields)],
	extract.Field{Name: "products", Selector: "li.product", All: true, Fields: benchItems.Fields})}

func mustHTML(tb testing.TB, spec extract.HTMLSpec) *extract.HTML {
	tb.Helper()
	h, err := extract.NewHTML(spec)
	if err != nil {
		tb.Fatal(err)
	}
	return h
}
