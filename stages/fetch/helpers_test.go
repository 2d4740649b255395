package fetch

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/cookiejar"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/sluicehq/sluice/internal/leakcheck"
	"github.com/sluicehq/sluice/pipeline"
	"github.com/sluicehq/sluice/testsite"
)

func TestMain(m *testing.M) {
	if spec := os.Getenv(childEnv); spec != "" {
		runChildSite(spec) // the benchmarks' site process; never returns
	}
	leakcheck.VerifyTestMain(m)
}

// fakeClock makes waits instant and records them; time moves only when
// the fetcher sleeps.
type fakeClock struct {
	mu     sync.Mutex
	t      time.Time
	sleeps []time.Duration
}

func newFakeClock() *fakeClock {
	return &fakeClock{t: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}
}

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if d > 0 {
		c.sleeps = append(c.sleeps, d)
		c.t = c.t.Add(d)
	}
	return nil
}

func (c *fakeClock) slept() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.sleeps...)
}

// newTestFetcher builds a fetcher with a fake clock whose jitter is 0.5.
func newTestFetcher(t *testing.T, cfg Config) (*Fetcher, *fakeClock) {
	t.Helper()
	f, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	c := newFakeClock()
	f.clock = clock{now: c.now, sleep: c.sleep, jitter: func() float64 { return 0.5 }}
	t.Cleanup(f.Close)
	return f, c
}

func startSite(t *testing.T, cfg testsite.Config) *testsite.Server {
	t.Helper()
	s, err := testsite.Start(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

// mustFail fetches u, expects a per-item failure, and returns its *Error.
func mustFail(t *testing.T, f *Fetcher, req Request) *Error {
	t.Helper()
	resp, err := f.Fetch(context.Background(), req)
	if err == nil {
		t.Fatalf("fetch %s: got status %d, want a failure", req.URL, resp.StatusCode)
	}
	if !pipeline.IsSkip(err) {
		t.Fatalf("fetch %s: %v is not marked pipeline.Skip", req.URL, err)
	}
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("fetch %s: %v is not a *fetch.Error", req.URL, err)
	}
	return e
}

func mustFetch(t *testing.T, f *Fetcher, req Request) *Response {
	t.Helper()
	resp, err := f.Fetch(context.Background(), req)
	if err != nil {
		t.Fatalf("fetch %s: %v", req.URL, err)
	}
	return resp
}

func newJar(t *testing.T) http.CookieJar {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return jar
}

func isSkip(err error) bool { return pipeline.IsSkip(err) }

func bytesReader(b []byte) io.Reader { return bytes.NewReader(b) }
