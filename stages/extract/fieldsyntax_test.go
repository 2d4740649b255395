package extract_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/sluicehq/sluice/stages/extract"
)

func TestParseField(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want extract.Field
	}{
		{"title=h1", extract.Field{Name: "title", Selector: "h1"}},
		{"price=div.price@data-amount|float|required", extract.Field{Name: "price", Selector: "div.price", Attr: "data-amount", Type: "float", Required: true}},
		{"link=a[href*='@x|y']@href", extract.Field{Name: "link", Selector: "a[href*='@x|y']", Attr: "href"}},
		{"fr=[lang|=fr]", extract.Field{Name: "fr", Selector: "[lang|=fr]"}},
		{"n=li|count", extract.Field{Name: "n", Selector: "li", Take: "count"}},
		{"e=.x|exists", extract.Field{Name: "e", Selector: ".x", Take: "exists"}},
		{"tags=.tag|all", extract.Field{Name: "tags", Selector: ".tag", All: true}},
		{"h=div|html", extract.Field{Name: "h", Selector: "div", Take: "html"}},
		{"o=div|outer-html", extract.Field{Name: "o", Selector: "div", Take: "outer_html"}},
		{"d=.d|time:02/01/2006 15:04", extract.Field{Name: "d", Selector: ".d", Type: "time:02/01/2006 15:04"}},
		{"v=.v|int|re:(\\d+)|(x)", extract.Field{Name: "v", Selector: ".v", Type: "int", Regex: "(\\d+)|(x)"}},
		{"c=.c|default:n/a|bool", extract.Field{Name: "c", Selector: ".c", Default: "n/a", Type: "bool"}},
		{"self=@data-id|int", extract.Field{Name: "self", Attr: "data-id", Type: "int"}},
		{"x=.a|count|all", extract.Field{Name: "x", Selector: ".a", Take: "count", All: true}}, // NewHTML rejects it
		{"a=p:not(.x)|text|text", extract.Field{Name: "a", Selector: "p:not(.x)", Take: "text"}},
	} {
		got, err := extract.ParseField(tc.in)
		if err != nil || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("ParseField(%q) = %+v, %v; want %+v", tc.in, got, err, tc.want)
		}
	}
}

func TestParseFieldErrors(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"=h1", "want NAME=SELECTOR"},
		{"h1", "want NAME=SELECTOR"},
		{"x=.a|requird", `unknown option "requird"; did you mean "required"?`},
		{"x=.a|zzzzzz", `unknown option "zzzzzz" (options: text, html,`},
		{"x=.a|int|float", "options int and float both set the type"},
		{"x=.a|count|exists", "options count and exists both set the take"},
		{"x=a@", "empty attribute name"},
		{"x=a@href|text", "option text contradicts @href"},
		{"x=a|time:", "needs a layout"},
	} {
		_, err := extract.ParseField(tc.in)
		var fe *extract.FieldSyntaxError
		if !errors.As(err, &fe) || fe.Input != tc.in || !strings.Contains(fe.Msg, tc.want) {
			t.Errorf("ParseField(%q) error %v, want a *FieldSyntaxError saying %q", tc.in, err, tc.want)
			continue
		}
		if want := `extract: invalid field "` + tc.in + `": `; !strings.HasPrefix(err.Error(), want) {
			t.Errorf("ParseField(%q) error %q, want it to start %q", tc.in, err, want)
		}
	}
}

func TestParseJSONField(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want extract.JSONField
	}{
		{"id|int", extract.JSONField{Name: "id", Type: "int"}},
		{"price=p.amount|float", extract.JSONField{Name: "price", Path: "p.amount", Type: "float"}},
		{"names=items.#.name", extract.JSONField{Name: "names", Path: "items.#.name"}},
		{"rev=items|@reverse", extract.JSONField{Name: "rev", Path: "items|@reverse"}},
		{"t=ts|time:unix|required", extract.JSONField{Name: "t", Path: "ts", Type: "time:unix", Required: true}},
		{"c=count|default:0|int", extract.JSONField{Name: "c", Path: "count", Default: "0", Type: "int"}},
		{" n = a.b ", extract.JSONField{Name: "n", Path: "a.b"}},
	} {
		got, err := extract.ParseJSONField(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("ParseJSONField(%q) = %+v, %v; want %+v", tc.in, got, err, tc.want)
		}
	}
	for _, tc := range []struct{ in, want string }{
		{"=a.b", "want NAME[=PATH]"},
		{"|int", "want NAME[=PATH]"},
		{"x|int|float", "options int and float both set the type"},
	} {
		_, err := extract.ParseJSONField(tc.in)
		var fe *extract.FieldSyntaxError
		if !errors.As(err, &fe) || !strings.Contains(fe.Msg, tc.want) {
			t.Errorf("ParseJSONField(%q) error %v, want %q", tc.in, err, tc.want)
		}
	}
}

// FuzzParseField: a field either parses to a named field whose selector
// and attribute come from the text, or is a *FieldSyntaxError; neither
// parser panics.
func FuzzParseField(f *testing.F) {
	for _, s := range []string{"title=h1", "price=div.price@data-amount|float", "=h1", "a", "x=@href",
		"e=a[href$='@x']@title", `v=.v|re:(\d+)|x`, "x=.a|requird", "rev=items|@reverse|int", `q=a[title="\"|@"]|all`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var fe *extract.FieldSyntaxError
		fl, err := extract.ParseField(s)
		switch {
		case err != nil && !errors.As(err, &fe):
			t.Fatalf("ParseField(%q): %T %v", s, err, err)
		case err == nil && (fl.Name == "" || strings.Contains(fl.Name, "=") || !strings.HasPrefix(s, fl.Name+"="+fl.Selector)):
			t.Fatalf("ParseField(%q) = %+v", s, fl)
		}
		jf, err := extract.ParseJSONField(s)
		switch {
		case err != nil && !errors.As(err, &fe):
			t.Fatalf("ParseJSONField(%q): %T %v", s, err, err)
		case err == nil && (jf.Name == "" || !strings.Contains(s, jf.Name) || !strings.Contains(s, jf.Path)):
			t.Fatalf("ParseJSONField(%q) = %+v", s, jf)
		}
	})
}
