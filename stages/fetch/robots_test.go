package fetch

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/sluicehq/sluice/testsite"
)

func TestRobotsFetchedOncePer100ConcurrentRequests(t *testing.T) {
	s := startSite(t, testsite.Config{Pages: 100, Robots: "User-agent: *\nDisallow: /private\n"})
	f, _ := newTestFetcher(t, Config{})
	var wg sync.WaitGroup
	var failed atomic.Int32
	for id := range 100 {
		wg.Go(func() {
			if _, err := f.Fetch(context.Background(), FromURL(s.PageURL(id))); err != nil {
				failed.Add(1)
			}
		})
	}
	wg.Wait()
	if n := s.Requests("/robots.txt"); n != 1 {
		t.Errorf("robots.txt fetched %d times, want 1", n)
	}
	if failed.Load() != 0 || s.Requests("/robots.txt")+100 != s.TotalRequests() {
		t.Errorf("%d failures, %d requests in all", failed.Load(), s.TotalRequests())
	}
}

func TestRobotsDisallowForOurAgent(t *testing.T) {
	robots := "User-agent: *\nDisallow: /products/1\n\nUser-agent: sluice\nDisallow: /products/2\nAllow: /products/20\n"
	s := startSite(t, testsite.Config{Pages: 30, Robots: robots})
	f, _ := newTestFetcher(t, Config{})
	e := mustFail(t, f, FromURL(s.PageURL(2)))
	if !errors.Is(e, ErrDisallowed) || e.Attempts() != 0 {
		t.Errorf("got %v (attempts %d), want ErrDisallowed and 0 attempts", e, e.Attempts())
	}
	if s.Requests(testsite.PagePath(2)) != 0 {
		t.Error("a disallowed page was requested")
	}
	// Only the most specific group applies: /products/1 is allowed to sluice.
	mustFetch(t, f, FromURL(s.PageURL(1)))
	mustFetch(t, f, FromURL(s.PageURL(20)))
	other, _ := newTestFetcher(t, Config{UserAgent: "otherbot/2"})
	if e := mustFail(t, other, FromURL(s.PageURL(1))); !errors.Is(e, ErrDisallowed) {
		t.Errorf("otherbot: %v, want ErrDisallowed", e)
	}
	ignoring, _ := newTestFetcher(t, Config{IgnoreRobots: true})
	mustFetch(t, ignoring, FromURL(s.PageURL(2)))
}

func TestRobotsStatusRules(t *testing.T) {
	for _, tc := range []struct {
		status   int
		requests int64 // robots.txt requests with Retries: 2
		allowed  bool
	}{
		{200, 1, true}, {404, 1, true}, {401, 1, true}, {403, 1, true},
		{429, 3, false}, {500, 3, false}, {503, 3, false},
	} {
		s := startSite(t, testsite.Config{Pages: 3, RobotsStatus: tc.status, Robots: "User-agent: *\nDisallow: /\n"})
		if tc.status == 200 {
			s.SetRobots(200, "User-agent: *\nDisallow:\n")
		}
		f, c := newTestFetcher(t, Config{Retries: 2})
		_, err := f.Fetch(context.Background(), FromURL(s.PageURL(1)))
		if got := err == nil; got != tc.allowed {
			t.Errorf("robots %d: allowed=%v (%v), want %v", tc.status, got, err, tc.allowed)
		}
		if !tc.allowed && !errors.Is(err, ErrDisallowed) {
			t.Errorf("robots %d: %v, want ErrDisallowed", tc.status, err)
		}
		if n := s.Requests("/robots.txt"); n != tc.requests {
			t.Errorf("robots %d: %d robots.txt requests, want %d", tc.status, n, tc.requests)
		}
		if !tc.allowed && len(c.slept()) != 2 {
			t.Errorf("robots %d: waits %v, want 2 backoffs", tc.status, c.slept())
		}
	}
}

