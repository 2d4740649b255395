package extract_test

import (
	"fmt"

	"github.com/sluicehq/sluice/stages/extract"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// hrefs is an ElementVisitor that collects the links of a page.
type hrefs struct{ found []string }

func (h *hrefs) KeepAttr(_ atom.Atom, key []byte) bool { return string(key) == "href" }

func (h *hrefs) Element(n *html.Node) {
	for _, a := range n.Attr {
		if a.Key == "href" && n.DataAtom == atom.A {
			h.found = append(h.found, a.Val)
		}
	}
}

// One pass over a page for its records and for what another reader
// needs from it — here its links, as a crawl's link stage reads them.
func ExampleHTML_RecordsVisiting() {
	h, err := extract.NewHTML(extract.HTMLSpec{Items: "li.product", Fields: []extract.Field{{Name: "sku", Attr: "data-sku"}}})
	if err != nil {
		panic(err)
	}
	links := &hrefs{}
	recs, ok, err := h.RecordsVisiting(shopResponse(), links)
	if err != nil || !ok {
		panic(fmt.Sprint("not in one pass: ", err))
	}
	for _, r := range recs {
		fmt.Println(r.Fields)
	}
	fmt.Println(links.found)
	// Output:
	// [{sku t1}]
	// [{sku t2}]
	// [sencha matcha]
}
