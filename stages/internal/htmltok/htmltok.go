// Package htmltok is an HTML tokenizer over a byte slice held in memory.
// It returns exactly the tokens of golang.org/x/net/html's Tokenizer made
// by html.NewTokenizer over the same bytes — the same types, the same raw
// bytes, the same text, tag names and attributes — and is several times
// faster: the input is already whole, so there is no buffer to refill and
// copy, the byte reader inlines, the long runs (text, quoted attribute
// values, raw text, bogus comments) are found by vectorised searches, and
// no attribute name is allocated to detect duplicates.
//
// The state machine follows the WHATWG tokenization rules as x/net/html
// implements them, quirks included (see its token.go: the "</>" comment,
// the doctype read at end of file, the script escape states). The
// differential tests and FuzzMatchesXNetHTML hold the two token streams
// equal on crafted, real and random input.
//
// The tokenizer never writes to the input: where x/net/html converts
// text or names in its own buffer, this one copies into a scratch buffer
// first. Slices returned by Raw, Text, TagName and TagAttr may alias the
// input: callers must not modify them.
package htmltok

import (
	"bytes"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// span is a range of bytes of the input, start inclusive, end exclusive.
type span struct{ start, end int }

// Tokenizer returns the tokens of an HTML document held in a byte slice.
// Its zero value tokenizes an empty document; use [New] or [Tokenizer.Reset].
type Tokenizer struct {
	buf  []byte
	tt   html.TokenType
	err  error // io.EOF once the input is exhausted; never reset but by readDoctype, as x/net/html does
	raw  span  // the current token's bytes; raw.end is the read position
	data span  // the current token's data: text, tag name, comment

	name    span      // the current tag's name
	pending [2]span   // the attribute being read: key, value
	attr    [][2]span // the current start tag's attributes
	nAttr   int       // attributes returned by TagAttr
	seen    map[string]bool

	rawTag     string // the tag whose end tag closes the next raw-text token
	textIsRaw  bool   // the current text is not unescaped
	convertNUL bool   // NULs in the current text become U+FFFD

	scratch []byte // converted text
}

// New returns a tokenizer over b, which it does not modify.
func New(b []byte) *Tokenizer {
	z := &Tokenizer{}
	z.Reset(b)
	return z
}

// Reset makes z tokenize b from its start, keeping z's buffers.
func (z *Tokenizer) Reset(b []byte) {
	*z = Tokenizer{buf: b, attr: z.attr[:0], seen: z.seen, scratch: z.scratch[:0]}
	clear(z.seen)
}

// Err is io.EOF after the ErrorToken that ends the input, and nil while
// Next returns other tokens.
func (z *Tokenizer) Err() error {
	if z.tt != html.ErrorToken {
		return nil
	}
	return z.err
}

// Raw returns the current token's bytes, unmodified. The raw bytes of the
// tokens partition the input up to the ErrorToken.
func (z *Tokenizer) Raw() []byte { return z.buf[z.raw.start:z.raw.end] }

// readByte returns the next input byte, or 0 with z.err set to io.EOF at
// the end of the input.
func (z *Tokenizer) readByte() byte {
	if z.raw.end >= len(z.buf) {
		z.err = io.EOF
		return 0
	}
	c := z.buf[z.raw.end]
	z.raw.end++
	return c
}

// skipTo moves the read position just past the next c and reports
// whether there was one; without one it moves to the end and sets z.err.
func (z *Tokenizer) skipTo(c byte) bool {
	i := bytes.IndexByte(z.buf[z.raw.end:], c)
	if i < 0 {
		z.raw.end = len(z.buf)
		z.err = io.EOF
		return false
	}
	z.raw.end += i + 1
	return true
}

func isSpace(c byte) bool { return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' }

func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

// skipWhiteSpace moves past white space.
func (z *Tokenizer) skipWhiteSpace() {
	for z.err == nil {
		c := z.readByte()
		if z.err != nil {
			return
		}
		if !isSpace(c) {
			z.raw.end--
			return
		}
	}
}

// Next reads the next token and returns its type; ErrorToken ends the
// input (Err is then io.EOF).
func (z *Tokenizer) Next() html.TokenType {
	z.raw.start = z.raw.end
	z.data = span{z.raw.end, z.raw.end}
	if z.err != nil {
		z.tt = html.ErrorToken
		return z.tt
	}
	if z.rawTag != "" {
		if z.rawTag == "plaintext" {
			z.raw.end = len(z.buf)
			z.err = io.EOF
			z.data.end = z.raw.end
			z.textIsRaw = true
		} else {
			z.readRawOrRCDATA()
		}
		if z.data.end > z.data.start {
			z.tt = html.TextToken
			z.convertNUL = true
			return z.tt
		}
	}
	z.textIsRaw = false
	z.convertNUL = false
	for z.skipTo('<') {
		c := z.readByte()
		if z.err != nil {
			break
		}
		var tt html.TokenType
		switch {
		case isLetter(c):
			tt = html.StartTagToken
		case c == '/':
			tt = html.EndTagToken
		case c == '!' || c == '?':
			tt = html.CommentToken
		default:
			z.raw.end-- // reconsume: it may be the next '<'
			continue
		}
		// Text before the tag is a token of its own, returned first.
		if x := z.raw.end - 2; z.raw.start < x {
			z.raw.end, z.data.end = x, x
			z.tt = html.TextToken
			return z.tt
		}
		switch tt {
		case html.StartTagToken:
			z.tt = z.readStartTag()
		case html.EndTagToken:
			var ok bool
			if z.tt, ok = z.readEndTag(); !ok {
				return z.endText() // "</" at the end of the input is text
			}
		default:
			if c == '!' {
				z.tt = z.readMarkupDeclaration()
			} else {
				z.raw.end--
				z.readUntilCloseAngle()
				z.tt = html.CommentToken
			}
		}
		return z.tt
	}
	return z.endText()
}

// endText returns what is left at the end of the input as a text token,
// or ErrorToken when nothing is.
func (z *Tokenizer) endText() html.TokenType {
	if z.raw.start < z.raw.end {
		z.data.end = z.raw.end
		z.tt = html.TextToken
		return z.tt
	}
	z.tt = html.ErrorToken
	return z.tt
}

// readEndTag reads what follows "</": an end tag, the "</>" that x/net/html
// returns as an empty comment, or a bogus comment. It reports false when
// the input ends right after "</", which then is text.
func (z *Tokenizer) readEndTag() (html.TokenType, bool) {
	c := z.readByte()
	if z.err != nil {
		return html.ErrorToken, false
	}
	if c == '>' {
		return html.CommentToken, true
	}
	if isLetter(c) {
		z.readTag(false)
		if z.err != nil {
			return html.ErrorToken, true
		}
		return html.EndTagToken, true
	}
	z.raw.end--
	z.readUntilCloseAngle()
	return html.CommentToken, true
}

// readRawOrRCDATA reads raw text up to the end tag of z.rawTag.
func (z *Tokenizer) readRawOrRCDATA() {
	if z.rawTag == "script" {
		z.readScript()
		z.data.end = z.raw.end
		z.textIsRaw = true
		z.rawTag = ""
		return
	}
	for z.skipTo('<') {
		c := z.readByte()
		if z.err != nil {
			break
		}
		if c != '/' {
			z.raw.end--
			continue
		}
		if z.readRawEndTag() || z.err != nil {
			break
		}
	}
	z.data.end = z.raw.end
	z.textIsRaw = z.rawTag != "textarea" && z.rawTag != "title" // RCDATA has character references
	z.rawTag = ""
}

// readRawEndTag reads z.rawTag after "</" and the byte after it; on a
// match it moves back to the "</" and reports true.
func (z *Tokenizer) readRawEndTag() bool {
	for i := 0; i < len(z.rawTag); i++ {
		c := z.readByte()
		if z.err != nil {
			return false
		}
		if c != z.rawTag[i] && c != z.rawTag[i]-('a'-'A') {
			z.raw.end--
			return false
		}
	}
	c := z.readByte()
	if z.err != nil {
		return false
	}
	if isSpace(c) || c == '/' || c == '>' {
		z.raw.end -= 3 + len(z.rawTag)
		return true
	}
	z.raw.end--
	return false
}

// script states, as the WHATWG names them.
const (
	sData = iota
	sEscaped
	sEscapedDash
	sEscapedDashDash
	sDoubleEscaped
	sDoubleEscapedDash
	sDoubleEscapedDashDash
)

// readScript reads script data up to its "</script", through the escaped
// ("<!--") and double-escaped ("<!--<script>") states.
func (z *Tokenizer) readScript() {
	state := sData
	for {
		if state == sData {
			if !z.skipTo('<') {
				return
			}
			c := z.readByte()
			if z.err != nil {
				return
			}
			switch c {
			case '/':
				if z.readRawEndTag() || z.err != nil {
					return
				}
			case '!':
				state = z.escapeStart()
				if z.err != nil {
					return
				}
			default:
				z.raw.end--
			}
			continue
		}
		c := z.readByte()
		if z.err != nil {
			return
		}
		switch state {
		case sEscaped, sEscapedDash, sEscapedDashDash:
			switch {
			case c == '-':
				state = min(state+1, sEscapedDashDash)
			case c == '>' && state == sEscapedDashDash:
				state = sData
			case c == '<':
				state = z.escapedLessThan()
				if z.err != nil || state < 0 {
					return
				}
			default:
				state = sEscaped
			}
		default: // double escaped
			switch {
			case c == '-':
				state = min(state+1, sDoubleEscapedDashDash)
			case c == '>' && state == sDoubleEscapedDashDash:
				state = sData
			case c == '<':
				state = sDoubleEscaped
				c = z.readByte()
				if z.err != nil {
					return
				}
				if c != '/' {
					z.raw.end--
					continue
				}
				if z.readRawEndTag() {
					z.raw.end += len("</script>")
					state = sEscaped
				} else if z.err != nil {
					return
				}
			default:
				state = sDoubleEscaped
			}
		}
	}
}

// escapeStart reads after "<!" in script data: "--" escapes.
func (z *Tokenizer) escapeStart() int {
	for range 2 {
		c := z.readByte()
		if z.err != nil {
			return sData
		}
		if c != '-' {
			z.raw.end--
			return sData
		}
	}
	return sEscapedDashDash
}

// escapedLessThan reads after '<' in escaped script data. It returns -1
// when the script's end tag is found.
func (z *Tokenizer) escapedLessThan() int {
	c := z.readByte()
	if z.err != nil {
		return sEscaped
	}
	if c == '/' {
		if z.readRawEndTag() {
			return -1
		}
		return sEscaped
	}
	if !isLetter(c) {
		z.raw.end--
		return sData
	}
	z.raw.end--
	for i := 0; i < len("script"); i++ {
		c = z.readByte()
		if z.err != nil {
			return sEscaped
		}
		if c != "script"[i] && c != "SCRIPT"[i] {
			z.raw.end--
			return sEscaped
		}
	}
	c = z.readByte()
	if z.err != nil {
		return sEscaped
	}
	if isSpace(c) || c == '/' || c == '>' {
		return sDoubleEscaped
	}
	z.raw.end--
	return sEscaped
}

// readComment reads a comment after its "<!--".
func (z *Tokenizer) readComment() {
	z.data.start = z.raw.end
	defer func() {
		if z.data.end < z.data.start { // no data, as in <!-->
			z.data.end = z.data.start
		}
	}()
	dashes, beginning := 0, true
	for {
		c := z.readByte()
		if z.err != nil {
			z.data.end = z.abruptCommentEnd()
			return
		}
		switch c {
		case '-':
			dashes++
			continue
		case '>':
			if dashes >= 2 || beginning {
				z.data.end = z.raw.end - len("-->")
				return
			}
		case '!':
			if dashes >= 2 {
				c = z.readByte()
				if z.err != nil {
					z.data.end = z.abruptCommentEnd()
					return
				}
				if c == '>' {
					z.data.end = z.raw.end - len("--!>")
					return
				}
				if c == '-' {
					dashes, beginning = 1, false
					continue
				}
			}
		}
		dashes, beginning = 0, false
	}
}

// abruptCommentEnd is where the data of a comment cut by the end of the
// input ends: before a trailing "--!", "--" or "-".
func (z *Tokenizer) abruptCommentEnd() int {
	raw := z.Raw()
	if len(raw) >= len("<!--") {
		raw = raw[len("<!--"):]
		switch {
		case bytes.HasSuffix(raw, []byte("--!")):
			return z.raw.end - 3
		case bytes.HasSuffix(raw, []byte("--")):
			return z.raw.end - 2
		case bytes.HasSuffix(raw, []byte("-")):
			return z.raw.end - 1
		}
	}
	return z.raw.end
}

// readUntilCloseAngle reads a bogus comment up to and including '>'.
func (z *Tokenizer) readUntilCloseAngle() {
	z.data.start = z.raw.end
	if z.skipTo('>') {
		z.data.end = z.raw.end - 1
	} else {
		z.data.end = z.raw.end
	}
}

// readMarkupDeclaration reads after "<!": a comment, a doctype or a bogus
// comment (CDATA sections are bogus comments, as x/net/html's default).
func (z *Tokenizer) readMarkupDeclaration() html.TokenType {
	z.data.start = z.raw.end
	var c [2]byte
	for i := range 2 {
		c[i] = z.readByte()
		if z.err != nil {
			z.data.end = z.raw.end
			if i == 1 && c[0] == '>' {
				z.data.end--
			}
			return html.CommentToken
		}
	}
	if c[0] == '-' && c[1] == '-' {
		z.readComment()
		return html.CommentToken
	}
	z.raw.end -= 2
	if z.readDoctype() {
		return html.DoctypeToken
	}
	z.readUntilCloseAngle()
	return html.CommentToken
}

// readDoctype reads "DOCTYPE" in any case after "<!" and the declaration
// up to '>'; on anything else it moves back and reports false.
func (z *Tokenizer) readDoctype() bool {
	const s = "DOCTYPE"
	for i := 0; i < len(s); i++ {
		c := z.readByte()
		if z.err != nil {
			// x/net/html backs up and clears the error, so that the bytes
			// are read again as a bogus comment
			z.raw.end, z.err = z.data.start, nil
			return false
		}
		if c != s[i] && c != s[i]+('a'-'A') {
			z.raw.end = z.data.start
			return false
		}
	}
	if z.skipWhiteSpace(); z.err != nil {
		z.data = span{z.raw.end, z.raw.end}
		return true
	}
	z.readUntilCloseAngle()
	return true
}

// rawTags are the start tags after which the next token is raw text.
var rawTags = [...]string{"iframe", "noembed", "noframes", "noscript", "plaintext", "script", "style", "textarea", "title", "xmp"}

// readStartTag reads a start tag after its "<" and first letter.
func (z *Tokenizer) readStartTag() html.TokenType {
	z.readTag(true)
	if z.err != nil {
		return html.ErrorToken
	}
	if name := z.buf[z.data.start:z.data.end]; len(name) >= 3 && len(name) <= 9 {
		for _, t := range rawTags {
			if equalFoldASCII(name, t) {
				z.rawTag = t
				break
			}
		}
	}
	// Self-closing: a '/' before the '>' that is not the last byte of an
	// unquoted attribute value (<p a=/>).
	n := len(z.attr)
	if z.buf[z.raw.end-2] == '/' && (n == 0 || z.raw.end-2 != z.attr[n-1][1].end-1) {
		return html.SelfClosingTagToken
	}
	return html.StartTagToken
}

// equalFoldASCII reports whether b equals the lower-case s, ignoring the
// case of ASCII letters in b.
func equalFoldASCII(b []byte, s string) bool {
	if len(b) != len(s) {
		return false
	}
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != s[i] {
			return false
		}
	}
	return true
}

// readTag reads a tag's name and attributes, keeping the attributes
// (first of each name) when save.
func (z *Tokenizer) readTag(save bool) {
	z.attr, z.nAttr = z.attr[:0], 0
	if len(z.seen) > 0 {
		clear(z.seen)
	}
	z.readTagName()
	if z.skipWhiteSpace(); z.err != nil {
		return
	}
	for {
		c := z.readByte()
		if z.err != nil || c == '>' {
			return
		}
		z.raw.end--
		z.readTagAttrKey()
		z.readTagAttrVal()
		if save && z.pending[0].start != z.pending[0].end && z.newKey(z.pending[0]) {
			z.attr = append(z.attr, z.pending)
		}
		if z.skipWhiteSpace(); z.err != nil {
			return
		}
	}
}

// newKey reports whether no attribute kept so far has key k, compared
// after ASCII lower-casing. Up to 16 attributes are compared in place;
// past that a set of the lower-cased names takes over.
func (z *Tokenizer) newKey(k span) bool {
	key := z.buf[k.start:k.end]
	if len(z.attr) < 16 {
		for _, a := range z.attr {
			if equalFold(z.buf[a[0].start:a[0].end], key) {
				return false
			}
		}
		return true
	}
	if z.seen == nil {
		z.seen = map[string]bool{}
	}
	if len(z.seen) == 0 {
		for _, a := range z.attr {
			z.seen[string(lowerCopy(z.buf[a[0].start:a[0].end]))] = true
		}
	}
	lk := string(lowerCopy(key))
	if z.seen[lk] {
		return false
	}
	z.seen[lk] = true
	return true
}

// equalFold compares a and b with ASCII letters folded to lower case.
func equalFold(a, b []byte) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

func lowerCopy(b []byte) []byte {
	out := make([]byte, len(b))
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		out[i] = c
	}
	return out
}

