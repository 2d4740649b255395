package fetch

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sluicehq/sluice/testsite"
)

func TestBackoff(t *testing.T) {
	base, ceil := 500*time.Millisecond, 30*time.Second
	for _, tc := range []struct {
		n    int
		u    float64
		want time.Duration
	}{
		{0, 0, 0}, {0, 0.5, 250 * time.Millisecond}, {1, 0.5, 500 * time.Millisecond},
		{2, 0.999, 1998 * time.Millisecond}, {6, 1, 30 * time.Second}, {7, 0.5, 15 * time.Second},
		{200, 0.5, 15 * time.Second},
	} {
		if got := backoff(tc.n, base, ceil, tc.u); got != tc.want {
			t.Errorf("backoff(%d, u=%v) = %v, want %v", tc.n, tc.u, got, tc.want)
		}
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2015, 10, 21, 7, 28, 0, 0, time.UTC)
	for _, tc := range []struct {
		v    string
		want time.Duration
		ok   bool
	}{
		{"", 0, false}, {"120", 2 * time.Minute, true}, {" 0 ", 0, true}, {"-5", 0, false},
		{"soon", 0, false}, {"Wed, 21 Oct 2015 07:28:30 GMT", 30 * time.Second, true},
		{"Wed, 21 Oct 2015 07:00:00 GMT", 0, true}, {"99999999999999", 365 * 24 * time.Hour, true},
	} {
		got, ok := parseRetryAfter(tc.v, now)
		if got != tc.want || ok != tc.ok {
			t.Errorf("parseRetryAfter(%q) = %v, %v; want %v, %v", tc.v, got, ok, tc.want, tc.ok)
		}
	}
}

func TestRetryableStatuses(t *testing.T) {
	for _, code := range []int{408, 425, 429, 500, 502, 503, 504, 400, 401, 403, 404, 410, 451, 501} {
		var hits atomic.Int32
		ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if hits.Add(1) == 1 {
				w.WriteHeader(code)
				return
			}
			_, _ = w.Write([]byte("ok"))
		}))
		f, _ := newTestFetcher(t, Config{IgnoreRobots: true})
		_, err := f.Fetch(t.Context(), FromURL(ts.URL))
		ts.Close()
		retryable := retryableStatus(code)
		if retryable && (err != nil || hits.Load() != 2) {
			t.Errorf("%d: %v after %d requests, want success on the retry", code, err, hits.Load())
		}
		var se *StatusError
		if !retryable && (!errors.As(err, &se) || se.Code != code || hits.Load() != 1) {
			t.Errorf("%d: %v after %d requests, want StatusError at once", code, err, hits.Load())
		}
	}
}

func TestRetriesExhausted(t *testing.T) {
	s := startSite(t, testsite.Config{Pages: 3})
	f, c := newTestFetcher(t, Config{})
	s.SetFault(testsite.PagePath(1), testsite.FaultUnavailable, 0)
	e := mustFail(t, f, FromURL(s.PageURL(1)))
	var se *StatusError
	if !errors.Is(e, ErrRetriesExhausted) || !errors.As(e, &se) || se.Code != 503 || e.Attempts() != 4 {
		t.Errorf("got %v (attempts %d), want ErrRetriesExhausted over a 503 after 4 attempts", e, e.Attempts())
	}
	if n := s.Requests(testsite.PagePath(1)); n != 4 {
		t.Errorf("server saw %d requests, want 4", n)
	}
	want := []time.Duration{250 * time.Millisecond, 500 * time.Millisecond, time.Second}
	if got := c.slept(); !equalDurations(got, want) {
		t.Errorf("backoff waits %v, want %v", got, want)
	}
}

func TestRetryAfterSecondsHonoured(t *testing.T) {
	s := startSite(t, testsite.Config{Pages: 3, RetryAfter: "3"})
	f, c := newTestFetcher(t, Config{})
	s.SetFault(testsite.PagePath(1), testsite.FaultTooManyRequests, 2)
	resp := mustFetch(t, f, FromURL(s.PageURL(1)))
	if resp.Attempts != 3 {
		t.Errorf("attempts %d, want 3", resp.Attempts)
	}
	// Each 429 pauses the host and the retry waits out the Retry-After;
	// the pause has passed by then, so no extra wait is added.
	want := []time.Duration{3 * time.Second, 3 * time.Second}
	if got := c.slept(); !equalDurations(got, want) {
		t.Errorf("waits %v, want %v", got, want)
	}
	if resp.Timings.Wait != 6*time.Second {
		t.Errorf("Timings.Wait %v, want 6s", resp.Timings.Wait)
	}
}

