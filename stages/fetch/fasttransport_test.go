package fetch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime/debug"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sluicehq/sluice/testsite"
	"github.com/valyala/fasthttp"
)

// countingServer is an httptest server that counts the connections it
// accepted.
func countingServer(t *testing.T, h http.HandlerFunc) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	var conns atomic.Int64
	ts := httptest.NewUnstartedServer(h)
	ts.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	ts.Start()
	t.Cleanup(ts.Close)
	return ts, &conns
}

// The default transport sends cleartext requests through fasthttp and
// keeps its connections: twenty sequential fetches, each under a context
// of its own cancelled right after (as robots.txt and `sluice try` use),
// take one connection.
func TestFastTransportKeepsConnections(t *testing.T) {
	ts, conns := countingServer(t, func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, "<p>"+r.URL.Path+"</p>")
	})
	f, _ := newTestFetcher(t, Config{IgnoreRobots: true})
	if f.fast == nil {
		t.Fatal("the default Fetcher has no fast transport")
	}
	for i := range 20 {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		resp, err := f.Fetch(ctx, FromURL(ts.URL+"/p"+string(rune('a'+i))))
		cancel()
		if err != nil {
			t.Fatal(err)
		}
		if want := "<p>/p" + string(rune('a'+i)) + "</p>"; string(resp.Body) != want || resp.Proto != "HTTP/1.1" {
			t.Fatalf("fetch %d: %s %q, want HTTP/1.1 %q", i, resp.Proto, resp.Body, want)
		}
	}
	if n := conns.Load(); n != 1 {
		t.Errorf("%d connections for 20 sequential fetches, want 1", n)
	}
}

// A context cancelled while its request waits for the answer ends the
// request at once, with the context's error, not a per-item failure.
func TestFastTransportCancelEndsTheRequestInFlight(t *testing.T) {
	release := make(chan struct{})
	ts, _ := countingServer(t, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	defer close(release)
	f, _ := newTestFetcher(t, Config{IgnoreRobots: true, Timeout: time.Minute})
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	start := time.Now()
	_, err := f.Fetch(ctx, FromURL(ts.URL+"/hang"))
	if !errors.Is(err, context.Canceled) || isSkip(err) {
		t.Fatalf("err %v, want context.Canceled, not a per-item failure", err)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Fatalf("the cancelled fetch took %v (its timeout is a minute)", d)
	}
}

// A body that stops arriving times out within Timeout: the deadline is
// on the connection, for the header and the body alike.
func TestFastTransportBodyStallTimesOut(t *testing.T) {
	release := make(chan struct{})
	ts, _ := countingServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "1000")
		_, _ = io.WriteString(w, strings.Repeat("x", 100))
		w.(http.Flusher).Flush()
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	defer close(release)
	f, _ := newTestFetcher(t, Config{IgnoreRobots: true, Timeout: 200 * time.Millisecond, Retries: 0})
	e := mustFail(t, f, FromURL(ts.URL+"/stall"))
	if !errors.Is(e, ErrTimeout) {
		t.Fatalf("got %v, want ErrTimeout", e)
	}
}

// A response header longer than fasthttp's buffer is read by net/http
// instead: the fetch succeeds, with every header.
func TestFastTransportLongHeaderFallsBack(t *testing.T) {
	long := strings.Repeat("v", 3*fastHeaderMax)
	var requests atomic.Int64
	ts, _ := countingServer(t, func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		w.Header().Set("X-Long", long)
		_, _ = io.WriteString(w, "body")
	})
	f, _ := newTestFetcher(t, Config{IgnoreRobots: true})
	resp := mustFetch(t, f, FromURL(ts.URL+"/long"))
	if string(resp.Body) != "body" || resp.Header.Get("X-Long") != long {
		t.Fatalf("body %q, X-Long of %d bytes; want body and %d bytes", resp.Body, len(resp.Header.Get("X-Long")), len(long))
	}
	if n := requests.Load(); n != 2 {
		t.Errorf("%d requests, want 2 (fasthttp's, then net/http's)", n)
	}
}

