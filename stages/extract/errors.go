package extract

import (
	"fmt"
	"strconv"
)

// SelectorError is a construction error for a CSS selector that does not
// compile. Offset is the byte offset in Selector where parsing goes wrong
// (the end of its longest valid prefix), or -1 when it is not known.
type SelectorError struct {
	Field    string // the field (or "items") the selector belongs to
	Selector string
	Offset   int
	Err      error // cascadia's error
}

// Error describes the failure.
func (e *SelectorError) Error() string {
	at := ""
	if e.Offset >= 0 {
		at = " at byte " + strconv.Itoa(e.Offset)
	}
	return fmt.Sprintf("extract: field %q: invalid selector %q%s: %v", e.Field, e.Selector, at, e.Err)
}

// Unwrap returns the underlying error.
func (e *SelectorError) Unwrap() error { return e.Err }

// SpecError is a construction error for anything else wrong in a spec or a
// struct tag: an unknown take or type, a bad regex, a default that does not
// convert, a duplicate name.
type SpecError struct {
	Field string
	Msg   string
	Err   error // the underlying error, if any
}

// Error describes the failure.
func (e *SpecError) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("extract: field %q: %s: %v", e.Field, e.Msg, e.Err)
	}
	return fmt.Sprintf("extract: field %q: %s", e.Field, e.Msg)
}

// Unwrap returns the underlying error.
func (e *SpecError) Unwrap() error { return e.Err }

// MissingFieldError says a required field was missing from an item. Item is
// the index of the item on the page (0 when the spec has no item selector).
// A JSON page without its items has Field "items" and Path the items path.
type MissingFieldError struct {
	Field string
	URL   string
	Item  int
	Path  string
}

// Error describes the failure.
func (e *MissingFieldError) Error() string {
	if e.Field == "items" && e.Path != "" {
		return fmt.Sprintf("extract: items path %q found nothing in %s", e.Path, e.URL)
	}
	return fmt.Sprintf("extract: required field %q missing in item %d of %s", e.Field, e.Item, e.URL)
}

// ConvertError says a value taken from a page did not convert to its
// field's type.
type ConvertError struct {
	Field    string
	Selector string // the CSS selector or JSON path
	Value    string
	Type     string
	URL      string
	Err      error
}

// Error describes the failure.
func (e *ConvertError) Error() string {
	return fmt.Sprintf("extract: field %q (selector %q): cannot convert %q to %s in %s: %v",
		e.Field, e.Selector, e.Value, e.Type, e.URL, e.Err)
}

// Unwrap returns the underlying error.
func (e *ConvertError) Unwrap() error { return e.Err }

// JSONSyntaxError says a response body is not valid JSON. Offset is the
// byte offset of the error in the body, or -1 when unknown.
type JSONSyntaxError struct {
	URL    string
	Offset int64
	Err    error
}

// Error describes the failure.
func (e *JSONSyntaxError) Error() string {
	return fmt.Sprintf("extract: malformed json at byte %d of %s: %v", e.Offset, e.URL, e.Err)
}

// Unwrap returns the underlying error.
func (e *JSONSyntaxError) Unwrap() error { return e.Err }

// DecodeError says a JSON item did not decode into the user's type.
// Offset is the byte offset in the body where decoding failed, or -1.
type DecodeError struct {
	URL    string
	Item   int
	Offset int64
	Err    error // from encoding/json, e.g. *json.UnmarshalTypeError
}

// Error describes the failure.
func (e *DecodeError) Error() string {
	return fmt.Sprintf("extract: item %d of %s (byte %d): %v", e.Item, e.URL, e.Offset, e.Err)
}

// Unwrap returns the underlying error.
func (e *DecodeError) Unwrap() error { return e.Err }

// ContentTypeError says a response is not of a kind the extractor reads.
type ContentTypeError struct {
	URL         string
	ContentType string
	Want        string
}

// Error describes the failure.
func (e *ContentTypeError) Error() string {
	return fmt.Sprintf("extract: %s is %q, want %s", e.URL, e.ContentType, e.Want)
}

// FuncError is an error returned by a [Field.Func].
type FuncError struct {
	Field    string
	Selector string
	URL      string
	Err      error
}

// Error describes the failure.
func (e *FuncError) Error() string {
	return fmt.Sprintf("extract: field %q (selector %q) in %s: %v", e.Field, e.Selector, e.URL, e.Err)
}

// Unwrap returns the underlying error.
func (e *FuncError) Unwrap() error { return e.Err }
