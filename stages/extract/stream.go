package extract

import (
	"net/url"

	"github.com/sluicehq/sluice/pipeline"
	"github.com/sluicehq/sluice/record"
	"github.com/sluicehq/sluice/stages/fetch"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// streamRun extracts one page from the token stream: it is the
// [treeSink] of a [treeStream]. Each field's matches are recorded as the
// elements open (document order), text is captured while they are open,
// and values are computed at the end of the page, exactly as the document
// path computes them from the tree.
type streamRun struct {
	h      *HTML
	links  bool     // collect <a href> and <area href>
	scopes []*scope // open scopes, by depth of their root
	caps   []*capture
	items  []*scope // item scopes, in document order
	doc    *scope
	head   *html.Node // the <head> element while open
	base   string     // the first <base href> in <head>
	based  bool
	hrefs  []string
}

// scope is one root the fields of a record (or of a nested field) are
// matched under: the document, an item, or a nested field's match.
type scope struct {
	depth  int // depth of the root element; -1 for the document
	fields []htmlField
	res    []fieldMatches
}

// fieldMatches is what one field found under one root.
type fieldMatches struct {
	n    int     // matches, for exists and count
	done bool    // a first-match field has its match
	ms   []match // value or nested matches, in document order
}

// match is one match of a value or nested field.
type match struct {
	cap *capture // take text
	val string   // take attr
	ok  bool     // the attribute is present
	sub *scope   // nested field
}

// capture collects the text nodes under one matched element.
type capture struct {
	depth  int
	buf    []byte
	starts []int // where each text node starts in buf
}

func newStreamRun(h *HTML, links bool) *streamRun {
	r := &streamRun{h: h, links: links}
	doc := &html.Node{Type: html.DocumentNode}
	if h.items == nil {
		r.doc = r.newScope(h.fields, -1, doc)
	}
	return r
}

func (r *streamRun) keepAttr(a atom.Atom, key []byte) bool {
	return r.h.stream.keep(a, key, r.links)
}

func (r *streamRun) newScope(fields []htmlField, depth int, root *html.Node) *scope {
	s := &scope{depth: depth, fields: fields, res: make([]fieldMatches, len(fields))}
	r.scopes = append(r.scopes, s)
	for i := range fields {
		if fields[i].sel == nil {
			r.matched(s, i, root, depth)
		}
	}
	return s
}

func (r *streamRun) open(n *html.Node, depth int) {
	for _, s := range r.scopes[:len(r.scopes):len(r.scopes)] {
		for i := range s.fields {
			f := &s.fields[i]
			if f.sel != nil && !s.res[i].done && f.sel.Match(n) {
				r.matched(s, i, n, depth)
			}
		}
	}
	if r.h.items != nil && r.h.items.Match(n) {
		r.items = append(r.items, r.newScope(r.h.fields, depth, n))
	}
	switch n.DataAtom {
	case atom.Head:
		if r.head == nil && depth == 1 {
			r.head = n
		}
	case atom.Base:
		if n.Parent == r.head && r.head != nil && !r.based {
			r.base, r.based = attr(n, "href")
		}
	case atom.A, atom.Area:
		if href, ok := attr(n, "href"); ok && r.links {
			r.hrefs = append(r.hrefs, href)
		}
	}
}

// matched records that element n (at depth) matches field i of s.
func (r *streamRun) matched(s *scope, i int, n *html.Node, depth int) {
	f, res := &s.fields[i], &s.res[i]
	res.n++
	switch {
	case f.take == TakeExists:
		res.done = true
	case f.take == TakeCount:
	case f.sub != nil:
		res.ms = append(res.ms, match{sub: r.newScope(f.sub, depth, n)})
		res.done = !f.all
	case f.take == TakeAttr:
		v, ok := attr(n, f.attr)
		res.ms = append(res.ms, match{val: v, ok: ok})
		res.done = !f.all
	default:
		c := &capture{depth: depth}
		r.caps = append(r.caps, c)
		res.ms = append(res.ms, match{cap: c})
		res.done = !f.all
	}
}

func (r *streamRun) close(depth int) {
	for len(r.scopes) > 0 && r.scopes[len(r.scopes)-1].depth >= depth {
		r.scopes = r.scopes[:len(r.scopes)-1]
	}
	for len(r.caps) > 0 && r.caps[len(r.caps)-1].depth >= depth {
		r.caps = r.caps[:len(r.caps)-1]
	}
	if depth == 1 && r.head != nil {
		r.head = nil // the <head> element is closed: later <base>s are elsewhere
	}
}

func (r *streamRun) text(d []byte, newNode, counted bool) {
	if !counted {
		return
	}
	for _, c := range r.caps {
		if newNode || len(c.starts) == 0 {
			c.starts = append(c.starts, len(c.buf))
		}
		c.buf = append(c.buf, d...)
	}
}

// streamOut is a page extracted on the streaming path.
type streamOut struct {
	recs  []record.Record
	links []string
	err   error
}

// streamed extracts the page on the streaming path. ok is false when the
// extractor does not stream or the page leaves the streaming model; the
// caller then parses the page. A response that is not HTML fails here, as
// it does in parsePage.
func (h *HTML) streamed(resp *fetch.Response, links bool) (out streamOut, ok bool) {
	if h.stream == nil {
		return out, false
	}
	if err := checkHTML(resp); err != nil {
		return streamOut{err: pipeline.Skip(err)}, true
	}
	if needsDocument(resp.Body) {
		return out, false
	}
	r := newStreamRun(h, links)
	b := getTreeStream(r)
	defer putTreeStream(b)
	if !b.run(resp.Body) {
		return out, false
	}
	out.recs, out.err = r.records(resp.URL, resp.Request.KeyOrURL(), finalURL(resp))
	if out.err == nil && links {
		out.links = r.followable(resp.URL)
	}
	return out, true
}

// followable is [page.links] over the collected hrefs.
func (r *streamRun) followable(final *url.URL) []string {
	base := final
	if r.based {
		base = baseFromHref(r.base, final)
	}
	var links []string
	seen := make(map[string]bool)
	for _, href := range r.hrefs {
		links = addLink(links, seen, base, href)
	}
	return links
}
