package extract

import (
	"github.com/sluicehq/sluice/record"
	"github.com/sluicehq/sluice/stages/fetch"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// ElementVisitor sees the elements of a page while [HTML.RecordsVisiting]
// extracts its records, from the same pass over the page.
type ElementVisitor interface {
	// KeepAttr reports whether the visitor needs the attribute key
	// (lower case) of an element whose tag is a (0 for a tag without an
	// atom).
	KeepAttr(a atom.Atom, key []byte) bool
	// Element is called for each element of the page in document order,
	// as html.Parse builds it: n.Parent is the chain of its open
	// ancestors, n.Attr holds the attributes kept for the extractor or
	// the visitor (in source order), and n is valid only during the call.
	Element(n *html.Node)
}

// RecordsVisiting is [HTML.Records] for a page that some other reader
// needs too (a crawl's links, say): it extracts the records while showing
// v every element, in one pass of the tokenizer. ok is false when that
// pass cannot be made — the spec's selectors are not in the streaming
// subset, the response is not HTML, or the page needs the full parser
// (see the package doc) — and then nothing was extracted: the caller
// discards what v saw and reads the page another way. When ok, recs and
// err are exactly what Records returns.
func (h *HTML) RecordsVisiting(resp *fetch.Response, v ElementVisitor) (recs []record.Record, ok bool, err error) {
	if h.stream == nil || checkHTML(resp) != nil || needsDocument(resp.Body) {
		return nil, false, nil
	}
	r := newStreamRun(h, false)
	b := getTreeStream(teeSink{r, v})
	defer putTreeStream(b)
	if !b.run(resp.Body) {
		return nil, false, nil
	}
	recs, err = r.records(resp.URL, resp.Request.KeyOrURL(), finalURL(resp))
	return recs, true, err
}

// teeSink is a stream's extraction with a visitor beside it. The
// extraction sees the visitor's attributes too: they are the element's
// own, and a selector only tests the attributes the extraction keeps.
type teeSink struct {
	*streamRun
	v ElementVisitor
}

func (t teeSink) keepAttr(a atom.Atom, key []byte) bool {
	return t.streamRun.keepAttr(a, key) || t.v.KeepAttr(a, key)
}

func (t teeSink) open(n *html.Node, depth int) {
	t.streamRun.open(n, depth)
	t.v.Element(n)
}
