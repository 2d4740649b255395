package inspect_test

import (
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/sluicehq/sluice/stages/extract"
	"github.com/sluicehq/sluice/stages/extract/inspect"
	"github.com/sluicehq/sluice/stages/fetch"
)

func page(t *testing.T, body, contentType string) *inspect.Page {
	t.Helper()
	u, err := url.Parse("https://shop.example/list")
	if err != nil {
		t.Fatal(err)
	}
	return inspect.New(&fetch.Response{Request: fetch.Request{URL: u.String()}, URL: u, Body: []byte(body), ContentType: contentType})
}

func TestFields(t *testing.T) {
	p := page(t, shop, "text/html")
	rep, err := p.Fields(extract.HTMLSpec{Items: "li.product", Fields: []extract.Field{
		{Name: "sku", Attr: "data-sku"},
		{Name: "price", Selector: ".price", Type: extract.TypeFloat, Required: true},
		{Name: "url", Selector: "a", Attr: "href"},
		{Name: "n", Selector: "a, span", Take: extract.TakeCount},
		{Name: "sale", Selector: ".sale", Default: "no"},
	}})
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		matches, in, missing int
		value                any
	}{
		{3, 3, -1, "t1"},
		{2, 2, 2, 4.2},
		{3, 3, -1, "https://shop.example/sencha"},
		{5, 3, -1, int64(2)},
		{0, 0, 0, "no"},
	}
	if rep.Items != 3 || len(rep.Fields) != len(want) {
		t.Fatalf("report %+v", rep)
	}
	for i, w := range want {
		f := rep.Fields[i]
		if f.Matches != w.matches || f.InItems != w.in || f.Missing != w.missing || f.Value != w.value || f.Records != 3 || f.Err != nil {
			t.Errorf("field %s: %+v, want matches %d in %d, missing %d, value %v", f.Field.Name, f, w.matches, w.in, w.missing, w.value)
		}
	}
	var me *extract.MissingFieldError
	if rep.Records != 0 || !errors.As(rep.Err, &me) || me.Field != "price" || me.Item != 2 {
		t.Errorf("verdict: %d records, %v; want none, price missing in item 2", rep.Records, rep.Err)
	}
}

