package extract

import (
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// generateImpliedEndTags pops elements with optional end tags, except
// those of type except.
func (b *treeStream) generateImpliedEndTags(except atom.Atom) {
	for len(b.stack) > 0 && !b.failed {
		switch a := b.top().node.DataAtom; a {
		case atom.Dd, atom.Dt, atom.Li, atom.Optgroup, atom.Option, atom.P, atom.Rb, atom.Rp, atom.Rt, atom.Rtc:
			if a != except {
				b.pop()
				continue
			}
		}
		return
	}
}

// elemScope is a kind of element scope of the tree builder.
type elemScope uint8

const (
	scopeDefault elemScope = iota
	scopeListItem
	scopeButton
)

// inScope returns the depth of the highest element of one of the types in
// scope s, or -1.
func (b *treeStream) inScope(s elemScope, types ...atom.Atom) int {
	for i := len(b.stack) - 1; i >= 0; i-- {
		a := b.stack[i].node.DataAtom
		for _, t := range types {
			if a == t {
				return i
			}
		}
		switch a {
		case atom.Applet, atom.Caption, atom.Html, atom.Table, atom.Td, atom.Th, atom.Marquee,
			atom.Object, atom.Template, atom.Select:
			return -1
		case atom.Ol, atom.Ul:
			if s == scopeListItem {
				return -1
			}
		case atom.Button:
			if s == scopeButton {
				return -1
			}
		}
	}
	return -1
}

// popUntil pops up to and including the highest element of one of the
// types in scope s, if there is one.
func (b *treeStream) popUntil(s elemScope, types ...atom.Atom) {
	if i := b.inScope(s, types...); i >= 0 {
		b.popTo(i)
	}
}

func isHeading(a atom.Atom) bool {
	switch a {
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		return true
	}
	return false
}

// isSpecial reports whether n is in the tree builder's "special" category
// (golang.org/x/net/html's list, for HTML elements).
func isSpecial(n *html.Node) bool {
	switch n.DataAtom {
	case atom.Address, atom.Applet, atom.Area, atom.Article, atom.Aside, atom.Base, atom.Basefont,
		atom.Bgsound, atom.Blockquote, atom.Body, atom.Br, atom.Button, atom.Caption, atom.Center,
		atom.Col, atom.Colgroup, atom.Dd, atom.Details, atom.Dir, atom.Div, atom.Dl, atom.Dt,
		atom.Embed, atom.Fieldset, atom.Figcaption, atom.Figure, atom.Footer, atom.Form, atom.Frame,
		atom.Frameset, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Head, atom.Header,
		atom.Hgroup, atom.Hr, atom.Html, atom.Iframe, atom.Img, atom.Input, atom.Keygen, atom.Li,
		atom.Link, atom.Listing, atom.Main, atom.Marquee, atom.Menu, atom.Meta, atom.Nav,
		atom.Noembed, atom.Noframes, atom.Noscript, atom.Object, atom.Ol, atom.P, atom.Param,
		atom.Plaintext, atom.Pre, atom.Script, atom.Section, atom.Select, atom.Source, atom.Style,
		atom.Summary, atom.Table, atom.Tbody, atom.Td, atom.Template, atom.Textarea, atom.Tfoot,
		atom.Th, atom.Thead, atom.Title, atom.Tr, atom.Track, atom.Ul, atom.Wbr, atom.Xmp:
		return true
	}
	return false
}
