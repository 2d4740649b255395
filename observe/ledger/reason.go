package ledger

import (
	"context"
	"errors"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"syscall"

	"github.com/sluicehq/sluice/sources"
	"github.com/sluicehq/sluice/stages/extract"
	"github.com/sluicehq/sluice/stages/fetch"
)

// sentinels are the per-item failures with a fixed reason, most specific
// first (ErrRedirectLoop also wraps ErrTooManyRedirects).
var sentinels = []error{
	fetch.ErrDisallowed, fetch.ErrBodyTooLarge, fetch.ErrRedirectLoop, fetch.ErrTooManyRedirects,
	fetch.ErrRetryAfterTooLong, fetch.ErrTimeout, fetch.ErrInvalidURL, fetch.ErrContentEncoding,
	sources.ErrInvalidURL, sources.ErrFieldCount, sources.ErrBareQuote, sources.ErrQuote,
	sources.ErrUnterminatedQuote, sources.ErrRowTooLong, sources.ErrEmptyKey, sources.ErrBadJSON,
	sources.ErrBadSitemap,
}

// Reason returns a short, normalised reason for a per-item failure, the
// same for every item that failed the same way: the HTTP status, the
// sentinel error, the extraction problem, or the error text with URLs,
// quoted strings and numbers replaced by placeholders.
func Reason(err error) string {
	if err == nil {
		return "no error"
	}
	prefix := ""
	if errors.Is(err, fetch.ErrRetriesExhausted) {
		prefix = "retries exhausted: "
	}
	return prefix + cause(err)
}

func cause(err error) string {
	var se *fetch.StatusError
	if errors.As(err, &se) {
		return "HTTP " + strconv.Itoa(se.Code) + " " + http.StatusText(se.Code)
	}
	for _, s := range sentinels {
		if errors.Is(err, s) {
			return trimPkg(s.Error())
		}
	}
	if r := extractReason(err); r != "" {
		return r
	}
	switch {
	case errors.Is(err, syscall.ECONNRESET):
		return "connection reset by peer"
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connection refused"
	case errors.Is(err, context.DeadlineExceeded):
		return "timeout"
	}
	return Normalize(innermost(err))
}

func extractReason(err error) string {
	var mf *extract.MissingFieldError
	var ce *extract.ConvertError
	var ct *extract.ContentTypeError
	var js *extract.JSONSyntaxError
	switch {
	case errors.As(err, &mf):
		if mf.Field == "items" && mf.Path != "" {
			return "items path " + strconv.Quote(mf.Path) + " found nothing"
		}
		return "missing required field " + strconv.Quote(mf.Field)
	case errors.As(err, &ce):
		return "field " + strconv.Quote(ce.Field) + " is not a valid " + ce.Type
	case errors.As(err, &ct):
		return "content type " + strconv.Quote(ct.ContentType) + ", want " + ct.Want
	case errors.As(err, &js):
		return "invalid JSON"
	}
	return ""
}

// innermost returns the text of the deepest error in err's chain that says
// something of its own, skipping wrappers such as *fetch.Error that only
// add the URL.
func innermost(err error) string {
	for {
		next := errors.Unwrap(err)
		if next == nil {
			return err.Error()
		}
		err = next
	}
}

var (
	urlRe    = regexp.MustCompile(`[a-zA-Z][a-zA-Z0-9+.-]*://[^\s"']+`)
	quotedRe = regexp.MustCompile(`"[^"]*"`)
	numberRe = regexp.MustCompile(`\d+(\.\d+)?`)
	spacesRe = regexp.MustCompile(`\s+`)
)

// Normalize strips the parts of an error text that differ between items:
// URLs become <url>, quoted strings "…", numbers N.
func Normalize(msg string) string {
	msg = urlRe.ReplaceAllString(msg, "<url>")
	msg = quotedRe.ReplaceAllString(msg, `"…"`)
	msg = numberRe.ReplaceAllString(msg, "N")
	return trimPkg(strings.TrimSpace(spacesRe.ReplaceAllString(msg, " ")))
}

// trimPkg drops a leading "pkg: " prefix of a sluice error.
func trimPkg(s string) string {
	for _, p := range []string{"fetch: ", "sources: ", "extract: ", "sinks: "} {
		s = strings.TrimPrefix(s, p)
	}
	return s
}
