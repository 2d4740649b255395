package sources

import (
	"bufio"
	"bytes"
	"errors"
	"io"
)

// DefaultMaxRowBytes is the row (and line) size limit when a config leaves
// it zero.
const DefaultMaxRowBytes = 1 << 20

const readBufferSize = 64 << 10

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// physLine is one physical line of input, without its terminator. It is
// kept to 32 bytes so that the compiler keeps it in registers: a larger
// struct is copied through memory at each assignment and call, which cost
// the CSV scanner about 15 ns a row (a stalled store-to-load forward).
type physLine struct {
	text []byte
	// tag is the 1-based line number times 2, plus 1 when text was cut at
	// the size limit (the rest of the line was discarded).
	tag int
}

func newPhysLine(text []byte, num int, tooLong bool) physLine {
	l := physLine{text: text, tag: num << 1}
	if tooLong {
		l.tag |= 1
	}
	return l
}

// num returns the line's 1-based number (0 for the zero physLine).
func (l physLine) num() int { return l.tag >> 1 }

// tooLong reports whether the line was cut at the size limit.
func (l physLine) tooLong() bool { return l.tag&1 != 0 }

// lineReader hands out physical lines with their numbers. It strips a
// UTF-8 byte order mark at the start, "\n" and "\r\n" terminators, and cuts
// lines longer than max. Lines can be pushed back (unread) so a parser can
// resynchronise after a bad record; pushed-back lines are owned copies, so
// the queue never exceeds one record.
type lineReader struct {
	br *bufio.Reader
	// data, when br is nil, holds the rest of an in-memory input: a block
	// of whole lines handed to one parser of a parallel CSV source. Lines
	// are then slices of it, not copies.
	data    []byte
	max     int
	num     int
	queue   []physLine
	long    []byte
	started bool
}

func newLineReader(r io.Reader, max int) *lineReader {
	if max <= 0 {
		max = DefaultMaxRowBytes
	}
	return &lineReader{br: bufio.NewReaderSize(r, readBufferSize), max: max}
}

// newBlockLineReader reads the lines of data, an in-memory run of whole
// lines whose first is line number first. A byte order mark is stripped
// only when data starts the input (first is 1).
func newBlockLineReader(data []byte, first, max int) *lineReader {
	if max <= 0 {
		max = DefaultMaxRowBytes
	}
	return &lineReader{data: data, max: max, num: first - 1, started: first > 1}
}

// next returns the next line, or io.EOF after the last one. l.text is
// valid until the next call, unless the line came from the queue.
func (lr *lineReader) next() (physLine, error) {
	if len(lr.queue) > 0 {
		l := lr.queue[0]
		lr.queue = lr.queue[1:]
		return l, nil
	}
	b, tooLong, err := lr.read()
	if err != nil {
		return physLine{}, err
	}
	lr.num++
	if !lr.started {
		lr.started = true
		b = bytes.TrimPrefix(b, utf8BOM)
	}
	return newPhysLine(b, lr.num, tooLong), nil
}

// unread puts owned lines back in front of the queue, to be returned by
// next in order.
func (lr *lineReader) unread(lines []physLine) {
	if len(lines) == 0 {
		return
	}
	q := make([]physLine, 0, len(lines)+len(lr.queue))
	lr.queue = append(append(q, lines...), lr.queue...)
}

func (lr *lineReader) read() ([]byte, bool, error) {
	if lr.br == nil {
		return lr.readData()
	}
	b, err := lr.br.ReadSlice('\n')
	switch {
	case err == nil:
	case errors.Is(err, bufio.ErrBufferFull):
		return lr.readLong(b)
	case errors.Is(err, io.EOF) && len(b) > 0:
	default:
		return nil, false, err
	}
	b = trimEOL(b)
	if len(b) > lr.max {
		return b[:lr.max], true, nil
	}
	return b, false, nil
}

// readData is read for an in-memory input.
func (lr *lineReader) readData() ([]byte, bool, error) {
	if len(lr.data) == 0 {
		return nil, false, io.EOF
	}
	b := lr.data
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		b = b[:i+1]
	}
	lr.data = lr.data[len(b):]
	b = trimEOL(b)
	if len(b) > lr.max {
		return b[:lr.max], true, nil
	}
	return b, false, nil
}

// readLong collects a line longer than the read buffer, keeping at most max
// bytes and discarding the rest up to the end of the line.
func (lr *lineReader) readLong(first []byte) ([]byte, bool, error) {
	lr.long = append(lr.long[:0], first...)
	for {
		b, err := lr.br.ReadSlice('\n')
		// The last piece is kept even past max when it is only the line
		// end, so that a "\r" kept before it is trimmed with it.
		if len(lr.long) <= lr.max || err == nil && len(b) <= 2 {
			lr.long = append(lr.long, b...)
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return nil, false, err
		}
		line := trimEOL(lr.long)
		if len(line) > lr.max {
			return line[:lr.max], true, nil
		}
		return line, false, nil
	}
}

func trimEOL(b []byte) []byte {
	if n := len(b); n > 0 && b[n-1] == '\n' {
		b = b[:n-1]
	}
	if n := len(b); n > 0 && b[n-1] == '\r' {
		b = b[:n-1]
	}
	return b
}

// isBlank reports whether b holds only spaces and tabs.
func isBlank(b []byte) bool {
	for _, c := range b {
		if c != ' ' && c != '\t' {
			return false
		}
	}
	return true
}
