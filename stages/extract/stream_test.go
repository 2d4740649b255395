package extract_test

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/sluicehq/sluice/stages/extract"
	"github.com/sluicehq/sluice/stages/fetch"
	"github.com/sluicehq/sluice/testsite"
)

// sameOnBothPaths checks that spec gives the same records, links and
// errors on the streaming path and with ForceDOM, and reports whether the
// page streamed.
func sameOnBothPaths(t *testing.T, spec extract.HTMLSpec, resp *fetch.Response) bool {
	t.Helper()
	s, d := mustHTML(t, spec), mustHTMLOpts(t, spec, extract.ForceDOM())
	if !s.Streams() || d.Streams() {
		t.Fatalf("Streams: %v with defaults, %v with ForceDOM", s.Streams(), d.Streams())
	}
	recs, links, err := s.RecordsAndLinks(resp)
	wrecs, wlinks, werr := d.RecordsAndLinks(resp)
	if fmt.Sprint(err) != fmt.Sprint(werr) || !reflect.DeepEqual(recs, wrecs) || !reflect.DeepEqual(links, wlinks) {
		t.Errorf("%s:\nstream: %v %+v %q\ndom:    %v %+v %q", resp.URL, err, recs, links, werr, wrecs, wlinks)
	}
	recs, err = s.Records(resp)
	if fmt.Sprint(err) != fmt.Sprint(werr) || !reflect.DeepEqual(recs, wrecs) {
		t.Errorf("%s: Records differs from RecordsAndLinks", resp.URL)
	}
	return extract.Streamed(s, resp)
}

func mustHTMLOpts(tb testing.TB, spec extract.HTMLSpec, opts ...extract.HTMLOption) *extract.HTML {
	tb.Helper()
	h, err := extract.NewHTML(spec, opts...)
	if err != nil {
		tb.Fatal(err)
	}
	return h
}

// realSpecs are the specs of the package's other tests and benchmarks.
func realSpecs() []extract.HTMLSpec {
	return []extract.HTMLSpec{benchNested, benchSpec, benchItems, siteItems,
		{Fields: []extract.Field{
			{Name: "title", Selector: "h1.title"},
			{Name: "sample", Selector: "p.sample"},
			{Name: "amount", Selector: "div.price", Attr: "data-amount", Type: extract.TypeFloat},
			{Name: "next", Selector: "a[rel=next]", Attr: "href"},
			{Name: "items", Selector: "li.item", Take: extract.TakeCount},
			{Name: "names", Selector: "ul.items > li.item > a", All: true},
			{Name: "first", Selector: "li:first-child .item-price", Attr: "data-amount"},
			{Name: "desc", Selector: "li.item p.desc", Regex: `(\w+)`, All: true},
			{Name: "page", Selector: ""},
		}},
		{Items: "li.product", Fields: []extract.Field{
			{Name: "id", Attr: "data-id", Required: true},
			{Name: "name", Selector: "h2 a"},
			{Name: "url", Selector: "h2 > a", Attr: "href"},
			{Name: "price", Selector: ".price", Regex: `([\d,]+)`},
			{Name: "tags", Selector: ".tag", All: true},
			{Name: "img", Selector: "img", Attr: "src"},
		}},
		{Fields: []extract.Field{
			{Name: "title", Selector: "title", Required: true},
			{Name: "description", Selector: `meta[name="description"]`, Attr: "content"},
			{Name: "canonical", Selector: `link[rel=canonical]`, Attr: "href"},
			{Name: "nav", Selector: "nav.main-nav li > a", Attr: "href", All: true},
			{Name: "sort", Selector: "select[name=sort] option[selected]", Attr: "value"},
			{Name: "options", Selector: "option", All: true},
			{Name: "count", Selector: ".result-count b"},
			{Name: "products", Selector: "ul.products > li.product", All: true, Fields: []extract.Field{
				{Name: "sku", Attr: "data-sku", Required: true},
				{Name: "name", Selector: "h2.name"},
				{Name: "url", Selector: "a.card", Attr: "href"},
				{Name: "img", Selector: "picture img, a.card > img", Attr: "src"},
				{Name: "price", Selector: ".price", Attr: "data-amount", Type: extract.TypeFloat},
				{Name: "sale", Selector: ".price.sale", Take: extract.TakeExists},
				{Name: "desc", Selector: "p.desc"},
				{Name: "tags", Selector: ".tag", All: true},
			}},
			{Name: "next", Selector: "a[rel=next]", Attr: "href"},
			{Name: "contact", Selector: "footer dd", All: true},
		}},
	}
}