// Headers, status, HEAD and bodies of other requests cross the fast
// transport as net/http would carry them.
func TestFastTransportCarriesRequestsAndAnswers(t *testing.T) {
	ts, _ := countingServer(t, func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		w.Header().Add("X-Multi", "a")
		w.Header().Add("X-Multi", "b")
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = io.WriteString(w, r.Method+" "+r.Header.Get("X-Custom")+" "+string(b))
	})
	f, _ := newTestFetcher(t, Config{IgnoreRobots: true, Header: http.Header{"X-Custom": {"yes"}}})
	resp := mustFetch(t, f, Request{URL: ts.URL + "/post", Method: http.MethodPost, Body: []byte("payload")})
	if got := string(resp.Body); got != "POST yes payload" {
		t.Errorf("body %q, want %q", got, "POST yes payload")
	}
	if got := resp.Header.Values("X-Multi"); len(got) != 2 || got[0] != "a" || got[1] != "b" {
		t.Errorf("X-Multi %q, want [a b]", got)
	}
	if resp.StatusCode != http.StatusOK || resp.ContentType != "text/plain" {
		t.Errorf("status %d type %q", resp.StatusCode, resp.ContentType)
	}
	head := mustFetch(t, f, Request{URL: ts.URL + "/head", Method: http.MethodHead})
	if head.StatusCode != http.StatusOK || len(head.Body) != 0 {
		t.Errorf("HEAD: status %d body %q", head.StatusCode, head.Body)
	}
}

// NetHTTP, or a proxy, leaves fasthttp out: every request goes through
// net/http.
func TestNetHTTPLeavesFasthttpOut(t *testing.T) {
	ts, _ := countingServer(t, func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, r.Proto)
	})
	for _, cfg := range []Config{{NetHTTP: true}, {Proxy: ts.URL}} {
		cfg.IgnoreRobots = true
		f, _ := newTestFetcher(t, cfg)
		if _, ok := f.transport.(*http.Transport); !ok || f.fast != nil {
			t.Fatalf("%+v: transport %T, want *http.Transport", cfg, f.transport)
		}
		if resp := mustFetch(t, f, FromURL(ts.URL+"/x")); string(resp.Body) != "HTTP/1.1" {
			t.Errorf("%+v: body %q", cfg, resp.Body)
		}
	}
}

// serveRaw accepts TCP connections on loopback and hands each to handle,
// on the accepting goroutine; it returns the server's http:// base URL.
func serveRaw(t *testing.T, handle func(net.Conn)) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	t.Cleanup(func() { ln.Close(); <-done })
	go func() {
		defer close(done)
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			handle(c)
		}
	}()
	return "http://" + ln.Addr().String()
}

// rawServer answers each connection's first request with resp, then
// closes it.
func rawServer(t *testing.T, resp string) string {
	return serveRaw(t, func(c net.Conn) {
		buf := make([]byte, 4096)
		_, _ = c.Read(buf) // the request (small, one read)
		_, _ = io.WriteString(c, resp)
		c.Close()
	})
}

// Old-style and odd answers cross the fast transport whole: HTTP/1.0
// with the body read to the connection's close, a chunked body, bare LF
// line ends, an informational 103 before the answer, no reason phrase.
func TestFastTransportOldAndChunkedAnswers(t *testing.T) {
	for _, c := range []struct{ name, resp, body string }{
		{"http/1.0 until close", "HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n\r\n<p>old</p>", "<p>old</p>"},
		{"chunked", "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n" +
			"4\r\n<p>c\r\n6\r\nhunked\r\n4\r\n</p>\r\n0\r\n\r\n", "<p>chunked</p>"},
		// fasthttp does not parse it; net/http reads it again.
		{"bare LF line ends", "HTTP/1.1 200 OK\nContent-Type: text/html\nContent-Length: 4\nConnection: close\n\n<p/>", "<p/>"},
		{"103 Early Hints first", "HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\n" +
			"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 4\r\nConnection: close\r\n\r\n<p/>", "<p/>"},
		{"no reason phrase", "HTTP/1.1 200\r\nContent-Type: text/html\r\nContent-Length: 4\r\nConnection: close\r\n\r\n<p/>", "<p/>"},
	} {
		t.Run(c.name, func(t *testing.T) {
			f, _ := newTestFetcher(t, Config{IgnoreRobots: true})
			resp := mustFetch(t, f, FromURL(rawServer(t, c.resp)+"/x"))
			if string(resp.Body) != c.body || resp.StatusCode != 200 {
				t.Errorf("status %d body %q, want 200 %q", resp.StatusCode, resp.Body, c.body)
			}
		})
	}
}

