package extract

import (
	"bytes"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// insMode is an insertion mode of the tree builder, among those the
// stream models.
type insMode uint8

const (
	modeInitial insMode = iota
	modeBeforeHTML
	modeBeforeHead
	modeInHead
	modeAfterHead
	modeInBody
	modeAfterBody
	modeAfterAfterBody
)

// htmlSpace is the tree builder's white space.
const htmlSpace = " \t\r\n\f"

// step processes t in the current mode and reports whether t was
// consumed (false: process it again, in the mode step switched to).
func (b *treeStream) step(t *token) bool {
	if b.raw {
		return b.textMode(t)
	}
	switch b.mode {
	case modeInitial:
		return b.initial(t)
	case modeBeforeHTML:
		return b.beforeHTML(t)
	case modeBeforeHead:
		return b.beforeHead(t)
	case modeInHead:
		return b.inHead(t)
	case modeAfterHead:
		return b.afterHead(t)
	case modeInBody:
		return b.inBody(t)
	case modeAfterBody:
		return b.afterBody(t)
	}
	return b.afterAfterBody(t)
}

// trimSpaceLeft drops the token's leading white space and reports whether
// nothing is left.
func (t *token) trimSpaceLeft() bool {
	t.data = bytes.TrimLeft(t.data, htmlSpace)
	return len(t.data) == 0
}

func (b *treeStream) initial(t *token) bool {
	switch t.typ {
	case html.TextToken:
		if t.trimSpaceLeft() {
			return true
		}
	case html.CommentToken:
		return true
	case html.DoctypeToken:
		b.mode = modeBeforeHTML // quirks only matter for <table>, which fails
		return true
	}
	b.mode = modeBeforeHTML
	return false
}

func (b *treeStream) beforeHTML(t *token) bool {
	switch t.typ {
	case html.DoctypeToken, html.CommentToken:
		return true
	case html.TextToken:
		if t.trimSpaceLeft() {
			return true
		}
	case html.StartTagToken:
		if t.atom == atom.Html {
			b.insert(t)
			b.mode = modeBeforeHead
			return true
		}
	case html.EndTagToken:
		switch t.atom {
		case atom.Head, atom.Body, atom.Html, atom.Br:
		default:
			return true
		}
	}
	b.implied(html.StartTagToken, atom.Html)
	return false
}

func (b *treeStream) beforeHead(t *token) bool {
	switch t.typ {
	case html.TextToken:
		if t.trimSpaceLeft() {
			return true
		}
	case html.StartTagToken:
		switch t.atom {
		case atom.Head:
			b.insert(t)
			b.mode = modeInHead
			return true
		case atom.Html:
			return b.inBody(t)
		}
	case html.EndTagToken:
		switch t.atom {
		case atom.Head, atom.Body, atom.Html, atom.Br:
		default:
			return true
		}
	case html.CommentToken:
		b.addComment()
		return true
	case html.DoctypeToken:
		return true
	}
	b.implied(html.StartTagToken, atom.Head)
	return false
}

func (b *treeStream) inHead(t *token) bool {
	switch t.typ {
	case html.TextToken:
		if b.leadingSpace(t) {
			return true
		}
	case html.StartTagToken:
		switch t.atom {
		case atom.Html:
			return b.inBody(t)
		case atom.Base, atom.Basefont, atom.Bgsound, atom.Link, atom.Meta:
			b.insertVoid(t)
			return true
		case atom.Noscript, atom.Script, atom.Title, atom.Noframes, atom.Style:
			b.startRaw(t) // noscript is raw text: html.Parse enables scripting
			return true
		case atom.Head:
			return true
		case atom.Template:
			b.fail()
			return true
		}
	case html.EndTagToken:
		switch t.atom {
		case atom.Head:
			b.pop()
			b.mode = modeAfterHead
			return true
		case atom.Body, atom.Html, atom.Br:
		default:
			return true // </template> too: no template is ever open
		}
	case html.CommentToken:
		b.addComment()
		return true
	case html.DoctypeToken:
		return true
	}
	b.implied(html.EndTagToken, atom.Head)
	return false
}

func (b *treeStream) afterHead(t *token) bool {
	switch t.typ {
	case html.TextToken:
		if b.leadingSpace(t) {
			return true
		}
	case html.StartTagToken:
		switch t.atom {
		case atom.Html:
			return b.inBody(t)
		case atom.Body:
			b.insert(t)
			b.mode = modeInBody
			return true
		case atom.Head:
			return true
		case atom.Frameset, atom.Base, atom.Basefont, atom.Bgsound, atom.Link, atom.Meta,
			atom.Noframes, atom.Script, atom.Style, atom.Template, atom.Title:
			b.fail() // a frameset, or a head element moved back into <head>
			return true
		}
	case html.EndTagToken:
		switch t.atom {
		case atom.Body, atom.Html, atom.Br:
		default:
			return true
		}
	case html.CommentToken:
		b.addComment()
		return true
	case html.DoctypeToken:
		return true
	}
	b.implied(html.StartTagToken, atom.Body)
	return t.typ == html.ErrorToken
}

func (b *treeStream) afterBody(t *token) bool {
	switch t.typ {
	case html.ErrorToken:
		return true
	case html.TextToken:
		if len(bytes.TrimLeft(t.data, htmlSpace)) == 0 {
			return b.inBody(t)
		}
	case html.StartTagToken:
		if t.atom == atom.Html {
			return b.inBody(t)
		}
	case html.EndTagToken:
		if t.atom == atom.Html {
			b.mode = modeAfterAfterBody
			return true
		}
	case html.CommentToken:
		return true // appended to <html>, after <body>: no text node to split
	}
	b.mode = modeInBody
	return false
}

func (b *treeStream) afterAfterBody(t *token) bool {
	switch t.typ {
	case html.ErrorToken, html.CommentToken:
		return true
	case html.TextToken:
		if len(bytes.TrimLeft(t.data, htmlSpace)) == 0 {
			return b.inBody(t)
		}
	case html.StartTagToken:
		if t.atom == atom.Html {
			return b.inBody(t)
		}
	case html.DoctypeToken:
		return b.inBody(t)
	}
	b.mode = modeInBody
	return false
}

// textMode is the "text" insertion mode: the contents of a raw text
// element, then its end tag (or the end of input).
func (b *treeStream) textMode(t *token) bool {
	switch t.typ {
	case html.ErrorToken:
		b.pop()
		b.raw, b.mode = false, b.orig
		return false
	case html.TextToken:
		d := t.data
		if e := b.top(); e.node.DataAtom == atom.Textarea && !e.hasChild {
			d = stripNewline(d)
		}
		b.addText(d)
		return true
	case html.EndTagToken:
		b.pop()
		b.raw, b.mode = false, b.orig
		return true
	}
	b.fail() // the tokenizer gives nothing else in raw text
	return true
}

// stripNewline drops one leading newline (after a <pre> or <textarea>
// start tag), as the tree builder does.
func stripNewline(d []byte) []byte {
	if len(d) > 0 && d[0] == '\r' {
		d = d[1:]
	}
	if len(d) > 0 && d[0] == '\n' {
		d = d[1:]
	}
	return d
}

// leadingSpace inserts the white space at the start of a text token as
// text of the current node and leaves the rest in t, as the head modes of
// html.Parse do; it reports whether the token was all white space.
func (b *treeStream) leadingSpace(t *token) bool {
	s := bytes.TrimLeft(t.data, htmlSpace)
	if len(s) == len(t.data) {
		return false
	}
	b.addText(t.data[:len(t.data)-len(s)])
	t.data = s
	return len(s) == 0
}
