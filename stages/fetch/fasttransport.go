package fetch

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
	"unsafe"

	"github.com/sourcegraph/conc/panics"
	"github.com/valyala/fasthttp"
)

// fastTransport is the Fetcher's default transport. Cleartext requests
// (http://) go through github.com/valyala/fasthttp, which writes a
// request and reads its answer on the caller's goroutine: no reader and
// writer goroutine per connection, no hand-off between them, no
// per-request context of the transport's own. Measured on loopback, the
// Fetcher over it fetches pages of 30 KB in less CPU time than over
// net/http (BenchmarkThroughput, x-net-http). Every other request — https (HTTP/2 where the
// server offers it, and net/http's TLS) — goes to the net/http transport
// it wraps, unchanged.
//
// It keeps the contract of http.RoundTripper the Fetcher relies on: the
// request's context deadline bounds the whole exchange, body included;
// a context cancelled while requests of it are in flight ends them at
// once (the transport closes its connections); it retries nothing itself
// (the Fetcher's retry policy decides) but, as net/http does, an
// idempotent request that found its kept-alive connection closed by the
// server while idle, sent again once on a new one; timeouts come back as
// context.DeadlineExceeded, so they read as ErrTimeout.
type fastTransport struct {
	fast    *fasthttp.Client
	std     *http.Transport
	timeout time.Duration // for a request without a deadline

	mu sync.Mutex
	// byLocal holds the open connections, by local address (fasthttp
	// tells a failed response's): to close them all, to name the network
	// error fasthttp reports as a closed connection, and to tell a
	// kept-alive connection the server closed while idle. A closed
	// connection that served a request or failed a read stays until a
	// failed request asks for it, or the map outgrows 4,096 entries.
	byLocal map[net.Addr]*trackedConn
	// inFlight counts the requests of each context (by its Done channel)
	// not yet ended; each has a callback for when the context is done.
	inFlight map[<-chan struct{}]int
}

// fastHeaderMax is the longest response header fasthttp reads.
const fastHeaderMax = 8 << 10

// newFastTransport wraps std, with a fasthttp client sized like it.
func newFastTransport(cfg Config, std *http.Transport) *fastTransport {
	t := &fastTransport{std: std, timeout: cfg.Timeout,
		byLocal: map[net.Addr]*trackedConn{}, inFlight: map[<-chan struct{}]int{}}
	t.fast = &fasthttp.Client{
		DialTimeout: t.dial,
		// The Fetcher's per-host limit decides how many requests are in
		// flight; robots.txt and retries may add a few.
		MaxConnsPerHost:           max(cfg.PerHostConcurrency, cfg.Workers) + 4,
		MaxConnWaitTimeout:        cfg.Timeout,
		MaxIdleConnDuration:       90 * time.Second,
		MaxIdemponentCallAttempts: 1,
		RetryIfErr:                func(*fasthttp.Request, int, error) (bool, bool) { return false, false },
		NoDefaultUserAgentHeader:  true,
		ConfigureClient: func(hc *fasthttp.HostClient) error {
			hc.SecureErrorLogMessage = true // errors quote no page content
			return nil
		},
		// The read buffer bounds a response's header; a longer header
		// sends the request again over net/http (see RoundTrip).
		ReadBufferSize:  fastHeaderMax,
		WriteBufferSize: 1 << 10, // a GET's request line and headers

		DisablePathNormalizing: true, // the URL goes out as the Fetcher built it
		StreamResponseBody:     true, // the Fetcher reads the body within its limits and budget
	}
	return t
}

