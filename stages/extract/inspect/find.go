package inspect

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/net/html"
)

// Finding is an element that holds a text [Page.Find] looks for.
type Finding struct {
	// Element is the element's start tag, with its id and class and the
	// attribute holding the text (values cut to 40 characters):
	// <span class="price">.
	Element string
	// Attr is the attribute whose value holds the text, or "" when the
	// element's own text does.
	Attr string
	// Text is the element's own text (its text children, not its
	// descendants'), spaces normalised; or, with Attr, that attribute's
	// value.
	Text string
	// Item is the index of the item that holds the element, among the
	// items Find was given, or -1. Selectors are relative to that item.
	Item int
	// Selectors are up to three short selectors that match the element,
	// best first: each one has been run to check it. A field takes the
	// element with one of them (and @Attr).
	Selectors []Selector
}

// String shows the element's start tag and what holds the text:
// <span class="price"> "19.99", or <a href="/p/1"> in attribute href.
func (f Finding) String() string {
	if f.Attr != "" {
		return f.Element + " in attribute " + f.Attr
	}
	return f.Element + " " + strconv.Quote(cut(f.Text, 60))
}

// Selector is a CSS selector checked to match an element.
type Selector struct {
	CSS     string
	Matches int // elements it matches under its root (the page or the item)
	Index   int // the element's position among them, from 0
}

// Find returns the elements whose own text, or the value of an attribute
// other than class and id, contains text: matched with case first, and
// ignoring case when nothing matches so. Scripts and styles are skipped.
// Elements come in document order; selectors are built for the first
// limit of them (all when limit <= 0), and more is how many others there
// are. With items (a CSS selector), an element inside an item gets
// selectors relative to that item, as a field of a spec with those items
// needs. An empty text finds nothing.
func (p *Page) Find(text, items string, limit int) (found []Finding, more int) {
	if text == "" {
		return nil, 0
	}
	hits := findHits(p.doc(), text, false)
	if len(hits) == 0 {
		hits = findHits(p.doc(), text, true)
	}
	if limit > 0 && len(hits) > limit {
		hits, more = hits[:limit], len(hits)-limit
	}
	var scopes []*html.Node
	if strings.TrimSpace(items) != "" {
		scopes = p.scopes(items)
	}
	for _, h := range hits {
		f := Finding{Element: startTag(h.n, h.attr), Attr: h.attr, Text: normalizeSpace(ownText(h.n)), Item: -1}
		if h.attr != "" {
			f.Text, _ = attrValue(h.n, h.attr)
		}
		root := p.doc()
		if it := enclosing(h.n, scopes); it != nil {
			root, f.Item = it, slices.Index(scopes, it)
		}
		f.Selectors = selectorsFor(h.n, root)
		found = append(found, f)
	}
	return found, more
}

// hit is an element holding the text: in its own text, or in the
// attribute attr.
type hit struct {
	n    *html.Node
	attr string
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

// startTag shows n's start tag with its id, class and attr attributes.
func startTag(n *html.Node, attr string) string {
	var b strings.Builder
	b.WriteString("<" + n.Data)
	for _, a := range n.Attr {
		if a.Key == "id" || a.Key == "class" || a.Key == attr {
			fmt.Fprintf(&b, " %s=%q", a.Key, cut(a.Val, 40))
		}
	}
	b.WriteString(">")
	return b.String()
}

// enclosing returns the item among items that contains n, or nil.
func enclosing(n *html.Node, items []*html.Node) *html.Node {
	for p := n.Parent; p != nil && len(items) > 0; p = p.Parent {
		if slices.Contains(items, p) {
			return p
		}
	}
	return nil
}
