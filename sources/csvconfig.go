package sources

import (
	"fmt"
	"runtime"
)

// CSVConfig configures a CSV source. The zero value reads a file of any
// usual delimiter and encoding, with or without a header row, taking its
// URLs from the column named "url" or else from the column that holds
// URLs (see the package documentation, "Real-world CSV").
type CSVConfig struct {
	// URLColumn picks the column holding the URL. Zero: the column whose
	// header is "url" (any case); without one, or without a header, the
	// column whose values in the first rows are http(s) URLs.
	URLColumn Column
	// KeyColumn picks the column holding each row's stable key. Zero: the
	// row's line number.
	KeyColumn Column
	// Comma is the field delimiter. Zero sniffs it from the first lines
	// (',', ';', tab or '|'), except that a ".tsv" file name means tab;
	// Format reports the choice. Any ASCII character but '"', '\r' and
	// '\n' works.
	Comma rune
	// QuotedTabs reads quotes in tab-separated input as RFC 4180 quotes.
	// By default a tab-separated file has no quoting: a quote is data.
	QuotedTabs bool
	// NoHeader says the first row is data. Without it the first row is a
	// header unless it holds an http(s) URL and URLColumn is not picked by
	// name. Without a header, columns are picked with ColumnAt (or found
	// by content) and named "0", "1", ... in Item.Columns, as many as the
	// first row has fields.
	NoHeader bool
	// Encoding names the input's encoding ("utf-8", "utf-16le",
	// "windows-1250", any WHATWG label). Empty detects it: a byte order
	// mark, else UTF-8, else Windows-1252 (see the package documentation).
	Encoding string
	// Warnings, when set, is called for each fault the source read past:
	// a ragged row kept, an empty row skipped, white space trimmed from a
	// URL (see [Warning]). It is called on the source's goroutine, in
	// input order, not in step with the items' arrival downstream.
	Warnings func(Warning)
	// Format, when set, is called once with how the source reads the
	// input (delimiter, header, URL column, encoding), when the first row
	// has been read and before any item is emitted.
	Format func(CSVFormat)
	// AllowFileURLs accepts file: URLs, which are rejected by default.
	AllowFileURLs bool
	// MaxRowBytes caps one record, quoted newlines included. Zero means
	// DefaultMaxRowBytes.
	MaxRowBytes int
	// Parsers is how many goroutines parse the input at once. Zero means
	// one per CPU (GOMAXPROCS), at most 8; 1 parses on the source's own
	// goroutine, reading 64 KiB at a time. Items come out in input order
	// and failures are the same whatever the number (see the package
	// documentation).
	Parsers int

	// blockSize is the parsers' block size; 0 means csvBlockSize. Tests
	// make it small to cross many block boundaries.
	blockSize int
	// lineByLine reads the input one line at a time with no blocks: the
	// plain sequential reader, which the block readers fall back on and
	// which tests compare them with.
	lineByLine bool
}

// parsers returns how many goroutines parse the input.
func (cfg CSVConfig) parsers() (int, error) {
	switch {
	case cfg.Parsers < 0:
		return 0, fmt.Errorf("sources: csv: Parsers is %d; want 0 (one per CPU) or more", cfg.Parsers)
	case cfg.Parsers > 0:
		return cfg.Parsers, nil
	}
	return min(runtime.GOMAXPROCS(0), maxCSVParsers), nil
}

// maxCSVParsers caps the default number of parsers: beyond it the stage
// that takes the items is the limit on any machine.
const maxCSVParsers = 8

func (cfg CSVConfig) comma() (byte, error) {
	switch r := cfg.Comma; {
	case r == 0:
		return ',', nil
	case r >= 0x80 || r == '"' || r == '\r' || r == '\n':
		return 0, fmt.Errorf("sources: csv: delimiter %q not supported", r)
	default:
		return byte(r), nil
	}
}
