package fetch

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"
)

// TestBudgetBoundsBodiesHeld fetches many large pages, with and without
// a Content-Length, through a budget of four pages: the bytes held never
// exceed the budget, and every page arrives whole.
func TestBudgetBoundsBodiesHeld(t *testing.T) {
	const page, pages, workers = 256 << 10, 64, 16
	body := bytes.Repeat([]byte("x"), page)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/octet-stream")
		if r.URL.Query().Get("chunked") == "" {
			w.Header().Set("Content-Length", strconv.Itoa(page))
		}
		_, _ = w.Write(body[:page/2])
		w.(http.Flusher).Flush()
		_, _ = w.Write(body[page/2:])
	}))
	defer srv.Close()
	for _, chunked := range []bool{false, true} {
		t.Run("chunked="+strconv.FormatBool(chunked), func(t *testing.T) {
			budget := NewBudget(4 * page)
			f := mustNew(t, Config{Budget: budget, Workers: workers, PerHostConcurrency: workers, IgnoreRobots: true})
			pagesCh := make(chan *Response, pages) // a buffer that would hold every page unbounded
			var wg sync.WaitGroup
			for i := range pages {
				wg.Go(func() {
					u := srv.URL + "/" + strconv.Itoa(i)
					if chunked {
						u += "?chunked=1"
					}
					resp, err := f.Fetch(context.Background(), FromURL(u))
					if err != nil {
						t.Error(err)
						return
					}
					pagesCh <- resp
				})
			}
			go func() { wg.Wait(); close(pagesCh) }()
			n := 0
			for resp := range pagesCh {
				if len(resp.Body) != page {
					t.Errorf("body of %d bytes, want %d", len(resp.Body), page)
				}
				if held := budget.Held(); held > budget.Size() {
					t.Errorf("%d bytes held, budget %d", held, budget.Size())
				}
				time.Sleep(time.Millisecond) // a slow parser
				resp.Release()
				resp.Release() // twice is harmless
				n++
			}
			if n != pages {
				t.Fatalf("%d pages, want %d", n, pages)
			}
			if peak := budget.Peak(); peak > budget.Size() || peak < page {
				t.Errorf("peak %d bytes held, want between %d and the budget %d", peak, page, budget.Size())
			}
			if held := budget.Held(); held != 0 {
				t.Errorf("%d bytes still held after every release", held)
			}
			t.Logf("peak held %d KiB of %d KiB (unbounded: %d KiB)", budget.Peak()>>10, budget.Size()>>10, pages*page>>10)
		})
	}
}

// TestBudgetLargerThanBudget: a body larger than the whole budget takes
// all of it and still arrives.
func TestBudgetLargerThanBudget(t *testing.T) {
	body := bytes.Repeat([]byte("y"), 100<<10)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write(body) }))
	defer srv.Close()
	budget := NewBudget(10 << 10)
	f := mustNew(t, Config{Budget: budget, IgnoreRobots: true})
	resp, err := f.Fetch(context.Background(), FromURL(srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.Body) != len(body) || budget.Held() != budget.Size() {
		t.Fatalf("body %d bytes, held %d; want %d and the whole budget %d", len(resp.Body), budget.Held(), len(body), budget.Size())
	}
	resp.Release()
	if budget.Held() != 0 || resp.Body != nil {
		t.Fatalf("after Release: held %d, body %d bytes", budget.Held(), len(resp.Body))
	}
}

// TestBudgetWaitEndsWithContext: a fetch waiting for bytes gives up when
// its context ends, holding nothing, and the budget serves the next.
func TestBudgetWaitEndsWithContext(t *testing.T) {
	b := NewBudget(100)
	if n, err := b.acquire(context.Background(), 80); err != nil || n != 80 {
		t.Fatal(n, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := b.acquire(ctx, 50); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("acquire past the budget: %v, want the context's deadline", err)
	}
	done := make(chan int64)
	go func() { n, _ := b.acquire(context.Background(), 60); done <- n }()
	time.Sleep(10 * time.Millisecond)
	b.release(80)
	if n := <-done; n != 60 || b.Held() != 60 {
		t.Fatalf("waiter got %d, held %d; want 60 and 60", n, b.Held())
	}
	b.release(60)
	if b.Peak() != 80 {
		t.Fatalf("peak %d, want 80", b.Peak())
	}
}

// TestBodyClass checks the pool's size classes.
func TestBodyClass(t *testing.T) {
	for _, c := range []struct{ n, class int }{
		{0, 0}, {1, 0}, {4096, 0}, {4097, 1}, {8192, 1}, {30 << 10, 3}, {1 << 20, 8}, {1<<20 + 1, -1},
	} {
		if got := bodyClass(c.n); got != c.class {
			t.Errorf("bodyClass(%d) = %d, want %d", c.n, got, c.class)
		}
	}
	var p bodyPool
	b := p.get(30 << 10)
	if cap(*b) != 32<<10 || len(*b) != 0 {
		t.Fatalf("get(30 KiB): len %d cap %d", len(*b), cap(*b))
	}
}

func mustNew(t *testing.T, cfg Config) *Fetcher {
	t.Helper()
	f, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(f.Close)
	return f
}