// readTagName reads the name of a tag whose first byte was read.
func (z *Tokenizer) readTagName() {
	z.data.start = z.raw.end - 1
	defer func() { z.name = z.data }()
	for {
		c := z.readByte()
		if z.err != nil {
			z.data.end = z.raw.end
			return
		}
		if isSpace(c) {
			z.data.end = z.raw.end - 1
			return
		}
		if c == '/' || c == '>' {
			z.raw.end--
			z.data.end = z.raw.end
			return
		}
	}
}

// readTagAttrKey reads an attribute name into z.pending[0].
func (z *Tokenizer) readTagAttrKey() {
	z.pending[0].start = z.raw.end
	for {
		c := z.readByte()
		if z.err != nil {
			z.pending[0].end = z.raw.end
			return
		}
		if c == '=' && z.pending[0].start+1 == z.raw.end {
			continue // a leading '=' is part of the name
		}
		if c == '=' || isSpace(c) || c == '/' || c == '>' {
			z.raw.end--
			z.pending[0].end = z.raw.end
			return
		}
	}
}

// readTagAttrVal reads an attribute's "= value", if any, into z.pending[1].
func (z *Tokenizer) readTagAttrVal() {
	z.pending[1] = span{z.raw.end, z.raw.end}
	if z.skipWhiteSpace(); z.err != nil {
		return
	}
	c := z.readByte()
	if z.err != nil || c == '/' {
		return
	}
	if c != '=' {
		z.raw.end--
		return
	}
	if z.skipWhiteSpace(); z.err != nil {
		return
	}
	q := z.readByte()
	if z.err != nil {
		return
	}
	switch q {
	case '>':
		z.raw.end--
	case '\'', '"':
		z.pending[1].start = z.raw.end
		if z.skipTo(q) {
			z.pending[1].end = z.raw.end - 1
		} else {
			z.pending[1].end = z.raw.end
		}
	default:
		z.pending[1].start = z.raw.end - 1
		for {
			c := z.readByte()
			if z.err != nil {
				z.pending[1].end = z.raw.end
				return
			}
			if isSpace(c) {
				z.pending[1].end = z.raw.end - 1
				return
			}
			if c == '>' {
				z.raw.end--
				z.pending[1].end = z.raw.end
				return
			}
		}
	}
}

