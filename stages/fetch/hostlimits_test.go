package fetch

import (
	"context"
	"errors"
	"net/url"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/sluicehq/sluice/testsite"
)

func TestPerHostLimitNeverExceeded(t *testing.T) {
	s := startSite(t, testsite.Config{Pages: 40, Latency: 5 * time.Millisecond})
	f, _ := newTestFetcher(t, Config{PerHostConcurrency: 2, Workers: 16})
	var wg sync.WaitGroup
	for id := range 40 {
		wg.Go(func() {
			if _, err := f.Fetch(context.Background(), FromURL(s.PageURL(id))); err != nil {
				t.Errorf("fetch page %d: %v", id, err) // not Fatal: this is not the test's goroutine
			}
		})
	}
	wg.Wait()
	if p := s.PeakConcurrency(s.Addr()); p > 2 || p < 1 {
		t.Errorf("peak concurrency at the server %d, want 1..2", p)
	}
}

func TestHostIdentityIsOrigin(t *testing.T) {
	for _, tc := range []struct{ a, b string }{
		{"http://127.0.0.1:8080/x", "http://localhost:8080/x"},
		{"http://127.0.0.1:8080/x", "http://127.0.0.1:8081/x"},
		{"http://example.com/x", "https://example.com/x"},
	} {
		if hostKey(mustURL(t, tc.a)) == hostKey(mustURL(t, tc.b)) {
			t.Errorf("%s and %s share a host key", tc.a, tc.b)
		}
	}
	for _, tc := range []struct{ a, b string }{
		{"http://Example.COM/x", "http://example.com:80/y"},
		{"https://example.com/", "https://example.com:443/z?q"},
	} {
		if hostKey(mustURL(t, tc.a)) != hostKey(mustURL(t, tc.b)) {
			t.Errorf("%s and %s are different hosts", tc.a, tc.b)
		}
	}
}

func mustURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func TestSlowDownIsPerHostAndRecovers(t *testing.T) {
	s := startSite(t, testsite.Config{Pages: 10})
	f, _ := newTestFetcher(t, Config{PerHostConcurrency: 8, Retries: -1})
	e := mustFail(t, f, FromURL(s.PageURL(1)+"?fault=429&retry_after=none"))
	var se *StatusError
	if !errors.As(e, &se) || se.Code != 429 {
		t.Fatalf("got %v, want a 429 StatusError", e)
	}
	slow := f.hosts.get(hostKey(mustURL(t, s.URL())))
	other := f.hosts.get(hostKey(mustURL(t, s.AltURL())))
	if slow.limit != 4 || other.limit != 8 {
		t.Fatalf("limits after a 429: %d on the host, %d on another; want 4 and 8", slow.limit, other.limit)
	}
	// Additive increase: one more slot per cap-many successes in a row.
	for range 4 {
		mustFetch(t, f, FromURL(s.PageURL(2)))
	}
	if slow.limit != 5 {
		t.Errorf("after 4 successes the cap is %d, want 5", slow.limit)
	}
	for range 5 + 6 + 7 {
		mustFetch(t, f, FromURL(s.PageURL(2)))
	}
	if slow.limit != 8 || slow.degraded.Load() {
		t.Errorf("after recovery the cap is %d (degraded %v), want 8", slow.limit, slow.degraded.Load())
	}
}

func TestAIMDRate(t *testing.T) {
	h := newHostState(4, 10, 1)
	now := time.Now()
	for range 3 {
		h.slowDown(now, 0)
	}
	if h.limit != 1 || h.limiter.Limit() != 1.25 {
		t.Fatalf("after three halvings: cap %d rate %v, want 1 and 1.25", h.limit, h.limiter.Limit())
	}
	h.slowDown(now, 0)
	if h.limit != 1 {
		t.Errorf("cap fell below 1: %d", h.limit)
	}
	for range 100 {
		h.succeeded(now)
	}
	if h.limit != 4 || h.limiter.Limit() != 10 || h.degraded.Load() {
		t.Errorf("after recovery: cap %d rate %v, want 4 and 10", h.limit, h.limiter.Limit())
	}
}

