package extract

import (
	"bytes"
	"sync"

	"github.com/sluicehq/sluice/stages/internal/htmltok"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// readTag reads the current tag token's name and kept attributes into t.
// Kept attributes are appended to b.attrs (a stack that follows the stack
// of open elements) and t.attr is their slice of it.
//
// The tokenizer has already found the name and the attributes (the first
// of each name); readTag takes them as they are in the input, lower-cases
// names in a scratch buffer and decodes only the kept values. A name or
// key with a NUL, which the tokenizer replaces, goes through its own
// accessors.
func (b *treeStream) readTag(t *token, end bool) {
	off := len(b.attrs)
	if !b.fastTag(t, end) {
		b.attrs = b.attrs[:off]
		b.slowTag(t)
	}
	t.attr = b.attrs[off:len(b.attrs):len(b.attrs)]
	t.attrEnd = len(b.attrs)
}

// fastTag reads the tag from the tokenizer's raw spans; false when a name
// or key holds a NUL.
func (b *treeStream) fastTag(t *token, end bool) bool {
	name := b.tok.RawName()
	if !htmltok.Plain(name) && bytes.IndexByte(name, 0) >= 0 {
		return false
	}
	t.setName(b.lower(name))
	if end {
		return true // the tokenizer keeps no attributes of end tags
	}
	n := b.tok.AttrCount()
	t.hasAttr = n > 0
	for i := range n {
		k, v := b.tok.RawAttr(i)
		if !htmltok.Plain(k) && bytes.IndexByte(k, 0) >= 0 {
			return false
		}
		k = b.lower(k)
		if b.sink.keepAttr(t.atom, k) {
			b.attrs = append(b.attrs, html.Attribute{Key: b.attrKey(k), Val: b.intern(htmltok.DecodeAttr(v))})
		}
	}
	return true
}

// slowTag reads the tag through the tokenizer's accessors.
func (b *treeStream) slowTag(t *token) {
	name, more := b.tok.TagName()
	t.setName(name)
	t.hasAttr = more
	for more {
		var k, v []byte
		k, v, more = b.tok.TagAttr()
		if b.sink.keepAttr(t.atom, k) {
			b.attrs = append(b.attrs, html.Attribute{Key: atom.String(k), Val: b.intern(v)})
		}
	}
}

// maxIntern bounds the length of interned values and the size of a table.
const maxIntern, maxInternTable = 64, 1024

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
