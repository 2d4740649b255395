package sources

import (
	"bytes"
	"errors"
	"fmt"
	"io"
)

// csvScanner reads CSV records line by line (RFC 4180, strict quoting,
// or no quoting at all). On a quoting error it reports the record's first
// line and pushes the record's other lines back, so parsing resumes on
// the line after the one the bad record started on.
type csvScanner struct {
	lr    *lineReader
	comma byte
	// quote is '"', or '\n' for no quoting: a line holds no '\n', so
	// every line is then read as plain fields.
	quote byte
	max   int
	buf   []byte     // the current record's unescaped fields, delimiter-separated
	ends  []int      // end offset in buf of each field
	held  []physLine // owned copies of a multi-line record's earlier lines
	last  physLine   // the last line of the record just returned
	size  int        // bytes of the current record so far
	slab  []string   // block the records' []string are cut from
	num   decimal    // the last line number written by done
	// ranOut is set when a quoted field ran to the end of the input; in
	// a block of a parallel source that means the record goes on in the
	// next block.
	ranOut bool
	// lineField makes done add the record's line number, in decimal, as
	// an extra last field, sharing the fields' allocation.
	lineField bool
	// openLine and openCol are where the last quoted field opened (its
	// first byte of text, 0-based), for error messages.
	openLine, openCol int
	// countBlank makes scan note the blank lines it skips in blanks.
	countBlank bool
	blanks     []int
}

func newCSVScanner(r io.Reader, comma byte, max int) *csvScanner {
	return newLineScanner(newLineReader(r, max), comma, true)
}

// newLineScanner returns a scanner of the lines lr reads; without quotes,
// a quote is a byte like any other.
func newLineScanner(lr *lineReader, comma byte, quotes bool) *csvScanner {
	s := &csvScanner{lr: lr, comma: comma, quote: '"', max: lr.max}
	if !quotes {
		s.quote = '\n'
	}
	return s
}

// reset makes the scanner read the lines of lr next, keeping its blocks
// of text and strings.
func (s *csvScanner) reset(lr *lineReader) {
	s.lr, s.max, s.ranOut = lr, lr.max, false
}

// scan returns the next record's fields and the line it starts on. A
// malformed record yields a *RowError (keep scanning); io.EOF ends the
// input; any other error is a read error.
func (s *csvScanner) scan() ([]string, int, error) {
	for {
		l, err := s.lr.next()
		if err != nil {
			return nil, 0, err
		}
		if l.tooLong() {
			return nil, l.num(), rowErr(l, fmt.Errorf("%w: line over %d bytes", ErrRowTooLong, s.max))
		}
		if isBlank(l.text) {
			if s.countBlank {
				s.blanks = append(s.blanks, l.num())
			}
			continue
		}
		return s.record(l)
	}
}

// record parses the record starting on line first.
func (s *csvScanner) record(first physLine) ([]string, int, error) {
	s.buf, s.ends, s.held, s.size = s.text(), s.ends[:0], s.held[:0], len(first.text)
	if bytes.IndexByte(first.text, s.quote) < 0 {
		return s.plain(first), first.num(), nil
	}
	cur, pos := first, 0
	for {
		b := cur.text
		if pos < len(b) && b[pos] == '"' {
			var err error
			cur, pos, err = s.quoted(first, cur, pos+1)
			if err != nil {
				return nil, first.num(), err
			}
			if pos < 0 {
				return s.done(first.num(), cur), first.num(), nil
			}
			continue
		}
		i := bytes.IndexByte(b[pos:], s.comma)
		field := b[pos:]
		if i >= 0 {
			field = b[pos : pos+i]
		}
		if q := bytes.IndexByte(field, '"'); q >= 0 {
			return nil, first.num(), s.fail(first, cur, fmt.Errorf("%w%s", ErrBareQuote, where(first, cur, pos+q)))
		}
		s.buf = append(s.buf, field...)
		s.ends = append(s.ends, len(s.buf))
		if i < 0 {
			return s.done(first.num(), cur), first.num(), nil
		}
		s.buf = append(s.buf, s.comma)
		pos += i + 1
	}
}

