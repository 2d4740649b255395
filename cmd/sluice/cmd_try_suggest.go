package main

import (
	"fmt"
	"text/tabwriter"
)

// didYouMean prints selectors like sel, built from the page's classes, ids
// and tags, that match inside the items (nItems of them), or in the page
// when items is empty.
func (t *tryer) didYouMean(items, sel string, nItems int) {
	if inPage, _ := t.page.insp.Count(sel); inPage > 0 && items != "" && nItems > 0 {
		fmt.Fprintf(t.out, "%s matches %s on the page, but none inside the items\n", sel, plural(inPage, "element", "elements"))
		return
	}
	sugs := t.page.insp.Suggest(items, sel)
	if len(sugs) == 0 {
		fmt.Fprintf(t.out, "%s matches nothing, and no similar class, id or tag is on the page; try --find TEXT\n", sel)
		return
	}
	fmt.Fprintf(t.out, "%s matches nothing; did you mean\n", sel)
	w := tabwriter.NewWriter(t.out, 0, 0, 2, ' ', 0)
	for _, s := range sugs {
		fmt.Fprintf(w, "  %s\t%s\t%q\n", s.CSS, plural(s.Matches, "match", "matches"), cut(s.Text, 40))
	}
	w.Flush()
}
