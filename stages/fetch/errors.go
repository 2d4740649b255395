package fetch

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Sentinel errors of per-item failures; test with errors.Is. They reach
// the caller wrapped in an *[Error].
var (
	// ErrDisallowed: robots.txt forbids the URL for our User-Agent, or
	// the server answered robots.txt with 429 or a 5xx on every try,
	// which RFC 9309 treats the same. A robots.txt that cannot be
	// fetched at all (connection refused or reset, unknown host, TLS
	// error, timeout) is not this error: the item fails with that
	// network error, wrapped as "robots.txt unreachable".
	ErrDisallowed = errors.New("fetch: disallowed by robots.txt")
	// ErrBodyTooLarge: the body exceeds MaxBodySize on the wire, or
	// MaxDecodedSize after content decoding.
	ErrBodyTooLarge = errors.New("fetch: body too large")
	// ErrTooManyRedirects: more than MaxRedirects redirects.
	ErrTooManyRedirects = errors.New("fetch: too many redirects")
	// ErrRedirectLoop: a redirect led back to a URL already visited.
	// It wraps ErrTooManyRedirects too.
	ErrRedirectLoop = errors.New("fetch: redirect loop")
	// ErrRetryAfterTooLong: the server asked to wait longer than
	// MaxRetryAfter.
	ErrRetryAfterTooLong = errors.New("fetch: retry-after too long")
	// ErrRetriesExhausted: every attempt failed with a retryable error;
	// the last one is wrapped too.
	ErrRetriesExhausted = errors.New("fetch: retries exhausted")
	// ErrTimeout: an attempt took longer than Timeout.
	ErrTimeout = errors.New("fetch: timeout")
	// ErrInvalidURL: the request URL (or a redirect Location) is not an
	// absolute http or https URL.
	ErrInvalidURL = errors.New("fetch: invalid url")
	// ErrContentEncoding: the body's Content-Encoding is unsupported or
	// the compressed data is corrupt.
	ErrContentEncoding = errors.New("fetch: bad content encoding")
)

// StatusError is an HTTP status that failed the item: a 4xx other than
// the retryable 408, 425 and 429, or a retryable status on the last try.
type StatusError struct {
	Code int
	URL  string
	// RetryAfter is the server's Retry-After, if it sent one.
	RetryAfter time.Duration
}

// Error says which status came from which URL.
func (e *StatusError) Error() string {
	return "fetch: status " + strconv.Itoa(e.Code) + " " + http.StatusText(e.Code) + " from " + e.URL
}

// Error is the error of a failed fetch. Fetch returns it wrapped with
// pipeline.Skip for per-item failures, so the engine drops the item and
// records the failure with its attempt count.
type Error struct {
	Method string
	URL    string
	// Tries is how many HTTP attempts were made for the URL (0 when
	// robots.txt forbade it, or could not be fetched, before any).
	Tries int
	Err   error
}

// Error reads like "fetch: GET http://x/y: status 503 ... (4 attempts)".
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("fetch: ")
	b.WriteString(e.Method)
	b.WriteByte(' ')
	b.WriteString(e.URL)
	b.WriteString(": ")
	b.WriteString(strings.TrimPrefix(e.Err.Error(), "fetch: "))
	if e.Tries > 1 {
		b.WriteString(" (" + strconv.Itoa(e.Tries) + " attempts)")
	}
	return b.String()
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Attempts is how many attempts were made; pipeline.Failure reads it.
func (e *Error) Attempts() int { return e.Tries }
