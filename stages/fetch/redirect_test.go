package fetch

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/sluicehq/sluice/testsite"
)

func TestRedirectFollowed(t *testing.T) {
	s := startSite(t, testsite.Config{Pages: 5})
	f, _ := newTestFetcher(t, Config{})
	resp := mustFetch(t, f, FromURL(s.RedirectURL(3, testsite.PagePath(2))))
	if resp.URL.String() != s.PageURL(2) || resp.StatusCode != 200 || resp.Attempts != 4 {
		t.Errorf("final URL %s status %d attempts %d", resp.URL, resp.StatusCode, resp.Attempts)
	}
}

func TestRedirectLimit(t *testing.T) {
	s := startSite(t, testsite.Config{Pages: 5})
	f, _ := newTestFetcher(t, Config{})
	mustFetch(t, f, FromURL(s.RedirectURL(10, testsite.PagePath(1))))
	e := mustFail(t, f, FromURL(s.RedirectURL(11, testsite.PagePath(1))))
	if !errors.Is(e, ErrTooManyRedirects) || errors.Is(e, ErrRedirectLoop) {
		t.Errorf("11 redirects: %v, want ErrTooManyRedirects", e)
	}
	noFollow, _ := newTestFetcher(t, Config{MaxRedirects: -1})
	if resp := mustFetch(t, noFollow, FromURL(s.RedirectURL(1, "/"))); resp.StatusCode != 302 {
		t.Errorf("MaxRedirects -1: status %d, want the 302 itself", resp.StatusCode)
	}
}

func TestRedirectLoopDetected(t *testing.T) {
	s := startSite(t, testsite.Config{Pages: 5})
	f, _ := newTestFetcher(t, Config{})
	e := mustFail(t, f, FromURL(s.PageURL(1)+"?fault=redirect-loop"))
	if !errors.Is(e, ErrRedirectLoop) || !errors.Is(e, ErrTooManyRedirects) {
		t.Errorf("got %v, want ErrRedirectLoop", e)
	}
	if n := s.Requests(testsite.PagePath(1)); n != 2 {
		t.Errorf("%d requests before the loop was seen, want 2", n)
	}
}

func TestCredentialsNotSentToAnotherHost(t *testing.T) {
	s := startSite(t, testsite.Config{})
	f, _ := newTestFetcher(t, Config{CredentialHeaders: []string{"x-api-key"}})
	hdr := http.Header{"Authorization": {"Bearer secret"}, "Cookie": {"sid=1"}, "X-Api-Key": {"k"}, "X-Trace": {"t"}}
	check := func(target string, wantCreds bool) {
		t.Helper()
		resp := mustFetch(t, f, Request{URL: s.RedirectURL(1, target), Header: hdr})
		var got http.Header
		if err := json.Unmarshal(resp.Body, &got); err != nil {
			t.Fatal(err)
		}
		for _, k := range []string{"Authorization", "Cookie", "X-Api-Key"} {
			if (got.Get(k) != "") != wantCreds {
				t.Errorf("redirect to %s: %s = %q, want present=%v", target, k, got.Get(k), wantCreds)
			}
		}
		if got.Get("X-Trace") != "t" {
			t.Errorf("redirect to %s dropped a plain header", target)
		}
	}
	check("/headers", true)             // same host
	check(s.AltURL()+"/headers", false) // localhost:port is another host
	check(s.URL()+"/headers", true)     // absolute, same host
	if s.HostRequests(s.Addr()) == 0 || s.Requests("/headers") != 3 {
		t.Errorf("requests: %d to /headers", s.Requests("/headers"))
	}
}

func TestCredentialsNotSentToAnotherPort(t *testing.T) {
	auth := make(chan string, 1)
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case auth <- r.Header.Get("Authorization"):
		default:
		}
	}))
	defer other.Close()
	first := httptest.NewServer(http.RedirectHandler(other.URL+"/x", http.StatusTemporaryRedirect))
	defer first.Close()
	f, _ := newTestFetcher(t, Config{IgnoreRobots: true})
	mustFetch(t, f, Request{URL: first.URL, Header: http.Header{"Authorization": {"Basic abc"}}})
	select {
	case a := <-auth:
		if a != "" {
			t.Errorf("Authorization %q reached another port", a)
		}
	default: // without this, a redirect never followed would pass too
		t.Error("the redirect to the other port was not followed")
	}
}

func TestRedirectMethodRules(t *testing.T) {
	for _, tc := range []struct {
		code       int
		method     string
		wantMethod string
		wantBody   string
	}{
		{301, "POST", "GET", ""}, {302, "POST", "GET", ""}, {303, "POST", "GET", ""}, {303, "PUT", "GET", ""},
		{307, "POST", "POST", "a=1"}, {308, "PUT", "PUT", "a=1"}, {302, "PUT", "PUT", "a=1"},
	} {
		var gotMethod, gotBody string
		ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/start" {
				http.Redirect(w, r, "/end", tc.code)
				return
			}
			b, _ := io.ReadAll(r.Body)
			gotMethod, gotBody = r.Method, string(b)
		}))
		f, _ := newTestFetcher(t, Config{IgnoreRobots: true})
		mustFetch(t, f, Request{URL: ts.URL + "/start", Method: tc.method, Body: []byte("a=1")})
		ts.Close()
		if gotMethod != tc.wantMethod || gotBody != tc.wantBody {
			t.Errorf("%d after %s: got %s %q, want %s %q", tc.code, tc.method, gotMethod, gotBody, tc.wantMethod, tc.wantBody)
		}
	}
}

func TestRedirectTargetObeysItsRobots(t *testing.T) {
	s := startSite(t, testsite.Config{Pages: 5, Robots: "User-agent: *\nDisallow: /products/3\n"})
	f, _ := newTestFetcher(t, Config{})
	e := mustFail(t, f, FromURL(s.RedirectURL(1, testsite.PagePath(3))))
	if !errors.Is(e, ErrDisallowed) || s.Requests(testsite.PagePath(3)) != 0 {
		t.Errorf("got %v, want ErrDisallowed without a request", e)
	}
}

func TestBadRedirectTarget(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Location", "ftp://files.example/x")
		w.WriteHeader(http.StatusFound)
	}))
	defer ts.Close()
	f, _ := newTestFetcher(t, Config{IgnoreRobots: true})
	if e := mustFail(t, f, FromURL(ts.URL)); !errors.Is(e, ErrInvalidURL) {
		t.Errorf("got %v, want ErrInvalidURL", e)
	}
}
