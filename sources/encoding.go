package sources

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/transform"
)

// Input encodings. A text source reads UTF-8; other encodings are decoded
// to UTF-8 as the input is read. Without a configured encoding the source
// decides from the first bytes (the sample): a byte order mark (UTF-8,
// UTF-16 LE or BE), else NUL bytes in every other position (UTF-16
// without a mark), else valid UTF-8, else Windows-1252, the encoding of
// Excel's exports in Western European locales (it decodes Latin-1 too).
// A sample that none of these decodes (a NUL byte in 8-bit text, as in a
// spreadsheet's binary file, or one of the five bytes Windows-1252 leaves
// undefined) is refused with its byte offset.

const (
	// sampleSize is the most a source reads before deciding the
	// encoding and, for CSV, the delimiter and the header.
	sampleSize = 64 << 10
	// sampleLines is how many whole lines a sample needs before a short
	// read (a pipe, a terminal) ends it: more would make the first rows
	// wait for input that may be slow to come.
	sampleLines = 2
)

// Encoding names as reported in CSVFormat.Encoding.
const (
	encUTF8        = "utf-8"
	encUTF16LE     = "utf-16le"
	encUTF16BE     = "utf-16be"
	encWindows1252 = "windows-1252"
)

// textInput is an input decoded to UTF-8.
type textInput struct {
	r        io.Reader // the decoded input, from its start
	sample   []byte    // the start of the decoded input, without a BOM
	ended    bool      // the sample is the whole input
	encoding string    // the input's encoding, as named above
}

// openText reads the start of r, settles its encoding (named, or
// detected when name is ""), and returns r decoded to UTF-8.
func openText(r io.Reader, name string) (textInput, error) {
	raw, rerr := readSample(r)
	rest := io.Reader(bytes.NewReader(raw))
	switch {
	case rerr == nil:
		rest = io.MultiReader(rest, r)
	case !errors.Is(rerr, io.EOF):
		rest = io.MultiReader(rest, errReader{rerr})
	}
	enc, err := pickEncoding(raw, name, rerr != nil)
	if err != nil {
		return textInput{}, err
	}
	in := textInput{encoding: enc, ended: rerr != nil}
	switch enc {
	case encUTF8:
		in.r, in.sample = rest, bytes.TrimPrefix(raw, utf8BOM)
		return in, nil
	case encUTF16LE, encUTF16BE:
		in.r = newUTF16Reader(rest, enc == encUTF16BE)
		in.sample, err = decodeUTF16Sample(raw, enc == encUTF16BE)
		return in, err
	}
	e, err := htmlindex.Get(enc)
	if enc == encWindows1252 {
		e, err = charmap.Windows1252, nil
	}
	if err != nil {
		return textInput{}, fmt.Errorf("sources: encoding %q: %w", name, err)
	}
	in.r = transform.NewReader(rest, e.NewDecoder())
	in.sample, _ = io.ReadAll(transform.NewReader(bytes.NewReader(raw), e.NewDecoder()))
	return in, nil
}

// readSample reads up to sampleSize bytes of r: until it is full, the
// input ends, or a short read leaves it holding sampleLines lines.
func readSample(r io.Reader) ([]byte, error) {
	buf := make([]byte, 0, sampleSize)
	for len(buf) < cap(buf) {
		free := buf[len(buf):cap(buf)]
		n, err := r.Read(free)
		buf = buf[:len(buf)+n]
		if err != nil {
			return buf, err
		}
		if n < len(free) && bytes.Count(buf, newline) >= sampleLines {
			break
		}
	}
	return buf, nil
}

// pickEncoding returns the encoding named, or the one detected in
// sample, which is all of the input when ended is set.
func pickEncoding(sample []byte, name string, ended bool) (string, error) {
	switch n := strings.ToLower(strings.TrimSpace(name)); n {
	case "":
	case "utf8", encUTF8:
		return encUTF8, nil
	case encUTF16LE, encUTF16BE:
		return n, nil
	default:
		e, err := htmlindex.Get(n)
		if err != nil {
			return "", fmt.Errorf("sources: encoding %q: %w", name, err)
		}
		return htmlindex.Name(e)
	}
	switch {
	case bytes.HasPrefix(sample, utf8BOM):
		return encUTF8, nil
	case bytes.HasPrefix(sample, []byte{0xFF, 0xFE}):
		return encUTF16LE, nil
	case bytes.HasPrefix(sample, []byte{0xFE, 0xFF}):
		return encUTF16BE, nil
	}
	if enc := guessUTF16(sample); enc != "" {
		return enc, nil
	}
	if i := bytes.IndexByte(sample, 0); i >= 0 {
		return "", fmt.Errorf("sources: byte %d is NUL: not a text file", i)
	}
	if validUTF8Start(sample, ended) {
		return encUTF8, nil
	}
	for i, c := range sample {
		switch c {
		case 0x81, 0x8D, 0x8F, 0x90, 0x9D:
			return "", fmt.Errorf("sources: byte %d (0x%02X) is neither UTF-8 nor Windows-1252", i, c)
		}
	}
	return encWindows1252, nil
}

// guessUTF16 recognises UTF-16 without a byte order mark by its NUL
// bytes: in text that is mostly ASCII, every other byte is 0.
func guessUTF16(s []byte) string {
	n := min(len(s), 512) &^ 1
	var even, odd int
	for i := range n {
		if s[i] == 0 {
			if i%2 == 0 {
				even++
			} else {
				odd++
			}
		}
	}
	switch {
	case n < 4:
	case even == 0 && odd*3 >= n:
		return encUTF16LE
	case odd == 0 && even*3 >= n:
		return encUTF16BE
	}
	return ""
}

// validUTF8Start reports whether s is valid UTF-8, allowing a rune cut
// at its end unless the input ended there.
func validUTF8Start(s []byte, ended bool) bool {
	if utf8.Valid(s) {
		return true
	}
	if ended {
		return false
	}
	for i := len(s) - 1; i >= 0 && i >= len(s)-utf8.UTFMax; i-- {
		if utf8.RuneStart(s[i]) {
			return !utf8.FullRune(s[i:]) && utf8.Valid(s[:i])
		}
	}
	return false
}
