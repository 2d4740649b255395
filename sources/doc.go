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
// [*RowError] carrying the line number and the raw text (Failure.Input is
// the raw text), and goes on with the next row. The sentinel errors
// ([ErrInvalidURL], [ErrFieldCount], [ErrBareQuote], [ErrQuote],
// [ErrUnterminatedQuote], [ErrRowTooLong], [ErrEmptyKey], [ErrBadJSON],
// [ErrBadSitemap]) tell the cases apart with errors.Is. Only input that
// cannot be read at all is fatal and ends the run: a missing file, a read
// error, a CSV header without the URL column, a root sitemap that cannot
// be fetched or parsed.
//
// # CSV resynchronisation
//
// The CSV reader is line-aware. A record that breaks the quoting rules (a
// bare quote, text after a closing quote, a quote never closed) costs
// exactly the physical line it started on: that line is reported and
// parsing starts again on the next line. So one stray quote can never
// swallow the rest of the file, which is what encoding/csv does with an
// unclosed quote. A quoted field may span lines, but a record may not grow
// beyond [CSVConfig].MaxRowBytes. Lines holding only spaces and tabs are
// skipped, like empty ones.
//
// # Parallel CSV parsing
//
// A CSV source parses on as many goroutines as there are CPUs
// ([CSVConfig].Parsers). One goroutine cuts the input into blocks of about
// 64 KiB of whole lines, after the last newline with an even number of
// quotes before it; parsers turn blocks into items; the source hands each
// block's items downstream in input order with [pipeline.Emitter.EmitSlice].
// The output is exactly a sequential read's: when a quoted field runs to
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
package sources