var (
	nul         = []byte{0}
	replacement = []byte("\ufffd")
)

// Text returns the text of a text, comment or doctype token as
// x/net/html's Tokenizer.Text does: newlines normalised, NULs replaced
// where it replaces them, character references decoded outside raw text.
// A second call for the same token returns nothing, as there.
func (z *Tokenizer) Text() []byte {
	switch z.tt {
	case html.TextToken, html.CommentToken, html.DoctypeToken:
	default:
		return nil
	}
	s := z.buf[z.data.start:z.data.end]
	z.data = span{z.raw.end, z.raw.end}
	if len(s) < 64 && Plain(s) { // most text between tags is short
		return s
	}
	if bytes.IndexByte(s, '\r') >= 0 {
		s = convertNewlines(append(z.scratch[:0], s...))
		z.scratch = s[:0]
	}
	if (z.convertNUL || z.tt == html.CommentToken) && bytes.IndexByte(s, 0) >= 0 {
		s = bytes.ReplaceAll(s, nul, replacement)
	}
	if !z.textIsRaw && bytes.IndexByte(s, '&') >= 0 {
		s = []byte(html.UnescapeString(string(s)))
	}
	return s
}

// convertNewlines turns "\r\n" and "\r" into "\n", in place.
func convertNewlines(s []byte) []byte {
	j := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '\r' {
			c = '\n'
			if i+1 < len(s) && s[i+1] == '\n' {
				i++
			}
		}
		s[j] = c
		j++
	}
	return s[:j]
}

