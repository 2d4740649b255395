package extract

import "strings"

// selectorScan recognises the selectors the streaming path can answer
// exactly: those whose match depends only on the element, its attributes,
// its ancestors and whether it is its parent's first element child. It is
// a gate, not a compiler — matching is still cascadia's — so it accepts a
// strict subset of the syntax:
//
//	type selectors and *          div, *
//	#id, .class                   #main, .price
//	[attr], [attr op value]       op: = ~= |= ^= $= *= != ; optional i flag
//	:first-child, :root           (the element's own position)
//	:not(group)                   of the forms above
//	descendant and child          ul li, ul > li
//	groups                        h1, h2
//
// Identifiers take no backslash escapes; strings no escapes either.
// Anything else (sibling combinators, :last-child, :nth-*, :has,
// :contains, :empty, pseudo-elements, namespaces, comments) is refused.
type selectorScan struct {
	s     string
	i     int
	attrs []string // attribute keys the selector reads (lower case)
}

// scanSelector reports whether sel is in the streaming subset, and the
// attribute keys its matching reads.
func scanSelector(sel string) ([]string, bool) {
	p := selectorScan{s: sel}
	if !p.group() || p.i != len(p.s) {
		return nil, false
	}
	return p.attrs, true
}

func (p *selectorScan) peek() byte {
	if p.i < len(p.s) {
		return p.s[p.i]
	}
	return 0
}

func (p *selectorScan) space() bool {
	start := p.i
	for p.i < len(p.s) && strings.IndexByte(" \t\r\n\f", p.s[p.i]) >= 0 {
		p.i++
	}
	return p.i > start
}

func (p *selectorScan) group() bool {
	p.space()
	if !p.complex() {
		return false
	}
	for {
		p.space()
		if p.peek() != ',' {
			return true
		}
		p.i++
		p.space()
		if !p.complex() {
			return false
		}
	}
}

func (p *selectorScan) complex() bool {
	if !p.compound() {
		return false
	}
	for {
		save := p.i
		sp := p.space()
		switch c := p.peek(); {
		case c == '>':
			p.i++
			p.space()
		case sp && c != ',' && c != ')' && c != 0:
		default:
			p.i = save
			return true
		}
		if !p.compound() {
			return false
		}
	}
}

func (p *selectorScan) compound() bool {
	n := 0
	if p.peek() == '*' {
		p.i++
		n++
	} else if p.ident() {
		n++
	}
	for {
		switch p.peek() {
		case '#':
			p.i++
			if !p.name() {
				return false
			}
			p.use("id")
		case '.':
			p.i++
			if !p.ident() {
				return false
			}
			p.use("class")
		case '[':
			if !p.attr() {
				return false
			}
		case ':':
			if !p.pseudo() {
				return false
			}
		default:
			return n > 0
		}
		n++
	}
}

func (p *selectorScan) pseudo() bool {
	p.i++ // ':'
	rest := p.s[p.i:]
	for _, name := range []string{"first-child", "root"} {
		if len(rest) >= len(name) && strings.EqualFold(rest[:len(name)], name) &&
			(len(rest) == len(name) || !nameByte(rest[len(name)]) && rest[len(name)] != '(') {
			p.i += len(name)
			return true
		}
	}
	if len(rest) >= 4 && strings.EqualFold(rest[:4], "not(") {
		p.i += 4
		if !p.group() || p.peek() != ')' {
			return false
		}
		p.i++
		return true
	}
	return false
}

func (p *selectorScan) attr() bool {
	p.i++ // '['
	p.space()
	start := p.i
	if !p.ident() {
		return false
	}
	p.use(strings.ToLower(p.s[start:p.i]))
	p.space()
	if p.peek() == ']' {
		p.i++
		return true
	}
	rest := p.s[p.i:]
	switch {
	case strings.HasPrefix(rest, "="):
		p.i++
	case len(rest) >= 2 && rest[1] == '=' && strings.IndexByte("~|^$*!", rest[0]) >= 0:
		p.i += 2
	default:
		return false
	}
	p.space()
	if c := p.peek(); c == '"' || c == '\'' {
		end := strings.IndexByte(p.s[p.i+1:], c)
		if end < 0 || strings.ContainsAny(p.s[p.i+1:p.i+1+end], "\\\n\r\f") {
			return false
		}
		p.i += end + 2
	} else if !p.ident() {
		return false
	}
	p.space()
	if c := p.peek(); c == 'i' || c == 'I' {
		p.i++
		p.space()
	}
	if p.peek() != ']' {
		return false
	}
	p.i++
	return true
}

// ident scans a CSS identifier without escapes.
func (p *selectorScan) ident() bool {
	start := p.i
	for p.peek() == '-' {
		p.i++
	}
	if c := p.peek(); !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c > 127) {
		p.i = start
		return false
	}
	return p.name()
}

// name scans a run of name characters.
func (p *selectorScan) name() bool {
	start := p.i
	for p.i < len(p.s) && nameByte(p.s[p.i]) {
		p.i++
	}
	return p.i > start
}

func nameByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c > 127
}

// use records that matching reads attribute key.
func (p *selectorScan) use(key string) {
	for _, k := range p.attrs {
		if k == key {
			return
		}
	}
	p.attrs = append(p.attrs, key)
}
