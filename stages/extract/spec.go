package extract

import "github.com/PuerkitoBio/goquery"

// Take says what a field takes from the element its selector matches.
type Take string

// The things a field can take.
const (
	// TakeText takes the element's text, whitespace-normalised: runs of
	// Unicode white space (no-break spaces included) become one space, and
	// leading and trailing space is removed. The contents of <script> and
	// <style> are not text. Text nodes are joined as they are, like the DOM's
	// textContent (and goquery's Text): "<td>a<td>b" gives "ab". It is the
	// default.
	TakeText Take = "text"
	// TakeAttr takes the attribute named by Field.Attr, whitespace-
	// normalised. Values of URL attributes (href, src, action, poster,
	// data-src) are instead trimmed and resolved against the page's
	// <base href> and final URL.
	TakeAttr Take = "attr"
	// TakeHTML takes the element's inner HTML.
	TakeHTML Take = "html"
	// TakeOuterHTML takes the element's outer HTML.
	TakeOuterHTML Take = "outer_html"
	// TakeExists takes whether the selector matches at all (a bool).
	TakeExists Take = "exists"
	// TakeCount takes how many elements the selector matches (an int64).
	TakeCount Take = "count"
)

// Type is the type of a field's value in the record.
type Type string

// The value types of a field.
const (
	TypeString Type = "string" // string (the default)
	TypeInt    Type = "int"    // int64, parsed with strconv.ParseInt base 10
	TypeFloat  Type = "float"  // float64, parsed with strconv.ParseFloat
	TypeBool   Type = "bool"   // bool: true/false, 1/0, yes/no, on/off
)

// HTMLSpec declares what to extract from an HTML page. It is the same value
// in Go and in YAML:
//
//	items: "li.product"
//	fields:
//	  - {name: title, selector: "h2"}
//	  - {name: url, selector: "a", attr: href}
//	  - {name: price, selector: ".price", regex: '([\d.]+)', type: float, required: true}
//	  - {name: tags, selector: ".tag", all: true}
type HTMLSpec struct {
	// Items is an optional CSS selector; each element it matches becomes one
	// record, and field selectors are matched inside that element. Empty
	// means one record per page, with fields matched in the whole document.
	Items string `yaml:"items"`
	// Fields are the record's fields, in order.
	Fields []Field `yaml:"fields"`
}

// Field declares one field of an [HTMLSpec].
type Field struct {
	// Name is the field's name in the record; required and unique.
	Name string `yaml:"name"`
	// Selector is a CSS selector matched among the descendants of the item
	// (or of the document). Empty means the item element itself.
	Selector string `yaml:"selector"`
	// Take says what to take from the match; empty means text, or attr when
	// Attr is set.
	Take Take `yaml:"take"`
	// Attr is the attribute to take, for TakeAttr.
	Attr string `yaml:"attr"`
	// All takes every match, in document order, as a list ([]string, or
	// []any of the field's type); otherwise only the first match is used.
	All bool `yaml:"all"`
	// Regex, when set, is applied to the taken string: the first capture
	// group (or the whole match when it has none) becomes the value, and no
	// match counts as missing.
	Regex string `yaml:"regex"`
	// Default is the value used when the field is missing, written as a
	// string and converted to Type at construction.
	Default string `yaml:"default"`
	// Required makes a missing field a per-page failure (a pipeline.Skip
	// naming the field and the URL). A field is missing when nothing
	// matches, the attribute is absent, the regex does not match, or the
	// value is empty after trimming (with take exists or count: when
	// nothing matches). Other missing fields take Default, or the zero
	// value of their type.
	Required bool `yaml:"required"`
	// Type is the value's type in the record; empty means string.
	Type Type `yaml:"type"`
	// Fields, when set, makes this a nested field: each element the
	// selector matches becomes a map[string]any of these fields, matched
	// inside it (with All, a []any of such maps — a list of items inside
	// one record). Take, Attr, Regex, Type and Default do not apply.
	Fields []Field `yaml:"fields"`
	// Func, from Go only, computes the value from the matched element with
	// goquery, for what the declarative parts cannot say. It replaces Take,
	// Attr, Regex, Type and Default; with All, the value is a []any of its
	// results. An error fails the page (a pipeline.Skip). The selection is
	// valid only during the call: do not keep it.
	Func func(*goquery.Selection) (any, error) `yaml:"-"`
}
