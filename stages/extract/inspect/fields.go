package inspect

import (
	"errors"
	"strings"

	"github.com/andybalholm/cascadia"
	"golang.org/x/net/html"

	"github.com/sluicehq/sluice/record"
	"github.com/sluicehq/sluice/stages/extract"
)

// Report is what an HTML spec extracts from a page, field by field.
type Report struct {
	// Items is how many elements the spec's items selector matches; 0
	// when the spec has none (the page is then the one scope).
	Items int
	// Fields are the spec's fields, in order.
	Fields []FieldResult
	// Records is how many records the whole spec yields from the page.
	Records int
	// Err is the error a run would fail the page with (a missing required
	// field, a value that does not convert), or nil.
	Err error
}

// FieldResult is what one field of a spec extracts from a page.
type FieldResult struct {
	Field extract.Field
	// Matches is how many elements the field's selector matches, summed
	// over the items (or in the page); an empty selector matches each
	// item once.
	Matches int
	// InItems is in how many items the selector matches at least once; 0
	// when the spec has no items selector.
	InItems int
	// Records is how many records the field alone yields: 0 when items
	// are selected and none matched.
	Records int
	// Value is the field's value in the first record, as the record
	// holds it: its Default or its type's zero value when missing. It is
	// nil when there is no record.
	Value any
	// Missing is the index of the first record in which the field is
	// missing, or -1 when it is in every record.
	Missing int
	// Err is the error the field alone fails the page with, with Required
	// ignored (a value that does not convert, a failing Func), or nil.
	Err error
}

// Fields evaluates spec on the page. The error is the spec's own, from
// [extract.NewHTML] (a *[extract.SelectorError] for a selector that does
// not compile); the failures of the page are in the report.
func (p *Page) Fields(spec extract.HTMLSpec) (Report, error) {
	h, err := extract.NewHTML(spec)
	if err != nil {
		return Report{}, err
	}
	var r Report
	scopes := p.scopes(spec.Items)
	if spec.Items != "" {
		r.Items = len(scopes)
	}
	for _, f := range spec.Fields {
		fr := p.field(spec.Items, f)
		fr.Matches, fr.InItems = count(f.Selector, scopes)
		if spec.Items == "" {
			fr.InItems = 0
		}
		r.Fields = append(r.Fields, fr)
	}
	recs, err := h.Records(p.resp)
	r.Records, r.Err = len(recs), err
	return r, nil
}

// field extracts f alone, as an optional field and then as a required
// one to see where it is missing.
func (p *Page) field(items string, f extract.Field) FieldResult {
	fr := FieldResult{Field: f, Missing: -1}
	f.Required = false
	recs, err := p.records(items, f)
	if err != nil {
		fr.Err = err
		return fr
	}
	fr.Records = len(recs)
	if len(recs) == 0 {
		return fr
	}
	fr.Value = recs[0].Fields[0].Value
	f.Required = true
	var me *extract.MissingFieldError
	if _, err := p.records(items, f); errors.As(err, &me) {
		fr.Missing = me.Item
	}
	return fr
}

func (p *Page) records(items string, f extract.Field) ([]record.Record, error) {
	h, err := extract.NewHTML(extract.HTMLSpec{Items: items, Fields: []extract.Field{f}})
	if err != nil {
		return nil, err
	}
	return h.Records(p.resp)
}

// count returns how many elements sel matches in all the scopes, and in
// how many scopes it matches at all. An empty sel matches each scope.
func count(sel string, scopes []*html.Node) (n, in int) {
	if strings.TrimSpace(sel) == "" {
		return len(scopes), len(scopes)
	}
	m, err := cascadia.ParseGroup(sel)
	if err != nil {
		return 0, 0
	}
	for _, s := range scopes {
		if c := len(cascadia.QueryAll(s, m)); c > 0 {
			n, in = n+c, in+1
		}
	}
	return n, in
}
