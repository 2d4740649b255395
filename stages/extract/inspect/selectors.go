package inspect

import (
	"fmt"
	"slices"
	"strings"

	"github.com/andybalholm/cascadia"
	"golang.org/x/net/html"
)

// selectorsFor returns up to three short selectors that match n when
// queried under root, best first: the only match before the first match
// before a later one, then by class or id before by tag or path, then
// shortest. Each one is run to check it.
func selectorsFor(n, root *html.Node) []Selector {
	var out []Selector
	seen := map[string]bool{}
	for _, sel := range candidateSelectors(n, root) {
		if seen[sel] {
			continue
		}
		seen[sel] = true
		m, err := cascadia.ParseGroup(sel)
		if err != nil {
			continue
		}
		ms := cascadia.QueryAll(root, m)
		if i := slices.Index(ms, n); i >= 0 {
			out = append(out, Selector{CSS: sel, Matches: len(ms), Index: i})
		}
	}
	slices.SortStableFunc(out, func(a, b Selector) int {
		if ra, rb := rank(a), rank(b); ra != rb {
			return ra - rb
		}
		if ka, kb := named(a.CSS), named(b.CSS); ka != kb {
			return kb - ka // a class or id says what the element is; a bare tag or path only where it is
		}
		return len(a.CSS) - len(b.CSS)
	})
	return out[:min(len(out), 3)]
}

// rank is 0 for the only match, 1 for the first of several, 2 for a later
// one.
func rank(s Selector) int {
	switch {
	case s.Matches == 1:
		return 0
	case s.Index == 0:
		return 1
	}
	return 2
}

// named is 1 when sel picks by class or id.
func named(sel string) int {
	if strings.ContainsAny(sel, ".#") {
		return 1
	}
	return 0
}

// candidateSelectors lists selectors that may pick out n, shortest kinds
// first: by id, by classes, by tag, qualified by an ancestor, and the
// nth-of-type path from root.
func candidateSelectors(n, root *html.Node) []string {
	simple := simpleSelectors(n)
	out := slices.Clone(simple)
	for p := n.Parent; p != nil && p != root && p.Type == html.ElementNode; p = p.Parent {
		if ps := simpleSelectors(p); len(ps) > 0 && (hasAttr(p, "id") || hasAttr(p, "class")) {
			for _, s := range simple[:min(len(simple), 2)] {
				out = append(out, ps[0]+" "+s)
			}
			break
		}
	}
	return append(out, nthPath(n, root))
}

// simpleSelectors are the compound selectors of n alone: tag#id, #id,
// tag.class for each class, tag.all.classes, tag.
func simpleSelectors(n *html.Node) []string {
	var out []string
	if id, ok := attrValue(n, "id"); ok && isIdent(id) {
		out = append(out, n.Data+"#"+id, "#"+id)
	}
	cls, _ := attrValue(n, "class")
	var idents []string
	for _, c := range strings.Fields(cls) {
		if isIdent(c) {
			idents = append(idents, c)
			out = append(out, n.Data+"."+c, "."+c)
		}
	}
	if len(idents) > 1 {
		out = append(out, n.Data+"."+strings.Join(idents, "."))
	}
	return append(out, n.Data)
}

// nthPath is the child path from root to n: tag or tag:nth-of-type(k)
// steps joined by " > ", starting at the nearest ancestor with an id.
func nthPath(n, root *html.Node) string {
	var steps []string
	for c := n; c != nil && c != root && c.Type == html.ElementNode; c = c.Parent {
		if id, ok := attrValue(c, "id"); ok && isIdent(id) && c != n {
			steps = append(steps, c.Data+"#"+id)
			break
		}
		steps = append(steps, nthStep(c))
	}
	slices.Reverse(steps)
	if len(steps) > 1 && steps[0] == "html" {
		steps = steps[1:]
	}
	return strings.Join(steps, " > ")
}

// nthStep is c's tag, with :nth-of-type when a sibling has the same tag.
func nthStep(c *html.Node) string {
	k, same := 1, false
	for s := c.Parent.FirstChild; s != nil; s = s.NextSibling {
		if s == c || s.Type != html.ElementNode || s.Data != c.Data {
			continue
		}
		same = true
		if isBefore(s, c) {
			k++
		}
	}
	if !same {
		return c.Data
	}
	return fmt.Sprintf("%s:nth-of-type(%d)", c.Data, k)
}

func isBefore(a, b *html.Node) bool {
	for s := a.NextSibling; s != nil; s = s.NextSibling {
		if s == b {
			return true
		}
	}
	return false
}
