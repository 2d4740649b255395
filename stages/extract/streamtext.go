package extract

import (
	"strings"
	"unicode"
)

// text is the captured element's text content, normalised as [nodeText]
// normalises it: the same fast path for one non-blank text node, and the
// same rune-by-rune join, node by node, otherwise.
func (c *capture) text() string {
	if len(c.buf) == 0 {
		return ""
	}
	all := string(c.buf)
	only, n := "", 0
	for i := range c.starts {
		if seg := c.segment(all, i); !isBlank(seg) {
			only, n = seg, n+1
			if n > 1 {
				return c.join(all)
			}
		}
	}
	if n == 0 {
		return ""
	}
	t := trimSpace(only)
	if hasLooseSpace(t) {
		return c.join(all)
	}
	return t
}

// segment returns text node i of the capture.
func (c *capture) segment(all string, i int) string {
	end := len(all)
	if i+1 < len(c.starts) {
		end = c.starts[i+1]
	}
	return all[c.starts[i]:end]
}

// join is [joinText] over the captured text nodes.
func (c *capture) join(all string) string {
	var b strings.Builder
	b.Grow(len(all))
	space := false
	for i := range c.starts {
		for _, r := range c.segment(all, i) {
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
