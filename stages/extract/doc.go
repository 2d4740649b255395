// Package extract turns fetched pages into data: HTML through CSS selectors
// (goquery's parser and cascadia's selectors) and JSON through gjson paths.
//
// There are two paths, and both produce plain values — no goquery document,
// selection or html.Node ever leaves this package:
//
//   - A declarative spec ([HTMLSpec], [JSONSpec]) usable from Go and from
//     YAML produces [record.Record] values with typed fields (string, int64,
//     float64, bool, []string, []any).
//   - Struct tags ([NewStruct], [NewJSONStruct]) decode into the user's own
//     types, so Go users keep their types end to end.
//
// Everything that can be checked is checked once, at construction: selectors
// are compiled with cascadia (an invalid selector is a [*SelectorError]
// naming the field, the selector and the byte offset where it goes wrong —
// goquery's string methods would silently match nothing), regular
// expressions are compiled, defaults are converted to their field's type.
//
// At run time, a page that cannot produce its records — a missing required
// field ([*MissingFieldError]), a value that does not convert
// ([*ConvertError]), malformed JSON ([*JSONSyntaxError]) — fails as a unit
// with a [pipeline.Skip] error naming the URL: the page is dropped, counted
// and dead-lettered, and no partial set of its records is emitted. This keeps
// "all records of a page, or none" true for exactly-once resume.
//
// Extractors are safe for concurrent use by any number of workers.
package extract
