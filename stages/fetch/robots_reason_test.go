package fetch

import (
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/sluicehq/sluice/testsite"
)

// TestRobotsUnreachableReasonIsTheNetworkError: when robots.txt cannot be
// fetched because the host does not answer, the item fails with the
// network error, not with "disallowed by robots.txt".
func TestRobotsUnreachableReasonIsTheNetworkError(t *testing.T) {
	refused := httptest.NewServer(http.NotFoundHandler())
	refusedURL := refused.URL
	refused.Close() // nothing listens there now: connection refused

	reset := startSite(t, testsite.Config{})
	reset.SetFault("/robots.txt", testsite.FaultReset, 0)

	for _, tc := range []struct {
		name, url string
		is        error
		text      string
	}{
		{"refused", refusedURL + "/page", syscall.ECONNREFUSED, "connection refused"},
		{"reset", reset.PageURL(0), syscall.ECONNRESET, "robots.txt unreachable"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, _ := newTestFetcher(t, Config{Retries: 1})
			for range 2 { // the first load and the cached verdict
				e := mustFail(t, f, FromURL(tc.url))
				if errors.Is(e, ErrDisallowed) || strings.Contains(e.Error(), "disallowed") {
					t.Fatalf("got %q, want the network error, not a robots.txt verdict", e)
				}
				if !errors.Is(e, tc.is) || !strings.Contains(e.Error(), tc.text) {
					t.Fatalf("got %q, want it to wrap %v and say %q", e, tc.is, tc.text)
				}
				if e.Attempts() != 0 {
					t.Errorf("attempts %d, want 0 (the page was not requested)", e.Attempts())
				}
			}
		})
	}
	if n := reset.Requests(testsite.PagePath(0)); n != 0 {
		t.Errorf("the page was requested %d times behind an unreachable robots.txt", n)
	}
}

// TestRobotsTimeoutReasonIsTimeout: a robots.txt that never answers fails
// the item with ErrTimeout.
func TestRobotsTimeoutReasonIsTimeout(t *testing.T) {
	s := startSite(t, testsite.Config{})
	s.SetFault("/robots.txt", testsite.FaultHang, 0)
	f, _ := newTestFetcher(t, Config{Retries: 0, Timeout: 50 * time.Millisecond})
	e := mustFail(t, f, FromURL(s.PageURL(0)))
	if !errors.Is(e, ErrTimeout) || errors.Is(e, ErrDisallowed) {
		t.Fatalf("got %q, want ErrTimeout and not ErrDisallowed", e)
	}
}

// TestRobotsUnknownHostReason: a host name that does not resolve is the
// reason, and robots.txt is not asked again for it when the resolver says
// it does not exist (no retry can fix that).
func TestRobotsUnknownHostReason(t *testing.T) {
	f, c := newTestFetcher(t, Config{Retries: 3})
	e := mustFail(t, f, FromURL("http://no-such-host.invalid/page"))
	var dnsErr *net.DNSError
	if !errors.As(e, &dnsErr) || errors.Is(e, ErrDisallowed) {
		t.Fatalf("got %q, want a *net.DNSError, not ErrDisallowed", e)
	}
	if dnsErr.IsNotFound && len(c.slept()) != 0 {
		t.Errorf("waits %v: an unknown host was retried", c.slept())
	}
}

// TestRobotsServerErrorReasonSaysWhy: a 5xx robots.txt disallows all (RFC
// 9309), and the reason names the status robots.txt answered.
func TestRobotsServerErrorReasonSaysWhy(t *testing.T) {
	s := startSite(t, testsite.Config{RobotsStatus: 503})
	f, _ := newTestFetcher(t, Config{Retries: 1})
	e := mustFail(t, f, FromURL(s.PageURL(0)))
	if !errors.Is(e, ErrDisallowed) || !strings.Contains(e.Error(), "robots.txt answered 503") {
		t.Fatalf("got %q, want ErrDisallowed naming status 503", e)
	}
}