func TestRetryAfterDateHonoured(t *testing.T) {
	s := startSite(t, testsite.Config{Pages: 3})
	f, c := newTestFetcher(t, Config{IgnoreRobots: true})
	date := c.now().Add(90 * time.Second).Format(http.TimeFormat)
	u := s.PageURL(1) + "?fault=503&retry_after=" + url.QueryEscape(date)
	e := mustFail(t, f, FromURL(u))
	// 90s until the date; after that the date has passed and the plain
	// backoff applies.
	want := []time.Duration{90 * time.Second, 500 * time.Millisecond, time.Second}
	if got := c.slept(); !equalDurations(got, want) {
		t.Errorf("waits %v, want %v", got, want)
	}
	if e.Attempts() != 4 {
		t.Errorf("attempts %d, want 4", e.Attempts())
	}
}

func TestRetryAfterTooLong(t *testing.T) {
	s := startSite(t, testsite.Config{Pages: 3})
	f, c := newTestFetcher(t, Config{MaxRetryAfter: time.Minute})
	e := mustFail(t, f, FromURL(s.PageURL(1)+"?fault=429&retry_after=3600"))
	var se *StatusError
	if !errors.Is(e, ErrRetryAfterTooLong) || !errors.As(e, &se) || se.RetryAfter != time.Hour || e.Attempts() != 1 {
		t.Errorf("got %v (attempts %d), want ErrRetryAfterTooLong after 1 attempt", e, e.Attempts())
	}
	if len(c.slept()) != 0 {
		t.Errorf("waited %v", c.slept())
	}
}

func TestNonIdempotentNotRetried(t *testing.T) {
	s := startSite(t, testsite.Config{Pages: 3})
	for _, tc := range []struct {
		opt      bool
		requests int64
	}{{false, 1}, {true, 4}} {
		s.ResetStats()
		f, _ := newTestFetcher(t, Config{RetryNonIdempotent: tc.opt, IgnoreRobots: true})
		req := Request{URL: s.PageURL(1) + "?fault=503", Method: http.MethodPost, Body: []byte("a=1")}
		mustFail(t, f, req)
		if n := s.Requests(testsite.PagePath(1)); n != tc.requests {
			t.Errorf("RetryNonIdempotent=%v: %d requests, want %d", tc.opt, n, tc.requests)
		}
	}
}

func TestNetworkErrorsRetried(t *testing.T) {
	s := startSite(t, testsite.Config{Pages: 3})
	f, _ := newTestFetcher(t, Config{IgnoreRobots: true})
	s.SetFault(testsite.PagePath(1), testsite.FaultReset, 2)
	if resp := mustFetch(t, f, FromURL(s.PageURL(1))); resp.Attempts != 3 {
		t.Errorf("attempts %d, want 3", resp.Attempts)
	}
	e := mustFail(t, f, FromURL(s.PageURL(2)+"?fault=reset"))
	if !errors.Is(e, ErrRetriesExhausted) || e.Attempts() != 4 {
		t.Errorf("got %v after %d attempts, want ErrRetriesExhausted after 4", e, e.Attempts())
	}
}

func TestTimeoutPerAttempt(t *testing.T) {
	s := startSite(t, testsite.Config{Pages: 3})
	f, _ := newTestFetcher(t, Config{Timeout: 20 * time.Millisecond, Retries: 1, IgnoreRobots: true})
	e := mustFail(t, f, FromURL(s.PageURL(1)+"?fault=hang"))
	if !errors.Is(e, ErrTimeout) || !errors.Is(e, ErrRetriesExhausted) || e.Attempts() != 2 {
		t.Errorf("got %v after %d attempts, want ErrTimeout retried once", e, e.Attempts())
	}
}

func equalDurations(a, b []time.Duration) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
