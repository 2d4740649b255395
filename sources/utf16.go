package sources

import (
	"errors"
	"fmt"
	"io"
	"unicode/utf16"
	"unicode/utf8"
)

// utf16Reader decodes UTF-16 to UTF-8. Unlike x/text's decoder, which
// puts U+FFFD in place of what it cannot decode, it fails with the byte
// offset of an unpaired surrogate or of an odd last byte, so a damaged
// input is refused rather than silently changed. A byte order mark at
// the start is dropped.
type utf16Reader struct {
	r     io.Reader
	be    bool
	in    []byte // undecoded input: at most a unit and a half carried over
	buf   []byte // decoded input
	out   []byte // the part of buf not yet read
	off   int64  // the input offset of in[0]
	err   error  // the error that ended r
	start bool   // the start of the input was decoded
}

func newUTF16Reader(r io.Reader, be bool) *utf16Reader {
	return &utf16Reader{r: r, be: be}
}

// Read decodes into p.
func (d *utf16Reader) Read(p []byte) (int, error) {
	for len(d.out) == 0 {
		if d.err != nil {
			return 0, d.err
		}
		d.fill()
	}
	n := copy(p, d.out)
	d.out = d.out[n:]
	return n, nil
}

// fill reads and decodes the next piece of input.
func (d *utf16Reader) fill() {
	if cap(d.in) == 0 {
		d.in = make([]byte, 0, readBufferSize)
	}
	n, err := d.r.Read(d.in[len(d.in):cap(d.in)])
	d.in = d.in[:len(d.in)+n]
	ended := err != nil
	out, used, derr := decodeUTF16(d.buf[:0], d.in, d.be, ended, d.off, !d.start)
	d.start = d.start || used > 0
	d.buf, d.out, d.off = out, out, d.off+int64(used)
	d.in = append(d.in[:0], d.in[used:]...)
	switch {
	case derr != nil:
		d.err = derr
	case errors.Is(err, io.EOF) && len(d.in) > 0:
		d.err = fmt.Errorf("sources: utf-16: odd byte at the end (offset %d)", d.off)
	case err != nil:
		d.err = err
	}
}

// decodeUTF16 appends the UTF-8 of the whole code points at the start of
// src to dst and returns how many bytes of src it used. A surrogate pair
// cut at the end of src is left for the next call, unless ended. off is
// src's offset in the input, for errors; bom drops a leading mark.
func decodeUTF16(dst, src []byte, be, ended bool, off int64, bom bool) ([]byte, int, error) {
	i := 0
	for i+1 < len(src) {
		u := unit16(src[i:], be)
		switch {
		case i == 0 && bom && u == 0xFEFF:
			i += 2
			continue
		case !utf16.IsSurrogate(rune(u)):
			dst = utf8.AppendRune(dst, rune(u))
			i += 2
			continue
		case u >= 0xDC00: // a low surrogate first
			return dst, i, fmt.Errorf("sources: utf-16: unpaired surrogate at byte %d", off+int64(i))
		case i+3 >= len(src) && !ended:
			return dst, i, nil
		case i+3 >= len(src):
			return dst, i, fmt.Errorf("sources: utf-16: unpaired surrogate at byte %d", off+int64(i))
		}
		r := utf16.DecodeRune(rune(u), rune(unit16(src[i+2:], be)))
		if r == utf8.RuneError {
			return dst, i, fmt.Errorf("sources: utf-16: unpaired surrogate at byte %d", off+int64(i))
		}
		dst = utf8.AppendRune(dst, r)
		i += 4
	}
	return dst, i, nil
}

// decodeUTF16Sample decodes the sample of a UTF-16 input.
func decodeUTF16Sample(raw []byte, be bool) ([]byte, error) {
	out, _, err := decodeUTF16(make([]byte, 0, len(raw)), raw, be, false, 0, true)
	return out, err
}

func unit16(b []byte, be bool) uint16 {
	if be {
		return uint16(b[0])<<8 | uint16(b[1])
	}
	return uint16(b[1])<<8 | uint16(b[0])
}