// RoundTrip sends req: over fasthttp when it is a cleartext request,
// else over the net/http transport.
func (t *fastTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.URL.Scheme != "http" {
		return t.std.RoundTrip(req)
	}
	ctx := req.Context()
	if err := ctx.Err(); err != nil {
		closeRequestBody(req)
		return nil, err
	}
	done := t.begin(ctx)
	deadline, ok := ctx.Deadline()
	if !ok {
		deadline = time.Now().Add(t.timeout)
	}
	freq := fasthttp.AcquireRequest()
	defer fasthttp.ReleaseRequest(freq)
	body, err := t.request(freq, req)
	if err != nil {
		t.end(done)
		return nil, err
	}
	fresp := fasthttp.AcquireResponse()
	for try := 0; ; try++ {
		err := t.fast.DoDeadline(freq, fresp, deadline)
		if err == nil {
			t.served(fresp.LocalAddr())
			break
		}
		served, readErr := t.failed(fresp.LocalAddr())
		if try == 0 && served > 0 && stale(err) && idempotent(req.Method) && ctx.Err() == nil {
			// A kept-alive connection the server closed while it was idle:
			// nothing was answered, the request goes again on a new
			// connection, as net/http sends it again.
			continue
		}
		t.end(done)
		if readErr != nil && errors.Is(err, fasthttp.ErrConnectionClosed) {
			err = readErr // fasthttp reports a reset (any failed first read) as a close
		}
		fasthttp.ReleaseResponse(fresp)
		if unread(err) && idempotent(req.Method) && ctx.Err() == nil {
			// A header longer than fastHeaderMax, or one fasthttp does not
			// parse (lines ending in a bare LF): net/http reads those.
			return t.viaStd(req, body, deadline)
		}
		return nil, t.mapErr(ctx, err)
	}
	resp := &http.Response{
		StatusCode: fresp.StatusCode(),
		Status:     statusLine(fresp.StatusCode()),
		Proto:      "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header:        copyHeader(&fresp.Header),
		ContentLength: int64(max(fresp.Header.ContentLength(), -1)),
		Request:       req,
	}
	if resp.ContentLength < 0 || resp.StatusCode == http.StatusNoContent || resp.StatusCode == http.StatusNotModified || req.Method == http.MethodHead {
		resp.Header.Del("Content-Length")
	}
	if req.Method == http.MethodHead || resp.StatusCode == http.StatusNoContent || resp.StatusCode == http.StatusNotModified {
		resp.ContentLength = 0
	}
	resp.Body = &fastBody{t: t, ctx: ctx, done: done, resp: fresp, r: fresp.BodyStream()}
	return resp, nil
}

// copyHeader copies a response header into an http.Header in a fixed
// number of allocations (4 up to 7 names, 6 beyond; two a header before):
// the map, one string holding every name and value (each is cut from it)
// and one array for the value slices. A name that repeats (Set-Cookie,
// say) gets its own slice as it grows.
func copyHeader(h *fasthttp.ResponseHeader) http.Header {
	n, size := 0, 0
	for k, v := range h.All() {
		n++
		size += len(k) + len(v)
	}
	buf := make([]byte, 0, size)
	for k, v := range h.All() {
		buf = append(buf, k...)
		buf = append(buf, v...)
	}
	all := unsafe.String(unsafe.SliceData(buf), len(buf)) // buf is not written again
	vals := make([]string, n)
	hdr := make(http.Header, n)
	i, off := 0, 0
	for k, v := range h.All() {
		key := all[off : off+len(k)]
		off += len(k)
		vals[i] = all[off : off+len(v)]
		off += len(v)
		if old, ok := hdr[key]; ok {
			hdr[key] = append(old, vals[i])
		} else {
			hdr[key] = vals[i : i+1 : i+1]
		}
		i++
	}
	return hdr
}

// statusLine is http.Response.Status for code ("200 OK"), without
// allocating for the common codes.
func statusLine(code int) string {
	switch code {
	case http.StatusOK:
		return "200 OK"
	case http.StatusMovedPermanently:
		return "301 Moved Permanently"
	case http.StatusFound:
		return "302 Found"
	case http.StatusNotModified:
		return "304 Not Modified"
	case http.StatusNotFound:
		return "404 Not Found"
	}
	return strconv.Itoa(code) + " " + http.StatusText(code)
}

// request fills freq from req, and returns the body it read (and
// closed) from req, if any.
func (t *fastTransport) request(freq *fasthttp.Request, req *http.Request) ([]byte, error) {
	freq.Header.DisableNormalizing() // the names are canonical already, as net/http sends them
	freq.SetRequestURI(req.URL.String())
	freq.Header.SetMethod(req.Method)
	for k, vs := range req.Header {
		for _, v := range vs {
			freq.Header.Add(k, v)
		}
	}
	if req.Host != "" && req.Host != req.URL.Host {
		freq.UseHostHeader = true
		freq.Header.SetHost(req.Host)
	}
	if req.Body == nil || req.Body == http.NoBody {
		return nil, nil
	}
	b, err := io.ReadAll(req.Body)
	req.Body.Close()
	if err != nil {
		return nil, err
	}
	freq.SetBody(b)
	return b, nil
}

