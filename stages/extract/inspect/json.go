package inspect

import (
	"github.com/tidwall/gjson"

	"github.com/sluicehq/sluice/stages/extract"
)

// JSONReport is what a JSON spec extracts from a page, field by field.
type JSONReport struct {
	// ItemsFound says whether the spec's items path finds anything; it is
	// false when the spec has no items path.
	ItemsFound bool
	// ItemsArray says whether the items path finds an array.
	ItemsArray bool
	// Items is how many items the items path finds: the array's length,
	// or 1 for another value.
	Items int
	// Fields are the spec's fields, in order.
	Fields []JSONFieldResult
	// Records is how many records the whole spec yields from the page.
	Records int
	// Err is the error a run would fail the page with, or nil.
	Err error
}

// JSONFieldResult is what one field of a JSON spec extracts from a page.
type JSONFieldResult struct {
	Field extract.JSONField
	// Path is the gjson path the field reads: its Path, or its Name.
	Path string
	// Found says whether Path exists in the first item (in the whole body
	// when there are no items).
	Found bool
	// Records is how many records the field alone yields.
	Records int
	// Value is the field's value in the first record, as the record holds
	// it, or nil when there is no record.
	Value any
	// Err is the error the field alone fails the page with, with Required
	// ignored, or nil.
	Err error
}

// JSONFields evaluates spec on the page's body. The error is the spec's
// own, from [extract.NewJSON]; the failures of the page are in the report.
func (p *Page) JSONFields(spec extract.JSONSpec) (JSONReport, error) {
	j, err := extract.NewJSON(spec)
	if err != nil {
		return JSONReport{}, err
	}
	var r JSONReport
	body := p.resp.Body
	item := gjson.ParseBytes(body)
	if spec.Items != "" {
		if res := gjson.GetBytes(body, spec.Items); res.Exists() {
			r.ItemsFound, r.ItemsArray = true, res.IsArray()
			switch arr := res.Array(); {
			case !res.IsArray():
				r.Items, item = 1, res
			case len(arr) > 0:
				r.Items, item = len(arr), arr[0]
			}
		}
	}
	for _, f := range spec.Fields {
		fr := JSONFieldResult{Field: f, Path: f.Path}
		if fr.Path == "" {
			fr.Path = f.Name
		}
		fr.Found = item.Get(fr.Path).Exists()
		f.Required = false
		fr.Records, fr.Value, fr.Err = p.jsonValue(spec.Items, f)
		r.Fields = append(r.Fields, fr)
	}
	recs, err := j.Records(p.resp)
	r.Records, r.Err = len(recs), err
	return r, nil
}

// jsonValue extracts f alone: the records it yields and its value in the
// first.
func (p *Page) jsonValue(items string, f extract.JSONField) (int, any, error) {
	j, err := extract.NewJSON(extract.JSONSpec{Items: items, Fields: []extract.JSONField{f}})
	if err != nil {
		return 0, nil, err
	}
	recs, err := j.Records(p.resp)
	if err != nil || len(recs) == 0 {
		return 0, nil, err
	}
	return len(recs), recs[0].Fields[0].Value, nil
}
