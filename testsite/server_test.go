package testsite

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/net/html/charset"
)

func start(t *testing.T, cfg Config) (*Server, *http.Client) {
	t.Helper()
	s, err := Start(cfg)
	if err != nil {
		t.Fatal(err)
	}
	c := &http.Client{Transport: &http.Transport{DisableCompression: true}}
	t.Cleanup(func() {
		c.CloseIdleConnections()
		s.Close()
	})
	return s, c
}

func get(t *testing.T, c *http.Client, url string) (*http.Response, []byte) {
	t.Helper()
	resp, err := c.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read %s: %v", url, err)
	}
	return resp, b
}

func TestPageIsDeterministicAndAbout30KB(t *testing.T) {
	s, c := start(t, Config{Pages: 50})
	_, a := get(t, c, s.PageURL(7))
	_, b := get(t, c, s.PageURL(7))
	if string(a) != string(b) {
		t.Fatal("page 7 differs between requests")
	}
	if len(a) < 25_000 || len(a) > 36_000 {
		t.Errorf("page size %d, want about 30 KB", len(a))
	}
	p := s.Page(7)
	for _, want := range []string{
		`<h1 class="title">Catalogue page 7</h1>`, `<base href="/products/">`,
		`data-amount="` + p.Amount + `"`, sample, `href="` + p.Items[0].Href + `">` + p.Items[0].Name,
		`class="next" rel="next" href="8"`,
	} {
		if !strings.Contains(string(a), want) {
			t.Errorf("page 7 lacks %q", want)
		}
	}
	if got := strings.Count(string(a), `<li class="item"`); got != ItemsPerPage {
		t.Errorf("%d items, want %d", got, ItemsPerPage)
	}
}

func TestCountersAndPeak(t *testing.T) {
	s, c := start(t, Config{Pages: 5, Latency: 20 * time.Millisecond})
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			resp, err := c.Get(s.PageURL(1))
			if err != nil {
				t.Errorf("GET page 1: %v", err) // not Fatal: this is not the test's goroutine
				return
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		})
	}
	wg.Wait()
	get(t, c, s.AltURL()+PagePath(2))
	if got := s.Requests("/products/1"); got != 4 {
		t.Errorf("Requests(/products/1) = %d, want 4", got)
	}
	if got := s.HostRequests(s.Addr()); got != 4 {
		t.Errorf("HostRequests(addr) = %d, want 4", got)
	}
	alt := strings.TrimPrefix(s.AltURL(), "http://")
	if got := s.HostRequests(alt); got != 1 {
		t.Errorf("HostRequests(alt) = %d, want 1", got)
	}
	if p := s.PeakConcurrency(s.Addr()); p < 1 || p > 4 {
		t.Errorf("peak %d out of [1,4]", p)
	}
	if s.TotalRequests() != 5 {
		t.Errorf("total %d, want 5", s.TotalRequests())
	}
	s.ResetStats()
	if s.TotalRequests() != 0 || s.Requests("/products/1") != 0 {
		t.Error("ResetStats left counts")
	}
}

func TestStatusFaults(t *testing.T) {
	s, c := start(t, Config{Pages: 5, RetryAfter: "7"})
	for _, tc := range []struct {
		fault      Fault
		code       int
		retryAfter string
	}{
		{FaultNotFound, 404, ""}, {FaultServerError, 500, ""}, {FaultUnavailable, 503, ""},
		{FaultTooManyRequests, 429, "7"},
	} {
		resp, _ := get(t, c, s.PageURL(1)+"?fault="+string(tc.fault))
		if resp.StatusCode != tc.code || resp.Header.Get("Retry-After") != tc.retryAfter {
			t.Errorf("%s: got %d Retry-After %q", tc.fault, resp.StatusCode, resp.Header.Get("Retry-After"))
		}
	}
	resp, _ := get(t, c, s.PageURL(1)+"?fault=429&retry_after=Wed,+21+Oct+2015+07:28:00+GMT")
	if resp.Header.Get("Retry-After") != "Wed, 21 Oct 2015 07:28:00 GMT" {
		t.Errorf("date Retry-After = %q", resp.Header.Get("Retry-After"))
	}
}

func TestSetFaultTimes(t *testing.T) {
	s, c := start(t, Config{Pages: 5})
	s.SetFault("/products/2", FaultUnavailable, 2)
	codes := []int{}
	for range 3 {
		resp, _ := get(t, c, s.PageURL(2))
		codes = append(codes, resp.StatusCode)
	}
	if codes[0] != 503 || codes[1] != 503 || codes[2] != 200 {
		t.Errorf("codes %v, want [503 503 200]", codes)
	}
}

func TestPageFaultFraction(t *testing.T) {
	s, c := start(t, Config{Pages: 1000, Faults: []FaultRate{{FaultServerError, 0.1}, {FaultNotFound, 0.1}}})
	n500 := 0
	for id := range 1000 {
		if s.PageFault(id) == FaultServerError {
			n500++
		}
	}
	if n500 < 60 || n500 > 140 {
		t.Errorf("%d pages with 500, want about 100", n500)
	}
	for id := range 20 {
		resp, _ := get(t, c, s.PageURL(id))
		want := map[Fault]int{FaultNone: 200, FaultServerError: 500, FaultNotFound: 404}[s.PageFault(id)]
		if resp.StatusCode != want {
			t.Errorf("page %d: %d, want %d", id, resp.StatusCode, want)
		}
	}
}

