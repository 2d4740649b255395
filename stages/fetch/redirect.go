package fetch

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// hop is one request of a redirect chain.
type hop struct {
	url      *url.URL
	key      hostID // hostKey(url)
	origin   hostID // hostKey of the first hop
	method   string
	body     []byte
	header   http.Header // the request's merged headers; nil: the fetcher's defaults
	visited  []string    // URLs of earlier hops, for loop detection
	stripped bool        // credential headers already dropped
}

func (f *Fetcher) firstHop(req *Request) (*hop, error) {
	u, err := parseTarget(req.URL)
	if err != nil {
		return nil, err
	}
	h := &hop{url: u, key: hostKey(u), method: strings.ToUpper(req.Method), body: req.Body}
	h.origin = h.key
	if h.method == "" {
		h.method = http.MethodGet
	}
	if !validMethod(h.method) {
		return nil, fmt.Errorf("%w: invalid method %q", ErrInvalidURL, req.Method)
	}
	if len(req.Header) > 0 {
		h.header = f.baseHeader.Clone()
		for k, v := range req.Header {
			h.header[http.CanonicalHeaderKey(k)] = v
		}
	}
	return h, nil
}

// validMethod reports whether m is an HTTP token (RFC 9110 §5.6.2), as
// net/http requires of a method: no space, control or separator can go
// out on the request line.
func validMethod(m string) bool {
	for i := range len(m) {
		c := m[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte(`"(),/:;<=>?@[\]{}`, c) >= 0 {
			return false
		}
	}
	return m != ""
}

func isRedirect(code int) bool {
	switch code {
	case http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther,
		http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
		return true
	}
	return false
}

// nextHop builds the request a redirect asks for: at most MaxRedirects,
// no URL twice, POST turned into GET as browsers do, and no credential
// headers once the chain leaves the original host.
func (f *Fetcher) nextHop(cur *hop, code int, location string) (*hop, error) {
	u, err := cur.url.Parse(location)
	if err != nil {
		return nil, fmt.Errorf("%w: redirect to %q: %w", ErrInvalidURL, location, err)
	}
	if err := checkTarget(u); err != nil {
		return nil, err
	}
	visited := append(cur.visited, cur.url.String())
	if len(visited) > f.cfg.MaxRedirects {
		return nil, fmt.Errorf("%w: more than %d", ErrTooManyRedirects, f.cfg.MaxRedirects)
	}
	next := &hop{url: u, key: hostKey(u), origin: cur.origin, method: cur.method, body: cur.body,
		header: cur.header, visited: visited, stripped: cur.stripped}
	if slices.Contains(visited, u.String()) {
		return nil, fmt.Errorf("%w (%w): back to %s after %d redirects", ErrRedirectLoop, ErrTooManyRedirects, u, len(visited))
	}
	if (code == http.StatusSeeOther && next.method != http.MethodHead) ||
		((code == http.StatusMovedPermanently || code == http.StatusFound) && next.method == http.MethodPost) {
		next.method, next.body = http.MethodGet, nil
	}
	if next.key != next.origin && !next.stripped {
		next.stripCredentials(f.baseHeader, f.credHeaders)
	}
	return next, nil
}

// stripCredentials drops the credential headers for the rest of the chain.
func (h *hop) stripCredentials(base http.Header, names []string) {
	src := h.header
	if src == nil {
		src = base
	}
	h.header = src.Clone()
	for _, n := range names {
		delete(h.header, n)
	}
	h.stripped = true
}