// viaStd sends req again over net/http, with the body request read from
// it, under the attempt's deadline: net/http heeds a context's Done, not
// its Deadline, and the Fetcher's context for a cleartext attempt only
// carries one (deadlineCtx), so the deadline gets a timer of its own here.
func (t *fastTransport) viaStd(req *http.Request, body []byte, deadline time.Time) (*http.Response, error) {
	ctx, cancel := context.WithDeadline(req.Context(), deadline)
	r := req.Clone(ctx)
	if body != nil {
		r.Body = io.NopCloser(bytes.NewReader(body))
		r.ContentLength = int64(len(body))
	}
	resp, err := t.std.RoundTrip(r)
	if err != nil {
		cancel()
		return nil, err
	}
	resp.Body = &cancelOnClose{ReadCloser: resp.Body, cancel: cancel}
	return resp, nil
}

// cancelOnClose ends a context when its body is closed.
type cancelOnClose struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (b *cancelOnClose) Close() error {
	err := b.ReadCloser.Close()
	b.cancel()
	return err
}

// mapErr translates fasthttp's errors: a cancelled context is the
// context's error, a timeout is context.DeadlineExceeded.
func (t *fastTransport) mapErr(ctx context.Context, err error) error {
	if cerr := ctx.Err(); cerr != nil {
		return cerr
	}
	var te interface{ Timeout() bool }
	switch {
	case errors.Is(err, fasthttp.ErrTimeout), errors.Is(err, fasthttp.ErrDialTimeout),
		errors.As(err, &te) && te.Timeout():
		return fmt.Errorf("%w (%w)", context.DeadlineExceeded, err)
	case errors.Is(err, fasthttp.ErrConnectionClosed):
		return fmt.Errorf("server closed the connection before answering: %w", io.ErrUnexpectedEOF)
	case errors.Is(err, fasthttp.ErrNoFreeConns):
		return fmt.Errorf("no free connection to the host in time: %w", context.DeadlineExceeded)
	}
	return err
}

// begin counts a request of ctx in flight until end. The first request
// of a context registers what happens when it is done: if requests of it
// are still in flight then, the transport closes its connections so they
// end at once (a context cancelled after its requests, as most are,
// closes nothing). A run's requests share one context, so one callback.
func (t *fastTransport) begin(ctx context.Context) <-chan struct{} {
	done := ctx.Done()
	if done == nil {
		return nil
	}
	t.mu.Lock()
	n, seen := t.inFlight[done]
	t.inFlight[done] = n + 1
	t.mu.Unlock()
	if !seen {
		context.AfterFunc(ctx, func() {
			t.mu.Lock()
			n := t.inFlight[done]
			delete(t.inFlight, done)
			t.mu.Unlock()
			if n > 0 {
				t.closeAll()
			}
		})
	}
	return done
}

// end ends a request begin counted.
func (t *fastTransport) end(done <-chan struct{}) {
	if done == nil {
		return
	}
	t.mu.Lock()
	if n, ok := t.inFlight[done]; ok {
		t.inFlight[done] = n - 1
	}
	t.mu.Unlock()
}

// served counts an answered request on the connection at local address
// la.
func (t *fastTransport) served(la net.Addr) {
	t.mu.Lock()
	if c := t.byLocal[la]; c != nil {
		c.served++
	}
	t.mu.Unlock()
}

// failed tells what is known of the connection at local address la that
// a request failed on: the requests it answered before, and its first
// failed read's error (fasthttp reports a reset, or any failed first read,
// as a closed connection). A closed connection is forgotten.
func (t *fastTransport) failed(la net.Addr) (served int, readErr error) {
	if la == nil {
		return 0, nil
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	c := t.byLocal[la]
	if c == nil {
		return 0, nil
	}
	if c.closed {
		delete(t.byLocal, la)
	}
	return c.served, c.readErr
}

// unread reports whether err is fasthttp's failure to read a response
// header that arrived: too long for its buffer, or malformed by its rules
// (fasthttp has no error type for those but this message).
func unread(err error) bool {
	var small *fasthttp.ErrSmallBuffer
	return errors.As(err, &small) || strings.Contains(err.Error(), "error when reading response headers")
}

// stale reports whether err is what a request gets on a connection the
// server closed while it sat idle: closed before any answer, reset, or a
// broken pipe.
func stale(err error) bool {
	return errors.Is(err, fasthttp.ErrConnectionClosed) || errors.Is(err, io.EOF) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE)
}

// closeAll closes every connection fasthttp has open. Requests of other
// contexts on them fail too, with an error the Fetcher retries.
func (t *fastTransport) closeAll() {
	t.mu.Lock()
	var conns []*trackedConn
	for _, c := range t.byLocal {
		if !c.closed {
			conns = append(conns, c)
		}
	}
	t.mu.Unlock()
	for _, c := range conns {
		_ = c.Close()
	}
}

