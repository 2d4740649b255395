package extract_test

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/sluicehq/sluice/pipeline"
	"github.com/sluicehq/sluice/record"
	"github.com/sluicehq/sluice/stages/extract"
)

const trickyURL = "https://shop.example.com/de/start.html?ref=1"

func trickyRecords(t *testing.T, spec extract.HTMLSpec) []record.Record {
	t.Helper()
	h, err := extract.NewHTML(spec)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := h.Records(response(t, trickyURL, "text/html", fixture(t, "tricky.html")))
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

func TestHTMLPageFields(t *testing.T) {
	recs := trickyRecords(t, extract.HTMLSpec{Fields: []extract.Field{
		{Name: "title", Selector: "title"},
		{Name: "h1", Selector: "h1.title"},
		{Name: "lead", Selector: "p.lead"},
		{Name: "lang", Selector: "html", Attr: "lang"},
		{Name: "products", Selector: "li.product", Take: extract.TakeCount},
		{Name: "has_table", Selector: "table td", Take: extract.TakeExists},
		{Name: "has_form", Selector: "form", Take: extract.TakeExists},
		{Name: "cells", Selector: "td", All: true},
		{Name: "unclosed", Selector: ".unclosed"},
		{Name: "h1_html", Selector: "h1", Take: extract.TakeHTML},
		{Name: "b_outer", Selector: "p.lead b", Take: extract.TakeOuterHTML},
		{Name: "missing", Selector: "#nope"},
		{Name: "missing_int", Selector: "#nope", Type: extract.TypeInt},
		{Name: "fallback", Selector: "#nope", Default: "n/a"},
	}})
	if len(recs) != 1 {
		t.Fatalf("got %d records, want 1", len(recs))
	}
	r := recs[0]
	if r.Key != trickyURL || r.URL != trickyURL {
		t.Errorf("key/url = %q/%q", r.Key, r.URL)
	}
	want := map[string]any{
		"title":       "Kaffee & Kuchen — Übersicht",
		"h1":          "Café Zürich <Bestseller>",
		"lead":        "Heiße Getränke, frisch gebrüht — täglich.",
		"lang":        "de",
		"products":    int64(3),
		"has_table":   true,
		"has_form":    false,
		"cells":       []string{"cell one", "cell two"},
		"unclosed":    "lost tags cell onecell two", // the parser puts the table and script inside the div
		"h1_html":     "Café\u00a0Zürich &lt;Bestseller&gt;",
		"b_outer":     "<b>frisch</b>",
		"missing":     "",
		"missing_int": int64(0),
		"fallback":    "n/a",
	}
	for name, w := range want {
		got, ok := r.Get(name)
		if !ok || !reflect.DeepEqual(got, w) {
			t.Errorf("%s = %#v, want %#v", name, got, w)
		}
	}
	if names := strings.Join(r.Names(), ","); !strings.HasPrefix(names, "title,h1,lead,lang,") {
		t.Errorf("field order %s", names)
	}
}

func TestHTMLItemsWithBaseAndTypes(t *testing.T) {
	recs := trickyRecords(t, extract.HTMLSpec{Items: "li.product", Fields: []extract.Field{
		{Name: "id", Selector: "", Attr: "data-id"},
		{Name: "name", Selector: "h2 a"},
		{Name: "url", Selector: "h2 a", Attr: "href"},
		{Name: "img", Selector: "img", Attr: "src"},
		{Name: "amount", Selector: ".price", Attr: "data-amount", Type: extract.TypeFloat},
		{Name: "euros", Selector: ".price", Regex: `^(\d+),`, Type: extract.TypeInt, Default: "-1"},
		{Name: "tags", Selector: ".tag", All: true},
		{Name: "sold_out", Selector: ".sold-out", Take: extract.TakeExists},
	}})
	if len(recs) != 3 {
		t.Fatalf("got %d records, want 3 (the <li> in <script> is text)", len(recs))
	}
	want := []map[string]any{
		{"id": "p1", "name": "Espresso", "url": "https://shop.example.com/shop/v2/kaffee/espresso?x=1&y=2#top",
			"img": "https://shop.example.com/shop/img/espresso.jpg", "amount": 2.5, "euros": int64(2),
			"tags": []string{"heiß", "stark"}, "sold_out": false},
		{"id": "p2", "name": "Latte Macchiato", "url": "https://shop.example.com/abs/path/latte",
			"img": "https://cdn.example.org/latte.jpg", "amount": 3.9, "euros": int64(3),
			"tags": []string{"mild"}, "sold_out": false},
		{"id": "p3", "name": "Grüner Tee 🍵", "url": "https://other.example.net/tee",
			"img": "", "amount": 0.0, "euros": int64(-1), "tags": []string(nil), "sold_out": true},
	}
	for i, w := range want {
		for name, wv := range w {
			if got, _ := recs[i].Get(name); !reflect.DeepEqual(got, wv) {
				t.Errorf("item %d: %s = %#v, want %#v", i, name, got, wv)
			}
		}
	}
}

func TestHTMLRequiredMissingSkipsPage(t *testing.T) {
	h, err := extract.NewHTML(extract.HTMLSpec{Items: "li.product", Fields: []extract.Field{
		{Name: "name", Selector: "h2"},
		{Name: "price", Selector: ".price", Required: true},
	}})
	if err != nil {
		t.Fatal(err)
	}
	resp := response(t, trickyURL, "text/html; charset=utf-8", fixture(t, "tricky.html"))
	var emitted int
	err = h.Extract(context.Background(), resp, func(record.Record) error { emitted++; return nil })
	if !pipeline.IsSkip(err) {
		t.Fatalf("err = %v, want a Skip", err)
	}
	var me *extract.MissingFieldError
	if !errors.As(err, &me) || me.Field != "price" || me.URL != trickyURL || me.Item != 2 {
		t.Fatalf("err = %#v", err)
	}
	if emitted != 0 {
		t.Errorf("emitted %d records of a failed page", emitted)
	}
	if !strings.Contains(err.Error(), `"price"`) || !strings.Contains(err.Error(), trickyURL) {
		t.Errorf("message %q does not name field and URL", err)
	}
}

func TestHTMLConvertErrorNamesFieldSelectorValue(t *testing.T) {
	h, err := extract.NewHTML(extract.HTMLSpec{Fields: []extract.Field{
		{Name: "n", Selector: "h1.title", Type: extract.TypeInt},
	}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = h.Records(response(t, trickyURL, "text/html", fixture(t, "tricky.html")))
	var ce *extract.ConvertError
	if !pipeline.IsSkip(err) || !errors.As(err, &ce) {
		t.Fatalf("err = %v", err)
	}
	if ce.Field != "n" || ce.Selector != "h1.title" || ce.Value != "Café Zürich <Bestseller>" || ce.URL != trickyURL {
		t.Errorf("err = %#v", ce)
	}
}

func TestHTMLRejectsNonHTML(t *testing.T) {
	h, err := extract.NewHTML(extract.HTMLSpec{Fields: []extract.Field{{Name: "t", Selector: "title"}}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = h.Records(response(t, trickyURL, "image/png", []byte("\x89PNG")))
	var cte *extract.ContentTypeError
	if !pipeline.IsSkip(err) || !errors.As(err, &cte) {
		t.Fatalf("err = %v", err)
	}
}

func TestHTMLFuncField(t *testing.T) {
	h, err := extract.NewHTML(extract.HTMLSpec{Items: "li.product", Fields: []extract.Field{
		{Name: "classes", Selector: ".price", Func: func(s *goquery.Selection) (any, error) {
			c, _ := s.Attr("class")
			return strings.Fields(c), nil
		}},
		{Name: "tag_count", Selector: "ul.tags", Func: func(s *goquery.Selection) (any, error) {
			return s.Find("li").Length(), nil
		}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	recs, err := h.Records(response(t, trickyURL, "text/html", fixture(t, "tricky.html")))
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := recs[2].Get("classes"); !reflect.DeepEqual(v, []string{"price", "sold-out"}) {
		t.Errorf("classes %v", v)
	}
	if v, _ := recs[0].Get("tag_count"); v != 2 {
		t.Errorf("tag_count %v", v)
	}
	boom := errors.New("boom")
	h, err = extract.NewHTML(extract.HTMLSpec{Fields: []extract.Field{
		{Name: "f", Selector: "h1", Func: func(*goquery.Selection) (any, error) { return nil, boom }},
	}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = h.Records(response(t, trickyURL, "text/html", fixture(t, "tricky.html")))
	var fe *extract.FuncError
	if !pipeline.IsSkip(err) || !errors.Is(err, boom) || !errors.As(err, &fe) || fe.URL != trickyURL {
		t.Errorf("err = %v", err)
	}
	if _, err := extract.NewHTML(extract.HTMLSpec{Fields: []extract.Field{
		{Name: "f", Selector: "h1", Type: extract.TypeInt, Func: func(*goquery.Selection) (any, error) { return 1, nil }},
	}}); err == nil {
		t.Error("func with type accepted")
	}
}

func TestHTMLRequiredExistsAndCount(t *testing.T) {
	for _, take := range []extract.Take{extract.TakeExists, extract.TakeCount} {
		h := mustHTML(t, extract.HTMLSpec{Fields: []extract.Field{{Name: "f", Selector: "form", Take: take, Required: true}}})
		_, err := h.Records(response(t, trickyURL, "text/html", fixture(t, "tricky.html")))
		var me *extract.MissingFieldError
		if !errors.As(err, &me) || me.Field != "f" {
			t.Errorf("%s: err = %v", take, err)
		}
	}
}
