package extract_test

import (
	"testing"

	"github.com/goccy/go-yaml"
	"github.com/sluicehq/sluice/stages/extract"
)

// fuzzSpec exercises every kind of field.
var fuzzSpec = extract.HTMLSpec{Fields: []extract.Field{
	{Name: "title", Selector: "title"},
	{Name: "href", Selector: "a", Attr: "href"},
	{Name: "srcs", Selector: "img", Attr: "src", All: true},
	{Name: "html", Selector: "div", Take: extract.TakeHTML},
	{Name: "outer", Selector: "p", Take: extract.TakeOuterHTML},
	{Name: "exists", Selector: "table", Take: extract.TakeExists},
	{Name: "count", Selector: "li", Take: extract.TakeCount},
	{Name: "num", Selector: ".n", Regex: `(\d+)`, Type: extract.TypeInt, Default: "0"},
	{Name: "nums", Selector: "li", Regex: `\d+`, Type: extract.TypeFloat, All: true},
	{Name: "nested", Selector: "ul", All: true, Fields: []extract.Field{
		{Name: "first", Selector: "li"},
		{Name: "flag", Selector: "li", Type: extract.TypeBool, Default: "false"},
	}},
}}

type fuzzStruct struct {
	Title string   `css:"title"`
	Links []string `css:"a" attr:"href"`
	N     int      `css:".n" regex:"(\\d+)"`
	Items []struct {
		Text string `css:""`
	} `css:"li"`
}

func FuzzHTML(f *testing.F) {
	// Small seeds: the fuzzer minimises every new interesting input, which
	// takes long for big ones (testdata/tricky.html runs in TestHTML*).
	f.Add([]byte(`<ul><li class=product data-id=1><h2><a href="../x?a=1&amp;b">A &amp; B</a></h2><span class=n>12,50&nbsp;€</span></ul>`))
	f.Add([]byte(`<base href="::"><a href="%zz">x</a><p class=n>99999999999999999999</p>`))
	f.Add([]byte("<table><li>1<ul><li>2</table>\x00\xff<svg><a xlink:href=x>"))
	h, err := extract.NewHTML(fuzzSpec)
	if err != nil {
		f.Fatal(err)
	}
	s, err := extract.NewStruct[fuzzStruct]()
	if err != nil {
		f.Fatal(err)
	}
	items := mustHTML(f, extract.HTMLSpec{Items: "li, p", Fields: fuzzSpec.Fields[:3]})
	f.Fuzz(func(t *testing.T, body []byte) {
		resp := response(t, "https://fuzz.example/a/b?c=d", "text/html", body)
		_, _ = h.Records(resp) // conversion errors are fine; panics are not
		_, _ = items.Records(resp)
		_, _ = s.Values(resp)
		_ = extract.Links(resp)
	})
}

func FuzzJSON(f *testing.F) {
	for _, s := range []string{`{"items":[{"id":1,"name":"a"}]}`, `[1,2`, `{"a":"\ud800"}`, `{"items":{"id":"x"}}`, `  `, `{"a":1}{"b":2}`} {
		f.Add([]byte(s))
	}
	withItems := mustJSON(f, extract.JSONSpec{Items: "items", Fields: []extract.JSONField{
		{Name: "id", Type: extract.TypeInt}, {Name: "name"}, {Name: "price", Type: extract.TypeFloat}, {Name: "ok", Type: extract.TypeBool},
	}})
	all := mustJSON(f, extract.JSONSpec{Items: "@this"})
	whole := mustJSON(f, extract.JSONSpec{})
	type item struct {
		ID   int    `json:"id"`
		Name string `json:"name"`
	}
	js, err := extract.NewJSONStruct[item]("items")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		resp := response(t, "https://fuzz.example/api", "application/json", body)
		_, _ = withItems.Records(resp)
		_, _ = all.Records(resp)
		_, _ = whole.Records(resp)
		_, _ = js.Values(resp)
	})
}

func FuzzSpec(f *testing.F) {
	f.Add("li.product > a[href^='http']:not(.x)", "attr", "href", `(\d+)`, "int", "5")
	f.Add("div > > p", "text", "", "([", "float", "x")
	f.Add(":has(", "count", "", "", "", "")
	f.Add("a:nth-child(2n+", "exists", "", "", "bool", "maybe")
	f.Fuzz(func(t *testing.T, sel, take, attrName, regex, typ, def string) {
		spec := extract.HTMLSpec{Items: sel, Fields: []extract.Field{
			{Name: "f", Selector: sel, Take: extract.Take(take), Attr: attrName, Regex: regex, Type: extract.Type(typ), Default: def},
		}}
		h, err := extract.NewHTML(spec)
		if err == nil {
			_, _ = h.Records(response(t, "https://fuzz.example/", "text/html", fixture(t, "tricky.html")))
		}
		_, _ = extract.NewJSON(extract.JSONSpec{Items: sel, Fields: []extract.JSONField{{Name: "f", Path: sel, Type: extract.Type(typ), Default: def}}})
	})
}

func FuzzSpecYAML(f *testing.F) {
	f.Add([]byte("items: li\nfields:\n  - {name: a, selector: 'a[', attr: href}\n"))
	f.Add([]byte("fields:\n  - name: n\n    fields: [{name: x, selector: b, type: int, default: '1'}]\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		spec, ok := decodeYAML(src)
		if !ok {
			return
		}
		if h, err := extract.NewHTML(spec); err == nil {
			_, _ = h.Records(response(t, "https://fuzz.example/", "text/html", []byte("<li><a href=x>1</a></li>")))
		}
	})
}

// decodeYAML decodes a spec, treating a panic in the YAML library as an
// error: goccy/go-yaml v1.19.2 panics on a tag applied to a scalar where a
// sequence is expected (goccy/go-yaml#735, fixed upstream by #862). This
// target checks sluice's spec compilation, not the YAML library.
func decodeYAML(src []byte) (spec extract.HTMLSpec, ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	return spec, yaml.Unmarshal(src, &spec) == nil
}