func TestFieldsPageAndFailures(t *testing.T) {
	p := page(t, shop, "text/html")
	rep, err := p.Fields(extract.HTMLSpec{Fields: []extract.Field{
		{Name: "title", Selector: "h1"},
		{Name: "bad", Selector: "h1", Type: extract.TypeInt},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Items != 0 || rep.Fields[0].Value != "Teas" || rep.Fields[0].InItems != 0 || rep.Fields[0].Matches != 1 {
		t.Errorf("title: %+v", rep.Fields[0])
	}
	var ce *extract.ConvertError
	if bad := rep.Fields[1]; !errors.As(bad.Err, &ce) || bad.Value != nil {
		t.Errorf("bad: %+v, want a *ConvertError", bad)
	}
	if !errors.As(rep.Err, &ce) {
		t.Errorf("verdict %v, want the *ConvertError", rep.Err)
	}

	rep, err = p.Fields(extract.HTMLSpec{Items: "li.nothing", Fields: []extract.Field{{Name: "a", Selector: "a"}}})
	if err != nil || rep.Items != 0 || rep.Fields[0].Records != 0 || rep.Fields[0].Value != nil || rep.Records != 0 || rep.Err != nil {
		t.Errorf("no items: %+v, %v", rep, err)
	}

	var se *extract.SelectorError
	if _, err := p.Fields(extract.HTMLSpec{Fields: []extract.Field{{Name: "x", Selector: "div["}}}); !errors.As(err, &se) {
		t.Errorf("invalid selector: error %v, want a *extract.SelectorError", err)
	}
}

// The selectors Find builds take the element with an extract field: the
// Index-th of Matches values, relative to the item when there is one.
func TestFindSelectorsTakeTheElement(t *testing.T) {
	body := `<html><body><div id="main"><h2>Offers</h2>
<section class="deal hot"><p>Price: <b>9.99</b></p><p>Old <s>12.99</s></p></section>
<section class="deal"><p>Price: <b>19.99</b></p><a href="/buy/19.99" title="Buy">buy</a></section>
<table><tr><td>x</td><td>7.99 EUR</td></tr><tr><td>y</td><td>8.99 EUR</td></tr></table>
</div></body></html>`
	p := page(t, body, "text/html")
	for _, tc := range []struct{ text, items, want string }{
		{"9.99", "", "9.99"},
		{"19.99", "", "19.99"},
		{"12.99", "", "12.99"},
		{"8.99", "", "8.99 EUR"},
		{"/buy/19", "", "https://shop.example/buy/19.99"},
		{"19.99", "section.deal", "19.99"},
		{"12.99", "section", "12.99"},
	} {
		found, _ := p.Find(tc.text, tc.items, 0)
		if len(found) == 0 {
			t.Errorf("Find(%q): nothing", tc.text)
			continue
		}
		f := found[0]
		if len(f.Selectors) == 0 || (tc.items != "") != (f.Item >= 0) {
			t.Errorf("Find(%q, %q) = %+v", tc.text, tc.items, f)
			continue
		}
		for _, s := range f.Selectors {
			field := extract.Field{Name: "v", Selector: s.CSS, Attr: f.Attr, All: true}
			rep, err := p.Fields(extract.HTMLSpec{Items: tc.items, Fields: []extract.Field{field}})
			if err != nil {
				t.Fatal(err)
			}
			vals, err := allValues(p, tc.items, field, f.Item)
			if err != nil || len(vals) != s.Matches || vals[s.Index] != tc.want {
				t.Errorf("Find(%q, %q): %s (%d matches, #%d) takes %q, %v; want %q (report %+v)", tc.text, tc.items, s.CSS, s.Matches, s.Index, vals, err, tc.want, rep.Fields[0])
			}
		}
	}
}

// allValues are the values of an all-field in the record of item i (the
// page when i < 0).
func allValues(p *inspect.Page, items string, f extract.Field, i int) ([]string, error) {
	h, err := extract.NewHTML(extract.HTMLSpec{Items: items, Fields: []extract.Field{f}})
	if err != nil {
		return nil, err
	}
	recs, err := h.Records(p.Response())
	if err != nil {
		return nil, err
	}
	vals, _ := recs[max(i, 0)].Fields[0].Value.([]string)
	return vals, nil
}

func TestFind(t *testing.T) {
	p := page(t, shop+`<script>var sencha = 1</script><p title="sencha tea">Tea</p>`, "text/html")
	found, more := p.Find("sencha", "", 0)
	if len(found) != 2 || more != 0 || found[0].Attr != "href" || found[1].Attr != "title" || found[1].Text != "sencha tea" {
		t.Fatalf("case-sensitive: %+v, %d more", found, more)
	}
	if got := found[0].String(); got != `<a href="sencha"> in attribute href` {
		t.Errorf("String() = %s", got)
	}
	found, more = p.Find("SENCHA", "", 1) // no exact match: ignores case
	if len(found) != 1 || more != 1 || found[0].Text != "Sencha" || found[0].String() != `<a> "Sencha"` || found[0].Item != -1 {
		t.Errorf("folded, limit 1: %+v, %d more", found, more)
	}
	if found, more := p.Find("", "", 0); found != nil || more != 0 {
		t.Errorf("empty text: %v, %d", found, more)
	}
	if found, _ := p.Find("nowhere", "", 0); found != nil {
		t.Errorf("absent text: %v", found)
	}
}

func TestSuggest(t *testing.T) {
	p := page(t, shop+`<div id="Main" class="main-content-area"></div>`, "text/html")
	css := func(sugs []inspect.Suggestion) []string {
		var out []string
		for _, s := range sugs {
			out = append(out, s.CSS)
		}
		return out
	}
	for _, tc := range []struct {
		items, sel string
		want       []string
	}{
		{"", ".prise", []string{".price"}},
		{"", "span.prise", []string{"span.price"}},
		{"", "h2.page-title", []string{"h1.page-title", ".page-title"}}, // a tag one edit away first
		{"", "#main", []string{"#Main"}},
		{"", ".content", []string{".main-content-area"}},
		{"li.product", "b.price", []string{".price"}},
		{"li.product", "h1", nil}, // h1 is on the page, not in the items
		{"", ".zzzzzzzz", nil},
		{"", "div[", nil},
		{"li[", ".prise", nil},
	} {
		if got := css(p.Suggest(tc.items, tc.sel)); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Suggest(%q, %q) = %q, want %q", tc.items, tc.sel, got, tc.want)
		}
	}
	if s := p.Suggest("", ".prise"); s[0].Matches != 2 || s[0].Text != "4.20" {
		t.Errorf("Suggest(.prise) = %+v", s)
	}
}

func TestCount(t *testing.T) {
	p := page(t, shop, "text/html")
	if n, err := p.Count("li.product a, h1"); n != 4 || err != nil {
		t.Errorf("Count = %d, %v", n, err)
	}
	if _, err := p.Count("li["); err == nil || !strings.HasPrefix(err.Error(), "inspect: ") {
		t.Errorf("Count(li[) error %v", err)
	}
}

func TestJSONFields(t *testing.T) {
	body := `{"items":[{"id":1,"name":"a","price":"1.5"},{"id":2,"price":"x"}],"one":{"id":9}}`
	p := page(t, body, "application/json")
	rep, err := p.JSONFields(extract.JSONSpec{Items: "items", Fields: []extract.JSONField{
		{Name: "id", Type: extract.TypeInt}, {Name: "title", Path: "name"}, {Name: "price", Type: extract.TypeFloat},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if !rep.ItemsFound || !rep.ItemsArray || rep.Items != 2 || rep.Records != 0 || rep.Err == nil {
		t.Errorf("report %+v", rep)
	}
	for i, w := range []struct {
		path  string
		found bool
		value any
		err   bool
	}{{"id", true, int64(1), false}, {"name", true, "a", false}, {"price", true, nil, true}} {
		f := rep.Fields[i]
		if f.Path != w.path || f.Found != w.found || f.Value != w.value || (f.Err != nil) != w.err {
			t.Errorf("field %s: %+v", f.Field.Name, f)
		}
	}
	rep, _ = p.JSONFields(extract.JSONSpec{Items: "one", Fields: []extract.JSONField{{Name: "id"}}})
	if !rep.ItemsFound || rep.ItemsArray || rep.Items != 1 || !rep.Fields[0].Found || rep.Records != 1 {
		t.Errorf("object items: %+v", rep)
	}
	rep, _ = p.JSONFields(extract.JSONSpec{Items: "nope", Fields: []extract.JSONField{{Name: "one.id"}}})
	if rep.ItemsFound || !rep.Fields[0].Found {
		t.Errorf("items not found: %+v", rep)
	}
	if _, err := p.JSONFields(extract.JSONSpec{Fields: []extract.JSONField{{Name: ""}}}); err == nil {
		t.Error("a nameless field: no error")
	}
}

func TestReadFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "page.html")
	raw := []byte("<html><head><meta charset=\"windows-1252\"></head><body><h1>Caf\xe9</h1></body></html>")
	if err := os.WriteFile(path, raw, 0o644); err != nil {
		t.Fatal(err)
	}
	resp, err := inspect.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if resp.URL.Scheme != "file" || resp.ContentType != "text/html" || resp.Charset != "windows-1252" || string(resp.Raw) != string(raw) {
		t.Errorf("response %s %q %q", resp.URL, resp.ContentType, resp.Charset)
	}
	rep, err := inspect.New(resp).Fields(extract.HTMLSpec{Fields: []extract.Field{{Name: "h", Selector: "h1"}}})
	if err != nil || rep.Fields[0].Value != "Café" {
		t.Errorf("h1 = %v, %v", rep.Fields[0].Value, err)
	}
	if _, err := inspect.ReadFile(filepath.Join(dir, "nope.html")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
}
