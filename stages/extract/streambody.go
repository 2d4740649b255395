package extract

import (
	"bytes"
	"cmp"
	"slices"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// inBody is the "in body" insertion mode, for the elements the stream
// models; see treeStream.
func (b *treeStream) inBody(t *token) bool {
	switch t.typ {
	case html.TextToken:
		d := t.data
		if e := b.top(); e.node.DataAtom == atom.Pre && !e.hasChild {
			d = stripNewline(d)
		}
		if bytes.IndexByte(d, 0) >= 0 {
			d = bytes.ReplaceAll(d, []byte{0}, nil)
		}
		b.addText(d) // no reconstruction: formatting elements are all open
	case html.StartTagToken:
		return b.bodyStart(t)
	case html.EndTagToken:
		return b.bodyEnd(t)
	case html.CommentToken:
		b.addComment()
	}
	return true
}

func (b *treeStream) bodyStart(t *token) bool {
	switch t.atom {
	case atom.Html, atom.Body:
		if t.hasAttr {
			b.fail() // merged into the existing element
		}
	case atom.Base, atom.Basefont, atom.Bgsound, atom.Link, atom.Meta, atom.Noframes,
		atom.Script, atom.Style, atom.Template, atom.Title:
		return b.inHead(t)
	case atom.Address, atom.Article, atom.Aside, atom.Blockquote, atom.Center, atom.Details,
		atom.Dialog, atom.Dir, atom.Div, atom.Dl, atom.Fieldset, atom.Figcaption, atom.Figure,
		atom.Footer, atom.Header, atom.Hgroup, atom.Main, atom.Menu, atom.Nav, atom.Ol, atom.P,
		atom.Search, atom.Section, atom.Summary, atom.Ul, atom.Pre:
		b.closeP()
		b.insert(t)
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		b.closeP()
		if isHeading(b.top().node.DataAtom) {
			b.pop()
		}
		b.insert(t)
	case atom.Form:
		if b.formID != 0 {
			return true // ignored: a form is already open
		}
		b.closeP()
		b.insert(t)
		b.formID = b.nextID
	case atom.Li, atom.Dd, atom.Dt:
		b.closeListItem(t.atom)
		b.closeP()
		b.insert(t)
	case atom.Button:
		if b.inScope(scopeDefault, atom.Button) >= 0 {
			b.fail()
			return true
		}
		b.insert(t)
	case atom.A, atom.B, atom.Big, atom.Code, atom.Em, atom.Font, atom.I, atom.S, atom.Small,
		atom.Strike, atom.Strong, atom.Tt, atom.U:
		b.insertFormatting(t)
	case atom.Area, atom.Br, atom.Embed, atom.Img, atom.Keygen, atom.Wbr, atom.Param,
		atom.Source, atom.Track:
		b.insertVoid(t)
	case atom.Input:
		b.popUntil(scopeDefault, atom.Select)
		b.insertVoid(t)
	case atom.Hr:
		if b.inScope(scopeButton, atom.P) >= 0 {
			b.generateImpliedEndTags(atom.P)
			b.popUntil(scopeDefault, atom.P)
		}
		if b.inScope(scopeDefault, atom.Select) >= 0 {
			b.generateImpliedEndTags(0)
		}
		b.insertVoid(t)
	case atom.Select:
		if i := b.inScope(scopeDefault, atom.Select); i >= 0 {
			b.popTo(i) // a <select> in a <select> closes it and is dropped
			return true
		}
		b.insert(t)
	case atom.Option, atom.Optgroup:
		b.startOption(t)
	case atom.Rb, atom.Rtc, atom.Rp, atom.Rt:
		if b.inScope(scopeDefault, atom.Ruby) >= 0 {
			except := atom.Atom(0)
			if t.atom == atom.Rp || t.atom == atom.Rt {
				except = atom.Rtc
			}
			b.generateImpliedEndTags(except)
		}
		b.insert(t)
	case atom.Image:
		t.atom, t.name = atom.Img, "img"
		return false
	case atom.Textarea, atom.Iframe, atom.Noembed, atom.Noscript:
		b.startRaw(t)
	case atom.Xmp:
		b.closeP()
		b.startRaw(t)
	case atom.Caption, atom.Col, atom.Colgroup, atom.Frame, atom.Head, atom.Tbody, atom.Td,
		atom.Tfoot, atom.Th, atom.Thead, atom.Tr:
		// Ignored in body.
	case atom.Frameset, atom.Listing, atom.Plaintext, atom.Nobr, atom.Applet, atom.Marquee,
		atom.Object, atom.Table, atom.Math, atom.Svg:
		b.fail() // outside the model
	default:
		b.insert(t)
	}
	return true
}

func (b *treeStream) bodyEnd(t *token) bool {
	switch t.atom {
	case atom.Body:
		if b.inScope(scopeDefault, atom.Body) >= 0 {
			b.mode = modeAfterBody
		}
	case atom.Html:
		if b.inScope(scopeDefault, atom.Body) >= 0 {
			b.implied(html.EndTagToken, atom.Body)
			return false
		}
	case atom.Address, atom.Article, atom.Aside, atom.Blockquote, atom.Button, atom.Center,
		atom.Details, atom.Dialog, atom.Dir, atom.Div, atom.Dl, atom.Fieldset, atom.Figcaption,
		atom.Figure, atom.Footer, atom.Header, atom.Hgroup, atom.Listing, atom.Main, atom.Menu,
		atom.Nav, atom.Ol, atom.Pre, atom.Search, atom.Section, atom.Select, atom.Summary, atom.Ul:
		if b.inScope(scopeDefault, t.atom) < 0 {
			return true
		}
		b.generateImpliedEndTags(0)
		b.popUntil(scopeDefault, t.atom)
	case atom.Form:
		b.endForm()
	case atom.P:
		if b.inScope(scopeButton, atom.P) < 0 {
			b.implied(html.StartTagToken, atom.P)
		}
		b.popUntil(scopeButton, atom.P)
	case atom.Li:
		b.popUntil(scopeListItem, atom.Li)
	case atom.Dd, atom.Dt:
		b.popUntil(scopeDefault, t.atom)
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		b.popUntil(scopeDefault, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6)
	case atom.A, atom.B, atom.Big, atom.Code, atom.Em, atom.Font, atom.I, atom.Nobr, atom.S,
		atom.Small, atom.Strike, atom.Strong, atom.Tt, atom.U:
		b.endFormatting(t)
	case atom.Applet, atom.Marquee, atom.Object, atom.Template:
		// Never open in the model: ignored.
	case atom.Br:
		t.typ, t.hasAttr = html.StartTagToken, false
		return false
	default:
		b.endOther(t)
	}
	return true
}

// startOption opens an <option> or <optgroup>, closing what they close
// (golang.org/x/net/html parses <select> content in body, as the current
// HTML standard does).
func (b *treeStream) startOption(t *token) {
	if b.inScope(scopeDefault, atom.Select) >= 0 {
		except := atom.Atom(0)
		if t.atom == atom.Option {
			except = atom.Optgroup
		}
		b.generateImpliedEndTags(except)
	} else if b.top().node.DataAtom == atom.Option {
		b.pop()
	}
	b.insert(t)
}

// closeP closes a <p> in button scope, if any.
func (b *treeStream) closeP() { b.popUntil(scopeButton, atom.P) }

// closeListItem closes an open <li> (or <dd>, <dt>) before a new one, the
// way html.Parse does.
func (b *treeStream) closeListItem(a atom.Atom) {
	for i := len(b.stack) - 1; i >= 0; i-- {
		n := b.stack[i].node
		switch n.DataAtom {
		case atom.Li:
			if a == atom.Li {
				b.popTo(i)
				return
			}
		case atom.Dd, atom.Dt:
			if a != atom.Li {
				b.popTo(i)
				return
			}
		case atom.Address, atom.Div, atom.P:
			continue
		}
		if isSpecial(n) {
			return
		}
	}
}

// insertFormatting inserts a formatting element. An <a> inside an open
// <a>, or a fourth identical element (the "Noah's Ark" clause), would
// rearrange the tree: not modelled.
func (b *treeStream) insertFormatting(t *token) {
	same := 0
	for i := range b.stack {
		if e := &b.stack[i]; e.afe && e.node.DataAtom == t.atom {
			same++
		}
	}
	if same >= 3 || t.atom == atom.A && same > 0 {
		b.fail()
		return
	}
	// html.Parse sorts a formatting element's attributes (its Noah's Ark
	// search compares them); the first of duplicate keys changes with it.
	slices.SortFunc(t.attr, func(x, y html.Attribute) int {
		return cmp.Or(cmp.Compare(x.Namespace, y.Namespace), cmp.Compare(x.Key, y.Key), cmp.Compare(x.Val, y.Val))
	})
	b.insert(t)
	if !b.failed {
		b.top().afe = true
	}
}

// endFormatting is the adoption agency algorithm for the only case the
// model allows: no special element above the formatting element, and no
// other formatting element to pop with it.
func (b *treeStream) endFormatting(t *token) {
	if e := b.top(); e.node.Data == t.name && !e.afe {
		b.pop()
		return
	}
	fe := -1
	for i := len(b.stack) - 1; i >= 0; i-- {
		if e := &b.stack[i]; e.afe && e.node.DataAtom == t.atom {
			fe = i
			break
		}
	}
	if fe < 0 {
		b.endOther(t)
		return
	}
	if b.inScope(scopeDefault, t.atom) < 0 {
		return
	}
	for i := fe + 1; i < len(b.stack); i++ {
		if isSpecial(b.stack[i].node) {
			b.fail() // a furthest block: the tree gets rearranged
			return
		}
	}
	b.stack[fe].afe = false
	b.popTo(fe)
}

// endOther is the "any other end tag" rule.
func (b *treeStream) endOther(t *token) {
	for i := len(b.stack) - 1; i >= 0; i-- {
		n := b.stack[i].node
		if n.DataAtom == t.atom && (t.atom != 0 || n.Data == t.name) {
			b.popTo(i)
			return
		}
		if isSpecial(n) {
			return
		}
	}
}

// endForm is </form> without templates: it removes the form element,
// which the model allows only when that is a pop.
func (b *treeStream) endForm() {
	id := b.formID
	b.formID = 0
	i := b.inScope(scopeDefault, atom.Form)
	if id == 0 || i < 0 || b.stack[i].id != id {
		return
	}
	b.generateImpliedEndTags(0)
	if b.top().id != id {
		b.fail()
		return
	}
	b.pop()
}
