package extract

import (
	"io"

	"github.com/sluicehq/sluice/stages/internal/htmltok"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// treeSink receives the element tree that a [treeStream] builds, one event
// at a time, in document order.
type treeSink interface {
	// keepAttr reports whether the attribute key of an element a (0 for
	// an unknown tag) is needed; only kept attributes reach open.
	keepAttr(a atom.Atom, key []byte) bool
	// open reports the element n, now at depth (0 is <html>). n.Parent is
	// the chain of open ancestors up to the document; n.Attr holds the
	// kept attributes. n is valid only during the call.
	open(n *html.Node, depth int)
	// close reports that the element at depth was closed.
	close(depth int)
	// text reports text appended to the current element: to a new text
	// node when newNode, else to the one before it. counted is false
	// inside <script> and <style>, whose text is not text content.
	text(d []byte, newNode, counted bool)
}

// openElem is an entry of the stack of open elements.
type openElem struct {
	node      *html.Node
	id        uint64 // identity, for the form element pointer
	attrEnd   int    // end of its attributes in treeStream.attrs
	afe       bool   // in the list of active formatting elements
	hasChild  bool   // has any child node
	elemChild bool   // has an element child
	lastText  bool   // its last child is a text node
}

// sentinel stands for an earlier element sibling, so that cascadia's
// :first-child sees "not first" without a real sibling chain.
var sentinel = &html.Node{Type: html.ElementNode, Data: "#sentinel"}

// maxOpen is html.Parse's limit on the stack of open elements; deeper
// documents fail to parse.
const maxOpen = 512

// treeStream drives a tokenizer (htmltok, which returns html.Tokenizer's
// tokens) and replays, for a conservative
// subset of HTML, exactly the tree construction that html.Parse performs
// (golang.org/x/net/html's parse.go, whose rules the methods mirror). It
// never reparents: whenever the tree builder would do something the model
// does not cover — tables and their foster parenting, templates, foreign
// content (SVG, MathML), frames, formatting elements that
// would be reconstructed or adopted, attributes merged into <html> or
// <body>, head elements after </head> — it stops and reports failure,
// and the caller parses the page the full way.
type treeStream struct {
	tok      htmltok.Tokenizer
	sink     treeSink
	doc      html.Node
	stack    []openElem
	nodes    []*html.Node     // reusable nodes, by depth
	attrs    []html.Attribute // kept attributes of the open elements, a stack
	scratch  []byte
	interned map[string]string // see intern
	mode     insMode
	orig     insMode // the mode to return to after raw text
	raw      bool    // in raw text (script, style, title, textarea…)
	nextID   uint64
	formID   uint64 // the form element pointer; 0 when null
	failed   bool
	t        token
}

// token is the current token, as the modes see it.
type token struct {
	typ     html.TokenType
	atom    atom.Atom
	name    string           // tag name
	data    []byte           // text
	attr    []html.Attribute // kept attributes, in treeStream.attrs
	attrEnd int              // where they end in treeStream.attrs
	hasAttr bool
}

// run tokenizes body to the end and reports whether the model held: on
// false the sink has seen a prefix of events that must be discarded.
func (b *treeStream) run(body []byte) bool {
	b.tok.Reset(body)
	b.doc = html.Node{Type: html.DocumentNode}
	defer b.releaseIntern()
	for !b.failed {
		tt := b.tok.Next()
		t := &b.t
		*t = token{typ: tt}
		switch tt {
		case html.ErrorToken:
			if b.tok.Err() != io.EOF {
				return false
			}
			b.process(t)
			return !b.failed
		case html.TextToken:
			t.data = b.text()
		case html.StartTagToken, html.SelfClosingTagToken:
			t.typ = html.StartTagToken
			b.readTag(t, false)
		case html.EndTagToken:
			b.readTag(t, true)
		}
		b.process(t)
		// Drop the attributes of tags that opened no element.
		if e := b.top(); e != nil {
			b.attrs = b.attrs[:e.attrEnd]
		} else {
			b.attrs = b.attrs[:0]
		}
	}
	return false
}

// text is the text token's bytes as html.Tokenizer.Text returns them:
// the input's own bytes unless newlines, NULs or references change them.
func (b *treeStream) text() []byte { return b.tok.Text() }

// process runs a token through the insertion modes until it is consumed.
func (b *treeStream) process(t *token) {
	for !b.failed && !b.step(t) {
	}
}

// implied processes a token the tree builder makes up (an implied <html>,
// <head>, </head>, <body>, </body> or <p>).
func (b *treeStream) implied(typ html.TokenType, a atom.Atom) {
	t := token{typ: typ, atom: a, name: a.String(), attrEnd: len(b.attrs)}
	b.process(&t)
}

func (b *treeStream) fail() { b.failed = true }

func (b *treeStream) top() *openElem {
	if len(b.stack) == 0 {
		return nil
	}
	return &b.stack[len(b.stack)-1]
}

// insert adds an element for t as the last child of the current node and
// pushes it.
func (b *treeStream) insert(t *token) {
	d := len(b.stack)
	if d >= maxOpen {
		b.fail() // html.Parse fails on such a page; let it say so
		return
	}
	if d == len(b.nodes) {
		b.nodes = append(b.nodes, new(html.Node))
	}
	n := b.nodes[d]
	*n = html.Node{Type: html.ElementNode, DataAtom: t.atom, Data: t.name, Attr: t.attr}
	parent, pe := &b.doc, b.top()
	if pe != nil {
		parent = pe.node
		pe.hasChild, pe.lastText = true, false
	}
	n.Parent = parent
	if pe != nil && pe.elemChild {
		parent.FirstChild = sentinel
	} else {
		parent.FirstChild = n
	}
	if pe != nil {
		pe.elemChild = true
	}
	b.nextID++
	b.stack = append(b.stack, openElem{node: n, id: b.nextID, attrEnd: t.attrEnd})
	b.sink.open(n, d)
}

// insertVoid inserts an element and pops it at once.
func (b *treeStream) insertVoid(t *token) {
	b.insert(t)
	if !b.failed {
		b.pop()
	}
}

// pop pops the current node. Popping a formatting element would leave it
// in the list of active formatting elements, to be reconstructed later:
// the model does not follow that.
func (b *treeStream) pop() {
	e := b.top()
	if e.afe {
		b.fail()
	}
	b.stack = b.stack[:len(b.stack)-1]
	b.sink.close(len(b.stack))
}

// popTo pops elements until the stack has depth i.
func (b *treeStream) popTo(i int) {
	for len(b.stack) > i && !b.failed {
		b.pop()
	}
}

// addText appends text to the current node.
func (b *treeStream) addText(d []byte) {
	if len(d) == 0 {
		return
	}
	e := b.top()
	newNode := !e.lastText
	e.hasChild, e.lastText = true, true
	a := e.node.DataAtom
	b.sink.text(d, newNode, a != atom.Script && a != atom.Style)
}

// addComment appends a comment to the current node (comments are not
// reported, but they separate text nodes).
func (b *treeStream) addComment() {
	if e := b.top(); e != nil {
		e.hasChild, e.lastText = true, false
	}
}

// startRaw inserts a raw text element (script, style, title, textarea…):
// the tokenizer returns its contents as one text token.
func (b *treeStream) startRaw(t *token) {
	b.insert(t)
	b.orig, b.raw = b.mode, true
}
