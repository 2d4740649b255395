package fetch

import (
	"bytes"

	"golang.org/x/net/html/charset"
)

const (
	// prescanLimit is how much of an HTML body the WHATWG prescan reads.
	prescanLimit = 1024
	// lateScanLimit bounds the search for a <meta> declared after the
	// first 1024 bytes: browsers honour one anywhere in <head> (Blink
	// keeps looking until an element that cannot be in <head>; Gecko
	// reparses), and 64 KiB holds all but the most bloated heads while
	// keeping the cost of a page with no declaration bounded.
	lateScanLimit = 64 << 10
)

// metaCharset finds the encoding an HTML document declares in a <meta>.
// It first runs the WHATWG prescan over the first 1024 bytes (late is
// false); failing that, it scans the head as a browser's tokenizer
// would (late is true): the contents of <script>, <style>, <title> and
// the like are skipped, and the search ends at the first element that
// cannot be in <head> past byte 1024, or at 64 KiB. name is the
// canonical WHATWG name, "" if nothing usable is declared.
func metaCharset(raw []byte) (name string, late bool) {
	if name = (&prescanner{b: raw[:min(len(raw), prescanLimit)]}).scan(); name != "" {
		return name, false
	}
	if len(raw) <= prescanLimit {
		return "", false
	}
	name = (&prescanner{b: raw[:min(len(raw), lateScanLimit)], head: true}).scan()
	return name, name != ""
}

// prescanner is the WHATWG "prescan a byte stream to determine its
// encoding" over b, which it never reads past; with head set it also
// skips raw-text elements and stops at the end of the head.
type prescanner struct {
	b    []byte
	i    int
	head bool
}

// scan returns the first usable declared encoding, or "".
func (p *prescanner) scan() string {
	for p.i < len(p.b) {
		if p.b[p.i] != '<' {
			p.i++
			continue
		}
		switch {
		case p.hasPrefix("<!--"):
			p.skipComment()
		case p.hasPrefixFold("<meta") && p.i+5 < len(p.b) && (isSpace(p.b[p.i+5]) || p.b[p.i+5] == '/'):
			p.i += 6
			if name := p.meta(); name != "" {
				return name
			}
		case p.i+1 < len(p.b) && isLetter(p.b[p.i+1]),
			p.hasPrefix("</") && p.i+2 < len(p.b) && isLetter(p.b[p.i+2]):
			if !p.tag() {
				return ""
			}
		case p.hasPrefix("<!"), p.hasPrefix("</"), p.hasPrefix("<?"):
			p.skipPast('>')
		default:
			p.i++
		}
	}
	return ""
}

// meta reads the attributes of a <meta> (p.i just past "<meta ") and
// returns the encoding it declares, following the WHATWG steps.
func (p *prescanner) meta() string {
	var seen [3]bool // http-equiv, content, charset: only the first counts
	var gotPragma, needPragma, decided bool
	var label []byte
	for {
		name, value, ok := p.attr()
		if !ok {
			break
		}
		switch {
		case bytes.EqualFold(name, []byte("http-equiv")) && !seen[0]:
			seen[0] = true
			gotPragma = bytes.EqualFold(value, []byte("content-type"))
		case bytes.EqualFold(name, []byte("content")) && !seen[1]:
			seen[1] = true
			if l, found := metaContentCharset(value); found && !decided {
				label, needPragma, decided = l, true, true
			}
		case bytes.EqualFold(name, []byte("charset")) && !seen[2]:
			seen[2] = true
			label, needPragma, decided = value, false, true
		}
	}
	if p.i >= len(p.b) || !decided || needPragma && !gotPragma {
		return "" // ran out of bytes mid-tag, or nothing declared
	}
	return inBandName(string(label))
}

// inBandName maps a label declared inside the document to the encoding
// to use: UTF-16 cannot be declared in-band (the bytes that declared it
// were ASCII) and means UTF-8, and x-user-defined means windows-1252.
func inBandName(label string) string {
	enc, name := charset.Lookup(label)
	switch {
	case enc == nil:
		return ""
	case name == "utf-16be" || name == "utf-16le":
		return "utf-8"
	case name == "x-user-defined":
		return "windows-1252"
	}
	return name
}

// tag skips a start or end tag and its attributes (p.i at '<'). In head
// mode it also skips the contents of raw-text elements, and reports
// false when the tag ends the head.
func (p *prescanner) tag() bool {
	start := p.i
	end := p.b[p.i+1] == '/'
	p.i++
	if end {
		p.i++
	}
	nameStart := p.i
	for p.i < len(p.b) && !isSpace(p.b[p.i]) && p.b[p.i] != '>' && p.b[p.i] != '/' {
		p.i++
	}
	name := p.b[nameStart:p.i]
	for {
		if _, _, ok := p.attr(); !ok {
			break
		}
	}
	if !p.head || end {
		return true
	}
	if rawText(name) {
		p.skipRawText(name)
		return true
	}
	return start < prescanLimit || inHead(name)
}

// attr is the WHATWG "get an attribute": it returns the next attribute
// of a tag as slices of the input (compare them case-insensitively),
// with ok false at the tag's '>' or when the input runs out.
func (p *prescanner) attr() (name, value []byte, ok bool) {
	for p.i < len(p.b) && (isSpace(p.b[p.i]) || p.b[p.i] == '/') {
		p.i++
	}
	if p.i >= len(p.b) || p.b[p.i] == '>' {
		return nil, nil, false
	}
	n := p.i
	for p.i < len(p.b) {
		c := p.b[p.i]
		if c == '=' && p.i > n || isSpace(c) || c == '/' || c == '>' {
			break
		}
		p.i++
	}
	name = p.b[n:p.i]
	p.skipSpace()
	if p.i >= len(p.b) || p.b[p.i] != '=' {
		return name, nil, p.i < len(p.b)
	}
	p.i++
	p.skipSpace()
	if p.i >= len(p.b) {
		return nil, nil, false
	}
	if q := p.b[p.i]; q == '"' || q == '\'' {
		j := bytes.IndexByte(p.b[p.i+1:], q)
		if j < 0 {
			p.i = len(p.b)
			return nil, nil, false
		}
		value = p.b[p.i+1 : p.i+1+j]
		p.i += j + 2
		return name, value, true
	}
	v := p.i
	for p.i < len(p.b) && !isSpace(p.b[p.i]) && p.b[p.i] != '>' {
		p.i++
	}
	return name, p.b[v:p.i], p.i < len(p.b)
}
