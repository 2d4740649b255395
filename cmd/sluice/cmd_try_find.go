package main

import (
	"fmt"
	"text/tabwriter"

	"github.com/sluicehq/sluice/stages/extract/inspect"
)

// maxFindHits bounds the elements --find lists.
const maxFindHits = 5

// findText prints the elements whose own text (or an attribute) contains
// text, each with verified selectors for it.
func (t *tryer) findText(text string) {
	found, more := t.page.insp.Find(text, t.spec.htmlItems(), maxFindHits)
	if len(found) == 0 {
		fmt.Fprintf(t.out, "find %q: no element's own text or attribute contains it\n", text)
		return
	}
	fmt.Fprintf(t.out, "find %q: %s\n", text, plural(len(found)+more, "element", "elements"))
	for _, f := range found {
		where := ""
		if f.Item >= 0 {
			where = fmt.Sprintf(" in item %d (selectors relative to it)", f.Item+1)
		}
		fmt.Fprintf(t.out, "  %s%s\n", f, where)
		w := tabwriter.NewWriter(t.out, 0, 0, 2, ' ', 0)
		for _, s := range f.Selectors {
			sel := s.CSS
			if f.Attr != "" {
				sel += "@" + f.Attr
			}
			fmt.Fprintf(w, "    %s\t%s\n", sel, selectorNote(s))
		}
		w.Flush()
	}
	if more > 0 {
		fmt.Fprintf(t.out, "  ... and %d more\n", more)
	}
}

// selectorNote says how a selector found for an element matches it.
func selectorNote(s inspect.Selector) string {
	switch {
	case s.Matches == 1:
		return "1 match"
	case s.Index == 0:
		return fmt.Sprintf("%d matches, this is the first", s.Matches)
	}
	return fmt.Sprintf("%d matches, this is #%d (add |all for every one)", s.Matches, s.Index+1)
}

// htmlItems is the items selector of an HTML spec.
func (s trySpec) htmlItems() string {
	if s.html == nil {
		return ""
	}
	return s.html.Items
}
