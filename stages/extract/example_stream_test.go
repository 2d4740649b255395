package extract_test

import (
	"fmt"
	"reflect"

	"github.com/sluicehq/sluice/stages/extract"
)

// A spec whose selectors only look at an element and its ancestors is
// extracted from the token stream, without a document; ForceDOM parses
// the full document instead. The records are the same.
func ExampleHTML_Streams() {
	spec := extract.HTMLSpec{Items: "ul > li.product", Fields: []extract.Field{
		{Name: "name", Selector: "a"},
		{Name: "price", Selector: ".price", Type: extract.TypeFloat},
	}}
	stream, err := extract.NewHTML(spec)
	if err != nil {
		panic(err)
	}
	dom, err := extract.NewHTML(spec, extract.ForceDOM())
	if err != nil {
		panic(err)
	}
	a, _ := stream.Records(shopResponse())
	b, _ := dom.Records(shopResponse())
	fmt.Println(stream.Streams(), dom.Streams(), reflect.DeepEqual(a, b))

	// :last-child needs the element's later siblings: no streaming.
	last, err := extract.NewHTML(extract.HTMLSpec{Fields: []extract.Field{{Name: "x", Selector: "li:last-child"}}})
	if err != nil {
		panic(err)
	}
	fmt.Println(last.Streams())
	// Output:
	// true false true
	// false
}