// The request line carries the URL as net/http would send it: escapes,
// dot segments and doubled slashes untouched.
func TestFastTransportSendsTheURLAsNetHTTP(t *testing.T) {
	ts, _ := countingServer(t, func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, r.RequestURI)
	})
	fast, _ := newTestFetcher(t, Config{IgnoreRobots: true})
	std, _ := newTestFetcher(t, Config{IgnoreRobots: true, NetHTTP: true})
	for _, path := range []string{"/a%20b?q=x%26y&z=1", "/caf%C3%A9", "/a/../b", "/a//b/", "/p?x=%2F&y=a+b", "/%7Eu/;p=1"} {
		got := string(mustFetch(t, fast, FromURL(ts.URL+path)).Body)
		want := string(mustFetch(t, std, FromURL(ts.URL+path)).Body)
		if got != want {
			t.Errorf("%s: fasthttp sent %q, net/http %q", path, got, want)
		}
	}
}

// A keep-alive connection the server closed while it sat idle (a short
// keep-alive timeout) is not a failed attempt: the request goes again on
// a new connection, once, as net/http does.
func TestFastTransportStaleConnectionIsNotAnAttempt(t *testing.T) {
	var accepted atomic.Int64
	base := serveRaw(t, func(c net.Conn) {
		accepted.Add(1)
		go func() {
			defer c.Close()
			buf := make([]byte, 4096)
			if _, err := c.Read(buf); err != nil {
				return
			}
			_, _ = io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 9\r\n\r\n<p>ok</p>")
			time.Sleep(20 * time.Millisecond) // then the keep-alive timeout closes it
		}()
	})
	f, _ := newTestFetcher(t, Config{IgnoreRobots: true})
	url := base + "/x"
	for i := range 3 {
		resp := mustFetch(t, f, FromURL(url))
		if string(resp.Body) != "<p>ok</p>" || resp.Attempts != 1 {
			t.Fatalf("fetch %d: body %q after %d attempts, want <p>ok</p> after 1", i, resp.Body, resp.Attempts)
		}
		time.Sleep(100 * time.Millisecond)
	}
	if n := accepted.Load(); n != 3 {
		t.Errorf("%d connections, want 3 (each closed by the server while idle)", n)
	}
}

// A request sent again over net/http (its header too long for fasthttp)
// keeps the attempt's timeout: a body that stalls there times out too.
func TestFastTransportFallbackKeepsTheTimeout(t *testing.T) {
	long := strings.Repeat("v", 2*fastHeaderMax)
	ts, _ := countingServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Long", long)
		w.Header().Set("Content-Length", "1000")
		_, _ = io.WriteString(w, "<p>")
		w.(http.Flusher).Flush()
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	})
	f, _ := newTestFetcher(t, Config{IgnoreRobots: true, Timeout: 300 * time.Millisecond, Retries: -1})
	start := time.Now()
	e := mustFail(t, f, FromURL(ts.URL+"/stall"))
	if !errors.Is(e, ErrTimeout) {
		t.Fatalf("got %v, want ErrTimeout", e)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Fatalf("the stalled fallback took %v, the timeout is 300ms", d)
	}
}