// TagName returns the lower-cased name of a tag token and whether it has
// attributes left for TagAttr, as x/net/html's Tokenizer.TagName does
// (NULs replaced). A second call for the same token returns nothing.
func (z *Tokenizer) TagName() (name []byte, hasAttr bool) {
	if z.data.start >= z.data.end {
		return nil, false
	}
	switch z.tt {
	case html.StartTagToken, html.EndTagToken, html.SelfClosingTagToken:
	default:
		return nil, false
	}
	s := z.buf[z.data.start:z.data.end]
	z.data = span{z.raw.end, z.raw.end}
	return lowerName(s), z.nAttr < len(z.attr)
}

// lowerName is b with NULs replaced and ASCII letters lower-cased: b
// itself when that changes nothing, else a copy.
func lowerName(b []byte) []byte {
	if bytes.IndexByte(b, 0) >= 0 {
		return lowerInPlace(bytes.ReplaceAll(b, nul, replacement))
	}
	for _, c := range b {
		if 'A' <= c && c <= 'Z' {
			return lowerInPlace(append([]byte(nil), b...))
		}
	}
	return b
}

func lowerInPlace(b []byte) []byte {
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return b
}

// TagAttr returns the next attribute of a start tag: its lower-cased key,
// its unescaped value, and whether more follow, as x/net/html's
// Tokenizer.TagAttr does.
func (z *Tokenizer) TagAttr() (key, val []byte, more bool) {
	if z.nAttr >= len(z.attr) || (z.tt != html.StartTagToken && z.tt != html.SelfClosingTagToken) {
		return nil, nil, false
	}
	x := z.attr[z.nAttr]
	z.nAttr++
	more = z.nAttr < len(z.attr)
	k, v := z.buf[x[0].start:x[0].end], z.buf[x[1].start:x[1].end]
	return lowerName(k), DecodeAttr(v), more
}

