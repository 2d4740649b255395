package extract

import (
	"sync"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// readTag reads the current tag token's name and kept attributes into t.
// Kept attributes are appended to b.attrs (a stack that follows the stack
// of open elements) and t.attr is their slice of it.
//
// The tokenizer's TagName and TagAttr copy every name, key and value; for
// the common tag — no NUL, no character reference, no carriage return —
// readTag instead scans the token's raw bytes the way the tokenizer did
// (readTag, readTagName, readTagAttrKey, readTagAttrVal in
// golang.org/x/net/html's token.go) and copies only the kept values.
func (b *treeStream) readTag(t *token, end bool) {
	off := len(b.attrs)
	if !b.scanTag(t, b.z.Raw(), end) {
		b.attrs = b.attrs[:off]
		b.slowTag(t)
	}
	t.attr = b.attrs[off:len(b.attrs):len(b.attrs)]
	t.attrEnd = len(b.attrs)
}

// slowTag reads the tag through the tokenizer's accessors.
func (b *treeStream) slowTag(t *token) {
	name, more := b.z.TagName()
	t.setName(name)
	t.hasAttr = more
	for more {
		var k, v []byte
		k, v, more = b.z.TagAttr()
		if b.sink.keepAttr(t.atom, k) {
			b.attrs = append(b.attrs, html.Attribute{Key: atom.String(k), Val: b.intern(v)})
		}
	}
}

// maxIntern bounds the length of interned values and the size of a table.
const maxIntern, maxInternTable = 64, 4096

// internTables recycles the tables of short attribute values (class
// names, ids) that repeat on a page and across pages.
var internTables = sync.Pool{New: func() any { return make(map[string]string) }}

// intern returns v as a string, shared with earlier equal values.
func (b *treeStream) intern(v []byte) string {
	if len(v) > maxIntern {
		return string(v)
	}
	if b.interned == nil {
		b.interned = internTables.Get().(map[string]string)
	}
	if s, ok := b.interned[string(v)]; ok {
		return s
	}
	s := string(v)
	if len(b.interned) < maxInternTable {
		b.interned[s] = s
	}
	return s
}

// attrKey is the attribute name k as a string: the atom's string for
// known names, else interned (data-* names, say), so neither allocates
// after the first time.
func (b *treeStream) attrKey(k []byte) string {
	if a := atom.Lookup(k); a != 0 {
		return a.String()
	}
	return b.intern(k)
}

// releaseIntern returns the intern table to the pool.
func (b *treeStream) releaseIntern() {
	if b.interned != nil {
		internTables.Put(b.interned)
		b.interned = nil
	}
}

func (t *token) setName(name []byte) {
	if t.atom = atom.Lookup(name); t.atom != 0 {
		t.name = t.atom.String()
	} else {
		t.name = string(name)
	}
}

// scanTag parses raw, the bytes of a tag token, and reports false when
// the tag needs the tokenizer's own accessors.
func (b *treeStream) scanTag(t *token, raw []byte, end bool) bool {
	off := len(b.attrs)
	for _, c := range raw {
		if c == 0 || c == '&' || c == '\r' {
			return false // replaced, unescaped or converted by the tokenizer
		}
	}
	s := tagScan{raw: raw, i: 1}
	if end {
		s.i = 2
	}
	name, ok := s.name()
	if !ok {
		return false
	}
	t.setName(b.lower(name))
	if end {
		return true // the tokenizer saves no attributes of end tags
	}
	s.space()
	for {
		c, ok := s.next()
		if !ok {
			return false
		}
		if c == '>' {
			return s.i == len(raw)
		}
		s.i--
		k := b.lower(s.key())
		v, ok := s.val()
		if !ok {
			return false
		}
		if len(k) > 0 {
			t.hasAttr = true
			if b.sink.keepAttr(t.atom, k) && !hasKey(b.attrs[off:], k) {
				b.attrs = append(b.attrs, html.Attribute{Key: b.attrKey(k), Val: b.intern(v)})
			}
		}
		s.space()
	}
}

// hasKey reports whether attrs has key k: the tokenizer keeps the first of
// duplicate attributes.
func hasKey(attrs []html.Attribute, k []byte) bool {
	for i := range attrs {
		if attrs[i].Key == string(k) {
			return true
		}
	}
	return false
}

// lower returns s in ASCII lower case, as the tokenizer returns names and
// keys; s itself when it has no upper case.
func (b *treeStream) lower(s []byte) []byte {
	for i, c := range s {
		if 'A' <= c && c <= 'Z' {
			b.scratch = append(b.scratch[:0], s...)
			for j := i; j < len(s); j++ {
				if c := b.scratch[j]; 'A' <= c && c <= 'Z' {
					b.scratch[j] = c + 'a' - 'A'
				}
			}
			return b.scratch
		}
	}
	return s
}

// tagScan is a cursor over the raw bytes of a tag.
type tagScan struct {
	raw []byte
	i   int
}

func (s *tagScan) next() (byte, bool) {
	if s.i >= len(s.raw) {
		return 0, false
	}
	c := s.raw[s.i]
	s.i++
	return c, true
}

func isTagSpace(c byte) bool { return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' }

func (s *tagScan) space() {
	for s.i < len(s.raw) && isTagSpace(s.raw[s.i]) {
		s.i++
	}
}

// name reads the tag name: its first byte, then up to white space, / or >.
func (s *tagScan) name() ([]byte, bool) {
	start := s.i
	s.i++
	for s.i < len(s.raw) {
		switch c := s.raw[s.i]; {
		case isTagSpace(c):
			s.i++
			return s.raw[start : s.i-1], true
		case c == '/' || c == '>':
			return s.raw[start:s.i], true
		}
		s.i++
	}
	return nil, false
}

// key reads an attribute name ("=" as its first byte is part of it).
func (s *tagScan) key() []byte {
	start := s.i
	for s.i < len(s.raw) {
		c := s.raw[s.i]
		s.i++
		if c == '=' && s.i == start+1 {
			continue
		}
		if c == '=' || isTagSpace(c) || c == '/' || c == '>' {
			s.i--
			break
		}
	}
	return s.raw[start:s.i]
}

// val reads an attribute value, if any.
func (s *tagScan) val() ([]byte, bool) {
	s.space()
	c, ok := s.next()
	if !ok {
		return nil, false
	}
	if c == '/' {
		return nil, true
	}
	if c != '=' {
		s.i--
		return nil, true
	}
	s.space()
	q, ok := s.next()
	if !ok {
		return nil, false
	}
	switch q {
	case '>':
		s.i--
		return nil, true
	case '"', '\'':
		start := s.i
		for {
			c, ok := s.next()
			if !ok {
				return nil, false
			}
			if c == q {
				return s.raw[start : s.i-1], true
			}
		}
	}
	start := s.i - 1
	for {
		c, ok := s.next()
		if !ok {
			return nil, false
		}
		if isTagSpace(c) {
			return s.raw[start : s.i-1], true
		}
		if c == '>' {
			s.i--
			return s.raw[start:s.i], true
		}
	}
}