// copyHeader keeps every name and value, repeated names in order, and
// gives each name a slice of its own: appending to one changes no other.
func TestCopyHeader(t *testing.T) {
	var h fasthttp.ResponseHeader
	h.SetContentType("text/html")
	h.Add("Set-Cookie", "a=1")
	h.Add("X-One", "1")
	h.Add("Set-Cookie", "b=2")
	h.Add("X-Two", "2")
	got := copyHeader(&h)
	want := http.Header{"Content-Type": {"text/html"}, "Set-Cookie": {"a=1", "b=2"}, "X-One": {"1"}, "X-Two": {"2"}}
	for k, v := range want {
		if !slices.Equal(got[k], v) {
			t.Errorf("%s: %q, want %q", k, got[k], v)
		}
	}
	got["X-One"] = append(got["X-One"], "changed")
	got.Add("Content-Type", "changed")
	if !slices.Equal(got["X-Two"], []string{"2"}) || !slices.Equal(got["Set-Cookie"], []string{"a=1", "b=2"}) {
		t.Errorf("appending to one name changed another: %v", got)
	}
	var many fasthttp.ResponseHeader
	for i := range 20 {
		many.Add(fmt.Sprintf("X-Header-%d", i), "value")
	}
	if n := testing.AllocsPerRun(50, func() { copyHeader(&many) }); n > 6 {
		t.Errorf("copying 20 headers took %v allocations, want at most 6", n)
	}
	if s := statusLine(200); s != "200 OK" {
		t.Errorf("statusLine(200) = %q", s)
	}
	if s := statusLine(418); s != "418 I'm a teapot" {
		t.Errorf("statusLine(418) = %q", s)
	}
}

// A method that is not an HTTP token fails before anything is sent (it
// would otherwise go out on the request line as it is).
func TestInvalidMethodSendsNothing(t *testing.T) {
	s := startSite(t, testsite.Config{Pages: 1})
	f, _ := newTestFetcher(t, Config{IgnoreRobots: true})
	for _, m := range []string{"GE T", "GET\r\nX-Injected: 1", "GET/", "G\x00T"} {
		_, err := f.Fetch(context.Background(), Request{URL: s.PageURL(0), Method: m})
		if !errors.Is(err, ErrInvalidURL) || !strings.Contains(err.Error(), "invalid method") {
			t.Errorf("method %q: %v, want ErrInvalidURL naming the method", m, err)
		}
	}
	if n := s.TotalRequests(); n != 0 {
		t.Errorf("the site saw %d requests", n)
	}
	mustFetch(t, f, Request{URL: s.PageURL(0), Method: "get"})
}

// The transport dials on a goroutine of its own, so a fetch worker's
// stack does not grow by the dial's (net.Dial and its callers take about
// 5 KiB more). A caller already 11 KiB deep dials under a 16 KiB stack
// limit (debug.SetMaxStack) without reaching it; dialing on its own
// stack, it would overflow and end the test binary.
func TestFastTransportDialsOnItsOwnStack(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	ft := newFastTransport(Config{Timeout: 5 * time.Second, Workers: 1}, &http.Transport{})
	defer ft.closeAll()
	done := make(chan error, 1)
	prev := debug.SetMaxStack(16 << 10)
	go func() {
		withFrames(11<<10, func() {
			c, err := ft.dial(ln.Addr().String(), 5*time.Second)
			if err == nil {
				c.Close()
			}
			done <- err
		})
	}()
	err = <-done
	debug.SetMaxStack(prev)
	if err != nil {
		t.Fatal(err)
	}
}

// withFrames calls f below about size bytes of stack frames.
//
//go:noinline
func withFrames(size int, f func()) byte {
	var frame [256]byte
	frame[size%len(frame)] = byte(size)
	if size <= len(frame) {
		f()
		return frame[0]
	}
	return withFrames(size-len(frame), f) + frame[(size*7)%len(frame)]
}

// A panic on the goroutine aside runs raises again in the caller, and a
// value and an error come back as they were returned.
func TestAsideCarriesResultsAndPanics(t *testing.T) {
	v, err := aside(func() (int, error) { return 7, io.EOF })
	if v != 7 || err != io.EOF {
		t.Fatalf("aside = %d, %v; want 7, EOF", v, err)
	}
	defer func() {
		r := recover()
		err, ok := r.(error)
		if !ok || !strings.Contains(err.Error(), "boom") {
			t.Fatalf("recovered %v, want the panic's value", r)
		}
	}()
	_, _ = aside(func() (int, error) { panic("boom") })
	t.Fatal("aside returned after a panic")
}
