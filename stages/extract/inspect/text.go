package inspect

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
)

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

// textOf is the text content of n, without scripts and styles.
func textOf(n *html.Node) string {
	if n.Type == html.TextNode {
		return n.Data
	}
	var b strings.Builder
	for c := range n.Descendants() {
		if c.Type == html.TextNode && !inRawText(c) {
			b.WriteString(c.Data)
		}
	}
	return b.String()
}

func inRawText(n *html.Node) bool {
	p := n.Parent
	return p != nil && p.Type == html.ElementNode && (p.Data == "script" || p.Data == "style")
}

func normalizeSpace(s string) string { return strings.Join(strings.Fields(s), " ") }

// cut shortens s to n runes with an ellipsis.
func cut(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
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

func isIdentStart(b byte) bool {
	return b == '_' || b >= 0x80 || (b|0x20 >= 'a' && b|0x20 <= 'z')
}

// identLen is the length of the identifier s starts with.
func identLen(s string) int {
	n := 0
	for n < len(s) && (isIdentStart(s[n]) || s[n] == '-' || (s[n] >= '0' && s[n] <= '9')) {
		n++
	}
	return n
}
