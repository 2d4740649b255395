// Package sources turns outside input into a stream of [Item]s: CSV files,
// plain URL lists, JSON Lines, in-memory slices and iterators, and XML
// sitemaps (including sitemap indexes and gzip).
//
// Every source streams: memory depends on the longest row and the
// pipeline's buffers, never on the size of the input. Files are opened when
// the pipeline runs, not when the stage is built, and closed on every path.
//
// # Bad input
//
// A malformed row is a per-item failure, not a fatal error: the source hands
// it to the pipeline's failure handler (see pipeline.OnFailure) as a
// [*RowError] carrying the line number and the raw text, and goes on with
// the next row. The sentinel errors ([ErrInvalidURL], [ErrFieldCount],
// [ErrBareQuote], [ErrQuote], [ErrUnterminatedQuote], [ErrRowTooLong],
// [ErrBadJSON]) tell the cases apart with errors.Is. Only input that cannot
// be read at all (a missing file, an I/O error, a CSV header without the URL
// column, an unreachable root sitemap) is fatal and ends the run.
//
// # CSV resynchronisation
//
// The CSV reader is line-aware. A record that breaks the quoting rules (a
// bare quote, text after a closing quote, a quote never closed) costs
// exactly the physical line it started on: that line is reported and
// parsing starts again on the next line. So one stray quote can never
// swallow the rest of the file, which is what encoding/csv does with an
// unclosed quote. A quoted field may span lines, but a record may not grow
// beyond [CSVConfig].MaxRowBytes.
//
// # Keys
//
// Each item carries a stable Key for resume and dedupe: the key column when
// one is configured, otherwise the line number for file sources (CSV, lines)
// and the URL for sitemaps and in-memory sources.
package sources
