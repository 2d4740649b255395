package main

import (
	"fmt"
	"strings"
	"text/tabwriter"
)

// jsonFields prints the fields of a JSON spec: value in the first record
// and whether the path is found in the first item.
func (t *tryer) jsonFields() {
	spec := t.spec.json
	rep, err := t.page.insp.JSONFields(*spec)
	if err != nil {
		return // checked before
	}
	if spec.Items != "" {
		switch {
		case !rep.ItemsFound:
			fmt.Fprintf(t.out, "items:    %s  not found\n", spec.Items)
		case rep.ItemsArray:
			fmt.Fprintf(t.out, "items:    %s  %s\n", spec.Items, plural(rep.Items, "item", "items"))
		default:
			fmt.Fprintf(t.out, "items:    %s  1 item (not an array)\n", spec.Items)
		}
	}
	if len(spec.Fields) > 0 {
		fmt.Fprintln(t.out, "fields:")
		w := tabwriter.NewWriter(t.out, 0, 0, 2, ' ', 0)
		for _, fr := range rep.Fields {
			found := "missing in item 1"
			if fr.Found {
				found = "found"
			}
			value := showValue(fr.Value)
			switch {
			case fr.Err != nil:
				value = "error: " + strings.TrimPrefix(fr.Err.Error(), "extract: ")
			case fr.Records == 0:
				value = "(no items)"
			}
			fmt.Fprintf(w, "  %s\t%s\t%s\t%s\n", fr.Field.Name, fr.Path, found, value)
		}
		w.Flush()
	}
	verdict(t.out, rep.Records, rep.Err)
}