// TestStreamingMatchesGoqueryOnSite compares the two paths on test-site
// pages, including pages served in other charsets, and checks that they
// stream.
func TestStreamingMatchesGoqueryOnSite(t *testing.T) {
	srv, fetcher := site(t, 12)
	urls := []string{srv.PageURL(0), srv.PageURL(5), srv.PageURL(11)}
	for _, f := range []testsite.Fault{testsite.FaultCP1252Meta, testsite.FaultShiftJISHeader, testsite.FaultUTF8BOM} {
		urls = append(urls, srv.PageURL(3)+"?fault="+string(f))
	}
	for _, u := range urls {
		resp := mustGet(t, fetcher, u)
		for _, spec := range realSpecs() {
			if !sameOnBothPaths(t, spec, resp) {
				t.Errorf("%s did not stream", u)
			}
		}
	}
}

// TestStreamingMatchesGoqueryOnPages compares the two paths on the
// benchmark's listing pages and on testdata/tricky.html (which has a
// table, so it falls back: the records must not change).
func TestStreamingMatchesGoqueryOnPages(t *testing.T) {
	for _, tc := range []struct {
		name   string
		body   []byte
		stream bool
	}{
		{"listing30KB", listingPage(30 << 10), true},
		{"listing100KB", listingPage(100 << 10), true},
		{"shop", fixture(t, "shop.html"), true},
		{"tricky", fixture(t, "tricky.html"), false},
	} {
		resp := response(t, "https://shop.example.com/catalog/garden?page=2", "text/html", tc.body)
		for _, spec := range realSpecs() {
			if got := sameOnBothPaths(t, spec, resp); got != tc.stream {
				t.Errorf("%s: streamed %v, want %v", tc.name, got, tc.stream)
			}
		}
	}
}

// TestStreamsDecidedPerSpec checks which specs take the streaming path.
func TestStreamsDecidedPerSpec(t *testing.T) {
	for _, tc := range []struct {
		spec   extract.HTMLSpec
		stream bool
	}{
		{extract.HTMLSpec{Items: "ul > li.a[data-x]", Fields: []extract.Field{{Name: "a", Selector: "a:not(.x)", Attr: "href"}}}, true},
		{extract.HTMLSpec{Fields: []extract.Field{{Name: "a", Selector: "h1, #id .c [k='v' i] > b:first-child"}}}, true},
		{extract.HTMLSpec{Items: "li + li", Fields: []extract.Field{{Name: "a"}}}, false},
		{extract.HTMLSpec{Fields: []extract.Field{{Name: "a", Selector: "li:last-child"}}}, false},
		{extract.HTMLSpec{Fields: []extract.Field{{Name: "a", Selector: "div:has(p)"}}}, false},
		{extract.HTMLSpec{Fields: []extract.Field{{Name: "a", Selector: "p:contains(x)"}}}, false},
		{extract.HTMLSpec{Fields: []extract.Field{{Name: "a", Selector: `a\.b`}}}, false},
		{extract.HTMLSpec{Fields: []extract.Field{{Name: "a", Selector: "div", Take: extract.TakeHTML}}}, false},
		{extract.HTMLSpec{Fields: []extract.Field{{Name: "a", Fields: []extract.Field{{Name: "b", Selector: "p", Take: extract.TakeOuterHTML}}}}}, false},
	} {
		if got := mustHTML(t, tc.spec).Streams(); got != tc.stream {
			t.Errorf("%+v: Streams() = %v, want %v", tc.spec, got, tc.stream)
		}
	}
}
