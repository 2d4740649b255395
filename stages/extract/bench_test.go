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

// benchPages are the benchmark's inputs: generated 30 KB and 100 KB
// product-listing pages with 20 products each (see listingPage).
func benchPages() []struct {
	name string
	body []byte
} {
	return []struct {
		name string
		body []byte
	}{{"30KB", listingPage(30 << 10)}, {"100KB", listingPage(100 << 10)}}
}

// benchStructPage is the struct-tag equivalent of benchNested.
type benchStructPage struct {
	Title       string `css:"title"`
	H1          string `css:"h1.page-title"`
	Description string `css:"meta[name=description]" attr:"content"`
	Canonical   string `css:"link[rel=canonical]" attr:"href"`
	Count       string `css:"p.result-count"`
	Next        string `css:"a.next" attr:"href"`
	Items       []struct {
		SKU   string  `css:"" attr:"data-sku"`
		Name  string  `css:"h2.name a"`
		URL   string  `css:"h2.name a" attr:"href"`
		Price float64 `css:".price" attr:"data-amount"`
	} `css:"li.product"`
}

func BenchmarkExtractListing(b *testing.B) {
	for _, pg := range benchPages() {
		resp := response(b, "https://shop.example.com/catalog/garden?page=2", "text/html", pg.body)
		b.Run(pg.name+"/handwritten-goquery", func(b *testing.B) {
			h := newHandWritten()
			b.SetBytes(int64(len(pg.body)))
			b.ReportAllocs()
			defer reportCPU(b, cpuTime())
			for b.Loop() {
				p, err := h.extract(pg.body, resp.URL)
				if err != nil || len(p.Items) != 20 {
					b.Fatal(err, len(p.Items))
				}
			}
		})
		// sluice-spec-dom parses the whole document (ForceDOM); sluice-spec
		// takes the default, streaming path (the spec is in its subset).
		for _, c := range []struct {
			name string
			opts []extract.HTMLOption
		}{{"sluice-spec-dom", []extract.HTMLOption{extract.ForceDOM()}}, {"sluice-spec", nil}} {
			b.Run(pg.name+"/"+c.name, func(b *testing.B) {
				h := mustHTMLOpts(b, benchNested, c.opts...)
				if !extract.Streamed(h, resp) && c.opts == nil {
					b.Fatal("the benchmark page does not stream")
				}
				b.SetBytes(int64(len(pg.body)))
				b.ReportAllocs()
				defer reportCPU(b, cpuTime())
				for b.Loop() {
					recs, err := h.Records(resp)
					if err != nil || len(recs) != 1 {
						b.Fatal(err, len(recs))
					}
				}
			})
		}
		b.Run(pg.name+"/sluice-struct", func(b *testing.B) {
			s, err := extract.NewStruct[benchStructPage]()
			if err != nil {
				b.Fatal(err)
			}
			b.SetBytes(int64(len(pg.body)))
			b.ReportAllocs()
			defer reportCPU(b, cpuTime())
			for b.Loop() {
				vals, err := s.Values(resp)
				if err != nil || len(vals[0].Items) != 20 {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestBenchmarkDoesEqualWork checks that the three benchmark contenders
// extract the same values, so the benchmark compares like with like.
func TestBenchmarkDoesEqualWork(t *testing.T) {
	body := listingPage(30 << 10)
	resp := response(t, "https://shop.example.com/catalog/garden?page=2", "text/html", body)
	hand, err := newHandWritten().extract(body, resp.URL)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := mustHTML(t, benchNested).Records(resp)
	if err != nil {
		t.Fatal(err)
	}
	s, err := extract.NewStruct[benchStructPage]()
	if err != nil {
		t.Fatal(err)
	}
	vals, err := s.Values(resp)
	if err != nil {
		t.Fatal(err)
	}
	r, v := recs[0], vals[0]
	for name, want := range map[string]string{"title": hand.Title, "h1": hand.H1, "description": hand.Description,
		"canonical": hand.Canonical, "count": hand.Count, "next": hand.Next} {
		if got, _ := r.Get(name); got != want {
			t.Errorf("%s: spec %q, hand-written %q", name, got, want)
		}
	}
	if v.Title != hand.Title || v.Canonical != hand.Canonical || v.Next != hand.Next || v.Count != hand.Count {
		t.Errorf("struct %+v", v)
	}
	products, _ := r.Get("products")
	list := products.([]any)
	if len(list) != 20 || len(v.Items) != 20 {
		t.Fatalf("%d / %d products", len(list), len(v.Items))
	}
	for i, it := range hand.Items {
		m := list[i].(map[string]any)
		if m["sku"] != it.SKU || m["name"] != it.Name || m["url"] != it.URL || m["price"] != it.Price {
			t.Errorf("item %d: spec %v, hand-written %+v", i, m, it)
		}
		if s := v.Items[i]; s.SKU != it.SKU || s.Name != it.Name || s.URL != it.URL || s.Price != it.Price {
			t.Errorf("item %d: struct %+v, hand-written %+v", i, s, it)
		}
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
