package fetch

import "bytes"

// Byte-level helpers of the prescanner (charset_prescan.go). They never
// read past p.b and never allocate.

func (p *prescanner) hasPrefix(s string) bool {
	return len(p.b)-p.i >= len(s) && string(p.b[p.i:p.i+len(s)]) == s
}

func (p *prescanner) hasPrefixFold(s string) bool {
	return len(p.b)-p.i >= len(s) && bytes.EqualFold(p.b[p.i:p.i+len(s)], []byte(s))
}

func (p *prescanner) skipSpace() {
	for p.i < len(p.b) && isSpace(p.b[p.i]) {
		p.i++
	}
}

// skipPast moves p.i past the next c, or to the end.
func (p *prescanner) skipPast(c byte) {
	if j := bytes.IndexByte(p.b[p.i:], c); j >= 0 {
		p.i += j + 1
		return
	}
	p.i = len(p.b)
}

// skipComment moves p.i (at "<!--") past the "-->" that ends the
// comment; as in the WHATWG prescan, "<!-->" is a whole comment.
func (p *prescanner) skipComment() {
	if j := bytes.Index(p.b[p.i+2:], []byte("-->")); j >= 0 {
		p.i += 2 + j + 3
		return
	}
	p.i = len(p.b)
}

// skipRawText moves p.i (just past a start tag) to the "</name" that
// closes the raw-text element, or to the end.
func (p *prescanner) skipRawText(name []byte) {
	for {
		j := bytes.Index(p.b[p.i:], []byte("</"))
		if j < 0 {
			p.i = len(p.b)
			return
		}
		p.i += j
		k := p.i + 2 + len(name)
		if k < len(p.b) && bytes.EqualFold(p.b[p.i+2:k], name) &&
			(isSpace(p.b[k]) || p.b[k] == '/' || p.b[k] == '>') {
			return
		}
		p.i += 2
	}
}

// metaContentCharset is the WHATWG "extracting a character encoding
// from a meta element" over a content attribute; found is false when
// it names none.
func metaContentCharset(s []byte) (label []byte, found bool) {
	i := 0
	for {
		j := indexFold(s[i:], "charset")
		if j < 0 {
			return nil, false
		}
		i += j + len("charset")
		for i < len(s) && isSpace(s[i]) {
			i++
		}
		if i < len(s) && s[i] == '=' {
			i++
			break
		}
	}
	for i < len(s) && isSpace(s[i]) {
		i++
	}
	if i >= len(s) {
		return nil, false
	}
	if q := s[i]; q == '"' || q == '\'' {
		if j := bytes.IndexByte(s[i+1:], q); j >= 0 {
			return s[i+1 : i+1+j], true
		}
		return nil, false
	}
	j := i
	for j < len(s) && !isSpace(s[j]) && s[j] != ';' {
		j++
	}
	return s[i:j], true
}

// indexFold is bytes.Index for an ASCII needle, ignoring ASCII case.
func indexFold(s []byte, needle string) int {
	for i := 0; i+len(needle) <= len(s); i++ {
		if bytes.EqualFold(s[i:i+len(needle)], []byte(needle)) {
			return i
		}
	}
	return -1
}

// isSpace is the HTML notion of ASCII whitespace.
func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r'
}

func isLetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

// rawText reports whether an element's contents are not markup (so a
// "<meta" inside them is not a tag), as a browser's tokenizer treats
// them with scripting on.
func rawText(name []byte) bool {
	for _, s := range [...]string{"script", "style", "title", "textarea", "noscript",
		"xmp", "iframe", "noembed", "noframes"} {
		if bytes.EqualFold(name, []byte(s)) {
			return true
		}
	}
	return false
}

// inHead reports whether an element may appear in <head> without ending
// it; the set Blink uses to decide that the head is over.
func inHead(name []byte) bool {
	for _, s := range [...]string{"html", "head", "meta", "link", "script", "style",
		"title", "base", "noscript", "template", "object"} {
		if bytes.EqualFold(name, []byte(s)) {
			return true
		}
	}
	return false
}
