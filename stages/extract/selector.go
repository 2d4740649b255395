package extract

import (
	"strings"

	"github.com/andybalholm/cascadia"
	"golang.org/x/net/html"
)

// maxOffsetSearch bounds the work spent locating the error in a bad
// selector: the search parses up to this many prefixes.
const maxOffsetSearch = 512

// compileSelector compiles sel for the named field. An empty (or blank)
// selector means "the context element itself" and compiles to nil.
func compileSelector(field, sel string) (cascadia.Matcher, error) {
	if strings.TrimSpace(sel) == "" {
		return nil, nil
	}
	m, err := cascadia.ParseGroup(sel)
	if err != nil {
		return nil, &SelectorError{Field: field, Selector: sel, Offset: selectorOffset(sel, err), Err: err}
	}
	return m, nil
}

// selectorOffset returns the byte offset in sel where parsing goes wrong:
// the length of the longest prefix that compiles or fails only for want of
// more input (cascadia reports those with "EOF"); len(sel) when the whole
// selector is merely incomplete, -1 if the search would take too long.
func selectorOffset(sel string, err error) int {
	if strings.Contains(err.Error(), "EOF") {
		return len(sel)
	}
	for i, n := len(sel)-1, 0; i > 0; i, n = i-1, n+1 {
		if n >= maxOffsetSearch {
			return -1
		}
		_, err := cascadia.ParseGroup(sel[:i])
		if err == nil || strings.Contains(err.Error(), "EOF") {
			return i
		}
	}
	return 0
}

// nextNode returns the node after n in a depth-first, document-order walk of
// root's subtree, or nil at the end. It allocates nothing.
func nextNode(n, root *html.Node) *html.Node {
	if n.FirstChild != nil {
		return n.FirstChild
	}
	for n != root {
		if n.NextSibling != nil {
			return n.NextSibling
		}
		n = n.Parent
	}
	return nil
}

// queryFirst returns the first descendant element of root that m matches,
// or root itself when m is nil.
func queryFirst(root *html.Node, m cascadia.Matcher) *html.Node {
	if m == nil {
		return root
	}
	for n := nextNode(root, root); n != nil; n = nextNode(n, root) {
		if n.Type == html.ElementNode && m.Match(n) {
			return n
		}
	}
	return nil
}

// queryEach calls fn for every descendant element of root that m matches,
// in document order (root itself when m is nil), until fn returns false.
func queryEach(root *html.Node, m cascadia.Matcher, fn func(*html.Node) bool) {
	if m == nil {
		fn(root)
		return
	}
	for n := nextNode(root, root); n != nil; n = nextNode(n, root) {
		if n.Type == html.ElementNode && m.Match(n) && !fn(n) {
			return
		}
	}
}

// queryCount counts the descendant elements of root that m matches.
func queryCount(root *html.Node, m cascadia.Matcher) int {
	if m == nil {
		return 1
	}
	c := 0
	for n := nextNode(root, root); n != nil; n = nextNode(n, root) {
		if n.Type == html.ElementNode && m.Match(n) {
			c++
		}
	}
	return c
}