// RawName is the current tag's name as it is in the input (TagName
// lower-cases it and replaces NULs), or nil for other tokens.
func (z *Tokenizer) RawName() []byte {
	switch z.tt {
	case html.StartTagToken, html.EndTagToken, html.SelfClosingTagToken:
		return z.buf[z.name.start:z.name.end]
	}
	return nil
}

// AttrCount is the number of attributes TagAttr returns for the current
// token: those of a start tag, the first of each name.
func (z *Tokenizer) AttrCount() int {
	if z.tt != html.StartTagToken && z.tt != html.SelfClosingTagToken {
		return 0
	}
	return len(z.attr)
}

// RawAttr is the i-th attribute of [Tokenizer.AttrCount] as it is in the
// input: the key not lower-cased, the value without its quotes and not
// decoded. TagAttr returns the key lower-cased (with NULs replaced) and
// the value through [DecodeAttr].
func (z *Tokenizer) RawAttr(i int) (key, val []byte) {
	x := z.attr[i]
	return z.buf[x[0].start:x[0].end], z.buf[x[1].start:x[1].end]
}

// DecodeAttr is a raw attribute value as x/net/html's TagAttr returns it:
// NULs replaced, newlines normalised, character references decoded by the
// attribute rules. It returns v itself when that changes nothing.
func DecodeAttr(v []byte) []byte {
	if Plain(v) {
		return v
	}
	if bytes.IndexByte(v, 0) >= 0 {
		v = bytes.ReplaceAll(v, nul, replacement)
	}
	if bytes.IndexByte(v, '\r') >= 0 {
		v = convertNewlines(append([]byte(nil), v...))
	}
	return unescapeAttr(v)
}