// CloseIdleConnections closes the idle connections of both transports.
func (t *fastTransport) CloseIdleConnections() {
	t.fast.CloseIdleConnections()
	t.std.CloseIdleConnections()
}

// dial opens a TCP connection like the net/http transport's dialer, and
// tracks it until it is closed.
func (t *fastTransport) dial(addr string, timeout time.Duration) (net.Conn, error) {
	c, err := dialAside(addr, min(timeout, 10*time.Second))
	if err != nil {
		return nil, err
	}
	tc := &trackedConn{Conn: c, t: t}
	t.mu.Lock()
	if len(t.byLocal) > 4096 { // failed connections nobody asked about
		for la, c := range t.byLocal {
			if c.closed {
				delete(t.byLocal, la)
			}
		}
	}
	t.byLocal[c.LocalAddr()] = tc
	t.mu.Unlock()
	return tc, nil
}

// dialAside connects to addr on a goroutine of its own (see aside), as
// net/http's transport dials. Connecting (net.Dial and its callers) takes
// about 5 KiB of stack on top of a fetch worker's own 4-5 KiB: dialing on
// the worker's stack grew it from 8 to 16 KiB for the rest of the run, as
// the runtime shrinks a stack only when less than a quarter of it is in
// use. With 200 workers that is 1.6 MiB (the latency-bound benchmark's
// peak RSS: 38.3 → 36.8 MiB, means of 24 alternated runs).
func dialAside(addr string, timeout time.Duration) (net.Conn, error) {
	return aside(func() (net.Conn, error) {
		d := net.Dialer{Timeout: timeout, KeepAlive: 30 * time.Second}
		return d.Dial("tcp", addr)
	})
}

// aside runs f on a new goroutine and waits for it: f's stack, however
// deep, goes back to the runtime when f returns, and the caller's stack
// does not grow. A panic in f is raised again in the caller, with f's
// stack in its message.
func aside[T any](f func() (T, error)) (T, error) {
	type outcome struct {
		v   T
		err error
		r   *panics.Recovered
	}
	ch := make(chan outcome, 1)
	go func() {
		var out outcome
		out.r = panics.Try(func() { out.v, out.err = f() })
		ch <- out
	}()
	out := <-ch
	if out.r != nil {
		panic(out.r.AsError())
	}
	return out.v, out.err
}

// trackedConn is marked closed in the transport's byLocal, and keeps its
// first failed read's error.
type trackedConn struct {
	net.Conn
	t       *fastTransport
	readErr error // under t.mu
	served  int   // requests answered; under t.mu
	closed  bool  // under t.mu
}

func (c *trackedConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	if err != nil && err != io.EOF && !os.IsTimeout(err) {
		c.t.mu.Lock()
		if c.readErr == nil {
			c.readErr = err
		}
		c.t.mu.Unlock()
	}
	return n, err
}

func (c *trackedConn) Close() error {
	c.t.mu.Lock()
	if !c.closed {
		c.closed = true
		if c.readErr == nil && c.served == 0 {
			// Kept while a request that failed on it may ask (failed).
			delete(c.t.byLocal, c.Conn.LocalAddr())
		}
	}
	c.t.mu.Unlock()
	return c.Conn.Close()
}

// fastBody is a fasthttp response's body stream as an http.Response
// body; Close gives the connection back (or closes it, if the body was
// not read to its end) and recycles the response.
type fastBody struct {
	t      *fastTransport
	ctx    context.Context
	done   <-chan struct{}
	resp   *fasthttp.Response
	r      io.Reader
	closed bool
}

func (b *fastBody) Read(p []byte) (int, error) {
	if b.closed {
		return 0, errors.New("fetch: read on a closed body")
	}
	if b.r == nil {
		return 0, io.EOF
	}
	n, err := b.r.Read(p)
	if err != nil && err != io.EOF {
		err = b.t.mapErr(b.ctx, err)
	}
	return n, err
}

func (b *fastBody) Close() error {
	if b.closed {
		return nil
	}
	b.closed = true
	b.t.end(b.done)
	err := b.resp.CloseBodyStream()
	fasthttp.ReleaseResponse(b.resp)
	return err
}

// closeRequestBody closes a request body RoundTrip will not send, as
// http.RoundTripper requires.
func closeRequestBody(req *http.Request) {
	if req.Body != nil {
		req.Body.Close()
	}
}
