package extract_test

import (
	"context"
	"reflect"
	"strconv"
	"testing"
	"time"

	"github.com/sluicehq/sluice/pipeline"
	"github.com/sluicehq/sluice/pipeline/pipelinetest"
	"github.com/sluicehq/sluice/record"
	"github.com/sluicehq/sluice/stages/extract"
	"github.com/sluicehq/sluice/stages/fetch"
	"github.com/sluicehq/sluice/testsite"
)

// siteItems is one record per li.item of a test-site page.
var siteItems = extract.HTMLSpec{Items: "ul.items > li.item", Fields: []extract.Field{
	{Name: "id", Attr: "data-id", Type: extract.TypeInt, Required: true},
	{Name: "name", Selector: "a", Required: true},
	{Name: "url", Selector: "a", Attr: "href"},
	{Name: "price", Selector: ".item-price", Attr: "data-amount", Type: extract.TypeFloat},
}}

func TestHTMLOnTestSitePages(t *testing.T) {
	srv, fetcher := site(t, 40)
	page := mustHTML(t, extract.HTMLSpec{Fields: []extract.Field{
		{Name: "title", Selector: "h1.title"},
		{Name: "sample", Selector: "p.sample"},
		{Name: "amount", Selector: "div.price", Attr: "data-amount"},
		{Name: "next", Selector: "a[rel=next]", Attr: "href"},
		{Name: "items", Selector: "li.item", Take: extract.TakeCount},
	}})
	items := mustHTML(t, siteItems)
	for _, id := range []int{0, 17, 39} {
		resp := mustGet(t, fetcher, srv.PageURL(id))
		want := srv.Page(id)
		recs, err := page.Records(resp)
		if err != nil {
			t.Fatal(err)
		}
		next := ""
		if want.Next >= 0 {
			next = srv.URL() + "/products/" + strconv.Itoa(want.Next)
		}
		got := recs[0]
		for name, w := range map[string]any{"title": want.Title, "sample": testsite.SampleText(testsite.FaultNone),
			"amount": want.Amount, "next": next, "items": int64(testsite.ItemsPerPage)} {
			if v, _ := got.Get(name); v != w {
				t.Errorf("page %d: %s = %#v, want %#v", id, name, v, w)
			}
		}
		recs, err = items.Records(resp)
		if err != nil || len(recs) != len(want.Items) {
			t.Fatalf("page %d: %v, %d records", id, err, len(recs))
		}
		for j, it := range want.Items {
			r := recs[j]
			if r.Key != srv.PageURL(id) || r.URL != srv.PageURL(id) {
				t.Errorf("key/url %q %q", r.Key, r.URL)
			}
			if v, _ := r.Get("id"); v != int64(it.ID) {
				t.Errorf("page %d item %d: id %v, want %d", id, j, v, it.ID)
			}
			if v, _ := r.Get("name"); v != it.Name {
				t.Errorf("page %d item %d: name %v, want %q", id, j, v, it.Name)
			}
			if v, _ := r.Get("url"); v != srv.URL()+"/products/"+it.Href {
				t.Errorf("page %d item %d: url %v (href %q under <base href=/products/>)", id, j, v, it.Href)
			}
		}
	}
}

type siteItem struct {
	ID    int     `css:"" attr:"data-id"`
	Name  string  `css:"a" required:"true"`
	URL   string  `css:"a" attr:"href"`
	Price float64 `css:".item-price" attr:"data-amount"`
}

