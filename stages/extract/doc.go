// Package extract turns fetched pages into data: HTML through CSS selectors
// (goquery's parser and cascadia's selectors, or a streaming extractor for
// the specs it can answer exactly) and JSON through gjson paths.
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
// # Streaming extraction
//
// A full document costs about eight times the page in memory and most of
// the extraction time, even when a job takes three fields. So when a spec
// allows it, [HTML] extracts straight from the tokenizer
// (golang.org/x/net/html's Tokenizer) and never builds the document: it
// replays html.Parse's tree construction on a stack of open elements only,
// matches selectors (still cascadia's) as elements open, captures text
// while they are open, and computes the values at the end of the page with
// the same code and rules as the document path — same records, same
// errors. The choice is made per spec at [NewHTML] and can be seen with
// [HTML.Streams]; [ForceDOM] turns it off for debugging.
//
// A spec streams when it has no Func field, no take html or outer_html,
// and every selector (items, fields, nested fields) is in this subset —
// the selectors whose match depends only on the element and its
// ancestors:
//
//   - type selectors and *; #id; .class
//   - [attr] and [attr op value] with op = ~= |= ^= $= *= != and the i flag
//   - :first-child, :root, and :not() of these
//   - compounds of the above, the descendant (space) and child (>)
//     combinators, and groups (a, b)
//
// Identifiers and strings with backslash escapes, sibling combinators,
// :last-child, :nth-*, :has, :contains, :empty and pseudo-elements need
// the document.
//
// The fallback rule is per page: the stream models only the part of the
// HTML tree construction algorithm where the tree is what the tags say —
// implied end tags (<p>, <li>, <dd>, <dt>, headings, <option>, ruby),
// void elements, unclosed and stray end tags, forms, <select>, raw text
// (<script>, <style>, <title>, <textarea>, <noscript>, <iframe>, <xmp>),
// leading newlines of <pre> and <textarea>, the implied <html>, <head>
// and <body>, properly closed formatting elements. A page that needs
// more — any table, <template>, SVG or MathML, frames, <object>,
// <marquee>, <nobr>, <plaintext>, a formatting element that would
// be reconstructed or adopted (<p><b>x</p>y), attributes on a second
// <html> or <body>, a head element after </head>, more than 512 open
// elements — is detected at its first such token and parsed into a full
// document instead, giving the same answer. The stream never guesses.
// (A page with a <table>, <svg>, <math>, <template> or <frameset> tag
// anywhere is parsed at once, without streaming up to the tag first.)
//
// Extractors are safe for concurrent use by any number of workers.
package extract