func TestRetryAfterPausesHost(t *testing.T) {
	h := newHostState(8, 0, 1)
	now := time.Now()
	h.slowDown(now, 3*time.Second)
	if d, _ := h.delay(now.Add(time.Second)); d != 2*time.Second {
		t.Errorf("delay a second into a 3s pause: %v, want 2s", d)
	}
	if d, _ := h.delay(now.Add(4 * time.Second)); d != 0 {
		t.Errorf("delay after the pause: %v, want 0", d)
	}
}

func TestPerHostRate(t *testing.T) {
	s := startSite(t, testsite.Config{Pages: 10})
	f, c := newTestFetcher(t, Config{PerHostRate: 4, IgnoreRobots: true})
	for id := range 3 {
		mustFetch(t, f, FromURL(s.PageURL(id)))
	}
	got := c.slept()
	if len(got) != 2 || got[0] != 250*time.Millisecond || got[1] != 250*time.Millisecond {
		t.Errorf("waits %v, want [250ms 250ms]", got)
	}
}

func TestSlotWaitEndsWithContext(t *testing.T) {
	h := newHostState(1, 0, 1)
	if err := h.acquire(context.Background()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- h.acquire(ctx) }()
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("acquire: %v, want context.Canceled", err)
		}
	case <-time.After(10 * time.Second): // a bound on a hang, not a timing check
		t.Fatal("acquire did not return after its context was cancelled")
	}
	h.release()
	if h.inFlight != 0 || len(h.waiters) != 0 {
		t.Errorf("in flight %d, waiters %d after release", h.inFlight, len(h.waiters))
	}
}

func TestFetchWaitingForSlotEndsWithContext(t *testing.T) {
	s := startSite(t, testsite.Config{Pages: 3})
	f, _ := newTestFetcher(t, Config{PerHostConcurrency: 1, IgnoreRobots: true})
	hangCtx, stopHang := context.WithCancel(context.Background())
	hung := make(chan error)
	go func() {
		_, err := f.Fetch(hangCtx, FromURL(s.PageURL(0)+"?fault=hang"))
		hung <- err
	}()
	for deadline := time.After(10 * time.Second); s.Requests(testsite.PagePath(0)) == 0; {
		select {
		case err := <-hung:
			t.Fatalf("the hanging fetch ended before it reached the site: %v", err)
		case <-deadline: // a bound on a hang, not a timing check
			t.Fatal("the hanging fetch never reached the site")
		case <-time.After(time.Millisecond): // wait until the hang holds the only slot
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := f.Fetch(ctx, FromURL(s.PageURL(1))); !errors.Is(err, context.Canceled) || isSkip(err) {
		t.Errorf("waiting fetch: %v, want an unmarked context.Canceled", err)
	}
	stopHang()
	select {
	case err := <-hung:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("hung fetch: %v", err)
		}
	case <-time.After(10 * time.Second): // a bound on a hang, not a timing check
		t.Fatal("the hanging fetch did not end with its context")
	}
	if s.Requests(testsite.PagePath(1)) != 0 {
		t.Error("the cancelled fetch reached the server")
	}
}

func TestHostTableIsBounded(t *testing.T) {
	tab := newHostTable(16, func() *hostState { return newHostState(8, 0, 1) })
	for i := range 100_000 {
		tab.get(hostID{host: "h" + strconv.Itoa(i) + ".example"})
	}
	if n := tab.cache.Len(); n != 16 {
		t.Errorf("%d hosts kept, want 16", n)
	}
	a := tab.get(hostID{host: "same"})
	if b := tab.get(hostID{host: "same"}); a != b {
		t.Error("the same host got two states")
	}
	if tab.get(hostID{host: "same", https: true}) == a {
		t.Error("http and https share a state")
	}
	if tab.cache.Keys()[15] != (hostID{host: "same", https: true}) {
		t.Error("most recent host is not at the front")
	}
}