// TestPipelineOnTestSite runs the real fetcher → extract → sink over the
// site, with a 404 and a non-HTML response among the inputs, for Workers(1)
// and (4), ordered and not.
func TestPipelineOnTestSite(t *testing.T) {
	srv, _ := site(t, 30)
	h := mustHTML(t, siteItems)
	s, err := extract.NewStruct[siteItem](extract.Items("li.item"))
	if err != nil {
		t.Fatal(err)
	}
	reqs := []fetch.Request{fetch.FromURL(srv.URL() + "/products/999"), fetch.FromURL(srv.URL() + "/api/products?page=1")}
	for i := range 30 {
		reqs = append(reqs, fetch.FromURL(srv.PageURL(i)))
	}
	for _, workers := range []int{1, 4} {
		for _, ordered := range []bool{false, true} {
			opts := []pipeline.StageOption{pipeline.Workers(workers)}
			if ordered {
				opts = append(opts, pipeline.Ordered())
			}
			f := newFetcher(t)
			var fails pipelinetest.Failures
			p := pipeline.New(pipeline.OnFailure(fails.Handle))
			pages := pipeline.Map(p, "fetch", pipeline.FromSlice(p, "urls", reqs), f.Fetch, opts...)
			both := pipeline.Broadcast(p, "tee", pages, 2)
			recs := pipelinetest.Collect(p, "records", pipeline.FlatMap(p, "html", both[0], h.Extract, opts...))
			vals := pipelinetest.Collect(p, "structs", pipeline.FlatMap(p, "struct", both[1], s.Extract, opts...))
			if err := pipelinetest.Run(t, p, time.Minute); err != nil {
				t.Fatal(err)
			}
			pipelinetest.CheckAccounting(t, p)
			if n := len(recs.Items()); n != 30*testsite.ItemsPerPage {
				t.Errorf("workers %d ordered %v: %d records", workers, ordered, n)
			}
			if n := len(vals.Items()); n != 30*testsite.ItemsPerPage {
				t.Errorf("workers %d ordered %v: %d structs", workers, ordered, n)
			}
			// the 404 fails in fetch; the JSON page fails once in each extractor
			if f := fails.List(); len(f) != 3 {
				t.Errorf("failures: %+v", f)
			}
			if ordered {
				checkOrder(t, recs.Items(), vals.Items(), srv)
			}
		}
	}
}

// TestCharsetsThroughFetch checks non-ASCII text end to end: pages served
// in windows-1252, ISO-8859-1, Shift_JIS and UTF-8 with a BOM, declared in
// the header, a <meta> or not at all, are decoded by the real fetcher and
// extracted with their text intact.
func TestCharsetsThroughFetch(t *testing.T) {
	srv, _ := site(t, 3)
	f := newFetcher(t)
	h := mustHTML(t, extract.HTMLSpec{Fields: []extract.Field{{Name: "sample", Selector: "p.sample"}, {Name: "title", Selector: "h1"}}})
	for _, fault := range []testsite.Fault{testsite.FaultNone, testsite.FaultCP1252Header, testsite.FaultCP1252Meta,
		testsite.FaultLatin1Header, testsite.FaultShiftJISHeader, testsite.FaultShiftJISMeta,
		testsite.FaultUTF8BOM, testsite.FaultUTF8None} {
		resp, err := f.Fetch(context.Background(), fetch.FromURL(srv.PageURL(1)+"?fault="+string(fault)))
		if err != nil {
			t.Fatalf("%s: %v", fault, err)
		}
		recs, err := h.Records(resp)
		if err != nil {
			t.Fatalf("%s: %v", fault, err)
		}
		if v, _ := recs[0].Get("sample"); v != testsite.SampleText(fault) {
			t.Errorf("%s (%s): sample %q, want %q", fault, resp.Charset, v, testsite.SampleText(fault))
		}
		if v, _ := recs[0].Get("title"); v != srv.Page(1).Title {
			t.Errorf("%s: title %q", fault, v)
		}
	}
}

// newFetcher returns the real fetcher, closed at the end of the test.
func newFetcher(t *testing.T) *fetch.Fetcher {
	t.Helper()
	f, err := fetch.New(fetch.Config{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(f.Close)
	return f
}

func checkOrder(t *testing.T, recs []record.Record, vals []siteItem, srv *testsite.Server) {
	t.Helper()
	for i := range recs {
		want := srv.Page(i / testsite.ItemsPerPage).Items[i%testsite.ItemsPerPage]
		if v, _ := recs[i].Get("id"); v != int64(want.ID) || vals[i].ID != want.ID {
			t.Fatalf("record %d: %v / %+v, want id %d", i, v, vals[i], want.ID)
		}
	}
	if !reflect.DeepEqual(vals[0].Name, srv.Page(0).Items[0].Name) {
		t.Errorf("first struct %+v", vals[0])
	}
}
