package sources

import (
	"bytes"
	"errors"
	"io"
)

// A CSV source cuts its input into blocks of whole lines that parsers take
// in turn. A block must start where a record starts, and that depends on
// the quoting before it: a newline inside a quoted field does not end a
// record. The splitter cuts after the last newline at which, reading only
// the quotes (recordCut), no record is open, counting from the block's
// start, which is known to be a record start. For well-formed CSV, and for
// the usual faults (a bare quote in a field, text after a closing quote),
// that is exactly a record boundary. When the reading is wrong anyway, a
// block's parser finds a quoted field running to the block's end, and the
// source goes on sequentially from that record (see csvparallel.go), so
// the result is a sequential read's in every case.

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
	size  int // the block size aimed for
	comma byte
	// quotes is false when quotes are data: every newline ends a record.
	quotes bool
	// maxRow is the scanner's record size limit.
	maxRow int
	limit  int    // the most bytes held looking for a cut before giving up
	buf    []byte // bytes read and not yet cut into a block
	line   int    // the number of buf's first line
	err    error  // the read error or io.EOF that ended the input
}

// newCSVSplitter returns a splitter of r into blocks of about size bytes
// (csvBlockSize when 0; tests make it small) for records of at most maxRow
// bytes.
func newCSVSplitter(r io.Reader, comma byte, quotes bool, maxRow, size int) *csvSplitter {
	if maxRow <= 0 {
		maxRow = DefaultMaxRowBytes
	}
	if size <= 0 {
		size = csvBlockSize
	}
	return &csvSplitter{r: r, size: size, comma: comma, quotes: quotes, maxRow: maxRow, limit: 2*maxRow + size, line: 1}
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
		if cut := sp.cut(); cut > 0 {
			return sp.take(cut, false)
		}
		if len(sp.buf) > sp.limit {
			b := sp.take(len(sp.buf), false)
			b.raw = true
			return b
		}
	}
}

// cut returns where the next block can end, or 0.
func (sp *csvSplitter) cut() int {
	if !sp.quotes {
		return bytes.LastIndexByte(sp.buf, '\n') + 1
	}
	return recordCut(sp.buf, sp.comma, sp.maxRow)
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

var newline = []byte{'\n'}

// recordCut returns the length of the longest prefix of b that ends in a
// newline at which no record is open, reading the quotes as the scanner
// does, or 0. It looks only at quotes and the newlines around them, so
// lines without quotes cost nothing. A quote that starts a field opens a
// quoted field, which a quote followed by the delimiter or the line's end
// closes ("" is a quote inside it). A quote anywhere else, text after a
// closing quote, and a quoted field still open after maxRow bytes make the
// scanner reject the record and start again on the line after its first,
// and this reading does the same. It is a guess all the same (the size
// limit is not followed to the byte), which the parsers check.
func recordCut(b []byte, comma byte, maxRow int) int {
	// Between pos and the next quote every newline ends a record; start
	// is the last record start found before pos. The common case, a
	// quoted field that closes, costs two forward searches.
	start, pos := 0, 0
	for {
		q := bytes.IndexByte(b[pos:], '"')
		if q < 0 {
			return recordStart(b, start, pos, len(b))
		}
		q += pos
		next := -1 // a bare quote
		if q == 0 || b[q-1] == comma || b[q-1] == '\n' {
			if next = closeQuoted(b, q+1, comma); next == 0 {
				start = recordStart(b, start, pos, q)
				if len(b)-start <= maxRow {
					return start // open at the end of b
				}
				next = -1 // open too long
			}
		}
		if next < 0 { // the record is rejected
			start = recordStart(b, start, pos, q)
			if next = skipRecord(b, start); next < 0 {
				return start
			}
			start = next
		}
		pos = next
	}
}

// recordStart returns where the record holding b[i] starts: after the
// last newline in b[pos:i], which holds no quote, or at start.
func recordStart(b []byte, start, pos, i int) int {
	if nl := bytes.LastIndexByte(b[pos:i], '\n'); nl >= 0 {
		return pos + nl + 1
	}
	return start
}

// closeQuoted reads a quoted field whose text starts at b[i] and returns
// where reading goes on after it: after the delimiter that follows it, or
// at the line end that does. It returns -1 when text follows the closing
// quote (the record is rejected), and 0 when b ends before that is known.
func closeQuoted(b []byte, i int, comma byte) int {
	for {
		k := bytes.IndexByte(b[i:], '"')
		if k < 0 {
			return 0
		}
		k += i
		if k+1 == len(b) || b[k+1] == '\r' && k+2 == len(b) {
			return 0
		}
		switch c := b[k+1]; {
		case c == '"':
			i = k + 2
		case c == comma:
			return k + 2
		case c == '\n', c == '\r' && b[k+2] == '\n':
			return k + 1
		default:
			return -1
		}
	}
}

// skipRecord returns where the scanner starts again after rejecting the
// record that starts at b[start]: after the record's first line; -1 when
// b does not hold all of that line.
func skipRecord(b []byte, start int) int {
	nl := bytes.IndexByte(b[start:], '\n')
	if nl < 0 {
		return -1
	}
	return start + nl + 1
}
