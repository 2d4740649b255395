package fetch

import (
	"net/http"
	"net/url"
	"time"
)

// Request is one HTTP request to make, plus data the user threads through
// the pipeline with it.
type Request struct {
	// URL is the absolute http or https URL to fetch.
	URL string
	// Method defaults to GET.
	Method string
	// Header is added to the fetcher's default headers.
	Header http.Header
	// Body is sent with the request (for POST and the like).
	Body []byte
	// Key is the stable key of the input item (resume, dedupe, sinks).
	// Empty means the URL.
	Key string
	// Depth is the link depth when crawling (0 for seeds).
	Depth int
	// Meta carries user data (such as the source row) through to the
	// response untouched.
	Meta map[string]string
}

// Timings records where a fetch spent its time.
type Timings struct {
	Start time.Time     // when the first attempt began
	Wait  time.Duration // time waiting for politeness limits and backoff
	Total time.Duration // from Start to the body being read
}

// Response is the result of a successful fetch.
type Response struct {
	// Request is the request as given.
	Request Request
	// URL is the final URL, after redirects.
	URL *url.URL
	// StatusCode is the HTTP status of the final response.
	StatusCode int
	// Proto is the protocol of the final response, e.g. "HTTP/2.0".
	Proto string
	// Header is the final response's header.
	Header http.Header
	// Body is the body decoded to UTF-8.
	Body []byte
	// Raw is the body as received, after content decoding (gzip, br, ...)
	// but before charset conversion. It shares memory with Body when the
	// body was already UTF-8.
	Raw []byte
	// ContentType is the media type without parameters, e.g. "text/html".
	ContentType string
	// Charset is the canonical WHATWG name of the charset the body was
	// decoded from, e.g. "utf-8", "windows-1252" or "shift_jis"; "" when
	// the body was not converted (see CharsetSource).
	Charset string
	// CharsetSource says where Charset came from: a byte order mark, the
	// Content-Type header, a <meta> early or late in the HTML head, the
	// UTF-8 default for valid UTF-8, content detection, or the
	// windows-1252 fallback. It is CharsetNone for bodies not converted.
	CharsetSource CharsetSource
	// CharsetConfidence is how sure the choice of Charset is, from 0 to
	// 100: 100 when the charset was declared (the declaration is
	// trusted, even when the bytes then need U+FFFD replacements) or the
	// bytes are valid UTF-8; the detector's confidence, 15 to 100, when
	// detected; 0 for the fallback and for bodies not converted.
	CharsetConfidence int
	// Attempts is how many tries the fetch took (1 when the first succeeded).
	Attempts int
	// Timings says where the time went.
	Timings Timings
	// Extracted is what an earlier stage already extracted from the
	// page, for the stage that would read it again: a crawl's link stage
	// keeps here the records it extracted in its own pass over the page
	// (crawl.Config.Extractor). Release clears it.
	Extracted any

	budget *Budget   // the fetcher's budget that held is taken from
	held   int64     // bytes of budget this response holds
	buf    *[]byte   // Raw's pooled buffer, for Release
	pool   *bodyPool // where buf goes back to
}

// KeyOrURL returns the request's key, or its URL when the key is empty.
func (r *Request) KeyOrURL() string {
	if r.Key != "" {
		return r.Key
	}
	return r.URL
}