// unescapeAttr decodes the character references of an attribute value
// by the attribute rules x/net/html follows: a named reference without
// its ';' is left alone before '=', and only a whole name counts (no
// longest-prefix match, which text allows). Each reference is decoded by
// html.UnescapeString, whose text rules agree with the attribute rules
// on a whole name and on numeric references.
func unescapeAttr(v []byte) []byte {
	// Most '&'s in values separate a URL's query parameters and stand
	// for themselves: find the first that starts a reference.
	amp := -1
	for i := bytes.IndexByte(v, '&'); i >= 0; {
		if bytes.HasPrefix(v[i:], ampRef) || refLen(v[i:]) > 0 {
			amp = i
			break
		}
		j := bytes.IndexByte(v[i+1:], '&')
		if j < 0 {
			break
		}
		i += 1 + j
	}
	if amp < 0 {
		return v
	}
	out := make([]byte, 0, len(v))
	for amp >= 0 {
		out = append(out, v[:amp]...)
		v = v[amp:]
		if bytes.HasPrefix(v, ampRef) { // the common one, in URLs' queries
			out = append(out, '&')
			v = v[len(ampRef):]
		} else if n := refLen(v); n > 0 {
			out = append(out, html.UnescapeString(string(v[:n]))...)
			v = v[n:]
		} else {
			out = append(out, '&')
			v = v[1:]
		}
		amp = bytes.IndexByte(v, '&')
	}
	return append(out, v...)
}

