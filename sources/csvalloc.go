package sources

import "unsafe"

// Records are built in shared blocks rather than allocated one by one: a
// row's text is one string cut from a text block and its fields are
// substrings of it; its []string is cut from a block of strings. A row then
// costs a small fraction of an allocation instead of two. The price: an
// item kept alive keeps its blocks alive (at most textBlock plus
// slabStrings strings, and the texts those point to), not only its own
// row.

const (
	// textBlock is the size of a new text block.
	textBlock = 4 << 10
	// textRoom is the least room left in a text block for a record to
	// start there; below it the record starts a new block. A record that
	// outgrows its block moves to a bigger one, which the next records
	// share.
	textRoom = 256
	// slabStrings is how many field strings a block of strings holds.
	slabStrings = 64
)

// text returns where to build the next record's text: the free end of the
// current text block. The bytes before it belong to strings handed out and
// are never written again.
func (s *csvScanner) text() []byte {
	if cap(s.buf) < textRoom {
		return make([]byte, 0, textBlock)
	}
	return s.buf[:0]
}

// seal turns the record built in buf into a string and moves buf past it,
// so that the string's bytes are never written again. The string shares
// the block's memory instead of copying it; that is safe because text
// blocks are only ever appended to.
func (s *csvScanner) seal() string {
	str := unsafe.String(unsafe.SliceData(s.buf), len(s.buf))
	s.buf = s.buf[len(s.buf):]
	return str
}

// strings returns a new []string of n, cut from the current block.
func (s *csvScanner) strings(n int) []string {
	if len(s.slab)+n > cap(s.slab) {
		s.slab = make([]string, 0, max(slabStrings, n))
	}
	i := len(s.slab)
	s.slab = s.slab[:i+n]
	return s.slab[i : i+n : i+n]
}