// TestRobotsUnreachableBlocksTheHost: a robots.txt that cannot be fetched
// is retried, then no page of the host is requested (the reason is the
// network error: see TestRobotsUnreachableReasonIsTheNetworkError).
func TestRobotsUnreachableBlocksTheHost(t *testing.T) {
	s := startSite(t, testsite.Config{})
	f, _ := newTestFetcher(t, Config{Retries: 1})
	s.SetFault("/robots.txt", testsite.FaultReset, 0)
	if e := mustFail(t, f, FromURL(s.PageURL(0))); !errors.Is(e, syscall.ECONNRESET) {
		t.Errorf("got %v, want the connection reset", e)
	}
	if n := s.Requests(testsite.PagePath(0)); n != 0 {
		t.Errorf("the page was requested %d times", n)
	}
	if n := s.Requests("/robots.txt"); n != 2 {
		t.Errorf("%d robots.txt requests, want 2", n)
	}
}

func TestRobotsCachedThenExpires(t *testing.T) {
	s := startSite(t, testsite.Config{Pages: 5})
	f, c := newTestFetcher(t, Config{RobotsTTL: time.Hour})
	mustFetch(t, f, FromURL(s.PageURL(1)))
	mustFetch(t, f, FromURL(s.PageURL(2)))
	if n := s.Requests("/robots.txt"); n != 1 {
		t.Fatalf("%d robots.txt requests, want 1", n)
	}
	_ = c.sleep(context.Background(), time.Hour) // let the cache entry expire
	mustFetch(t, f, FromURL(s.PageURL(3)))
	if n := s.Requests("/robots.txt"); n != 2 {
		t.Errorf("after the TTL: %d robots.txt requests, want 2", n)
	}
}

func TestCrawlDelaySpacesRequests(t *testing.T) {
	s := startSite(t, testsite.Config{Pages: 5, Robots: "User-agent: *\nCrawl-delay: 2\n"})
	f, c := newTestFetcher(t, Config{})
	for id := range 3 {
		mustFetch(t, f, FromURL(s.PageURL(id)))
	}
	got := c.slept()
	if len(got) != 2 || got[0] != 2*time.Second || got[1] != 2*time.Second {
		t.Errorf("waits %v, want [2s 2s]", got)
	}
}

func TestRobotsRedirectFollowed(t *testing.T) {
	var robots atomic.Int32
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/robots.txt":
			http.Redirect(w, r, "/real-robots.txt", http.StatusMovedPermanently)
		case "/real-robots.txt":
			robots.Add(1)
			_, _ = w.Write([]byte("User-agent: *\nDisallow: /no\n"))
		}
	}))
	defer ts.Close()
	f, _ := newTestFetcher(t, Config{})
	if e := mustFail(t, f, FromURL(ts.URL+"/no")); !errors.Is(e, ErrDisallowed) {
		t.Errorf("got %v, want ErrDisallowed", e)
	}
	mustFetch(t, f, FromURL(ts.URL+"/yes"))
	if robots.Load() != 1 {
		t.Errorf("real robots.txt fetched %d times", robots.Load())
	}
}

func TestProductToken(t *testing.T) {
	for ua, want := range map[string]string{"sluice/0.1.0": "sluice", "MyBot": "MyBot", "a b/1": "a"} {
		if got := productToken(ua); got != want {
			t.Errorf("productToken(%q) = %q, want %q", ua, got, want)
		}
	}
}

func TestCrawlDelayTightensConfiguredRate(t *testing.T) {
	s := startSite(t, testsite.Config{Pages: 5, Robots: "User-agent: *\nCrawl-delay: 1\n"})
	f, c := newTestFetcher(t, Config{PerHostRate: 10, PerHostBurst: 5})
	for id := range 3 {
		mustFetch(t, f, FromURL(s.PageURL(id)))
	}
	// Crawl-delay caps the configured 10/s (burst 5) at 1/s, burst 1.
	if got := c.slept(); !equalDurations(got, []time.Duration{time.Second, time.Second}) {
		t.Errorf("waits %v, want [1s 1s]", got)
	}
}
