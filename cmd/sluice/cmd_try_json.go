package main

import (
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/tidwall/gjson"

	"github.com/sluicehq/sluice/stages/extract"
)

// jsonFields prints the fields of a JSON spec: value in the first record
// and whether the path is found in the first item.
func (t *tryer) jsonFields() {
	spec := t.spec.json
	body := t.page.resp.Body
	item := gjson.ParseBytes(body)
	if spec.Items != "" {
		res := gjson.GetBytes(body, spec.Items)
		switch {
		case !res.Exists():
			fmt.Fprintf(t.out, "items:    %s  not found\n", spec.Items)
		case res.IsArray():
			arr := res.Array()
			fmt.Fprintf(t.out, "items:    %s  %s\n", spec.Items, plural(len(arr), "item", "items"))
			if len(arr) > 0 {
				item = arr[0]
			}
		default:
			fmt.Fprintf(t.out, "items:    %s  1 item (not an array)\n", spec.Items)
			item = res
		}
	}
	if len(spec.Fields) > 0 {
		fmt.Fprintln(t.out, "fields:")
		w := tabwriter.NewWriter(t.out, 0, 0, 2, ' ', 0)
		for _, f := range spec.Fields {
			path := f.Path
			if path == "" {
				path = f.Name
			}
			found := "missing in item 1"
			if item.Get(path).Exists() {
				found = "found"
			}
			fmt.Fprintf(w, "  %s\t%s\t%s\t%s\n", f.Name, path, found, t.jsonValue(spec.Items, f))
		}
		w.Flush()
	}
	j, err := extract.NewJSON(*spec)
	if err != nil {
		return
	}
	if recs, err := j.Records(t.page.resp); err != nil {
		fmt.Fprintf(t.out, "records:  none; a run would fail this page: %v\n", err)
	} else {
		fmt.Fprintf(t.out, "records:  %d\n", len(recs))
	}
}

// jsonValue is the field's value in the first record.
func (t *tryer) jsonValue(items string, f extract.JSONField) string {
	f.Required = false
	j, err := extract.NewJSON(extract.JSONSpec{Items: items, Fields: []extract.JSONField{f}})
	if err != nil {
		return "error: " + err.Error()
	}
	recs, err := j.Records(t.page.resp)
	switch {
	case err != nil:
		return "error: " + strings.TrimPrefix(err.Error(), "extract: ")
	case len(recs) == 0:
		return "(no items)"
	}
	return showValue(recs[0].Fields[0].Value)
}
