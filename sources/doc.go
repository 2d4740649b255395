// Package sources turns outside input into a stream of [Item]s: CSV files,
// plain URL lists, JSON Lines, in-memory slices and iterators, and XML
// sitemaps (sitemap indexes and gzip included). [JSONL] decodes JSON Lines
// into a type of your own instead.
//
// Every source is a pipeline source stage built with pipeline.Source. Each
// takes an io.Reader, or a path that is opened when the pipeline runs (not
// when the stage is built) and closed on every path; "-" is standard input
// and a ".gz" name is decompressed (see [Open]).
//
// # Streaming
//
// Sources stream: memory depends on the longest row and the pipeline's
// buffers, never on the size of the input. Rows and lines are capped
// ([DefaultMaxRowBytes] unless configured); sitemaps are decoded entry by
// entry with encoding/xml's token reader.
//
// # Bad input
//
// A malformed row is a per-item failure, not a fatal error: the source hands
// it to the pipeline's failure handler (see pipeline.OnFailure) as a
// [*RowError] carrying the line number and the raw text, and goes on with
// the next row. For the file sources (CSV, lines, JSON Lines)
// Failure.Input is a [BadRow]: the raw text, under the dead-letter key
// "line:N", which no item's key equals (items are keyed by the bare line
// number or a key column; see [BadRow]). The sentinel errors
// ([ErrInvalidURL], [ErrFieldCount], [ErrBareQuote], [ErrQuote],
// [ErrUnterminatedQuote], [ErrRowTooLong], [ErrEmptyKey], [ErrBadJSON],
// [ErrBadSitemap]) tell the cases apart with errors.Is. Only input that
// cannot be read at all is fatal and ends the run: a missing file, a read
// error, an input that cannot be decoded (see Encodings), a CSV header
// without the URL column, a root sitemap that cannot be fetched or
// parsed.
//
// A URL is valid when it is http or https with a host and, if it has
// one, a port from 1 to 65535 (see [ValidateURL]). White space around it
// is removed; the byte offsets in an invalid URL's reason count from the
// start of the field as written, white space included.
//
// # CSV resynchronisation
//
// The CSV reader is line-aware. A record that fails (a bare quote, text
// after a closing quote, a quote never closed, or a bad URL or field
// count in a record spanning lines) costs exactly the physical line it
// started on: that line is reported and parsing starts again on the next
// line. So one stray quote can never swallow the rest of the file, which
// is what encoding/csv does with an unclosed quote. A quote never closed
// is reported at the line where its record starts, with the column (and
// line) where the quote opened; when a later quote seemed to close it
// but is followed by text, the error matches both ErrUnterminatedQuote
// and ErrQuote. A quoted field may span lines, but a record may not grow
// beyond [CSVConfig].MaxRowBytes.
//
// # Real-world CSV
//
// The zero [CSVConfig] reads what spreadsheets and people hand over:
//
//   - Delimiter: sniffed from the first lines (up to 20 records of the
//     first 64 KiB), quote-aware, among ',', ';', tab and '|': the one
//     that splits the most records into the same number of fields. A
//     one-column file (a pasted URL list, whose URLs may hold commas) is
//     not split. A ".tsv" name means tab; a set Comma wins over both.
//   - Quoting: RFC 4180, except in tab-separated input, where a quote is
//     data (set QuotedTabs for Excel's quoted TSV).
//   - Header: the first row is a header unless NoHeader is set, or it
//     holds an http(s) URL and the URL column is not picked by name. The
//     URL column is the one picked, else the one named "url", else the
//     one whose values in the first rows are http(s) URLs.
//   - Ragged rows: a one-line row with more or fewer fields than the
//     header is kept when its URL column holds a valid URL, and reported
//     as a [Warning] (ErrFieldCount) with its line; its Values are the
//     fields as read. Otherwise it fails with ErrFieldCount.
//   - Empty rows (blank, or only delimiters and white space) are skipped,
//     each reported as a Warning (ErrEmptyRow) so they can be counted.
//   - White space around a URL is removed, and reported as a Warning
//     (ErrURLSpace) giving the URL's byte offsets in its field.
//
// [CSVConfig].Warnings receives the warnings and [CSVConfig].Format the
// settled format (delimiter and whether it was sniffed, quoting, header,
// URL column and whether it was found by content, encoding), so that a
// caller can show them. Both are called on the source's goroutine; the
// same input gives the same calls whatever the number of parsers.
//
// # Encodings
//
// CSV and lines sources read UTF-8 and decode other encodings as they
// read. Unless [CSVConfig].Encoding (or [LinesConfig].Encoding) names
// one, the encoding is settled from the first 64 KiB: a byte order mark
// (UTF-8, UTF-16 LE or BE; the mark is dropped), else NUL bytes in every
// other position (UTF-16 without a mark), else UTF-8 if those bytes are
// valid UTF-8, else Windows-1252 (Excel's exports in Western European
// locales; it covers Latin-1). An input none of these decodes is refused,
// a fatal error giving the byte offset: a NUL byte (a binary file, such
// as an .xlsx), a byte Windows-1252 leaves undefined, an unpaired UTF-16
// surrogate or odd last byte (anywhere in the input). Text after the
// first 64 KiB is not checked again: invalid UTF-8 there passes through
// as it is.
//
// # Parallel CSV parsing
//
// A CSV source parses on as many goroutines as there are CPUs
// ([CSVConfig].Parsers). One goroutine cuts the input into blocks of about
// 64 KiB of whole lines, after the last newline with an even number of
// quotes before it; parsers turn blocks into items; the source hands each
// block's items downstream in input order with [pipeline.Emitter.EmitSlice].
// The output (items, failures, warnings, format) is exactly a sequential
// read's: when a quoted field runs to
// the end of a block (malformed quoting fooled the quote count, or a
// record is longer than a block), the items before that record stand and
// the rest of the input is read sequentially from it. A short read (a
// pipe, a terminal) cuts a block at once, so rows do not wait for more
// input. FuzzCSVParallel checks the equivalence on arbitrary input.
//
// # Keys
//
// Each item carries a stable Key for resume and dedupe: the key column or
// field when one is configured, otherwise the line number for file sources
// (CSV, lines, JSON Lines) and the URL for sitemaps and in-memory sources.
// A bad row of a file source is keyed "line:N" (see [BadRow]).
package sources
