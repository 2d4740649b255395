package extract_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"

	"github.com/sluicehq/sluice/pipeline"
	"github.com/sluicehq/sluice/record"
	"github.com/sluicehq/sluice/stages/extract"
	"github.com/sluicehq/sluice/stages/fetch"
)

const shopPage = `<html><head><base href="/shop/"></head><body>
<h1>Teas</h1>
<ul>
  <li class="product" data-sku="t1"><a href="sencha">Sencha</a> <span class="price">4.20</span></li>
  <li class="product" data-sku="t2"><a href="matcha">Matcha  &amp; whisk</a> <span class="price">12.00</span></li>
</ul></body></html>`

func shopResponse() *fetch.Response {
	u, _ := url.Parse("https://tea.example/catalog?page=1")
	return &fetch.Response{Request: fetch.Request{URL: u.String()}, URL: u, Body: []byte(shopPage), ContentType: "text/html"}
}

func ExampleNewHTML() {
	h, err := extract.NewHTML(extract.HTMLSpec{
		Items: "li.product",
		Fields: []extract.Field{
			{Name: "sku", Attr: "data-sku"},
			{Name: "name", Selector: "a", Required: true},
			{Name: "url", Selector: "a", Attr: "href"},
			{Name: "price", Selector: ".price", Type: extract.TypeFloat},
		},
	})
	if err != nil {
		panic(err)
	}
	recs, err := h.Records(shopResponse())
	if err != nil {
		panic(err)
	}
	for _, r := range recs {
		fmt.Println(r.Fields)
	}
	// Output:
	// [{sku t1} {name Sencha} {url https://tea.example/shop/sencha} {price 4.2}]
	// [{sku t2} {name Matcha & whisk} {url https://tea.example/shop/matcha} {price 12}]
}

func ExampleNewStruct() {
	type Product struct {
		Name  string  `css:"a"`
		URL   string  `css:"a" attr:"href"`
		Price float64 `css:".price" required:"true"`
	}
	type Page struct {
		Heading  string    `css:"h1"`
		Products []Product `css:"li.product"`
	}
	s, err := extract.NewStruct[Page]()
	if err != nil {
		panic(err)
	}
	pages, err := s.Values(shopResponse())
	if err != nil {
		panic(err)
	}
	fmt.Printf("%+v\n", pages[0])
	// Output:
	// {Heading:Teas Products:[{Name:Sencha URL:https://tea.example/shop/sencha Price:4.2} {Name:Matcha & whisk URL:https://tea.example/shop/matcha Price:12}]}
}

func ExampleNewHTML_badSelector() {
	_, err := extract.NewHTML(extract.HTMLSpec{Fields: []extract.Field{{Name: "price", Selector: "span..price"}}})
	fmt.Println(err)
	// Output:
	// extract: field "price": invalid selector "span..price" at byte 5: expected identifier, found . instead
}

func ExampleNewJSON() {
	j, err := extract.NewJSON(extract.JSONSpec{Items: "data.items", Fields: []extract.JSONField{
		{Name: "id", Type: extract.TypeInt},
		{Name: "name", Path: "attributes.title"},
		{Name: "tags", Path: "tags.#.label"},
	}})
	if err != nil {
		panic(err)
	}
	body := `{"data":{"items":[{"id":"7","attributes":{"title":"Kettle"},"tags":[{"label":"steel"},{"label":"1.7 l"}]}]}}`
	recs, err := j.Records(&fetch.Response{Request: fetch.Request{URL: "https://api.example/items"}, Body: []byte(body)})
	if err != nil {
		panic(err)
	}
	fmt.Println(recs[0].Key, recs[0].Fields)
	// Output:
	// https://api.example/items [{id 7} {name Kettle} {tags [steel 1.7 l]}]
}

// Example runs a whole pipeline against an httptest server: fetch pages,
// extract one record per product, and drop (and report) a page that fails.
func Example() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		if r.URL.Path == "/broken" {
			fmt.Fprint(w, `<li class="product"><span class="price">1</span></li>`) // no name
			return
		}
		fmt.Fprint(w, shopPage)
	}))
	defer srv.Close()

	f, err := fetch.New(fetch.Config{})
	if err != nil {
		panic(err)
	}
	defer f.Close()
	h, err := extract.NewHTML(extract.HTMLSpec{Items: "li.product", Fields: []extract.Field{
		{Name: "name", Selector: "a", Required: true},
		{Name: "price", Selector: ".price", Type: extract.TypeFloat},
	}})
	if err != nil {
		panic(err)
	}

	var failures []pipeline.Failure
	p := pipeline.New(pipeline.OnFailure(func(_ context.Context, f pipeline.Failure) error {
		failures = append(failures, f) // the handler is serialized by the engine
		return nil
	}))
	reqs := pipeline.FromSlice(p, "urls", []fetch.Request{fetch.FromURL(srv.URL + "/teas"), fetch.FromURL(srv.URL + "/broken")})
	pages := pipeline.Map(p, "fetch", reqs, f.Fetch)
	recs := pipeline.FlatMap(p, "extract", pages, h.Extract)
	pipeline.Sink(p, "print", recs, pipeline.WriterFunc[record.Record](func(_ context.Context, r record.Record) error {
		fmt.Println(r.Fields)
		return nil
	}))
	if err := p.Run(context.Background()); err != nil {
		panic(err)
	}
	for _, f := range failures {
		fmt.Printf("%s: %s\n", f.Stage, strings.ReplaceAll(f.Err.Error(), srv.URL, "URL"))
	}
	// Output:
	// [{name Sencha} {price 4.2}]
	// [{name Matcha & whisk} {price 12}]
	// extract: extract: required field "name" missing in item 0 of URL/broken
}