// refLen is the length of the character reference v starts with (v[0]
// is '&'), or 0 when the '&' stands for itself in an attribute value.
func refLen(v []byte) int {
	if len(v) <= 1 {
		return 0
	}
	if v[1] == '#' {
		if len(v) <= 2 {
			return 0
		}
		i, hex := 2, v[2] == 'x' || v[2] == 'X'
		if hex {
			i++
		}
		i0 := i
		for i < len(v) && (isDigit(v[i]) || hex && isHexLetter(v[i])) {
			i++
		}
		if i == i0 {
			return 0
		}
		if i < len(v) && v[i] == ';' {
			i++
		}
		return i
	}
	i := 1
	for i < len(v) && (isDigit(v[i]) || isLetter(v[i])) {
		i++
	}
	if i < len(v) && v[i] == ';' {
		i++
	}
	switch {
	case i == 1:
		return 0
	case v[i-1] != ';' && i < len(v) && v[i] == '=':
		return 0
	}
	// Text rules would also take a known prefix of an unknown name
	// ("&notit" is "¬it"); attributes take only the whole name. A
	// prefix match decodes to a rune followed by the rest of the name.
	chunk := string(v[:i])
	dec := html.UnescapeString(chunk)
	if dec == chunk {
		return 0
	}
	if _, size := utf8.DecodeRuneInString(dec); size < len(dec) && strings.HasSuffix(chunk, dec[size:]) {
		return 0
	}
	return i
}

var ampRef = []byte("&amp;")

// Plain reports whether b has no NUL, carriage return or '&': a name or
// value the tokenizer's accessors return unchanged (but for case). It
// loops, which beats three vectorised scans on the short names and
// values of tags.
func Plain(b []byte) bool {
	for _, c := range b {
		if c == 0 || c == '\r' || c == '&' {
			return false
		}
	}
	return true
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func isHexLetter(c byte) bool { return 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F' }
