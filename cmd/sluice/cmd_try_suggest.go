package main

import (
	"fmt"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/andybalholm/cascadia"
	"golang.org/x/net/html"
)

// suggestion is a selector that matches something, with its cost (lower
// is a better guess) and what it matches.
type suggestion struct {
	sel   string
	cost  int
	n     int    // matches in the scopes
	first string // text of the first match
}

// didYouMean prints selectors like sel, built from the page's classes, ids
// and tags, that match in the scopes.
func (t *tryer) didYouMean(sel string, scopes []*html.Node) {
	if inDoc, _ := t.count(sel, []*html.Node{t.page.doc}); inDoc > 0 && len(scopes) > 0 && scopes[0] != t.page.doc {
		fmt.Fprintf(t.out, "%s matches %s on the page, but none inside the items\n", sel, plural(inDoc, "element", "elements"))
		return
	}
	sugs := t.similar(sel, scopes)
	if len(sugs) == 0 {
		fmt.Fprintf(t.out, "%s matches nothing, and no similar class, id or tag is on the page; try --find TEXT\n", sel)
		return
	}
	fmt.Fprintf(t.out, "%s matches nothing; did you mean\n", sel)
	w := tabwriter.NewWriter(t.out, 0, 0, 2, ' ', 0)
	for _, s := range sugs {
		fmt.Fprintf(w, "  %s\t%s\t%q\n", s.sel, plural(s.n, "match", "matches"), cut(s.first, 40))
	}
	w.Flush()
}

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

func isIdentStart(b byte) bool {
	return b == '_' || b >= 0x80 || (b|0x20 >= 'a' && b|0x20 <= 'z')
}

func identLen(s string) int {
	n := 0
	for n < len(s) && (isIdentStart(s[n]) || s[n] == '-' || (s[n] >= '0' && s[n] <= '9')) {
		n++
	}
	return n
}

// vocabulary is the classes, ids and tags of a page.
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

// similar returns up to three selectors that differ from sel in one class,
// id or tag name and match in the scopes, best first.
func (t *tryer) similar(sel string, scopes []*html.Node) []suggestion {
	vocab := pageVocabulary(t.page.doc)
	seen := map[string]bool{sel: true}
	var out []suggestion
	for _, tok := range tokens(sel) {
		word := sel[tok.start:tok.end]
		cands := map[string]int{}
		for name := range vocab[tok.kind] {
			if c, ok := nameCost(word, name); ok {
				cands[name] = c
			}
		}
		if tok.kind == 't' && tok.end < len(sel) && strings.ContainsRune(".#[:", rune(sel[tok.end])) {
			cands[""] = 2 // drop the tag: span.price → .price
		}
		for name, cost := range cands {
			s := sel[:tok.start] + name + sel[tok.end:]
			if seen[s] {
				continue
			}
			seen[s] = true
			if sg, ok := t.try1(s, scopes); ok {
				sg.cost = cost
				out = append(out, sg)
			}
		}
	}
	slices.SortFunc(out, func(a, b suggestion) int {
		if a.cost != b.cost {
			return a.cost - b.cost
		}
		if a.n != b.n {
			return b.n - a.n
		}
		return strings.Compare(a.sel, b.sel)
	})
	return out[:min(len(out), 3)]
}

// try1 counts what sel matches in the scopes.
func (t *tryer) try1(sel string, scopes []*html.Node) (suggestion, bool) {
	m, err := cascadia.ParseGroup(sel)
	if err != nil {
		return suggestion{}, false
	}
	s := suggestion{sel: sel}
	for _, sc := range scopes {
		ms := cascadia.QueryAll(sc, m)
		if len(ms) > 0 && s.n == 0 {
			s.first = normalizeSpace(textOf(ms[0]))
		}
		s.n += len(ms)
	}
	return s, s.n > 0
}

// nameCost says how alike a selector word and a page name are: the edit
// distance, or a small cost when one contains the other or they share a
// word of a hyphenated or underscored name.
func nameCost(word, name string) (int, bool) {
	w, n := strings.ToLower(word), strings.ToLower(name)
	if w == n {
		return 0, word != name // same but for case: selectors are case-sensitive
	}
	d := editDistance(w, n)
	if d <= max(1, len(w)/3) {
		return d, true
	}
	if len(w) >= 3 && (strings.Contains(n, w) || strings.Contains(w, n) && len(n) >= 3) {
		return 3, true
	}
	for _, p := range strings.FieldsFunc(n, isWordSep) {
		for _, q := range strings.FieldsFunc(w, isWordSep) {
			if len(p) >= 3 && editDistance(p, q) <= max(1, len(q)/4) {
				return 4, true
			}
		}
	}
	return 0, false
}

func isWordSep(r rune) bool { return r == '-' || r == '_' }

// editDistance is the Levenshtein distance between a and b, in runes.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			sub := prev[j-1]
			if ra[i-1] != rb[j-1] {
				sub++
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, sub)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// closestWord returns the candidate nearest to w, or "" when none is
// near.
func closestWord(w string, cands []string) string {
	best, bestD := "", max(2, len(w)/3)+1
	for _, c := range cands {
		if d := editDistance(w, c); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

// textOf is the text content of n, without scripts and styles.
func textOf(n *html.Node) string {
	var b strings.Builder
	for c := range n.Descendants() {
		if c.Type == html.TextNode && !inRawText(c) {
			b.WriteString(c.Data)
		}
	}
	if n.Type == html.TextNode {
		return n.Data
	}
	return b.String()
}

func inRawText(n *html.Node) bool {
	p := n.Parent
	return p != nil && p.Type == html.ElementNode && (p.Data == "script" || p.Data == "style")
}

func normalizeSpace(s string) string { return strings.Join(strings.Fields(s), " ") }
