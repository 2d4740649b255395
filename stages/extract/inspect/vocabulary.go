package inspect

import (
	"strings"

	"golang.org/x/net/html"
)

// selToken is a class, id or type selector in a selector string.
type selToken struct {
	kind       byte // '.', '#' or 't' (tag)
	start, end int  // the name's bytes
}

// tokens finds the class, id and type selectors of sel outside brackets,
// parentheses and quotes.
func tokens(sel string) []selToken {
	var out []selToken
	depth, quote := 0, byte(0)
	for i := 0; i < len(sel); i++ {
		b := sel[i]
		switch {
		case quote != 0:
			if b == quote {
				quote = 0
			}
		case b == '"' || b == '\'':
			quote = b
		case b == '[' || b == '(':
			depth++
		case (b == ']' || b == ')') && depth > 0:
			depth--
		case depth > 0:
		case b == ':':
			i += identLen(sel[i+1:]) // a pseudo-class name is not a tag
			if i+1 < len(sel) && sel[i+1] == ':' {
				i++
			}
		case b == '.' || b == '#':
			if n := identLen(sel[i+1:]); n > 0 {
				out = append(out, selToken{kind: b, start: i + 1, end: i + 1 + n})
				i += n
			}
		case isIdentStart(b):
			n := identLen(sel[i:])
			out = append(out, selToken{kind: 't', start: i, end: i + n})
			i += n - 1
		}
	}
	return out
}

// vocabulary is the classes ('.'), ids ('#') and tags ('t') of a page.
type vocabulary map[byte]map[string]bool

func pageVocabulary(doc *html.Node) vocabulary {
	v := vocabulary{'.': {}, '#': {}, 't': {}}
	for n := range doc.Descendants() {
		if n.Type != html.ElementNode {
			continue
		}
		v['t'][n.Data] = true
		for _, a := range n.Attr {
			switch a.Key {
			case "id":
				if a.Val != "" {
					v['#'][a.Val] = true
				}
			case "class":
				for _, c := range strings.Fields(a.Val) {
					v['.'][c] = true
				}
			}
		}
	}
	return v
}
