package sources

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinel errors for per-row failures; test for them with errors.Is on the
// error in a pipeline.Failure.
var (
	// ErrInvalidURL: the row's URL is empty, relative, has no host, holds
	// white space, or uses a scheme other than http or https.
	ErrInvalidURL = errors.New("sources: invalid url")
	// ErrFieldCount: a CSV row has a different number of fields than the
	// header (or, without a header, than the first row), and either no
	// valid URL in its URL column or more than one line. A one-line row
	// with a valid URL is kept instead, with a [Warning] matching it.
	ErrFieldCount = errors.New("sources: wrong number of fields")
	// ErrBareQuote: a quote appears inside an unquoted CSV field.
	ErrBareQuote = errors.New(`sources: bare " in unquoted field`)
	// ErrQuote: a quoted CSV field's closing quote is followed by something
	// other than the delimiter or the end of the line.
	ErrQuote = errors.New(`sources: extraneous or missing " in quoted field`)
	// ErrUnterminatedQuote: a quoted CSV field is never closed, or not
	// within the row size limit.
	ErrUnterminatedQuote = errors.New("sources: quoted field not closed")
	// ErrRowTooLong: a line is longer than the configured limit.
	ErrRowTooLong = errors.New("sources: row too long")
	// ErrEmptyKey: a CSV row's key column is empty.
	ErrEmptyKey = errors.New("sources: empty key")
	// ErrBadJSON: a JSON Lines line does not decode.
	ErrBadJSON = errors.New("sources: invalid json")
	// ErrBadSitemap: a sitemap could not be fetched or is not valid XML.
	ErrBadSitemap = errors.New("sources: bad sitemap")
)

// RowError is a per-row failure: what was wrong and where. The raw text is
// kept so a dead-letter file can show, and a user can fix, the exact input.
type RowError struct {
	// Source names the input: a file path or URL, or "" for a reader.
	Source string
	// Line is the 1-based line the row starts on.
	Line int
	// Raw is the row as read, without its line terminator. For a CSV
	// record spanning lines it is the first physical line only: that is
	// all a failed record costs (parsing resumes on its second line).
	Raw string
	// Err says what was wrong; errors.Is matches the sentinels.
	Err error
}

// Error returns "sources: [source: ]line N: reason".
func (e *RowError) Error() string {
	reason := strings.TrimPrefix(e.Err.Error(), "sources: ")
	if e.Source != "" {
		return fmt.Sprintf("sources: %s: line %d: %s", e.Source, e.Line, reason)
	}
	return fmt.Sprintf("sources: line %d: %s", e.Line, reason)
}

// Unwrap returns the reason.
func (e *RowError) Unwrap() error { return e.Err }

// URLError says why a URL was rejected. errors.Is(err, ErrInvalidURL)
// reports true for it.
type URLError struct {
	// URL is the rejected text (as given, before trimming).
	URL string
	// Reason is a short human explanation, e.g. `scheme "mailto" is not allowed`.
	Reason string
}

// Error returns `sources: invalid url "...": reason`, quoting at most the
// first 200 bytes of the URL.
func (e *URLError) Error() string {
	u := e.URL
	if len(u) > 200 {
		u = u[:200] + "..."
	}
	return fmt.Sprintf("sources: invalid url %q: %s", u, e.Reason)
}

// unprefixed shows a wrapped error of this package without its "sources: "
// prefix, for messages that already carry it.
type unprefixed struct{ err error }

func (u unprefixed) Error() string { return strings.TrimPrefix(u.err.Error(), "sources: ") }
func (u unprefixed) Unwrap() error { return u.err }

// Is reports whether target is ErrInvalidURL.
func (e *URLError) Is(target error) bool { return target == ErrInvalidURL }
