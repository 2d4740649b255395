package sources

import "fmt"

// The messages of quoting errors say where things are: the column of the
// fault, the line when the record spans lines, and where a quoted field
// that was never closed opened.

// opened says where the quoted field that was not closed opened.
func (s *csvScanner) opened(first physLine) string {
	if s.openLine == first.num() {
		return fmt.Sprintf(" (opened at column %d)", s.openCol)
	}
	return fmt.Sprintf(" (opened at line %d, column %d)", s.openLine, s.openCol)
}

// quoteError reports a closing quote at cur.text[pos-1] followed by text.
// When its field opened on an earlier line, the likely fault is a quote
// never closed, which swallowed the lines after it: the error says where
// the field opened, and matches ErrUnterminatedQuote as well as ErrQuote.
func (s *csvScanner) quoteError(first, cur physLine, pos int) error {
	if s.openLine == cur.num() {
		return fmt.Errorf("%w%s", ErrQuote, where(first, cur, pos))
	}
	return &spanQuoteError{fmt.Sprintf("%s%s: the quote at line %d, column %d is followed by text",
		ErrUnterminatedQuote, s.opened(first), cur.num(), pos)}
}

// spanQuoteError is a quoted field spanning lines whose closing quote is
// followed by text; errors.Is matches ErrUnterminatedQuote and ErrQuote.
type spanQuoteError struct{ msg string }

func (e *spanQuoteError) Error() string { return e.msg }

// Is reports whether target is ErrUnterminatedQuote or ErrQuote.
func (e *spanQuoteError) Is(target error) bool {
	return target == ErrUnterminatedQuote || target == ErrQuote
}

// where formats the position of an error: the column, and the physical
// line when the record spans lines.
func where(first, cur physLine, pos int) string {
	if cur.num() == first.num() {
		return fmt.Sprintf(" (column %d)", pos+1)
	}
	return fmt.Sprintf(" (line %d, column %d)", cur.num(), pos+1)
}
