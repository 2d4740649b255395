package fetch

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/sluicehq/sluice/pipeline"
)

// FromURL is a GET request for rawURL.
func FromURL(rawURL string) Request { return Request{URL: rawURL} }

// tracker accumulates a fetch's attempts and waits across hops.
type tracker struct {
	start    time.Time
	attempts int
	wait     time.Duration
}

// Fetch fetches req, following redirects and retrying as configured. It
// is the stage function for pipeline.Map:
//
//	pages := pipeline.Map(p, "fetch", reqs, f.Fetch, pipeline.Workers(64))
//
// A per-item failure (an HTTP error status, a disallowed URL, a body too
// large, too many redirects, retries exhausted, ...) is returned as an
// *Error wrapped with pipeline.Skip. When ctx ends, its error is returned
// unmarked: the item was not tried to the end, so it is not a failure of
// the item.
func (f *Fetcher) Fetch(ctx context.Context, req Request) (*Response, error) {
	t := tracker{start: f.clock.now()}
	resp, err := f.fetch(ctx, &req, &t)
	if err == nil {
		return resp, nil
	}
	method := req.Method
	if method == "" {
		method = http.MethodGet
	}
	e := &Error{Method: method, URL: req.URL, Tries: t.attempts, Err: err}
	if ctx.Err() != nil {
		return nil, e
	}
	return nil, pipeline.Skip(e)
}

// fetch walks the redirect chain, one politely fetched hop at a time.
func (f *Fetcher) fetch(ctx context.Context, req *Request, t *tracker) (*Response, error) {
	h, err := f.firstHop(req)
	if err != nil {
		return nil, err
	}
	for {
		res, err := f.fetchHop(ctx, h, t)
		if err != nil {
			return nil, err
		}
		loc := res.header.Get("Location")
		if !isRedirect(res.status) || loc == "" || f.cfg.MaxRedirects == 0 {
			return f.response(req, h, res, t), nil
		}
		if h, err = f.nextHop(h, res.status, loc); err != nil {
			return nil, err
		}
	}
}

// fetchHop checks robots.txt, then tries the hop until it succeeds, fails
// for good, or runs out of retries.
func (f *Fetcher) fetchHop(ctx context.Context, h *hop, t *tracker) (result, error) {
	host := f.hosts.get(h.key)
	if err := f.allowed(ctx, host, h.url); err != nil {
		return result{}, err
	}
	for retry := 0; ; retry++ {
		res, err := f.attempt(ctx, host, h, t)
		t.attempts++
		if ctx.Err() != nil {
			f.free(&res)
			return result{}, ctx.Err()
		}
		wait, err := f.judge(host, h, res, err, retry)
		if err != nil || wait < 0 {
			if err != nil {
				f.free(&res)
			}
			return res, err
		}
		f.free(&res)
		t.wait += wait
		if err := f.clock.sleep(ctx, wait); err != nil {
			return result{}, err
		}
	}
}

// hostID is the identity of a host: its origin — scheme, host name and
// port, with the default port left out and the name lower-cased. It is
// built without allocating for URLs that are already lower-case.
type hostID struct {
	host  string
	https bool
}

func hostKey(u *url.URL) hostID {
	https := u.Scheme == "https"
	host := u.Host
	if p := u.Port(); (p == "80" && !https) || (p == "443" && https) {
		host = host[:len(host)-len(p)-1]
	}
	return hostID{host: strings.ToLower(host), https: https}
}

// parseTarget parses an absolute http(s) URL.
func parseTarget(raw string) (*url.URL, error) {
	if u, ok := parseSimple(raw); ok {
		return u, nil
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidURL, err)
	}
	if err := checkTarget(u); err != nil {
		return nil, err
	}
	return u, nil
}

func checkTarget(u *url.URL) error {
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%w: %q is not an absolute http(s) URL", ErrInvalidURL, u.String())
	}
	return nil
}