// quoted parses a quoted field whose content starts at cur.text[pos]. It
// returns the line and position after the field's delimiter, or pos -1
// when the field ended the record.
func (s *csvScanner) quoted(first, cur physLine, pos int) (physLine, int, error) {
	s.openLine, s.openCol = cur.num(), pos
	for {
		b := cur.text
		i := bytes.IndexByte(b[pos:], '"')
		if i < 0 {
			s.buf = append(append(s.buf, b[pos:]...), '\n')
			next, err := s.continueLine(first, cur)
			if err != nil {
				return cur, 0, err
			}
			cur, pos = next, 0
			continue
		}
		s.buf = append(s.buf, b[pos:pos+i]...)
		pos += i + 1
		switch {
		case pos < len(b) && b[pos] == '"':
			s.buf = append(s.buf, '"')
			pos++
		case pos == len(b):
			s.ends = append(s.ends, len(s.buf))
			return cur, -1, nil
		case b[pos] == s.comma:
			s.ends = append(s.ends, len(s.buf))
			s.buf = append(s.buf, s.comma)
			return cur, pos + 1, nil
		default:
			return cur, 0, s.fail(first, cur, s.quoteError(first, cur, pos))
		}
	}
}

// continueLine reads the next line of a record whose quoted field spans
// lines, holding a copy of cur for a possible rewind.
func (s *csvScanner) continueLine(first, cur physLine) (physLine, error) {
	s.held = append(s.held, own(cur))
	next, err := s.lr.next()
	if errors.Is(err, io.EOF) {
		s.ranOut = true
		return cur, s.fail(first, physLine{}, fmt.Errorf("%w before end of input%s", ErrUnterminatedQuote, s.opened(first)))
	}
	if err != nil {
		return cur, err
	}
	s.size += len(next.text) + 1
	if next.tooLong() || s.size > s.max {
		s.lr.unread([]physLine{own(next)})
		return cur, s.fail(first, physLine{}, fmt.Errorf("%w within %d bytes%s", ErrUnterminatedQuote, s.max, s.opened(first)))
	}
	return next, nil
}

// fail builds the RowError for a record that broke the quoting rules and
// pushes back every line of it after the first (cur, when set, is the line
// being parsed and not yet held).
func (s *csvScanner) fail(first, cur physLine, err error) error {
	var back []physLine
	if len(s.held) > 1 {
		back = append(back, s.held[1:]...)
	}
	if cur.num() != 0 && cur.num() != first.num() {
		back = append(back, own(cur))
	}
	s.lr.unread(back)
	raw := first
	if len(s.held) > 0 {
		raw = s.held[0]
	}
	return rowErr(raw, err)
}

// plain parses a record that is one line without any quote: its fields
// are the line split at the delimiter, so the line is taken as it is.
func (s *csvScanner) plain(l physLine) []string {
	// The delimiters are looked for in the line, not in its copy in buf:
	// reading bytes just written stalls the loads (store forwarding), which
	// made this search three times slower.
	for pos := 0; ; pos++ {
		i := bytes.IndexByte(l.text[pos:], s.comma)
		if i < 0 {
			break
		}
		pos += i
		s.ends = append(s.ends, pos)
	}
	s.ends = append(s.ends, len(l.text))
	s.buf = append(s.buf, l.text...)
	return s.done(l.num(), l)
}

// done records the record's last line and turns the parsed record into
// strings sharing one allocation. In buf, each field but the last is
// followed by one delimiter byte, which is not part of it; ends holds
// where each field ends.
func (s *csvScanner) done(line int, last physLine) []string {
	s.last = last
	if s.lineField {
		s.buf = append(append(s.buf, s.comma), s.num.of(line)...)
		s.ends = append(s.ends, len(s.buf))
	}
	str := s.seal()
	out := s.strings(len(s.ends))
	start := 0
	for i, end := range s.ends {
		out[i] = str[start:end]
		start = end + 1
	}
	return out
}

// raw returns the text of the record scan just returned, for error
// reports. It is valid only until the next scan.
func (s *csvScanner) raw() string {
	if len(s.held) == 0 {
		return string(s.last.text)
	}
	var b []byte
	for _, l := range s.held {
		b = append(append(b, l.text...), '\n')
	}
	return string(append(b, s.last.text...))
}

// rewind pushes back the lines of the record scan just returned after
// its first, so that scanning resumes on its second line, and returns
// the first line's text: a record that fails costs only its first line.
func (s *csvScanner) rewind() string {
	if len(s.held) == 0 {
		return string(s.last.text)
	}
	back := make([]physLine, 0, len(s.held))
	back = append(append(back, s.held[1:]...), own(s.last))
	s.lr.unread(back)
	return string(s.held[0].text)
}

func rowErr(l physLine, err error) *RowError {
	return &RowError{Line: l.num(), Raw: string(l.text), Err: err}
}

func own(l physLine) physLine {
	l.text = bytes.Clone(l.text)
	return l
}
