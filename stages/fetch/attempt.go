package fetch

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"
)

// result is what one attempt got back.
type result struct {
	status int
	proto  string
	header http.Header
	raw    []byte  // the decoded body of a 2xx response
	buf    *[]byte // raw's pooled buffer
	held   int64   // bytes of the fetcher's Budget taken for raw
}

// free gives back what the result holds when it will not become a
// Response.
func (f *Fetcher) free(res *result) {
	f.cfg.Budget.release(res.held)
	if res.buf != nil {
		f.bodies.put(res.buf)
	}
	*res = result{}
}

// attempt makes one request within the host's limits: a concurrency
// slot, then the pause and token bucket, then the request and its body
// under the per-attempt timeout.
func (f *Fetcher) attempt(ctx context.Context, host *hostState, h *hop, t *tracker) (result, error) {
	waitStart := f.clock.now()
	if err := host.acquire(ctx); err != nil {
		return result{}, err
	}
	defer host.release()
	if wait, cancel := host.delay(f.clock.now()); wait > 0 {
		if err := f.clock.sleep(ctx, wait); err != nil {
			cancel()
			return result{}, err
		}
	}
	t.wait += f.clock.now().Sub(waitStart)

	var actx context.Context
	if f.fast != nil && h.url.Scheme == "http" {
		// fasthttp sets the deadline on the connection and the transport
		// ends requests when ctx is done: no timer and no context of the
		// attempt's own.
		actx = deadlineCtx{ctx, time.Now().Add(f.cfg.Timeout)}
	} else {
		var cancel context.CancelFunc
		actx, cancel = context.WithTimeout(ctx, f.cfg.Timeout)
		defer cancel()
	}
	res, err := f.roundTrip(actx, h)
	if err != nil && ctx.Err() == nil && errors.Is(err, context.DeadlineExceeded) {
		err = fmt.Errorf("%w after %v: %w", ErrTimeout, f.cfg.Timeout, err)
	}
	return res, err
}

// deadlineCtx is its parent with a deadline that only the fast transport
// enforces (on the connection): it has the parent's Done and Err.
type deadlineCtx struct {
	context.Context
	deadline time.Time
}

func (c deadlineCtx) Deadline() (time.Time, bool) {
	if d, ok := c.Context.Deadline(); ok && d.Before(c.deadline) {
		return d, true
	}
	return c.deadline, true
}

// roundTrip sends the hop's request and reads the answer.
func (f *Fetcher) roundTrip(ctx context.Context, h *hop) (result, error) {
	req, err := f.newRequest(ctx, h)
	if err != nil {
		return result{}, err
	}
	resp, err := f.transport.RoundTrip(req)
	if err != nil {
		return result{}, err
	}
	defer resp.Body.Close()
	if f.cfg.Jar != nil {
		if rc := resp.Cookies(); len(rc) > 0 {
			f.cfg.Jar.SetCookies(h.url, rc)
		}
	}
	res := result{status: resp.StatusCode, proto: resp.Proto, header: resp.Header}
	if resp.StatusCode < 200 || resp.StatusCode > 299 || h.method == http.MethodHead {
		_, _ = io.CopyN(io.Discard, resp.Body, 64<<10) // let the connection be reused
		return res, nil
	}
	return res, f.readBudgeted(ctx, resp, &res)
}

// readBudgeted reads the body into res within the fetcher's Budget: a
// known Content-Length is taken from the budget before reading, so large
// bodies wait instead of filling the heap; otherwise the size read is
// taken before the body is handed on.
func (f *Fetcher) readBudgeted(ctx context.Context, resp *http.Response, res *result) error {
	budget := f.cfg.Budget
	identity := resp.Header.Get("Content-Encoding") == ""
	if budget != nil && identity && resp.ContentLength > 0 && resp.ContentLength <= f.cfg.MaxBodySize {
		held, err := budget.acquire(ctx, resp.ContentLength)
		if err != nil {
			return err
		}
		res.held = held
	}
	buf, err := f.readBody(resp)
	if err == nil && res.held == 0 {
		res.held, err = budget.acquire(ctx, int64(len(*buf)))
	}
	if err != nil {
		if buf != nil {
			res.buf = buf
		}
		f.free(res)
		return err
	}
	res.buf, res.raw = buf, *buf
	return nil
}

// newRequest builds the hop's request without parsing its URL again. The
// shared default header is used as is unless cookies or URL credentials
// add to it. Requests go straight to the transport (Fetch follows
// redirects itself), so the cookie jar is applied here.
func (f *Fetcher) newRequest(ctx context.Context, h *hop) (*http.Request, error) {
	var req *http.Request
	if h.body == nil {
		// As NewRequestWithContext builds it, without parsing a URL the
		// hop already holds or making a header map replaced below.
		req = (&http.Request{Method: h.method, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1}).WithContext(ctx)
	} else {
		var err error
		if req, err = http.NewRequestWithContext(ctx, h.method, "", bytes.NewReader(h.body)); err != nil {
			return nil, fmt.Errorf("%w: %w", ErrInvalidURL, err)
		}
	}
	req.URL, req.Host = h.url, h.url.Host
	hdr := h.header
	if hdr == nil {
		hdr = f.baseHeader
	}
	user := h.url.User
	if f.cfg.Jar != nil || user != nil {
		hdr = hdr.Clone()
	}
	req.Header = hdr
	if f.cfg.Jar != nil {
		for _, c := range f.cfg.Jar.Cookies(h.url) {
			req.AddCookie(c)
		}
	}
	if user != nil && hdr.Get("Authorization") == "" {
		pass, _ := user.Password()
		req.SetBasicAuth(user.Username(), pass)
	}
	return req, nil
}

// judge decides what an attempt's outcome means: wait < 0 and no error
// is success (or a response to return, such as a redirect); an error
// fails the hop; wait ≥ 0 asks for a retry after wait.
func (f *Fetcher) judge(host *hostState, h *hop, res result, err error, retry int) (wait time.Duration, _ error) {
	now := f.clock.now()
	var cause error
	var retryAfter time.Duration
	switch {
	case err != nil:
		if !retryableErr(err) {
			return 0, err
		}
		cause = err
	case retryableStatus(res.status):
		ra, hasRA := parseRetryAfter(res.header.Get("Retry-After"), now)
		se := &StatusError{Code: res.status, URL: h.url.String(), RetryAfter: ra}
		if slowsHost(res.status) {
			host.slowDown(now, min(ra, f.cfg.MaxRetryAfter))
		}
		if hasRA && ra > f.cfg.MaxRetryAfter {
			return 0, fmt.Errorf("%w: %v > %v: %w", ErrRetryAfterTooLong, ra, f.cfg.MaxRetryAfter, se)
		}
		cause, retryAfter = se, ra
	case res.status >= 400:
		return 0, &StatusError{Code: res.status, URL: h.url.String()}
	default:
		host.succeeded(now)
		return -1, nil
	}
	if !idempotent(h.method) && !f.cfg.RetryNonIdempotent {
		return 0, cause
	}
	if retry >= f.cfg.Retries {
		return 0, fmt.Errorf("%w: %w", ErrRetriesExhausted, cause)
	}
	if retryAfter > 0 {
		return retryAfter, nil
	}
	return backoff(retry, f.cfg.BackoffBase, f.cfg.BackoffMax, f.clock.jitter()), nil
}