func TestResetFault(t *testing.T) {
	s, c := start(t, Config{})
	_, err := c.Get(s.PageURL(0) + "?fault=reset")
	if err == nil {
		t.Fatal("reset fault gave no error")
	}
}

func TestHangEndsWithClientAndClose(t *testing.T) {
	s, c := start(t, Config{})
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", s.PageURL(0)+"?fault=hang", nil)
	if _, err := c.Do(req); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("hang: err %v, want deadline exceeded", err)
	}
	// A hang still running at Close must not outlive it (goleak checks the
	// handler; the client's request must end too).
	ended := make(chan error, 1)
	go func() {
		resp, err := c.Get(s.PageURL(0) + "?fault=hang")
		if err == nil {
			resp.Body.Close()
		}
		ended <- err
	}()
	for deadline := time.After(10 * time.Second); s.Requests("/products/0") < 2; {
		select {
		case err := <-ended:
			t.Fatalf("the hang ended before Close: %v", err)
		case <-deadline: // bounds on a hang, not timing checks
			t.Fatal("the second hang never reached the site")
		case <-time.After(time.Millisecond):
		}
	}
	closed := make(chan struct{})
	go func() { s.Close(); close(closed) }()
	select {
	case <-closed:
	case <-time.After(10 * time.Second):
		t.Fatal("Close did not return while a hang was running")
	}
	select {
	case <-ended:
	case <-time.After(10 * time.Second):
		t.Fatal("the hanging request outlived Close")
	}
}

func TestSlowOversizeBomb(t *testing.T) {
	s, c := start(t, Config{Pages: 3, SlowInterval: time.Microsecond, OversizeBytes: 1 << 20, BombBytes: 4 << 20})
	_, slow := get(t, c, s.PageURL(1)+"?fault=slow")
	_, page := get(t, c, s.PageURL(1))
	if string(slow) != string(page) {
		t.Error("slow body differs from the page")
	}
	resp, big := get(t, c, s.PageURL(1)+"?fault=oversize")
	if len(big) != 1<<20 || resp.ContentLength != -1 {
		t.Errorf("oversize: %d bytes, Content-Length %d", len(big), resp.ContentLength)
	}
	resp, bomb := get(t, c, s.PageURL(1)+"?fault=gzip-bomb")
	if resp.Header.Get("Content-Encoding") != "gzip" || len(bomb) > 64<<10 {
		t.Errorf("bomb: encoding %q, %d bytes on the wire", resp.Header.Get("Content-Encoding"), len(bomb))
	}
}

func TestRedirects(t *testing.T) {
	s, c := start(t, Config{Pages: 3})
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, _ := get(t, c, s.PageURL(1)+"?fault=redirect-loop")
	loc := resp.Header.Get("Location")
	if resp.StatusCode != 302 || loc != "/products/1?fault=redirect-loop&hop=1" {
		t.Fatalf("loop: %d %q", resp.StatusCode, loc)
	}
	resp, _ = get(t, c, s.URL()+loc)
	if resp.Header.Get("Location") != "/products/1?fault=redirect-loop" {
		t.Errorf("loop second hop: %q", resp.Header.Get("Location"))
	}
	resp, _ = get(t, c, s.RedirectURL(2, s.AltURL()+"/headers"))
	if next := resp.Header.Get("Location"); !strings.HasPrefix(next, "/redirect?") {
		t.Errorf("chain hop: %q", next)
	}
}

func TestCharsetFaults(t *testing.T) {
	s, c := start(t, Config{Pages: 3})
	for _, f := range []Fault{FaultCP1252Header, FaultCP1252Meta, FaultCP1252None, FaultLatin1Header,
		FaultShiftJISHeader, FaultShiftJISMeta, FaultUTF8BOM, FaultUTF8None} {
		resp, raw := get(t, c, s.PageURL(1)+"?fault="+string(f))
		// The reference decoder: what a browser would do with these bytes.
		r, err := charset.NewReader(strings.NewReader(string(raw)), resp.Header.Get("Content-Type"))
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		text, _ := io.ReadAll(r)
		if !strings.Contains(string(text), SampleText(f)) {
			t.Errorf("%s: decoded page lacks %q", f, SampleText(f))
		}
	}
}

func TestRobotsAPIHeaders(t *testing.T) {
	s, c := start(t, Config{Pages: 45, Robots: "User-agent: *\nDisallow: /private\n"})
	resp, body := get(t, c, s.URL()+"/robots.txt")
	if resp.StatusCode != 200 || !strings.Contains(string(body), "Disallow: /private") {
		t.Errorf("robots: %d %q", resp.StatusCode, body)
	}
	s.SetRobots(503, "")
	if resp, _ := get(t, c, s.URL()+"/robots.txt"); resp.StatusCode != 503 {
		t.Errorf("SetRobots status: %d", resp.StatusCode)
	}
	var page apiPage
	_, body = get(t, c, s.URL()+"/api/products?page=3")
	if err := json.Unmarshal(body, &page); err != nil {
		t.Fatal(err)
	}
	if page.Pages != 3 || len(page.Items) != 5 || page.Next != nil || page.Items[0].ID != 40 {
		t.Errorf("api page 3: %+v", page)
	}
	req, _ := http.NewRequest("GET", s.URL()+"/headers", nil)
	req.Header.Set("Authorization", "Bearer x")
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var h http.Header
	_ = json.NewDecoder(resp.Body).Decode(&h)
	if h.Get("Authorization") != "Bearer x" {
		t.Errorf("headers echo: %v", h)
	}
}
