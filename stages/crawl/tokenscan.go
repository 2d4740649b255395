package crawl

import (
	"bytes"
	"strings"
	"sync"

	"github.com/andybalholm/cascadia"
	"github.com/sluicehq/sluice/stages/internal/htmltok"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// tokenMatcher reads a page's pageInfo in one pass of the HTML tokenizer,
// without building the document, when every follow and extract-rule
// selector is element-local (parseLocal): each start tag becomes a
// parentless element holding the attributes the selectors read, which
// cascadia matches as it would the parsed element.
//
// Tokens and the parsed document's elements are the same in document
// order but where the parser moves, drops or makes elements. A page with
// a <table>, <select>, <template>, <frameset>, <svg> or <math> tag is
// parsed instead (foster parenting, select and foreign content). A start
// tag the parser ignores or merges into an element already made (a
// second <html> or <body>, a <head> once the head exists, a <form>
// inside a form, table parts outside a table) sends the page to the
// parser if a selector matches it. Elements the parser makes itself have
// no attributes, which parseLocal's subset accounts for; the <a>
// elements it clones for misnested markup repeat the original's
// attributes, and the link stage offers each distinct link once.
type tokenMatcher struct {
	visitors sync.Pool // of *treeVisitor
	follow   []cascadia.Selector
	has      []cascadia.Selector // per extract rule; nil when it has no Has
	all      bool                // a typeless compound: every element is matched
	types    map[string]bool     // the type selectors' tag names
	keys     []string            // the attributes kept
}

// newTokenMatcher returns the matcher for the crawl's follow selectors
// and extract rules, or nil when one of them is not element-local.
func newTokenMatcher(follow []string, followSels []cascadia.Selector, rules []Rule, compiled []rule) *tokenMatcher {
	m := &tokenMatcher{follow: followSels, has: make([]cascadia.Selector, len(rules)), types: map[string]bool{},
		keys: []string{"href", "rel", "name", "content"}}
	srcs := append([]string(nil), follow...)
	for i, r := range rules {
		if r.Has != "" {
			srcs = append(srcs, r.Has)
			m.has[i] = compiled[i].has
		}
	}
	for _, src := range srcs {
		ls, ok := parseLocal(src)
		if !ok {
			return nil
		}
		m.all = m.all || ls.typeless
		for _, t := range ls.types {
			m.types[t] = true
		}
		for _, k := range ls.keys {
			if !m.keeps(k) {
				m.keys = append(m.keys, k)
			}
		}
	}
	return m
}

func (m *tokenMatcher) keeps(k string) bool {
	for _, have := range m.keys {
		if have == k {
			return true
		}
	}
	return false
}

// key is the kept attribute name equal to k, without allocating.
func (m *tokenMatcher) key(k []byte) (string, bool) {
	for _, have := range m.keys {
		if string(k) == have {
			return have, true
		}
	}
	return "", false
}

// scan reads body's pageInfo; ok is false when the page needs the parser.
func (m *tokenMatcher) scan(body []byte) (info pageInfo, ok bool) {
	info = pageInfo{html: true, has: make([]bool, len(m.has))}
	found := make([][]link, len(m.follow))
	z := tokenizers.Get().(*htmltok.Tokenizer)
	defer func() { z.Reset(nil); tokenizers.Put(z) }()
	z.Reset(body)
	var st treeState
	el := &html.Node{Type: html.ElementNode, Attr: make([]html.Attribute, 0, 8)}
	var nameBuf [32]byte
	for {
		switch z.Next() {
		case html.ErrorToken:
			for _, ls := range found {
				info.links = append(info.links, ls...)
			}
			return info, true
		case html.TextToken:
			if !st.headDone && len(bytes.Trim(z.Text(), whitespace)) > 0 {
				st.headDone = true
			}
		case html.EndTagToken:
			st.end(atom.Lookup(tagName(z, &nameBuf)))
		case html.StartTagToken, html.SelfClosingTagToken:
			name := tagName(z, &nameBuf)
			a := atom.Lookup(name)
			ignored, parse := st.start(a)
			if parse {
				return pageInfo{}, false
			}
			if a == atom.Image { // the parser makes it an <img>
				a, name = atom.Img, imgName
			}
			matched := m.all || m.types[string(name)]
			special := a == atom.Base || a == atom.Link || a == atom.Meta
			if !matched && !special {
				continue
			}
			m.element(el, z, a, name)
			switch {
			case ignored:
				// a second <html> or <body> adds its attributes to the
				// element: with any kept, the element may match anew
				merges := (a == atom.Html || a == atom.Body) && len(el.Attr) > 0
				if merges || m.matchesAny(el) {
					return pageInfo{}, false
				}
				continue
			case matched:
				// <html> and <body> may come after content of theirs,
				// merged into the element the parser made: first in
				// document order, they can only join an empty list.
				if !m.match(el, &info, found, a == atom.Html || a == atom.Body) {
					return pageInfo{}, false
				}
			}
			if special {
				readSpecial(el, &info)
			}
		}
	}
}

const whitespace = " \t\n\f\r"

// tokenizers recycles the scan's tokenizers (their attribute lists).
var tokenizers = sync.Pool{New: func() any { return new(htmltok.Tokenizer) }}

var imgName = []byte("img")

// element sets el to the tag z is on, with the kept attributes.
func (m *tokenMatcher) element(el *html.Node, z *htmltok.Tokenizer, a atom.Atom, name []byte) {
	el.DataAtom, el.Attr = a, el.Attr[:0]
	if a != 0 {
		el.Data = a.String()
	} else {
		el.Data = string(name)
	}
	for more := true; more; {
		var k, v []byte
		k, v, more = z.TagAttr() // (nil, nil, false) when the tag has none
		if key, ok := m.key(k); ok {
			el.Attr = append(el.Attr, html.Attribute{Key: key, Val: string(v)})
		}
	}
}

// tagName is the lower-case name of the tag z is on, read from the raw
// token into buf without the copy TagName makes; names that are long or
// not plain ASCII go through TagName. It leaves the attributes to
// TagAttr.
func tagName(z *htmltok.Tokenizer, buf *[32]byte) []byte {
	raw := z.Raw()
	i := 1
	if len(raw) > 1 && raw[1] == '/' {
		i = 2
	}
	n := 0
	for ; i < len(raw); i++ {
		b := raw[i]
		switch {
		case b == ' ' || b == '\n' || b == '\r' || b == '\t' || b == '\f' || b == '/' || b == '>':
			return buf[:n]
		case b == 0 || b >= 0x80 || n == len(buf):
			name, _ := z.TagName()
			return name
		case 'A' <= b && b <= 'Z':
			b += 'a' - 'A'
		}
		buf[n] = b
		n++
	}
	return buf[:n]
}

func (m *tokenMatcher) matchesAny(el *html.Node) bool {
	for _, sel := range m.follow {
		if sel.Match(el) {
			return true
		}
	}
	for _, sel := range m.has {
		if sel != nil && sel.Match(el) {
			return true
		}
	}
	return false
}

// match records el's matches: a link per follow selector, and the rules
// whose Has it matches. With first, el must come before the links found
// so far: match reports false if a selector that found some matches it.
func (m *tokenMatcher) match(el *html.Node, info *pageInfo, found [][]link, first bool) bool {
	for i, sel := range m.follow {
		if sel.Match(el) {
			if first && len(found[i]) > 0 {
				return false
			}
			if href, ok := attrOf(el, "href"); ok {
				rel, _ := attrOf(el, "rel")
				found[i] = append(found[i], link{href: href, nofollow: hasToken(rel, "nofollow")})
			}
		}
	}
	for i, sel := range m.has {
		if sel != nil && !info.has[i] && sel.Match(el) {
			info.has[i] = true
		}
	}
	return true
}

// treeVisitor reads a page's pageInfo from the elements an extractor
// shows it (extract.ElementVisitor): the parsed document's own elements,
// so no element the parser makes, moves or merges is mistaken. Visitors
// are recycled with their buffers: see release.
type treeVisitor struct {
	m     *tokenMatcher
	info  pageInfo
	found [][]link
	links []link
}

// visitor returns an empty visitor for one page.
func (m *tokenMatcher) visitor() *treeVisitor {
	v, _ := m.visitors.Get().(*treeVisitor)
	if v == nil {
		v = &treeVisitor{m: m, found: make([][]link, len(m.follow))}
	}
	v.info = pageInfo{html: true, has: v.info.has[:0], robots: v.info.robots[:0]}
	for range m.has {
		v.info.has = append(v.info.has, false)
	}
	for i := range v.found {
		v.found[i] = v.found[i][:0]
	}
	return v
}

// release recycles v: the pageInfo it gave must not be used after.
func (v *treeVisitor) release() { v.m.visitors.Put(v) }

// KeepAttr keeps the attributes the selectors and the page's directives
// read.
func (v *treeVisitor) KeepAttr(_ atom.Atom, key []byte) bool {
	_, ok := v.m.key(key)
	return ok
}

// Element matches n against the follow selectors and extract rules, and
// reads it if it is a <base>, <link> or <meta>.
func (v *treeVisitor) Element(n *html.Node) {
	if v.m.all || v.m.types[n.Data] {
		v.m.match(n, &v.info, v.found, false)
	}
	if n.DataAtom == atom.Base || n.DataAtom == atom.Link || n.DataAtom == atom.Meta {
		readSpecial(n, &v.info)
	}
}

// pageInfo is what the visitor read, links selector by selector.
func (v *treeVisitor) pageInfo() pageInfo {
	v.links = v.links[:0]
	for _, ls := range v.found {
		v.links = append(v.links, ls...)
	}
	v.info.links = v.links
	return v.info
}

// readSpecial reads a <base>, <link> or <meta> element into info.
func readSpecial(el *html.Node, info *pageInfo) {
	switch el.DataAtom {
	case atom.Base:
		if !info.hasBase {
			info.base, info.hasBase = attrOf(el, "href")
		}
	case atom.Link:
		if !info.hasCanon && canonicalSel.Match(el) {
			info.canonical, info.hasCanon = attrOf(el, "href")
		}
	case atom.Meta:
		if name, ok := attrOf(el, "name"); ok && strings.EqualFold(name, "robots") {
			content, _ := attrOf(el, "content")
			info.robots = append(info.robots, content)
		}
	}
}

// attrOf is the value of el's first attribute named key.
func attrOf(el *html.Node, key string) (string, bool) {
	for _, a := range el.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

// treeState follows as much of the parser's state as tells which start
// tags make elements of their own.
type treeState struct {
	html, head, body bool // seen the tag
	headDone         bool // the head element exists: a <head> tag is ignored
	form             bool // a form is open: a <form> tag is ignored
}

// start reports whether the parser ignores (or merges) the start tag a,
// and whether the page needs the parser.
func (s *treeState) start(a atom.Atom) (ignored, parse bool) {
	switch a {
	case atom.Table, atom.Select, atom.Template, atom.Frameset, atom.Svg, atom.Math:
		return false, true
	case atom.Html:
		ignored, s.html = s.html, true
		return ignored, false
	case atom.Head:
		ignored = s.head || s.headDone
		s.head, s.headDone = true, true
		return ignored, false
	case atom.Body:
		ignored, s.body = s.body, true
	case atom.Form:
		ignored, s.form = s.form, true
	case atom.Caption, atom.Col, atom.Colgroup, atom.Frame, atom.Tbody, atom.Td, atom.Tfoot, atom.Th, atom.Thead, atom.Tr:
		ignored = true
	}
	s.headDone = true // any other start tag makes the head, if not yet made
	return ignored, false
}

func (s *treeState) end(a atom.Atom) {
	switch a {
	case atom.Head, atom.Body, atom.Html, atom.Br:
		s.headDone = true
	case atom.Form:
		s.form = false
	}
}
