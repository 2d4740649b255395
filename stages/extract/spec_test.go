package extract_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"
	"github.com/sluicehq/sluice/stages/extract"
)

func TestSelectorErrorQuotesSelectorAndOffset(t *testing.T) {
	for _, tc := range []struct {
		sel    string
		offset int
	}{
		{"li.product[", 11}, // incomplete: the error is at the end
		{"div > > p", 6},
		{"a:nosuchpseudo", 1},
		{"h2 a,", 5},
		{"#", 1},
		{"p)", 1},
	} {
		_, err := extract.NewHTML(extract.HTMLSpec{Fields: []extract.Field{{Name: "f", Selector: tc.sel}}})
		var se *extract.SelectorError
		if !errors.As(err, &se) {
			t.Errorf("%q: err = %v, want *SelectorError", tc.sel, err)
			continue
		}
		if se.Field != "f" || se.Selector != tc.sel || se.Offset != tc.offset {
			t.Errorf("%q: got field %q offset %d, want offset %d (%v)", tc.sel, se.Field, se.Offset, tc.offset, err)
		}
		if !strings.Contains(err.Error(), `"`+tc.sel+`"`) {
			t.Errorf("message %q does not quote the selector", err)
		}
	}
}

func TestHTMLSpecConstructionErrors(t *testing.T) {
	for name, spec := range map[string]extract.HTMLSpec{
		"items":        {Items: "ul >", Fields: []extract.Field{{Name: "a"}}},
		"no name":      {Fields: []extract.Field{{Selector: "p"}}},
		"dup name":     {Fields: []extract.Field{{Name: "a", Selector: "p"}, {Name: "a", Selector: "q"}}},
		"take":         {Fields: []extract.Field{{Name: "a", Selector: "p", Take: "texts"}}},
		"attr no name": {Fields: []extract.Field{{Name: "a", Selector: "p", Take: extract.TakeAttr}}},
		"attr+html":    {Fields: []extract.Field{{Name: "a", Selector: "p", Take: extract.TakeHTML, Attr: "x"}}},
		"type":         {Fields: []extract.Field{{Name: "a", Selector: "p", Type: "decimal"}}},
		"regex":        {Fields: []extract.Field{{Name: "a", Selector: "p", Regex: "(["}}},
		"default":      {Fields: []extract.Field{{Name: "a", Selector: "p", Type: extract.TypeInt, Default: "x"}}},
		"count+type":   {Fields: []extract.Field{{Name: "a", Selector: "p", Take: extract.TakeCount, Type: extract.TypeInt}}},
		"nested attr":  {Fields: []extract.Field{{Name: "a", Selector: "p", Attr: "x", Fields: []extract.Field{{Name: "b"}}}}},
		"nested sel":   {Fields: []extract.Field{{Name: "a", Selector: "p", Fields: []extract.Field{{Name: "b", Selector: "["}}}}},
	} {
		if _, err := extract.NewHTML(spec); err == nil || !strings.HasPrefix(err.Error(), "extract: field ") {
			t.Errorf("%s: err = %v", name, err)
		}
	}
}

func TestHTMLSpecFromYAML(t *testing.T) {
	src := `
items: li.product
fields:
  - {name: name, selector: "h2 a"}
  - {name: url, selector: "h2 a", attr: href}
  - {name: euros, selector: .price, regex: '^(\d+),', type: int, default: "0"}
  - {name: tags, selector: .tag, all: true}
  - {name: sold_out, selector: .sold-out, take: exists}
  - name: first_tag
    selector: ul.tags
    fields:
      - {name: tag, selector: li, required: true}
`
	var spec extract.HTMLSpec
	if err := yaml.Unmarshal([]byte(src), &spec); err != nil {
		t.Fatal(err)
	}
	if len(spec.Fields) != 6 || spec.Fields[2].Type != extract.TypeInt || !spec.Fields[3].All ||
		spec.Fields[4].Take != extract.TakeExists || !spec.Fields[5].Fields[0].Required {
		t.Fatalf("spec = %+v", spec)
	}
	h, err := extract.NewHTML(spec)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := h.Records(response(t, trickyURL, "text/html", fixture(t, "tricky.html")))
	// The third product has an empty ul.tags: its nested required tag is missing.
	var me *extract.MissingFieldError
	if !errors.As(err, &me) || me.Field != "first_tag.tag" || me.Item != 2 || recs != nil {
		t.Fatalf("err = %v", err)
	}
}
