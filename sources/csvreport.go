package sources

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinel reasons of a [Warning]; test for them with errors.Is.
var (
	// ErrEmptyRow: a CSV row was blank or held only delimiters and white
	// space; it was skipped.
	ErrEmptyRow = errors.New("sources: empty row skipped")
	// ErrURLSpace: a CSV row's URL had white space around it, which was
	// removed; the row was kept.
	ErrURLSpace = errors.New("sources: white space around url removed")
)

// Warning is a fault a CSV source read past: a row with more or fewer
// fields than the header but a valid URL (kept; errors.Is(w.Err,
// ErrFieldCount)), an empty row (skipped; ErrEmptyRow), a URL with white
// space around it (kept, trimmed; ErrURLSpace). A caller sees warnings
// through [CSVConfig].Warnings, and counts them there.
type Warning struct {
	// Source names the input: a file path, or "" for a reader.
	Source string
	// Line is the 1-based line the row starts on.
	Line int
	// Raw is the row as read, without its line terminator.
	Raw string
	// Err says what was wrong; errors.Is matches the sentinels.
	Err error
}

// String returns "sources: [source: ]line N: warning: reason".
func (w Warning) String() string {
	reason := strings.TrimPrefix(w.Err.Error(), "sources: ")
	if w.Source != "" {
		return fmt.Sprintf("sources: %s: line %d: warning: %s", w.Source, w.Line, reason)
	}
	return fmt.Sprintf("sources: line %d: warning: %s", w.Line, reason)
}

// CSVFormat is how a CSV source reads its input, settled from the
// configuration and the input's first lines. [CSVConfig].Format receives
// it, so that a caller can show it.
type CSVFormat struct {
	// Comma is the field delimiter.
	Comma rune
	// Sniffed says Comma was guessed from the input's first lines, not
	// configured or taken from a ".tsv" name.
	Sniffed bool
	// Quotes says quotes are read as RFC 4180 quotes. In tab-separated
	// input they are data, unless [CSVConfig].QuotedTabs is set.
	Quotes bool
	// Header says the first row is a header. It is not when
	// [CSVConfig].NoHeader is set, or when the first row holds a URL and
	// the URL column is not picked by name.
	Header bool
	// URLColumn is the 0-based position of the URL column.
	URLColumn int
	// URLFound says the URL column was found by content: it was not
	// picked, and no header names it "url".
	URLFound bool
	// Encoding is the input's encoding: "utf-8", "utf-16le", "utf-16be",
	// "windows-1252", or a configured one.
	Encoding string
}

// String describes f in a few words, e.g. `';' (sniffed), header, url
// column 2, windows-1252`.
func (f CSVFormat) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%q", f.Comma)
	if f.Sniffed {
		b.WriteString(" (sniffed)")
	}
	if !f.Quotes {
		b.WriteString(", no quoting")
	}
	if f.Header {
		b.WriteString(", header")
	} else {
		b.WriteString(", no header")
	}
	fmt.Fprintf(&b, ", url column %d", f.URLColumn)
	if f.URLFound {
		b.WriteString(" (by content)")
	}
	b.WriteString(", " + f.Encoding)
	return b.String()
}
