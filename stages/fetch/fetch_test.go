package fetch

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/sluicehq/sluice/testsite"
)

func TestFetchPage(t *testing.T) {
	s := startSite(t, testsite.Config{Pages: 10})
	f, _ := newTestFetcher(t, Config{})
	req := Request{URL: s.PageURL(3), Key: "k3", Depth: 2, Meta: map[string]string{"row": "7"}}
	resp := mustFetch(t, f, req)
	if resp.StatusCode != 200 || resp.Attempts != 1 || resp.Charset != "utf-8" || resp.ContentType != "text/html" {
		t.Errorf("got status %d attempts %d charset %q type %q", resp.StatusCode, resp.Attempts, resp.Charset, resp.ContentType)
	}
	if !strings.Contains(string(resp.Body), testsite.SampleText(testsite.FaultNone)) {
		t.Error("body lacks the sample text")
	}
	if &resp.Body[0] != &resp.Raw[0] {
		t.Error("valid UTF-8 body was copied")
	}
	if resp.URL.String() != s.PageURL(3) || resp.Request.Meta["row"] != "7" || resp.Request.Depth != 2 || resp.Proto != "HTTP/1.1" {
		t.Errorf("got URL %s request %+v proto %s", resp.URL, resp.Request, resp.Proto)
	}
}

func TestUserAgentAndHeaders(t *testing.T) {
	s := startSite(t, testsite.Config{})
	f, _ := newTestFetcher(t, Config{Header: http.Header{"X-Team": {"data"}}})
	resp := mustFetch(t, f, Request{URL: s.URL() + "/headers", Header: http.Header{"X-Req": {"1"}}})
	body := string(resp.Body)
	for _, want := range []string{`"User-Agent":["sluice/` + Version, `"X-Team":["data"]`, `"X-Req":["1"]`, `"Accept-Encoding":["gzip, deflate, br, zstd"]`} {
		if !strings.Contains(body, want) {
			t.Errorf("request headers %s lack %s", body, want)
		}
	}
}

func TestHTTP2WhereOffered(t *testing.T) {
	ts := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte("hello " + r.Proto))
	}))
	ts.EnableHTTP2 = true
	ts.StartTLS()
	defer ts.Close()
	f, _ := newTestFetcher(t, Config{TLSConfig: ts.Client().Transport.(*http.Transport).TLSClientConfig, IgnoreRobots: true})
	resp := mustFetch(t, f, FromURL(ts.URL))
	if resp.Proto != "HTTP/2.0" || string(resp.Body) != "hello HTTP/2.0" {
		t.Errorf("proto %s body %q", resp.Proto, resp.Body)
	}
}

func TestConfigErrors(t *testing.T) {
	for _, cfg := range []Config{
		{Proxy: "://bad"}, {Proxy: "ftp://proxy:21"}, {Proxy: "http://"},
		{PerHostRate: -1}, {MaxBodySize: -1}, {Timeout: -1}, {PerHostConcurrency: -2},
	} {
		if _, err := New(cfg); err == nil || !strings.HasPrefix(err.Error(), "fetch: config") {
			t.Errorf("New(%+v) = %v, want a config error", cfg, err)
		}
	}
	if _, err := New(Config{Proxy: "http://127.0.0.1:3128"}); err != nil {
		t.Errorf("valid proxy: %v", err)
	}
}

func TestInvalidURLIsPerItem(t *testing.T) {
	f, _ := newTestFetcher(t, Config{})
	for _, u := range []string{"", "ftp://x/y", "/relative", "http://%zz", "mailto:a@b"} {
		e := mustFail(t, f, FromURL(u))
		if !errors.Is(e, ErrInvalidURL) || e.Attempts() != 0 {
			t.Errorf("%q: %v (attempts %d), want ErrInvalidURL", u, e, e.Attempts())
		}
	}
}

func TestProxyIsUsed(t *testing.T) {
	var mu sync.Mutex
	var seen []string
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, r.URL.String())
		mu.Unlock()
		_, _ = w.Write([]byte("via proxy"))
	}))
	defer proxy.Close()
	f, _ := newTestFetcher(t, Config{Proxy: proxy.URL, IgnoreRobots: true})
	resp := mustFetch(t, f, FromURL("http://example.invalid/page"))
	if string(resp.Body) != "via proxy" || len(seen) != 1 || seen[0] != "http://example.invalid/page" {
		t.Errorf("body %q, proxy saw %v", resp.Body, seen)
	}
}

func TestCookieJar(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/set" {
			http.SetCookie(w, &http.Cookie{Name: "session", Value: "abc"})
			return
		}
		c, _ := r.Cookie("session")
		if c != nil {
			_, _ = w.Write([]byte(c.Value))
		}
	}))
	defer ts.Close()
	jar := newJar(t)
	f, _ := newTestFetcher(t, Config{Jar: jar, IgnoreRobots: true})
	mustFetch(t, f, FromURL(ts.URL+"/set"))
	if got := string(mustFetch(t, f, FromURL(ts.URL+"/get")).Body); got != "abc" {
		t.Errorf("cookie sent back: %q, want abc", got)
	}
}

func TestContextCancelIsNotPerItem(t *testing.T) {
	s := startSite(t, testsite.Config{})
	f, _ := newTestFetcher(t, Config{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := f.Fetch(ctx, FromURL(s.PageURL(1)))
	if err == nil || !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v, want context.Canceled", err)
	}
	if isSkip(err) {
		t.Error("a cancelled fetch was marked as a per-item failure")
	}
}

func TestURLCredentialsSentAsBasicAuth(t *testing.T) {
	var user, pass string
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		user, pass, _ = r.BasicAuth()
	}))
	defer ts.Close()
	f, _ := newTestFetcher(t, Config{IgnoreRobots: true})
	mustFetch(t, f, FromURL(strings.Replace(ts.URL, "http://", "http://ann:s3cret@", 1)))
	if user != "ann" || pass != "s3cret" {
		t.Errorf("basic auth %q:%q, want ann:s3cret", user, pass)
	}
}

func TestBadCertificateNotRetried(t *testing.T) {
	ts := httptest.NewTLSServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	defer ts.Close()
	f, c := newTestFetcher(t, Config{IgnoreRobots: true}) // does not trust the test CA
	e := mustFail(t, f, FromURL(ts.URL))
	if e.Attempts() != 1 || len(c.slept()) != 0 || errors.Is(e, ErrRetriesExhausted) {
		t.Errorf("got %v after %d attempts, want a certificate error at once", e, e.Attempts())
	}
}
