package main

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/andybalholm/cascadia"
	"golang.org/x/net/html"
)

// maxFindHits bounds the elements --find lists.
const maxFindHits = 5

// hit is an element holding the text --find looks for: in its own text,
// or in the attribute attr.
type hit struct {
	n    *html.Node
	attr string
}

// findText prints the elements whose own text (or an attribute) contains
// text, each with verified selectors for it.
func (t *tryer) findText(text string) {
	hits := findHits(t.page.doc, text, false)
	if len(hits) == 0 {
		hits = findHits(t.page.doc, text, true)
	}
	if len(hits) == 0 {
		fmt.Fprintf(t.out, "find %q: no element's own text or attribute contains it\n", text)
		return
	}
	fmt.Fprintf(t.out, "find %q: %s\n", text, plural(len(hits), "element", "elements"))
	items := t.scopes(t.spec.htmlItems())
	for i, h := range hits {
		if i == maxFindHits {
			fmt.Fprintf(t.out, "  ... and %d more\n", len(hits)-i)
			break
		}
		root, where := t.page.doc, ""
		if it := enclosing(h.n, items); it != nil && t.spec.htmlItems() != "" {
			root, where = it, fmt.Sprintf(" in item %d (selectors relative to it)", slices.Index(items, it)+1)
		}
		fmt.Fprintf(t.out, "  %s%s\n", describeHit(h), where)
		w := tabwriter.NewWriter(t.out, 0, 0, 2, ' ', 0)
		for _, c := range selectorsFor(h.n, root) {
			sel := c.sel
			if h.attr != "" {
				sel += "@" + h.attr
			}
			fmt.Fprintf(w, "    %s\t%s\n", sel, c.note)
		}
		w.Flush()
	}
}

// htmlItems is the items selector of an HTML spec.
func (s trySpec) htmlItems() string {
	if s.html == nil {
		return ""
	}
	return s.html.Items
}

// findHits returns the elements whose own text or an attribute value
// contains text, in document order.
func findHits(doc *html.Node, text string, fold bool) []hit {
	has := strings.Contains
	if fold {
		text = strings.ToLower(text)
		has = func(s, sub string) bool { return strings.Contains(strings.ToLower(s), sub) }
	}
	var hits []hit
	for n := range doc.Descendants() {
		if n.Type != html.ElementNode || n.Data == "script" || n.Data == "style" {
			continue
		}
		if has(normalizeSpace(ownText(n)), text) {
			hits = append(hits, hit{n: n})
			continue
		}
		for _, a := range n.Attr {
			if a.Key != "class" && a.Key != "id" && has(a.Val, text) {
				hits = append(hits, hit{n: n, attr: a.Key})
				break
			}
		}
	}
	return hits
}

// ownText is the text of n's own text children.
func ownText(n *html.Node) string {
	var b strings.Builder
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.TextNode {
			b.WriteString(c.Data)
		}
	}
	return b.String()
}

// describeHit shows the start tag of the element and its own text.
func describeHit(h hit) string {
	var b strings.Builder
	b.WriteString("<" + h.n.Data)
	for _, a := range h.n.Attr {
		if a.Key == "id" || a.Key == "class" || a.Key == h.attr {
			fmt.Fprintf(&b, " %s=%q", a.Key, cut(a.Val, 40))
		}
	}
	b.WriteString(">")
	if h.attr == "" {
		b.WriteString(" " + strconv.Quote(cut(normalizeSpace(ownText(h.n)), 60)))
	} else {
		b.WriteString(" in attribute " + h.attr)
	}
	return b.String()
}

// enclosing returns the item among items that contains n, or nil.
func enclosing(n *html.Node, items []*html.Node) *html.Node {
	for p := n.Parent; p != nil; p = p.Parent {
		if slices.Contains(items, p) {
			return p
		}
	}
	return nil
}

// candidate is a selector verified to match an element.
type candidate struct {
	sel  string
	rank int // 0: the only match; 1: the first match; 2: a later match
	note string
}

// selectorsFor returns up to three short selectors that match n when
// queried under root, best first: each one is run to check it.
func selectorsFor(n, root *html.Node) []candidate {
	var out []candidate
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
		i := slices.Index(ms, n)
		switch {
		case i < 0:
			continue
		case len(ms) == 1:
			out = append(out, candidate{sel, 0, "1 match"})
		case i == 0:
			out = append(out, candidate{sel, 1, fmt.Sprintf("%d matches, this is the first", len(ms))})
		default:
			out = append(out, candidate{sel, 2, fmt.Sprintf("%d matches, this is #%d (add |all for every one)", len(ms), i+1)})
		}
	}
	slices.SortStableFunc(out, func(a, b candidate) int {
		if a.rank != b.rank {
			return a.rank - b.rank
		}
		if ka, kb := named(a.sel), named(b.sel); ka != kb {
			return kb - ka // a class or id says what the element is; a bare tag or path only where it is
		}
		return len(a.sel) - len(b.sel)
	})
	return out[:min(len(out), 3)]
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

func attrValue(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

func hasAttr(n *html.Node, key string) bool {
	v, ok := attrValue(n, key)
	return ok && strings.TrimSpace(v) != ""
}

// isIdent reports whether s can be written in a selector unescaped.
func isIdent(s string) bool {
	return s != "" && isIdentStart(s[0]) && identLen(s) == len(s)
}
