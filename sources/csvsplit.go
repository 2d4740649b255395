package sources

import (
	"bytes"
	"errors"
	"io"
)

// A parallel CSV source cuts its input into blocks of whole lines that
// parsers take in turn. A block must start where a record starts, and that
// depends on the quoting before it: a newline inside a quoted field does
// not end a record. The splitter cuts after the last newline that has an
// even number of quotes before it (counted from the block's start, which
// is taken to be a record start). For well-formed CSV that is exactly a
// record boundary. Malformed quoting can fool it; a block's parser then
// finds a quoted field running to the block's end, and the source goes on
// sequentially from that record (see csvparallel.go), so the result is the
// same as a sequential read's in every case.

// csvBlockSize is the size of a block the splitter aims for.
const csvBlockSize = 64 << 10

// csvBlock is a run of whole lines cut from the input.
type csvBlock struct {
	data []byte // whole lines; the last ends in '\n' unless last is set
	line int    // the 1-based number of the block's first line
	last bool   // the input ends with this block
	// raw means no record start was found within the splitter's limit:
	// data and everything after it must be read sequentially.
	raw bool
	err error // a read error after data; fatal
}

// csvSplitter reads an input and cuts it into blocks.
type csvSplitter struct {
	r     io.Reader
	size  int    // the block size aimed for
	limit int    // the most bytes held looking for a cut before giving up
	buf   []byte // bytes read and not yet cut into a block
	line  int    // the number of buf's first line
	err   error  // the read error or io.EOF that ended the input
}

// newCSVSplitter returns a splitter of r into blocks of about size bytes
// (csvBlockSize when 0; tests make it small) for records of at most maxRow
// bytes.
func newCSVSplitter(r io.Reader, maxRow, size int) *csvSplitter {
	if maxRow <= 0 {
		maxRow = DefaultMaxRowBytes
	}
	if size <= 0 {
		size = csvBlockSize
	}
	return &csvSplitter{r: r, size: size, limit: 2*maxRow + size, line: 1}
}

// next reads on until it can cut a block. Each read fills a block or
// falls short of it (the input may be a pipe whose writer is slow, and the
// rows read so far must not wait for more); either way the lines read are
// cut into a block if they can be.
func (sp *csvSplitter) next() csvBlock {
	for {
		sp.fill()
		switch {
		case errors.Is(sp.err, io.EOF):
			return sp.take(len(sp.buf), true)
		case sp.err != nil:
			b := sp.take(bytes.LastIndexByte(sp.buf, '\n')+1, true)
			b.err = sp.err
			return b
		}
		if cut := quoteEvenCut(sp.buf); cut > 0 {
			return sp.take(cut, false)
		}
		if len(sp.buf) > sp.limit {
			b := sp.take(len(sp.buf), false)
			b.raw = true
			return b
		}
	}
}

// fill reads once, up to what buf lacks of a block but at least a
// quarter block.
func (sp *csvSplitter) fill() {
	want := max(sp.size-len(sp.buf), sp.size/4, 1)
	if cap(sp.buf)-len(sp.buf) < want {
		grown := make([]byte, len(sp.buf), max(sp.size, 2*cap(sp.buf), len(sp.buf)+want))
		copy(grown, sp.buf)
		sp.buf = grown
	}
	free := sp.buf[len(sp.buf) : len(sp.buf)+want]
	n, err := sp.r.Read(free)
	sp.buf = sp.buf[:len(sp.buf)+n]
	if err != nil {
		sp.err = err
	}
}

// take cuts the first n bytes of buf into a block. The block keeps buf's
// memory; the rest moves to a new buffer, so a block is never written to
// again.
func (sp *csvSplitter) take(n int, last bool) csvBlock {
	b := csvBlock{data: sp.buf[:n:n], line: sp.line, last: last}
	rest := sp.buf[n:]
	sp.buf = append(make([]byte, 0, max(sp.size, len(rest)+sp.size/4+1)), rest...)
	sp.line += bytes.Count(b.data, newline)
	return b
}

// unread puts block b, which next returned last, back in front of what
// the splitter holds.
func (sp *csvSplitter) unread(b csvBlock) {
	sp.buf = append(b.data[:len(b.data):len(b.data)], sp.buf...)
	sp.line = b.line
}

var (
	newline = []byte{'\n'}
	quote   = []byte{'"'}
)

// quoteEvenCut returns the length of the longest prefix of b that ends in
// a newline with an even number of quotes before it, or 0.
func quoteEvenCut(b []byte) int {
	i := bytes.LastIndexByte(b, '\n')
	if i < 0 {
		return 0
	}
	if bytes.IndexByte(b[:i], '"') < 0 {
		return i + 1
	}
	q := bytes.Count(b[:i], quote)
	for q%2 != 0 {
		j := bytes.LastIndexByte(b[:i], '\n')
		if j < 0 {
			return 0
		}
		q -= bytes.Count(b[j:i], quote)
		i = j
	}
	return i + 1
}
