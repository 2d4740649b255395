package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// nodeText returns n's text content, whitespace-normalised, without the
// contents of <script> and <style> elements. In the common
// case — one text node carries all the non-space text and is already
// normalised inside — it returns a substring of that node and allocates
// nothing.
func nodeText(n *html.Node) string {
	var only *html.Node
	for c := nextNode(n, n); c != nil; c = nextNode(c, n) {
		if !isText(c) || isBlank(c.Data) {
			continue
		}
		if only != nil {
			return joinText(n)
		}
		only = c
	}
	if only == nil {
		return ""
	}
	t := trimSpace(only.Data)
	if hasLooseSpace(t) {
		return joinText(n)
	}
	return t
}

// isText reports whether c is a text node that counts as text: the
// contents of <script> and <style> do not.
func isText(c *html.Node) bool {
	if c.Type != html.TextNode {
		return false
	}
	if p := c.Parent; p != nil && (p.DataAtom == atom.Script || p.DataAtom == atom.Style) {
		return false
	}
	return true
}

// joinText concatenates the text nodes under n, collapsing white space.
func joinText(n *html.Node) string {
	size := 0
	for c := nextNode(n, n); c != nil; c = nextNode(c, n) {
		if isText(c) {
			size += len(c.Data)
		}
	}
	var b strings.Builder
	b.Grow(size)
	space := false
	for c := nextNode(n, n); c != nil; c = nextNode(c, n) {
		if !isText(c) {
			continue
		}
		for _, r := range c.Data {
			if unicode.IsSpace(r) {
				space = b.Len() > 0
				continue
			}
			if space {
				b.WriteByte(' ')
				space = false
			}
			b.WriteRune(r)
		}
	}
	return b.String()
}

// normalizeSpace collapses and trims white space in s, returning s itself
// when it is already normal.
func normalizeSpace(s string) string {
	t := trimSpace(s)
	if !hasLooseSpace(t) {
		return t
	}
	return strings.Join(strings.FieldsFunc(t, unicode.IsSpace), " ")
}

// isBlank reports whether s is empty or only white space.
func isBlank(s string) bool { return trimSpace(s) == "" }

// trimSpace trims Unicode white space from both ends of s.
func trimSpace(s string) string { return strings.TrimFunc(s, unicode.IsSpace) }

// hasLooseSpace reports whether s contains white space other than single
// ASCII spaces.
func hasLooseSpace(s string) bool {
	prev := false
	for i := 0; i < len(s); {
		b := s[i]
		if b < utf8.RuneSelf {
			if b == ' ' {
				if prev {
					return true
				}
				prev = true
			} else {
				if b == '\t' || b == '\n' || b == '\r' || b == '\f' || b == '\v' {
					return true
				}
				prev = false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if unicode.IsSpace(r) {
			return true
		}
		prev = false
		i += size
	}
	return false
}

// innerHTML renders n's children.
func innerHTML(n *html.Node) string {
	var b strings.Builder
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		_ = html.Render(&b, c) // writing to a strings.Builder cannot fail
	}
	return b.String()
}

// outerHTML renders n itself.
func outerHTML(n *html.Node) string {
	var b strings.Builder
	_ = html.Render(&b, n)
	return b.String()
}

// attr returns the value of n's attribute key (lower case) and whether it
// is present.
func attr(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key && a.Namespace == "" {
			return a.Val, true
		}
	}
	return "", false
}
