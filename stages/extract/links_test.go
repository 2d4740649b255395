package extract_test

import (
	"reflect"
	"testing"

	"github.com/sluicehq/sluice/stages/extract"
)

func TestLinks(t *testing.T) {
	body := []byte(`<html><head><base href="https://b.example/dir/"></head><body>
<a href="a.html#x">1</a><a href="a.html#y">dup after fragment</a>
<a href="/root">2</a><a href="mailto:x@y">mail</a><a href="javascript:void(0)">js</a>
<a href="HTTP://Up.Example/Caps">3</a><area href="//c.example/map"><a>no href</a><a href="ftp://f/">ftp</a>
<a href=" https://d.example/sp ">4</a><a href="http://[::1">bad</a>`)
	got := extract.Links(response(t, "https://a.example/page", "text/html", body))
	want := []string{
		"https://b.example/dir/a.html", "https://b.example/root", "http://Up.Example/Caps",
		"https://c.example/map", "https://d.example/sp",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("links =\n%q\nwant\n%q", got, want)
	}
	if l := extract.Links(response(t, "https://a.example/", "application/pdf", body)); l != nil {
		t.Errorf("pdf links %q", l)
	}
}

func TestLinksOnTestSite(t *testing.T) {
	srv, fetcher := site(t, 5)
	links := extract.Links(mustGet(t, fetcher, srv.PageURL(2)))
	wantNext := srv.PageURL(3)
	found := false
	for _, l := range links {
		found = found || l == wantNext
	}
	if !found || len(links) != 7 { // home, API, and the 5 product pages, each once
		t.Errorf("links %q lack %s", links, wantNext)
	}
}

func TestRecordsAndLinksOneParse(t *testing.T) {
	srv, fetcher := site(t, 5)
	resp := mustGet(t, fetcher, srv.PageURL(2))
	h := mustHTML(t, siteItems)
	recs, links, err := h.RecordsAndLinks(resp)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := h.Records(resp)
	if !reflect.DeepEqual(recs, want) || !reflect.DeepEqual(links, extract.Links(resp)) {
		t.Errorf("RecordsAndLinks differs from Records + Links")
	}
	bad := mustHTML(t, extract.HTMLSpec{Items: "li.item", Fields: []extract.Field{{Name: "x", Selector: ".nope", Required: true}}})
	if recs, links, err := bad.RecordsAndLinks(resp); err == nil || recs != nil || links != nil {
		t.Errorf("failed page gave %d records, %d links, %v", len(recs), len(links), err)
	}
}
