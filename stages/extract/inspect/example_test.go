package inspect_test

import (
	"fmt"
	"net/url"

	"github.com/sluicehq/sluice/stages/extract"
	"github.com/sluicehq/sluice/stages/extract/inspect"
	"github.com/sluicehq/sluice/stages/fetch"
)

const shop = `<html><body><h1 class="page-title">Teas</h1>
<ul>
  <li class="product" data-sku="t1"><a href="sencha">Sencha</a> <span class="price">4.20</span></li>
  <li class="product" data-sku="t2"><a href="matcha">Matcha</a> <span class="price">12.00</span></li>
  <li class="product" data-sku="t3"><a href="bancha">Bancha</a></li>
</ul></body></html>`

func shopResponse() *fetch.Response {
	u, _ := url.Parse("https://tea.example/catalog")
	return &fetch.Response{Request: fetch.Request{URL: u.String()}, URL: u, Body: []byte(shop), ContentType: "text/html"}
}

// A spec checked on a saved page, as a test debugging its selectors
// would: which fields match, what they hold, and what to write instead
// of a selector that matches nothing.
func Example() {
	spec := extract.HTMLSpec{Items: "li.product", Fields: []extract.Field{
		{Name: "name", Selector: "a"},
		{Name: "price", Selector: ".prise", Type: extract.TypeFloat},
	}}
	p := inspect.New(shopResponse())
	rep, err := p.Fields(spec)
	if err != nil {
		panic(err)
	}
	fmt.Println("items:", rep.Items, "records:", rep.Records)
	for _, f := range rep.Fields {
		fmt.Printf("%s: %d matches in %d items, first %v\n", f.Field.Name, f.Matches, f.InItems, f.Value)
		if f.Matches == 0 {
			for _, s := range p.Suggest(spec.Items, f.Field.Selector) {
				fmt.Printf("  did you mean %s (%d matches, %q)?\n", s.CSS, s.Matches, s.Text)
			}
		}
	}
	found, _ := p.Find("12.00", spec.Items, 1)
	for _, f := range found {
		fmt.Printf("%v in item %d: %s\n", f, f.Item, f.Selectors[0].CSS)
	}
	// Output:
	// items: 3 records: 3
	// name: 3 matches in 3 items, first Sencha
	// price: 0 matches in 0 items, first 0
	//   did you mean .price (2 matches, "4.20")?
	// <span class="price"> "12.00" in item 1: .price
}
